// The transfer page: staff move a report to the municipality whose area it lies in
// (/m/{slug}/cases/{tracking}/transfer), and where reports go by their location (the notices of
// "check your answers" and of the confirmation).
#include <charconv>
#include <optional>

#include "cases/web_internal.h"
#include "catalog/boundaries.h"
#include "catalog/page.h"
#include "identity/web.h"
#include "platform/render/form.h"
#include "workflow/services.h"

namespace baladiya::cases {

bool MayTransfer(const identity::Principal& who, int64_t municipality_id, int64_t department_id) {
  return identity::Allowed(who, identity::Permission::kManageDepartment, municipality_id,
                           department_id) ||
         identity::Allowed(who, identity::Permission::kManageCatalog, municipality_id);
}

namespace {

// The municipality of this slug or id, with its area's name (the boundary's, else its own).
std::optional<catalog::ReportRoute> Place(const WebOptions& o, std::string_view slug, int64_t id) {
  auto list = o.tenancy->ListMunicipalities();
  if (!list.ok()) return std::nullopt;
  for (const auto& m : *list) {
    if (m.slug != slug && m.id != id) continue;
    catalog::ReportRoute place{m, {}, m.name};
    if (o.boundaries) {
      if (auto b = o.boundaries->Get(m.id); b.ok() && b->area.Complete()) place.area = b->area;
    }
    return place;
  }
  return std::nullopt;
}

}  // namespace

std::string RoutedHereNotice(const WebOptions& o, i18n::Lang lang, int64_t municipality_id) {
  auto place = Place(o, "", municipality_id);
  return place ? RoutedNotice(*o.site->catalog, lang, *place, true) : "";
}

std::string TransferredText(const WebOptions& o, i18n::Lang lang, std::string_view comment) {
  const size_t cut = comment.find('>');
  auto from = Place(o, comment.substr(0, cut), -1);
  auto to = cut == std::string_view::npos ? std::nullopt : Place(o, comment.substr(cut + 1), -1);
  auto name = [&](const std::optional<catalog::ReportRoute>& p) {
    return p ? p->municipality.name.In(lang) : std::string("?");
  };
  return o.site->catalog->Format(lang, "transfer.event", {{"from", name(from)}, {"to", name(to)}});
}

namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::PrincipalOf;

class TransferPages {
 public:
  explicit TransferPages(WebOptions o) : o_(std::move(o)) {}

  Response Form(Request& req) { return Show(req, {}, {}, 200); }

  Response Post(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(http::StatusOf(ctx.error().code), req);
    if (!ctx->may) return o_.error_page(403, req);
    http::Params form = req.Form();
    const std::string to_slug(form.Get("municipality").value_or(""));
    const std::string_view v = form.Get("version").value_or("");
    int64_t version = 0;
    (void)std::from_chars(v.data(), v.data() + v.size(), version);  // else 0: a conflict
    auto refuse = [&](const char* key, int status) {
      return Show(req, form, {{"municipality", key}}, status);
    };
    if (to_slug.empty()) return refuse("transfer.choose", 422);
    auto to = o_.tenancy->FindMunicipality(to_slug);
    if (!to.ok()) return refuse("transfer.choose", 422);
    if (to->id == ctx->m.id) return refuse("transfer.same_municipality", 422);
    auto target = catalog::MatchingReportService(*o_.services, to->id, ctx->service, "");
    if (!target.ok()) {
      if (target.error().code == ErrorCode::kNotFound) return refuse("transfer.no_service", 422);
      return o_.error_page(503, req);
    }
    auto wf = workflow::ForService(*target, Cat());
    auto calendar = workflow::CalendarOf(*o_.services, to->id);
    if (!wf.ok() || !calendar.ok()) return o_.error_page(503, req);
    const identity::Principal& who = PrincipalOf(req);
    Actor actor{who.account_id, who.pseudonym,
                RolesFor(who, ctx->c.municipality_id, ctx->c.department_id), "web", req.request_id};
    CaseStore::TransferTarget t{&*target, &*wf, &*calendar, ctx->m.slug, to->slug, to->name};
    auto moved = o_.cases->Transfer(ctx->c.id, version, ctx->service, t, actor, o_.now_ms());
    if (!moved.ok()) {
      const Error& e = moved.error();
      switch (e.code) {
        case ErrorCode::kConflict:
          return refuse("cases.conflict", 409);
        case ErrorCode::kForbidden:
        case ErrorCode::kInvalid:
          return refuse(e.message_key.c_str(), e.code == ErrorCode::kForbidden ? 403 : 422);
        default:
          return o_.error_page(503, req);
      }
    }
    // Done: the case is no longer this municipality's, so its pages here are gone; say so here.
    i18n::Lang lang = render::RequestLang(req);
    render::Page page = PageFor(req, *ctx);
    render::Dict& b = page.body();
    b.ShowSection("DONE");
    b.SetValue("DONE_TEXT",
               Cat().Format(lang, "transfer.done",
                            {{"tracking", ctx->c.tracking}, {"municipality", to->name.In(lang)}}));
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

 private:
  struct Context {
    catalog::Municipality m;
    Case c;
    catalog::Service service;
    bool may = false;
  };

  const i18n::Catalog& Cat() const { return *o_.site->catalog; }

  // The case of the path when it is a case of the path's municipality that the principal may at
  // least see (a department's staff) or transfer; nullopt (404) otherwise.
  // The case of the page, when the viewer may see it: kNotFound otherwise (another
  // municipality's case, an application, a case the viewer does not work), kUnavailable when it
  // cannot be read.
  Result<Context> Load(const Request& req) {
    const Error not_found = MakeError(ErrorCode::kNotFound, "error.not_found");
    auto m = o_.tenancy->FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return std::move(m).error();
    auto c = o_.cases->FindByTracking(req.PathParam("tracking"));
    if (!c.ok()) return std::move(c).error();
    if (c->municipality_id != m->id) return not_found;
    const identity::Principal& who = PrincipalOf(req);
    const bool may = MayTransfer(who, m->id, c->department_id);
    if (!may && !identity::Allowed(who, identity::Permission::kWorkCases, m->id, c->department_id))
      return not_found;
    // Only reports are transferred: an application has no such page.
    auto s = o_.services->Get(c->service_id);
    if (!s.ok()) return std::move(s).error();
    if (s->kind != catalog::ServiceKind::kReport) return not_found;
    return Context{*m, std::move(*c), std::move(*s), may};
  }

  render::Page PageFor(const Request& req, const Context& ctx) {
    i18n::Lang lang = render::RequestLang(req);
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, ctx.m, "cases-transfer.tpl", Href(ctx),
                                  Cat().Get(lang, "transfer.title") + " " + ctx.c.tracking);
    render::Dict& b = page.body();
    b.SetValue("TRACKING", ctx.c.tracking);
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue("FROM", ctx.m.name.In(lang));
    b.SetValue("QUEUE_HREF", "/m/" + ctx.m.slug + "/queue");
    return page;
  }

