// Test-only: the whole platform served by the real server on port 0, on a fresh SQLite database
// and key file, every module wired as `baladiya serve` wires them; and a browser in miniature.
// Shared by the app's HTTP tests.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "app/admin_pages.h"
#include "app/resources.h"
#include "app/services.h"
#include "app/web.h"
#include "cases/web.h"
#include "catalog/catalog.h"
#include "notify/test_support.h"
#include "notify/web.h"
#include "open311/pages.h"
#include "open311/web.h"
#include "platform/http/test_client.h"
#include "platform/http/url.h"
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

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("baladiya-idweb-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Config c;
    c.database = (dir_ / "t.db").string();
    c.key_file = (dir_ / "keys").string();
    c.hash_threads = 2;
    auto s = OpenServices(c, true);
    ASSERT_TRUE(s.ok()) << s.error().detail;
    services_ = std::move(*s);
    ASSERT_TRUE(catalog::SeedDemo(*services_->db, NowMs()).ok());
    auto resources = LoadSiteResources();
    ASSERT_TRUE(resources.ok()) << resources.error().detail;
    resources_ = std::move(*resources);
    ASSERT_TRUE(EnableMap(*resources_, map_).ok());
    ids_.accounts = services_->accounts.get();
    ids_.sessions = services_->sessions.get();
    ids_.hasher = services_->hasher.get();
    ids_.audit = services_->audit.get();
    ids_.login_limits = &login_limits_;
    ids_.register_limits = &register_limits_;
    ids_.code_limits = &code_limits_;
    ids_.api_tokens = services_->api_tokens.get();
    ids_.self_authenticating_paths = {std::string(open311::kBasePath) + "/"};
    ids_.site = &resources_->site;
    ids_.now_ms = NowMs;
    ids_.error_page = [this](int status, const http::Request& r) {
      return web_->ErrorPage(status, &r);
    };
    web_ = std::make_unique<WebApp>(services_->db.get(), &resources_->site, WebOptions{}, &ids_);
    AddAdminRoutes(web_->routes(), ids_, web_->tenancy());
    keyring_ = std::make_unique<audit::Keyring>(services_->keys.signing_seed);
    AddAuditApi(web_->routes(), *services_->audit, *keyring_, *resources_->catalog);
    // Notifications as `serve` wires them, with SMS through a real gateway on loopback; tests
    // run the dispatcher themselves (no worker thread), so delivery is deterministic.
    gateway_ = std::make_unique<notify::testing::SmsGateway>();
    sms_ = std::make_unique<notify::SmsGatewaySender>(
        notify::SmsGatewayOptions{gateway_->url(), kSmsToken, "Baladiya", 5000});
    dispatcher_ = std::make_unique<notify::Dispatcher>(
        *services_->outbox, AccountAddresses(*services_->accounts), nullptr, sms_.get());
    services_->deliverable = {notify::Channel::kInApp, notify::Channel::kSms};
    WireNotifications(ids_, *services_->outbox, [] {});
    notify::WebOptions nw;
    nw.outbox = services_->outbox.get();
    nw.site = &resources_->site;
    nw.sms_token = kSmsToken;
    nw.now_ms = NowMs;
    nw.error_page = ids_.error_page;
    nw.api_error = [this](int status, std::string_view code, std::string_view key,
                          const http::Request& r) {
      return ApiError(status, code, key, *resources_->catalog, r);
    };
    notify::AddRoutes(web_->routes(), std::move(nw));
    cases::WebOptions cw;
    cw.cases = services_->cases.get();
    cw.services = services_->catalog.get();
    cw.tenancy = &web_->tenancy();
    cw.boundaries = services_->boundaries.get();
    cw.accounts = services_->accounts.get();
    cw.db = services_->db.get();
    cw.track_limits = &track_limits_;
    cw.audit = services_->audit.get();
    cw.site = &resources_->site;
    cw.now_ms = NowMs;
    cw.error_page = ids_.error_page;
    cw.nearby = open311::DuplicateCheck(*services_->open311);
    cases::AddApiRoutes(web_->routes(), cw);
    cases::AddRoutes(web_->routes(), std::move(cw));
    open311::WebOptions ow;
    ow.store = services_->open311.get();
    ow.keys = services_->open311_keys.get();
    ow.cases = services_->cases.get();
    ow.services = services_->catalog.get();
    ow.tenancy = &web_->tenancy();
    ow.boundaries = services_->boundaries.get();
    ow.db = services_->db.get();
    ow.messages = resources_->catalog.get();
    ow.public_url = "https://baladiya.example.ps";
    ow.now_ms = [this] { return Now(); };
    open311::AddRoutes(web_->routes(), std::move(ow));
    open311::PageOptions op;
    op.store = services_->open311.get();
    op.keys = services_->open311_keys.get();
    op.services = services_->catalog.get();
    op.tenancy = &web_->tenancy();
    op.hasher = services_->hasher.get();
    op.site = &resources_->site;
    op.now_ms = [this] { return Now(); };
    op.error_page = ids_.error_page;
    open311::AddPageRoutes(web_->routes(), std::move(op));
    http::ServerOptions o;
    o.port = 0;
    server_ = std::make_unique<http::Server>(o, web_->Handler());
    web_->Attach(server_.get());
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
      thread_.join();
    }
    if (services_) services_->db->Close();
    std::filesystem::remove_all(dir_);
  }

  // The clock Open311 reads: the real one, unless a test set it (for golden files).
  int64_t Now() const { return clock_ms_ ? clock_ms_.load() : NowMs(); }
  void SetClock(int64_t ms) { clock_ms_ = ms; }

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

  std::filesystem::path dir_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<SiteResources> resources_;
  render::MapConfig map_;  // no map; a test's constructor may name a tile server
  identity::RateLimiter login_limits_{{}};
  identity::RateLimiter register_limits_{{}};
  identity::RateLimiter code_limits_{
      {3, std::chrono::seconds(900), std::chrono::seconds(60), std::chrono::seconds(3600)}};
  identity::RateLimiter track_limits_{
      {5, std::chrono::seconds(600), std::chrono::seconds(60), std::chrono::seconds(3600)}};
  static constexpr char kSmsToken[] = "gateway-token-for-tests";
  std::unique_ptr<notify::testing::SmsGateway> gateway_;
  std::unique_ptr<notify::SmsGatewaySender> sms_;
  std::unique_ptr<notify::Dispatcher> dispatcher_;
  identity::WebServices ids_;
  std::unique_ptr<audit::Keyring> keyring_;
  std::unique_ptr<WebApp> web_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::atomic<int64_t> clock_ms_{0};
};

}  // namespace baladiya::app::testing
