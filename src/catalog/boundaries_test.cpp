// Point in polygon (table-driven), GeoJSON checks, and the boundary store and report routing on
// SQLite and PostgreSQL.
#include "catalog/boundaries.h"

#include <gtest/gtest.h>

#include "platform/db/test_support.h"

namespace baladiya::catalog {
namespace {

// A square 0..10 x 0..10 (lat, lng) with a square hole 4..6 x 4..6.
Ring Square(double lo, double hi) { return {{lo, lo}, {lo, hi}, {hi, hi}, {hi, lo}, {lo, lo}}; }

TEST(PointInPolygonTest, Cases) {
  // A concave "U": the notch (lat 5..10, lng 4..6) is outside.
  const Ring u = {{0, 0}, {0, 10}, {10, 10}, {10, 6}, {5, 6}, {5, 4}, {10, 4}, {10, 0}, {0, 0}};
  // A diamond, whose vertices lie level with points beside it (rays through vertices).
  const Ring diamond = {{0, 5}, {5, 10}, {10, 5}, {5, 0}, {0, 5}};
  struct Case {
    const char* name;
    const Ring* ring;
    LatLng p;
    bool inside;
  };
  const Ring square = Square(0, 10);
  const Case cases[] = {
      {"centre", &square, {5, 5}, true},
      {"outside east", &square, {5, 11}, false},
      {"outside west", &square, {5, -1}, false},
      {"outside north", &square, {11, 5}, false},
      {"on an edge", &square, {0, 5}, true},
      {"on the far edge", &square, {5, 10}, true},
      {"on a vertex", &square, {10, 10}, true},
      {"on the first vertex", &square, {0, 0}, true},
      {"level with an edge, outside", &square, {10, 12}, false},
      {"level with an edge, before it", &square, {10, -3}, false},
      {"just inside", &square, {9.999999, 9.999999}, true},
      {"just outside", &square, {10.000001, 5}, false},
      {"in the U's arm", &u, {7, 2}, true},
      {"in the U's notch", &u, {7, 5}, false},
      {"below the notch", &u, {3, 5}, true},
      {"on the notch's bottom", &u, {5, 5}, true},
      {"level with the notch's corners, inside", &u, {10, 2}, true},
      {"ray through the diamond's vertex, inside", &diamond, {5, 3}, true},
      {"ray through the diamond's vertex, outside", &diamond, {5, -1}, false},
      {"level with the top vertex, outside", &diamond, {10, 2}, false},
      {"the diamond's top vertex", &diamond, {10, 5}, true},
      {"beside the diamond's edge", &diamond, {2, 2}, false},
      {"on the diamond's edge", &diamond, {2.5, 2.5}, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(InRing(*c.ring, c.p), c.inside) << c.name;
  }
}

TEST(PointInPolygonTest, HolesAreOutsideButTheirEdgesInside) {
  Polygon p{Square(0, 10), {Square(4, 6)}};
  struct Case {
    LatLng p;
    bool inside;
  } cases[] = {
      {{2, 2}, true}, {{5, 5}, false},     {{4, 5}, true},
      {{6, 6}, true}, {{4.5, 5.5}, false}, {{11, 5}, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(InPolygon(p, c.p), c.inside) << c.p.lat << "," << c.p.lng;
  }
  Boundary two{{Polygon{Square(0, 1), {}}, Polygon{Square(5, 6), {}}}, {}};
  EXPECT_TRUE(InBoundary(two, {0.5, 0.5}));
  EXPECT_TRUE(InBoundary(two, {5.5, 5.5}));
  EXPECT_FALSE(InBoundary(two, {3, 3}));
  EXPECT_FALSE(InRing({{0, 0}, {1, 1}, {0, 0}}, {0, 0}));  // not a ring: too few points
}

TEST(ParseLatLngTest, Cases) {
  struct Case {
    const char* text;
    bool ok;
    double lat, lng;
  } cases[] = {
      {"31.53,35.09", true, 31.53, 35.09},
      {"-33.9, 151.2", true, -33.9, 151.2},
      {"+32.2,+35.26", true, 32.2, 35.26},
      {"90,180", true, 90, 180},
      {"91,35", false, 0, 0},
      {"31,181", false, 0, 0},
      {"Ein Sara Street", false, 0, 0},
      {"31.5", false, 0, 0},
      {"", false, 0, 0},
      {"31.5,35.1,2", false, 0, 0},
      {"nan,35", false, 0, 0},
  };
  for (const Case& c : cases) {
    auto p = ParseLatLng(c.text);
    ASSERT_EQ(p.has_value(), c.ok) << c.text;
    if (p) {
      EXPECT_DOUBLE_EQ(p->lat, c.lat) << c.text;
      EXPECT_DOUBLE_EQ(p->lng, c.lng) << c.text;
    }
  }
}

TEST(GeoJsonTest, ReadsPolygonsMultiPolygonsAndFeatures) {
  auto polygon =
      ParseGeoJson(R"({"type":"Polygon","coordinates":[[[35,31],[36,31],[36,32],[35,32],[35,31]],)"
                   R"([[35.4,31.4],[35.6,31.4],[35.6,31.6],[35.4,31.6],[35.4,31.4]]]})");
  ASSERT_TRUE(polygon.ok()) << polygon.error().detail;
  ASSERT_EQ(polygon->polygons.size(), 1u);
  EXPECT_EQ(polygon->polygons[0].holes.size(), 1u);
  EXPECT_TRUE(InBoundary(*polygon, {31.2, 35.2}));   // lat 31.2, lng 35.2
  EXPECT_FALSE(InBoundary(*polygon, {31.5, 35.5}));  // in the hole
  // Written out and read back: the same geometry.
  auto again = ParseGeoJson(ToGeoJson(*polygon));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ToGeoJson(*again), ToGeoJson(*polygon));

  auto feature = ParseGeoJson(
      R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
      R"({"name_ar":"نابلس","name_en":"Nablus"},"geometry":{"type":"MultiPolygon",)"
      R"("coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}}]})");
  ASSERT_TRUE(feature.ok()) << feature.error().detail;
  EXPECT_EQ(feature->polygons.size(), 2u);
  EXPECT_EQ(feature->area.en, "Nablus");
  EXPECT_EQ(feature->area.ar, "نابلس");
}

