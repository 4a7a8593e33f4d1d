// The workflow editor: a service's states and transitions, each change checked with
// workflow::Validate; a state that open cases are in is never removed.
#include <algorithm>
#include <regex>

#include "cases/editor_internal.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"

namespace baladiya::cases::editor {
namespace {

using http::Request;
using http::Response;

// The roles that act on cases, offered for transitions: the applicant, and staff who work
// cases (a municipal admin may take every staff transition anyway).
constexpr const char* kRoles[] = {"resident", "counter-clerk", "clerk", "department-head",
                                  "municipal-admin"};

constexpr std::string_view kInUse = "editor.workflow.state_in_use";

class WorkflowPages : public Base {
 public:
  using Base::Base;

  Response Overview(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    return ShowOverview(req, *ctx, *wf, {}, req.query.Get("saved").has_value(), 200);
  }

  Response SetInitial(Request& req) {
    return Change(req, [&](const http::Params& form, workflow::Workflow& wf, Problems&) {
      wf.initial = Value(form, "initial");
      return true;
    });
  }

  // Back to the default workflow (stored as none, so its labels follow the catalogue).
  Response Reset(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    const http::Params form = req.Form();
    Problems problems;
    const int status = Commit(req, *ctx, form, std::nullopt, "", "", problems);
    return After(req, *ctx, status, [&] { return Stale(req, problems); });
  }

  // ---- states ------------------------------------------------------------------------------

  Response NewState(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    http::Params v;
    v.Add("municipality_acts", "yes");
    v.Add("sla_days", "0");
    return ShowStateForm(req, *ctx, "", v, {}, 200);
  }

  Response AddState(Request& req) { return EditState(req, ""); }

  Response StateForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const workflow::State* s = wf->FindState(req.PathParam("key"));
    if (!s) return o_.error_page(404, req);
    http::Params v;
    v.Add("key", s->key);
    v.Add("label_ar", s->label.ar);
    v.Add("label_en", s->label.en);
    if (s->final) v.Add("final", "yes");
    v.Add("sla_days", std::to_string(s->sla_days));
    if (s->municipality_acts) v.Add("municipality_acts", "yes");
    return ShowStateForm(req, *ctx, s->key, v, {}, 200);
  }

  Response SaveState(Request& req) { return EditState(req, std::string(req.PathParam("key"))); }

  // Removes a state and the transitions into and out of it.
  Response RemoveState(Request& req) {
    const std::string key(req.PathParam("key"));
    return Change(req, [&](const http::Params&, workflow::Workflow& wf, Problems& problems) {
      if (!wf.FindState(key)) return false;
      if (wf.initial == key) {
        problems.push_back(
            {"initial", T(render::RequestLang(req), "editor.workflow.initial_kept"), ""});
      }
      std::erase_if(wf.states, [&](const workflow::State& s) { return s.key == key; });
      std::erase_if(wf.transitions,
                    [&](const workflow::Transition& t) { return t.from == key || t.to == key; });
      return true;
    });
  }

  // ---- transitions -------------------------------------------------------------------------

  Response NewTransition(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    http::Params v;
    v.Add("roles", "clerk");
    v.Add("roles", "department-head");
    return ShowTransitionForm(req, *ctx, "", "", v, {}, 200);
  }

  Response AddTransition(Request& req) { return EditTransition(req, "", ""); }

  Response TransitionForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const workflow::Transition* t =
        wf->FindTransition(req.PathParam("from"), req.PathParam("action"));
    if (!t) return o_.error_page(404, req);
    http::Params v;
    v.Add("from", t->from);
    v.Add("to", t->to);
    v.Add("action", t->action);
    v.Add("label_ar", t->label.ar);
    v.Add("label_en", t->label.en);
    for (const auto& r : t->roles) v.Add("roles", r);
    if (t->comment_required) v.Add("comment_required", "yes");
    return ShowTransitionForm(req, *ctx, t->from, t->action, v, {}, 200);
  }

  Response SaveTransition(Request& req) {
    return EditTransition(req, std::string(req.PathParam("from")),
                          std::string(req.PathParam("action")));
  }

  Response RemoveTransition(Request& req) {
    const std::string from(req.PathParam("from"));
    const std::string action(req.PathParam("action"));
    return Change(req, [&](const http::Params&, workflow::Workflow& wf, Problems&) {
      const size_t before = wf.transitions.size();
      std::erase_if(wf.transitions, [&](const workflow::Transition& t) {
        return t.from == from && t.action == action;
      });
      return wf.transitions.size() != before;
    });
  }

