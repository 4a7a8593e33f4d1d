// Request targets, query strings and form bodies: decoding must never crash, and whatever it
// accepts must be valid UTF-8 without NUL and survive an encode/decode round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/http/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto t = baladiya::http::ParseTarget(in)) {
    if (t->path.find('\0') != std::string::npos) std::abort();
  }
  if (auto q = baladiya::http::ParseQuery(in)) {
    for (const auto& [k, v] : q->All()) {
      auto back = baladiya::http::PercentDecode(baladiya::http::PercentEncode(v), false);
      if (!back || *back != v) std::abort();
    }
  }
  (void)baladiya::http::PercentDecode(in, true);
  return 0;
}
