// The interop module as the program is built from it (platform/module/module.h): the grants and
// message log store, the providers other modules fill (app/shell.cpp joins them), the X-Road
// services and the admin page, `baladiya xroad`, and a demo grant.
#include "platform/module/module.h"

#include <cstdio>
#include <map>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"
#include "interop/exchange.h"
#include "interop/interop.h"
#include "interop/peers.h"
#include "interop/registry.h"
#include "interop/sandbox.h"
#include "interop/web.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> InteropMessageFiles();
std::span<const baladiya::EmbeddedFile> InteropTemplateFiles();
std::span<const baladiya::EmbeddedFile> InteropOpenApiFiles();

namespace baladiya::interop {
namespace {

Status Open(module::Context& ctx) {
  ctx.parts.Own(
      std::make_unique<Store>(ctx.db, ctx.keys.blind_index, &ctx.parts.Get<audit::AuditLog>()));
  ctx.parts.Own(std::make_unique<Providers>());
  ctx.parts.Own(std::make_unique<PeerStore>(ctx.db, &ctx.parts.Get<audit::AuditLog>()));
  ctx.parts.Own(std::make_unique<ExchangeStore>(ctx.db, ctx.parts.Get<PeerStore>(),
                                                &ctx.parts.Get<audit::AuditLog>(),
                                                ctx.keys.signing_seed));
  ctx.parts.Own(std::make_unique<CaseExchange>());
  ctx.parts.Own(std::make_unique<WebhookStore>(ctx.db, &ctx.parts.Get<audit::AuditLog>(),
                                               ctx.keys.signing_seed));
  // The civil registry through the security server; the settings are optional (tests and
  // programs without them have no registry: verification happens at the counter).
  RegistryOptions r;
  auto text = [&ctx](const char* name, std::string fallback) {
    return ctx.settings.Has(name) ? ctx.settings.Text(name) : fallback;
  };
  r.security_server = text("civil-registry-url", "");
  while (r.security_server.ends_with("/")) r.security_server.pop_back();
  r.client = text("xroad-client", "PS/GOV/BALADIYA/e-services");
  r.service = text("civil-registry-service", "PS/GOV/MOI/civil-registry/verifyPerson");
  r.legal_basis = text("civil-registry-legal-basis",
                       "Identity proofing for municipal e-services at the resident's request");
  if (ctx.settings.Has("civil-registry-timeout-ms")) {
    r.timeout_ms = ctx.settings.Int("civil-registry-timeout-ms");
  }
  ctx.parts.Own(std::make_unique<RegistryClient>(r));
  // The account page links the resident's identity pages.
  identity::WebServices& web = ctx.parts.Get<identity::WebServices>();
  auto resident = [](const identity::Principal& p) { return !p.staff; };
  web.account_links.push_back({"interop.identity.link", "/account/identity", resident});
  web.account_links.push_back({"interop.looked.link", "/account/who-looked", resident});
  // The services authenticate by X-Road-Client (behind the security server), never by session.
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back(std::string(kApiBase) +
                                                                             "/");
  // Peers' transfers authenticate by their signatures.
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back(
      std::string(kPeerApiBase) + "/");
  return Ok();
}

Status Routes(module::Context& ctx) {
  auto error_page = ctx.web->error_page;
  WebOptions o;
  o.store = &ctx.parts.Get<Store>();
  o.providers = &ctx.parts.Get<Providers>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.site = &ctx.site;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  o.now_ms = ctx.now_ms;
  o.accounts = &ctx.parts.Get<identity::AccountStore>();
  o.registry = &ctx.parts.Get<RegistryClient>();
  o.audit = &ctx.parts.Get<audit::AuditLog>();
  o.peers = &ctx.parts.Get<PeerStore>();
  o.signing_seed = &ctx.keys.signing_seed;
  o.exchange_store = &ctx.parts.Get<ExchangeStore>();
  o.exchange = &ctx.parts.Get<CaseExchange>();
  o.webhooks = &ctx.parts.Get<WebhookStore>();
  ctx.parts.Own(std::make_unique<ExchangePanel>(o));
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  AddApiRoutes(routes, o);
  AddPageRoutes(routes, o);
  AddAccountRoutes(routes, o);
  AddPeerRoutes(routes, o);
  AddExchangeApiRoutes(routes, o);
  AddExchangePageRoutes(routes, o);
  AddWebhookRoutes(routes, o);
  return Ok();
}

// The demo: the Ministry of Local Government's e-services subsystem may ask every demo
// municipality both services.
constexpr char kDemoClient[] = "PS/GOV/MOLG/e-services";
// `make run`'s address.
constexpr char kDemoPeerUrl[] = "http://127.0.0.1:8080";

Status SeedDemo(module::Context& ctx) {
  auto list = ctx.parts.Get<catalog::TenancyStore>().ListMunicipalities();
  if (!list.ok()) return std::move(list).error();
  Store& store = ctx.parts.Get<Store>();
  for (const catalog::Municipality& m : *list) {
    for (std::string_view service : kServices) {
      auto g = store.Grant(m.id, kDemoClient, service, {"system", "seed"}, ctx.now_ms());
      if (!g.ok()) return std::move(g).error();
    }
  }
  // Every other demo municipality accepts cases from Hebron as from a peer on `make run`'s
  // address (the key is this server's own: the demo is its own peer). Hebron's admin registers
  // the other side on the peers page, as an admin would.
  PeerStore& peers = ctx.parts.Get<PeerStore>();
  for (const catalog::Municipality& hebron : *list) {
    if (hebron.slug != "hebron") continue;
    const crypto::SigningKey key = MunicipalityKey(ctx.keys.signing_seed, hebron.id);
    const PeerKey peer{hebron.slug, KeyId(hebron.slug, key.public_key), key.public_key};
    for (const catalog::Municipality& m : *list) {
      if (m.id == hebron.id) continue;
      auto p = peers.Add(m.id, kDemoPeerUrl, peer, {"system", "seed"}, ctx.now_ms());
      if (!p.ok() && p.error().code != ErrorCode::kConflict) return std::move(p).error();
    }
  }
  return Ok();
}

// baladiya xroad grant|revoke --municipality SLUG --client I/C/M/S --service CODE
//              | list --municipality SLUG
int XroadCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya xroad grant|revoke --municipality SLUG --client INSTANCE/CLASS/MEMBER/"
      "SUBSYSTEM --service clearance|case-status|document-register | list --municipality SLUG";
  if (args.empty() || args.size() % 2 == 0) return module::Fail(kUsage);
  const std::string& action = args[0];
  if (action != "grant" && action != "revoke" && action != "list") return module::Fail(kUsage);
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (!opt.count("municipality")) return module::Fail("xroad " + action + " needs --municipality");
  if (action != "list" && (!opt.count("client") || !opt.count("service"))) {
    return module::Fail("xroad " + action + " needs --client and --service");
  }
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(opt["municipality"]);
  if (!m.ok()) return module::Fail("no municipality '" + opt["municipality"] + "'");
  Store& store = ctx.parts.Get<Store>();
  if (action == "list") {
    auto grants = store.Grants(m->id);
    if (!grants.ok()) return module::Fail(grants.error());
    for (const AccessGrant& g : *grants) {
      std::printf("%s\t%s\n", g.client.c_str(), g.service.c_str());
    }
    return 0;
  }
  const Actor actor{"system", "cli"};
  if (action == "grant") {
    auto g = store.Grant(m->id, opt["client"], opt["service"], actor, ctx.now_ms());
    if (!g.ok()) {
      if (g.error().message_key == "interop.client_malformed") {
        return module::Fail("the client must be INSTANCE/CLASS/MEMBER/SUBSYSTEM");
      }
      if (g.error().message_key == "interop.service_unknown") {
        return module::Fail("the service must be clearance, case-status or document-register");
      }
      return module::Fail(g.error());
    }
    std::printf("%s may call %s of %s\n", g->client.c_str(), g->service.c_str(), m->slug.c_str());
    return 0;
  }
  Status s = store.Revoke(m->id, opt["client"], opt["service"], actor, ctx.now_ms());
  if (!s.ok()) {
    if (s.error().code == ErrorCode::kNotFound) return module::Fail("there is no such grant");
    return module::Fail(s.error());
  }
  std::printf("%s may no longer call %s of %s\n", opt["client"].c_str(), opt["service"].c_str(),
              m->slug.c_str());
  return 0;
}

// baladiya peer add --municipality SLUG --url URL --peer SLUG | remove --municipality SLUG
//   --keyid KEYID | list --municipality SLUG | key --municipality SLUG
int PeerCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya peer add --municipality SLUG --url URL --peer SLUG | remove --municipality "
      "SLUG --keyid KEYID | list --municipality SLUG | key --municipality SLUG";
  if (args.empty() || args.size() % 2 == 0) return module::Fail(kUsage);
  const std::string& action = args[0];
  if (action != "add" && action != "remove" && action != "list" && action != "key") {
    return module::Fail(kUsage);
  }
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (!opt.count("municipality")) return module::Fail("peer " + action + " needs --municipality");
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(opt["municipality"]);
  if (!m.ok()) return module::Fail("no municipality '" + opt["municipality"] + "'");
  PeerStore& peers = ctx.parts.Get<PeerStore>();
  const Actor actor{"system", "cli"};
  if (action == "key") {
    const crypto::SigningKey k = MunicipalityKey(ctx.keys.signing_seed, m->id);
    std::printf("%s\n", KeyId(m->slug, k.public_key).c_str());
    return 0;
  }
  if (action == "list") {
    auto list = peers.List(m->id);
    if (!list.ok()) return module::Fail(list.error());
    for (const Peer& p : *list) {
      std::printf("%s\t%s\t%s\n", p.municipality.c_str(), p.base_url.c_str(), p.keyid.c_str());
    }
    return 0;
  }
  if (action == "remove") {
    if (!opt.count("keyid")) return module::Fail("peer remove needs --keyid");
    auto p = peers.ByKeyId(m->id, opt["keyid"]);
    if (!p.ok()) return module::Fail("there is no peer with this key id");
    Status s = peers.Remove(m->id, p->id, actor, ctx.now_ms());
    if (!s.ok()) return module::Fail(s.error());
    std::printf("%s is no longer a peer of %s\n", p->keyid.c_str(), m->slug.c_str());
    return 0;
  }
  if (!opt.count("url") || !opt.count("peer"))
    return module::Fail("peer add needs --url and --peer");
  if (!NormalizeBaseUrl(opt["url"])) {
    return module::Fail("the url must start with http:// or https:// and have no query");
  }
  if (!ValidSlug(opt["peer"])) return module::Fail("the peer must be a municipality code");
  auto key = FetchPeerKey(opt["url"], opt["peer"]);
  if (!key.ok()) {
    return module::Fail("could not fetch the peer's key (" + key.error().message_key + ")");
  }
  auto p = peers.Add(m->id, opt["url"], *key, actor, ctx.now_ms());
  if (!p.ok()) {
    if (p.error().code == ErrorCode::kConflict)
      return module::Fail("this peer is already registered");
    return module::Fail(p.error());
  }
  std::printf("%s at %s is a peer of %s, key %s\n", p->municipality.c_str(), p->base_url.c_str(),
              m->slug.c_str(), p->keyid.c_str());
  return 0;
}

