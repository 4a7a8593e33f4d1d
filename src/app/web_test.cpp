// The web shell (the host's own routes, error pages, the home and municipality pages) served by
// the real server on port 0, built from the program's module list on a fresh SQLite database with
// demo data.
#include <gtest/gtest.h>
#include <sodium.h>

#include <filesystem>
#include <thread>

#include "app/modules.h"
#include "catalog/catalog.h"
#include "platform/http/server.h"
#include "platform/http/test_client.h"
#include "platform/module/host.h"

namespace baladiya::app {
namespace {

using http::testing::RawClient;

constexpr char kMetricsToken[] = "metrics-token-for-tests";

class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    dir_ = std::filesystem::temp_directory_path() /
           ("baladiya-web-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    module::WebOptions web;
    web.metrics_token = kMetricsToken;
    Serve(web);
  }

  // (Re)starts the program with these web settings on the same database.
  void Serve(const module::WebOptions& web) {
    Stop();
    Config c;
    c.database = (dir_ / "t.db").string();
    c.key_file = (dir_ / "keys").string();
    c.hash_threads = 1;
    auto host = module::Host::Open(Modules(), HostOptionsFor(c));
    ASSERT_TRUE(host.ok()) << host.error().detail;
    host_ = std::move(*host);
    db_ = &host_->db();
    ASSERT_TRUE(catalog::SeedDemo(*db_, 1).ok());
    ASSERT_TRUE(host_->BuildWeb(web).ok());
    http::ServerOptions o;
    o.port = 0;
    server_ = std::make_unique<http::Server>(o, host_->Handler());
    host_->Attach(*server_);
    ASSERT_TRUE(server_->Listen().ok());
    thread_ = std::thread([this] { server_->Run(false); });
  }

  void Stop() {
    if (server_) {
      server_->Stop();
      thread_.join();
      server_.reset();
    }
    host_.reset();
  }

  void TearDown() override {
    Stop();
    std::filesystem::remove_all(dir_);
  }

  std::string Get(const std::string& target, const std::string& headers = "") {
    return RawClient::Get(server_->port(), target, headers);
  }

