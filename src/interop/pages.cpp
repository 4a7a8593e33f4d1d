// The municipal admin's X-Road page (web.h): the client subsystems granted each provider service,
// granting one (a form) and revoking one (a button per grant), and the latest exchanges of the
// message log. Granting and revoking are audited by the store.
#include "catalog/page.h"
#include "identity/web.h"
#include "interop/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::interop {
namespace {

using http::Request;
using http::Response;

class AdminPages {
 public:
  explicit AdminPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) { return Show(req, {}, {}, "", 200); }

  Response Grant(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const std::string client(form.Get("client").value_or(""));
    const std::string service(form.Get("service").value_or(""));
    const identity::Principal& who = identity::PrincipalOf(req);
    auto g = o_.store->Grant(m->id, client, service, {who.pseudonym, req.request_id}, o_.now_ms());
    if (!g.ok()) {
      if (g.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      const std::string field =
          g.error().message_key == "interop.service_unknown" ? "service" : "client";
      return Show(req, form, {{field, g.error().message_key}}, "", 422);
    }
    return Show(
        req, {}, {},
        Msg().Format(render::RequestLang(req), "interop.admin.granted", {{"client", g->client}}),
        200);
  }

  Response Revoke(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const std::string client(form.Get("client").value_or(""));
    const std::string service(form.Get("service").value_or(""));
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s =
        o_.store->Revoke(m->id, client, service, {who.pseudonym, req.request_id}, o_.now_ms());
    if (!s.ok()) {
      return o_.error_page(s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    }
    return Show(
        req, {}, {},
        Msg().Format(render::RequestLang(req), "interop.admin.revoked", {{"client", client}}), 200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  std::string ServiceName(i18n::Lang lang, std::string_view code) const {
    return Msg().Get(lang, "interop.service." + std::string(code));
  }

  Response Show(const Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, const std::string& notice,
                int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto grants = o_.store->Grants(m->id);
    if (!grants.ok()) return o_.error_page(503, req);
    auto recent = o_.store->Recent(m->id, 20);
    if (!recent.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/xroad";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "interop-admin.tpl", href,
                                                  Msg().Get(lang, "interop.admin.title"));
    render::Dict& b = page.body();
    b.SetValue("SERVICES_HREF", "/m/" + m->slug + "/admin/services");
    b.SetValue("PEERS_HREF", "/m/" + m->slug + "/admin/peers");
    b.SetValue("WEBHOOKS_HREF", "/m/" + m->slug + "/admin/webhooks");
    b.SetValue("BASE", std::string(kApiBase) + "/" + m->slug);
    if (!notice.empty()) b.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    const std::string csrf = identity::TokenFor(req).value;
    for (const AccessGrant& g : *grants) {
      render::Dict* d = b.AddSectionDictionary("GRANT");
      d->SetValue("CLIENT", g.client);
      d->SetValue("SERVICE", ServiceName(lang, g.service));
      d->SetValue("SERVICE_CODE", g.service);
      d->SetValue("GRANTED", i18n::FormatDate(g.granted_at, lang));
      d->SetValue("REVOKE_ACTION", href + "/revoke");
      d->SetValue("CSRF", csrf);
    }
    if (grants->empty()) b.ShowSection("NO_GRANTS");
    for (const Message& x : *recent) {
      render::Dict* d = b.AddSectionDictionary("MESSAGE");
      d->SetValue("AT", i18n::FormatDate(x.at, lang));
      d->SetValue("AT_ISO", i18n::FormatIsoUtc(x.at));
      d->SetValue("CLIENT",
                  x.client.empty() ? Msg().Get(lang, "interop.admin.no_client") : x.client);
      d->SetValue("SERVICE", ServiceName(lang, x.service));
      d->SetValue("STATUS", std::to_string(x.status));
      d->SetValue("XROAD_ID", x.xroad_id);
    }
    if (recent->empty()) b.ShowSection("NO_MESSAGES");
    render::Form form;
    form.action = href;
    form.submit_key = "interop.admin.grant_submit";
    form.csrf = csrf;
    form.errors = errors;
    render::FormField client{"client",
                             "interop.admin.client",
                             "interop.admin.client_hint",
                             "text",
                             std::string(values.Get("client").value_or("")),
                             "off",
                             "",
                             true,
                             true};
    render::FormField service{"service", "interop.admin.service", "", "select",
                              std::string(values.Get("service").value_or(""))};
    for (std::string_view code : kServices) {
      service.options.push_back({std::string(code), ServiceName(lang, code)});
    }
    form.fields = {client, service};
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddPageRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<AdminPages>(options);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/xroad";
  routes.Get(base, admin, on(&AdminPages::List));
  routes.Post(base, admin, on(&AdminPages::Grant));
  routes.Post(base + "/revoke", admin, on(&AdminPages::Revoke));
}

}  // namespace baladiya::interop
