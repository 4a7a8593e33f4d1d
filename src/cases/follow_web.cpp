// The duplicate check, following and merging on the web (follow_web.h).
#include "cases/follow_web.h"

#include <charconv>
#include <cmath>
#include <memory>

#include "cases/web_internal.h"
#include "catalog/page.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/numbers.h"
#include "workflow/services.h"

namespace baladiya::cases::follow {
namespace {

using http::Request;
using http::Response;
using identity::PrincipalOf;

constexpr size_t kExcerptCodePoints = 140;

const i18n::Catalog& Cat(const WebOptions& o) { return *o.site->catalog; }

// The first n code points of UTF-8 text, with an ellipsis when cut.
std::string Excerpt(const std::string& text, size_t n) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (points++ == n) return text.substr(0, i) + "…";
  }
  return text;
}

std::string Metres(const WebOptions& o, double m, i18n::Lang lang) {
  return Cat(o).Format(lang, "nearby.metres",
                       {{"metres", i18n::FormatNumber(std::llround(m), lang)}});
}

// The state's label in the service's workflow (the key itself when unknown).
std::string StateLabel(const WebOptions& o, const catalog::Service& s, const std::string& state,
                       i18n::Lang lang) {
  return workflow::StateLabel(s, state, Cat(o), lang);
}

// The nearby open reports of the service around a location answer; empty when there is no
// duplicate check, the location is not coordinates, or the lookup failed (filing stays possible).
std::vector<NearbyReport> NearbyOf(const WebOptions& o, const catalog::Service& s,
                                   const std::string& location, int64_t exclude_case_id) {
  if (!o.nearby || s.kind != catalog::ServiceKind::kReport || location.empty()) return {};
  auto found = o.nearby(s, location, exclude_case_id);
  return found.ok() ? std::move(*found) : std::vector<NearbyReport>{};
}

void FillReport(render::Dict& d, const WebOptions& o, const catalog::Service& s,
                const NearbyReport& r, i18n::Lang lang) {
  d.SetValue("TRACKING", r.tracking);
  d.SetValue("STATE", StateLabel(o, s, r.state, lang));
  d.SetValue("FILED", i18n::FormatDate(r.submitted_at, lang));
  d.SetValue("DISTANCE", Metres(o, r.distance_m, lang));
  if (!r.description.empty())
    d.SetValueAndShowSection("EXCERPT", Excerpt(r.description, kExcerptCodePoints), "HAS_EXCERPT");
}

Response NoStore(Response res) {
  res.headers.Set("cache-control", "no-store");
  return res;
}

// The pages of the reports someone follows.
class FollowerPages {
 public:
  explicit FollowerPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto followed = o_.cases->Followed(PrincipalOf(req).account_id);
    if (!followed.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "cases-followed.tpl");
    page.SetPath("/account/followed");
    page.SetTitle(Cat(o_).Get(lang, "followed.title"));
    render::Dict& b = page.body();
    for (const Case& c : *followed) {
      b.ShowSection("HAS_CASES");
      render::Dict* d = b.AddSectionDictionary("CASE");
      d->SetValue("HREF", "/account/followed/" + c.tracking);
      d->SetValue("TRACKING", c.tracking);
      auto s = o_.services->Get(c.service_id);
      d->SetValue("SERVICE", s.ok() ? s->name.In(lang) : "");
      d->SetValue("STATE", s.ok() ? StateLabel(o_, *s, c.state, lang) : c.state);
      d->SetValue("SUBMITTED", i18n::FormatDate(c.submitted_at, lang));
    }
    if (followed->empty()) b.ShowSection("EMPTY");
    return NoStore(page.Finish(200));
  }

  // What a follower sees of a report: what its public record shows (service, status, dates,
  // the state changes), never its answers, files, comments or applicant.
  Response One(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok()) return o_.error_page(c.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    auto follows = o_.cases->Follows(c->id, PrincipalOf(req).account_id);
    if (!follows.ok()) return o_.error_page(503, req);
    if (!*follows) return o_.error_page(404, req);
    auto s = o_.services->Get(c->service_id);
    auto history = o_.cases->History(c->id, false);
    if (!s.ok() || !history.ok()) return o_.error_page(503, req);
    render::Page page(*o_.site, req, "cases-followed-case.tpl");
    page.SetPath("/account/followed/" + c->tracking);
    page.SetTitle(Cat(o_).Get(lang, "followed.case_title") + " " + i18n::IsolateLatin(c->tracking));
    render::Dict& b = page.body();
    if (req.query.Get("followed")) b.ShowSection("FOLLOWED");
    b.SetValue("SERVICE", s->name.In(lang));
    b.SetValue("TRACKING", c->tracking);
    b.SetValue("STATE", StateLabel(o_, *s, c->state, lang));
    b.SetValue("SUBMITTED", i18n::FormatDate(c->submitted_at, lang));
    b.SetValue("UPDATED", i18n::FormatDate(c->updated_at, lang));
    for (const Event& e : *history) {
      std::string what;
      if (e.kind == "submitted" || e.kind == "transition") {
        what = Cat(o_).Format(lang, "case.event_state",
                              {{"state", StateLabel(o_, *s, e.to_state, lang)}});
      } else if (e.kind == "merged") {
        what = Cat(o_).Format(lang, "followed.event_merged", {{"tracking", e.comment}});
      } else if (e.kind == "reopened") {
        what = Cat(o_).Format(lang, "case.event_state",
                              {{"state", StateLabel(o_, *s, e.to_state, lang)}});
      } else {
        continue;  // ratings and the like are the applicant's
      }
      render::Dict* d = b.AddSectionDictionary("EVENT");
      d->SetValue("WHEN", i18n::FormatDate(e.at, lang));
      d->SetValue("ISO", i18n::FormatIsoUtc(e.at));
      d->SetValue("WHAT", what);
    }
    return NoStore(page.Finish(200));
  }

 private:
  WebOptions o_;
};

}  // namespace

