#include "workflow/workflow.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace baladiya::workflow {
namespace {

struct Message {
  const char* key;
  const char* ar;
  const char* en;
};

constexpr Message kMessages[] = {
    {"workflow.state.submitted", "مُقدَّم", "Submitted"},
    {"workflow.state.in_review", "قيد المراجعة", "In review"},
    {"workflow.state.needs_info", "بانتظار معلومات إضافية", "Waiting for more information"},
    {"workflow.state.approved", "تمّت الموافقة عليه", "Approved"},
    {"workflow.state.completed", "مُنجَز", "Completed"},
    {"workflow.state.rejected", "مرفوض", "Rejected"},
    {"workflow.action.start_review", "بدء المراجعة", "Start review"},
    {"workflow.action.ask_info", "طلب معلومات إضافية", "Ask for more information"},
    {"workflow.action.answer", "إرسال المعلومات المطلوبة", "Send the requested information"},
    {"workflow.action.approve", "الموافقة على الطلب", "Approve"},
    {"workflow.action.reject", "رفض الطلب", "Reject"},
    {"workflow.action.complete", "إتمام الطلب", "Mark as completed"},
};

const i18n::Catalog& TestCatalog() {
  static const i18n::Catalog catalog = [] {
    std::string ar = "{";
    std::string en = "{";
    for (const Message& m : kMessages) {
      if (ar.size() > 1) {
        ar += ",";
        en += ",";
      }
      ar += "\"" + std::string(m.key) + "\":\"" + m.ar + "\"";
      en += "\"" + std::string(m.key) + "\":\"" + m.en + "\"";
    }
    auto loaded = i18n::Catalog::Load(ar + "}", en + "}");
    EXPECT_TRUE(loaded.ok()) << loaded.error().detail;
    return loaded.value();
  }();
  return catalog;
}

Workflow Default() { return DefaultWorkflow(TestCatalog()); }

State* MutableState(Workflow& w, std::string_view key) {
  for (State& s : w.states) {
    if (s.key == key) return &s;
  }
  ADD_FAILURE() << "no state " << key;
  static State dummy;
  return &dummy;
}

Transition* MutableTransition(Workflow& w, std::string_view action) {
  for (Transition& t : w.transitions) {
    if (t.action == action) return &t;
  }
  ADD_FAILURE() << "no transition " << action;
  static Transition dummy;
  return &dummy;
}

std::vector<std::string> Actions(const std::vector<const Transition*>& transitions) {
  std::vector<std::string> out;
  out.reserve(transitions.size());
  for (const Transition* t : transitions) out.push_back(t->action);
  return out;
}

// ---- the default workflow --------------------------------------------------------------------

TEST(DefaultWorkflow, IsValid) {
  Status status = Validate(Default());
  EXPECT_TRUE(status.ok()) << status.error().detail;
}

TEST(DefaultWorkflow, StatesAndSlas) {
  Workflow w = Default();
  EXPECT_EQ(w.initial, "submitted");
  struct Expected {
    const char* key;
    int sla_days;
    bool final;
    bool municipality_acts;
  };
  const Expected expected[] = {
      // key, SLA, final, municipality acts
      {"submitted", 2, false, true}, {"in_review", 5, false, true}, {"needs_info", 0, false, false},
      {"approved", 3, false, true},  {"completed", 0, true, true},  {"rejected", 0, true, true},
  };
  ASSERT_EQ(w.states.size(), std::size(expected));
  for (const Expected& e : expected) {
    const State* s = w.FindState(e.key);
    ASSERT_NE(s, nullptr) << e.key;
    EXPECT_EQ(s->final, e.final) << e.key;
    EXPECT_EQ(s->sla_days, e.sla_days) << e.key;
    EXPECT_EQ(s->municipality_acts, e.municipality_acts) << e.key;
  }
}

TEST(DefaultWorkflow, TransitionsRolesAndComments) {
  Workflow w = Default();
  const std::vector<std::string> staff = {"clerk", "department-head"};
  const std::vector<std::string> applicant = {"resident", "counter-clerk"};
  struct Expected {
    const char* from;
    const char* action;
    const char* to;
    const std::vector<std::string>* roles;
    bool comment_required;
  };
  const Expected expected[] = {
      {"submitted", "start_review", "in_review", &staff, false},
      {"in_review", "ask_info", "needs_info", &staff, true},
      {"needs_info", "answer", "in_review", &applicant, false},
      {"in_review", "approve", "approved", &staff, false},
      {"in_review", "reject", "rejected", &staff, true},
      {"approved", "complete", "completed", &staff, false},
  };
  ASSERT_EQ(w.transitions.size(), std::size(expected));
  for (const Expected& e : expected) {
    const Transition* t = w.FindTransition(e.from, e.action);
    ASSERT_NE(t, nullptr) << e.action;
    EXPECT_EQ(t->to, e.to) << e.action;
    EXPECT_EQ(t->roles, *e.roles) << e.action;
    EXPECT_EQ(t->comment_required, e.comment_required) << e.action;
  }
}

TEST(DefaultWorkflow, LabelsComeFromTheCatalogueInBothLanguages) {
  Workflow w = Default();
  EXPECT_EQ(w.FindState("needs_info")->label,
            (catalog::Text{"بانتظار معلومات إضافية", "Waiting for more information"}));
  EXPECT_EQ(w.FindTransition("in_review", "reject")->label, (catalog::Text{"رفض الطلب", "Reject"}));
  for (const State& s : w.states) {
    EXPECT_EQ(s.label.en, TestCatalog().Get(i18n::Lang::kEn, "workflow.state." + s.key));
    EXPECT_EQ(s.label.ar, TestCatalog().Get(i18n::Lang::kAr, "workflow.state." + s.key));
  }
  for (const Transition& t : w.transitions) {
    EXPECT_EQ(t.label.en, TestCatalog().Get(i18n::Lang::kEn, "workflow.action." + t.action));
    EXPECT_EQ(t.label.ar, TestCatalog().Get(i18n::Lang::kAr, "workflow.action." + t.action));
  }
}

TEST(Workflow, FindStateAndTransition) {
  Workflow w = Default();
  ASSERT_NE(w.FindState("approved"), nullptr);
  EXPECT_EQ(w.FindState("approved")->key, "approved");
  EXPECT_EQ(w.FindState("archived"), nullptr);
  EXPECT_EQ(w.FindState(""), nullptr);
  ASSERT_NE(w.FindTransition("in_review", "approve"), nullptr);
  EXPECT_EQ(w.FindTransition("in_review", "approve")->to, "approved");
  EXPECT_EQ(w.FindTransition("submitted", "approve"), nullptr);  // action exists, not from here
  EXPECT_EQ(w.FindTransition("in_review", "archive"), nullptr);
}

// ---- validation: one case per rule -----------------------------------------------------------

TEST(Validate, EachRuleRefusesWithADetail) {
  struct Case {
    const char* rule;
    std::function<void(Workflow&)> change;
    const char* detail;
    Problem first;  // the first problem of Error::problems
  };
  const Case cases[] = {
      {"no states",
       [](Workflow& w) { w = Workflow{}; },
       "the workflow has no states",
       {{"states"}, "workflow.problem.no_states", {}}},
      {"malformed state key",
       [](Workflow& w) { MutableState(w, "approved")->key = "Approved"; },
       "state key 'Approved' is malformed",
       {{"states", 3u, "key"}, "workflow.problem.bad_key", {{"key", "Approved"}}}},
      {"state key starting with a digit",
       [](Workflow& w) { MutableState(w, "approved")->key = "1approved"; },
       "state key '1approved' is malformed",
       {{"states", 3u, "key"}, "workflow.problem.bad_key", {{"key", "1approved"}}}},
      {"state key too long",
       [](Workflow& w) { MutableState(w, "approved")->key = std::string(41, 'a'); },
       "state key 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' is malformed",
       {{"states", 3u, "key"}, "workflow.problem.bad_key", {{"key", std::string(41, 'a')}}}},
      {"empty state key",
       [](Workflow& w) { MutableState(w, "approved")->key = ""; },
       "state key '' is malformed",
       {{"states", 3u, "key"}, "workflow.problem.bad_key", {{"key", ""}}}},
      {"duplicate state key",
       [](Workflow& w) { w.states.push_back(w.states[1]); },
       "state 'in_review' is defined twice",
       {{"states", 6u, "key"}, "workflow.problem.state_twice", {{"key", "in_review"}}}},
      {"unknown initial state",
       [](Workflow& w) { w.initial = "draft"; },
       "initial state 'draft' is not defined",
       {{"initial"}, "workflow.problem.initial_missing", {{"initial", "draft"}}}},
      {"transition from an unknown state",
       [](Workflow& w) { MutableTransition(w, "complete")->from = "archived"; },
       "transition 'complete' from 'archived' starts at an unknown state",
       {{"transitions", 5u, "from"}, "workflow.problem.unknown_state", {{"state", "archived"}}}},
      {"transition to an unknown state",
       [](Workflow& w) { MutableTransition(w, "complete")->to = "archived"; },
       "transition 'complete' from 'approved' leads to unknown state 'archived'",
       {{"transitions", 5u, "to"}, "workflow.problem.unknown_state", {{"state", "archived"}}}},
      {"transition out of a final state",
       [](Workflow& w) {
         w.transitions.push_back({"completed", "in_review", "reopen", {"ar", "en"}, {"clerk"}});
       },
       "transition 'reopen' from 'completed' leaves final state 'completed'",
       {{"transitions", 6u, "from"}, "workflow.problem.leaves_final", {{"state", "completed"}}}},
      {"duplicate (from, action)",
       [](Workflow& w) {
         Transition copy = *MutableTransition(w, "approve");
         copy.to = "completed";
         w.transitions.push_back(copy);
       },
       "transition 'approve' from 'in_review' is defined twice",
       {{"transitions", 6u, "action"},
        "workflow.problem.transition_twice",
        {{"action", "approve"}, {"from", "in_review"}}}},
      {"transition without roles",
       [](Workflow& w) { MutableTransition(w, "approve")->roles.clear(); },
       "transition 'approve' from 'in_review' has no roles",
       {{"transitions", 3u, "roles"},
        "workflow.problem.no_roles",
        {{"action", "approve"}, {"from", "in_review"}}}},
      {"transition with an unknown role",
       [](Workflow& w) { MutableTransition(w, "approve")->roles.push_back("mayor"); },
       "transition 'approve' from 'in_review' names unknown role 'mayor'",
       {{"transitions", 3u, "roles", 2u},
        "workflow.problem.unknown_role",
        {{"action", "approve"}, {"from", "in_review"}, {"role", "mayor"}}}},
      {"malformed action",
       [](Workflow& w) { MutableTransition(w, "approve")->action = "Approve!"; },
       "action 'Approve!' is malformed",
       {{"transitions", 3u, "action"},
        "workflow.problem.bad_action",
        {{"action", "Approve!"}, {"from", "in_review"}}}},
      {"state unreachable from the initial one",
       [](Workflow& w) {
         w.states.push_back({"archived", {"مؤرشف", "Archived"}, true});
       },
       "state 'archived' cannot be reached from 'submitted'",
       {{"states", 6u},
        "workflow.problem.unreachable",
        {{"state", "archived"}, {"initial", "submitted"}}}},
      {"no final state",
       [](Workflow& w) {
         MutableState(w, "completed")->final = false;
         MutableState(w, "rejected")->final = false;
       },
       "no state is final",
       {{"states"}, "workflow.problem.no_final", {}}},
      {"non-final state from which no final state can be reached",
       [](Workflow& w) {
         w.states.push_back({"on_hold", {"معلّق", "On hold"}});
         w.transitions.push_back({"in_review", "on_hold", "hold", {"تعليق", "Hold"}, {"clerk"}});
         w.transitions.push_back({"on_hold", "on_hold", "remind", {"تذكير", "Remind"}, {"clerk"}});
       },
       "no final state can be reached from state 'on_hold'",
       {{"states", 6u}, "workflow.problem.dead_end", {{"state", "on_hold"}}}},
      {"state without an Arabic label",
       [](Workflow& w) { MutableState(w, "approved")->label.ar.clear(); },
       "state 'approved' has no Arabic label",
       {{"states", 3u, "label", "ar"},
        "workflow.problem.state_label",
        {{"state", "approved"}, {"in", "ar"}}}},
      {"state without an English label",
       [](Workflow& w) { MutableState(w, "approved")->label.en.clear(); },
       "state 'approved' has no English label",
       {{"states", 3u, "label", "en"},
        "workflow.problem.state_label",
        {{"state", "approved"}, {"in", "en"}}}},
      {"transition without an Arabic label",
       [](Workflow& w) { MutableTransition(w, "reject")->label.ar.clear(); },
       "transition 'reject' from 'in_review' has no Arabic label",
       {{"transitions", 4u, "label", "ar"},
        "workflow.problem.transition_label",
        {{"action", "reject"}, {"from", "in_review"}, {"in", "ar"}}}},
      {"transition without an English label",
       [](Workflow& w) { MutableTransition(w, "reject")->label.en.clear(); },
       "transition 'reject' from 'in_review' has no English label",
       {{"transitions", 4u, "label", "en"},
        "workflow.problem.transition_label",
        {{"action", "reject"}, {"from", "in_review"}, {"in", "en"}}}},
      {"negative SLA",
       [](Workflow& w) { MutableState(w, "in_review")->sla_days = -1; },
       "state 'in_review' has an SLA of -1 days (0 to 365 allowed)",
       {{"states", 1u, "sla_days"}, "workflow.problem.sla", {{"max", "365"}}}},
      {"SLA over a year",
       [](Workflow& w) { MutableState(w, "in_review")->sla_days = 366; },
       "state 'in_review' has an SLA of 366 days (0 to 365 allowed)",
       {{"states", 1u, "sla_days"}, "workflow.problem.sla", {{"max", "365"}}}},
  };
  for (const Case& c : cases) {
    Workflow w = Default();
    c.change(w);
    Status status = Validate(w);
    ASSERT_FALSE(status.ok()) << c.rule;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalid) << c.rule;
    EXPECT_EQ(status.error().message_key, "workflow.invalid") << c.rule;
    EXPECT_EQ(status.error().detail, c.detail) << c.rule;
    ASSERT_FALSE(status.error().problems.empty()) << c.rule;
    const Problem& first = status.error().problems.front();
    EXPECT_EQ(PathText(first.path), PathText(c.first.path)) << c.rule;
    EXPECT_EQ(first, c.first) << c.rule << ": " << first.key;
  }
}

