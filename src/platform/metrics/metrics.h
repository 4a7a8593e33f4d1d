// Prometheus metrics kept in memory and rendered in the text exposition format (version 0.0.4).
// Thread-safe. Labels are the route pattern (never the raw path, which would explode the series).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace baladiya::metrics {

class Registry {
 public:
  // Upper bounds of the latency histogram buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  // Counts one finished request; route is the matched pattern ("" when none matched).
  void ObserveRequest(std::string_view method, std::string_view route, int status, double seconds);

  // Renders counters and the histogram; gauges given by the caller are appended as-is
  // (name -> value), each name with a HELP and TYPE line; a name may carry labels
  // (`name{label="value"}`), and then one HELP and TYPE line serves every gauge of that name.
  std::string Render(const std::map<std::string, double>& gauges) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t, std::less<>> requests_;
  std::map<std::string, Histogram, std::less<>> latency_;  // by route
};

}  // namespace baladiya::metrics
