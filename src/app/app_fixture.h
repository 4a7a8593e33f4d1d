// Test-only: the whole platform served by the real server on port 0, on a fresh SQLite database
// and key file, built from the same module list as `baladiya serve` (app/modules.h) with a clock
// the test may fix and SMS through a real gateway on loopback; and a browser in miniature.
// Shared by the app's HTTP tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "app/config.h"
#include "app/modules.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/web.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/test_support.h"
#include "open311/open311.h"
#include "platform/http/server.h"
#include "platform/http/test_client.h"
#include "platform/http/url.h"
#include "platform/module/host.h"
#include "workflow/workflow.h"

namespace baladiya::app::testing {

using http::testing::RawClient;

// A browser in miniature: keeps cookies, reads the form token from pages.
class Browser {
 public:
  explicit Browser(uint16_t port) : port_(port) {}

  std::string Get(const std::string& target) { return Send("GET", target, ""); }
  // Posts the fields plus the csrf token of the last page seen.
  std::string Post(const std::string& target, std::vector<std::pair<std::string, std::string>> f,
                   bool with_token = true) {
    std::string body;
    if (with_token) f.emplace_back("csrf", token_);
    for (const auto& [k, v] : f) {
      if (!body.empty()) body += '&';
      body += http::PercentEncode(k) + "=" + http::PercentEncode(v);
    }
    return Send("POST", target, body);
  }
  const std::string& token() const { return token_; }
  void SetCookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  // Sends head (request line and headers, each ending in CRLF) with the cookies, then body.
  std::string Raw(const std::string& head, const std::string& body) {
    std::string cookies;
    for (const auto& [k, v] : jar_) cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
    RawClient c(port_);
    c.Send(head + (cookies.empty() ? "" : "Cookie: " + cookies + "\r\n") + "\r\n" + body);
    return c.ReadResponse();
  }
  bool HasCookie(const std::string& name) const { return jar_.count(name) > 0; }

 private:
  std::string Send(const std::string& method, const std::string& target, const std::string& body) {
    std::string cookies;
    for (const auto& [k, v] : jar_) cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!cookies.empty()) req += "Cookie: " + cookies + "\r\n";
    if (method == "POST") {
      req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n";
    }
    RawClient c(port_);
    c.Send(req + "\r\n" + body);
    std::string res = c.ReadResponse();
    static const std::regex kSetCookie("set-cookie: ([^=]+)=([^;\r]*)([^\r]*)\r\n",
                                       std::regex::icase);
    for (auto it = std::sregex_iterator(res.begin(), res.end(), kSetCookie);
         it != std::sregex_iterator(); ++it) {
      if ((*it)[3].str().find("Max-Age=0") != std::string::npos) {
        jar_.erase((*it)[1].str());
      } else {
        jar_[(*it)[1].str()] = (*it)[2].str();
      }
    }
    static const std::regex kToken("name=\"csrf\" value=\"([^\"]+)\"");
    std::smatch m;
    if (std::regex_search(res, m, kToken)) token_ = m[1].str();
    return res;
  }

  uint16_t port_;
  std::map<std::string, std::string> jar_;
  std::string token_;
};

// A part of the running platform, as the tests reach it (services_->cases->Get(...)).
template <class T>
struct Ref {
  T* p = nullptr;
  T* get() const { return p; }
  T* operator->() const { return p; }
  T& operator*() const { return *p; }
};

