#include "platform/metrics/metrics.h"

#include <fmt/format.h>

namespace baladiya::metrics {
namespace {

// Escapes a label value per the exposition format: backslash, double quote and newline.
std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

void Registry::ObserveRequest(std::string_view method, std::string_view route, int status,
                              double seconds) {
  std::string_view r = route.empty() ? std::string_view("unmatched") : route;
  std::lock_guard lock(mu_);
  // Heterogeneous look-ups: no allocation once a series exists.
  auto key = std::make_tuple(method, r, status);
  auto counter = requests_.find(key);
  if (counter == requests_.end()) {
    counter =
        requests_.emplace(std::make_tuple(std::string(method), std::string(r), status), 0).first;
  }
  ++counter->second;
  auto it = latency_.find(r);
  if (it == latency_.end()) it = latency_.emplace(std::string(r), Histogram{}).first;
  Histogram& h = it->second;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

std::string Registry::Render(const std::map<std::string, double>& gauges) const {
  std::string out;
  out += "# HELP baladiya_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE baladiya_http_requests_total counter\n";
  std::lock_guard lock(mu_);
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out +=
        fmt::format("baladiya_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                    Label(method), Label(route), status, n);
  }
  out += "# HELP baladiya_http_request_duration_seconds Time to handle a request, by route.\n";
  out += "# TYPE baladiya_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::string r = Label(route);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format(
          "baladiya_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", r,
          kBuckets[i], h.counts[i]);
    }
    out += fmt::format(
        "baladiya_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", r,
        h.count);
    out += fmt::format("baladiya_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", r, h.sum);
    out += fmt::format("baladiya_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", r,
                       h.count);
  }
  // A gauge may carry labels (name{label="value"}): one HELP and TYPE per metric name.
  std::string_view last;
  for (const auto& [name, value] : gauges) {
    const std::string_view base = std::string_view(name).substr(0, name.find('{'));
    if (base != last) out += fmt::format("# HELP {0} {0}\n# TYPE {0} gauge\n", base);
    last = base;
    out += fmt::format("{} {}\n", name, value);
  }
  return out;
}

}  // namespace baladiya::metrics