std::string LocationAnswer(const catalog::FormSchema& form, const catalog::Answers& answers) {
  for (const auto& page : form.pages) {
    for (const auto& f : page.fields) {
      if (f.type != catalog::FieldType::kLocation) continue;
      auto it = answers.find(f.name);
      return it == answers.end() || it->second.empty() ? std::string() : it->second.front();
    }
  }
  return {};
}

void AddNearby(render::Dict& body, const WebOptions& o, const Request& req, const Draft& draft,
               const catalog::Service& filed, const catalog::Service* routed_to,
               const std::string& error_key) {
  if (filed.kind != catalog::ServiceKind::kReport) return;
  const catalog::Service& service = routed_to ? *routed_to : filed;
  const i18n::Lang lang = render::RequestLang(req);
  body.ShowSection("IS_REPORT");  // the notice that location and description are published
  const auto reports =
      NearbyOf(o, service, LocationAnswer(filed.form, draft.answers), /*exclude_case_id=*/0);
  if (reports.empty() && error_key.empty()) return;
  render::Dict* n = body.AddSectionDictionary("NEARBY");
  if (!error_key.empty()) {
    body.ShowSection("ERRORS");
    render::Dict* e = body.AddSectionDictionary("ERROR");
    e->SetValue("HREF", "#nearby");
    e->SetValue("MESSAGE", Cat(o).Get(lang, error_key));
  }
  if (reports.empty()) n->ShowSection("NONE");
  render::Dict* list = reports.empty() ? nullptr : n->AddSectionDictionary("HAS_REPORTS");
  const std::string csrf = identity::TokenFor(req).value;
  for (const NearbyReport& r : reports) {
    render::Dict* d = list->AddSectionDictionary("REPORT");
    FillReport(*d, o, service, r, lang);
    d->SetValue("FOLLOW_HREF", "/applications/" + std::to_string(draft.id) + "/follow");
    d->SetValue("CSRF", csrf);
  }
}