TEST(GeoJsonTest, RefusesBadGeometry) {
  const char* bad[] = {
      "",
      "[]",
      R"({"type":"Point","coordinates":[35,31]})",
      R"({"type":"Polygon","coordinates":[[[35,31],[36,31],[36,32],[35,31.5]]]})",  // open
      R"({"type":"Polygon","coordinates":[[[35,31],[36,31],[35,31]]]})",            // 3 points
      R"({"type":"Polygon","coordinates":[[[35,91],[36,31],[36,32],[35,91]]]})",    // lat > 90
      R"({"type":"Polygon","coordinates":[[[181,31],[36,31],[36,32],[181,31]]]})",
      R"({"type":"Polygon","coordinates":[[["35","31"],[36,31],[36,32],["35","31"]]]})",
      R"({"type":"Polygon","coordinates":[]})",
      R"({"type":"MultiPolygon","coordinates":[]})",
      R"({"type":"Feature","properties":{}})",
      R"({"type":"FeatureCollection","features":[]})",
  };
  for (const char* text : bad) {
    auto b = ParseGeoJson(text);
    ASSERT_FALSE(b.ok()) << text;
    EXPECT_EQ(b.error().code, ErrorCode::kInvalid) << text;
    EXPECT_EQ(b.error().message_key, "boundaries.invalid") << text;
  }
}

class BoundaryStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto m = db::Migrate(db(), Migrations());
    ASSERT_TRUE(m.ok()) << m.error().detail;
    auto seeded = SeedDemo(db(), 1000);
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    EXPECT_EQ(seeded->boundaries, 3);
  }
  int64_t IdOf(const char* slug) {
    auto m = TenancyStore(db()).FindMunicipality(slug);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->id : 0;
  }
};

// Central points of the three demo cities, and one between them.
constexpr LatLng kHebron{31.532, 35.098};
constexpr LatLng kNablus{32.222, 35.258};
constexpr LatLng kRamallah{31.905, 35.2};
constexpr LatLng kBethlehemRoad{31.70, 35.20};

