// The open311 module as the program is built from it (platform/module/module.h): the public
// record of reports (an observer of every case), API keys and their integration accounts (told
// nothing by notify), the duplicate check it lends the cases pages, the GeoReport v2 endpoints,
// the public report pages and key pages, and `baladiya open311-key`.
#include "platform/module/module.h"

#include <charconv>

#include "cases/cases.h"
#include "cases/web.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "open311/open311.h"
#include "open311/pages.h"
#include "open311/web.h"
#include "platform/i18n/arabic.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> Open311MessageFiles();
std::span<const baladiya::EmbeddedFile> Open311TemplateFiles();

namespace baladiya::open311 {

namespace {

Status Open(module::Context& ctx) {
  Store& store = ctx.parts.Own(std::make_unique<Store>(ctx.db, ctx.keys.master));
  KeyStore& keys = ctx.parts.Own(std::make_unique<KeyStore>(
      ctx.db, ctx.parts.Get<identity::AccountStore>(), &ctx.parts.Get<audit::AuditLog>()));
  ctx.parts.Get<cases::CaseStore>().AddObserver(
      [&store](db::Tx& tx, const cases::StateChange& change) {
        return store.OnStateChange(tx, change);
      });
  // An Open311 key's account files reports for its client and reads no inbox.
  ctx.parts.Get<notify::Recipients>().Mute(
      [&keys](int64_t account) { return keys.IsIntegrationAccount(account); });
  // Open reports within 50 m, before filing and when merging.
  cases::Extensions& ext = ctx.parts.Get<cases::Extensions>();
  ext.nearby = DuplicateCheck(store);
  // A report's case pages link its public record.
  const catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  const render::Site& site = ctx.site;
  cases::Panel public_record = [&tenancy,
                                &site](const cases::PanelRequest& p) -> Result<std::string> {
    if (p.service.kind != catalog::ServiceKind::kReport) return std::string();
    auto m = tenancy.Get(p.c.municipality_id);
    if (!m.ok()) return std::move(m).error();
    render::Dict d("open311-case-panel");
    d.SetValue("HREF", "/m/" + m->slug + "/reports/" + p.c.tracking);
    return site.templates->Expand("open311-case-panel.tpl", p.lang, d);
  };
  ext.staff_panels.push_back(public_record);
  ext.applicant_panels.push_back(public_record);
  // No Open311 handler acts on a session: writes carry an api_key.
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back(
      std::string(kBasePath) + "/");
  return Ok();
}

Status Routes(module::Context& ctx) {
  auto error_page = ctx.web->error_page;
  WebOptions o;
  o.store = &ctx.parts.Get<Store>();
  o.keys = &ctx.parts.Get<KeyStore>();
  o.cases = &ctx.parts.Get<cases::CaseStore>();
  o.filing = &ctx.parts.Get<cases::Filing>();
  o.services = &ctx.parts.Get<catalog::ServiceStore>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.boundaries = &ctx.parts.Get<catalog::BoundaryStore>();
  o.db = &ctx.db;
  o.messages = ctx.site.catalog;
  o.public_url = ctx.settings.Text("public-url");
  o.now_ms = ctx.now_ms;
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  AddRoutes(routes, std::move(o));
  PageOptions p;  // the public report pages and the API key pages
  p.store = &ctx.parts.Get<Store>();
  p.keys = &ctx.parts.Get<KeyStore>();
  p.services = &ctx.parts.Get<catalog::ServiceStore>();
  p.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  p.hasher = &ctx.parts.Get<identity::PasswordHasher>();
  p.site = &ctx.site;
  p.now_ms = ctx.now_ms;
  p.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  AddPageRoutes(routes, std::move(p));
  // Lists of up to 1,000 records render off the I/O thread.
  ctx.web->offload.push_back([](const http::Request& r) { return RendersLists(r.path); });
  return Ok();
}

// baladiya open311-key add|list|revoke --municipality SLUG ...: Open311 API keys, issued by the
// municipal administrator who runs the command (audited as "system" from the command line).
int KeyCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kKeyUsage =
      "usage: baladiya open311-key add --municipality SLUG --label TEXT [--days N] [--notes "
      "own|all] | list --municipality SLUG | revoke --municipality SLUG --id N";
  if (args.empty() || args.size() % 2 == 0) return module::Fail(kKeyUsage);
  const std::string& action = args[0];
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kKeyUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (action != "add" && action != "list" && action != "revoke") return module::Fail(kKeyUsage);
  if (!opt.count("municipality")) {
    return module::Fail("open311-key " + action + " needs --municipality");
  }
  if (action == "add" && !opt.count("label")) return module::Fail("open311-key add needs --label");
  int64_t id = 0;
  if (action == "revoke") {
    const std::string& text = opt["id"];
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || id <= 0) {
      return module::Fail("open311-key revoke needs --id with a key number (see open311-key list)");
    }
  }
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(opt["municipality"]);
  if (!m.ok()) return module::Fail("no municipality '" + opt["municipality"] + "'");
  KeyStore& keys = ctx.parts.Get<KeyStore>();
  const identity::AuditContext audit_ctx{"system", "cli", m->id};
  if (action == "add") {
    KeyTerms terms;
    if (opt.count("days")) {
      const std::string& d = opt["days"];
      auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), terms.days);
      if (d.empty() || ec != std::errc() || p != d.data() + d.size()) terms.days = 0;
    }
    if (opt.count("notes")) {
      if (opt["notes"] != "own" && opt["notes"] != "all") {
        return module::Fail("open311-key add --notes is own or all");
      }
      terms.notes_on_all = opt["notes"] == "all";
    }
    auto issued = keys.Issue(m->id, opt["label"], ctx.parts.Get<identity::PasswordHasher>(),
                             *ctx.site.catalog, audit_ctx, ctx.now_ms(), terms);
    if (!issued.ok()) return module::Fail(issued.error());
    std::printf("Open311 key %lld for %s (%s), filing as %s; shown once:\n%s\n",
                static_cast<long long>(issued->record.id), m->slug.c_str(),
                issued->record.label.c_str(), issued->username.c_str(), issued->key.c_str());
    return 0;
  }
  if (action == "revoke") {
    if (Status st = keys.Revoke(id, m->id, audit_ctx, ctx.now_ms()); !st.ok()) {
      if (st.error().code == ErrorCode::kNotFound) {
        return module::Fail("no live Open311 key " + opt["id"] + " in " + m->slug);
      }
      return module::Fail(st.error());
    }
    std::printf("Open311 key %lld of %s revoked\n", static_cast<long long>(id), m->slug.c_str());
    return 0;
  }
  auto list = keys.OfMunicipality(m->id);
  if (!list.ok()) return module::Fail(list.error());
  for (const auto& k : *list) {
    const std::string state = k.revoked_at ? "revoked " + i18n::FormatIsoUtc(k.revoked_at)
                              : ctx.now_ms() >= k.expires_at
                                  ? "expired " + i18n::FormatIsoUtc(k.expires_at)
                                  : "live until " + i18n::FormatIsoUtc(k.expires_at);
    std::printf("%lld\t%s\t%s\t%s\tnotes on %s\n", static_cast<long long>(k.id), k.label.c_str(),
                i18n::FormatIsoUtc(k.created_at).c_str(), state.c_str(),
                k.notes_on_all ? "every report" : "its own reports");
  }
  return 0;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "open311";
  m.migrations = Migrations;
  m.messages = Open311MessageFiles;
  m.templates = Open311TemplateFiles;
  m.open = Open;
  m.routes = Routes;
  m.commands = {{"open311-key",
                 "  open311-key add --municipality SLUG --label TEXT [--days N] [--notes own|all]\n"
                 "                           issue an Open311 API key for a municipality, with "
                 "the integration\n"
                 "                           account its reports are filed as (printed once; "
                 "stored as a hash),\n"
                 "                           valid N days (365; at most 730), posting updates to "
                 "its own reports\n"
                 "                           or to every report of the municipality\n"
                 "  open311-key list --municipality SLUG\n"
                 "                           the municipality's Open311 keys\n"
                 "  open311-key revoke --municipality SLUG --id N\n"
                 "                           stop a key at once\n",
                 KeyCommand}};
  return m;
}

}  // namespace baladiya::open311
