// Workflows: the default one, validation, JSON, and who may take which transition (workflow.h).
#include "workflow/workflow.h"

#include <algorithm>
#include <boost/json.hpp>
#include <deque>
#include <exception>
#include <initializer_list>
#include <limits>
#include <map>
#include <utility>

#include "identity/identity.h"

namespace baladiya::workflow {
namespace {

constexpr std::string_view kInvalidKey = "workflow.invalid";
constexpr std::string_view kResident = "resident";
constexpr std::string_view kMunicipalAdmin = "municipal-admin";
// An SLA longer than a year of working days is a typing error, not a service promise.
constexpr int64_t kMaxSlaDays = 365;
// The JSON a municipal admin saves nests four levels at most; anything deeper is refused early.
constexpr std::size_t kMaxJsonDepth = 8;

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, std::string(kInvalidKey), std::move(detail));
}

// [a-z][a-z0-9_]{0,39}
bool ValidKey(std::string_view key) {
  if (key.empty() || key.size() > 40 || key.front() < 'a' || key.front() > 'z') return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Name(const Transition& t) {
  return "transition " + Quoted(t.action) + " from " + Quoted(t.from);
}

// What Validate finds: every problem, and the first one's detail for logs.
class Findings {
 public:
  void Add(std::string detail, Path path, std::string key,
           std::map<std::string, std::string> args = {}) {
    if (first_.empty()) first_ = std::move(detail);
    problems_.push_back({std::move(path), std::move(key), std::move(args)});
  }
  bool empty() const { return problems_.empty(); }
  Status ToStatus() && {
    if (problems_.empty()) return Ok();
    Error e = Invalid(std::move(first_));
    e.problems = std::move(problems_);
    return e;
  }

 private:
  std::string first_;
  std::vector<Problem> problems_;
};

// A missing label in either language: the detail's words and the language.
constexpr std::pair<const char*, const char*> kLabelLanguages[] = {{"has no Arabic label", "ar"},
                                                                   {"has no English label", "en"}};

catalog::Text Label(const i18n::Catalog& catalog, const std::string& key) {
  return {catalog.Get(i18n::Lang::kAr, key), catalog.Get(i18n::Lang::kEn, key)};
}

// The states reachable from any of `starts` following edges (from -> to), starts included.
std::set<std::string> Reachable(const std::map<std::string, std::vector<std::string>>& edges,
                                const std::vector<std::string>& starts) {
  std::set<std::string> seen(starts.begin(), starts.end());
  std::deque<std::string> queue(starts.begin(), starts.end());
  while (!queue.empty()) {
    std::string key = std::move(queue.front());
    queue.pop_front();
    auto it = edges.find(key);
    if (it == edges.end()) continue;
    for (const std::string& next : it->second) {
      if (seen.insert(next).second) queue.push_back(next);
    }
  }
  return seen;
}

void ValidateStates(const Workflow& w, Findings& found) {
  if (w.states.empty()) {
    found.Add("the workflow has no states", {"states"}, "workflow.problem.no_states");
    return;
  }
  std::set<std::string_view> keys;
  bool any_final = false;
  for (size_t i = 0; i < w.states.size(); ++i) {
    const State& s = w.states[i];
    const std::string name = "state " + Quoted(s.key);
    if (!ValidKey(s.key)) {
      found.Add("state key " + Quoted(s.key) + " is malformed", {"states", i, "key"},
                "workflow.problem.bad_key", {{"key", s.key}});
    } else if (!keys.insert(s.key).second) {
      found.Add(name + " is defined twice", {"states", i, "key"}, "workflow.problem.state_twice",
                {{"key", s.key}});
    }
    for (const auto& [missing, lang] : kLabelLanguages) {
      if (!(std::string_view(lang) == "ar" ? s.label.ar : s.label.en).empty()) continue;
      found.Add(name + " " + missing, {"states", i, "label", lang}, "workflow.problem.state_label",
                {{"state", s.key}, {"in", lang}});
    }
    if (s.sla_days < 0 || s.sla_days > kMaxSlaDays) {
      found.Add(name + " has an SLA of " + std::to_string(s.sla_days) + " days (0 to " +
                    std::to_string(kMaxSlaDays) + " allowed)",
                {"states", i, "sla_days"}, "workflow.problem.sla",
                {{"max", std::to_string(kMaxSlaDays)}});
    }
    if (s.awaits_payment && s.final) {
      found.Add(name + " is final and cannot await payment", {"states", i, "awaits_payment"},
                "workflow.problem.payment_final", {{"state", s.key}});
    } else if (s.awaits_payment && s.key == w.initial) {
      found.Add(name + " is the initial state and cannot await payment",
                {"states", i, "awaits_payment"}, "workflow.problem.payment_initial",
                {{"state", s.key}});
    }
    // An outcome left on a state that is no longer final is ignored (OutcomeOf; not written).
    if (s.final && !s.outcome.empty() &&
        std::find(Outcomes().begin(), Outcomes().end(), s.outcome) == Outcomes().end()) {
      found.Add(name + " has outcome " + Quoted(s.outcome) + ", which is not one",
                {"states", i, "outcome"}, "workflow.problem.outcome",
                {{"state", s.key}, {"outcome", s.outcome}});
    }
    any_final = any_final || s.final;
  }
  if (w.FindState(w.initial) == nullptr) {
    found.Add("initial state " + Quoted(w.initial) + " is not defined", {"initial"},
              "workflow.problem.initial_missing", {{"initial", w.initial}});
  }
  if (!any_final) found.Add("no state is final", {"states"}, "workflow.problem.no_final");
}

// States by key, so that checking many transitions stays cheap.
using StateIndex = std::map<std::string_view, const State*>;

void ValidateTransition(const StateIndex& states, const Transition& t, size_t i, Findings& found) {
  const std::map<std::string, std::string> which = {{"action", t.action}, {"from", t.from}};
  auto with = [&](std::initializer_list<std::pair<const std::string, std::string>> more) {
    std::map<std::string, std::string> args = which;
    args.insert(more);
    return args;
  };
  if (!ValidKey(t.action)) {
    found.Add("action " + Quoted(t.action) + " is malformed", {"transitions", i, "action"},
              "workflow.problem.bad_action", which);
  }
  auto from = states.find(t.from);
  if (from == states.end()) {
    found.Add(Name(t) + " starts at an unknown state", {"transitions", i, "from"},
              "workflow.problem.unknown_state", {{"state", t.from}});
  }
  if (!states.contains(t.to)) {
    found.Add(Name(t) + " leads to unknown state " + Quoted(t.to), {"transitions", i, "to"},
              "workflow.problem.unknown_state", {{"state", t.to}});
  }
  if (from != states.end() && from->second->final) {
    found.Add(Name(t) + " leaves final state " + Quoted(t.from), {"transitions", i, "from"},
              "workflow.problem.leaves_final", {{"state", t.from}});
  }
  if (t.roles.empty()) {
    found.Add(Name(t) + " has no roles", {"transitions", i, "roles"}, "workflow.problem.no_roles",
              which);
  }
  for (size_t r = 0; r < t.roles.size(); ++r) {
    if (identity::ParseRole(t.roles[r])) continue;
    found.Add(Name(t) + " names unknown role " + Quoted(t.roles[r]), {"transitions", i, "roles", r},
              "workflow.problem.unknown_role", with({{"role", t.roles[r]}}));
  }
  for (const auto& [missing, lang] : kLabelLanguages) {
    if (!(std::string_view(lang) == "ar" ? t.label.ar : t.label.en).empty()) continue;
    found.Add(Name(t) + " " + missing, {"transitions", i, "label", lang},
              "workflow.problem.transition_label", with({{"in", lang}}));
  }
}

void ValidateGraph(const Workflow& w, Findings& found) {
  std::map<std::string, std::vector<std::string>> forward;
  std::map<std::string, std::vector<std::string>> backward;
  for (const Transition& t : w.transitions) {
    forward[t.from].push_back(t.to);
    backward[t.to].push_back(t.from);
  }
  std::set<std::string> from_initial = Reachable(forward, {w.initial});
  for (size_t i = 0; i < w.states.size(); ++i) {
    const State& s = w.states[i];
    if (from_initial.contains(s.key)) continue;
    found.Add("state " + Quoted(s.key) + " cannot be reached from " + Quoted(w.initial),
              {"states", i}, "workflow.problem.unreachable",
              {{"state", s.key}, {"initial", w.initial}});
  }
  std::vector<std::string> finals;
  for (const State& s : w.states) {
    if (s.final) finals.push_back(s.key);
  }
  std::set<std::string> reach_final = Reachable(backward, finals);
  for (size_t i = 0; i < w.states.size(); ++i) {
    const State& s = w.states[i];
    if (reach_final.contains(s.key)) continue;
    found.Add("no final state can be reached from state " + Quoted(s.key), {"states", i},
              "workflow.problem.dead_end", {{"state", s.key}});
  }
}

// ---- JSON reading: each function returns an empty string or the first problem found --------

using boost::json::object;
using boost::json::value;

std::string CheckMembers(const object& o, std::initializer_list<std::string_view> allowed,
                         std::string_view where) {
  for (const auto& member : o) {
    if (std::find(allowed.begin(), allowed.end(), member.key()) == allowed.end()) {
      return std::string(where) + ": unknown member " + Quoted(member.key());
    }
  }
  return {};
}

// Leaves *out unchanged when the member is absent and not required.
std::string ReadString(const object& o, std::string_view name, std::string_view where,
                       bool required, std::string* out) {
  const value* v = o.if_contains(name);
  if (v == nullptr) {
    return required ? std::string(where) + ": " + Quoted(name) + " is missing" : std::string();
  }
  const boost::json::string* s = v->if_string();
  if (s == nullptr) return std::string(where) + ": " + Quoted(name) + " is not a string";
  *out = std::string(s->data(), s->size());
  return {};
}

std::string ReadBool(const object& o, std::string_view name, std::string_view where, bool* out) {
  const value* v = o.if_contains(name);
  if (v == nullptr) return {};
  const bool* b = v->if_bool();
  if (b == nullptr) return std::string(where) + ": " + Quoted(name) + " is not true or false";
  *out = *b;
  return {};
}

std::string ReadDays(const object& o, std::string_view name, std::string_view where, int* out) {
  const value* v = o.if_contains(name);
  if (v == nullptr) return {};
  // The range itself is Validate's to judge; here only what fits in an int.
  const int64_t* i = v->if_int64();
  if (i == nullptr || *i < std::numeric_limits<int>::min() ||
      *i > std::numeric_limits<int>::max()) {
    return std::string(where) + ": " + Quoted(name) + " is not a whole number of days";
  }
  *out = static_cast<int>(*i);
  return {};
}

std::string ReadText(const object& o, std::string_view name, std::string_view where,
                     catalog::Text* out) {
  const value* v = o.if_contains(name);
  if (v == nullptr) return std::string(where) + ": " + Quoted(name) + " is missing";
  const object* text = v->if_object();
  std::string inner = std::string(where) + " " + std::string(name);
  if (text == nullptr) return inner + ": not an object";
  std::string problem = CheckMembers(*text, {"ar", "en"}, inner);
  if (problem.empty()) problem = ReadString(*text, "ar", inner, false, &out->ar);
  if (problem.empty()) problem = ReadString(*text, "en", inner, false, &out->en);
  return problem;
}

std::string ReadState(const value& v, std::string_view where, State* s) {
  const object* o = v.if_object();
  if (o == nullptr) return std::string(where) + ": not an object";
  std::string problem = CheckMembers(
      *o, {"key", "label", "final", "sla_days", "municipality_acts", "awaits_payment", "outcome"},
      where);
  if (problem.empty()) problem = ReadString(*o, "key", where, true, &s->key);
  if (problem.empty()) problem = ReadText(*o, "label", where, &s->label);
  if (problem.empty()) problem = ReadBool(*o, "final", where, &s->final);
  if (problem.empty()) problem = ReadDays(*o, "sla_days", where, &s->sla_days);
  if (problem.empty()) problem = ReadBool(*o, "municipality_acts", where, &s->municipality_acts);
  if (problem.empty()) problem = ReadBool(*o, "awaits_payment", where, &s->awaits_payment);
  if (problem.empty() && o->contains("outcome")) {
    problem = ReadString(*o, "outcome", where, false, &s->outcome);
  }
  // Stored before final states had outcomes: the key says which.
  if (problem.empty() && s->final && s->outcome.empty()) s->outcome = DefaultOutcome(s->key);
  return problem;
}

std::string ReadRoles(const object& o, std::string_view where, std::vector<std::string>* out) {
  const value* v = o.if_contains("roles");
  if (v == nullptr) return std::string(where) + ": 'roles' is missing";
  const boost::json::array* roles = v->if_array();
  if (roles == nullptr) return std::string(where) + ": 'roles' is not an array";
  for (const value& role : *roles) {
    const boost::json::string* s = role.if_string();
    if (s == nullptr) return std::string(where) + ": a role is not a string";
    out->emplace_back(s->data(), s->size());
  }
  return {};
}

std::string ReadTransition(const value& v, std::string_view where, Transition* t) {
  const object* o = v.if_object();
  if (o == nullptr) return std::string(where) + ": not an object";
  std::string problem =
      CheckMembers(*o, {"from", "to", "action", "label", "roles", "comment_required"}, where);
  if (problem.empty()) problem = ReadString(*o, "from", where, true, &t->from);
  if (problem.empty()) problem = ReadString(*o, "to", where, true, &t->to);
  if (problem.empty()) problem = ReadString(*o, "action", where, true, &t->action);
  if (problem.empty()) problem = ReadText(*o, "label", where, &t->label);
  if (problem.empty()) problem = ReadRoles(*o, where, &t->roles);
  if (problem.empty()) problem = ReadBool(*o, "comment_required", where, &t->comment_required);
  return problem;
}

const boost::json::array* ArrayMember(const object& o, std::string_view name) {
  const value* v = o.if_contains(name);
  return v == nullptr ? nullptr : v->if_array();
}

// A document whose shape is wrong where path leads (the whole document when empty).
Error Malformed(std::string detail, Path path = {}) {
  Error e = Invalid(std::move(detail));
  e.problems.push_back({std::move(path), "workflow.problem.malformed", {}});
  return e;
}

Result<Workflow> ReadWorkflow(const value& root) {
  const object* o = root.if_object();
  if (o == nullptr) return Malformed("the workflow is not a JSON object");
  Workflow w;
  std::string problem = CheckMembers(*o, {"initial", "states", "transitions"}, "workflow");
  if (problem.empty()) problem = ReadString(*o, "initial", "workflow", false, &w.initial);
  if (!problem.empty()) return Malformed(problem);
  const boost::json::array* states = ArrayMember(*o, "states");
  const boost::json::array* transitions = ArrayMember(*o, "transitions");
  if (states == nullptr)
    return Malformed("workflow: 'states' is missing or not an array", {"states"});
  if (transitions == nullptr) {
    return Malformed("workflow: 'transitions' is missing or not an array", {"transitions"});
  }
  for (std::size_t i = 0; i < states->size(); ++i) {
    problem = ReadState((*states)[i], "state " + std::to_string(i + 1), &w.states.emplace_back());
    if (!problem.empty()) return Malformed(problem, {"states", i});
  }
  for (std::size_t i = 0; i < transitions->size(); ++i) {
    problem = ReadTransition((*transitions)[i], "transition " + std::to_string(i + 1),
                             &w.transitions.emplace_back());
    if (!problem.empty()) return Malformed(problem, {"transitions", i});
  }
  Status valid = Validate(w);
  if (!valid.ok()) return std::move(valid).error();
  return w;
}

boost::json::object TextToJson(const catalog::Text& text) {
  return {{"ar", text.ar}, {"en", text.en}};
}

}  // namespace

