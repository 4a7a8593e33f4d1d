#include "platform/http/middleware.h"

#include <gtest/gtest.h>
#include <zlib.h>

namespace baladiya::http {
namespace {

std::string Gunzip(const std::string& gz) {
  z_stream zs{};
  inflateInit2(&zs, 15 + 16);
  std::string out(1 << 20, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  inflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  inflateEnd(&zs);
  return out;
}

Handler Page(std::string body, std::string type = "text/html; charset=utf-8") {
  return [body, type](Request&) {
    Response r = Response::Html(200, body);
    r.headers.Set("content-type", type);
    return r;
  };
}

TEST(Chain, RunsMiddlewareInOrder) {
  std::string trace;
  auto mark = [&trace](std::string name) -> Middleware {
    return [&trace, name](Request& r, const Handler& next) {
      trace += name + ">";
      Response res = next(r);
      trace += "<" + name;
      return res;
    };
  };
  Handler h = Chain({mark("a"), mark("b")}, [&trace](Request&) {
    trace += "h";
    return Response::Text(200, "");
  });
  Request r;
  h(r);
  EXPECT_EQ(trace, "a>b>h<b<a");
}

// ASVS 4.1.3: the id the audit log records is always the server's; a well-formed client id is
// kept apart, for the access log.
TEST(RequestId, IsTheServersOwnAndKeepsAWellFormedClientIdApart) {
  Handler h = Chain({RequestId()}, [](Request& r) {
    return Response::Text(200, r.request_id + " " + r.client_request_id);
  });
  struct Case {
    const char* incoming;
    bool kept;
  } cases[] = {{"abc-123", true}, {"", false}, {"bad id", false}, {"<script>", false}};
  for (const auto& c : cases) {
    Request r;
    if (*c.incoming) r.headers.Set("x-request-id", c.incoming);
    Response res = h(r);
    const std::string own = res.body.substr(0, res.body.find(' '));
    const std::string client = res.body.substr(res.body.find(' ') + 1);
    EXPECT_EQ(res.headers.Get("x-request-id"), own);
    EXPECT_EQ(own.size(), 24u) << c.incoming;
    EXPECT_NE(own, c.incoming);
    EXPECT_EQ(client, c.kept ? std::string(c.incoming) : std::string()) << c.incoming;
  }
  Request a, b;
  EXPECT_NE(h(a).body, h(b).body);
}

TEST(SecurityHeaders, StrictCspWithoutInlineScript) {
  Handler h = Chain({SecurityHeaders(false)}, Page("x"));
  Request r;
  Response res = h(r);
  std::string fixed(res.fixed_headers);
  EXPECT_NE(fixed.find("content-security-policy: default-src 'none';"), std::string::npos);
  EXPECT_NE(fixed.find("frame-ancestors 'none'\r\n"), std::string::npos);
  EXPECT_NE(fixed.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(fixed.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(fixed.find("x-content-type-options: nosniff\r\n"), std::string::npos);
  EXPECT_EQ(fixed.find("strict-transport-security"), std::string::npos);
  Handler tls = Chain({SecurityHeaders(true)}, Page("x"));
  EXPECT_NE(std::string(tls(r).fixed_headers).find("strict-transport-security: max-age="),
            std::string::npos);
}

TEST(SecurityHeaders, AMapsTileOriginIsAllowedForImagesOnly) {
  Request r;
  std::string strict(Chain({SecurityHeaders(false)}, Page("x"))(r).fixed_headers);
  std::string map(
      Chain({SecurityHeaders(false, "https://tiles.example.ps")}, Page("x"))(r).fixed_headers);
  EXPECT_NE(map.find("img-src 'self' data: https://tiles.example.ps; font-src 'self';"),
            std::string::npos)
      << map;
  // Nothing else differs: the same header with the origin taken out again.
  std::string without = map;
  without.erase(without.find(" https://tiles.example.ps"), 25);
  EXPECT_EQ(without, strict);
  EXPECT_EQ(map.find("unsafe"), std::string::npos);
}

TEST(Gzip, CompressesLargeTextWhenAccepted) {
  std::string body(5000, 'x');
  Handler h = Chain({Gzip(1024)}, Page(body));
  Request r;
  r.headers.Set("accept-encoding", "br, gzip;q=0.8");
  Response res = h(r);
  EXPECT_EQ(res.headers.Get("content-encoding"), "gzip");
  EXPECT_LT(res.body.size(), body.size());
  EXPECT_EQ(Gunzip(res.body), body);
}

TEST(Gzip, LeavesSmallBinaryOrUnacceptedAlone) {
  struct Case {
    std::string body;
    std::string type;
    std::string accept;
  } cases[] = {
      {"tiny", "text/html", "gzip"},
      {std::string(5000, 'x'), "image/png", "gzip"},
      {std::string(5000, 'x'), "text/html", ""},
      {std::string(5000, 'x'), "text/html", "gzip;q=0"},
      {std::string(5000, 'x'), "text/html", "identity"},
  };
  for (const auto& c : cases) {
    Handler h = Chain({Gzip(1024)}, Page(c.body, c.type));
    Request r;
    if (!c.accept.empty()) r.headers.Set("accept-encoding", c.accept);
    Response res = h(r);
    EXPECT_FALSE(res.headers.Has("content-encoding")) << c.type << " " << c.accept;
    EXPECT_EQ(res.body, c.body);
  }
}

}  // namespace
}  // namespace baladiya::http
