// The router against arbitrary paths: no crash, and a found route's int parameters are digits.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/http/router.h"

namespace {
baladiya::http::Router& Routes() {
  static baladiya::http::Router r = [] {
    baladiya::http::Router r;
    auto h = [](baladiya::http::Request&) { return baladiya::http::Response::Text(200, ""); };
    r.Get("/", h);
    r.Get("/m/{slug}", h);
    r.Get("/m/{slug}/departments/{dept}", h);
    r.Post("/m/{slug}", h);
    r.Get("/api/v1/cases/{id:int}", h);
    r.Get("/assets/{file:path}", h);
    r.Get("/healthz", h);
    return r;
  }();
  return r;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto method = static_cast<baladiya::http::Method>(data[0] % 7);
  std::string_view path(reinterpret_cast<const char*>(data + 1), size - 1);
  auto m = Routes().Find(method, path);
  if (m.outcome == baladiya::http::Router::Outcome::kFound) {
    for (const auto& [k, v] : m.params) {
      if (k == "id" && v.find_first_not_of("0123456789") != std::string::npos) std::abort();
    }
  }
  return 0;
}