const State* Workflow::FindState(std::string_view key) const {
  for (const State& s : states) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

const Transition* Workflow::FindTransition(std::string_view from, std::string_view action) const {
  for (const Transition& t : transitions) {
    if (t.from == from && t.action == action) return &t;
  }
  return nullptr;
}

const std::vector<std::string>& Outcomes() {
  static const std::vector<std::string> kOutcomes = {"completed", "rejected", "withdrawn",
                                                     "merged"};
  return kOutcomes;
}

std::string DefaultOutcome(std::string_view key) {
  auto starts = [&](std::string_view p) { return key.substr(0, p.size()) == p; };
  if (starts("reject") || starts("refus") || key == "denied") return "rejected";
  if (starts("withdraw") || starts("cancel")) return "withdrawn";
  if (key == "duplicate" || key == "merged") return "merged";
  return "completed";
}

std::string OutcomeOf(const State& s) {
  if (!s.final) return {};
  return s.outcome.empty() ? DefaultOutcome(s.key) : s.outcome;
}

Workflow DefaultWorkflow(const i18n::Catalog& catalog) {
  struct StateSpec {
    const char* key;
    int sla_days;
    bool final;
    bool municipality_acts;
  };
  static constexpr StateSpec kStates[] = {
      // key, SLA, final, municipality acts
      {"submitted", 2, false, true}, {"in_review", 5, false, true}, {"needs_info", 0, false, false},
      {"approved", 3, false, true},  {"completed", 0, true, true},  {"rejected", 0, true, true},
  };
  struct TransitionSpec {
    const char* from;
    const char* to;
    const char* action;
    bool staff;  // clerk and department head; otherwise the resident or a counter clerk
    bool comment_required;
  };
  static constexpr TransitionSpec kTransitions[] = {
      {"submitted", "in_review", "start_review", true, false},
      {"in_review", "needs_info", "ask_info", true, true},
      {"needs_info", "in_review", "answer", false, false},
      {"in_review", "approved", "approve", true, false},
      {"in_review", "rejected", "reject", true, true},
      {"approved", "completed", "complete", true, false},
  };
  Workflow w;
  w.initial = "submitted";
  for (const StateSpec& spec : kStates) {
    w.states.push_back({spec.key, Label(catalog, std::string("workflow.state.") + spec.key),
                        spec.final, spec.sla_days, spec.municipality_acts, false,
                        spec.final ? DefaultOutcome(spec.key) : std::string()});
  }
  for (const TransitionSpec& spec : kTransitions) {
    std::vector<std::string> roles;
    if (spec.staff) {
      roles = {"clerk", "department-head"};
    } else {
      roles = {"resident", "counter-clerk"};
    }
    w.transitions.push_back({spec.from, spec.to, spec.action,
                             Label(catalog, std::string("workflow.action.") + spec.action),
                             std::move(roles), spec.comment_required});
  }
  return w;
}

Status Validate(const Workflow& w) {
  Findings found;
  // Each stage assumes the one before found nothing: transitions need sound states, and the
  // graph sound transitions.
  ValidateStates(w, found);
  if (!found.empty()) return std::move(found).ToStatus();
  StateIndex index;
  for (const State& s : w.states) index.emplace(s.key, &s);
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (size_t i = 0; i < w.transitions.size(); ++i) {
    const Transition& t = w.transitions[i];
    ValidateTransition(index, t, i, found);
    if (!seen.insert({t.from, t.action}).second) {
      found.Add(Name(t) + " is defined twice", {"transitions", i, "action"},
                "workflow.problem.transition_twice", {{"action", t.action}, {"from", t.from}});
    }
  }
  for (size_t i = 0; i < w.states.size(); ++i) {
    const State& st = w.states[i];
    if (!st.awaits_payment || w.FindTransition(st.key, kPaidAction) != nullptr) continue;
    found.Add("state " + Quoted(st.key) + " awaits payment but has no transition " +
                  Quoted(kPaidAction) + " out of it",
              {"states", i, "awaits_payment"}, "workflow.problem.payment_exit",
              {{"state", st.key}, {"action", std::string(kPaidAction)}});
  }
  if (!found.empty()) return std::move(found).ToStatus();
  ValidateGraph(w, found);
  return std::move(found).ToStatus();
}

Result<Workflow> ParseWorkflow(std::string_view json) {
  boost::json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  std::error_code ec;
  // parse() reports syntax errors through ec; only allocation failure could throw.
  try {
    value root = boost::json::parse(json, ec, {}, options);
    if (ec) return Malformed("invalid JSON: " + ec.message());
    return ReadWorkflow(root);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     std::string("reading a workflow failed: ") + e.what());
  }
}

