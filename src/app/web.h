// The web application: middleware chain, routes of the web shell (home, municipality homes,
// assets, health, metrics) and error pages in the user's language. Every route is added through
// routes() with an access rule, which Dispatch checks before the handler runs. Modules add their
// routes before Handler() is taken.
#pragma once

#include <memory>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"
#include "platform/db/database.h"
#include "platform/http/client_address.h"
#include "platform/http/router.h"
#include "platform/http/server.h"
#include "platform/metrics/metrics.h"
#include "platform/render/page.h"

namespace baladiya::app {

struct WebOptions {
  bool hsts = false;
  bool trust_proxy = false;  // trust 127.0.0.1 and ::1 as proxies (with trusted_proxies)
  http::TrustedProxies trusted_proxies;  // see http::ClientAddress
  std::string metrics_token;             // /metrics needs it as a bearer token; empty: 404
};

class WebApp {
 public:
  // All pointers must outlive the WebApp. identity may be null (no accounts: everyone is
  // anonymous), as in tests of the shell alone.
  WebApp(db::Database* db, const render::Site* site, WebOptions options,
         const identity::WebServices* identity = nullptr);

  identity::GuardedRoutes& routes() { return routes_; }
  catalog::TenancyStore& tenancy() { return tenancy_; }
  // The whole application as one handler (middleware + router). Call after all routes are added.
  http::Handler Handler();
  // Connects the server's observer (access log, metrics) and error renderer.
  void Attach(http::Server* server);

  // An error page (HTML) in the request's language; Arabic when the request is unknown.
  http::Response ErrorPage(int status, const http::Request* request) const;

 private:
  http::Response Dispatch(http::Request& req) const;
  // What to answer when Decide() refuses a request.
  http::Response Refuse(identity::Decision decision, const http::Request& req, int64_t scope) const;
  http::Response FinishCached(render::Page& page, const std::string& key, uint64_t version,
                              const std::function<Status(render::Dict&)>& fill,
                              const http::Request& req) const;
  http::Response Home(http::Request& req) const;
  http::Response MunicipalityHome(http::Request& req) const;
  http::Response Asset(http::Request& req) const;
  http::Response Ready(http::Request& req) const;
  http::Response Metrics(http::Request& req) const;
  void Observe(const http::Exchange& exchange);

  db::Database* db_;
  const render::Site* site_;
  WebOptions options_;
  catalog::TenancyStore tenancy_;
  const identity::WebServices* identity_;
  http::Router router_;
  identity::GuardedRoutes routes_{router_};
  metrics::Registry metrics_;
  mutable render::FragmentCache fragments_;
  http::Server* server_ = nullptr;
};

// An API error as {"error":{"code":...,"message":...}}, the message from the catalogues in the
// request's language.
http::Response ApiError(int status, std::string_view code, std::string_view message_key,
                        const i18n::Catalog& catalog, const http::Request& req);

// Behind a reverse proxy on the same machine: http::ClientAddress with 127.0.0.1 and ::1
// trusted.
http::Middleware ClientAddress();

// Chooses the page language: a valid ?lang= (remembered in a cookie), else the cookie, else
// Arabic.
http::Middleware Locale();

}  // namespace baladiya::app