Result<Response> FollowInstead(const WebOptions& o, const Request& req, const Draft& draft,
                               const catalog::Service& filed, const catalog::Service* routed_to,
                               const catalog::Municipality& m) {
  auto parts = workflow::ParseTrackingNumber(req.Form().Get("tracking").value_or(""));
  const std::string tracking =
      parts ? workflow::TrackingNumber(parts->prefix, parts->year, parts->sequence) : "";
  // Only a report the check showed: the place's open reports of the service it would go to.
  bool shown = false;
  for (const NearbyReport& r :
       NearbyOf(o, routed_to ? *routed_to : filed, LocationAnswer(filed.form, draft.answers), 0)) {
    shown = shown || (!tracking.empty() && r.tracking == tracking);
  }
  if (!shown) return MakeError(ErrorCode::kInvalid, "cases.follow_not_nearby");
  auto c = o.cases->FindByTracking(tracking);
  if (!c.ok()) return MakeError(ErrorCode::kInvalid, "cases.follow_not_nearby");
  // The follower is the applicant (a counter clerk may be filing for them), told in their
  // language.
  auto account = o.accounts->Get(draft.account_id, false);
  if (!account.ok()) return std::move(account).error();
  const identity::Principal& who = PrincipalOf(req);
  const bool on_behalf = draft.filed_by != 0 && draft.filed_by == who.account_id;
  Actor actor{who.account_id,
              who.pseudonym,
              {on_behalf ? "counter-clerk" : "resident"},
              draft.channel,
              req.request_id};
  // What the follower's own answers add (how bad, a water cut...), kept on the report for staff.
  const i18n::Lang lang = render::RequestLang(req);
  std::string details;
  for (const auto& p : filed.form.pages) {
    for (const auto& f : p.fields) {
      if (f.type == catalog::FieldType::kLocation || f.type == catalog::FieldType::kFile) continue;
      auto a = draft.answers.find(f.name);
      if (a == draft.answers.end() || a->second.empty()) continue;
      std::string shown;
      for (const auto& v : a->second) {
        std::string text = v;
        if (f.type == catalog::FieldType::kYesNo) text = Cat(o).Get(lang, "form.answer_" + v);
        for (const auto& opt : f.options)
          if (opt.value == v) text = opt.label.In(lang);
        shown += std::string(shown.empty() ? "" : i18n::ListSeparator(lang)) + text;
      }
      details += "\n" + f.label.In(lang) + ": " + shown;
    }
  }
  if (!details.empty())
    details = Cat(o).Format(lang, "follow_done.details",
                            {{"channel", Cat(o).Get(lang, "channel." + draft.channel)}}) +
              details;
  if (Status s = o.cases->Follow(c->id, draft, account->lang, actor, o.now_ms(),
                                 routed_to ? routed_to->id : 0, details);
      !s.ok())
    return std::move(s).error();
  if (!on_behalf) {
    // Their own report needs no following: the draft went, and they see the report they filed.
    if (draft.account_id == c->applicant_id)
      return Response::Redirect("/account/cases/" + c->tracking);
    return Response::Redirect("/account/followed/" + c->tracking + "?followed=1");
  }
  // The clerk cannot open the resident's pages: the confirmation is this page.
  render::Page page =
      catalog::MunicipalityPage(*o.site, req, m, "cases-follow-done.tpl",
                                "/applications/" + std::to_string(draft.id) + "/follow",
                                Cat(o).Get(lang, "follow_done.title"));
  page.body().SetValue("NOTICE",
                       Cat(o).Format(lang, "follow_done.clerk", {{"tracking", c->tracking}}));
  page.body().SetValue("BACK_HREF", "/m/" + m.slug + "/counter");
  return NoStore(page.Finish(200));
}

void AddMergeForm(render::Dict& body, const WebOptions& o, const Request& req, const Case& c,
                  const catalog::Service& service, const std::string& href) {
  if (service.kind != catalog::ServiceKind::kReport || c.closed_at != 0) return;
  // Offered only to who may close the report in its state (CaseStore::Merge checks it again).
  auto wf = workflow::ForService(service, Cat(o));
  const identity::Principal& who = PrincipalOf(req);
  if (!wf.ok() ||
      !CaseStore::MayMerge(*wf, c.state, RolesFor(who, c.municipality_id, c.department_id))) {
    return;
  }
  const i18n::Lang lang = render::RequestLang(req);
  render::Dict* m = body.AddSectionDictionary("MERGE");
  const std::string csrf = identity::TokenFor(req).value;
  m->SetValue("MERGE_HREF", href + "/merge");
  m->SetValue("CSRF", csrf);
  m->SetValue("VERSION", std::to_string(c.version));
  const auto reports = NearbyOf(o, service, LocationAnswer(service.form, c.answers), c.id);
  render::Dict* list = reports.empty() ? nullptr : m->AddSectionDictionary("HAS_NEARBY");
  for (const NearbyReport& r : reports) {
    render::Dict* d = list->AddSectionDictionary("REPORT");
    FillReport(*d, o, service, r, lang);
    d->SetValue("MERGE_HREF", href + "/merge");
    d->SetValue("CSRF", csrf);
    d->SetValue("VERSION", std::to_string(c.version));
  }
}

Result<Case> MergeCase(const WebOptions& o, const Request& req, const Case& c) {
  http::Params form = req.Form();
  std::string into(form.Get("into").value_or(""));
  while (!into.empty() && (into.back() == ' ' || into.back() == '\t')) into.pop_back();
  while (!into.empty() && (into.front() == ' ' || into.front() == '\t')) into.erase(0, 1);
  if (into.empty()) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.merge_into_required");
    e.fields["into"] = "cases.merge_into_required";
    return e;
  }
  int64_t version = 0;
  const std::string_view v = form.Get("version").value_or("");
  std::from_chars(v.data(), v.data() + v.size(), version);
  auto s = o.services->Get(c.service_id);
  if (!s.ok()) return std::move(s).error();
  auto wf = workflow::ForService(*s, Cat(o));
  if (!wf.ok()) return std::move(wf).error();
  const identity::Principal& who = PrincipalOf(req);
  Actor actor{who.account_id, who.pseudonym, RolesFor(who, c.municipality_id, c.department_id),
              "web", req.request_id};
  return o.cases->Merge(c.id, version, into, actor, *wf, *s, o.now_ms());
}

void AddFollowerRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<FollowerPages>(options);
  routes.Get("/account/followed", identity::Access::SignedIn(),
             [pages](Request& r) { return pages->List(r); });
  routes.Get("/account/followed/{tracking}", identity::Access::SignedIn(),
             [pages](Request& r) { return pages->One(r); });
}

}  // namespace baladiya::cases::follow
