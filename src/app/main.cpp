// The baladiya command line: serve, migrate, seed --demo, version, and every module's verbs.
#include <sodium.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/config.h"
#include "app/modules.h"
#include "platform/db/backup.h"
#include "platform/http/client_address.h"
#include "platform/http/server.h"
#include "platform/log/log.h"
#include "platform/module/host.h"

extern char** environ;

namespace baladiya::app {
namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kUsage = R"(baladiya — an open e-municipality platform

Usage: baladiya COMMAND [settings]

Commands:
  serve [--print-config]   apply pending migrations and serve HTTP
  migrate                  apply pending database migrations
  seed --demo              load demo data (Hebron, Nablus, Ramallah) and demo staff; safe to
                           run again
  backup FILE              copy the SQLite database, while the server runs, into the new
                           file FILE (checked and synced; the key file is not in it)
  restore FILE [--replace] bring the back-up FILE back as the database (stop the server first;
                           --replace to put it in place of an existing database)
  version                  print the version
  help                     show this help
)";

constexpr const char* kSettingsUsage = R"(
Settings (flag > environment > config file > default):
)";

int Fail(const std::string& what) { return module::Fail(what); }
int Fail(const Error& e) { return module::Fail(e); }

int Serve(const Loaded& loaded) {
  const Config& c = loaded.config;
  auto start = std::chrono::steady_clock::now();
  const module::WebOptions web = WebOptionsFor(c);
  http::TrustedProxies proxies = web.trusted_proxies;
  if (web.trust_proxy) proxies.Merge(http::TrustedProxies::Loopback());
  if (Status st =
          http::CheckProxySetup(c.address, c.hsts || c.public_url.starts_with("https://"), proxies);
      !st.ok()) {
    return Fail(st.error());
  }
  auto host = module::Host::Open(Modules(), HostOptionsFor(c));
  if (!host.ok()) return Fail(host.error());
  module::Host& h = **host;
  if (Status st = h.BuildWeb(web); !st.ok()) return Fail(st.error());

  http::ServerOptions so;
  so.address = c.address;
  so.port = static_cast<uint16_t>(c.port);
  so.threads = c.threads;
  so.max_body_bytes = static_cast<size_t>(c.max_body_kb) * 1024;
  so.max_upload_bytes = static_cast<size_t>(c.max_upload_mb) * 1024 * 1024;
  so.max_header_bytes = static_cast<size_t>(c.max_header_kb) * 1024;
  so.read_timeout = std::chrono::milliseconds(c.read_timeout_ms);
  so.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  so.max_connections = static_cast<size_t>(c.max_connections);
  so.max_in_flight = static_cast<size_t>(c.max_in_flight);
  so.max_connections_per_address = static_cast<size_t>(c.max_connections_per_address);
  so.uncapped = proxies;
  so.offload_threads = c.offload_threads;
  http::Server server(so, h.Handler());
  h.Attach(server);
  if (Status st = server.Listen(); !st.ok()) return Fail(st.error());
  if (Status st = h.StartWorkers(); !st.ok()) return Fail(st.error());
  auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::printf("Baladiya is serving on http://%s:%u (%s, ready in %lld ms)\n", c.address.c_str(),
              server.port(), std::string(h.db().Engine()).c_str(),
              static_cast<long long>(ready_ms));
  std::fflush(stdout);
  server.Run(true);
  // The workers finish what they are doing (a last audit checkpoint, a delivery in progress)
  // before the database closes with the host.
  h.StopWorkers();
  host->reset();
  std::fprintf(stderr, "baladiya: stopped\n");
  return 0;
}

// baladiya backup FILE / baladiya restore FILE [--replace] (platform/db/backup.h).
int BackupOrRestore(const std::string& command, const Loaded& loaded) {
  std::string file;
  bool replace = false;
  for (const auto& a : loaded.rest) {
    if (a == "--replace" && command == "restore") {
      replace = true;
    } else if (file.empty() && !a.starts_with("--")) {
      file = a;
    } else {
      return Fail("unknown argument '" + a + "' for " + command + " (see baladiya help)");
    }
  }
  if (file.empty()) return Fail(command + " needs a FILE (see baladiya help)");
  const std::string& db = loaded.config.database;
  auto report = command == "backup" ? db::Backup(db, file) : db::Restore(file, db, replace);
  if (!report.ok()) return Fail(report.error());
  std::cout << (command == "backup" ? "backed up " : "restored ") << report->pages << " pages ("
            << report->bytes << " bytes, migration " << report->migration << ") "
            << (command == "backup" ? "to " + file : "from " + file) << "\n";
  if (command == "restore") {
    std::cout << "next: baladiya audit verify, with the key file the back-up was made with\n";
  }
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = args.empty() ? "help" : args.front();
  if (!args.empty()) args.erase(args.begin());
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage << module::CommandUsage(Modules()) << kSettingsUsage << SettingsHelp();
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
  const std::vector<module::Module> modules = Modules();
  for (const module::Module& m : modules) {
    for (const module::Command& verb : m.commands) {
      if (verb.name != command) continue;
      if (Status st = log::Init(loaded->config.log_level); !st.ok()) return Fail(st.error());
      auto host = module::Host::Open(modules, HostOptionsFor(loaded->config));
      if (!host.ok()) return Fail(host.error());
      return verb.run((*host)->context(), loaded->rest);
    }
  }
  if (command == "backup" || command == "restore") return BackupOrRestore(command, *loaded);
  bool print_config = false;
  bool demo = false;
  for (const auto& a : loaded->rest) {
    if (a == "--help" || a == "-h") {
      std::cout << kUsage << module::CommandUsage(Modules()) << kSettingsUsage << SettingsHelp();
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
    module::HostOptions o = HostOptionsFor(loaded->config);
    o.quiet = false;
    auto host = module::Host::Open(modules, std::move(o));
    return host.ok() ? 0 : Fail(host.error());
  }
  if (command == "seed") {
    if (!demo) return Fail("seed needs --demo (the only data set so far)");
    auto host = module::Host::Open(modules, HostOptionsFor(loaded->config));
    if (!host.ok()) return Fail(host.error());
    if (Status st = (*host)->SeedDemo(); !st.ok()) return Fail(st.error());
    return 0;
  }
  return Fail("unknown command '" + command + "' (see baladiya help)");
}

}  // namespace
}  // namespace baladiya::app

int main(int argc, char** argv) { return baladiya::app::Main(argc, argv); }
