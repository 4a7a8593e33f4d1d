#include "cases/web.h"

#include <charconv>
#include <ctime>
#include <memory>
#include <set>

#include "cases/follow_web.h"
#include "identity/credentials.h"
#include "identity/web.h"
#include "platform/http/multipart.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"
#include "workflow/services.h"

namespace baladiya::cases {

http::Response FileDownload(Attachment a) {
  http::Response res;
  res.status = 200;
  res.body = std::move(a.content);
  res.headers.Set("content-type", a.content_type);
  res.headers.Set("content-disposition", "attachment; filename=\"file\"; filename*=UTF-8''" +
                                             http::PercentEncode(a.file_name));
  res.headers.Set("cache-control", "no-store");
  res.headers.Set("x-content-type-options", "nosniff");
  return res;
}

std::vector<std::string> RolesFor(const identity::Principal& who, int64_t municipality_id,
                                  int64_t department_id) {
  std::vector<std::string> out;
  for (const auto& g : who.grants) {
    const bool here =
        g.municipality_id == 0 || (g.municipality_id == municipality_id &&
                                   (g.department_id == 0 || g.department_id == department_id));
    if (here) out.emplace_back(identity::RoleName(g.role));
  }
  return out;
}

std::vector<int64_t> WorkDepartments(const identity::Principal& who, int64_t municipality_id) {
  if (identity::Allowed(who, identity::Permission::kWorkCases, municipality_id)) return {};
  std::vector<int64_t> out;
  for (const auto& g : who.grants) {
    if (g.municipality_id == municipality_id && g.department_id != 0 &&
        identity::Allowed(who, identity::Permission::kWorkCases, municipality_id, g.department_id))
      out.push_back(g.department_id);
  }
  // Allowed to reach the queue at all means at least one department; never "all" by accident.
  if (out.empty()) out.push_back(-1);
  return out;
}

namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;
using identity::PrincipalOf;

int64_t ToInt(std::string_view s, int64_t fallback = 0) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

class Pages {
 public:
  explicit Pages(WebOptions o) : o_(std::move(o)) {}

  // ---- the public catalogue ------------------------------------------------------------------

