#include "platform/metrics/metrics.h"

#include <gtest/gtest.h>

namespace baladiya::metrics {
namespace {

TEST(Registry, CountsRequestsAndFillsHistogramBuckets) {
  Registry r;
  r.ObserveRequest("GET", "/m/{slug}", 200, 0.0007);
  r.ObserveRequest("GET", "/m/{slug}", 200, 0.003);
  r.ObserveRequest("GET", "", 404, 0.0001);
  std::string text = r.Render({{"baladiya_open_connections", 3}});
  EXPECT_NE(
      text.find(
          "baladiya_http_requests_total{method=\"GET\",route=\"/m/{slug}\",status=\"200\"} 2"),
      std::string::npos);
  EXPECT_NE(text.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  // 0.0007 is above 0.0005 and within 0.001; 0.003 only from 0.005 on.
  EXPECT_NE(text.find("_bucket{route=\"/m/{slug}\",le=\"0.0005\"} 0"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/m/{slug}\",le=\"0.001\"} 1"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/m/{slug}\",le=\"0.005\"} 2"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"/m/{slug}\",le=\"+Inf\"} 2"), std::string::npos);
  EXPECT_NE(text.find("# TYPE baladiya_open_connections gauge\nbaladiya_open_connections 3\n"),
            std::string::npos);
}

TEST(Registry, GaugesWithLabelsShareOneHelpAndType) {
  Registry r;
  std::string text = r.Render({{"baladiya_kpi_backlog{municipality=\"hebron\"}", 4},
                               {"baladiya_kpi_backlog{municipality=\"nablus\"}", 2}});
  EXPECT_NE(text.find("# TYPE baladiya_kpi_backlog gauge\n"
                      "baladiya_kpi_backlog{municipality=\"hebron\"} 4\n"
                      "baladiya_kpi_backlog{municipality=\"nablus\"} 2\n"),
            std::string::npos)
      << text;
}

TEST(Registry, EscapesLabelValues) {
  Registry r;
  r.ObserveRequest("GET", "/a\"b\\c", 200, 0.001);
  EXPECT_NE(r.Render({}).find("route=\"/a\\\"b\\\\c\""), std::string::npos);
}

}  // namespace
}  // namespace baladiya::metrics
