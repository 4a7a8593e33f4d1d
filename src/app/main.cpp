// The baladiya command line: serve, migrate, seed --demo, version.
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "app/config.h"
#include "app/resources.h"
#include "app/web.h"
#include "catalog/catalog.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/http/server.h"
#include "platform/log/log.h"
#include "platform/render/assets.h"
#include "platform/render/templates.h"

extern char** environ;

namespace baladiya::app {
namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kUsage = R"(baladiya — an open e-municipality platform

Usage: baladiya COMMAND [settings]

Commands:
  serve [--print-config]   apply pending migrations and serve HTTP
  migrate                  apply pending database migrations
  seed --demo              load demo data (Hebron, Nablus, Ramallah); safe to run again
  version                  print the version
  help                     show this help

Settings (flag > environment > config file > default):
)";

int Fail(const std::string& what) {
  std::fprintf(stderr, "baladiya: %s\n", what.c_str());
  return 1;
}

int Fail(const Error& e) { return Fail(e.detail.empty() ? e.message_key : e.detail); }

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::unique_ptr<db::Database>> OpenAndMigrate(const Config& c, bool quiet) {
  db::DatabaseOptions o;
  o.url = c.database;
  o.synchronous = c.synchronous;
  o.read_pool_size = c.db_pool;
  auto db = db::Open(o);
  if (!db.ok()) return std::move(db).error();
  auto report = db::Migrate(**db, AllMigrations());
  if (!report.ok()) return std::move(report).error();
  if (!quiet) {
    for (const auto& name : report->applied) std::printf("applied migration %s\n", name.c_str());
    std::printf("%zu migration(s) applied, %d already in place\n", report->applied.size(),
                report->already_applied);
  }
  return std::move(*db);
}

int Serve(const Loaded& loaded) {
  const Config& c = loaded.config;
  auto start = std::chrono::steady_clock::now();
  auto db = OpenAndMigrate(c, true);
  if (!db.ok()) return Fail(db.error());
  auto catalog = i18n::Catalog::Load(FindEmbedded(AppCatalogFiles(), "ar.json"),
                                     FindEmbedded(AppCatalogFiles(), "en.json"));
  if (!catalog.ok()) return Fail(catalog.error());
  auto templates = render::Templates::Load(AppTemplateFiles(), *catalog);
  if (!templates.ok()) return Fail(templates.error());
  render::Assets assets = render::Assets::Build(AppAssetFiles());
  render::Site site{templates->get(), &*catalog, &assets};

  WebApp web(db->get(), &site, WebOptions{c.hsts});
  http::ServerOptions so;
  so.address = c.address;
  so.port = static_cast<uint16_t>(c.port);
  so.threads = c.threads;
  so.max_body_bytes = static_cast<size_t>(c.max_body_kb) * 1024;
  so.max_header_bytes = static_cast<size_t>(c.max_header_kb) * 1024;
  so.read_timeout = std::chrono::milliseconds(c.read_timeout_ms);
  so.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  so.max_connections = static_cast<size_t>(c.max_connections);
  so.max_in_flight = static_cast<size_t>(c.max_in_flight);
  http::Server server(so, web.Handler());
  web.Attach(&server);
  if (Status s = server.Listen(); !s.ok()) return Fail(s.error());
  auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::printf("Baladiya is serving on http://%s:%u (%s, ready in %lld ms)\n", c.address.c_str(),
              server.port(), std::string((*db)->Engine()).c_str(),
              static_cast<long long>(ready_ms));
  std::fflush(stdout);
  server.Run(true);
  (*db)->Close();
  std::fprintf(stderr, "baladiya: stopped\n");
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = args.empty() ? "help" : args.front();
  if (!args.empty()) args.erase(args.begin());
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage << SettingsHelp();
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::cout << "baladiya " << kVersion << "\n";
    return 0;
  }
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  auto loaded = LoadConfig(args, env);
  if (!loaded.ok()) return Fail(loaded.error());
  bool print_config = false;
  bool demo = false;
  for (const auto& a : loaded->rest) {
    if (a == "--help" || a == "-h") {
      std::cout << kUsage << SettingsHelp();
      return 0;
    } else if (a == "--print-config" && command == "serve") {
      print_config = true;
    } else if (a == "--demo" && command == "seed") {
      demo = true;
    } else {
      return Fail("unknown argument '" + a + "' for " + command + " (see baladiya help)");
    }
  }
  if (Status s = log::Init(loaded->config.log_level); !s.ok()) return Fail(s.error());
  if (sodium_init() < 0) return Fail("libsodium failed to initialise");
  if (command == "serve") {
    if (print_config) {
      std::cout << DescribeConfig(*loaded);
      return 0;
    }
    return Serve(*loaded);
  }
  if (command == "migrate") {
    auto db = OpenAndMigrate(loaded->config, false);
    return db.ok() ? 0 : Fail(db.error());
  }
  if (command == "seed") {
    if (!demo) return Fail("seed needs --demo (the only data set so far)");
    auto db = OpenAndMigrate(loaded->config, true);
    if (!db.ok()) return Fail(db.error());
    auto report = catalog::SeedDemo(**db, NowMs());
    if (!report.ok()) return Fail(report.error());
    std::printf("demo data: %d municipalities, %d departments (inserted or refreshed)\n",
                report->municipalities, report->departments);
    return 0;
  }
  return Fail("unknown command '" + command + "' (see baladiya help)");
}

}  // namespace
}  // namespace baladiya::app

int main(int argc, char** argv) { return baladiya::app::Main(argc, argv); }
