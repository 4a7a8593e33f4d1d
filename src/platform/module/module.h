// What a module of the platform declares, and what it is given when the program is assembled.
//
// A module (src/<module>/) is one capability: identity, cases, open311, ... It describes itself
// with a Module value (returned by its `Module()` function, declared in its public header), and
// the program is built from a list of them (src/app/modules.cpp), in dependency order: a module
// comes after every module it uses. `baladiya serve`, the command line and the test harnesses
// all build from such a list through module::Host (host.h), so the wiring exists once.
//
// Lifecycle, each phase module by module in list order:
//   1. static parts: migrations, message catalogue fragment, templates, OpenAPI fragment;
//   2. open: create the module's stores and hand them to later modules through the Registry;
//      a module may hook into the modules before it here (e.g. observe cases' state changes);
//   3. routes: add pages, API routes and middleware (serve and the web harnesses only);
//   4. workers: start background work (serve only; tests drive the same work by hand);
//   5. commands: command-line verbs (`baladiya open311-key ...`), run after open.
// This header knows nothing of municipalities: modules exchange their own types through the
// Registry, keyed by type.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <typeindex>
#include <typeinfo>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/embedded.h"
#include "platform/http/http.h"
#include "platform/http/router.h"
#include "platform/result.h"

namespace baladiya::crypto {
struct KeyFile;
}
namespace baladiya::render {
struct Site;
}

namespace baladiya::module {

// The program's parts, keyed by type: a module provides what it creates, later modules get it.
// Not thread-safe while being filled (the open and routes phases run on one thread); read-only
// afterwards. Parts a registry owns are destroyed in the reverse order of their creation, so a
// part may hold references to parts provided before it.
class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;
  ~Registry() {
    while (!owned_.empty()) owned_.pop_back();
  }

  // Makes part (owned elsewhere, outliving the registry) available as T. Providing the same type
  // twice is a wiring bug and aborts.
  template <class T>
  void Provide(T* part) {
    auto [it, inserted] = parts_.emplace(std::type_index(typeid(T)), part);
    if (!inserted) Abort("provided twice", typeid(T).name());
  }
  // Keeps part and provides it as T; returns it.
  template <class T>
  T& Own(std::unique_ptr<T> part) {
    T* raw = part.get();
    owned_.push_back(std::shared_ptr<void>(std::move(part)));
    Provide<T>(raw);
    return *raw;
  }
  // Keeps part without providing it (something only its owner refers to).
  template <class T>
  T& Keep(std::unique_ptr<T> part) {
    T* raw = part.get();
    owned_.push_back(std::shared_ptr<void>(std::move(part)));
    return *raw;
  }
  // The part provided as T, or null.
  template <class T>
  T* Find() const {
    auto it = parts_.find(std::type_index(typeid(T)));
    return it == parts_.end() ? nullptr : static_cast<T*>(it->second);
  }
  // The part provided as T. Asking for one nobody provided is a wiring bug (a module listed
  // before one it uses): aborts naming the type.
  template <class T>
  T& Get() const {
    T* p = Find<T>();
    if (!p) Abort("not provided", typeid(T).name());
    return *p;
  }

 private:
  [[noreturn]] static void Abort(const char* what, const char* type) {
    std::fprintf(stderr, "baladiya: wiring bug: %s %s\n", type, what);
    std::abort();
  }

  std::map<std::type_index, void*> parts_;
  std::vector<std::shared_ptr<void>> owned_;
};

// The effective settings by name ("reopen-days"), already checked by the program's settings
// table (app/config.cpp): modules read theirs by name. Asking for a setting that is not in the
// table is a wiring bug and aborts.
class Settings {
 public:
  Settings() = default;
  explicit Settings(std::map<std::string, std::string, std::less<>> values)
      : values_(std::move(values)) {}

  const std::string& Text(std::string_view name) const;
  int Int(std::string_view name) const;
  bool Bool(std::string_view name) const;
  bool Has(std::string_view name) const { return values_.find(name) != values_.end(); }
  void Set(std::string name, std::string value) { values_[std::move(name)] = std::move(value); }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

// The web side of the program while it is assembled: the router every module adds its routes
// to, the middleware modules add (run in the order added, after the platform's own: request id,
// security headers, client address, language; and before gzip), and the requests other than
// form posts that must run on the offload pool (e.g. a long list), since GET handlers run on
// the I/O thread.
struct Web {
  http::Router router;
  std::vector<http::Middleware> middleware;
  std::vector<std::function<bool(const http::Request&)>> offload;
  // Gauges a module adds to /metrics (name -> value, e.g. the KPI ledger's headline figures),
  // called on each scrape; they must be cheap and thread-safe.
  std::vector<std::function<void(std::map<std::string, double>& gauges)>> gauges;
  // The error page in the request's language (the host renders it from error.tpl); request may
  // be null for errors the server detects before a request is whole.
  std::function<http::Response(int status, const http::Request* request)> error_page;
};

// What every phase of every module is given. The references live as long as the program.
struct Context {
  db::Database& db;
  const crypto::KeyFile& keys;
  const Settings& settings;
  // Milliseconds since the epoch, UTC. The real clock, or a fixed one in tests.
  std::function<int64_t()> now_ms;
  // Templates, message catalogue and assets of all modules (for pages and message texts).
  const render::Site& site;
  Registry& parts;
  // Null outside the routes phase and for command-line runs.
  Web* web = nullptr;
  // Whether the program will write to the terminal (migrations applied, demo data seeded).
  bool quiet = true;
};

// Background work a module runs while the program serves; it stops when destroyed (finishing
// what it is doing), before the database closes.
class Worker {
 public:
  virtual ~Worker() = default;
};

// A worker that calls run every `every` (first after one period) until destroyed, then calls
// at_stop once (if set). run must not throw.
std::unique_ptr<Worker> Every(std::string name, std::chrono::milliseconds every,
                              std::function<void()> run, std::function<void()> at_stop = nullptr);

// A command-line verb: `baladiya NAME ARGS...`, run after every module is open. Returns the
// process's exit status; writes its own messages (errors to stderr as "baladiya: ...").
struct Command {
  std::string name;   // "open311-key"
  std::string usage;  // lines for `baladiya help`, each starting with two spaces
  std::function<int(Context&, const std::vector<std::string>& args)> run;
};

struct Module {
  std::string name;  // the folder: "cases"
  // Numbered SQL files (db::MigrationsFrom); numbers are unique across the program.
  std::function<std::vector<db::Migration>()> migrations;
  // The message catalogue fragment: files "ar.json" and "en.json" (the same keys in both; no
  // key in two modules' fragments).
  std::span<const EmbeddedFile> (*messages)() = nullptr;
  // Page templates (*.tpl, named "<module>-*.tpl" so that names never collide).
  std::span<const EmbeddedFile> (*templates)() = nullptr;
  // The module's part of the OpenAPI document: the file "openapi.json", a JSON object with
  // "paths" and optionally "components" and "tags"; merged into /api/v1/openapi.json. Every
  // /api/ route of the module must be described there.
  std::span<const EmbeddedFile> (*openapi)() = nullptr;
  std::function<Status(Context&)> open;
  std::function<Status(Context&)> routes;
  std::function<Result<std::vector<std::unique_ptr<Worker>>>(Context&)> workers;
  // `baladiya seed --demo`: the module's demo data (idempotent), after every module is open.
  std::function<Status(Context&)> seed_demo;
  std::vector<Command> commands;
};

// Prints "baladiya: what" to stderr and returns 1: the ending of a failed command.
int Fail(const std::string& what);
int Fail(const Error& e);

}  // namespace baladiya::module
