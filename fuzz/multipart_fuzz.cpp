// multipart/form-data bodies (file uploads): parsing must never crash nor hang, and whatever it
// accepts must keep its promises: the part limit, file names without a path or control characters
// and at most 255 bytes, data copied from the body, and form fields without NUL bytes. The input's
// first line is a Content-Type header value; the rest is the body.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/http/multipart.h"

namespace {

void Check(std::string_view body, std::string_view boundary,
           const baladiya::http::MultipartLimits& limits) {
  auto parts = baladiya::http::ParseMultipart(body, boundary, limits);
  if (!parts) {
    if (parts.error().message_key.empty() || parts.error().detail.empty()) std::abort();
    return;
  }
  if (parts->size() > limits.max_parts) std::abort();
  size_t data_bytes = 0;
  for (const auto& p : *parts) {
    if (p.filename.size() > 255 || p.filename.find_first_of("/\\") != std::string::npos) {
      std::abort();
    }
    for (char c : p.filename) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) std::abort();
    }
    if (body.find(p.data) == std::string_view::npos) std::abort();
    data_bytes += p.data.size();
  }
  if (data_bytes > body.size()) std::abort();
  auto fields = baladiya::http::FieldsOf(*parts);
  for (const auto& [name, value] : fields.All()) {
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t eol = in.find('\n');
  std::string_view header = in.substr(0, eol);
  std::string_view body = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
  auto boundary = baladiya::http::MultipartBoundary(header);
  if (boundary && (boundary->empty() || boundary->size() > 70)) std::abort();
  // Small limits, so that the fuzzer reaches them.
  Check(body, boundary ? std::string_view(*boundary) : std::string_view("x"), {4, 128});
  Check(body, "x", {});
  return 0;
}
