// The staff pages of participation (web.h): the municipal admin's and participation officer's list
// of processes with the form that creates one, a process's phases and the official answers owed,
// and the counter's identity check. The store audits every change.
#include "catalog/page.h"
#include "identity/web.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::participation {
namespace {

using http::Request;
using http::Response;

// The message key of a field's error (the error's own key when it names none).
std::string FieldError(const Error& e, const std::string& field) {
  auto it = e.fields.find(field);
  return it == e.fields.end() ? e.message_key : it->second;
}

// The form fields of a phase's first and last days.
std::string StartField(Phase p) { return std::string(PhaseName(p)) + "_from"; }
std::string EndField(Phase p) { return std::string(PhaseName(p)) + "_to"; }

// The phases a form gives (a phase with both days empty is skipped); field errors otherwise.
std::vector<PhaseDates> PhasesOf(const http::Params& form,
                                 std::map<std::string, std::string>& errors) {
  std::vector<PhaseDates> out;
  for (Phase p : AllPhases()) {
    const std::string from(form.Get(StartField(p)).value_or(""));
    const std::string to(form.Get(EndField(p)).value_or(""));
    if (from.empty() && to.empty()) continue;
    auto a = ParseDay(from);
    auto b = ParseDay(to);
    if (!a) errors[StartField(p)] = "participation.day";
    if (!b) errors[EndField(p)] = "participation.day";
    if (!a || !b) continue;
    if (*b < *a) {
      errors[EndField(p)] = "participation.phases.dates";
      continue;
    }
    out.push_back({p, *a, *b + 86'400'000});  // the last day included
  }
  return out;
}

class StaffPages {
 public:
  explicit StaffPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) { return ShowList(req, {}, {}, 200); }

