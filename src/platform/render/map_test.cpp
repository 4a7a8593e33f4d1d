#include "platform/render/map.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "platform/render/page.h"

namespace baladiya::render {
namespace {

TEST(Map, TileTemplatesLeafletCanUseAndACspCanName) {
  struct Case {
    const char* url;
    const char* mentions;  // "" when valid
  } cases[] = {
      {"https://tile.openstreetmap.org/{z}/{x}/{y}.png", ""},
      {"http://127.0.0.1:8081/{z}/{x}/{y}.png", ""},
      {"https://tiles.example.ps/v1/{z}/{x}/{y}{r}.png?key=abc", ""},
      {"https://[::1]:9000/{z}/{y}/{x}.png", ""},
      {"", "https://"},
      {"ftp://tiles.example.ps/{z}/{x}/{y}.png", "https://"},
      {"tiles.example.ps/{z}/{x}/{y}.png", "https://"},
      {"https://{s}.tile.example.ps/{z}/{x}/{y}.png", "host must be written out"},
      {"https://user@tiles.example.ps/{z}/{x}/{y}.png", "host must be written out"},
      {"https:///{z}/{x}/{y}.png", "no host"},
      {"https://tiles.example.ps", "needs a path"},
      {"https://tiles.example.ps?{z}/{x}/{y}", "needs a path"},
      {"https://tiles.example.ps/{z}/{x}.png", "{z}, {x} and {y} exactly once"},
      {"https://tiles.example.ps/{z}/{x}/{y}/{z}.png", "{z}, {x} and {y} exactly once"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png?t={token}", "only the placeholders"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png}", "unmatched"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png#x", "fragment"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png; script-src *", "spaces"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png;img-src", "';'"},
      {"https://a.example,https://b.example/{z}/{x}/{y}", "','"},
      {"https://tiles.example.ps/{z}/{x}/{y}.png\"onload=", "quotes"},
  };
  for (const auto& c : cases) {
    std::string why = CheckTileTemplate(c.url);
    if (*c.mentions == 0) {
      EXPECT_EQ(why, "") << c.url;
    } else {
      EXPECT_NE(why.find(c.mentions), std::string::npos) << c.url << " -> " << why;
    }
  }
}

TEST(Map, TileOriginIsSchemeHostAndPort) {
  EXPECT_EQ(TileOrigin("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            "https://tile.openstreetmap.org");
  EXPECT_EQ(TileOrigin("http://127.0.0.1:8081/{z}/{x}/{y}.png"), "http://127.0.0.1:8081");
  EXPECT_EQ(TileOrigin("https://[::1]:9000/{z}/{y}/{x}.png"), "https://[::1]:9000");
}

TEST(Map, CentresByKeyWithSixDecimals) {
  std::map<std::string, std::string, std::less<>> centres;
  EXPECT_EQ(ParseCentres(" hebron=31.5326,35.0998  nablus=32.2211,35.2544 ", &centres), "");
  ASSERT_EQ(centres.size(), 2u);
  EXPECT_EQ(centres["hebron"], "31.532600,35.099800");
  EXPECT_EQ(centres["nablus"], "32.221100,35.254400");
  EXPECT_EQ(ParseCentres("", &centres), "");
  EXPECT_TRUE(centres.empty());
  MapConfig map;
  map.centres = {{"gaza", "31.501600,34.466800"}};
  EXPECT_EQ(map.CentreFor("gaza"), "31.501600,34.466800");
  EXPECT_EQ(map.CentreFor("jenin"), "");
  EXPECT_FALSE(map.enabled());

  struct Case {
    const char* text;
    const char* mentions;
  } bad[] = {
      {"hebron", "key=lat,lng"},
      {"hebron=31.5", "key=lat,lng"},
      {"=31.5,35.1", "no key"},
      {"Hebron=31.5,35.1", "[a-z0-9-]"},
      {"hebron=91,35.1", "within ±90"},
      {"hebron=31.5,181", "within ±180"},
      {"hebron=31.5,35.1,2", "within ±180"},
      {"hebron=1e1,35", "within ±90"},
      {"hebron=.5,35", "within ±90"},
      {"hebron=31.5,35.1 hebron=31.6,35.1", "given twice"},
  };
  for (const auto& c : bad) {
    centres = {{"kept", "1,1"}};
    std::string why = ParseCentres(c.text, &centres);
    EXPECT_NE(why.find(c.mentions), std::string::npos) << c.text << " -> " << why;
    EXPECT_EQ(centres.size(), 1u) << "a refused list changes nothing";
  }
}

TEST(Map, PagesAddTheMapOnlyWhenTheSiteHasOne) {
  ASSERT_GE(sodium_init(), 0);
  constexpr EmbeddedFile templates[] = {
      {"layout.tpl",
       "{{%AUTOESCAPE context=\"HTML\"}}<html><main>{{MAIN:none}}</main>{{#MAP}}<script "
       "src=\"{{MAP_JS}}\" data-tiles=\"{{MAP_TILES}}\" data-attribution=\"{{MAP_ATTRIBUTION}}\" "
       "data-icon=\"{{MAP_ICON}}\"></script>{{/MAP}}</html>"},
      {"p.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<h1>x</h1>"},
      {"points.tpl", "{{%AUTOESCAPE context=\"HTML\"}}<div data-map-points=\"{{POINTS}}\"></div>"},
  };
  constexpr EmbeddedFile files[] = {
      {"map.js", "'use strict';"},
      {"leaflet/marker-icon.png", "\x89PNG"},
  };
  auto cat = i18n::Catalog::Load(R"({"lang":{"code":"ar"}})", R"({"lang":{"code":"en"}})");
  ASSERT_TRUE(cat.ok());
  auto t = Templates::Load(templates, *cat);
  ASSERT_TRUE(t.ok()) << t.error().detail;
  Assets assets = Assets::Build(files);
  EXPECT_TRUE(assets.Has("map.js"));
  EXPECT_FALSE(assets.Has("leaflet/leaflet.js"));
  MapConfig map;
  Site site{t->get(), &*cat, &assets, "layout.tpl", &map};

  Page off(site, i18n::Lang::kEn, "p.tpl");
  EXPECT_FALSE(off.UseMap());  // a map without tiles is no map
  EXPECT_EQ(off.Finish(200).body.find("<script"), std::string::npos);

  map.tiles_url = "https://tiles.example.ps/{z}/{x}/{y}.png";
  map.attribution = "\"<b>OSM</b>\"";
  Page on(site, i18n::Lang::kEn, "p.tpl");
  EXPECT_TRUE(on.UseMap());
  std::string html = on.Finish(200).body;
  EXPECT_NE(html.find("src=\"" + assets.Url("map.js") + "\""), std::string::npos) << html;
  EXPECT_NE(html.find("data-tiles=\"https://tiles.example.ps/{z}/{x}/{y}.png\""), std::string::npos)
      << html;
  EXPECT_NE(html.find("data-attribution=\"&quot;&lt;b&gt;OSM&lt;/b&gt;&quot;\""), std::string::npos)
      << html;
  EXPECT_NE(html.find("data-icon=\"" + assets.Url("leaflet/marker-icon.png") + "\""),
            std::string::npos)
      << html;

  Page plain(site, i18n::Lang::kEn, "p.tpl");  // a page that does not ask for the map
  EXPECT_EQ(plain.Finish(200).body.find("<script"), std::string::npos);

  // A list of points goes into its attribute HTML-escaped (the browser decodes it to the JSON).
  Page points(site, i18n::Lang::kEn, "points.tpl");
  points.UseMap();
  points.body().SetValue("POINTS", R"([{"lat":31.5,"lng":35.1,"label":"<b>'x'</b>","href":"/m"}])");
  EXPECT_NE(points.Finish(200).body.find(
                "data-map-points=\"[{&quot;lat&quot;:31.5,&quot;lng&quot;:35.1,&quot;label&quot;:"
                "&quot;&lt;b&gt;&#39;x&#39;&lt;/b&gt;&quot;,&quot;href&quot;:&quot;/m&quot;}]\""),
            std::string::npos);
}

}  // namespace
}  // namespace baladiya::render
