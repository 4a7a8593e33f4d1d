// The host's own web side, served by the web harness (platform/testing) with a small module of the
// test's own: error pages in the user's language (the router's 404 and 405, the server's 400),
// security headers and request ids, hashed assets, /healthz, /readyz and /metrics (behind its
// token, also behind a trusted proxy), the map settings checked when the web is built, OPTIONS.
#include <gtest/gtest.h>

#include <filesystem>

#include "platform/http/test_client.h"
#include "platform/module/host.h"
#include "platform/render/page.h"
#include "platform/testing/web_harness.h"

namespace baladiya::module {
namespace {

using baladiya::testing::HarnessOptions;
using baladiya::testing::Reply;
using http::testing::RawClient;

constexpr char kMetricsToken[] = "metrics-token-for-tests";

constexpr EmbeddedFile kPlacesMessages[] = {
    {"ar.json", R"({"places": {"title": "الأماكن"}})"},
    {"en.json", R"({"places": {"title": "Places"}})"},
};
constexpr EmbeddedFile kPlacesTemplates[] = {
    {"places-home.tpl",
     "{{%AUTOESCAPE context=\"HTML\"}}<h1>{{t_places__title}}</h1><ul>{{#PLACE}}<li><a "
     "href=\"/m/{{SLUG}}\">{{NAME}}</a></li>{{/PLACE}}</ul>"},
    {"places-place.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<h1>{{NAME}}</h1>"},
};

// A module of the test's own: a table of places, a page listing them ("/") and one per place
// ("/m/{slug}": 404 for an unknown one, 503 when the database cannot be read), in the layout.
Module Places() {
  Module m;
  m.name = "places";
  m.migrations = [] {
    return std::vector<db::Migration>{
        {9101, "9101_places",
         "CREATE TABLE places (id ${ID}, slug TEXT NOT NULL, name_ar TEXT NOT NULL, name_en TEXT "
         "NOT NULL);"}};
  };
  m.messages = [] { return std::span<const EmbeddedFile>(kPlacesMessages); };
  m.templates = [] { return std::span<const EmbeddedFile>(kPlacesTemplates); };
  m.routes = [](Context& ctx) {
    const render::Site& site = ctx.site;
    db::Database& db = ctx.db;
    auto error_page = ctx.web->error_page;
    ctx.web->router.Get("/", [&site, &db, error_page](http::Request& req) {
      auto rows = db.Query("SELECT slug, name_ar, name_en FROM places ORDER BY id");
      if (!rows.ok()) return error_page(503, &req);
      render::Page page(site, req, "places-home.tpl");
      const bool ar = render::RequestLang(req) == i18n::Lang::kAr;
      for (const auto& row : *rows) {
        render::Dict* d = page.body().AddSectionDictionary("PLACE");
        d->SetValue("SLUG", row.Text(0));
        d->SetValue("NAME", ar ? row.Text(1) : row.Text(2));
      }
      return page.Finish(200);
    });
    ctx.web->router.Get("/m/{slug}", [&site, &db, error_page](http::Request& req) {
      auto rows = db.Query("SELECT name_ar, name_en FROM places WHERE slug = ?",
                           {std::string(req.PathParam("slug"))});
      if (!rows.ok()) return error_page(503, &req);
      if (rows->empty()) return error_page(404, &req);
      render::Page page(site, req, "places-place.tpl");
      page.SetPath(req.path);
      const bool ar = render::RequestLang(req) == i18n::Lang::kAr;
      page.body().SetValue("NAME", ar ? (*rows)[0].Text(0) : (*rows)[0].Text(1));
      return page.Finish(200);
    });
    return Ok();
  };
  return m;
}

Status SeedPlaces(Host& host) {
  return host.db().Write([](db::Tx& tx) -> Status {
    for (auto [slug, ar, en] :
         {std::tuple{"hebron", "الخليل", "Hebron"}, std::tuple{"nablus", "نابلس", "Nablus"}}) {
      auto r = tx.Exec("INSERT INTO places (slug, name_ar, name_en) VALUES (?, ?, ?)",
                       {std::string(slug), std::string(ar), std::string(en)});
      if (!r.ok()) return std::move(r).error();
    }
    return Ok();
  });
}

class HostWebTest : public baladiya::testing::WebTest {
 protected:
  HarnessOptions Options() override {
    HarnessOptions o;
    o.modules = {Places()};
    o.seed = SeedPlaces;
    o.web.metrics_token = kMetricsToken;
    return o;
  }
  std::string Get(const std::string& target, const std::string& headers = "") {
    return RawClient::Get(port(), target, headers);
  }
};

TEST_F(HostWebTest, ErrorPagesSpeakTheUsersLanguage) {
  testing::ExpectErrorPages(port(),
                            {
                                {"/no-such-page", "", 404, "الصفحة غير موجودة"},
                                {"/no-such-page?lang=en", "", 404, "Page not found"},
                                {"/m/atlantis", "Cookie: lang=en\r\n", 404, "Page not found"},
                                {"/m/NOT_A_SLUG", "", 404, "الصفحة غير موجودة"},
                            });
  testing::ExpectReadOnly(port(), "/m/hebron");
}

TEST_F(HostWebTest, ServerDetectedErrorsGetAnErrorPage) {
  RawClient c(port());
  c.Send("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 400);
  EXPECT_NE(RawClient::Body(res).find("طلب غير صالح"), std::string::npos);
}

TEST_F(HostWebTest, SecurityHeadersAndRequestIdOnEveryResponse) {
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

TEST_F(HostWebTest, PagesHaveNoInlineScriptOrStyle) {
  for (const char* target : {"/", "/m/hebron", "/nope", "/?lang=en"}) {
    std::string body = RawClient::Body(Get(target));
    EXPECT_NE(body.find("<main"), std::string::npos) << target;  // a page in the layout
    EXPECT_EQ(body.find("<script"), std::string::npos) << target;
    EXPECT_EQ(body.find("<style"), std::string::npos) << target;
    EXPECT_EQ(body.find(" style="), std::string::npos) << target;
  }
}

TEST_F(HostWebTest, AssetsAreHashedImmutableAndGzipped) {
  std::string url = web().site().assets->Url("baladiya.css");
  ASSERT_NE(url, "/assets/baladiya.css") << "stylesheet missing from web/static";
  std::string res = Get(url, "Accept-Encoding: gzip\r\n");
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_EQ(RawClient::Header(res, "cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(RawClient::Header(res, "content-encoding"), "gzip");
  EXPECT_EQ(RawClient::Status(Get("/assets/baladiya.css")), 404);
  EXPECT_NE(RawClient::Body(Get("/")).find(url), std::string::npos);
}

TEST_F(HostWebTest, HealthReadinessAndMetrics) {
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

TEST_F(HostWebTest, MetricsNeedTheirTokenAndProxiedClientsGetTheirOwnAddress) {
  // Behind a trusted proxy, the client's address comes from X-Forwarded-For; /metrics answers
  // its bearer token only, whatever the address claims.
  WebOptions proxied;
  proxied.trust_proxy = true;
  proxied.metrics_token = kMetricsToken;
  auto node = web().AnotherNode(proxied);
  ASSERT_TRUE(node.ok()) << node.error().detail;
  const uint16_t p = (*node)->port();
  const std::string token = "Authorization: Bearer " + std::string(kMetricsToken) + "\r\n";
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(p, "/metrics", "X-Forwarded-For: 10.1.2.3, 203.0.113.5\r\n")),
            404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/metrics", "X-Forwarded-For: 127.0.0.1\r\n")),
            404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/metrics")), 404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/metrics", token)), 200);
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/healthz", "X-Forwarded-For: 203.0.113.5\r\n")),
            200);
}

// Finding (issue 12): /metrics was served to "X-Forwarded-For: 127.0.0.1". It now needs its
// bearer token, whatever the address; without a token configured it is not served at all.
TEST_F(HostWebTest, MetricsNeedTheirTokenWhateverTheAddress) {
  WebOptions proxied;
  proxied.trust_proxy = true;
  proxied.metrics_token = "metrics-secret-token";
  auto node = web().AnotherNode(proxied);
  ASSERT_TRUE(node.ok()) << node.error().detail;
  const uint16_t p = (*node)->port();
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/metrics", "X-Forwarded-For: 127.0.0.1\r\n")),
            404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(p, "/metrics")), 404);  // loopback, no token
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(p, "/metrics", "Authorization: Bearer metrics-secret-tokeX\r\n")),
            404);
  std::string ok = RawClient::Get(
      p, "/metrics",
      "X-Forwarded-For: 203.0.113.5\r\nAuthorization: Bearer metrics-secret-token\r\n");
  EXPECT_EQ(RawClient::Status(ok), 200);
  EXPECT_NE(RawClient::Body(ok).find("baladiya_open_connections"), std::string::npos);
  auto plain = web().AnotherNode({});
  ASSERT_TRUE(plain.ok()) << plain.error().detail;
  EXPECT_EQ(
      RawClient::Status(RawClient::Get((*plain)->port(), "/metrics", "Authorization: Bearer \r\n")),
      404);
}

