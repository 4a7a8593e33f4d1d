// interop on the web: the provider's X-Road REST services (api.cpp) and the municipal admin's
// access-rights page (pages.cpp).
#pragma once

#include <functional>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "interop/exchange.h"
#include "interop/interop.h"
#include "interop/peers.h"
#include "interop/registry.h"
#include "interop/webhooks.h"
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
  ExchangeStore* exchange_store = nullptr;
  const CaseExchange* exchange = nullptr;  // filled by the app
  WebhookStore* webhooks = nullptr;
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

// POST /api/v1/peer/{slug}/transfers: a case a peer sends (exchange_api.cpp).
void AddExchangeApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
// /m/{slug}/cases/{tracking}/send-to-peer (GET, POST): staff send a case to a peer
// (exchange_pages.cpp).
void AddExchangePageRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// /m/{slug}/admin/webhooks: subscriptions, the delivery log, replaying (kManageCatalog;
// webhooks_web.cpp).
void AddWebhookRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// The case page's section about transfers to and from peers (the app adds it to cases' staff
// case page): where the case went and the answer, or where it came from with the sender's
// history; a link to send it when it may go. Empty when there is nothing to say.
class ExchangePanel {
 public:
  explicit ExchangePanel(WebOptions o) : o_(std::move(o)) {}
  Result<std::string> Render(const http::Request& req, int64_t municipality_id,
                             int64_t department_id, std::string_view tracking, bool open,
                             i18n::Lang lang) const;

 private:
  WebOptions o_;
};

// The resident's account pages (account_pages.cpp), linked from the account page:
//   /account/identity    verify my identity against the civil registry (degraded: at the counter)
//   /account/who-looked  every registry check and every authority's query about me
void AddAccountRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

}  // namespace baladiya::interop
