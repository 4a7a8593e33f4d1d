#include "platform/http/client_address.h"

#include <arpa/inet.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace baladiya::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on commas (and, when spaces_too, on spaces and tabs), dropping empty items.
std::vector<std::string_view> Split(std::string_view text, bool spaces_too) {
  std::vector<std::string_view> out;
  size_t start = 0;
  auto sep = [&](char c) { return c == ',' || (spaces_too && (c == ' ' || c == '\t')); };
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || sep(text[i])) {
      std::string_view item = Trim(text.substr(start, i - start));
      if (!item.empty()) out.push_back(item);
      start = i + 1;
    }
  }
  return out;
}

bool PrefixMatches(const IpAddress& a, const IpAddress& base, int prefix) {
  if (a.size != base.size) return false;
  int full = prefix / 8;
  if (std::memcmp(a.bytes.data(), base.bytes.data(), static_cast<size_t>(full)) != 0) return false;
  int rest = prefix % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (a.bytes[static_cast<size_t>(full)] & mask) ==
         (base.bytes[static_cast<size_t>(full)] & mask);
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  if (text.empty() || text.size() > 45) return std::nullopt;
  std::string s(text);
  IpAddress a;
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::memcpy(a.bytes.data(), &v4, 4);
    a.size = 4;
    return a;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) != 1) return std::nullopt;
  std::memcpy(a.bytes.data(), &v6, 16);
  a.size = 16;
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
  if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::memset(a.bytes.data() + 4, 0, 12);
    a.size = 4;
  }
  return a;
}

bool IpAddress::Loopback() const {
  if (v4()) return bytes[0] == 127;
  for (int i = 0; i < 15; ++i) {
    if (bytes[static_cast<size_t>(i)] != 0) return false;
  }
  return bytes[15] == 1;
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(v4() ? AF_INET : AF_INET6, bytes.data(), buf, sizeof buf);
  return buf;
}

Result<TrustedProxies> TrustedProxies::Parse(std::string_view list) {
  TrustedProxies out;
  for (std::string_view item : Split(list, true)) {
    auto bad = [&] {
      return MakeError(ErrorCode::kInvalid, "error.invalid",
                       "not an IP address or network: '" + std::string(item) +
                           "' (write addresses such as 127.0.0.1 or ::1, or networks such as "
                           "10.0.0.0/8)");
    };
    std::string_view addr = item;
    int prefix = -1;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      addr = item.substr(0, slash);
      std::string_view bits = item.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != bits.npos) {
        return bad();
      }
      prefix = std::stoi(std::string(bits));
    }
    auto ip = IpAddress::Parse(addr);
    if (!ip) return bad();
    const int max_bits = ip->v4() ? 32 : 128;
    if (prefix > max_bits) return bad();
    // "::ffff:10.0.0.0/104" names an IPv4 network: its prefix counts the IPv4 bits only.
    if (prefix >= 0 && ip->v4() && addr.find(':') != std::string_view::npos) {
      if (prefix < 96) return bad();
      prefix -= 96;
    }
    out.networks_.push_back({*ip, prefix < 0 ? max_bits : prefix});
  }
  return out;
}

TrustedProxies TrustedProxies::Loopback() {
  TrustedProxies t;
  t.networks_.push_back({*IpAddress::Parse("127.0.0.1"), 32});
  t.networks_.push_back({*IpAddress::Parse("::1"), 128});
  return t;
}

bool TrustedProxies::Contains(const IpAddress& address) const {
  for (const Network& n : networks_) {
    if (PrefixMatches(address, n.base, n.prefix)) return true;
  }
  return false;
}

bool TrustedProxies::Contains(std::string_view address) const {
  auto ip = IpAddress::Parse(address);
  return ip && Contains(*ip);
}

bool TrustedProxies::HasLoopback() const {
  return Contains(*IpAddress::Parse("127.0.0.1")) || Contains(*IpAddress::Parse("::1"));
}

void TrustedProxies::Merge(const TrustedProxies& other) {
  networks_.insert(networks_.end(), other.networks_.begin(), other.networks_.end());
}

