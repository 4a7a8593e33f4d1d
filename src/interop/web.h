// interop on the web: the provider's X-Road REST services (api.cpp) and the municipal admin's
// access-rights page (pages.cpp).
#pragma once

#include <functional>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "interop/interop.h"
#include "interop/peers.h"
#include "interop/registry.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::interop {

inline constexpr std::string_view kApiBase = "/api/v1/xroad";

struct WebOptions {
  Store* store = nullptr;
  const Providers* providers = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  const render::Site* site = nullptr;
  std::function<http::Response(int, const http::Request&)> error_page;
  std::function<int64_t()> now_ms;
  identity::AccountStore* accounts = nullptr;  // the account pages
  RegistryClient* registry = nullptr;
  // The audit log, where staff lookups of a resident's record are (the "who looked" page).
  audit::AuditLog* audit = nullptr;
  // The exchange between municipalities: the peers, and the key file's signing seed the
  // municipalities' keys are derived from (peers.h).
  PeerStore* peers = nullptr;
  const crypto::Key32* signing_seed = nullptr;
};

// GET /api/v1/xroad/{slug}/clearance?nationalId=...  and
// GET /api/v1/xroad/{slug}/cases/{tracking}, public to the guard: each checks X-Road-Client and
// the grants itself, and logs every exchange.
void AddApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// /m/{slug}/admin/xroad: the grants, granting and revoking (kManageCatalog), with the latest
// exchanges of the message log.
void AddPageRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// GET /.well-known/baladiya-keys (every municipality's public key, public) and
// /m/{slug}/admin/peers: the peers, registering (key fetched and pinned) and removing one
// (kManageCatalog; peers_web.cpp).
void AddPeerRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// The resident's account pages (account_pages.cpp), linked from the account page:
//   /account/identity    verify my identity against the civil registry (degraded: at the counter)
//   /account/who-looked  every registry check and every authority's query about me
void AddAccountRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

}  // namespace baladiya::interop