TEST_P(BoundaryStoreTest, DemoBoundariesPlaceTheCities) {
  BoundaryStore store(db());
  struct Case {
    LatLng p;
    const char* slug;
  } cases[] = {
      {kHebron, "hebron"}, {kNablus, "nablus"}, {kRamallah, "ramallah"}, {kBethlehemRoad, nullptr}};
  for (const Case& c : cases) {
    auto at = store.MunicipalityAt(c.p);
    ASSERT_TRUE(at.ok());
    EXPECT_EQ(*at, c.slug ? IdOf(c.slug) : 0) << c.p.lat << "," << c.p.lng;
  }
  auto nablus = store.Get(IdOf("nablus"));
  ASSERT_TRUE(nablus.ok());
  EXPECT_EQ(nablus->area.en, "Nablus");
  EXPECT_GE(nablus->polygons[0].outer.size(), 13u);  // a dozen vertices or more, closed
  // Seeding again changes nothing.
  auto again = SeedDemoBoundaries(db(), 2000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 3);
  auto count = db().Query("SELECT count(*) FROM municipality_boundaries");
  ASSERT_TRUE(count.ok());
  EXPECT_EQ((*count)[0].Int(0), 3);
}

TEST_P(BoundaryStoreTest, ASetBoundaryIsSeenAtOnce) {
  BoundaryStore store(db());
  const int64_t ramallah = IdOf("ramallah");
  ASSERT_EQ(*store.MunicipalityAt(kBethlehemRoad), 0);  // cached snapshot taken
  auto b = ParseGeoJson(
      R"({"type":"Polygon","coordinates":[[[35.1,31.6],[35.3,31.6],[35.3,31.8],[35.1,31.8],)"
      R"([35.1,31.6]]]})");
  ASSERT_TRUE(b.ok());
  bool ran = false;
  ASSERT_TRUE(store
                  .Set(ramallah, *b, 3000,
                       [&](db::Tx&) {
                         ran = true;
                         return Ok();
                       })
                  .ok());
  EXPECT_TRUE(ran);
  EXPECT_EQ(*store.MunicipalityAt(kBethlehemRoad), ramallah);
  EXPECT_EQ(*store.MunicipalityAt(kRamallah), 0);  // replaced, not added
  // A failing in_tx stores nothing.
  auto other =
      ParseGeoJson(R"({"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]})");
  Status refused = store.Set(ramallah, *other, 4000, [](db::Tx&) -> Status {
    return MakeError(ErrorCode::kInternal, "error.internal");
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(*store.MunicipalityAt(kBethlehemRoad), ramallah);
  EXPECT_FALSE(store.Set(ramallah, Boundary{}, 5000).ok());
}

TEST_P(BoundaryStoreTest, ReportsAtAPointInAnotherMunicipalityAreRoutedThere) {
  TenancyStore tenancy(db());
  BoundaryStore boundaries(db());
  ServiceStore services(db());
  auto light = services.Find(IdOf("hebron"), "street-light-report");
  ASSERT_TRUE(light.ok());
  auto route = [&](const Service& s, const std::string& location) {
    Answers a{{"location", {location}}};
    auto r = RouteReport(tenancy, boundaries, services, s, a, "web");
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::nullopt;
  };
  auto to_nablus = route(*light, "32.222,35.258");
  ASSERT_TRUE(to_nablus.has_value());
  EXPECT_EQ(to_nablus->municipality.slug, "nablus");
  EXPECT_EQ(to_nablus->service.code, "street-light-report");
  EXPECT_EQ(to_nablus->service.municipality_id, IdOf("nablus"));
  EXPECT_EQ(to_nablus->area.en, "Nablus");
  EXPECT_FALSE(route(*light, "31.532,35.098"));         // its own area
  EXPECT_FALSE(route(*light, "31.70,35.20"));           // nobody's area
  EXPECT_FALSE(route(*light, "Nablus, Martyrs' Sq."));  // words, not a point
  // No matching service there: stays.
  Service nablus_light = to_nablus->service;
  nablus_light.published = false;
  ASSERT_TRUE(services.Save(nablus_light, 6000).ok());
  EXPECT_FALSE(route(*light, "32.222,35.258"));
  // Same category, other code: matched by category when it is the only one.
  nablus_light.code = "lighting-fault";
  nablus_light.id = 0;
  nablus_light.published = true;
  ASSERT_TRUE(services.Save(nablus_light, 7000).ok());
  auto by_category = route(*light, "32.222,35.258");
  ASSERT_TRUE(by_category.has_value());
  EXPECT_EQ(by_category->service.code, "lighting-fault");
  // Applications are never routed.
  auto permit = services.Find(IdOf("hebron"), "building-permit");
  ASSERT_TRUE(permit.ok());
  EXPECT_FALSE(route(*permit, "32.222,35.258"));
}

BALADIYA_INSTANTIATE_ENGINES(BoundaryStoreTest);

}  // namespace
}  // namespace baladiya::catalog