  Response Create(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    std::map<std::string, std::string> errors;
    ProcessInput in;
    in.title_ar = std::string(form.Get("title_ar").value_or(""));
    in.title_en = std::string(form.Get("title_en").value_or(""));
    in.summary_ar = std::string(form.Get("summary_ar").value_or(""));
    in.summary_en = std::string(form.Get("summary_en").value_or(""));
    in.threshold = Number(form, "threshold");
    in.answer_days = Number(form, "answer_days");
    in.phases = PhasesOf(form, errors);
    // With a malformed day, no phases: the store refuses, naming the other fields' errors too.
    const bool bad_days = !errors.empty();
    if (bad_days) in.phases.clear();
    auto p = o_.store->CreateProcess(m->id, in, ActorOf(req), o_.now_ms());
    if (!p.ok()) {
      if (p.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      for (const auto& [field, key] : p.error().fields) {
        if (field != "phases") {
          errors[field] = key;
        } else if (!bad_days) {
          errors[""] = key;
        }
      }
      return ShowList(req, form, errors, 422);
    }
    return Response::Redirect("/m/" + m->slug + "/admin/participation/" + p->slug + Lang(req));
  }

  Response Process_(Request& req) { return ShowProcess(req, {}, {}, "", 200); }

  Response SetPhases(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    std::map<std::string, std::string> errors;
    auto phases = PhasesOf(form, errors);
    if (!errors.empty()) return ShowProcess(req, form, errors, "", 422);
    Status s = o_.store->SetPhases(ctx->second, phases, ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      if (s.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      return ShowProcess(req, form, {{"", FieldError(s.error(), "phases")}}, "", 422);
    }
    return ShowProcess(req, {}, {}, "participation.admin.phases_saved", 200);
  }

  Response Answer(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    Status s = o_.store->Answer(ctx->second, req.PathParam("proposal"),
                                form.Get("answer").value_or(""), ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      switch (s.error().code) {
        case ErrorCode::kNotFound:
          return o_.error_page(404, req);
        case ErrorCode::kInvalid:
          return ShowProcess(req, {}, {}, FieldError(s.error(), "answer"), 422);
        case ErrorCode::kConflict:
          return ShowProcess(req, {}, {}, s.error().message_key, 409);
        default:
          return o_.error_page(503, req);
      }
    }
    if (o_.notified) o_.notified();
    return ShowProcess(req, {}, {}, "participation.admin.answer_saved", 200);
  }

  Response Moderate(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    auto kind = ParseReported(form.Get("kind").value_or(""));
    const std::string decision(form.Get("decision").value_or(""));
    const int64_t id = Number(form, "id");
    if (!kind || id == 0) return o_.error_page(404, req);
    if (decision != "keep" && decision != "remove") {
      return ShowProcess(req, {}, {}, "participation.moderation.decision_missing", 422);
    }
    Status s = o_.store->Moderate(ctx->second, *kind, id, decision == "keep",
                                  form.Get("reason").value_or(""), ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      switch (s.error().code) {
        case ErrorCode::kInvalid:
          return ShowProcess(req, {}, {}, FieldError(s.error(), "reason"), 422);
        case ErrorCode::kConflict:
          return ShowProcess(req, {}, {}, s.error().message_key, 409);
        default:
          return o_.error_page(503, req);
      }
    }
    if (o_.notified) o_.notified();
    return ShowProcess(req, {}, {}, "participation.moderation.decided", 200);
  }

  Response ReportThreshold(Request& req) {
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const http::Params form = req.Form();
    Status s = o_.store->SetReportThreshold(ctx->second, Number(form, "report_threshold"),
                                            ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      if (s.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      return ShowProcess(req, {}, {}, FieldError(s.error(), "report_threshold"), 422);
    }
    return ShowProcess(req, {}, {}, "participation.moderation.threshold_saved", 200);
  }

  // The counter: a clerk who has checked a resident's ID card marks their identity proved.
  Response Verify(Request& req) { return ShowVerify(req, {}, {}, "", 200); }

  Response DoVerify(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const std::string id(form.Get("national_id").value_or(""));
    const identity::Principal& who = identity::PrincipalOf(req);
    const identity::AuditContext actx{who.pseudonym, req.request_id, m->id};
    const int64_t now = o_.now_ms();
    auto r = o_.accounts->LookUpResident(who, m->id, id, "", actx, now);
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kNotFound || r.error().code == ErrorCode::kInvalid) {
        return ShowVerify(req, form, {{"national_id", "participation.verify.not_found"}}, "", 422);
      }
      if (r.error().code == ErrorCode::kUnavailable && r.error().fields.count("retry_after")) {
        return identity::TooManyPage(*o_.ids, req, std::stoll(r.error().fields.at("retry_after")),
                                     r.error().message_key);
      }
      return o_.error_page(http::StatusOf(r.error().code), req);
    }
    Status s = o_.accounts->MarkVerified(r->id, "counter", actx, now);
    if (!s.ok()) return o_.error_page(503, req);
    return ShowVerify(req, {}, {},
                      Msg().Format(render::RequestLang(req), "participation.verify.done",
                                   {{"name", r->full_name_ar}}),
                      200);
  }

  // /participation/admin and /participation/verify: the page of the staff member's municipality.
  Response Home(Request& req, identity::Permission what, const std::string& path) {
    const identity::Principal& who = identity::PrincipalOf(req);
    for (const identity::Grant& g : who.grants) {
      if (g.municipality_id == 0 || !identity::Allowed(who, what, g.municipality_id)) continue;
      auto m = o_.tenancy->Get(g.municipality_id);
      if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
      return Response::Redirect("/m/" + m->slug + path + Lang(req));
    }
    // Someone without such a grant (the link is not shown to them) goes back to their account.
    return Response::Redirect("/account" + Lang(req));
  }

 private:
  static std::string Lang(const Request& req) {
    return render::RequestLang(req) == i18n::Lang::kEn ? "?lang=en" : "";
  }

  static Actor ActorOf(const Request& req) {
    const identity::Principal& who = identity::PrincipalOf(req);
    return {who.account_id, who.pseudonym, req.request_id};
  }

  static int64_t Number(const http::Params& form, const char* name) {
    const std::string text = i18n::ToWesternDigits(form.Get(name).value_or(""));
    if (text.empty() || text.size() > 9) return 0;
    for (char c : text) {
      if (c < '0' || c > '9') return 0;
    }
    return std::stoll(text);
  }

  Result<std::pair<catalog::Municipality, Process>> Load(const Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return std::move(m).error();
    auto p = o_.store->GetProcess(m->id, req.PathParam("process"));
    if (!p.ok()) return std::move(p).error();
    return std::make_pair(std::move(*m), std::move(*p));
  }

  Response Fail(const Error& e, const Request& req) {
    return o_.error_page(e.code == ErrorCode::kNotFound ? 404 : 503, req);
  }

  void PhaseFields(render::Form& form, const http::Params& values, const Process* p) {
    for (Phase ph : AllPhases()) {
      const std::string name(PhaseName(ph));
      render::FormField from{StartField(ph), "participation.admin." + name + "_from", "", "date"};
      render::FormField to{EndField(ph), "participation.admin." + name + "_to", "", "date"};
      from.required = to.required = false;
      from.ltr = to.ltr = true;
      from.value = std::string(values.Get(from.name).value_or(""));
      to.value = std::string(values.Get(to.name).value_or(""));
      if (p != nullptr && values.Get(from.name) == std::nullopt) {
        if (const PhaseDates* d = p->DatesOf(ph)) {
          from.value = FormatDay(d->starts_at);
          to.value = FormatDay(d->ends_at - 86'400'000);
        }
      }
      form.fields.push_back(from);
      form.fields.push_back(to);
    }
  }

 public:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response ShowList(const Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, int status,
                    const std::string& notice_key = "") {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto processes = o_.store->Processes(m->id);
    if (!processes.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/participation";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "participation-admin.tpl", href,
                                  Msg().Get(lang, "participation.admin.title"));
    render::Dict& b = page.body();
    b.SetValue("PUBLIC_HREF", "/m/" + m->slug + "/participate");
    for (const Process& p : *processes) {
      render::Dict* d = b.AddSectionDictionary("PROCESS");
      d->SetValue("HREF", href + "/" + p.slug);
      d->SetValue("TITLE", lang == i18n::Lang::kAr ? p.title_ar : p.title_en);
      auto phase = p.PhaseAt(o_.now_ms());
      d->SetValue("PHASE",
                  Msg().Get(lang, phase ? "participation.phase." + std::string(PhaseName(*phase))
                                        : std::string("participation.phase.none")));
    }
    if (processes->empty()) b.ShowSection("NO_PROCESSES");
    if (!notice_key.empty()) {
      b.SetValueAndShowSection("NOTICE", Msg().Get(lang, notice_key),
                               status < 300 ? "HAS_NOTICE" : "HAS_ALERT");
    }
    if (!FillAdminOrganisations(b, o_, req, *m).ok()) return o_.error_page(503, req);
    render::Form form;
    form.action = href;
    form.submit_key = "participation.admin.create_submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    auto field = [&values](const char* name, const char* label, const char* type) {
      render::FormField f{name, std::string("participation.admin.") + label, "", type};
      f.value = std::string(values.Get(name).value_or(""));
      return f;
    };
    form.fields = {field("title_ar", "title_ar", "text"), field("title_en", "title_en", "text"),
                   field("summary_ar", "summary_ar", "textarea"),
                   field("summary_en", "summary_en", "textarea")};
    render::FormField threshold = field("threshold", "threshold", "number");
    threshold.inputmode = "numeric";
    threshold.ltr = true;
    render::FormField days = field("answer_days", "answer_days", "number");
    days.inputmode = "numeric";
    days.ltr = true;
    form.fields.push_back(threshold);
    form.fields.push_back(days);
    PhaseFields(form, values, nullptr);
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowProcess(const Request& req, const http::Params& values,
                       const std::map<std::string, std::string>& errors,
                       const std::string& notice_key, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto ctx = Load(req);
    if (!ctx.ok()) return Fail(ctx.error(), req);
    const auto& [m, p] = *ctx;
    auto proposals = o_.store->Proposals(p.id);
    if (!proposals.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m.slug + "/admin/participation/" + p.slug;
    const std::string title = lang == i18n::Lang::kAr ? p.title_ar : p.title_en;
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, m, "participation-admin-process.tpl", href, title);
    render::Dict& b = page.body();
    const int64_t now = o_.now_ms();
    b.SetValue("LIST_HREF", "/m/" + m.slug + "/admin/participation");
    b.SetValue("PUBLIC_HREF", "/m/" + m.slug + "/participate/" + p.slug);
    b.SetValue("TITLE", title);
    b.SetValue("THRESHOLD", i18n::FormatNumber(p.threshold, lang));
    if (!notice_key.empty()) {
      const bool ok = status < 300;
      b.SetValueAndShowSection("NOTICE", Msg().Get(lang, notice_key),
                               ok ? "HAS_NOTICE" : "HAS_ALERT");
    }
    const std::string csrf = identity::TokenFor(req).value;
    for (const Proposal& x : *proposals) {
      render::Dict* d = b.AddSectionDictionary("PROPOSAL");
      d->SetValue("TITLE", x.title);
      d->SetValue("HREF", "/m/" + m.slug + "/participate/" + p.slug + "/proposals/" + x.token);
      d->SetValue("SUPPORTS", i18n::FormatNumber(x.supports, lang));
      d->SetValue("TOKEN", x.token);
      if (x.answered_at != 0) {
        d->SetValueAndShowSection("ANSWER", x.answer, "ANSWERED");
      } else {
        if (x.answer_due_at != 0) {
          d->SetValueAndShowSection("DUE", i18n::FormatDate(x.answer_due_at, lang), "OWED");
          if (x.Overdue(now)) d->ShowSection("OVERDUE");
        }
        render::Dict* f = d->AddSectionDictionary("ANSWER_FORM");
        f->SetValue("ACTION", href + "/proposals/" + x.token + "/answer");
        f->SetValue("CSRF", csrf);
        f->SetValue("TOKEN", x.token);
        f->SetValue("TITLE", x.title);
      }
    }
    if (proposals->empty()) b.ShowSection("NO_PROPOSALS");
    auto votes = o_.store->Votes(p.id);
    if (!votes.ok()) return o_.error_page(503, req);
    for (const Vote& v : *votes) {
      auto turnout = o_.store->TurnoutOf(v.id);
      if (!turnout.ok()) return o_.error_page(503, req);
      render::Dict* d = b.AddSectionDictionary("VOTE");
      d->SetValue("TITLE", lang == i18n::Lang::kAr ? v.title_ar : v.title_en);
      d->SetValue("HREF", "/m/" + m.slug + "/participate/" + p.slug + "/votes/" + v.slug);
      d->SetValue("CODE", v.sms_code);
      d->SetValue("TURNOUT", Msg().Format(lang, "participation.admin.turnout",
                                          {{"total", i18n::FormatNumber(turnout->total(), lang)},
                                           {"web", i18n::FormatNumber(turnout->web, lang)},
                                           {"counter", i18n::FormatNumber(turnout->counter, lang)},
                                           {"sms", i18n::FormatNumber(turnout->sms, lang)}}));
      if (v.published_at == 0) {
        render::Dict* f = d->AddSectionDictionary("PUBLISH");
        f->SetValue("ACTION", href + "/votes/" + v.slug + "/publish");
        f->SetValue("CSRF", csrf);
      } else {
        d->ShowSection("IS_PUBLISHED");
      }
    }
    if (votes->empty()) b.ShowSection("NO_VOTES");
    auto queue = o_.store->ModerationQueue(p.id);
    if (!queue.ok()) return o_.error_page(503, req);
    for (const ModerationItem& item : *queue) {
      render::Dict* d = b.AddSectionDictionary("MOD_ITEM");
      const std::string kind(ReportedName(item.state.kind));
      d->SetValue("KIND", kind);
      d->SetIntValue("ID", static_cast<long>(item.state.object_id));
      d->SetValue("KIND_LABEL", Msg().Get(lang, "participation.moderation.kind." + kind));
      d->SetValue("HREF", "/m/" + m.slug + "/participate/" + p.slug + "/proposals/" +
                              item.proposal_token +
                              (item.state.kind == Reported::kComment
                                   ? "#comment-" + std::to_string(item.state.object_id)
                                   : ""));
      d->SetValue("TITLE", item.title);
      d->SetValue("TEXT", item.text);
      d->SetValue("AUTHOR", item.author_name);
      d->SetValue("REPORTS", Msg().Format(lang, "participation.moderation.reports",
                                          {{"n", i18n::FormatNumber(item.state.reports, lang)}}));
      if (item.state.review_requested_at != 0) d->ShowSection("REVIEWING");
      d->SetValue("ACTION", href + "/moderation");
      d->SetValue("CSRF", csrf);
    }
    if (queue->empty()) b.ShowSection("NO_MODERATION");
    b.SetValue("THRESHOLD_ACTION", href + "/report-threshold");
    b.SetIntValue("REPORT_THRESHOLD", static_cast<long>(p.report_threshold));
    if (!FillAdminRecommendations(b, o_, req, m, p, href).ok()) return o_.error_page(503, req);
    if (!FillAdminMeetings(b, o_, req, p, href).ok()) return o_.error_page(503, req);
    b.SetValue("VOTE_ACTION", href + "/votes");
    b.SetValue("CSRF", csrf);
    render::Form form;
    form.action = href + "/phases";
    form.submit_key = "participation.admin.phases_submit";
    form.csrf = csrf;
    form.errors = errors;
    PhaseFields(form, values, &p);
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // counter_key: the message of a paper ballot just recorded (or refused, when status >= 300).
  Response ShowVerify(const Request& req, const http::Params& values,
                      const std::map<std::string, std::string>& errors, const std::string& notice,
                      int status, const std::string& counter_key = "") {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const std::string href = "/m/" + m->slug + "/participation/verify";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "participation-verify.tpl", href,
                                  Msg().Get(lang, "participation.verify.title"));
    render::Dict& b = page.body();
    if (!notice.empty()) b.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    if (!counter_key.empty()) {
      b.SetValueAndShowSection("COUNTER_NOTICE", Msg().Get(lang, counter_key),
                               status < 300 ? "COUNTER_OK" : "COUNTER_REFUSED");
    }
    b.SetValue("COUNTER_ACTION", "/m/" + m->slug + "/participation/counter-vote");
    b.SetValue("CSRF", identity::TokenFor(req).value);
    render::Form form;
    form.action = href;
    form.submit_key = "participation.verify.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    render::FormField id{"national_id", "participation.verify.national_id",
                         "participation.verify.hint", "text"};
    id.value = std::string(values.Get("national_id").value_or(""));
    id.inputmode = "numeric";
    id.autocomplete = "off";
    id.ltr = true;
    form.fields = {id};
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddStaffRoutes(identity::GuardedRoutes& routes, WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<StaffPages>(options);
  options.admin_process = [pages](const Request& r, const std::string& key, int status) {
    return pages->ShowProcess(r, {}, {}, key, status);
  };
  options.admin_list = [pages](const Request& r, const std::string& key, int status) {
    return pages->ShowList(r, {}, {}, status, key);
  };
  options.counter_page = [pages](const Request& r, const std::string& key, int status) {
    return pages->ShowVerify(r, {}, {}, "", status, key);
  };
  auto on = http::MemberHandlers(pages);
  const Access run = Access::Requires(Permission::kRunParticipation);
  const std::string base = "/m/{slug}/admin/participation";
  routes.Get(base, run, on(&StaffPages::List));
  routes.Post(base, run, on(&StaffPages::Create));
  routes.Get(base + "/{process}", run, on(&StaffPages::Process_));
  routes.Post(base + "/{process}/phases", run, on(&StaffPages::SetPhases));
  routes.Post(base + "/{process}/proposals/{proposal}/answer", run, on(&StaffPages::Answer));
  routes.Post(base + "/{process}/moderation", run, on(&StaffPages::Moderate));
  routes.Post(base + "/{process}/report-threshold", run, on(&StaffPages::ReportThreshold));
  const Access counter = Access::Requires(Permission::kFileOnBehalf);
  routes.Get("/m/{slug}/participation/verify", counter, on(&StaffPages::Verify));
  routes.Post("/m/{slug}/participation/verify", counter, on(&StaffPages::DoVerify));
  routes.Get("/participation/admin", Access::SignedIn(), [pages](Request& r) {
    return pages->Home(r, Permission::kRunParticipation, "/admin/participation");
  });
  routes.Get("/participation/verify", Access::SignedIn(), [pages](Request& r) {
    return pages->Home(r, Permission::kFileOnBehalf, "/participation/verify");
  });
}

}  // namespace baladiya::participation
