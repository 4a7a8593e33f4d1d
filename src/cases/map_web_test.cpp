// The optional map on cases' pages over HTTP (web_test_fixture.h): without a tile server nothing
// of it reaches a page or the CSP; with one, the location question carries the map script and its
// data, and the CSP allows images from the tile server's origin and nothing more.
#include <gtest/gtest.h>

#include "cases/web_test_fixture.h"

namespace baladiya::cases {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;
using testing::CasesWebTest;

// The strict policy every response carries when no map is configured.
constexpr char kStrictCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";

class MapOffTest : public CasesWebTest {
 protected:
  std::string Get(const std::string& target) { return Browser(port()).Get(target); }
};

class MapOnTest : public MapOffTest {
 protected:
  MapOnTest() { UseTestMap(); }
};

TEST_F(MapOffTest, NoMapAssetsOrCspChangeWithoutATileServer) {
  Browser resident(port());
  std::string page = LocationQuestion(resident);
  ASSERT_EQ(RawClient::Status(page), 200);
  ASSERT_NE(page.find("id=\"location\""), std::string::npos);
  for (const char* absent : {"<script", "leaflet", "map.js", "map.css", "data-map"}) {
    EXPECT_EQ(page.find(absent), std::string::npos) << absent;
  }
  EXPECT_EQ(RawClient::Header(page, "content-security-policy"), kStrictCsp);
  EXPECT_EQ(RawClient::Header(Get("/"), "content-security-policy"), kStrictCsp);
}

TEST_F(MapOnTest, TheLocationQuestionGetsTheMapAndTheCspTheTileOrigin) {
  Browser resident(port());
  std::string href;
  std::string page = LocationQuestion(resident, &href);
  ASSERT_EQ(RawClient::Status(page), 200);
  const render::Assets& a = assets();
  for (const std::string& want : {
           "<link rel=\"stylesheet\" href=\"" + a.Url("leaflet/leaflet.css") + "\">",
           "<link rel=\"stylesheet\" href=\"" + a.Url("map.css") + "\">",
           "<script src=\"" + a.Url("leaflet/leaflet.js") + "\" defer></script>",
           "<script src=\"" + a.Url("map.js") + "\" defer id=\"map-script\"",
           std::string("data-tiles=\"") + kTestTiles + "\"",
           std::string("data-attribution=\"© Test tiles &lt;contributors&gt;\""),
           "data-icon=\"" + a.Url("leaflet/marker-icon.png") + "\"",
           "data-shadow=\"" + a.Url("leaflet/marker-shadow.png") + "\"",
           // The text field stays the input, labelled as before; the map opens on Hebron.
           std::string("<label for=\"location\">"),
           std::string("data-map-pick=\"31.532600,35.099800\">"),
       }) {
    EXPECT_NE(page.find(want), std::string::npos) << want;
  }
  // No inline script or style came with it.
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_EQ(page.find(" style="), std::string::npos);
  EXPECT_EQ(page.find("<style"), std::string::npos);

  // The CSP: the tile server's origin for images, nothing else loosened; on every response.
  std::string strict = kStrictCsp;
  std::string with_tiles = strict;
  with_tiles.insert(strict.find("; font-src"), " http://127.0.0.1:9");
  EXPECT_EQ(RawClient::Header(page, "content-security-policy"), with_tiles);
  EXPECT_EQ(RawClient::Header(Get("/"), "content-security-policy"), with_tiles);

  // Pages without a location question do not load the map (here the catalogue).
  std::string home = Get("/m/hebron/services");
  EXPECT_EQ(home.find("map.js"), std::string::npos);
  EXPECT_EQ(home.find("leaflet"), std::string::npos);

  // The assets are served, and Leaflet's stylesheet points at the hashed marker images.
  std::string js = Get(a.Url("map.js"));
  EXPECT_EQ(RawClient::Status(js), 200);
  EXPECT_EQ(RawClient::Header(js, "content-type"), "application/javascript; charset=utf-8");
  EXPECT_EQ(RawClient::Status(Get(a.Url("leaflet/leaflet.js"))), 200);
  std::string css = RawClient::Body(Get(a.Url("leaflet/leaflet.css")));
  EXPECT_NE(css.find("url(\"" + a.Url("leaflet/marker-icon.png") + "\")"), std::string::npos);
  EXPECT_EQ(css.find("url(images/"), std::string::npos);
  std::string icon = Get(a.Url("leaflet/marker-icon.png"));
  EXPECT_EQ(RawClient::Status(icon), 200);
  EXPECT_EQ(RawClient::Header(icon, "content-type"), "image/png");

  // What a click on the map writes is accepted as the answer.
  std::string res = resident.Post(href, {{"location", "31.532600,35.099800"},
                                         {"problem", "not_working"},
                                         {"description", "العمود مطفأ"},
                                         {"go", "next"}});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
}

TEST_F(MapOnTest, AMunicipalityWithoutACentreOpensOnTheRegion) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/nablus/services/street-light-report");
  std::string res = resident.Post("/m/nablus/services/street-light-report/apply", {});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  std::string page = resident.Get(RawClient::Header(res, "location"));
  EXPECT_NE(page.find("data-map-pick=\"\">"), std::string::npos) << page;
}

}  // namespace
}  // namespace baladiya::cases
