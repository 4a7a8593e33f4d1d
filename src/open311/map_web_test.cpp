// The optional map on open311's public report pages over HTTP (web_test_fixture.h): the list and
// the page of reports map the reports that have coordinates (and list them as text either way);
// without a tile server they carry no map.
#include <gtest/gtest.h>

#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;

class MapOffTest : public testing::Open311WebTest {
 protected:
  std::string Get(const std::string& target) { return Browser(port()).Get(target); }
};

class MapOnTest : public MapOffTest {
 protected:
  MapOnTest() { UseTestMap(); }
};

// The public list and page of reports map the reports that have coordinates (and list them as
// text either way); without a tile server they carry no map.
TEST_F(MapOnTest, PublicReportPagesMapTheirPoints) {
  Browser resident(port());
  std::string href;
  LocationQuestion(resident, &href);
  std::string res = resident.Post(href, {{"location", "31.532600,35.099800"},
                                         {"problem", "not_working"},
                                         {"description", "العمود مطفأ"},
                                         {"go", "next"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  resident.Get(check);
  res = resident.Post(check, {{"declaration", "yes"}});
  const std::string mine = RawClient::Header(res, "location");
  ASSERT_EQ(mine.rfind("/account/cases/HEB-", 0), 0u) << res;
  const std::string tracking = mine.substr(15, mine.find('?') - 15);

  std::string list = Get("/m/hebron/reports?lang=en");
  ASSERT_EQ(RawClient::Status(list), 200);
  EXPECT_NE(list.find("data-map-points=\"[{&quot;lat&quot;:"), std::string::npos) << list;
  EXPECT_NE(list.find("&quot;label&quot;:&quot;" + tracking), std::string::npos);
  EXPECT_NE(list.find("&quot;href&quot;:&quot;/m/hebron/reports/" + tracking + "&quot;"),
            std::string::npos);
  EXPECT_NE(list.find(assets().Url("map.js")), std::string::npos);
  std::string one = Get("/m/hebron/reports/" + tracking + "?lang=en");
  ASSERT_EQ(RawClient::Status(one), 200);
  EXPECT_NE(one.find("data-map-points="), std::string::npos);
  EXPECT_NE(one.find("31.5326"), std::string::npos);  // and as text
}

TEST_F(MapOffTest, PublicReportPagesHaveNoMapWithoutATileServer) {
  std::string list = Get("/m/hebron/reports");
  ASSERT_EQ(RawClient::Status(list), 200);
  EXPECT_EQ(list.find("data-map"), std::string::npos);
  EXPECT_EQ(list.find(assets().Url("map.js")), std::string::npos);
}

}  // namespace
}  // namespace baladiya::open311