// Every problem of the first stage that has any (states, then transitions, then the graph), in
// order: the later stages need the earlier ones sound.
TEST(Validate, ReportsEveryProblemOfTheFirstStageThatHasAny) {
  auto found = [](const Workflow& w) {
    std::vector<std::string> out;
    Status status = Validate(w);
    if (!status.ok()) {
      for (const Problem& p : status.error().problems)
        out.push_back(PathText(p.path) + " " + p.key);
    }
    return out;
  };
  Workflow w = Default();
  MutableState(w, "approved")->label = {};
  MutableState(w, "in_review")->sla_days = 400;
  MutableTransition(w, "approve")->roles.clear();
  EXPECT_EQ(found(w), (std::vector<std::string>{
                          "states[1].sla_days workflow.problem.sla",
                          "states[3].label.ar workflow.problem.state_label",
                          "states[3].label.en workflow.problem.state_label",
                      }));
  // The states sound, the transitions' problems show.
  w = Default();
  MutableTransition(w, "approve")->roles = {"clerk", "mayor", "dean"};
  MutableTransition(w, "reject")->label.en.clear();
  Transition twice = *MutableTransition(w, "complete");
  twice.to = "rejected";
  w.transitions.push_back(twice);
  EXPECT_EQ(found(w), (std::vector<std::string>{
                          "transitions[3].roles[1] workflow.problem.unknown_role",
                          "transitions[3].roles[2] workflow.problem.unknown_role",
                          "transitions[4].label.en workflow.problem.transition_label",
                          "transitions[6].action workflow.problem.transition_twice",
                      }));
  // Sound transitions, then the graph: a new state with no way in and no way out.
  w = Default();
  w.states.push_back({"site_visit", {"زيارة", "Site visit"}});
  EXPECT_EQ(found(w), (std::vector<std::string>{
                          "states[6] workflow.problem.unreachable",
                          "states[6] workflow.problem.dead_end",
                      }));
}

