// module::Host builds the program from a list of modules (module.h): it opens the database and
// applies every module's migrations, loads the key file, merges the message catalogue fragments
// and loads every template and asset into one render::Site, then runs the modules' phases. The
// command line (`baladiya serve`, `migrate`, `seed`, module verbs), the app's HTTP tests and each
// module's web tests (platform/testing/web_harness.h) all use it, so the wiring exists once.
//
// The web side it assembles: the platform's middleware (request id, security headers, the client
// address behind a trusted proxy, the page language), then the modules' middleware, then gzip,
// then the router; the platform's own routes (/healthz, /readyz, /metrics, /assets/...,
// /api/v1/openapi.json assembled from the modules' fragments); error pages in the user's
// language. Modules add every other route in their routes phase.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/http/client_address.h"
#include "platform/http/server.h"
#include "platform/metrics/metrics.h"
#include "platform/module/module.h"
#include "platform/render/assets.h"
#include "platform/render/map.h"
#include "platform/render/page.h"
#include "platform/render/templates.h"

namespace baladiya::module {

struct HostOptions {
  db::DatabaseOptions database;
  std::string key_file = "var/keys";
  Settings settings;
  // The clock every module reads (ms since the epoch, UTC); unset: the system clock.
  std::function<int64_t()> now_ms;
  // Print applied migrations.
  bool quiet = true;
};

struct WebOptions {
  bool hsts = false;         // served over TLS: Strict-Transport-Security, Secure cookies
  bool trust_proxy = false;  // trust 127.0.0.1 and ::1 as proxies (with trusted_proxies)
  http::TrustedProxies trusted_proxies;  // X-Forwarded-For is read past these (client_address.h)
  std::string metrics_token;             // /metrics needs it as a bearer token; empty: 404
  render::MapConfig map;                 // the optional map (no tiles URL: no map anywhere)
  // Middleware placed after the modules' own, before gzip and the router, in this order. Empty
  // in `baladiya serve`; a test adds what it needs there, e.g. identity's way of acting as a
  // chosen principal without signing in (identity/testing.h), which must run after identity's
  // authentication so that it has the last word on the request's principal.
  std::vector<http::Middleware> extra_middleware;
};

class Host {
 public:
  // Opens the database, applies the migrations of every module, loads the key file and the
  // site's resources, then runs each module's open phase. Fails naming what (a changed migration,
  // a template that does not parse, a message key in two fragments, a module that failed to
  // open) and where.
  static Result<std::unique_ptr<Host>> Open(std::vector<Module> modules, HostOptions options);
  ~Host();
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  Context& context() { return *context_; }
  Registry& parts() { return parts_; }
  db::Database& db() { return *db_; }
  const render::Site& site() const { return site_; }
  const std::vector<Module>& modules() const { return modules_; }

  // Runs every module's routes phase and builds the request handler. Call once, before
  // Handler(). kInvalid when the map settings cannot be used (the detail says why).
  Status BuildWeb(const WebOptions& options);
  // The whole web application: middleware and router. Valid after BuildWeb.
  const http::Handler& Handler() const { return handler_; }
  // Connects a server's offload rule, access log and metrics, and error pages.
  void Attach(http::Server& server);

  // The error page (HTML) in the request's language; Arabic when there is no request.
  http::Response ErrorPage(int status, const http::Request* request) const;
  // Every route (method, pattern) the web serves, the host's own and the modules'. After BuildWeb.
  std::vector<std::pair<http::Method, std::string>> Routes() const { return web_->router.Routes(); }
  // The OpenAPI document assembled from every module's fragment (valid JSON).
  const std::string& OpenApi() const { return openapi_; }

  // Starts every module's workers (serve only). StopWorkers (or the destructor) stops them in
  // reverse order.
  Status StartWorkers();
  void StopWorkers();

  // `baladiya seed --demo`: each module's demo data, in list order.
  Status SeedDemo();
  // The command-line verb of some module with this name, or null.
  const Command* FindCommand(std::string_view name) const;

 private:
  Host() = default;
  http::Response Dispatch(http::Request& req) const;
  http::Response Asset(http::Request& req) const;
  http::Response Ready(http::Request& req) const;
  http::Response Metrics(http::Request& req) const;
  std::string metrics_token_;
  void Observe(const http::Exchange& exchange);

  std::vector<Module> modules_;
  HostOptions options_;
  std::unique_ptr<db::Database> db_;
  crypto::KeyFile keys_;
  std::unique_ptr<i18n::Catalog> catalog_;
  std::unique_ptr<render::Templates> templates_;
  render::Assets assets_;
  render::MapConfig map_;
  render::Site site_;
  std::string openapi_;
  Registry parts_;
  std::unique_ptr<Web> web_;
  std::unique_ptr<Context> context_;
  http::Handler handler_;
  metrics::Registry metrics_;
  http::Server* server_ = nullptr;
  std::vector<std::unique_ptr<Worker>> workers_;
};

// The usage lines of every module's commands, for `baladiya help`.
std::string CommandUsage(const std::vector<Module>& modules);

// The migrations of every module, in number order (for tests that need the schema alone).
std::vector<db::Migration> AllMigrations(const std::vector<Module>& modules);

}  // namespace baladiya::module