std::string WorkflowToJson(const Workflow& w) {
  boost::json::array states;
  for (const State& s : w.states) {
    boost::json::object state{{"key", s.key},
                              {"label", TextToJson(s.label)},
                              {"final", s.final},
                              {"sla_days", s.sla_days},
                              {"municipality_acts", s.municipality_acts}};
    if (s.awaits_payment) state["awaits_payment"] = true;
    if (s.final) state["outcome"] = OutcomeOf(s);
    states.push_back(std::move(state));
  }
  boost::json::array transitions;
  for (const Transition& t : w.transitions) {
    boost::json::array roles;
    for (const std::string& role : t.roles) roles.emplace_back(role);
    transitions.push_back(boost::json::object{{"from", t.from},
                                              {"to", t.to},
                                              {"action", t.action},
                                              {"label", TextToJson(t.label)},
                                              {"roles", std::move(roles)},
                                              {"comment_required", t.comment_required}});
  }
  boost::json::object root{{"initial", w.initial},
                           {"states", std::move(states)},
                           {"transitions", std::move(transitions)}};
  return boost::json::serialize(root);
}

std::vector<const Transition*> AllowedTransitions(const Workflow& w, std::string_view state,
                                                  const std::vector<std::string>& roles) {
  // Someone acting as the applicant gets the applicant's transitions only, whatever staff roles
  // they also hold: nobody works their own case.
  const bool as_resident = Contains(roles, kResident);
  const bool admin = Contains(roles, kMunicipalAdmin);
  std::vector<const Transition*> out;
  const State* from = w.FindState(state);
  for (const Transition& t : w.transitions) {
    if (t.from != state) continue;
    // A state awaiting payment is left by its payment (the payments module), never by hand.
    if (from != nullptr && from->awaits_payment && t.action == kPaidAction) continue;
    bool allowed = false;
    if (as_resident) {
      allowed = Contains(t.roles, kResident);
    } else {
      allowed = std::any_of(roles.begin(), roles.end(),
                            [&](const std::string& role) { return Contains(t.roles, role); }) ||
                (admin && std::any_of(t.roles.begin(), t.roles.end(),
                                      [](const std::string& role) { return role != kResident; }));
    }
    if (allowed) out.push_back(&t);
  }
  return out;
}

}  // namespace baladiya::workflow