TEST(Validate, AcceptsVariationsThatBreakNoRule) {
  struct Case {
    const char* what;
    std::function<void(Workflow&)> change;
  };
  const Case cases[] = {
      {"every known role",
       [](Workflow& w) {
         MutableTransition(w, "approve")->roles = {
             "resident", "platform-admin", "municipal-admin",   "department-head",
             "clerk",    "counter-clerk",  "ministry-observer", "auditor"};
       }},
      {"a loop back to the same state",
       [](Workflow& w) {
         w.transitions.push_back({"in_review", "in_review", "note", {"ملاحظة", "Note"}, {"clerk"}});
       }},
      {"the same action from two states",
       [](Workflow& w) {
         w.transitions.push_back(
             {"submitted", "rejected", "reject", {"رفض الطلب", "Reject"}, {"clerk"}, true});
       }},
      {"a key of 40 characters",
       [](Workflow& w) {
         std::string key = "s" + std::string(39, '_');
         for (Transition& t : w.transitions) {
           if (t.from == "approved") t.from = key;
           if (t.to == "approved") t.to = key;
         }
         MutableState(w, "approved")->key = key;
       }},
      {"an SLA of a full year", [](Workflow& w) { MutableState(w, "approved")->sla_days = 365; }},
  };
  for (const Case& c : cases) {
    Workflow w = Default();
    c.change(w);
    Status status = Validate(w);
    EXPECT_TRUE(status.ok()) << c.what << ": " << status.error().detail;
  }
}

