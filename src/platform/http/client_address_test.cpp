#include "platform/http/client_address.h"

#include <gtest/gtest.h>

namespace baladiya::http {
namespace {

TrustedProxies Trust(std::string_view list) {
  auto t = TrustedProxies::Parse(list);
  EXPECT_TRUE(t.ok()) << list;
  return t.ok() ? *t : TrustedProxies();
}

TEST(ClientAddress, ListSemanticsWalkingFromTheRight) {
  const TrustedProxies local = Trust("127.0.0.1 ::1");
  const TrustedProxies two = Trust("127.0.0.1, 10.0.0.0/8");
  struct Case {
    const char* peer;
    std::vector<std::string_view> forwarded;
    const TrustedProxies* trusted;
    const char* client;
  } cases[] = {
      // No proxy trusted: the header means nothing.
      {"203.0.113.9", {"127.0.0.1"}, nullptr, "203.0.113.9"},
      {"127.0.0.1", {"198.51.100.7"}, nullptr, "127.0.0.1"},
      // A peer that is not a trusted proxy is the client, whatever it claims.
      {"203.0.113.9", {"127.0.0.1"}, &local, "203.0.113.9"},
      // The proxy on this machine appends the client: a forged first entry is never read.
      {"127.0.0.1", {"127.0.0.1, 198.51.100.7"}, &local, "198.51.100.7"},
      {"127.0.0.1", {"1.2.3.4, 5.6.7.8, 198.51.100.7"}, &local, "198.51.100.7"},
      // Several header lines are one list, in order.
      {"127.0.0.1", {"127.0.0.1", "198.51.100.7"}, &local, "198.51.100.7"},
      {"127.0.0.1", {"198.51.100.7", "127.0.0.1"}, &local, "198.51.100.7"},
      // Two trusted hops: skipped from the right until the first untrusted one.
      {"127.0.0.1", {"198.51.100.7, 10.1.2.3"}, &two, "198.51.100.7"},
      {"127.0.0.1", {"127.0.0.1, 10.1.2.3"}, &two, "127.0.0.1"},
      // Every hop trusted: the leftmost.
      {"127.0.0.1", {"10.9.9.9, 10.1.2.3"}, &two, "10.9.9.9"},
      {"127.0.0.1", {}, &local, "127.0.0.1"},
      // Garbage stops the walk at the trusted hop that passed it on.
      {"127.0.0.1", {"198.51.100.7, not-an-ip"}, &local, "127.0.0.1"},
      {"127.0.0.1", {"junk, 198.51.100.7"}, &local, "198.51.100.7"},
      // IPv6 and IPv4-mapped forms.
      {"::1", {"2001:db8::5"}, &local, "2001:db8::5"},
      {"::ffff:127.0.0.1", {"198.51.100.7"}, &local, "198.51.100.7"},
      {"::ffff:203.0.113.9", {}, &local, "203.0.113.9"},
  };
  for (const auto& c : cases) {
    TrustedProxies none;
    EXPECT_EQ(ClientAddressOf(c.peer, c.forwarded, c.trusted ? *c.trusted : none), c.client)
        << c.peer << " / " << (c.forwarded.empty() ? "" : c.forwarded.front());
  }
}

TEST(ClientAddress, MiddlewareRewritesTheAddressAndKeepsThePeer) {
  Handler last = [](Request& r) { return Response::Text(200, r.remote_address); };
  Middleware mw = ClientAddress(TrustedProxies::Loopback());
  Request req;
  req.remote_address = "127.0.0.1";
  req.headers.Add("x-forwarded-for", "127.0.0.1");
  req.headers.Add("x-forwarded-for", "198.51.100.7");
  EXPECT_EQ(mw(req, last).body, "198.51.100.7");
  EXPECT_EQ(req.attributes["peer"], "127.0.0.1");
  // The finding: a forged loopback entry used to be taken as the client.
  Request forged;
  forged.remote_address = "127.0.0.1";
  forged.headers.Add("x-forwarded-for", "127.0.0.1, 203.0.113.50");
  EXPECT_EQ(mw(forged, last).body, "203.0.113.50");
}

TEST(ClientAddress, TlsFromTheConfigurationOrATrustedProxyOnly) {
  Handler last = [](Request& r) { return Response::Text(200, ServedOverTls(r) ? "tls" : "plain"); };
  auto run = [&](Middleware mw, const char* peer, const char* proto) {
    Request req;
    req.remote_address = peer;
    if (proto) req.headers.Add("x-forwarded-proto", proto);
    return mw(req, last).body;
  };
  EXPECT_EQ(run(ClientAddress({}, true), "203.0.113.9", nullptr), "tls");
  EXPECT_EQ(run(ClientAddress({}, false), "203.0.113.9", "https"), "plain");  // not a proxy
  EXPECT_EQ(run(ClientAddress(TrustedProxies::Loopback()), "127.0.0.1", "HTTPS"), "tls");
  EXPECT_EQ(run(ClientAddress(TrustedProxies::Loopback()), "127.0.0.1", "http"), "plain");
  EXPECT_EQ(run(ClientAddress(TrustedProxies::Loopback()), "198.51.100.7", "https"), "plain");
}

// The finding: the anonymous anti-forgery cookie lacked Secure when served over TLS. Every
// cookie of an answer over TLS now carries it, whoever set it.
TEST(ClientAddress, CookiesOverTlsAreSecure) {
  Handler last = [](Request&) {
    Response r = Response::Text(200, "");
    r.headers.Add("set-cookie", "csrf=abc; Path=/; HttpOnly; SameSite=Strict");
    r.headers.Add("set-cookie", "sid=x; Path=/; HttpOnly; Secure");
    return r;
  };
  Request req;
  req.remote_address = "127.0.0.1";
  req.headers.Add("x-forwarded-proto", "https");
  Response res = ClientAddress(TrustedProxies::Loopback())(req, last);
  std::vector<std::string> cookies;
  for (const auto& [k, v] : res.headers.All()) {
    if (k == "set-cookie") cookies.push_back(v);
  }
  ASSERT_EQ(cookies.size(), 2u);
  EXPECT_EQ(cookies[0], "csrf=abc; Path=/; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(cookies[1], "sid=x; Path=/; HttpOnly; Secure");  // not twice
  Request plain;
  plain.remote_address = "127.0.0.1";
  Response res2 = ClientAddress(TrustedProxies::Loopback())(plain, last);
  EXPECT_EQ(res2.headers.Get("set-cookie"), "csrf=abc; Path=/; HttpOnly; SameSite=Strict");
}

TEST(ClientAddress, KeysIpv6ByItsSlash64AndIpv4Whole) {
  EXPECT_EQ(AddressKey("198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(AddressKey("::ffff:198.51.100.7"), "198.51.100.7");
  EXPECT_EQ(AddressKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  // Every address of one /64 is one key; the next /64 is another.
  EXPECT_EQ(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"));
  EXPECT_NE(AddressKey("2001:db8:1:2::1"), AddressKey("2001:db8:1:3::1"));
  // Spellings of one address are one key.
  EXPECT_EQ(AddressKey("2001:DB8:1:2:0:0:0:1"), AddressKey("2001:db8:1:2::1"));
  EXPECT_EQ(AddressKey("not an address"), "not an address");
}

TEST(ClientAddress, TrustedProxiesParseNetworksAndRefuseJunk) {
  TrustedProxies t = Trust("10.0.0.0/8 fd00::/8, 192.0.2.1");
  EXPECT_TRUE(t.Contains("10.200.3.4"));
  EXPECT_FALSE(t.Contains("11.0.0.1"));
  EXPECT_TRUE(t.Contains("fd12::1"));
  EXPECT_FALSE(t.Contains("fe80::1"));
  EXPECT_TRUE(t.Contains("192.0.2.1"));
  EXPECT_TRUE(t.Contains("::ffff:192.0.2.1"));
  EXPECT_FALSE(t.Contains("192.0.2.2"));
  EXPECT_FALSE(t.HasLoopback());
  EXPECT_TRUE(Trust("127.0.0.0/8").HasLoopback());
  EXPECT_TRUE(TrustedProxies::Loopback().HasLoopback());
  for (const char* bad : {"localhost", "10.0.0.0/33", "::1/129", "1.2.3", "10.0.0.0/", "[::1]"}) {
    auto r = TrustedProxies::Parse(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().detail.find(bad), std::string::npos) << bad;
  }
}

TEST(ClientAddress, RefusesToStartBehindALoopbackProxyWithoutTrustingIt) {
  // TLS in front and a loopback listener: the documented reverse proxy on this machine.
  Status s = CheckProxySetup("127.0.0.1", true, TrustedProxies());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().detail.find("trusted-proxies"), std::string::npos);
  EXPECT_FALSE(CheckProxySetup("::1", true, Trust("10.0.0.1")).ok());
  EXPECT_TRUE(CheckProxySetup("127.0.0.1", true, TrustedProxies::Loopback()).ok());
  EXPECT_TRUE(CheckProxySetup("127.0.0.1", true, Trust("127.0.0.1")).ok());
  // Development on loopback without TLS, or a public listener: nothing to say.
  EXPECT_TRUE(CheckProxySetup("127.0.0.1", false, TrustedProxies()).ok());
  EXPECT_TRUE(CheckProxySetup("0.0.0.0", true, TrustedProxies()).ok());
}

}  // namespace
}  // namespace baladiya::http