// Finding (issue 12): "//evil.example/" gave an off-site language link.
TEST_F(HostWebTest, TheLanguageLinkStaysOnTheSite) {
  std::string res = Get("//evil.example/");
  EXPECT_EQ(RawClient::Status(res), 404);
  EXPECT_NE(res.find("href=\"/evil.example/?lang=en\""), std::string::npos);
  EXPECT_EQ(res.find("href=\"//"), std::string::npos);
}

TEST_F(HostWebTest, TheMapSettingsAreCheckedWhenTheWebIsBuilt) {
  HostOptions o;
  o.database.url = (web().dir() / "map.db").string();
  o.key_file = (web().dir() / "map-keys").string();
  auto host = Host::Open({Places()}, o);
  ASSERT_TRUE(host.ok()) << host.error().detail;
  WebOptions w;
  w.map.tiles_url = "https://{s}.tiles.example.ps/{z}/{x}/{y}.png";
  Status st = (*host)->BuildWeb(w);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().detail.find("map-tiles-url"), std::string::npos) << st.error().detail;
  EXPECT_EQ((*host)->site().map, nullptr);
  w.map.tiles_url = "https://tiles.example.ps/{z}/{x}/{y}.png";
  auto again = Host::Open({Places()}, o);
  ASSERT_TRUE(again.ok());
  host->reset();
  ASSERT_TRUE((*again)->BuildWeb(w).ok());
  ASSERT_NE((*again)->site().map, nullptr);
  EXPECT_EQ((*again)->site().map->tiles_url, w.map.tiles_url);
}

TEST_F(HostWebTest, ReadyzAnswers503WhenTheDatabaseGoesAway) {
  web().db().Close();
  std::string res = Get("/readyz");
  EXPECT_EQ(RawClient::Status(res), 503);
  EXPECT_EQ(RawClient::Header(res, "retry-after"), "1");
  EXPECT_EQ(RawClient::Status(Get("/healthz")), 200);  // the process itself is alive
  // Pages keep answering (a 503 page here), never hang or crash.
  int page = RawClient::Status(Get("/m/hebron"));
  EXPECT_TRUE(page == 200 || page == 503) << page;
}

TEST_F(HostWebTest, OptionsListsAllowedMethods) {
  RawClient c(port());
  c.Send("OPTIONS /m/hebron HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 204);
  EXPECT_EQ(RawClient::Header(res, "allow"), "GET, HEAD");
}

}  // namespace
}  // namespace baladiya::module