// ---- who may take which transition -----------------------------------------------------------

TEST(AllowedTransitions, ByRole) {
  struct Case {
    const char* state;
    std::vector<std::string> roles;
    std::vector<std::string> actions;
  };
  const Case cases[] = {
      {"submitted", {"clerk"}, {"start_review"}},
      {"in_review", {"clerk"}, {"ask_info", "approve", "reject"}},
      {"in_review", {"department-head"}, {"ask_info", "approve", "reject"}},
      {"approved", {"clerk"}, {"complete"}},
      {"needs_info", {"clerk"}, {}},
      {"needs_info", {"resident"}, {"answer"}},
      {"needs_info", {"counter-clerk"}, {"answer"}},
      {"in_review", {"resident"}, {}},
      {"in_review", {"counter-clerk"}, {}},
      {"in_review", {"auditor"}, {}},
      {"in_review", {"ministry-observer"}, {}},
      {"in_review", {}, {}},
      {"in_review", {"mayor"}, {}},
      // Municipal admins take every staff transition, including the counter clerk's answer.
      {"submitted", {"municipal-admin"}, {"start_review"}},
      {"in_review", {"municipal-admin"}, {"ask_info", "approve", "reject"}},
      {"needs_info", {"municipal-admin"}, {"answer"}},
      {"approved", {"municipal-admin"}, {"complete"}},
      // Acting as the applicant means only the applicant's transitions.
      {"in_review", {"resident", "clerk"}, {}},
      {"in_review", {"clerk", "resident"}, {}},
      {"in_review", {"resident", "municipal-admin"}, {}},
      {"needs_info", {"clerk", "resident"}, {"answer"}},
      // Several roles: the union.
      {"needs_info", {"auditor", "counter-clerk"}, {"answer"}},
      {"completed", {"municipal-admin", "clerk"}, {}},
      {"rejected", {"clerk"}, {}},
      {"archived", {"municipal-admin"}, {}},
  };
  Workflow w = Default();
  for (const Case& c : cases) {
    std::string label = std::string(c.state) + " as";
    for (const std::string& r : c.roles) label += " " + r;
    EXPECT_EQ(Actions(AllowedTransitions(w, c.state, c.roles)), c.actions) << label;
  }
}