 private:
  using Edit =
      std::function<bool(const http::Params& form, workflow::Workflow& wf, Problems& problems)>;

  // A change made from the overview: on refusal the overview shows why.
  Response Change(Request& req, const Edit& edit) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const http::Params form = req.Form();
    Problems problems;
    if (!edit(form, *wf, problems)) return Stale(req, {});
    const int status = Commit(req, *ctx, form, *wf, "", "", problems);
    return After(req, *ctx, status,
                 [&] { return ShowOverview(req, *ctx, *wf, problems, false, status); });
  }

  // Where a change goes: back to the overview when saved, the current workflow on a conflict,
  // `refused` (the page with the reasons) otherwise.
  Response After(const Request& req, const Context& ctx, int status,
                 const std::function<Response()>& refused) {
    if (status == 303) return Response::Redirect(ctx.href + "/workflow?saved=1");
    if (status == 409) return Stale(req, {});
    if (status >= 500) return o_.error_page(status, req);
    return refused();
  }

  // The current workflow, with the conflict (or the given problems).
  Response Stale(const Request& req, const Problems& problems) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    if (!problems.empty()) return ShowOverview(req, *ctx, *wf, problems, false, 422);
    return ShowOverview(req, *ctx, *wf, {{"", T(render::RequestLang(req), "editor.conflict"), ""}},
                        false, 409);
  }

  Response EditState(Request& req, const std::string& old_key) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    workflow::State s;
    s.key = Trimmed(Value(form, "key"));
    s.label = {Trimmed(Value(form, "label_ar")), Trimmed(Value(form, "label_en"))};
    s.final = Ticked(form, "final");
    s.municipality_acts = Ticked(form, "municipality_acts");
    std::optional<int64_t> sla;
    if (!ReadWhole(form, "sla_days", sla) || (sla && (*sla < 0 || *sla > 365))) {
      problems.push_back({"sla_days", T(lang, "editor.error.sla_days"), ""});
    } else {
      s.sla_days = static_cast<int>(sla.value_or(0));
    }
    if (old_key.empty()) {
      wf->states.push_back(s);
    } else {
      auto it = std::find_if(wf->states.begin(), wf->states.end(),
                             [&](const workflow::State& x) { return x.key == old_key; });
      if (it == wf->states.end()) return Stale(req, {});
      *it = s;
      if (s.key != old_key) {
        for (auto& t : wf->transitions) {
          if (t.from == old_key) t.from = s.key;
          if (t.to == old_key) t.to = s.key;
        }
        if (wf->initial == old_key) wf->initial = s.key;
      }
    }
    const int status = Commit(req, *ctx, form, *wf, s.key, "", problems);
    return After(req, *ctx, status,
                 [&] { return ShowStateForm(req, *ctx, old_key, form, problems, status); });
  }

  Response EditTransition(Request& req, const std::string& old_from,
                          const std::string& old_action) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(404, req);
    auto wf = WorkflowFor(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const http::Params form = req.Form();
    workflow::Transition t;
    t.from = Value(form, "from");
    t.to = Value(form, "to");
    t.action = Trimmed(Value(form, "action"));
    t.label = {Trimmed(Value(form, "label_ar")), Trimmed(Value(form, "label_en"))};
    const auto posted = form.GetAll("roles");
    for (const char* r : kRoles) {
      if (std::find(posted.begin(), posted.end(), r) != posted.end()) t.roles.emplace_back(r);
    }
    t.comment_required = Ticked(form, "comment_required");
    if (old_action.empty()) {
      wf->transitions.push_back(t);
    } else {
      auto it = std::find_if(wf->transitions.begin(), wf->transitions.end(),
                             [&](const workflow::Transition& x) {
                               return x.from == old_from && x.action == old_action;
                             });
      if (it == wf->transitions.end()) return Stale(req, {});
      *it = t;
    }
    Problems problems;
    const int status = Commit(req, *ctx, form, *wf, "", t.from + "/" + t.action, problems);
    return After(req, *ctx, status, [&] {
      return ShowTransitionForm(req, *ctx, old_from, old_action, form, problems, status);
    });
  }

  // Checks the version and the workflow (nullopt: the default one), refuses to drop a state
  // that open cases are in, and saves. Returns 303 when saved, else the status and problems.
  // edited_state / edited_transition ("from/action") name what the page edits.
  int Commit(const Request& req, const Context& ctx, const http::Params& form,
             const std::optional<workflow::Workflow>& wf, const std::string& edited_state,
             const std::string& edited_transition, Problems& problems) {
    const i18n::Lang lang = render::RequestLang(req);
    const int64_t version = PostedVersion(form);
    if (version != ctx.service.version) return 409;
    if (!problems.empty()) return 422;
    catalog::Service changed = ctx.service;
    const workflow::Workflow next = wf ? *wf : workflow::DefaultWorkflow(Cat());
    if (wf) {
      Status valid = workflow::Validate(*wf);
      if (!valid.ok()) {
        problems.push_back(
            Explain(valid.error().detail, *wf, edited_state, edited_transition, lang));
        return 422;
      }
      changed.workflow_json = workflow::WorkflowToJson(*wf);
    } else {
      changed.workflow_json.clear();
    }
    std::vector<std::pair<std::string, std::string>> dropped;  // key, title
    if (auto before = WorkflowFor(ctx.service, Cat()); before.ok()) {
      for (const auto& s : before->states) {
        if (!next.FindState(s.key)) dropped.emplace_back(s.key, StateTitle(*before, s.key, lang));
      }
    }
    auto saved = Save(
        req, ctx, changed, version, "service.workflow_edited",
        [&](db::Tx& tx, int64_t id) -> Status {
          for (const auto& [key, title] : dropped) {
            auto open = CountOpenInStates(tx, id, {key});
            if (!open.ok()) return std::move(open).error();
            if (*open == 0) continue;
            problems.push_back({"",
                                F(lang, "editor.workflow.state_in_use",
                                  {{"state", title}, {"count", i18n::FormatNumber(*open, lang)}}),
                                ""});
            return MakeError(ErrorCode::kInvalid, std::string(kInUse));
          }
          return Ok();
        });
    if (saved.ok()) return 303;
    if (saved.error().message_key == kInUse) return 422;
    return Refused(saved.error(), ctx, changed, lang, problems);
  }

  // A state's label in the page's language (its key when unlabelled).
  static std::string StateLabel(const workflow::Workflow& wf, const std::string& key,
                                i18n::Lang lang) {
    const workflow::State* s = wf.FindState(key);
    const std::string label = s ? s->label.In(lang) : "";
    return label.empty() ? key : label;
  }
  // The same, Quoted, for messages.
  static std::string StateTitle(const workflow::Workflow& wf, const std::string& key,
                                i18n::Lang lang) {
    return Quoted(StateLabel(wf, key, lang), lang);
  }

  // Validate's detail as a problem in the page's language, linked to the input at fault when
  // this page edits what it is about.
  Problem Explain(const std::string& detail, const workflow::Workflow& wf,
                  const std::string& edited_state, const std::string& edited_transition,
                  i18n::Lang lang) const {
    static const std::regex kState(R"(^state '([^']*)' (.*)$)");
    static const std::regex kTransition(R"(^transition '([^']*)' from '([^']*)' (.*)$)");
    static const std::regex kMalformed(R"(^(state key|action) '([^']*)' is malformed$)");
    static const std::regex kReach(R"(^cannot be reached from '([^']*)'$)");
    static const std::regex kSla(R"(^has an SLA of .* \(0 to (\d+) allowed\)$)");
    static const std::regex kLeadsTo(R"(^leads to unknown state '([^']*)'$)");
    static const std::regex kRole(R"(^names unknown role '([^']*)'$)");
    static const std::regex kDeadEnd(R"(^no final state can be reached from state '([^']*)'$)");
    std::smatch m, w;
    if (std::regex_match(detail, m, kMalformed)) {
      const bool state = m[1].str() == "state key";
      const bool here = state ? !edited_state.empty() : !edited_transition.empty();
      return {here ? (state ? "key" : "action") : "",
              T(lang, state ? "editor.workflow.bad_key" : "editor.workflow.bad_action"), ""};
    }
    if (std::regex_match(detail, m, kDeadEnd)) {
      return {"",
              F(lang, "editor.workflow.dead_end", {{"state", StateTitle(wf, m[1].str(), lang)}}),
              ""};
    }
    if (std::regex_match(detail, m, kState)) {
      const std::string key = m[1].str();
      const std::string what = m[2].str();
      const bool here = key == edited_state;
      const std::string title = StateTitle(wf, key, lang);
      auto problem = [&](const char* target, std::string message) {
        return Problem{here ? target : "", std::move(message), ""};
      };
      if (what == "is defined twice")
        return problem("key", F(lang, "editor.workflow.state_twice", {{"state", key}}));
      if (what == "has no Arabic label")
        return problem("label_ar", F(lang, "editor.workflow.label_ar", {{"what", title}}));
      if (what == "has no English label")
        return problem("label_en", F(lang, "editor.workflow.label_en", {{"what", title}}));
      if (std::regex_match(what, w, kSla)) {
        return problem("sla_days", F(lang, "editor.workflow.sla",
                                     {{"max", i18n::FormatNumber(std::stoll(w[1].str()), lang)}}));
      }
      if (std::regex_match(what, w, kReach)) {
        return problem("", F(lang, "editor.workflow.unreachable",
                             {{"state", title}, {"initial", StateTitle(wf, w[1].str(), lang)}}));
      }
    }
    if (std::regex_match(detail, m, kTransition)) {
      const std::string action = m[1].str();
      const std::string from = m[2].str();
      const std::string what = m[3].str();
      const bool here = from + "/" + action == edited_transition;
      const std::string title = F(lang, "editor.workflow.transition_title",
                                  {{"action", action}, {"state", StateTitle(wf, from, lang)}});
      auto problem = [&](const char* target, std::string message) {
        return Problem{here ? target : "", std::move(message), ""};
      };
      if (what == "starts at an unknown state")
        return problem("from", T(lang, "editor.workflow.unknown_state"));
      if (std::regex_match(what, w, kLeadsTo))
        return problem("to", T(lang, "editor.workflow.unknown_state"));
      if (what.starts_with("leaves final state"))
        return problem("from", F(lang, "editor.workflow.leaves_final",
                                 {{"state", StateTitle(wf, from, lang)}}));
      if (what == "has no roles")  // the first role's box
        return problem("role-resident", F(lang, "editor.workflow.no_roles", {{"what", title}}));
      if (std::regex_match(what, w, kRole))
        return problem("", F(lang, "editor.workflow.unknown_role", {{"what", title}}));
      if (what == "has no Arabic label")
        return problem("label_ar", F(lang, "editor.workflow.label_ar", {{"what", title}}));
      if (what == "has no English label")
        return problem("label_en", F(lang, "editor.workflow.label_en", {{"what", title}}));
      if (what == "is defined twice")
        return problem("action", F(lang, "editor.workflow.transition_twice", {{"what", title}}));
    }
    if (detail == "no state is final")
      return {edited_state.empty() ? "" : "final", T(lang, "editor.workflow.no_final"), ""};
    if (detail.starts_with("initial state "))
      return {"", T(lang, "editor.workflow.initial_missing"), ""};
    if (detail == "the workflow has no states")
      return {"", T(lang, "editor.workflow.no_states"), ""};
    return {"", T(lang, "workflow.invalid"), ""};
  }

  std::vector<std::pair<std::string, std::string>> StateOptions(const Context& ctx,
                                                                i18n::Lang lang) {
    std::vector<std::pair<std::string, std::string>> out = {{"", T(lang, "editor.choose")}};
    auto wf = WorkflowFor(ctx.service, Cat());
    if (wf.ok()) {
      for (const auto& s : wf->states) out.emplace_back(s.key, s.label.In(lang));
    }
    return out;
  }

  Response ShowStateForm(const Request& req, const Context& ctx, const std::string& key,
                         const http::Params& v, const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string path = ctx.href + "/workflow/states/" + (key.empty() ? "new" : key);
    EditForm form;
    form.action = path;
    form.version = ctx.service.version;
    auto text = [&](const char* id, const char* label_key, const char* text_lang,
                    const std::string& hint = "") {
      return Input{.id = id,
                   .label = T(lang, label_key),
                   .hint = hint,
                   .value = Value(v, id),
                   .required = true,
                   .text_lang = text_lang};
    };
    auto box = [&](const char* id, const char* label_key, const std::string& hint) {
      return Input{.kind = Input::Kind::kCheckbox,
                   .id = id,
                   .label = T(lang, label_key),
                   .hint = hint,
                   .value = "yes",
                   .checked = Ticked(v, id)};
    };
    form.groups.push_back(
        {"",
         "",
         {text("key", "editor.workflow.key", "ltr", T(lang, "editor.workflow.key_hint")),
          text("label_ar", "editor.workflow.label_ar_input", "ar"),
          text("label_en", "editor.workflow.label_en_input", "en"),
          box("final", "editor.workflow.final", T(lang, "editor.workflow.final_hint")),
          text("sla_days", "editor.workflow.sla_days", "ltr", T(lang, "editor.workflow.sla_hint")),
          box("municipality_acts", "editor.workflow.municipality_acts",
              T(lang, "editor.workflow.municipality_acts_hint"))}});
    form.buttons = {{"save", T(lang, "editor.workflow.save_state")}};
    form.back_href = ctx.href + "/workflow";
    form.back_label = T(lang, "editor.workflow.back");
    std::string title = T(lang, "editor.workflow.new_state");
    if (!key.empty()) {
      auto current = WorkflowFor(ctx.service, Cat());
      title = F(lang, "editor.workflow.edit_state",
                {{"state", current.ok() ? StateTitle(*current, key, lang) : key}});
    }
    return ShowEdit(req, ctx, path, title, "", form, problems, status);
  }

  Response ShowTransitionForm(const Request& req, const Context& ctx, const std::string& from,
                              const std::string& action, const http::Params& v,
                              const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string path =
        ctx.href + "/workflow/transitions/" + (action.empty() ? "new" : from + "/" + action);
    EditForm form;
    form.action = path;
    form.version = ctx.service.version;
    const auto states = StateOptions(ctx, lang);
    Group main;
    main.inputs.push_back({.kind = Input::Kind::kSelect,
                           .id = "from",
                           .label = T(lang, "editor.workflow.from"),
                           .value = Value(v, "from"),
                           .required = true,
                           .options = states});
    main.inputs.push_back({.kind = Input::Kind::kSelect,
                           .id = "to",
                           .label = T(lang, "editor.workflow.to"),
                           .value = Value(v, "to"),
                           .required = true,
                           .options = states});
    main.inputs.push_back({.id = "action",
                           .label = T(lang, "editor.workflow.action"),
                           .hint = T(lang, "editor.workflow.action_hint"),
                           .value = Value(v, "action"),
                           .required = true,
                           .text_lang = "ltr"});
    main.inputs.push_back({.id = "label_ar",
                           .label = T(lang, "editor.workflow.button_ar"),
                           .value = Value(v, "label_ar"),
                           .required = true,
                           .text_lang = "ar"});
    main.inputs.push_back({.id = "label_en",
                           .label = T(lang, "editor.workflow.button_en"),
                           .value = Value(v, "label_en"),
                           .required = true,
                           .text_lang = "en"});
    main.inputs.push_back({.kind = Input::Kind::kCheckbox,
                           .id = "comment_required",
                           .label = T(lang, "editor.workflow.comment_required"),
                           .value = "yes",
                           .checked = Ticked(v, "comment_required")});
    form.groups.push_back(std::move(main));
    Group roles{T(lang, "editor.workflow.roles"), T(lang, "editor.workflow.roles_hint"), {}};
    const auto chosen = v.GetAll("roles");
    for (const char* r : kRoles) {
      roles.inputs.push_back(
          {.kind = Input::Kind::kCheckbox,
           .id = std::string("role-") + r,
           .name = "roles",
           .label = T(lang, std::string("role.") + r),
           .value = r,
           .checked = std::find(chosen.begin(), chosen.end(), r) != chosen.end()});
    }
    form.groups.push_back(std::move(roles));
    form.buttons = {{"save", T(lang, "editor.workflow.save_transition")}};
    form.back_href = ctx.href + "/workflow";
    form.back_label = T(lang, "editor.workflow.back");
    const std::string title =
        action.empty() ? T(lang, "editor.workflow.new_transition")
                       : F(lang, "editor.workflow.edit_transition", {{"action", action}});
    return ShowEdit(req, ctx, path, title, "", form, problems, status);
  }

  Response ShowOverview(const Request& req, const Context& ctx, const workflow::Workflow& wf,
                        const Problems& problems, bool saved, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string path = ctx.href + "/workflow";
    render::Page page =
        NewPage(req, ctx.municipality, "editor-workflow.tpl", path,
                T(lang, "editor.workflow.title") + " — " + ctx.service.name.In(lang));
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue("SERVICE_HREF", ctx.href);
    if (saved) b.SetValueAndShowSection("NOTICE", T(lang, "editor.saved"), "HAS_NOTICE");
    const char* flow = ctx.service.workflow_json.empty() ? "editor.service.default_flow"
                                                         : "editor.service.own_flow";
    b.SetValue("SUMMARY", F(lang, "editor.workflow.follows", {{"flow", T(lang, flow)}}));
    IncludeErrors(b, problems, lang);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("VERSION", std::to_string(ctx.service.version));
    b.SetValue("INITIAL_HREF", path + "/initial");
    b.SetValue("RESET_HREF", path + "/reset");
    b.SetValue("ADD_STATE_HREF", path + "/states/new");
    b.SetValue("ADD_TRANSITION_HREF", path + "/transitions/new");
    for (const auto& s : wf.states) {
      render::Dict* o = b.AddSectionDictionary("INITIAL_OPTION");
      o->SetValue("VALUE", s.key);
      o->SetValue("LABEL", s.label.In(lang));
      if (s.key == wf.initial) o->ShowSection("SELECTED");
      render::Dict* d = b.AddSectionDictionary("STATE");
      d->SetValue("KEY", s.key);
      d->SetValue("LABEL", s.label.In(lang));
      d->SetValue("EDIT_HREF", path + "/states/" + s.key);
      d->SetValue("REMOVE_HREF", path + "/states/" + s.key + "/remove");
      d->SetValue("FINAL", T(lang, s.final ? "form.answer_yes" : "form.answer_no"));
      d->SetValue("SLA", s.sla_days == 0 ? T(lang, "editor.workflow.no_limit")
                                         : F(lang, "services.sla_days",
                                             {{"days", i18n::FormatNumber(s.sla_days, lang)}}));
      d->SetValue("ACTS", T(lang, s.municipality_acts ? "editor.workflow.acts_municipality"
                                                      : "editor.workflow.acts_applicant"));
    }
    for (const auto& t : wf.transitions) {
      render::Dict* d = b.AddSectionDictionary("TRANSITION");
      d->SetValue("FROM", StateLabel(wf, t.from, lang));
      d->SetValue("TO", StateLabel(wf, t.to, lang));
      d->SetValue("LABEL", t.label.In(lang));
      d->SetValue("ACTION", t.action);
      std::string roles;
      for (const auto& r : t.roles) {
        if (!roles.empty()) roles += lang == i18n::Lang::kAr ? "، " : ", ";
        roles += T(lang, "role." + r);
      }
      d->SetValue("ROLES", roles);
      d->SetValue("COMMENT", T(lang, t.comment_required ? "form.answer_yes" : "form.answer_no"));
      d->SetValue("EDIT_HREF", path + "/transitions/" + t.from + "/" + t.action);
      d->SetValue("REMOVE_HREF", path + "/transitions/" + t.from + "/" + t.action + "/remove");
    }
    return Finish(page, status);
  }
};

}  // namespace

void AddWorkflowEditorRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<WorkflowPages>(options);
  auto on = [pages](Response (WorkflowPages::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  const auto admin = identity::Access::Requires(identity::Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/services/{code}/workflow";
  routes.Get(base, admin, on(&WorkflowPages::Overview));
  routes.Post(base + "/initial", admin, on(&WorkflowPages::SetInitial));
  routes.Post(base + "/reset", admin, on(&WorkflowPages::Reset));
  routes.Get(base + "/states/new", admin, on(&WorkflowPages::NewState));
  routes.Post(base + "/states/new", admin, on(&WorkflowPages::AddState));
  routes.Get(base + "/states/{key}", admin, on(&WorkflowPages::StateForm));
  routes.Post(base + "/states/{key}", admin, on(&WorkflowPages::SaveState));
  routes.Post(base + "/states/{key}/remove", admin, on(&WorkflowPages::RemoveState));
  routes.Get(base + "/transitions/new", admin, on(&WorkflowPages::NewTransition));
  routes.Post(base + "/transitions/new", admin, on(&WorkflowPages::AddTransition));
  routes.Get(base + "/transitions/{from}/{action}", admin, on(&WorkflowPages::TransitionForm));
  routes.Post(base + "/transitions/{from}/{action}", admin, on(&WorkflowPages::SaveTransition));
  routes.Post(base + "/transitions/{from}/{action}/remove", admin,
              on(&WorkflowPages::RemoveTransition));
}

}  // namespace baladiya::cases::editor
