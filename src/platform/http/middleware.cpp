#include "platform/http/middleware.h"

#include <zlib.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <random>

namespace baladiya::http {

Handler Chain(std::vector<Middleware> middleware, Handler last) {
  Handler next = std::move(last);
  for (auto it = middleware.rbegin(); it != middleware.rend(); ++it) {
    next = [mw = std::move(*it), inner = std::move(next)](Request& r) { return mw(r, inner); };
  }
  return next;
}

namespace {

bool GoodRequestId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// Request ids need to be unique, not secret: a per-thread random prefix and a counter.
std::string NewRequestId() {
  static constexpr char kHex[] = "0123456789abcdef";
  thread_local uint64_t prefix = std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  thread_local uint64_t counter = 0;
  uint64_t a = prefix;
  uint64_t b = ++counter;
  std::string id(24, '0');
  for (int i = 15; i >= 0; --i, a >>= 4) id[static_cast<size_t>(i)] = kHex[a & 15];
  for (int i = 23; i >= 16; --i, b >>= 4) id[static_cast<size_t>(i)] = kHex[b & 15];
  return id;
}

bool IsText(std::string_view type) {
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("application/xml") || type.starts_with("image/svg+xml") ||
         type.starts_with("application/javascript");
}

}  // namespace

Middleware RequestId() {
  return [](Request& r, const Handler& next) {
    std::string_view incoming = r.headers.Get("x-request-id");
    r.client_request_id = GoodRequestId(incoming) ? std::string(incoming) : std::string();
    r.request_id = NewRequestId();
    Response res = next(r);
    res.headers.Set("x-request-id", r.request_id);
    return res;
  };
}

Middleware SecurityHeaders(bool hsts, std::string_view img_origin) {
  const std::string img_src = img_origin.empty() ? std::string() : " " + std::string(img_origin);
  auto block = std::make_shared<const std::string>(
      std::string("content-security-policy: default-src 'none'; script-src 'self'; "
                  "style-src 'self'; img-src 'self' data:") +
      img_src +
      std::string("; font-src 'self'; connect-src 'self'; "
                  "form-action 'self'; base-uri 'none'; frame-ancestors 'none'\r\n"
                  "x-content-type-options: nosniff\r\n"
                  "referrer-policy: no-referrer\r\n"
                  "x-frame-options: DENY\r\n"
                  "permissions-policy: camera=(), microphone=(), geolocation=(self)\r\n"
                  "cross-origin-opener-policy: same-origin\r\n") +
      (hsts ? "strict-transport-security: max-age=31536000; includeSubDomains\r\n" : ""));
  return [block](Request& r, const Handler& next) {
    Response res = next(r);
    res.fixed_headers = *block;
    return res;
  };
}

std::string GzipCompress(std::string_view data, int level) {
  z_stream zs{};
  // 15 window bits + 16 selects the gzip wrapper.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())) + 32);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return rc == Z_STREAM_END ? out : std::string();
}

bool AcceptsGzip(std::string_view accept) {
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string_view coding = item.substr(0, item.find(';'));
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip" && coding != "*") continue;
    size_t q = item.find("q=");
    if (q == std::string_view::npos) return true;
    std::string_view qv = item.substr(q + 2);
    // q=0, q=0.0, q=0.000 refuse; anything else accepts.
    bool zero =
        !qv.empty() && qv.front() == '0' && qv.find_first_not_of("0.", 0) == std::string_view::npos;
    return !zero;
  }
  return false;
}

Middleware Gzip(size_t min_bytes) {
  return [min_bytes](Request& r, const Handler& next) {
    Response res = next(r);
    res.headers.Add("vary", "Accept-Encoding");
    if (res.body.size() < min_bytes || res.headers.Has("content-encoding")) return res;
    if (!IsText(res.headers.Get("content-type"))) return res;
    if (!AcceptsGzip(r.headers.Get("accept-encoding"))) return res;
    std::string gz = GzipCompress(res.body, 5);
    if (gz.empty() || gz.size() >= res.body.size()) return res;
    res.body = std::move(gz);
    res.headers.Set("content-encoding", "gzip");
    return res;
  };
}

}  // namespace baladiya::http
