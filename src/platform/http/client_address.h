// Who the client is: one rule, used by everything that keys on the client (rate limits, the
// access log, the per-address connection cap).
//
// The rule. Start from the TCP peer. While the current hop is a trusted proxy, step one entry to
// the left in X-Forwarded-For (all of its header lines, read in order as one comma-separated
// list, as RFC 7239 section 7.1 and every common proxy treat it). The first hop that is not a
// trusted proxy is the client. Entries to its left were written by the client itself and are
// never read. When every entry is a trusted proxy, the leftmost one is the client. When the walk
// meets an entry that is not an IP address, the client is the trusted hop that passed it on.
// With no trusted proxies the header is ignored: the peer is the client.
//
// Keys. Rate limits and connection caps key an IPv4 address whole and an IPv6 address by its
// /64 (one subscriber commonly holds a whole /64), so that one host cannot multiply itself by
// walking through its prefix. IPv4-mapped IPv6 addresses count as the IPv4 address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::http {

// A parsed IP address: 4 bytes (IPv4, also for IPv4-mapped IPv6) or 16 bytes (IPv6).
struct IpAddress {
  std::array<uint8_t, 16> bytes{};
  int size = 0;  // 4 or 16

  // Parses "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1" (brackets and a zone are refused).
  static std::optional<IpAddress> Parse(std::string_view text);
  bool v4() const { return size == 4; }
  bool Loopback() const;  // 127.0.0.0/8 or ::1
  std::string ToString() const;
};

// Addresses and networks ("127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8") whose X-Forwarded-For
// entries are believed: the reverse proxies in front of the server.
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Parses a list separated by spaces or commas. kInvalid names the first bad item.
  static Result<TrustedProxies> Parse(std::string_view list);
  // 127.0.0.1 and ::1: a proxy on this machine.
  static TrustedProxies Loopback();

  bool empty() const { return networks_.empty(); }
  bool Contains(const IpAddress& address) const;
  bool Contains(std::string_view address) const;
  // True when some entry is a loopback address or network (a proxy on this machine).
  bool HasLoopback() const;
  // Adds the networks of other (for a shorthand setting that adds loopback to a list).
  void Merge(const TrustedProxies& other);
  // The list as written back: "127.0.0.1/32 ::1/128".
  std::string ToString() const;

 private:
  struct Network {
    IpAddress base;
    int prefix = 0;  // bits
  };
  std::vector<Network> networks_;
};

// The client's address under the rule above. peer is the TCP peer; forwarded holds the
// X-Forwarded-For header lines in the order received. Returns the address as text (IPv4-mapped
// addresses written as IPv4); the peer as given when it does not parse.
std::string ClientAddressOf(std::string_view peer, const std::vector<std::string_view>& forwarded,
                            const TrustedProxies& trusted);

// Middleware: replaces Request::remote_address with the client's address (ClientAddressOf) and
// keeps the TCP peer in the attribute "peer". With no trusted proxies it only records "peer",
// and says once on stderr when a loopback peer sends X-Forwarded-For: a proxy on this machine
// that the configuration does not know about. Marks the request as served over TLS (attribute
// "tls") when tls_in_front (the configuration says TLS is terminated in front of every
// request), or when a trusted proxy peer says so with "X-Forwarded-Proto: https"; the answer to
// a request served over TLS has Secure added to every cookie it sets (Set-Cookie) that lacks it.
Middleware ClientAddress(TrustedProxies trusted, bool tls_in_front = false);
// Whether the request reached the platform over TLS (see ClientAddress): cookies set in its
// answer carry Secure.
bool ServedOverTls(const Request& req);

// The rate-limit and connection-cap key of an address: an IPv4 address as is, an IPv6 address
// as its /64 ("2001:db8:1:2::/64"); text that is not an address is returned unchanged.
std::string AddressKey(std::string_view address);
// AddressKey of the request's client (Request::remote_address after ClientAddress ran).
std::string ClientKey(const Request& req);

// The start-up rule for a server behind a proxy on the same machine. The documented deployment
// terminates TLS in a reverse proxy that forwards to a loopback address; tls_in_front says the
// configuration declares TLS in front (hsts, or an https public URL). Listening on a loopback
// address with TLS in front means the proxy is on this machine: then trusted must hold a
// loopback address, or every client would share the proxy's address (one client's failures would
// lock out all) — kInvalid, saying which setting to add. Anything else is accepted.
Status CheckProxySetup(std::string_view listen_address, bool tls_in_front,
                       const TrustedProxies& trusted);

}  // namespace baladiya::http
