// The public pages: a municipality's catalogue of services (with search), a service's page, and
// the status lookup by tracking number and phone (/track), for anyone.
#include "cases/web_internal.h"
#include "catalog/page.h"
#include "identity/credentials.h"
#include "platform/http/client_address.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"
#include "platform/render/form.h"

namespace baladiya::cases {
namespace {

class PublicPages : public PageBase {
 public:
  using PageBase::PageBase;

  Response Catalogue(Request& req) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
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
      if (list->empty()) {
        // Nothing found: the closest services, and the way back to the whole list.
        b.ShowSection("NOTHING");
        auto close = o_.services->Suggest(m->id, q);
        if (!close.ok()) return o_.error_page(503, req);
        if (!close->empty()) {
          render::Dict* sug = b.AddSectionDictionary("SUGGESTIONS");
          for (const auto& s : *close) {
            render::Dict* d = sug->AddSectionDictionary("SUGGESTION");
            d->SetValue("SERVICE_HREF", href + "/" + s.code);
            d->SetValue("NAME", s.name.In(lang));
          }
        }
      }
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
    if (!m) return Fail(m.error(), req);
    auto s = o_.services->Find(m->id, req.PathParam("code"));
    if (!s.ok() || !s->published)
      return o_.error_page(s.ok() || s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    const std::string href = "/m/" + m->slug + "/services/" + s->code;
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "cases-service.tpl", href, s->name.In(lang));
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
      if (!channels.empty()) channels += i18n::ListSeparator(lang);
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
    if (!workflow::ParseTrackingNumber(tracking)) {
      // Not a tracking number at all, or one whose check digit does not fit: said as such (the
      // check digit is computed from the number, so this tells nothing of which cases exist).
      for (const auto& k : keys) o_.track_limits->Failure(k, now);
      errors["tracking"] = CheckDigitTypo(tracking) ? "track.bad_check_digit" : "track.malformed";
      return ShowTrack(req, form, errors, nullptr, 422);
    }
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

  // Whether `text` is a tracking number but for its last digit (another last digit fits).
  static bool CheckDigitTypo(std::string_view text) {
    std::string t = i18n::ToWesternDigits(text);
    while (!t.empty() && t.back() == ' ') t.pop_back();
    if (t.empty() || t.back() < '0' || t.back() > '9') return false;
    for (char d = '0'; d <= '9'; ++d) {
      t.back() = d;
      if (workflow::ParseTrackingNumber(t)) return true;
    }
    return false;
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
      if (c->closed_at == 0 && c->paused_at == 0 && c->due_at > 0)
        b.SetValueAndShowSection("DUE", i18n::FormatDate(c->due_at, lang), "HAS_DUE");
      b.SetValue("NEXT", Cat().Get(lang, c->closed_at   ? "track.next_closed"
                                         : c->paused_at ? "track.next_waiting"
                                                        : "track.next_working"));
    }
    Response res = page.Finish(status);
    if (token.fresh)
      res.headers.Add("set-cookie", identity::CsrfCookie(token.value, http::ServedOverTls(req)));
    res.headers.Set("cache-control", "no-store");
    return res;
  }
};

}  // namespace

void AddPublicRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<PublicPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/services", Access::Public(), on(&PublicPages::Catalogue));
  routes.Get("/m/{slug}/services/{code}", Access::Public(), on(&PublicPages::ServicePage));
  routes.Get("/track", Access::Public(), on(&PublicPages::TrackForm));
  routes.Post("/track", Access::Public(), on(&PublicPages::Track));
}

}  // namespace baladiya::cases