TEST(AllowedTransitions, MunicipalAdminDoesNotTakeResidentOnlyTransitions) {
  Workflow w = Default();
  MutableTransition(w, "answer")->roles = {"resident"};
  EXPECT_TRUE(AllowedTransitions(w, "needs_info", {"municipal-admin"}).empty());
  EXPECT_TRUE(AllowedTransitions(w, "needs_info", {"counter-clerk"}).empty());
  EXPECT_EQ(Actions(AllowedTransitions(w, "needs_info", {"resident"})),
            std::vector<std::string>{"answer"});
}

TEST(AllowedTransitions, PointsIntoTheWorkflow) {
  Workflow w = Default();
  auto allowed = AllowedTransitions(w, "in_review", {"clerk"});
  ASSERT_EQ(allowed.size(), 3u);
  EXPECT_EQ(allowed[2], w.FindTransition("in_review", "reject"));
}

// ---- JSON ------------------------------------------------------------------------------------

Workflow Small() {
  Workflow w;
  w.initial = "open";
  w.states = {{"open", {"مفتوح", "Open"}, false, 4, true},
              {"waiting", {"بانتظار \"المواطن\"", "Waiting"}, false, 0, false},
              {"closed", {"مغلق", "Closed"}, true, 0, true, false, "completed"}};
  w.transitions = {{"open", "waiting", "ask", {"سؤال", "Ask"}, {"clerk"}, true},
                   {"waiting", "open", "reply", {"رد", "Reply"}, {"resident", "counter-clerk"}},
                   {"open", "closed", "close", {"إغلاق", "Close"}, {"department-head"}}};
  return w;
}

TEST(WorkflowJson, RoundTrips) {
  for (const Workflow& w : {Default(), Small()}) {
    auto parsed = ParseWorkflow(WorkflowToJson(w));
    ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
    EXPECT_EQ(*parsed, w);
  }
}

TEST(WorkflowJson, ExactShape) {
  Workflow w;
  w.states = {{"submitted", {"م", "S"}, false, 2, true}, {"done", {"ت", "D"}, true, 0, false}};
  w.transitions = {{"submitted", "done", "finish", {"إ", "F"}, {"clerk", "resident"}, true}};
  EXPECT_EQ(
      WorkflowToJson(w),
      R"({"initial":"submitted","states":[)"
      R"({"key":"submitted","label":{"ar":"م","en":"S"},"final":false,"sla_days":2,)"
      R"("municipality_acts":true},)"
      R"({"key":"done","label":{"ar":"ت","en":"D"},"final":true,"sla_days":0,)"
      R"("municipality_acts":false,"outcome":"completed"}],)"
      R"("transitions":[{"from":"submitted","to":"done","action":"finish",)"
      R"("label":{"ar":"إ","en":"F"},"roles":["clerk","resident"],"comment_required":true}]})");
}