// baladiya registry-sandbox --sandbox-port N: the demo's civil registry on loopback.
int SandboxCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage = "usage: baladiya registry-sandbox --sandbox-port N";
  if (args.size() != 2 || args[0] != "--sandbox-port") return module::Fail(kUsage);
  int port = 0;
  try {
    port = std::stoi(args[1]);
  } catch (...) {
    return module::Fail(kUsage);
  }
  if (port <= 0 || port > 65535) return module::Fail(kUsage);
  const std::string service = ctx.settings.Has("civil-registry-service")
                                  ? ctx.settings.Text("civil-registry-service")
                                  : "PS/GOV/MOI/civil-registry/verifyPerson";
  return RunRegistrySandbox(static_cast<uint16_t>(port), service);
}

// Every second: the transfers due to peers and the webhooks' deliveries.
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  ExchangeStore& store = ctx.parts.Get<ExchangeStore>();
  const CaseExchange& exchange = ctx.parts.Get<CaseExchange>();
  auto now = ctx.now_ms;
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(module::Every("peer transfers", std::chrono::seconds(1),
                              [&store, &exchange, now] { store.DeliverDue(exchange, now()); }));
  WebhookStore& hooks = ctx.parts.Get<WebhookStore>();
  out.push_back(module::Every("webhooks", std::chrono::seconds(1),
                              [&hooks, now] { hooks.DeliverDue(now()); }));
  return out;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "interop";
  m.migrations = Migrations;
  m.messages = InteropMessageFiles;
  m.templates = InteropTemplateFiles;
  m.openapi = InteropOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.seed_demo = SeedDemo;
  m.workers = Workers;
  m.commands = {
      {"xroad",
       "  xroad grant|revoke --municipality SLUG --client I/C/M/S --service CODE\n"
       "                           let an X-Road client subsystem call a provider "
       "service (clearance,\n"
       "                           case-status, document-register), or stop it\n"
       "  xroad list --municipality SLUG\n"
       "                           the client subsystems granted each service\n",
       XroadCommand},
      {"peer",
       "  peer add --municipality SLUG --url URL --peer SLUG\n"
       "                           register a municipality on another Baladiya server "
       "(its key is\n"
       "                           fetched from URL/.well-known/baladiya-keys and pinned)\n"
       "  peer remove --municipality SLUG --keyid KEYID | list --municipality SLUG\n"
       "  peer key --municipality SLUG\n"
       "                           this municipality's own key id\n",
       PeerCommand},
      {"registry-sandbox",
       "  registry-sandbox --sandbox-port N\n"
       "                           a civil registry behind a security server on "
       "loopback, with the demo\n"
       "                           residents (the demo's; never for real data)\n",
       SandboxCommand}};
  return m;
}

}  // namespace baladiya::interop