class AppTest : public ::testing::Test {
 protected:
  // The parts tests use, taken from the host's registry.
  struct Parts {
    Ref<db::Database> db;
    crypto::KeyFile keys;
    Ref<audit::AuditLog> audit;
    Ref<identity::PasswordHasher> hasher;
    Ref<identity::AccountStore> accounts;
    Ref<identity::SessionStore> sessions;
    Ref<identity::ApiTokenStore> api_tokens;
    Ref<notify::Outbox> outbox;
    Ref<catalog::ServiceStore> catalog;
    Ref<catalog::BoundaryStore> boundaries;
    Ref<cases::CaseStore> cases;
    Ref<open311::Store> open311;
    Ref<open311::KeyStore> open311_keys;
  };
  // The site's resources as pages see them.
  struct Resources {
    const i18n::Catalog* catalog = nullptr;
    const render::Site* site = nullptr;
    const render::Assets& assets;
  };
  // The web side as tests reach it.
  struct Web {
    module::Host& host;
    catalog::TenancyStore& tenancy() { return host.parts().Get<catalog::TenancyStore>(); }
    identity::GuardedRoutes& routes() { return host.parts().Get<identity::GuardedRoutes>(); }
    const http::Handler& Handler() { return host.Handler(); }
    void Attach(http::Server* server) { host.Attach(*server); }
    http::Response ErrorPage(int status, const http::Request* r) {
      return host.ErrorPage(status, r);
    }
  };

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("baladiya-idweb-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    gateway_ = std::make_unique<notify::testing::SmsGateway>();
    Config c;
    c.database = (dir_ / "t.db").string();
    c.key_file = (dir_ / "keys").string();
    c.hash_threads = 2;
    c.sms_url = gateway_->url();
    c.sms_token = kSmsToken;
    c.public_url = "https://baladiya.example.ps";
    module::HostOptions o = HostOptionsFor(c);
    o.now_ms = [this] { return Now(); };
    auto host = module::Host::Open(Modules(), std::move(o));
    ASSERT_TRUE(host.ok()) << host.error().detail;
    host_ = std::move(*host);
    ASSERT_TRUE(catalog::SeedDemo(host_->db(), NowMs()).ok());
    module::WebOptions w;
    w.map = map_;
    ASSERT_TRUE(host_->BuildWeb(w).ok());
    module::Registry& r = host_->parts();
    services_ = std::make_unique<Parts>(Parts{
        {&host_->db()},
        host_->context().keys,
        {&r.Get<audit::AuditLog>()},
        {&r.Get<identity::PasswordHasher>()},
        {&r.Get<identity::AccountStore>()},
        {&r.Get<identity::SessionStore>()},
        {&r.Get<identity::ApiTokenStore>()},
        {&r.Get<notify::Outbox>()},
        {&r.Get<catalog::ServiceStore>()},
        {&r.Get<catalog::BoundaryStore>()},
        {&r.Get<cases::CaseStore>()},
        {&r.Get<open311::Store>()},
        {&r.Get<open311::KeyStore>()},
    });
    resources_ = std::make_unique<Resources>(
        Resources{host_->site().catalog, &host_->site(), *host_->site().assets});
    web_ = std::make_unique<Web>(Web{*host_});
    dispatcher_ = &r.Get<notify::Dispatcher>();
    http::ServerOptions so;
    so.port = 0;
    server_ = std::make_unique<http::Server>(so, host_->Handler());
    host_->Attach(*server_);
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
    server_.reset();
    host_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The clock every module reads: the real one, unless a test set it (for golden files).
  int64_t Now() const { return clock_ms_ ? clock_ms_.load() : NowMs(); }
  void SetClock(int64_t ms) { clock_ms_ = ms; }
  static int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  identity::WebServices& ids() { return host_->parts().Get<identity::WebServices>(); }

  int64_t Count(const std::string& table) {
    auto rows = services_->db->Query("SELECT count(*) FROM " + table);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  // Registers a resident through the form; returns the final response.
  std::string Register(Browser& b, const std::string& national_id, const std::string& phone) {
    b.Get("/register");
    return b.Post("/register", {{"national_id", national_id},
                                {"full_name_ar", "سلمى خليل"},
                                {"phone", phone},
                                {"password", "olive-harvest-season"}});
  }

  static constexpr char kSmsToken[] = "gateway-token-for-tests";
  std::filesystem::path dir_;
  render::MapConfig map_;  // no map; a test's constructor may name a tile server
  std::unique_ptr<notify::testing::SmsGateway> gateway_;
  std::unique_ptr<module::Host> host_;
  std::unique_ptr<Parts> services_;
  std::unique_ptr<Resources> resources_;
  std::unique_ptr<Web> web_;
  notify::Dispatcher* dispatcher_ = nullptr;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::atomic<int64_t> clock_ms_{0};
};

}  // namespace baladiya::app::testing