TEST(WorkflowJson, OptionalMembersTakeTheirDefaults) {
  auto parsed = ParseWorkflow(R"({"states":[{"key":"submitted","label":{"ar":"م","en":"S"}},)"
                              R"({"key":"done","label":{"ar":"ت","en":"D"},"final":true}],)"
                              R"("transitions":[{"from":"submitted","to":"done","action":"finish",)"
                              R"("label":{"ar":"إ","en":"F"},"roles":["clerk"]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->initial, "submitted");
  EXPECT_EQ(parsed->states[0].sla_days, 0);
  EXPECT_TRUE(parsed->states[0].municipality_acts);
  EXPECT_FALSE(parsed->states[0].final);
  EXPECT_FALSE(parsed->transitions[0].comment_required);
}

TEST(Outcome, DefaultWorkflowSaysHowEachFinalStateEnds) {
  const Workflow w = Default();
  EXPECT_EQ(w.FindState("completed")->outcome, "completed");
  EXPECT_EQ(w.FindState("rejected")->outcome, "rejected");
  EXPECT_EQ(w.FindState("in_review")->outcome, "");
  EXPECT_EQ(OutcomeOf(*w.FindState("in_review")), "");
}

TEST(Outcome, AStoredWorkflowWithoutOutcomesReadsThemFromTheKeys) {
  // As stored before final states had outcomes.
  auto parsed = ParseWorkflow(
      R"({"states":[{"key":"submitted","label":{"ar":"م","en":"S"}},)"
      R"({"key":"done","label":{"ar":"ت","en":"D"},"final":true},)"
      R"({"key":"refused","label":{"ar":"ر","en":"R"},"final":true},)"
      R"({"key":"withdrawn","label":{"ar":"س","en":"W"},"final":true},)"
      R"({"key":"duplicate","label":{"ar":"ك","en":"Dup"},"final":true}],)"
      R"("transitions":[{"from":"submitted","to":"done","action":"finish","label":{"ar":"إ","en":"F"},"roles":["clerk"]},)"
      R"({"from":"submitted","to":"refused","action":"refuse","label":{"ar":"ر","en":"R"},"roles":["clerk"]},)"
      R"({"from":"submitted","to":"withdrawn","action":"withdraw","label":{"ar":"س","en":"W"},"roles":["resident"]},)"
      R"({"from":"submitted","to":"duplicate","action":"dup","label":{"ar":"ك","en":"D"},"roles":["clerk"]}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->FindState("submitted")->outcome, "");
  EXPECT_EQ(parsed->FindState("done")->outcome, "completed");
  EXPECT_EQ(parsed->FindState("refused")->outcome, "rejected");
  EXPECT_EQ(parsed->FindState("withdrawn")->outcome, "withdrawn");
  EXPECT_EQ(parsed->FindState("duplicate")->outcome, "merged");
  // Written back, each final state says its outcome.
  EXPECT_NE(WorkflowToJson(*parsed).find(R"("key":"refused","label":{"ar":"ر","en":"R"},)"
                                         R"("final":true,"sla_days":0,"municipality_acts":true,)"
                                         R"("outcome":"rejected")"),
            std::string::npos);
}

TEST(Outcome, AnOutcomeSetWinsOverTheKeyAndRoundTrips) {
  Workflow w = Small();
  w.states[2].key = "rejected_late";
  w.states[2].outcome = "completed";  // the key suggests a rejection; the outcome says not
  w.transitions[2].to = "rejected_late";
  ASSERT_TRUE(Validate(w).ok());
  auto parsed = ParseWorkflow(WorkflowToJson(w));
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->states[2].outcome, "completed");
  EXPECT_EQ(*parsed, w);
}

TEST(Outcome, RefusesAnUnknownOutcomeAndIgnoresOneOnAStateThatIsNotFinal) {
  Workflow unknown = Small();
  unknown.states[2].outcome = "approved";
  Status st = Validate(unknown);
  ASSERT_FALSE(st.ok());
  ASSERT_EQ(st.error().problems.size(), 1u);
  EXPECT_EQ(st.error().problems[0].key, "workflow.problem.outcome");
  EXPECT_EQ(st.error().problems[0].path, (Path{"states", size_t{2}, "outcome"}));
  // A state made not final keeps no outcome: none is read from it, none written.
  Workflow not_final = Small();
  not_final.states[0].outcome = "rejected";
  EXPECT_TRUE(Validate(not_final).ok());
  EXPECT_EQ(OutcomeOf(not_final.states[0]), "");
  EXPECT_EQ(WorkflowToJson(not_final).find(R"("outcome":"rejected")"), std::string::npos);
  auto parsed =
      ParseWorkflow(R"({"states":[{"key":"submitted","label":{"ar":"م","en":"S"}},)"
                    R"({"key":"done","label":{"ar":"ت","en":"D"},"final":true,"outcome":"fine"}],)"
                    R"("transitions":[{"from":"submitted","to":"done","action":"finish",)"
                    R"("label":{"ar":"إ","en":"F"},"roles":["clerk"]}]})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().problems[0].key, "workflow.problem.outcome");
}

TEST(WorkflowJson, RefusesMalformedInput) {
  // A valid document with one member replaced; each case names the problem in the detail.
  const std::string state = R"({"key":"submitted","label":{"ar":"م","en":"S"}})";
  const std::string done = R"({"key":"done","label":{"ar":"ت","en":"D"},"final":true})";
  const std::string transition =
      R"({"from":"submitted","to":"done","action":"finish","label":{"ar":"إ","en":"F"},)"
      R"("roles":["clerk"]})";
  auto doc = [&](const std::string& s, const std::string& t) {
    return R"({"states":[)" + s + "," + done + R"(],"transitions":[)" + t + "]}";
  };
  auto replace = [](std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  ASSERT_TRUE(ParseWorkflow(doc(state, transition)).ok());
  struct Case {
    std::string json;
    const char* detail;
    const char* where;  // the problem's path and key
  };
  const Case cases[] = {
      {"", "invalid JSON: ", " workflow.problem.malformed"},
      {"{", "invalid JSON: ", " workflow.problem.malformed"},
      {"[]", "the workflow is not a JSON object", " workflow.problem.malformed"},
      {R"({"states":[],"transitions":[],"name":"x"})", "workflow: unknown member 'name'",
       " workflow.problem.malformed"},
      {R"({"initial":3,"states":[],"transitions":[]})", "workflow: 'initial' is not a string",
       " workflow.problem.malformed"},
      {R"({"transitions":[]})", "workflow: 'states' is missing or not an array",
       "states workflow.problem.malformed"},
      {R"({"states":{},"transitions":[]})", "workflow: 'states' is missing or not an array",
       "states workflow.problem.malformed"},
      {R"({"states":[]})", "workflow: 'transitions' is missing or not an array",
       "transitions workflow.problem.malformed"},
      {R"({"states":[],"transitions":[]})", "the workflow has no states",
       "states workflow.problem.no_states"},
      {doc("7", transition), "state 1: not an object", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"("key":"submitted")", R"("key":1)"), transition),
       "state 1: 'key' is not a string", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"("key":"submitted",)", ""), transition), "state 1: 'key' is missing",
       "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"(,"label":{"ar":"م","en":"S"})", ""), transition),
       "state 1: 'label' is missing", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"({"ar":"م","en":"S"})", R"("S")"), transition),
       "state 1 label: not an object", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"("en":"S")", R"("en":"S","fr":"S")"), transition),
       "state 1 label: unknown member 'fr'", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"("en":"S")", R"("en":null)"), transition),
       "state 1 label: 'en' is not a string", "states[0] workflow.problem.malformed"},
      {doc(replace(state, R"("en":"S")", R"("en":"")"), transition),
       "state 'submitted' has no English label", "states[0].label.en workflow.problem.state_label"},
      {doc(replace(state, "}}", R"(},"final":"no"})"), transition),
       "state 1: 'final' is not true or false", "states[0] workflow.problem.malformed"},
      {doc(replace(state, "}}", R"(},"sla_days":"2"})"), transition),
       "state 1: 'sla_days' is not a whole number of days", "states[0] workflow.problem.malformed"},
      {doc(replace(state, "}}", R"(},"sla_days":2.5})"), transition),
       "state 1: 'sla_days' is not a whole number of days", "states[0] workflow.problem.malformed"},
      {doc(replace(state, "}}", R"(},"sla_days":99999999999})"), transition),
       "state 1: 'sla_days' is not a whole number of days", "states[0] workflow.problem.malformed"},
      {doc(replace(state, "}}", R"(},"sla_days":400})"), transition),
       "state 'submitted' has an SLA of 400 days (0 to 365 allowed)",
       "states[0].sla_days workflow.problem.sla"},
      {doc(replace(state, "}}", R"(},"municipality_acts":1})"), transition),
       "state 1: 'municipality_acts' is not true or false", "states[0] workflow.problem.malformed"},
      {doc(replace(state, "}}", R"(},"sla":2})"), transition), "state 1: unknown member 'sla'",
       "states[0] workflow.problem.malformed"},
      {doc(state, "[]"), "transition 1: not an object",
       "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"("to":"done",)", "")), "transition 1: 'to' is missing",
       "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"("from":"submitted")", R"("from":false)")),
       "transition 1: 'from' is not a string", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"("action":"finish")", R"("action":["finish"])")),
       "transition 1: 'action' is not a string", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(["clerk"])", R"("clerk")")),
       "transition 1: 'roles' is not an array", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(["clerk"])", R"(["clerk",7])")),
       "transition 1: a role is not a string", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(,"roles":["clerk"])", "")),
       "transition 1: 'roles' is missing", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(["clerk"])", R"(["clerk"],"comment_required":"yes")")),
       "transition 1: 'comment_required' is not true or false",
       "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(["clerk"])", R"(["clerk"],"sla_days":1)")),
       "transition 1: unknown member 'sla_days'", "transitions[0] workflow.problem.malformed"},
      {doc(state, replace(transition, R"(["clerk"])", R"(["janitor"])")),
       "transition 'finish' from 'submitted' names unknown role 'janitor'",
       "transitions[0].roles[0] workflow.problem.unknown_role"},
      {doc(state, replace(transition, R"("label":{"ar":"إ","en":"F"},)", "")),
       "transition 1: 'label' is missing", "transitions[0] workflow.problem.malformed"},
      {R"({"states":[[[[[[[[[[]]]]]]]]]],"transitions":[]})",
       "invalid JSON: ", " workflow.problem.malformed"},
  };
  for (const Case& c : cases) {
    auto parsed = ParseWorkflow(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid) << c.json;
    EXPECT_EQ(parsed.error().message_key, "workflow.invalid") << c.json;
    const std::string& detail = parsed.error().detail;
    if (std::string_view(c.detail).ends_with(": ")) {
      EXPECT_TRUE(detail.starts_with(c.detail)) << c.json << " -> " << detail;
    } else {
      EXPECT_EQ(detail, c.detail) << c.json;
    }
    ASSERT_FALSE(parsed.error().problems.empty()) << c.json;
    const Problem& first = parsed.error().problems.front();
    EXPECT_EQ(PathText(first.path) + " " + first.key, c.where) << c.json;
  }
}

}  // namespace
}  // namespace baladiya::workflow