std::string TrustedProxies::ToString() const {
  std::string out;
  for (const Network& n : networks_) {
    if (!out.empty()) out += ' ';
    out += n.base.ToString() + "/" + std::to_string(n.prefix);
  }
  return out;
}

std::string ClientAddressOf(std::string_view peer, const std::vector<std::string_view>& forwarded,
                            const TrustedProxies& trusted) {
  auto hop = IpAddress::Parse(peer);
  if (!hop) return std::string(peer);
  if (trusted.empty() || !trusted.Contains(*hop)) return hop->ToString();
  std::vector<std::string_view> entries;
  for (std::string_view line : forwarded) {
    for (std::string_view e : Split(line, false)) entries.push_back(e);
  }
  // Walk from the right while the current hop is a trusted proxy.
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    auto next = IpAddress::Parse(*it);
    if (!next) break;  // garbage from beyond the last trusted hop: that hop is the client
    hop = next;
    if (!trusted.Contains(*hop)) break;
  }
  return hop->ToString();
}

Middleware ClientAddress(TrustedProxies trusted, bool tls_in_front) {
  return [trusted = std::move(trusted), tls_in_front](Request& req, const Handler& next) {
    req.attributes["peer"] = req.remote_address;
    std::vector<std::string_view> forwarded;
    for (const auto& [name, value] : req.headers.All()) {
      if (name == "x-forwarded-for") forwarded.push_back(value);
    }
    bool tls = tls_in_front;
    if (!tls && !trusted.empty() && trusted.Contains(req.remote_address)) {
      std::string proto(Trim(req.headers.Get("x-forwarded-proto")));
      for (char& c : proto) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      tls = proto == "https";
    }
    if (tls) req.attributes["tls"] = "1";
    Response res;
    if (trusted.empty()) {
      static std::atomic<bool> warned{false};
      auto peer = IpAddress::Parse(req.remote_address);
      if (!forwarded.empty() && peer && peer->Loopback() && !warned.exchange(true)) {
        std::fprintf(stderr,
                     "baladiya: a proxy on this machine forwards requests (X-Forwarded-For) but "
                     "trusted-proxies is not set: every client shares the proxy's address\n");
      }
      res = next(req);
    } else {
      req.remote_address = ClientAddressOf(req.remote_address, forwarded, trusted);
      res = next(req);
    }
    // Over TLS every cookie is Secure, whichever part of the application set it.
    if (tls) {
      res.headers.Update("set-cookie", [](std::string& cookie) {
        std::string lower = cookie;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.find("; secure") == std::string::npos) cookie += "; Secure";
      });
    }
    return res;
  };
}

std::string AddressKey(std::string_view address) {
  auto ip = IpAddress::Parse(address);
  if (!ip) return std::string(address);
  if (ip->v4()) return ip->ToString();
  IpAddress net = *ip;
  std::memset(net.bytes.data() + 8, 0, 8);
  return net.ToString() + "/64";
}

std::string ClientKey(const Request& req) { return AddressKey(req.remote_address); }

bool ServedOverTls(const Request& req) {
  auto it = req.attributes.find("tls");
  return it != req.attributes.end() && it->second == "1";
}

Status CheckProxySetup(std::string_view listen_address, bool tls_in_front,
                       const TrustedProxies& trusted) {
  auto listen = IpAddress::Parse(listen_address);
  if (!tls_in_front || !listen || !listen->Loopback() || trusted.HasLoopback()) return Ok();
  return MakeError(
      ErrorCode::kInvalid, "error.invalid",
      "listening on " + std::string(listen_address) +
          " with TLS in front (hsts or an https public-url) means a reverse proxy on this "
          "machine forwards every request, so every client would share the proxy's address and "
          "one client's failed logins would lock out everyone: set trusted-proxies to the "
          "proxy's address (e.g. --trusted-proxies 127.0.0.1, or --trust-proxy true for "
          "127.0.0.1 and ::1)");
}

}  // namespace baladiya::http
