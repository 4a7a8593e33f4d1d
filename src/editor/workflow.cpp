// The workflow editor: a service's states and transitions, each change checked with
// workflow::Validate, whose problems are shown beside the input at fault; a state that open cases
// are in is never removed.
#include <algorithm>

#include "editor/internal.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"
#include "workflow/services.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;

// The roles that act on cases, offered for transitions: the applicant, and staff who work
// cases (a municipal admin may take every staff transition anyway).
constexpr const char* kRoles[] = {"resident", "counter-clerk", "clerk", "department-head",
                                  "municipal-admin"};

constexpr std::string_view kInUse = "editor.workflow.state_in_use";

// What a page of the workflow editor edits in the changed workflow, so that a problem there is
// linked to its input: the overview (its initial state), a state, or a transition, by position.
struct Editing {
  bool overview = false;
  std::optional<size_t> state;
  std::optional<size_t> transition;
};

// "ar" or "en" at path[i] ("ar" when the path does not say).
std::string Language(const Path& path, size_t i) { return NameAt(path, i) == "en" ? "en" : "ar"; }

// The input of the state page that a path within a state leads to (empty when none does).
std::string StateInput(const Path& rest) {
  const std::string_view part = NameAt(rest, 0);
  if (part == "label") return "label_" + Language(rest, 1);
  if (part == "key" || part == "sla_days" || part == "awaits_payment" || part == "outcome") {
    return std::string(part);
  }
  return {};
}

// The input of the transition page that a path within a transition leads to (empty when none
// does); a problem with its roles points at the role's own box, or the first one.
std::string TransitionInput(const Path& rest, const workflow::Transition& t) {
  const std::string_view part = NameAt(rest, 0);
  if (part == "label") return "label_" + Language(rest, 1);
  if (part == "from" || part == "to" || part == "action") return std::string(part);
  if (part == "roles") {
    const std::optional<size_t> r = IndexAt(rest, 1);
    for (const char* role : kRoles) {
      if (r && *r < t.roles.size() && t.roles[*r] == role) return std::string("role-") + role;
    }
    return std::string("role-") + kRoles[0];
  }
  return {};
}

class WorkflowPages : public Base {
 public:
  using Base::Base;

  Response Overview(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
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
    if (!ctx) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    Problems problems;
    const int status = Commit(req, *ctx, form, std::nullopt, {.overview = true}, problems);
    return After(req, *ctx, status, [&] { return Stale(req, problems); });
  }

  // ---- states ------------------------------------------------------------------------------

  Response NewState(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    http::Params v;
    v.Add("municipality_acts", "yes");
    v.Add("sla_days", "0");
    return ShowStateForm(req, *ctx, "", v, {}, 200);
  }

  Response AddState(Request& req) { return EditState(req, ""); }