  Response Catalogue(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    const std::string q(req.query.Get("q").value_or(""));
    auto list = q.empty() ? o_.services->List(m->id, true) : o_.services->Search(m->id, q);
    if (!list.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/services";
    render::Page page = SitePage(req, *m, "cases-services.tpl", href, "services.title");
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    b.SetValue("Q", q);
    if (!q.empty()) {
      b.ShowSection("SEARCHED");
      b.SetValue(
          "RESULTS",
          Cat().Format(lang, "services.results",
                       {{"count", i18n::FormatNumber(static_cast<int64_t>(list->size()), lang)}}));
    }
    std::string current;
    render::Dict* group = nullptr;
    for (const auto& s : *list) {
      if (!group || s.category != current) {
        current = s.category;
        group = b.AddSectionDictionary("CATEGORY");
        group->SetValue("CATEGORY_NAME", CategoryName(s.category, lang));
      }
      render::Dict* d = group->AddSectionDictionary("SERVICE");
      d->SetValue("SERVICE_HREF", href + "/" + s.code);
      d->SetValue("NAME", s.name.In(lang));
      d->SetValue("DESCRIPTION", s.description.In(lang));
      if (s.kind == catalog::ServiceKind::kReport) d->ShowSection("IS_REPORT");
    }
    return page.Finish(200);
  }

  Response ServicePage(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    auto s = o_.services->Find(m->id, req.PathParam("code"));
    if (!s.ok() || !s->published)
      return o_.error_page(s.ok() || s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    const std::string href = "/m/" + m->slug + "/services/" + s->code;
    render::Page page(*o_.site, req, "cases-service.tpl");
    page.SetPath(href);
    page.SetTitle(s->name.In(lang));
    page.SetSiteName(m->name.In(lang), "/m/" + m->slug);
    render::Dict& b = page.body();
    b.SetValue("NAME", s->name.In(lang));
    b.SetValue("DESCRIPTION", s->description.In(lang));
    b.SetValue("FEE", FeeText(*s, lang));
    b.SetValue("SLA", Cat().Format(lang, "services.sla_days",
                                   {{"days", i18n::FormatNumber(s->sla_days, lang)}}));
    auto deps = o_.tenancy->Departments(m->id);
    if (deps.ok()) {
      for (const auto& d : *deps) {
        if (d.id == s->department_id)
          b.SetValueAndShowSection("DEPARTMENT", d.name.In(lang), "HAS_DEPARTMENT");
      }
    }
    std::string channels;
    for (const auto& c : s->channels) {
      if (!channels.empty()) channels += lang == i18n::Lang::kAr ? "، " : ", ";
      channels += Cat().Get(lang, "channel." + c);
    }
    b.SetValue("CHANNELS", channels);
    if (!s->eligibility.Empty())
      b.SetValueAndShowSection("ELIGIBILITY", s->eligibility.In(lang), "HAS_ELIGIBILITY");
    for (const auto& d : s->documents) {
      b.ShowSection("HAS_DOCUMENTS");
      b.AddSectionDictionary("DOCUMENT")->SetValue("TEXT", d.In(lang));
    }
    const identity::Principal& who = PrincipalOf(req);
    if (!s->Offers("web")) {
      b.ShowSection("NOT_ONLINE");
    } else if (who.anonymous()) {
      b.SetValueAndShowSection("LOGIN_HREF", "/login?next=" + http::PercentEncode(href), "SIGN_IN");
    } else {
      b.ShowSection("CAN_APPLY");
      b.SetValue("APPLY_HREF", href + "/apply");
      b.SetValue("APPLY_LABEL",
                 Cat().Get(lang, s->kind == catalog::ServiceKind::kReport ? "services.report_now"
                                                                          : "services.apply"));
      b.SetValue("CSRF", identity::TokenFor(req).value);
    }
    b.SetValue("BACK_HREF", "/m/" + m->slug + "/services");
    return page.Finish(200);
  }

  // ---- applying --------------------------------------------------------------------------------

  Response Apply(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    auto s = o_.services->Find(m->id, req.PathParam("code"));
    if (!s.ok() || !s->published || !s->Offers("web")) return o_.error_page(404, req);
    const identity::Principal& who = PrincipalOf(req);
    auto draft = o_.cases->CreateDraft(who.account_id, *s, "web", 0, o_.now_ms());
    if (!draft.ok()) return o_.error_page(503, req);
    return Response::Redirect("/applications/" + std::to_string(*draft) + "/page/1");
  }

  Response QuestionForm(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return o_.error_page(404, req);
    int page = static_cast<int>(ToInt(req.PathParam("page"))) - 1;
    if (page < 0 || page >= static_cast<int>(ctx->service.form.pages.size()))
      return o_.error_page(404, req);
    return ShowQuestions(req, *ctx, page, {}, 200);
  }

  Response SaveQuestions(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return o_.error_page(404, req);
    int page = static_cast<int>(ToInt(req.PathParam("page"))) - 1;
    const auto& pages = ctx->service.form.pages;
    if (page < 0 || page >= static_cast<int>(pages.size())) return o_.error_page(404, req);
    http::Params form = req.Form();
    std::vector<http::Part> uploads;
    if (auto boundary = http::MultipartBoundary(req.headers.Get("content-type"))) {
      auto parts = http::ParseMultipart(req.body, *boundary);
      if (!parts.ok()) return o_.error_page(400, req);
      form = http::FieldsOf(*parts);
      for (auto& part : *parts) {
        if (!part.filename.empty() && !part.data.empty()) uploads.push_back(std::move(part));
      }
    }
    std::map<std::string, std::string> upload_errors;
    for (const auto& f : pages[page].fields) {
      if (f.type != catalog::FieldType::kFile) continue;
      // New files replace the field's earlier ones; no new file keeps them.
      std::vector<std::string> refs;
      for (const auto& part : uploads) {
        if (part.name != f.name) continue;
        if (static_cast<int>(refs.size()) >= std::max(f.max_files, 1)) {
          upload_errors[f.name] = "form.too_many_files";
          break;
        }
        auto id =
            o_.cases->AddAttachment(ctx->draft, f.name, part.filename, part.data, o_.now_ms());
        if (!id.ok()) {
          upload_errors[f.name] = id.error().message_key;
          break;
        }
        refs.push_back(AttachmentRef(*id));
      }
      if (!refs.empty() && !upload_errors.count(f.name)) ctx->draft.answers[f.name] = refs;
    }
    for (const auto& f : pages[page].fields) {
      if (f.type == catalog::FieldType::kFile) continue;  // uploads are handled above
      std::vector<std::string> values;
      for (auto v : form.GetAll(f.name)) {
        if (!v.empty()) values.emplace_back(v);
      }
      if (values.empty()) {
        ctx->draft.answers.erase(f.name);
      } else {
        ctx->draft.answers[f.name] = std::move(values);
      }
    }
    const bool save_only = form.Get("go").value_or("") == "save";
    catalog::Answers checked = ctx->draft.answers;
    auto errors = catalog::ValidateAnswers(ctx->service.form, page, checked);
    for (const auto& [field, key] : upload_errors) errors[field] = key;
    if (errors.empty()) ctx->draft.answers = std::move(checked);
    ctx->draft.page = page;
    Status saved = o_.cases->SaveDraft(ctx->draft, o_.now_ms());
    if (!saved.ok()) {
      if (saved.error().code == ErrorCode::kConflict) return DraftDone(req, *ctx);
      return o_.error_page(503, req);
    }
    if (save_only) {
      // The counter clerk goes back to the counter; the resident to their applications.
      if (ctx->draft.filed_by == PrincipalOf(req).account_id && ctx->draft.filed_by != 0)
        return Response::Redirect("/m/" + ctx->municipality.slug + "/counter");
      return Response::Redirect("/account/cases?saved=1");
    }
    if (!errors.empty()) return ShowQuestions(req, *ctx, page, errors, 422);
    // The next page with a visible field, or "check your answers".
    for (int next = page + 1; next < static_cast<int>(pages.size()); ++next) {
      for (const auto& f : pages[next].fields) {
        if (catalog::Visible(f, ctx->draft.answers)) {
          return Response::Redirect(DraftHref(ctx->draft) + "/page/" + std::to_string(next + 1));
        }
      }
    }
    return Response::Redirect(DraftHref(ctx->draft) + "/check");
  }

  Response CheckForm(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return o_.error_page(404, req);
    return ShowCheck(req, *ctx, {}, false, 200);
  }

  Response Submit(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return o_.error_page(404, req);
    http::Params form = req.Form();
    if (form.Get("declaration").value_or("") != "yes") return ShowCheck(req, *ctx, {}, true, 422);
    const identity::Principal& who = PrincipalOf(req);
    // The applicant's language for their notifications (a counter clerk may be filing).
    auto account = o_.accounts->Get(ctx->draft.account_id, false);
    if (!account.ok()) return o_.error_page(503, req);
    const bool on_behalf = ctx->draft.filed_by != 0 && ctx->draft.filed_by == who.account_id;
    Actor actor{who.account_id,
                who.pseudonym,
                {on_behalf ? "counter-clerk" : "resident"},
                ctx->draft.channel,
                req.request_id};
    // A report whose location lies in another municipality's area is filed there.
    auto filed =
        o_.filing->SubmitDraft(ctx->draft, ctx->service, actor, account->lang, o_.now_ms());
    if (!filed.ok()) {
      if (filed.error().code == ErrorCode::kInvalid)
        return ShowCheck(req, *ctx, filed.error().fields, false, 422);
      return o_.error_page(503, req);
    }
    const std::string& tracking = filed->filed.tracking;
    if (on_behalf) {
      return Response::Redirect("/m/" + ctx->municipality.slug + "/counter?filed=" + tracking);
    }
    return Response::Redirect("/account/cases/" + tracking + "?submitted=1" +
                              (filed->route ? "&routed=1" : ""));
  }

  // Follows an open report near the draft's place instead of filing it (follow_web.h).
  Response Follow(Request& req) {
    auto ctx = LoadDraft(req);
    if (!ctx) return o_.error_page(404, req);
    auto route = o_.filing->RouteOf(ctx->service, ctx->draft.answers, ctx->draft.channel);
    const catalog::Service* routed_to = route.ok() && *route ? &(*route)->service : nullptr;
    auto done =
        follow::FollowInstead(o_, req, ctx->draft, ctx->service, routed_to, ctx->municipality);
    if (!done.ok()) {
      if (done.error().code == ErrorCode::kConflict &&
          done.error().message_key == "cases.draft_submitted")
        return DraftDone(req, *ctx);
      return ShowCheck(req, *ctx, {}, false, StatusOf(done.error()), done.error().message_key);
    }
    return std::move(*done);
  }

  // ---- the counter: filing for a resident who is present or on the phone --------------------

  Response CounterForm(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    std::string filed;
    if (auto t = req.query.Get("filed"); t && workflow::ParseTrackingNumber(*t)) filed = *t;
    return ShowCounter(req, *m, {}, {}, filed, 200);
  }

  Response CounterStart(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    http::Params form = req.Form();
    std::map<std::string, std::string> errors;
    // Scoped, limited per staff account and audited (identity::AccountStore::LookUpResident).
    const identity::Principal& clerk = PrincipalOf(req);
    auto creds = o_.accounts->LookUpResident(clerk, m->id, form.Get("resident").value_or(""), "",
                                             {clerk.pseudonym, req.request_id, m->id}, o_.now_ms());
    if (!creds.ok() && creds.error().code == ErrorCode::kForbidden) return o_.error_page(403, req);
    if (!creds.ok()) {
      errors["resident"] = creds.error().code == ErrorCode::kUnavailable
                               ? "counter.lookups_limited"
                               : "counter.resident_unknown";
    }
    auto s = o_.services->Find(m->id, form.Get("service").value_or(""));
    const std::string channel(form.Get("channel").value_or(""));
    if (!s.ok() || !s->published) {
      errors["service"] = "counter.service_required";
    } else if (channel != "counter" && channel != "phone") {
      errors["channel"] = "counter.channel_required";
    } else if (!s->Offers(channel)) {
      errors["channel"] = "api.channel_not_offered";
    }
    if (!errors.empty()) return ShowCounter(req, *m, form, errors, "", 422);
    const identity::Principal& who = PrincipalOf(req);
    auto draft = o_.cases->CreateDraft(creds->id, *s, channel, who.account_id, o_.now_ms());
    if (!draft.ok()) return o_.error_page(503, req);
    return Response::Redirect("/applications/" + std::to_string(*draft) + "/page/1");
  }

  // ---- the resident's cases --------------------------------------------------------------------

  Response Mine(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = PrincipalOf(req);
    auto cases = o_.cases->OfApplicant(who.account_id);
    auto drafts = o_.cases->Drafts(who.account_id);
    if (!cases.ok() || !drafts.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "cases-mine.tpl");
    page.SetPath("/account/cases");
    page.SetTitle(Cat().Get(lang, "mine.title"));
    render::Dict& b = page.body();
    for (const auto& c : *cases) {
      b.ShowSection("HAS_CASES");
      render::Dict* d = b.AddSectionDictionary("CASE");
      d->SetValue("HREF", "/account/cases/" + c.tracking);
      d->SetValue("TRACKING", c.tracking);
      auto s = o_.services->Get(c.service_id);
      d->SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      d->SetValue("STATE", s.ok() ? StateLabel(*s, c.state, lang) : c.state);
      d->SetValue("SUBMITTED", i18n::FormatDate(c.submitted_at, lang));
    }
    for (const auto& dr : *drafts) {
      b.ShowSection("HAS_DRAFTS");
      render::Dict* d = b.AddSectionDictionary("DRAFT");
      d->SetValue("HREF", DraftHref(dr) + "/page/" + std::to_string(dr.page + 1));
      auto s = o_.services->Get(dr.service_id);
      d->SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      d->SetValue("UPDATED", i18n::FormatDate(dr.updated_at, lang));
    }
    if (cases->empty() && drafts->empty()) b.ShowSection("EMPTY");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response MyCase(Request& req) { return ShowCase(req, false, "", 200); }

  Response Answer(Request& req) {
    auto c = ApplicantCase(req);
    if (!c) return o_.error_page(404, req);
    return Act(req, *c, {"resident"}, false);
  }

  // ---- the public status lookup
  // ------------------------------------------------------------------

  Response TrackForm(Request& req) { return ShowTrack(req, {}, {}, nullptr, 200); }

  Response Track(Request& req) {
    const int64_t now = o_.now_ms();
    http::Params form = req.Form();
    const std::string tracking(form.Get("tracking").value_or(""));
    const std::string phone(form.Get("phone").value_or(""));
    // Wrong guesses count per address, per tracking number and per phone, so neither many
    // addresses nor many numbers make probing cheap.
    std::vector<std::string> keys = {"track:" + req.remote_address};
    if (auto parts = workflow::ParseTrackingNumber(tracking)) {
      keys.push_back("track-case:" +
                     workflow::TrackingNumber(parts->prefix, parts->year, parts->sequence));
    }
    if (auto e164 = identity::NormalizeMobilePhone(phone); e164.ok())
      keys.push_back("track-phone:" + *e164);
    int64_t wait = 0;
    for (const auto& k : keys) wait = std::max(wait, o_.track_limits->RetryAfter(k, now));
    if (wait > 0) {
      Response res = o_.error_page(429, req);
      res.headers.Set("retry-after", std::to_string(wait));
      return res;
    }
    std::map<std::string, std::string> errors;
    auto c = o_.cases->FindByTracking(tracking);
    auto normalized = identity::NormalizeMobilePhone(phone);
    bool match = false;
    if (c.ok() && normalized.ok()) {
      auto applicant = o_.accounts->Get(c->applicant_id, true);
      match = applicant.ok() && applicant->personal.phone == *normalized;
    }
    if (!match) {
      // One answer for a wrong number and a wrong phone, so neither can be probed; and few
      // guesses per address.
      for (const auto& k : keys) o_.track_limits->Failure(k, now);
      errors["tracking"] = "track.not_found";
      return ShowTrack(req, form, errors, nullptr, 404);
    }
    return ShowTrack(req, form, {}, &*c, 200);
  }

  // ---- the back office -------------------------------------------------------------------------

  Response Queue(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    const identity::Principal& who = PrincipalOf(req);
    QueueFilter f;
    f.municipality_id = m->id;
    f.departments = WorkDepartments(who, m->id);
    f.state = std::string(req.query.Get("state").value_or(""));
    f.service_id = ToInt(req.query.Get("service").value_or(""));
    f.sla = std::string(req.query.Get("sla").value_or(""));
    f.channel = std::string(req.query.Get("channel").value_or(""));
    if (!f.channel.empty() && !ValidChannel(f.channel)) f.channel.clear();
    f.sort = std::string(req.query.Get("sort").value_or("due"));
    f.offset = static_cast<int>(std::max<int64_t>(0, ToInt(req.query.Get("offset").value_or(""))));
    f.limit = 25;
    auto page_of = o_.cases->Queue(f, o_.now_ms());
    auto services = o_.services->Summaries(m->id);
    if (!page_of.ok() || !services.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/queue";
    render::Page page = SitePage(req, *m, "cases-queue.tpl", href, "queue.title");
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    auto option = [&](const char* section, const std::string& value, const std::string& label,
                      bool selected) {
      render::Dict* d = b.AddSectionDictionary(section);
      d->SetValue("VALUE", value);
      d->SetValue("LABEL", label);
      if (selected) d->ShowSection("SELECTED");
    };
    option("STATE_OPTION", "", Cat().Get(lang, "queue.all_open"), f.state.empty());
    // Every state a case of the municipality's services can be in: the default workflow's, then
    // those the admin added to a service's own workflow (each key once, labelled by the first
    // workflow that names it).
    std::set<std::string> listed;
    auto add_states = [&](const workflow::Workflow& wf) {
      for (const auto& st : wf.states) {
        if (listed.insert(st.key).second)
          option("STATE_OPTION", st.key, st.label.In(lang), f.state == st.key);
      }
    };
    add_states(workflow::DefaultWorkflow(Cat()));
    for (const auto& s : *services) {
      if (s.workflow_json.empty()) continue;
      if (auto wf = workflow::ForService(s, Cat()); wf.ok()) add_states(*wf);
    }
    option("STATE_OPTION", "closed", Cat().Get(lang, "queue.closed"), f.state == "closed");
    option("SERVICE_OPTION", "", Cat().Get(lang, "queue.all_services"), f.service_id == 0);
    std::map<int64_t, const catalog::Service*> by_id;
    for (const auto& s : *services) {
      by_id[s.id] = &s;
      option("SERVICE_OPTION", std::to_string(s.id), s.name.In(lang), f.service_id == s.id);
    }
    for (const char* v : {"", "overdue", "on_time"}) {
      option("SLA_OPTION", v, Cat().Get(lang, std::string("queue.sla_") + (*v ? v : "any")),
             f.sla == v);
    }
    option("CHANNEL_OPTION", "", Cat().Get(lang, "queue.all_channels"), f.channel.empty());
    for (const auto& c : catalog::AllChannels()) {
      option("CHANNEL_OPTION", c, Cat().Get(lang, "channel." + c), f.channel == c);
    }
    for (const char* v : {"due", "submitted", "-submitted"}) {
      option("SORT_OPTION", v,
             Cat().Get(lang, std::string("queue.sort_") + (v[0] == '-' ? "newest" : v)),
             f.sort == v);
    }
    b.SetValue("COUNT",
               Cat().Format(lang, page_of->total_capped ? "queue.count_more" : "queue.count",
                            {{"count", i18n::FormatNumber(page_of->total, lang)}}));
    const int64_t now = o_.now_ms();
    // Department heads assign cases, several at once, to anyone who works the municipality's
    // cases.
    const bool can_assign = identity::AllowedSomewhere(who, Permission::kManageDepartment, m->id);
    if (can_assign && !page_of->cases.empty()) {
      b.ShowSection("CAN_ASSIGN");
      b.SetValue("ASSIGN_HREF", href + "/assign");
      b.SetValue("CSRF", identity::TokenFor(req).value);
      auto staff = o_.accounts->Staff(m->id);
      if (staff.ok()) {
        for (const auto& a : *staff) {
          if (a.status != identity::AccountStatus::kActive) continue;
          auto grants = o_.accounts->Grants(a.id);
          if (!grants.ok()) continue;
          identity::Principal p;
          p.account_id = a.id;
          p.staff = true;
          p.mfa_satisfied = true;
          p.grants = *grants;
          if (!identity::AllowedSomewhere(p, Permission::kWorkCases, m->id)) continue;
          render::Dict* d = b.AddSectionDictionary("ASSIGNEE");
          d->SetValue("VALUE", std::to_string(a.id));
          d->SetValue("LABEL",
                      (lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en
                                                                          : a.full_name_ar) +
                          " (" + a.username + ")");
        }
      }
    }
    if (auto n = req.query.Get("assigned"); n && !n->empty()) {
      b.SetValueAndShowSection(
          "NOTICE",
          Cat().Format(lang, "queue.assigned",
                       {{"count", i18n::FormatNumber(ToInt(*n), lang)},
                        {"conflicts", i18n::FormatNumber(
                                          ToInt(req.query.Get("conflicts").value_or("0")), lang)}}),
          "HAS_NOTICE");
    }
    std::map<int64_t, std::optional<workflow::Workflow>> flows;  // per service, for this page
    for (const auto& c : page_of->cases) {
      b.ShowSection("HAS_CASES");
      render::Dict* d = b.AddSectionDictionary("CASE");
      d->SetValue("CASE_HREF", "/m/" + m->slug + "/cases/" + c.tracking);
      d->SetValue("TRACKING", c.tracking);
      if (can_assign) {
        d->ShowSection("SELECTABLE");
        d->SetValue("VERSION", std::to_string(c.version));
      }
      auto it = by_id.find(c.service_id);
      d->SetValue("SERVICE", it != by_id.end() ? it->second->name.In(lang) : "");
      d->SetValue("STATE", it != by_id.end() ? StateLabelCached(*it->second, c.state, lang, flows)
                                             : c.state);
      d->SetValue("CHANNEL", Cat().Get(lang, "channel." + c.channel));
      d->SetValue("SUBMITTED", i18n::FormatDate(c.submitted_at, lang));
      d->SetValue("DUE", c.closed_at ? "" : i18n::FormatDate(c.due_at, lang));
      if (c.Overdue(now)) d->ShowSection("OVERDUE");
      d->SetValue("ASSIGNED", c.assigned_to == who.account_id ? Cat().Get(lang, "queue.me")
                              : c.assigned_to                 ? Cat().Get(lang, "queue.someone")
                                                              : "");
    }
    auto link = [&](int offset) {
      std::string q = "?offset=" + std::to_string(offset);
      for (const char* k : {"state", "service", "sla", "channel", "sort"}) {
        if (auto v = req.query.Get(k); v && !v->empty())
          q += std::string("&") + k + "=" + http::PercentEncode(*v);
      }
      return href + q;
    };
    if (f.offset > 0)
      b.SetValueAndShowSection("PREV_HREF", link(std::max(0, f.offset - f.limit)), "HAS_PREV");
    if (f.offset + f.limit < page_of->total)
      b.SetValueAndShowSection("NEXT_HREF", link(f.offset + f.limit), "HAS_NEXT");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response StaffCase(Request& req) { return ShowCase(req, true, "", 200); }

  // Assigns the selected cases ("TRACKING:VERSION" each) to one member of staff; a case that
  // changed since the page was shown is counted as a conflict and left as it is.
  Response BulkAssign(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(404, req);
    http::Params form = req.Form();
    const identity::Principal& who = PrincipalOf(req);
    const int64_t assignee = ToInt(form.Get("assignee").value_or(""));
    auto target = o_.accounts->Get(assignee, false);
    auto grants = o_.accounts->Grants(assignee);
    if (!target.ok() || !grants.ok() || target->kind != identity::AccountKind::kStaff)
      return o_.error_page(400, req);
    identity::Principal them;
    them.account_id = assignee;
    them.staff = true;
    them.mfa_satisfied = true;
    them.grants = *grants;
    int assigned = 0;
    int conflicts = 0;
    for (auto value : form.GetAll("case")) {
      const size_t colon = value.rfind(':');
      if (colon == std::string_view::npos) continue;
      auto c = o_.cases->FindByTracking(value.substr(0, colon));
      if (!c.ok() || c->municipality_id != m->id ||
          !identity::Allowed(who, Permission::kManageDepartment, m->id, c->department_id) ||
          !identity::Allowed(them, Permission::kWorkCases, m->id, c->department_id)) {
        ++conflicts;
        continue;
      }
      auto r = o_.cases->Assign(c->id, ToInt(value.substr(colon + 1)), assignee,
                                ActorOf(req, m->id, c->department_id), o_.now_ms());
      if (r.ok()) {
        ++assigned;
      } else {
        ++conflicts;
      }
    }
    return Response::Redirect("/m/" + m->slug + "/queue?assigned=" + std::to_string(assigned) +
                              "&conflicts=" + std::to_string(conflicts));
  }

  Response Rate(Request& req) {
    auto c = ApplicantCase(req);
    const identity::Principal& who = PrincipalOf(req);
    if (!c) return o_.error_page(404, req);
    http::Params form = req.Form();
    Actor actor{who.account_id, who.pseudonym, {"resident"}, "web", req.request_id};
    Status s = o_.cases->Rate(c->id, static_cast<int>(ToInt(form.Get("score").value_or(""))),
                              std::string(form.Get("comment").value_or("")), actor, o_.now_ms());
    if (!s.ok()) return ShowCase(req, false, s.error().message_key, StatusOf(s.error()));
    return Response::Redirect("/account/cases/" + c->tracking);
  }

  Response Reopen(Request& req) {
    auto c = ApplicantCase(req);
    const identity::Principal& who = PrincipalOf(req);
    if (!c) return o_.error_page(404, req);
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return o_.error_page(503, req);
    auto wf = WorkflowOf(*s);
    auto calendar = CalendarOf(c->municipality_id);
    if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
    Actor actor{who.account_id, who.pseudonym, {"resident"}, "web", req.request_id};
    auto r = o_.cases->Reopen(c->id, ToInt(req.Form().Get("version").value_or("")), o_.reopen_days,
                              actor, *wf, *calendar, *s, o_.now_ms());
    if (!r.ok()) return ShowCase(req, false, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/account/cases/" + c->tracking);
  }

  Response StaffFile(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return o_.error_page(404, req);
    return SendFile(req, *c);
  }

  Response MyFile(Request& req) {
    auto c = ApplicantCase(req);
    if (!c) return o_.error_page(404, req);
    return SendFile(req, *c);
  }

  Response SendFile(const Request& req, const Case& c) {
    auto a = o_.cases->GetAttachment(c.id, ToInt(req.PathParam("file")));
    if (!a.ok()) return o_.error_page(a.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return FileDownload(std::move(*a));
  }

  Response StaffAct(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return o_.error_page(404, req);
    return Act(req, *c, RolesFor(PrincipalOf(req), c->municipality_id, c->department_id), true);
  }

  // Closes the report as a duplicate of another (follow_web.h).
  Response StaffMerge(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return o_.error_page(404, req);
    auto merged = follow::MergeCase(o_, req, *c);
    if (!merged.ok()) {
      const std::string key = merged.error().code == ErrorCode::kInternal
                                  ? std::string("error.internal")
                                  : merged.error().message_key;
      return ShowCase(req, true, key, StatusOf(merged.error()));
    }
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

  Response StaffNote(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return o_.error_page(404, req);
    http::Params form = req.Form();
    auto r = o_.cases->AddNote(c->id, ToInt(form.Get("version").value_or("")),
                               std::string(form.Get("note").value_or("")),
                               ActorOf(req, c->municipality_id, c->department_id), o_.now_ms());
    if (!r.ok()) return ShowCase(req, true, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

  Response StaffAssign(Request& req) {
    auto c = StaffCaseOf(req);
    if (!c) return o_.error_page(404, req);
    http::Params form = req.Form();
    const identity::Principal& who = PrincipalOf(req);
    auto r = o_.cases->Assign(c->id, ToInt(form.Get("version").value_or("")), who.account_id,
                              ActorOf(req, c->municipality_id, c->department_id), o_.now_ms());
    if (!r.ok()) return ShowCase(req, true, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect("/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking);
  }

 private:
  struct DraftContext {
    Draft draft;
    catalog::Service service;
    catalog::Municipality municipality;
  };

  const i18n::Catalog& Cat() const { return *o_.site->catalog; }

  std::optional<catalog::Municipality> Municipality(const Request& req) {
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return std::nullopt;
    return *m;
  }

  render::Page SitePage(const Request& req, const catalog::Municipality& m, const char* tpl,
                        const std::string& href, const char* title_key) {
    i18n::Lang lang = render::RequestLang(req);
    render::Page page(*o_.site, req, tpl);
    page.SetPath(href);
    page.SetTitle(Cat().Get(lang, title_key));
    page.SetSiteName(m.name.In(lang), "/m/" + m.slug);
    return page;
  }

  std::string CategoryName(const std::string& category, i18n::Lang lang) const {
    const std::string key = "services.category." + category;
    return Cat().Has(lang, key) ? Cat().Get(lang, key) : category;
  }

  std::string FeeText(const catalog::Service& s, i18n::Lang lang) const {
    if (s.fee.base_minor == 0 && s.fee.rules.empty()) return Cat().Get(lang, "services.free");
    std::string text = i18n::FormatMoney(s.fee.base_minor, s.fee.currency, lang);
    if (!s.fee.rules.empty()) text += " " + Cat().Get(lang, "services.fee_varies");
    return text;
  }

  Result<workflow::Workflow> WorkflowOf(const catalog::Service& s) const {
    return workflow::ForService(s, Cat());
  }

  Result<workflow::Calendar> CalendarOf(int64_t municipality_id) const {
    return workflow::CalendarOf(*o_.services, municipality_id);
  }

  std::string StateLabel(const catalog::Service& s, const std::string& state,
                         i18n::Lang lang) const {
    return workflow::StateLabel(s, state, Cat(), lang);
  }

  // StateLabel with the service's workflow built once per page (a queue shows many cases of
  // few services).
  std::string StateLabelCached(const catalog::Service& s, const std::string& state, i18n::Lang lang,
                               std::map<int64_t, std::optional<workflow::Workflow>>& flows) const {
    auto it = flows.find(s.id);
    if (it == flows.end()) {
      auto wf = WorkflowOf(s);
      it = flows
               .emplace(s.id,
                        wf.ok() ? std::optional<workflow::Workflow>(std::move(*wf)) : std::nullopt)
               .first;
    }
    if (it->second) {
      if (const workflow::State* st = it->second->FindState(state)) return st->label.In(lang);
    }
    return state;
  }

  static std::string DraftHref(const Draft& d) { return "/applications/" + std::to_string(d.id); }

  std::optional<DraftContext> LoadDraft(const Request& req) {
    const identity::Principal& who = PrincipalOf(req);
    auto d = o_.cases->GetDraft(ToInt(req.PathParam("draft")), who.account_id);
    if (!d.ok()) return std::nullopt;
    auto s = o_.services->Get(d->service_id);
    if (!s.ok()) return std::nullopt;
    auto municipalities = o_.tenancy->ListMunicipalities();
    if (!municipalities.ok()) return std::nullopt;
    for (const auto& m : *municipalities) {
      if (m.id == s->municipality_id) return DraftContext{std::move(*d), std::move(*s), m};
    }
    return std::nullopt;
  }

  Response DraftDone(const Request&, const DraftContext& ctx) {
    auto c = o_.cases->Get(ctx.draft.case_id);
    if (c.ok()) return Response::Redirect("/account/cases/" + c->tracking);
    return Response::Redirect("/account/cases");
  }

  std::string SizeText(int64_t bytes, i18n::Lang lang) const {
    const int64_t kb = (bytes + 1023) / 1024;
    return Cat().Format(lang, "apply.size_kb", {{"kb", i18n::FormatNumber(kb, lang)}});
  }

  // File answers name attachments: shown by their file names.
  std::string AnswerText(const catalog::Field& f, const std::vector<std::string>& values,
                         i18n::Lang lang, const std::vector<Attachment>* files = nullptr) const {
    std::string out;
    for (const auto& v : values) {
      if (f.type == catalog::FieldType::kFile) {
        std::string name = Cat().Get(lang, "apply.file");
        if (files) {
          for (const auto& a : *files) {
            if (AttachmentRef(a.id) == v) name = a.file_name;
          }
        }
        if (!out.empty()) out += lang == i18n::Lang::kAr ? "، " : ", ";
        out += name;
        continue;
      }
      if (!out.empty()) out += lang == i18n::Lang::kAr ? "، " : ", ";
      std::string shown = v;
      if (f.type == catalog::FieldType::kYesNo) shown = Cat().Get(lang, "form.answer_" + v);
      for (const auto& o : f.options) {
        if (o.value == v) shown = o.label.In(lang);
      }
      out += shown;
    }
    return out;
  }

  Response ShowQuestions(const Request& req, const DraftContext& ctx, int page_index,
                         const std::map<std::string, std::string>& errors, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const catalog::Page& p = ctx.service.form.pages[page_index];
    const std::string href = DraftHref(ctx.draft) + "/page/" + std::to_string(page_index + 1);
    render::Page page(*o_.site, req, "cases-question.tpl");
    page.SetPath(href);
    page.SetTitle(p.title.In(lang) + " — " + ctx.service.name.In(lang));
    page.SetSiteName(ctx.municipality.name.In(lang), "/m/" + ctx.municipality.slug);
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue(
        "PROGRESS",
        Cat().Format(lang, "apply.progress",
                     {{"page", i18n::FormatNumber(page_index + 1, lang)},
                      {"pages", i18n::FormatNumber(
                                    static_cast<int64_t>(ctx.service.form.pages.size()), lang)}}));
    b.SetValue("PAGE_TITLE", p.title.In(lang));
    b.SetValue("ACTION", href);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (page_index > 0) {
      b.SetValueAndShowSection(
          "BACK_HREF", DraftHref(ctx.draft) + "/page/" + std::to_string(page_index), "HAS_BACK");
    }
    if (!errors.empty()) b.ShowSection("ERRORS");
    for (const auto& f : p.fields) {
      if (!catalog::Visible(f, ctx.draft.answers)) continue;
      auto err = errors.find(f.name);
      if (err != errors.end()) {
        render::Dict* e = b.AddSectionDictionary("ERROR");
        e->SetValue("NAME", f.name);
        e->SetValue("MESSAGE", f.label.In(lang) + ": " + Cat().Get(lang, err->second));
      }
      render::Dict* d = b.AddSectionDictionary("FIELD");
      const auto answer = ctx.draft.answers.find(f.name);
      const std::vector<std::string> values =
          answer != ctx.draft.answers.end() ? answer->second : std::vector<std::string>{};
      std::string described;
      if (!f.help.Empty()) described = f.name + "-hint";
      if (err != errors.end()) described += (described.empty() ? "" : " ") + f.name + "-error";
      const bool group = f.type == catalog::FieldType::kSingleChoice ||
                         f.type == catalog::FieldType::kMultipleChoice ||
                         f.type == catalog::FieldType::kYesNo;
      render::Dict* inner = d->AddSectionDictionary(group ? "GROUP" : "SINGLE");
      inner->SetValue("NAME", f.name);
      inner->SetValue("LABEL", f.label.In(lang));
      if (!f.required) inner->ShowSection("IS_OPTIONAL");
      if (!f.help.Empty()) inner->SetValueAndShowSection("HINT", f.help.In(lang), "HAS_HINT");
      if (err != errors.end()) {
        d->ShowSection("HAS_ERROR");
        inner->SetValueAndShowSection("ERROR", Cat().Get(lang, err->second), "HAS_ERROR");
      }
      if (!described.empty())
        inner->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
      auto has = [&](const std::string& v) {
        return std::find(values.begin(), values.end(), v) != values.end();
      };
      if (group) {
        std::vector<std::pair<std::string, std::string>> choices;
        if (f.type == catalog::FieldType::kYesNo) {
          choices = {{"yes", Cat().Get(lang, "form.answer_yes")},
                     {"no", Cat().Get(lang, "form.answer_no")}};
        } else {
          for (const auto& o : f.options) choices.emplace_back(o.value, o.label.In(lang));
        }
        for (const auto& [value, label] : choices) {
          render::Dict* c = inner->AddSectionDictionary("CHOICE");
          c->SetValue("KIND", f.type == catalog::FieldType::kMultipleChoice ? "checkbox" : "radio");
          c->SetValue("ID", f.name + "-" + value);
          c->SetValue("NAME", f.name);
          c->SetValue("VALUE", value);
          c->SetValue("OPTION_LABEL", label);
          if (has(value)) c->ShowSection("CHECKED");
        }
        continue;
      }
      const std::string value = values.empty() ? "" : values.front();
      if (f.type == catalog::FieldType::kLongText) {
        render::Dict* t = inner->AddSectionDictionary("TEXTAREA");
        t->SetValue("NAME", f.name);
        t->SetValue("VALUE", value);
        if (f.required) t->ShowSection("REQUIRED");
        if (err != errors.end()) t->ShowSection("HAS_ERROR");
        if (!described.empty())
          t->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
        continue;
      }
      if (f.type == catalog::FieldType::kFile) {
        b.ShowSection("MULTIPART");
        auto files = o_.cases->Attachments(ctx.draft.id, 0);
        if (files.ok()) {
          for (const auto& a : *files) {
            if (!has(AttachmentRef(a.id))) continue;
            inner->ShowSection("HAS_FILES");
            render::Dict* fd = inner->AddSectionDictionary("FILE");
            fd->SetValue("FILE_NAME", a.file_name);
            fd->SetValue("FILE_SIZE", SizeText(a.size, lang));
          }
        }
      }
      render::Dict* in = inner->AddSectionDictionary("INPUT");
      in->SetValue("NAME", f.name);
      in->SetValue("VALUE", f.type == catalog::FieldType::kFile ? "" : value);
      std::string type = "text";
      std::string mode;
      bool ltr = false;
      switch (f.type) {
        case catalog::FieldType::kNumber:
        case catalog::FieldType::kNationalId:
          mode = "numeric";
          ltr = true;
          break;
        case catalog::FieldType::kPhone:
          type = "tel";
          mode = "tel";
          ltr = true;
          break;
        case catalog::FieldType::kEmail:
          type = "email";
          ltr = true;
          break;
        case catalog::FieldType::kDate:
          type = "date";
          ltr = true;
          break;
        case catalog::FieldType::kFile:
          type = "file";
          break;
        default:
          break;
      }
      in->SetValue("TYPE", type);
      if (!mode.empty()) in->SetValueAndShowSection("INPUTMODE", mode, "HAS_INPUTMODE");
      if (ltr) in->ShowSection("LTR");
      // With a tile server configured, map.js adds a map that writes "lat,lng" into this field
      // (render::Page::UseMap); the field stays the real input.
      if (f.type == catalog::FieldType::kLocation && page.UseMap()) {
        in->ShowSection("MAP_PICK");  // "" (no centre for the municipality) opens on the region
        in->SetValue("MAP_CENTRE", o_.site->map->CentreFor(ctx.municipality.slug));
      }
      if (f.required) in->ShowSection("REQUIRED");
      if (err != errors.end()) in->ShowSection("HAS_ERROR");
      if (!described.empty())
        in->SetValueAndShowSection("DESCRIBED_BY", described, "HAS_DESCRIBED_BY");
    }
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowCheck(const Request& req, const DraftContext& ctx,
                     const std::map<std::string, std::string>& errors, bool declaration_missing,
                     int status, const std::string& follow_error = "") {
    i18n::Lang lang = render::RequestLang(req);
    const std::string href = DraftHref(ctx.draft) + "/check";
    render::Page page(*o_.site, req, "cases-check.tpl");
    page.SetPath(href);
    page.SetTitle(Cat().Get(lang, "apply.check_title"));
    page.SetSiteName(ctx.municipality.name.In(lang), "/m/" + ctx.municipality.slug);
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue("ACTION", href);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    if (!errors.empty()) b.ShowSection("ERRORS");
    if (declaration_missing) {
      b.ShowSection("DECLARATION_ERROR");
      b.ShowSection("ERRORS");
      render::Dict* e = b.AddSectionDictionary("ERROR");
      e->SetValue("HREF", "#declaration");
      e->SetValue("MESSAGE", Cat().Get(lang, "apply.declaration_required"));
    }
    auto files = o_.cases->Attachments(ctx.draft.id, 0);
    for (size_t pi = 0; pi < ctx.service.form.pages.size(); ++pi) {
      for (const auto& f : ctx.service.form.pages[pi].fields) {
        if (!catalog::Visible(f, ctx.draft.answers)) continue;
        const std::string change =
            DraftHref(ctx.draft) + "/page/" + std::to_string(pi + 1) + "#" + f.name;
        if (auto e = errors.find(f.name); e != errors.end()) {
          render::Dict* d = b.AddSectionDictionary("ERROR");
          d->SetValue("HREF", change);
          d->SetValue("MESSAGE", f.label.In(lang) + ": " + Cat().Get(lang, e->second));
        }
        render::Dict* d = b.AddSectionDictionary("ANSWER");
        d->SetValue("LABEL", f.label.In(lang));
        auto a = ctx.draft.answers.find(f.name);
        d->SetValue("VALUE", a == ctx.draft.answers.end()
                                 ? Cat().Get(lang, "apply.not_answered")
                                 : AnswerText(f, a->second, lang, files.ok() ? &*files : nullptr));
        d->SetValue("CHANGE_HREF", change);
      }
    }
    // A report whose location lies in another municipality's area goes there: said before.
    auto route = o_.filing->RouteOf(ctx.service, ctx.draft.answers, ctx.draft.channel);
    const bool routed = route.ok() && *route;
    if (routed) {
      b.SetValueAndShowSection("ROUTED", RoutedNotice(Cat(), lang, **route, false), "HAS_ROUTED");
    }
    b.SetValue("FEE", i18n::FormatMoney(catalog::ComputeFee(ctx.service.fee, ctx.draft.answers),
                                        ctx.service.fee.currency, lang));
    // Reports: the open reports of the service near this place (where the report would go), to
    // follow instead of filing.
    follow::AddNearby(b, o_, req, ctx.draft, ctx.service, routed ? &(*route)->service : nullptr,
                      follow_error);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Actor ActorOf(const Request& req, int64_t municipality, int64_t department) const {
    const identity::Principal& who = PrincipalOf(req);
    return {who.account_id, who.pseudonym, RolesFor(who, municipality, department), "web",
            req.request_id};
  }

  // The case of the {tracking} path parameter when the signed-in person applied for it.
  std::optional<Case> ApplicantCase(const Request& req) {
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok() || c->applicant_id != PrincipalOf(req).account_id) return std::nullopt;
    return *c;
  }

  std::optional<Case> StaffCaseOf(const Request& req) {
    auto m = Municipality(req);
    if (!m) return std::nullopt;
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok() || c->municipality_id != m->id) return std::nullopt;  // another municipality's
    if (!identity::Allowed(PrincipalOf(req), Permission::kWorkCases, m->id, c->department_id))
      return std::nullopt;
    return *c;
  }

  static int StatusOf(const Error& e) {
    switch (e.code) {
      case ErrorCode::kConflict:
        return 409;
      case ErrorCode::kForbidden:
        return 403;
      case ErrorCode::kInvalid:
        return 422;
      case ErrorCode::kNotFound:
        return 404;
      default:
        return 503;
    }
  }

  Response Act(Request& req, const Case& c, const std::vector<std::string>& roles, bool staff) {
    http::Params form = req.Form();
    auto s = o_.services->Get(c.service_id);
    if (!s.ok()) return o_.error_page(503, req);
    auto wf = WorkflowOf(*s);
    auto calendar = CalendarOf(c.municipality_id);
    if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
    Actor actor = staff ? ActorOf(req, c.municipality_id, c.department_id)
                        : Actor{PrincipalOf(req).account_id, PrincipalOf(req).pseudonym, roles,
                                "web", req.request_id};
    actor.roles = roles;
    auto r = o_.cases->Transition(
        c.id, ToInt(form.Get("version").value_or("")), std::string(form.Get("action").value_or("")),
        std::string(form.Get("comment").value_or("")), actor, *wf, *calendar, *s, o_.now_ms());
    if (!r.ok()) return ShowCase(req, staff, r.error().message_key, StatusOf(r.error()));
    return Response::Redirect(staff ? "/m/" + std::string(req.PathParam("slug")) + "/cases/" +
                                          c.tracking
                                    : "/account/cases/" + c.tracking);
  }

  Response ShowCase(Request& req, bool staff, const std::string& error_key, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const identity::Principal& who = PrincipalOf(req);
    std::optional<Case> c;
    if (staff) {
      c = StaffCaseOf(req);
    } else {
      c = ApplicantCase(req);
    }
    if (!c) return o_.error_page(404, req);
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return o_.error_page(503, req);
    auto wf = WorkflowOf(*s);
    if (!wf.ok()) return o_.error_page(503, req);
    auto history = o_.cases->History(c->id, staff);
    if (!history.ok()) return o_.error_page(503, req);
    const std::string href =
        staff ? "/m/" + std::string(req.PathParam("slug")) + "/cases/" + c->tracking
              : "/account/cases/" + c->tracking;
    render::Page page(*o_.site, req, "cases-case.tpl");
    page.SetPath(href);
    page.SetTitle(Cat().Get(lang, "case.title") + " " + c->tracking);
    render::Dict& b = page.body();
    b.SetValue("SERVICE", s->name.In(lang));
    b.SetValue("TRACKING", c->tracking);
    if (!staff && req.query.Get("submitted")) {
      b.SetValueAndShowSection("NOTICE", Cat().Get(lang, "apply.done_next"), "HAS_NOTICE");
      if (req.query.Get("routed"))
        b.SetValueAndShowSection("ROUTED", RoutedHereNotice(o_, lang, c->municipality_id),
                                 "HAS_ROUTED");
    }
    b.SetValue("STATE", StateLabel(*s, c->state, lang));
    b.SetValue("SUBMITTED", i18n::FormatDate(c->submitted_at, lang));
    for (const Panel& panel : staff ? o_.staff_panels : o_.applicant_panels) {
      auto html = panel(PanelRequest{*c, *s, req, lang});
      if (!html.ok()) return o_.error_page(503, req);
      if (!html->empty()) b.AddSectionDictionary("PANEL")->SetValue("HTML", *html);
    }
    if (!c->closed_at) {
      b.SetValueAndShowSection("DUE", i18n::FormatDate(c->due_at, lang), "HAS_DUE");
      if (c->Overdue(o_.now_ms())) b.ShowSection("OVERDUE");
    }
    b.SetValue("CHANNEL", Cat().Get(lang, "channel." + c->channel));
    b.SetValue("FEE", i18n::FormatMoney(c->fee_minor, c->currency, lang));
    if (staff && c->assigned_to) {
      b.SetValueAndShowSection(
          "ASSIGNEE",
          Cat().Get(lang, c->assigned_to == who.account_id ? "queue.me" : "queue.someone"),
          "HAS_ASSIGNEE");
    }
    const std::vector<std::string> roles = staff
                                               ? RolesFor(who, c->municipality_id, c->department_id)
                                               : std::vector<std::string>{"resident"};
    const std::string csrf = identity::TokenFor(req).value;
    auto allowed = workflow::AllowedTransitions(*wf, c->state, roles);
    if (!allowed.empty() || staff || !error_key.empty()) {
      render::Dict* actions = b.AddSectionDictionary("ACTIONS");
      if (!error_key.empty()) {
        actions->ShowSection("ERRORS");
        actions->SetValue("ERROR", Cat().Get(lang, error_key));
      }
      for (const workflow::Transition* t : allowed) {
        render::Dict* a = actions->AddSectionDictionary("ACTION");
        a->SetValue("ACTION_HREF", href + (staff ? "/act" : "/answer"));
        a->SetValue("CSRF", csrf);
        a->SetValue("VERSION", std::to_string(c->version));
        a->SetValue("ACTION_KEY", t->action);
        a->SetValue("ACTION_LABEL", t->label.In(lang));
        if (t->comment_required) {
          a->ShowSection("REQUIRED");
        } else {
          a->ShowSection("OPTIONAL");
        }
      }
      if (staff) {
        actions->ShowSection("CAN_NOTE");
        actions->SetValue("NOTE_HREF", href + "/note");
        actions->SetValue("CSRF", csrf);
        actions->SetValue("VERSION", std::to_string(c->version));
        if (c->assigned_to != who.account_id && !c->closed_at) {
          actions->ShowSection("CAN_ASSIGN");
          actions->SetValue("ASSIGN_HREF", href + "/assign");
        }
        if (s->kind == catalog::ServiceKind::kReport && !c->closed_at &&
            MayTransfer(who, c->municipality_id, c->department_id))
          actions->SetValueAndShowSection("TRANSFER_HREF", href + "/transfer", "CAN_TRANSFER");
        follow::AddMergeForm(*actions, o_, req, *c, *s, href);  // reports: merge a duplicate
      }
    }
    auto files = o_.cases->Attachments(0, c->id);
    for (const auto& p : s->form.pages) {
      for (const auto& f : p.fields) {
        auto a = c->answers.find(f.name);
        if (a == c->answers.end()) continue;
        render::Dict* d = b.AddSectionDictionary("ANSWER");
        d->SetValue("LABEL", f.label.In(lang));
        if (f.type != catalog::FieldType::kFile || !files.ok()) {
          d->SetValue("VALUE", AnswerText(f, a->second, lang));
          continue;
        }
        for (const auto& att : *files) {
          if (std::find(a->second.begin(), a->second.end(), AttachmentRef(att.id)) ==
              a->second.end())
            continue;
          render::Dict* link = d->AddSectionDictionary("FILE_LINK");
          link->SetValue("FILE_HREF", href + "/files/" + std::to_string(att.id));
          link->SetValue("FILE_NAME", att.file_name);
          link->SetValue("FILE_SIZE", SizeText(att.size, lang));
        }
      }
    }
    for (const auto& e : *history) {
      render::Dict* d = b.AddSectionDictionary("EVENT");
      d->SetValue("WHEN", i18n::FormatDate(e.at, lang));
      d->SetValue("ISO", i18n::FormatIsoUtc(e.at));
      std::string what;
      if (e.kind == "transition" || e.kind == "submitted") {
        what =
            Cat().Format(lang, "case.event_state", {{"state", StateLabel(*s, e.to_state, lang)}});
      } else if (e.kind == "transferred") {
        what = TransferredText(o_, lang, e.comment);
      } else {
        what = Cat().Get(lang, "case.event_" + e.kind);
      }
      d->SetValue("WHAT", what);
      if (!e.comment.empty() && e.kind != "assigned" && e.kind != "transferred")
        d->SetValueAndShowSection("COMMENT", e.comment, "HAS_COMMENT");
    }
    if (!staff && c->closed_at) {
      auto score = o_.cases->RatingOf(c->id);
      if (score.ok() && *score == 0) {
        render::Dict* rate = b.AddSectionDictionary("RATE");
        rate->SetValue("RATE_HREF", href + "/rate");
        rate->SetValue("CSRF", csrf);
        for (int v = 5; v >= 1; --v) {
          render::Dict* sc = rate->AddSectionDictionary("SCORE");
          sc->SetValue("VALUE", std::to_string(v));
          sc->SetValue("LABEL", Cat().Get(lang, "rating.score_" + std::to_string(v)));
        }
      } else if (score.ok()) {
        b.ShowSection("RATED");
      }
      if (o_.now_ms() - c->closed_at <= int64_t{o_.reopen_days} * 86'400'000) {
        render::Dict* reopen = b.AddSectionDictionary("REOPEN");
        reopen->SetValue("REOPEN_HREF", href + "/reopen");
        reopen->SetValue("CSRF", csrf);
        reopen->SetValue("VERSION", std::to_string(c->version));
        reopen->SetValue("REOPEN_TEXT",
                         Cat().Format(lang, "case.reopen_text",
                                      {{"days", i18n::FormatNumber(o_.reopen_days, lang)}}));
      }
    }
    b.SetValue("BACK_HREF",
               staff ? "/m/" + std::string(req.PathParam("slug")) + "/queue" : "/account/cases");
    b.SetValue("BACK_LABEL", Cat().Get(lang, staff ? "case.back_queue" : "case.back_mine"));
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowCounter(const Request& req, const catalog::Municipality& m,
                       const http::Params& values, const std::map<std::string, std::string>& errors,
                       const std::string& filed, int status) {
    i18n::Lang lang = render::RequestLang(req);
    const std::string href = "/m/" + m.slug + "/counter";
    render::Page page = SitePage(req, m, "cases-counter.tpl", href, "counter.title");
    render::Dict& b = page.body();
    if (!filed.empty()) b.SetValueAndShowSection("TRACKING", filed, "FILED");
    render::Form form;
    form.action = href;
    form.submit_key = "counter.submit";
    form.errors = errors;
    form.csrf = identity::TokenFor(req).value;
    render::FormField service{"service",
                              "counter.service",
                              "",
                              "select",
                              std::string(values.Get("service").value_or("")),
                              "off",
                              "",
                              true};
    auto list = o_.services->List(m.id, true);
    if (list.ok()) {
      for (const auto& s : *list) {
        if (s.Offers("counter") || s.Offers("phone"))
          service.options.emplace_back(s.code, s.name.In(lang));
      }
    }
    render::FormField channel{"channel",
                              "case.channel",
                              "",
                              "select",
                              std::string(values.Get("channel").value_or("counter")),
                              "off",
                              "",
                              true};
    channel.options = {{"counter", Cat().Get(lang, "channel.counter")},
                       {"phone", Cat().Get(lang, "channel.phone")}};
    form.fields = {
        {"resident", "counter.resident", "counter.resident_hint", "text",
         std::string(values.Get("resident").value_or("")), "off", "", true, true},
        service,
        channel,
    };
    render::IncludeForm(b, form, Cat(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowTrack(const Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, const Case* c, int status) {
    i18n::Lang lang = render::RequestLang(req);
    render::Page page(*o_.site, req, "cases-track.tpl");
    page.SetPath("/track");
    page.SetTitle(Cat().Get(lang, "track.title"));
    render::Dict& b = page.body();
    render::Form form;
    form.action = "/track";
    form.submit_key = "track.submit";
    form.errors = errors;
    identity::FormToken token = identity::TokenFor(req);
    form.csrf = token.value;
    form.fields = {
        {"tracking", "case.tracking", "track.tracking_hint", "text",
         std::string(values.Get("tracking").value_or("")), "off", "", true, true},
        {"phone", "register.phone.label", "track.phone_hint", "tel",
         std::string(values.Get("phone").value_or("")), "tel", "tel", true, true},
    };
    render::IncludeForm(b, form, Cat(), lang);
    if (c) {
      b.ShowSection("FOUND");
      b.SetValue("TRACKING", c->tracking);
      auto s = o_.services->Get(c->service_id);
      b.SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      b.SetValue("STATE", s.ok() ? StateLabel(*s, c->state, lang) : c->state);
      b.SetValue("SUBMITTED", i18n::FormatDate(c->submitted_at, lang));
      b.SetValue("UPDATED", i18n::FormatDate(c->updated_at, lang));
    }
    Response res = page.Finish(status);
    if (token.fresh) res.headers.Add("set-cookie", identity::CsrfCookie(token.value, false));
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options) {
  AddTransferRoutes(routes, options);  // transfer between municipalities (transfer_web.cpp)
  // The reports one follows instead of filing a duplicate (follow_web.h).
  follow::AddFollowerRoutes(routes, options);
  auto pages = std::make_shared<Pages>(std::move(options));
  auto on = [pages](Response (Pages::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  routes.Get("/m/{slug}/services", Access::Public(), on(&Pages::Catalogue));
  routes.Get("/m/{slug}/services/{code}", Access::Public(), on(&Pages::ServicePage));
  routes.Post("/m/{slug}/services/{code}/apply", Access::SignedIn(), on(&Pages::Apply));
  routes.Get("/applications/{draft:int}/page/{page:int}", Access::SignedIn(),
             on(&Pages::QuestionForm));
  routes.Post("/applications/{draft:int}/page/{page:int}", Access::SignedIn(),
              on(&Pages::SaveQuestions));
  routes.Get("/applications/{draft:int}/check", Access::SignedIn(), on(&Pages::CheckForm));
  routes.Post("/applications/{draft:int}/check", Access::SignedIn(), on(&Pages::Submit));
  routes.Post("/applications/{draft:int}/follow", Access::SignedIn(), on(&Pages::Follow));
  routes.Get("/account/cases", Access::SignedIn(), on(&Pages::Mine));
  routes.Get("/account/cases/{tracking}", Access::SignedIn(), on(&Pages::MyCase));
  routes.Post("/account/cases/{tracking}/answer", Access::SignedIn(), on(&Pages::Answer));
  routes.Post("/account/cases/{tracking}/rate", Access::SignedIn(), on(&Pages::Rate));
  routes.Post("/account/cases/{tracking}/reopen", Access::SignedIn(), on(&Pages::Reopen));
  routes.Get("/track", Access::Public(), on(&Pages::TrackForm));
  routes.Post("/track", Access::Public(), on(&Pages::Track));
  routes.Get("/m/{slug}/counter", Access::Requires(Permission::kFileOnBehalf),
             on(&Pages::CounterForm));
  routes.Post("/m/{slug}/counter", Access::Requires(Permission::kFileOnBehalf),
              on(&Pages::CounterStart));
  routes.Get("/m/{slug}/queue", Access::Requires(Permission::kWorkCases), on(&Pages::Queue));
  routes.Post("/m/{slug}/queue/assign", Access::Requires(Permission::kManageDepartment),
              on(&Pages::BulkAssign));
  routes.Get("/m/{slug}/cases/{tracking}", Access::Requires(Permission::kWorkCases),
             on(&Pages::StaffCase));
  routes.Get("/account/cases/{tracking}/files/{file:int}", Access::SignedIn(), on(&Pages::MyFile));
  routes.Get("/m/{slug}/cases/{tracking}/files/{file:int}",
             Access::Requires(Permission::kWorkCases), on(&Pages::StaffFile));
  routes.Post("/m/{slug}/cases/{tracking}/act", Access::Requires(Permission::kWorkCases),
              on(&Pages::StaffAct));
  routes.Post("/m/{slug}/cases/{tracking}/note", Access::Requires(Permission::kWorkCases),
              on(&Pages::StaffNote));
  routes.Post("/m/{slug}/cases/{tracking}/merge", Access::Requires(Permission::kWorkCases),
              on(&Pages::StaffMerge));
  routes.Post("/m/{slug}/cases/{tracking}/assign", Access::Requires(Permission::kWorkCases),
              on(&Pages::StaffAssign));
}

}  // namespace baladiya::cases
