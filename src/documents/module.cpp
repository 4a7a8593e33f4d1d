// The documents module as the program is built from it (platform/module/module.h): the store
// and its signing keys, issuing as an observer of every case, the panels on the case pages, the
// document pages, /verify and the published keys, and `baladiya document ...`.
#include "platform/module/module.h"

#include <fstream>
#include <sstream>

#include "cases/cases.h"
#include "cases/web.h"
#include "catalog/catalog.h"
#include "documents/documents.h"
#include "documents/pades.h"
#include "documents/pdf.h"
#include "documents/web.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> DocumentsMessageFiles();
std::span<const baladiya::EmbeddedFile> DocumentsTemplateFiles();
std::span<const baladiya::EmbeddedFile> DocumentsOpenApiFiles();

namespace baladiya::documents {

namespace {

Status Open(module::Context& ctx) {
  KeyStore& keys = ctx.parts.Own(std::make_unique<KeyStore>(ctx.db, ctx.keys.signing_seed));
  Extensions& ext = ctx.parts.Own(std::make_unique<Extensions>());
  StoreDeps deps;
  deps.db = &ctx.db;
  deps.keys = &keys;
  deps.audit = &ctx.parts.Get<audit::AuditLog>();
  deps.cases = &ctx.parts.Get<cases::CaseStore>();
  deps.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  deps.accounts = &ctx.parts.Get<identity::AccountStore>();
  deps.messages = ctx.site.catalog;
  deps.extensions = &ext;
  const std::string public_url =
      ctx.settings.Has("public-url") ? ctx.settings.Text("public-url") : std::string();
  const catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  const i18n::Catalog* messages = ctx.site.catalog;
  CertificateStore& certificates =
      ctx.parts.Own(std::make_unique<CertificateStore>(ctx.db, ctx.keys.master));
  deps.render_pdf = [&tenancy, &certificates, messages, public_url](
                        db::Tx& tx, const Document& d) -> Result<std::string> {
    auto m = tenancy.Get(d.municipality_id);
    if (!m.ok()) return std::move(m).error();
    auto pdf = RenderPdf(d, {m->name, VerifyAddress(public_url, d.code), messages});
    if (!pdf.ok()) return pdf;
    auto signer = certificates.ForMunicipality(tx, m->id, m->name.en, d.issued_at);
    if (!signer.ok()) return std::move(signer).error();
    return (*signer)->Sign(*pdf, d.issued_at, m->name.en, d.title.en + " " + d.number);
  };
  // Other records in the municipality's name (payments' receipts) are drawn and signed alike.
  ctx.parts.Own(std::make_unique<RecordPrinter>(tenancy, certificates, *messages));
  DocumentStore& store = ctx.parts.Own(std::make_unique<DocumentStore>(deps));
  ctx.parts.Get<cases::CaseStore>().AddObserver(
      [&store](db::Tx& tx, const cases::StateChange& change) {
        return store.OnStateChange(tx, change);
      });
  // The panels read the document of the case, if any; the web options are filled in Routes.
  WebOptions& web = ctx.parts.Own(std::make_unique<WebOptions>());
  cases::Extensions& cx = ctx.parts.Get<cases::Extensions>();
  auto panel = [&store, &web](bool staff) {
    return [&store, &web, staff](const cases::PanelRequest& p) -> Result<std::string> {
      if (!p.service.document.Issues() || !web.site) return std::string();
      auto d = store.OfCase(p.c.id);
      if (!d.ok()) {
        if (d.error().code == ErrorCode::kNotFound) return std::string();
        return std::move(d).error();
      }
      return Panel(web, *d, p.req, staff, p.lang);
    };
  };
  cx.staff_panels.push_back(panel(true));
  cx.applicant_panels.push_back(panel(false));
  // Anyone may check a code through the API, without a session.
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.self_authenticating_paths.push_back("/api/v1/verify");
  // Residents find their documents from their account page.
  ids.account_links.push_back({"documents.mine.link", "/account/documents",
                               [](const identity::Principal& p) { return !p.staff; }});
  return Ok();
}

Status Routes(module::Context& ctx) {
  auto error_page = ctx.web->error_page;
  WebOptions& o = ctx.parts.Get<WebOptions>();
  o.store = &ctx.parts.Get<DocumentStore>();
  o.keys = &ctx.parts.Get<KeyStore>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.services = &ctx.parts.Get<catalog::ServiceStore>();
  o.site = &ctx.site;
  o.public_url = ctx.settings.Text("public-url");
  o.now_ms = ctx.now_ms;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  AddRoutes(ctx.parts.Get<identity::GuardedRoutes>(), o);
  return Ok();
}

Status SeedDemo(module::Context& ctx) {
  KeyStore& keys = ctx.parts.Get<KeyStore>();
  auto list = ctx.parts.Get<catalog::TenancyStore>().ListMunicipalities();
  if (!list.ok()) return std::move(list).error();
  for (const auto& m : *list) {
    auto k = keys.Current(m.id, m.slug, ctx.now_ms());
    if (!k.ok()) return std::move(k).error();
    // The PDF signing certificate too, so that the first document signs at once.
    auto c = ctx.parts.Get<CertificateStore>().ForMunicipality(m.id, m.name.en, ctx.now_ms());
    if (!c.ok()) return std::move(c).error();
  }
  return Ok();
}

constexpr const char* kUsage =
    "usage: baladiya document verify --keys FILE CODE | keys | rotate-key --municipality SLUG | "
    "revoked";

// baladiya document verify --keys FILE CODE: checks a code offline against a saved key set
// (exit 0 valid, 1 anything else); keys: prints the key set to save; rotate-key: a new signing
// key for a municipality (the former keeps verifying what it signed); revoked: the signed list.
int DocumentCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return module::Fail(kUsage);
  if (args[0] == "verify") {
    if (args.size() != 4 || args[1] != "--keys") return module::Fail(kUsage);
    std::ifstream in(args[2]);
    if (!in) return module::Fail("cannot read the key set " + args[2]);
    std::stringstream text;
    text << in.rdbuf();
    auto keys = ParseKeySet(text.str());
    if (!keys.ok()) return module::Fail("the key set " + args[2] + " cannot be read");
    Check c = CheckCode(args[3], *keys, ctx.now_ms());
    std::printf("%s\n", c.outcome.c_str());
    if (c.outcome == "valid" || c.outcome == "expired" || c.outcome == "revoked") {
      std::printf(
          "number\t%s\nissuer\t%s\nkind\t%s\nholder\t%s\nholder_id\t%s\nissued\t%s\n"
          "expires\t%s\n",
          c.claims.number.c_str(), c.claims.issuer.c_str(), c.claims.kind.c_str(),
          c.claims.holder.c_str(), c.claims.holder_id.c_str(),
          i18n::FormatIsoUtc(c.claims.issued_at * 1000).c_str(),
          i18n::FormatIsoUtc(c.claims.expires_at * 1000).c_str());
      for (size_t i = 0; i < c.claims.facts.size(); ++i) {
        std::printf("fact %zu\t%s\n", i + 1, c.claims.facts[i].c_str());
      }
    }
    return c.outcome == "valid" ? 0 : 1;
  }
  if (args[0] == "keys" && args.size() == 1) {
    auto keys = ctx.parts.Get<KeyStore>().All();
    if (!keys.ok()) return module::Fail(keys.error());
    std::printf("%s\n", KeySetJson(*keys).c_str());
    return 0;
  }
  if (args[0] == "revoked" && args.size() == 1) {
    auto list = SignedRevocationList(ctx.parts.Get<DocumentStore>(), ctx.parts.Get<KeyStore>(),
                                     ctx.now_ms());
    if (!list.ok()) return module::Fail(list.error());
    std::printf("%s\n", list->c_str());
    return 0;
  }
  if (args[0] == "rotate-key") {
    if (args.size() != 3 || args[1] != "--municipality") return module::Fail(kUsage);
    auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(args[2]);
    if (!m.ok()) return module::Fail("no municipality '" + args[2] + "'");
    auto k = ctx.parts.Get<KeyStore>().Rotate(m->id, m->slug, ctx.now_ms());
    if (!k.ok()) return module::Fail(k.error());
    std::printf("%s: document key generation %d, kid %s\n", m->slug.c_str(), k->generation,
                crypto::ToBase64Url(k->kid).c_str());
    return 0;
  }
  return module::Fail(kUsage);
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "documents";
  m.migrations = Migrations;
  m.messages = DocumentsMessageFiles;
  m.templates = DocumentsTemplateFiles;
  m.openapi = DocumentsOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.seed_demo = SeedDemo;
  m.commands = {{"document",
                 "  document verify --keys FILE CODE\n"
                 "                           check a document's code offline against a saved "
                 "key set\n"
                 "  document keys            print the published key set (to save for "
                 "verify)\n"
                 "  document rotate-key --municipality SLUG\n"
                 "                           a new signing key; the former keeps verifying\n"
                 "  document revoked         print the signed list of revoked documents\n",
                 DocumentCommand}};
  return m;
}

}  // namespace baladiya::documents