namespace baladiya::workflow {
namespace {

// A state that awaits payment between approval and the approved state, left by "paid".
Workflow WithPayment() {
  Workflow w = DefaultWorkflow(TestCatalog());
  w.states.push_back(
      {"awaiting_payment", {"بانتظار الدفع", "Awaiting payment"}, false, 0, false, true});
  for (Transition& t : w.transitions) {
    if (t.action == "approve") t.to = "awaiting_payment";
  }
  w.transitions.push_back(
      {"awaiting_payment", "approved", "paid", {"دُفع", "Paid"}, {"department-head"}, false});
  return w;
}

TEST(AwaitsPayment, IsValidWithAPaidTransitionAndRoundTrips) {
  const Workflow w = WithPayment();
  EXPECT_TRUE(Validate(w).ok());
  auto parsed = ParseWorkflow(WorkflowToJson(w));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, w);
  EXPECT_NE(WorkflowToJson(w).find("\"awaits_payment\":true"), std::string::npos);
  // Written only where true: other workflows' JSON is unchanged.
  EXPECT_EQ(WorkflowToJson(Default()).find("awaits_payment"), std::string::npos);
}

TEST(AwaitsPayment, RefusesAFinalOrInitialStateAndOneWithoutAPaidTransition) {
  struct Case {
    const char* name;
    std::function<void(Workflow&)> change;
    const char* problem;
    size_t state;
  };
  const Case cases[] = {
      {"no paid transition", [](Workflow& w) { w.transitions.back().action = "settled"; },
       "workflow.problem.payment_exit", 6},
      {"final", [](Workflow& w) { w.states[4].awaits_payment = true; },
       "workflow.problem.payment_final", 4},
      {"initial", [](Workflow& w) { w.states[0].awaits_payment = true; },
       "workflow.problem.payment_initial", 0},
  };
  for (const Case& c : cases) {
    Workflow w = WithPayment();
    c.change(w);
    Status s = Validate(w);
    ASSERT_FALSE(s.ok()) << c.name;
    ASSERT_FALSE(s.error().problems.empty()) << c.name;
    EXPECT_EQ(s.error().problems[0].key, c.problem) << c.name;
    EXPECT_EQ(s.error().problems[0].path, (Path{"states", c.state, "awaits_payment"})) << c.name;
  }
}

TEST(AwaitsPayment, NobodyTakesThePaidTransitionByHand) {
  const Workflow w = WithPayment();
  for (const auto& roles : std::vector<std::vector<std::string>>{
           {"department-head"}, {"municipal-admin"}, {"clerk"}, {"resident"}}) {
    for (const Transition* t : AllowedTransitions(w, "awaiting_payment", roles)) {
      EXPECT_NE(t->action, "paid") << roles[0];
    }
  }
  EXPECT_NE(w.FindTransition("awaiting_payment", kPaidAction), nullptr);
}

}  // namespace
}  // namespace baladiya::workflow