  static std::string Href(const Context& ctx) {
    return "/m/" + ctx.m.slug + "/cases/" + ctx.c.tracking + "/transfer";
  }

  Response Show(Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, int status) {
    auto ctx = Load(req);
    if (!ctx) return o_.error_page(http::StatusOf(ctx.error().code), req);
    if (!ctx->may) return o_.error_page(403, req);
    i18n::Lang lang = render::RequestLang(req);
    render::Page page = PageFor(req, *ctx);
    // Sections do not see include dictionaries of their parents: the form goes into ASK.
    render::Dict& b = *page.body().AddSectionDictionary("ASK");
    if (identity::Allowed(PrincipalOf(req), identity::Permission::kWorkCases, ctx->m.id,
                          ctx->c.department_id)) {
      b.SetValueAndShowSection("CASE_HREF", "/m/" + ctx->m.slug + "/cases/" + ctx->c.tracking,
                               "HAS_CASE");
    }
    const std::string location = catalog::LocationAnswer(ctx->service, ctx->c.answers);
    if (!location.empty()) b.SetValueAndShowSection("LOCATION", location, "HAS_LOCATION");
    // Where the location lies, as a suggestion (staff decide: an address in words has none).
    std::string suggested;
    if (auto p = catalog::ParseLatLng(location); p && o_.boundaries) {
      auto at = o_.boundaries->MunicipalityAt(*p);
      auto list = o_.tenancy->ListMunicipalities();
      if (at.ok() && *at != 0 && list.ok()) {
        for (const auto& m : *list) {
          if (m.id != *at) continue;
          suggested = m.slug;
          auto boundary = o_.boundaries->Get(m.id);
          const catalog::Text area =
              boundary.ok() && boundary->area.Complete() ? boundary->area : m.name;
          b.SetValueAndShowSection(
              "WHERE", Cat().Format(lang, "transfer.location_in", {{"area", area.In(lang)}}),
              "HAS_WHERE");
        }
      }
    }
    if (ctx->c.closed_at != 0) b.ShowSection("CLOSED");
    render::Form form;
    form.action = Href(*ctx);
    form.submit_key = "transfer.submit";
    form.errors = errors;
    form.csrf = identity::TokenFor(req).value;
    form.hidden = {{"version", std::to_string(ctx->c.version)}};
    std::string chosen(values.Get("municipality").value_or(""));
    if (chosen.empty() && suggested != ctx->m.slug) chosen = suggested;
    render::FormField to{
        "municipality", "transfer.to", "transfer.to_hint", "select", chosen, "off", "", true};
    to.options.emplace_back("", Cat().Get(lang, "transfer.choose_option"));
    auto list = o_.tenancy->ListMunicipalities();
    if (!list.ok()) return o_.error_page(503, req);
    for (const auto& m : *list) {
      if (m.id != ctx->m.id) to.options.emplace_back(m.slug, m.name.In(lang));
    }
    form.fields = {to};
    render::IncludeForm(b, form, Cat(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddTransferRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<TransferPages>(std::move(options));
  // Signed in: department heads (manage-department) and municipal admins (manage-catalog) of the
  // case's municipality may transfer; the handler checks it against the case, whose department
  // the route's rule cannot know. Others get 403, or 404 when they may not see the case at all.
  routes.Get("/m/{slug}/cases/{tracking}/transfer", Access::SignedIn(),
             [pages](Request& r) { return pages->Form(r); });
  routes.Post("/m/{slug}/cases/{tracking}/transfer", Access::SignedIn(),
              [pages](Request& r) { return pages->Post(r); });
}

}  // namespace baladiya::cases
