// Test-only: a web harness built on module::Host. Given the modules under test and those they use
// (in dependency order), it makes a temporary folder, opens the host there (a SQLite file and a
// key file), applies the test's seed, builds the web with the test's web options (its extra
// middleware runs after the modules' own: identity/testing.h acts as a chosen principal there),
// and serves it with the real HTTP server on 127.0.0.1, port 0, in a thread. The clock every
// module reads is the test's (Clock), and settings are given by name. Everything is undone when
// the harness is destroyed.
//
//   class NotesWebTest : public baladiya::testing::WebTest {
//    protected:
//     baladiya::testing::HarnessOptions Options() override {
//       baladiya::testing::HarnessOptions o;
//       o.modules = {audit::Module(), identity::Module(), notes::Module()};
//       o.settings = identity::testing::Settings();
//       o.clock_ms = 1'773'565'200'000;  // fixed: 2026-03-15T09:00:00Z
//       return o;
//     }
//   };
//   TEST_F(NotesWebTest, ListsNotes) { EXPECT_EQ(web().Get("/notes").status, 200); }
//
// docs/DEVELOPING.md ("Testing a module") tells the whole story.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/http/server.h"
#include "platform/module/host.h"
#include "platform/module/module.h"
#include "platform/result.h"

namespace baladiya::testing {

// The project's source folder (BALADIYA_SOURCE_DIR, which CTest sets; "." without it): where tests
// find their golden files.
std::string SourceDir();

// Milliseconds since the epoch, UTC, as the test decides: it follows the system clock until the
// test sets it, then stands still unless the test advances it. Thread-safe.
class Clock {
 public:
  int64_t Now() const;
  void Set(int64_t ms) { fixed_ms_ = ms; }
  // Moves the clock on by ms (fixing it first at the current time when it was following the
  // system clock).
  void Advance(int64_t ms);
  bool fixed() const { return fixed_ms_ != 0; }
  static int64_t SystemNow();

 private:
  std::atomic<int64_t> fixed_ms_{0};
};

struct HarnessOptions {
  // The modules under test and every module they use, in dependency order (a module after each
  // module it uses), as in src/app/modules.cpp but only as many as the test needs.
  std::vector<module::Module> modules;
  // Every setting the modules read, by name (module::Settings aborts on one it lacks); modules
  // offer theirs at the program's defaults in their test support headers
  // (identity::testing::Settings() and so on), and a test overrides some by name.
  std::map<std::string, std::string> settings;
  // The clock's start: 0 follows the system clock until the test sets it.
  int64_t clock_ms = 0;
  // The test's data, once the host is open and before the web is built (e.g. catalog::SeedDemo).
  std::function<Status(module::Host&)> seed;
  // The web side's options; extra_middleware runs after the modules' own.
  module::WebOptions web;
  // The server's options; the address is 127.0.0.1 and the port 0, whatever is set here.
  http::ServerOptions server;
  // Names the temporary folder (default: the running test's name).
  std::string name;
};

// One HTTP answer as a test reads it.
struct Reply {
  int status = 0;
  std::string raw;  // the whole response: status line, headers, body
  std::string body;
  // The first value of the named header (lower-case name), or empty.
  std::string Header(const std::string& lower_name) const;
  // The media type without its parameters, lower-case ("application/json").
  std::string MediaType() const;
};

// Sends one request on a fresh connection and reads the answer. headers: extra header lines,
// each ending in CRLF; a body gets its Content-Length (and Content-Type when content_type is
// given).
Reply Send(uint16_t port, const std::string& method, const std::string& target,
           const std::string& headers = "", const std::string& body = "",
           const std::string& content_type = "");

// An error page a target must answer with: its status and a text the page shows. headers: extra
// header lines, each ending in CRLF (e.g. "Cookie: lang=en\r\n").
struct ErrorPageCase {
  std::string target;
  std::string headers;
  int status = 0;
  std::string text;
};
// Expects each case's status and text (a GoogleTest failure per case that differs).
void ExpectErrorPages(uint16_t port, const std::vector<ErrorPageCase>& cases);
// Expects a POST to a page that is only read (with the anonymous anti-forgery pair, so that the
// request reaches the router) to be answered 405, with the methods allowed and the Arabic error
// page.
void ExpectReadOnly(uint16_t port, const std::string& target);

class WebHarness {
 public:
  // Starts everything (see the top of this file). The error names the step that failed.
  static Result<std::unique_ptr<WebHarness>> Start(HarnessOptions options);
  // Stops the server, closes the host and removes the temporary folder.
  ~WebHarness();
  WebHarness(const WebHarness&) = delete;
  WebHarness& operator=(const WebHarness&) = delete;

  module::Host& host() { return *host_; }
  module::Registry& parts() { return host_->parts(); }
  // A part the modules provide (a store, the audit log, ...): the test reaches them through their
  // public headers as later modules do.
  template <class T>
  T& Part() {
    return host_->parts().Get<T>();
  }
  db::Database& db() { return host_->db(); }
  const render::Site& site() const { return host_->site(); }
  Clock& clock() { return *clock_; }
  uint16_t port() const { return server_->port(); }
  http::Server& server() { return *server_; }
  const std::filesystem::path& dir() const { return dir_; }
  const HarnessOptions& options() const { return options_; }

  // Serves the same host again with other server options (e.g. a larger body limit); the port
  // changes.
  Status Restart(const http::ServerOptions& server);

  // A second program on the same database file and key file, with web options of its own and its
  // own server on port 0 (another node, or the same program behind a trusted proxy). It must be
  // destroyed before the harness.
  class Node {
   public:
    ~Node();
    module::Host& host() { return *host_; }
    uint16_t port() const { return server_->port(); }

   private:
    friend class WebHarness;
    Node() = default;
    std::unique_ptr<module::Host> host_;
    std::unique_ptr<http::Server> server_;
    std::thread thread_;
  };
  Result<std::unique_ptr<Node>> AnotherNode(const module::WebOptions& web) const;

  // One request to the harness's server (see testing::Send).
  Reply Send(const std::string& method, const std::string& target, const std::string& headers = "",
             const std::string& body = "", const std::string& content_type = "") const {
    return testing::Send(port(), method, target, headers, body, content_type);
  }
  Reply Get(const std::string& target, const std::string& headers = "") const {
    return Send("GET", target, headers);
  }

  // SELECT count(*) FROM <from>, e.g. Count("accounts WHERE status = 'closed'"); -1 when the
  // query fails. Only for a module's own tables in its own tests: other modules are read through
  // their public headers.
  int64_t Count(const std::string& from);

 private:
  WebHarness() = default;
  module::HostOptions HostOptions() const;
  Status Serve(const http::ServerOptions& server);
  void StopServer();

  HarnessOptions options_;
  std::filesystem::path dir_;
  std::shared_ptr<Clock> clock_ = std::make_shared<Clock>();
  std::unique_ptr<module::Host> host_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

// A GoogleTest fixture around one harness per test: SetUp starts it from Options(), TearDown
// removes it.
class WebTest : public ::testing::Test {
 protected:
  virtual HarnessOptions Options() = 0;
  void SetUp() override;
  void TearDown() override { web_.reset(); }

  WebHarness& web() { return *web_; }
  uint16_t port() const { return web_->port(); }
  int64_t Now() const { return web_->clock().Now(); }

  std::unique_ptr<WebHarness> web_;
};

}  // namespace baladiya::testing