  Response StateForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const workflow::State* s = wf->FindState(req.PathParam("key"));
    if (!s) return o_.error_page(404, req);
    http::Params v;
    v.Add("key", s->key);
    v.Add("label_ar", s->label.ar);
    v.Add("label_en", s->label.en);
    if (s->final) v.Add("final", "yes");
    v.Add("outcome", workflow::OutcomeOf(*s));
    v.Add("sla_days", std::to_string(s->sla_days));
    if (s->municipality_acts) v.Add("municipality_acts", "yes");
    if (s->awaits_payment) v.Add("awaits_payment", "yes");
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
    if (!ctx) return Fail(ctx.error(), req);
    http::Params v;
    v.Add("roles", "clerk");
    v.Add("roles", "department-head");
    return ShowTransitionForm(req, *ctx, "", "", v, {}, 200);
  }

  Response AddTransition(Request& req) { return EditTransition(req, "", ""); }

  Response TransitionForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
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
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const http::Params form = req.Form();
    Problems problems;
    if (!edit(form, *wf, problems)) return Stale(req, {});
    const int status = Commit(req, *ctx, form, *wf, {.overview = true}, problems);
    // Refused: the workflow as stored, with why; never the refused one, as if it were saved.
    return After(req, *ctx, status, [&] {
      auto stored = workflow::ForService(ctx->service, Cat());
      if (!stored.ok()) return o_.error_page(503, req);
      return ShowOverview(req, *ctx, *stored, problems, false, status);
    });
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
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    if (!problems.empty()) return ShowOverview(req, *ctx, *wf, problems, false, 422);
    return ShowOverview(req, *ctx, *wf, {{"", T(render::RequestLang(req), "editor.conflict"), ""}},
                        false, 409);
  }

  Response EditState(Request& req, const std::string& old_key) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
    if (!wf.ok()) return o_.error_page(503, req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    workflow::State s;
    s.key = Trimmed(Value(form, "key"));
    s.label = {Trimmed(Value(form, "label_ar")), Trimmed(Value(form, "label_en"))};
    s.final = Ticked(form, "final");
    // The outcome of a final state (empty: the one its key suggests); none for other states.
    if (s.final) s.outcome = Trimmed(Value(form, "outcome"));
    s.municipality_acts = Ticked(form, "municipality_acts");
    s.awaits_payment = Ticked(form, "awaits_payment");
    std::optional<int64_t> sla;
    if (!ReadWhole(form, "sla_days", sla) || (sla && (*sla < 0 || *sla > 365))) {
      problems.push_back({"sla_days", T(lang, "editor.error.sla_days"), ""});
    } else {
      s.sla_days = static_cast<int>(sla.value_or(0));
    }
    size_t at = wf->states.size();
    if (old_key.empty()) {
      wf->states.push_back(s);
    } else {
      auto it = std::find_if(wf->states.begin(), wf->states.end(),
                             [&](const workflow::State& x) { return x.key == old_key; });
      if (it == wf->states.end()) return Stale(req, {});
      at = static_cast<size_t>(it - wf->states.begin());
      *it = s;
      if (s.key != old_key) {
        for (auto& t : wf->transitions) {
          if (t.from == old_key) t.from = s.key;
          if (t.to == old_key) t.to = s.key;
        }
        if (wf->initial == old_key) wf->initial = s.key;
      }
    }
    const int status = Commit(req, *ctx, form, *wf, {.state = at}, problems);
    return After(req, *ctx, status,
                 [&] { return ShowStateForm(req, *ctx, old_key, form, problems, status); });
  }

  Response EditTransition(Request& req, const std::string& old_from,
                          const std::string& old_action) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    auto wf = workflow::ForService(ctx->service, Cat());
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
    size_t at = wf->transitions.size();
    if (old_action.empty()) {
      wf->transitions.push_back(t);
    } else {
      auto it = std::find_if(wf->transitions.begin(), wf->transitions.end(),
                             [&](const workflow::Transition& x) {
                               return x.from == old_from && x.action == old_action;
                             });
      if (it == wf->transitions.end()) return Stale(req, {});
      at = static_cast<size_t>(it - wf->transitions.begin());
      *it = t;
    }
    Problems problems;
    const int status = Commit(req, *ctx, form, *wf, {.transition = at}, problems);
    return After(req, *ctx, status, [&] {
      return ShowTransitionForm(req, *ctx, old_from, old_action, form, problems, status);
    });
  }

  // Checks the version and the workflow (nullopt: the default one), refuses to drop a state
  // that open cases are in, and saves. Returns 303 when saved, else the status and problems.
  int Commit(const Request& req, const Context& ctx, const http::Params& form,
             const std::optional<workflow::Workflow>& wf, const Editing& editing,
             Problems& problems) {
    const i18n::Lang lang = render::RequestLang(req);
    const int64_t version = PostedVersion(form);
    if (version != ctx.service.version) return 409;
    if (!problems.empty()) return 422;
    catalog::Service changed = ctx.service;
    const workflow::Workflow next = wf ? *wf : workflow::DefaultWorkflow(Cat());
    if (wf) {
      Status valid = workflow::Validate(*wf);
      if (!valid.ok()) {
        for (const baladiya::Problem& p : valid.error().problems) {
          problems.push_back(Placed(p, ctx, *wf, editing, lang));
        }
        if (problems.empty()) problems.push_back({"", T(lang, valid.error().message_key), ""});
        return 422;
      }
      changed.workflow_json = workflow::WorkflowToJson(*wf);
    } else {
      changed.workflow_json.clear();
    }
    std::vector<std::pair<std::string, std::string>> dropped;  // key, title
    if (auto before = workflow::ForService(ctx.service, Cat()); before.ok()) {
      for (const auto& s : before->states) {
        if (!next.FindState(s.key)) dropped.emplace_back(s.key, StateTitle(*before, s.key, lang));
      }
    }
    auto saved = Save(
        req, ctx, changed, version, "service.workflow_edited",
        [&](db::Tx& tx, int64_t id) -> Status {
          for (const auto& [key, title] : dropped) {
            auto open = o_.open_cases && o_.open_cases->in_states
                            ? o_.open_cases->in_states(tx, id, {key})
                            : Result<int64_t>(int64_t{0});
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
    return Refused(saved.error(), changed, lang, {}, problems);
  }

  // A problem of the changed workflow on this page: linked to its input when the page edits what
  // it is about, else to the page of the state or transition it is about when that is stored.
  Problem Placed(const baladiya::Problem& problem, const Context& ctx, const workflow::Workflow& wf,
                 const Editing& editing, i18n::Lang lang) const {
    Problem out{"", Say(problem, {nullptr, &wf}, lang), ""};
    const std::string_view top = NameAt(problem.path, 0);
    const std::optional<size_t> i = IndexAt(problem.path, 1);
    const Path rest = Tail(problem.path, 2);
    const std::string base = ctx.href + "/workflow/";
    auto stored = workflow::ForService(ctx.service, Cat());
    if (top == "initial") {
      if (editing.overview) out.target = "initial";
    } else if (top == "states" && !i) {
      // A problem of the states as a whole (none is final): the state page's box says it.
      if (editing.state && problem.key == "workflow.problem.no_final") out.target = "final";
    } else if (top == "states" && *i < wf.states.size()) {
      const std::string& key = wf.states[*i].key;
      if (editing.state == i) {
        out.target = StateInput(rest);
      } else if (stored.ok() && stored->FindState(key)) {
        const std::string input = StateInput(rest);
        out.href = base + "states/" + key + (input.empty() ? "" : "#" + input);
      }
    } else if (top == "transitions" && i && *i < wf.transitions.size()) {
      const workflow::Transition& t = wf.transitions[*i];
      if (editing.transition == i) {
        out.target = TransitionInput(rest, t);
      } else if (stored.ok() && stored->FindTransition(t.from, t.action)) {
        const std::string input = TransitionInput(rest, t);
        out.href =
            base + "transitions/" + t.from + "/" + t.action + (input.empty() ? "" : "#" + input);
      }
    }
    return out;
  }

  std::vector<std::pair<std::string, std::string>> StateOptions(const Context& ctx,
                                                                i18n::Lang lang) {
    std::vector<std::pair<std::string, std::string>> out = {{"", T(lang, "editor.choose")}};
    auto wf = workflow::ForService(ctx.service, Cat());
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
    std::vector<std::pair<std::string, std::string>> outcomes = {
        {"", T(lang, "editor.workflow.outcome_by_key")}};
    for (const std::string& o : workflow::Outcomes()) {
      outcomes.emplace_back(o, T(lang, "workflow.outcome." + o));
    }
    const Input outcome{.kind = Input::Kind::kSelect,
                        .id = "outcome",
                        .label = T(lang, "editor.workflow.outcome"),
                        .hint = T(lang, "editor.workflow.outcome_hint"),
                        .value = Value(v, "outcome"),
                        .optional = true,
                        .options = std::move(outcomes)};
    form.groups.push_back(
        {"",
         "",
         {text("key", "editor.workflow.key", "ltr", T(lang, "editor.workflow.key_hint")),
          text("label_ar", "editor.workflow.label_ar_input", "ar"),
          text("label_en", "editor.workflow.label_en_input", "en"),
          box("final", "editor.workflow.final", T(lang, "editor.workflow.final_hint")), outcome,
          text("sla_days", "editor.workflow.sla_days", "ltr", T(lang, "editor.workflow.sla_hint")),
          box("municipality_acts", "editor.workflow.municipality_acts",
              T(lang, "editor.workflow.municipality_acts_hint")),
          box("awaits_payment", "editor.workflow.awaits_payment",
              T(lang, "editor.workflow.awaits_payment_hint"))}});
    form.buttons = {{"save", T(lang, "editor.workflow.save_state")}};
    form.back_href = ctx.href + "/workflow";
    form.back_label = T(lang, "editor.workflow.back");
    std::string title = T(lang, "editor.workflow.new_state");
    if (!key.empty()) {
      auto current = workflow::ForService(ctx.service, Cat());
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
        if (!roles.empty()) roles += i18n::ListSeparator(lang);
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

void AddWorkflowEditorRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<WorkflowPages>(options);
  auto on = http::MemberHandlers(pages);
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

}  // namespace baladiya::editor