  std::filesystem::path dir_;
  std::unique_ptr<module::Host> host_;
  db::Database* db_ = nullptr;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

TEST_F(WebTest, HomeListsTheMunicipalitiesInArabicByDefault) {
  std::string res = Get("/", "Accept-Language: en-US,en;q=0.9\r\n");
  EXPECT_EQ(RawClient::Status(res), 200);
  std::string body = RawClient::Body(res);
  EXPECT_NE(body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  for (const char* name : {"بلدية الخليل", "بلدية نابلس", "بلدية رام الله"}) {
    EXPECT_NE(body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(body.find("href=\"/m/hebron\""), std::string::npos);
  EXPECT_NE(body.find("class=\"skip-link\" href=\"#main\""), std::string::npos);
  EXPECT_NE(body.find("href=\"/?lang=en\""), std::string::npos);
  // One <main>.
  EXPECT_EQ(body.find("<main"), body.rfind("<main"));
}

TEST_F(WebTest, EnglishByQueryIsRememberedInACookie) {
  std::string res = Get("/?lang=en");
  EXPECT_NE(RawClient::Body(res).find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos);
  EXPECT_NE(RawClient::Body(res).find("Hebron Municipality"), std::string::npos);
  std::string cookie = RawClient::Header(res, "set-cookie");
  EXPECT_EQ(cookie.rfind("lang=en;", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  std::string again = Get("/m/nablus", "Cookie: lang=en\r\n");
  EXPECT_NE(RawClient::Body(again).find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(RawClient::Body(again).find("Nablus Municipality"), std::string::npos);
  // An unknown ?lang= changes nothing and sets no cookie.
  std::string fr = Get("/?lang=fr");
  EXPECT_NE(RawClient::Body(fr).find("<html lang=\"ar\""), std::string::npos);
  EXPECT_EQ(RawClient::Header(fr, "set-cookie"), "");
}

TEST_F(WebTest, MunicipalityHomeShowsDepartmentsAndContact) {
  std::string body = RawClient::Body(Get("/m/ramallah"));
  EXPECT_NE(body.find("<h1>بلدية رام الله</h1>"), std::string::npos) << body;
  EXPECT_NE(body.find("دائرة المياه والصرف الصحي"), std::string::npos);
  EXPECT_NE(body.find("class=\"site-name\" href=\"/m/ramallah\""), std::string::npos);
  EXPECT_NE(body.find("mailto:info@ramallah.example"), std::string::npos);
}

TEST_F(WebTest, RenderedPagesFollowDataChanges) {
  EXPECT_NE(RawClient::Body(Get("/m/nablus")).find("+970 9 000 0002"), std::string::npos);
  catalog::TenancyStore store(*db_, std::chrono::milliseconds(0));
  auto nablus = store.FindMunicipality("nablus");
  ASSERT_TRUE(nablus.ok());
  nablus->phone = "+970 9 123 4567";
  nablus->name.ar = "بلدية نابلس الكبرى";
  ASSERT_TRUE(store.UpsertMunicipality(*nablus, 2).ok());
  std::string body = RawClient::Body(Get("/m/nablus"));
  EXPECT_NE(body.find("+970 9 123 4567"), std::string::npos) << body;
  EXPECT_NE(RawClient::Body(Get("/")).find("بلدية نابلس الكبرى"), std::string::npos);
}

TEST_F(WebTest, ErrorPagesSpeakTheUsersLanguage) {
  struct Case {
    std::string target;
    std::string headers;
    int status;
    const char* text;
  } cases[] = {
      {"/no-such-page", "", 404, "الصفحة غير موجودة"},
      {"/no-such-page?lang=en", "", 404, "Page not found"},
      {"/m/atlantis", "Cookie: lang=en\r\n", 404, "Page not found"},
      {"/m/NOT_A_SLUG", "", 404, "الصفحة غير موجودة"},
  };
  for (const auto& c : cases) {
    std::string res = Get(c.target, c.headers);
    EXPECT_EQ(RawClient::Status(res), c.status) << c.target;
    EXPECT_NE(RawClient::Body(res).find(c.text), std::string::npos) << c.target;
  }
  RawClient post(server_->port());
  // With the anonymous anti-forgery pair, so that the request reaches the router.
  post.Send(
      "POST /m/hebron HTTP/1.1\r\nHost: x\r\nCookie: csrf=abcdefghijklmnopqrstuv\r\n"
      "X-CSRF-Token: abcdefghijklmnopqrstuv\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  std::string res = post.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 405);
  EXPECT_EQ(RawClient::Header(res, "allow"), "GET, HEAD");
  EXPECT_NE(RawClient::Body(res).find("إجراء غير مسموح"), std::string::npos);
}

TEST_F(WebTest, ServerDetectedErrorsGetAnErrorPage) {
  RawClient c(server_->port());
  c.Send("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 400);
  EXPECT_NE(RawClient::Body(res).find("طلب غير صالح"), std::string::npos);
}

TEST_F(WebTest, SecurityHeadersAndRequestIdOnEveryResponse) {
  for (const char* target : {"/", "/m/hebron", "/nope", "/healthz"}) {
    std::string res = Get(target);
    EXPECT_NE(RawClient::Header(res, "content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << target;
    EXPECT_EQ(RawClient::Header(res, "x-content-type-options"), "nosniff");
    EXPECT_EQ(RawClient::Header(res, "referrer-policy"), "no-referrer");
    EXPECT_FALSE(RawClient::Header(res, "x-request-id").empty());
  }
}

TEST_F(WebTest, PagesHaveNoInlineScriptOrStyle) {
  for (const char* target : {"/", "/m/hebron", "/nope", "/?lang=en"}) {
    std::string body = RawClient::Body(Get(target));
    EXPECT_EQ(body.find("<script"), std::string::npos) << target;
    EXPECT_EQ(body.find("<style"), std::string::npos) << target;
    EXPECT_EQ(body.find(" style="), std::string::npos) << target;
  }
}

TEST_F(WebTest, AssetsAreHashedImmutableAndGzipped) {
  std::string url = host_->site().assets->Url("baladiya.css");
  ASSERT_NE(url, "/assets/baladiya.css") << "stylesheet missing from web/static";
  std::string res = Get(url, "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_EQ(RawClient::Header(res, "cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(RawClient::Header(res, "content-encoding"), "gzip");
  EXPECT_EQ(RawClient::Status(Get("/assets/baladiya.css")), 404);
  EXPECT_NE(RawClient::Body(Get("/")).find(url), std::string::npos);
}

TEST_F(WebTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(RawClient::Body(Get("/healthz")), "ok\n");
  EXPECT_EQ(RawClient::Status(Get("/readyz")), 200);
  Get("/m/hebron");
  Get("/nope");
  std::string metrics = RawClient::Body(
      Get("/metrics", "Authorization: Bearer " + std::string(kMetricsToken) + "\r\n"));
  EXPECT_NE(
      metrics.find(
          "baladiya_http_requests_total{method=\"GET\",route=\"/m/{slug}\",status=\"200\"} 1"),
      std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(metrics.find("baladiya_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(metrics.find("baladiya_open_connections"), std::string::npos);
  EXPECT_NE(metrics.find("baladiya_db_queries_total"), std::string::npos);
}

TEST_F(WebTest, MetricsNeedTheirTokenAndProxiedClientsGetTheirOwnAddress) {
  // Behind a trusted proxy, the client's address comes from X-Forwarded-For; /metrics answers
  // its bearer token only, whatever the address claims.
  module::WebOptions proxied;
  proxied.trust_proxy = true;
  proxied.metrics_token = kMetricsToken;
  Serve(proxied);
  const std::string token = "Authorization: Bearer " + std::string(kMetricsToken) + "\r\n";
  EXPECT_EQ(RawClient::Status(Get("/metrics", "X-Forwarded-For: 10.1.2.3, 203.0.113.5\r\n")), 404);
  EXPECT_EQ(RawClient::Status(Get("/metrics", "X-Forwarded-For: 127.0.0.1\r\n")), 404);
  EXPECT_EQ(RawClient::Status(Get("/metrics")), 404);
  EXPECT_EQ(RawClient::Status(Get("/metrics", token)), 200);
  EXPECT_EQ(RawClient::Status(Get("/healthz", "X-Forwarded-For: 203.0.113.5\r\n")), 200);
}

TEST_F(WebTest, TheMapSettingsAreCheckedWhenTheWebIsBuilt) {
  Stop();
  Config c;
  c.database = (dir_ / "t.db").string();
  c.key_file = (dir_ / "keys").string();
  auto host = module::Host::Open(Modules(), HostOptionsFor(c));
  ASSERT_TRUE(host.ok());
  module::WebOptions web;
  web.map.tiles_url = "https://{s}.tiles.example.ps/{z}/{x}/{y}.png";
  Status st = (*host)->BuildWeb(web);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().detail.find("map-tiles-url"), std::string::npos) << st.error().detail;
  EXPECT_EQ((*host)->site().map, nullptr);
  web.map.tiles_url = "https://tiles.example.ps/{z}/{x}/{y}.png";
  auto again = module::Host::Open(Modules(), HostOptionsFor(c));
  ASSERT_TRUE(again.ok());
  host->reset();
  ASSERT_TRUE((*again)->BuildWeb(web).ok());
  ASSERT_NE((*again)->site().map, nullptr);
  EXPECT_EQ((*again)->site().map->tiles_url, web.map.tiles_url);
}

TEST_F(WebTest, ReadyzAnswers503WhenTheDatabaseGoesAway) {
  db_->Close();
  std::string res = Get("/readyz");
  EXPECT_EQ(RawClient::Status(res), 503);
  EXPECT_EQ(RawClient::Header(res, "retry-after"), "1");
  EXPECT_EQ(RawClient::Status(Get("/healthz")), 200);  // the process itself is alive
  // Pages keep answering (from the directory snapshot, or with a 503 page), never hang or crash.
  int page = RawClient::Status(Get("/m/hebron"));
  EXPECT_TRUE(page == 200 || page == 503) << page;
}

// Pages that look a municipality up by its slug answer 503 with Retry-After when the directory
// cannot be read, never 404 (which would tell a visitor the municipality does not exist).
TEST_F(WebTest, ADatabaseOutageIsA503NeverA404) {
  db_->Close();
  catalog::NoteCatalogChange();  // the directory snapshot must be read again
  for (const char* target :
       {"/", "/m/hebron", "/m/hebron/services", "/m/hebron/reports",
        "/m/hebron/services/building-permit", "/m/hebron/reports/HEB-26-000001-7",
        "/api/v1/municipalities/hebron/services"}) {
    std::string res = Get(target);
    EXPECT_EQ(RawClient::Status(res), 503) << target;
    EXPECT_EQ(RawClient::Header(res, "retry-after"), "1") << target;
  }
}

TEST_F(WebTest, OptionsListsAllowedMethods) {
  RawClient c(server_->port());
  c.Send("OPTIONS /m/hebron HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 204);
  EXPECT_EQ(RawClient::Header(res, "allow"), "GET, HEAD");
}

}  // namespace
}  // namespace baladiya::app
