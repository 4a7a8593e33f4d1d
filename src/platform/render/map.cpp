#include "platform/render/map.h"

#include <charconv>
#include <cstdio>

namespace baladiya::render {
namespace {

bool HostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == ':' || c == '[' || c == ']';
}

bool KeyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// A plain decimal ("-31.5", "35"): what Leaflet and the location field agree on.
bool Decimal(std::string_view s, double bound, double& out) {
  if (s.empty() || s.size() > 20) return false;
  std::string_view digits = s.front() == '-' ? s.substr(1) : s;
  if (digits.empty() || digits.front() == '.' || digits.back() == '.') return false;
  for (char c : digits) {
    if ((c < '0' || c > '9') && c != '.') return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && out >= -bound && out <= bound;
}

}  // namespace

std::string MapConfig::CentreFor(std::string_view key) const {
  auto it = centres.find(key);
  return it == centres.end() ? std::string() : it->second;
}

std::string CheckTileTemplate(std::string_view url) {
  size_t host_start = 0;
  if (url.starts_with("https://")) {
    host_start = 8;
  } else if (url.starts_with("http://")) {
    host_start = 7;
  } else {
    return "it must start with https:// (or http://)";
  }
  if (url.find_first_of(" \t\r\n\"'<>;,\\`") != std::string_view::npos) {
    return "it must not contain spaces, quotes, '<', '>', ';', ',' or '\\'";
  }
  size_t host_end = url.find_first_of("/?#", host_start);
  if (host_end == std::string_view::npos || url[host_end] != '/') {
    return "it needs a path after the host, e.g. https://tiles.example.ps/{z}/{x}/{y}.png";
  }
  std::string_view host = url.substr(host_start, host_end - host_start);
  if (host.empty()) return "it names no host";
  for (char c : host) {
    if (!HostChar(c)) {
      return "the host must be written out (no placeholder such as {s}, no user name)";
    }
  }
  if (url.find('#') != std::string_view::npos) return "it must not contain a fragment ('#')";
  // Every placeholder is one Leaflet fills: {z}, {x}, {y} (all needed) and {r} (retina).
  int z = 0, x = 0, y = 0;
  for (size_t p = url.find('{'); p != std::string_view::npos; p = url.find('{', p + 1)) {
    std::string_view rest = url.substr(p);
    if (rest.starts_with("{z}")) {
      ++z;
    } else if (rest.starts_with("{x}")) {
      ++x;
    } else if (rest.starts_with("{y}")) {
      ++y;
    } else if (!rest.starts_with("{r}")) {
      return "it may use only the placeholders {z}, {x}, {y} and {r}";
    }
  }
  size_t closing = 0;
  for (char c : url) closing += c == '}';
  size_t opening = 0;
  for (char c : url) opening += c == '{';
  if (opening != closing) return "it has an unmatched '{' or '}'";
  if (z != 1 || x != 1 || y != 1) return "it needs each of {z}, {x} and {y} exactly once";
  return {};
}

std::string TileOrigin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  size_t host_end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, host_end));
}

std::string ParseCentres(std::string_view text,
                         std::map<std::string, std::string, std::less<>>* centres) {
  std::map<std::string, std::string, std::less<>> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = text.find_first_not_of(' ', pos);
    if (start == std::string_view::npos) break;
    size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    pos = end;
    size_t eq = item.find('=');
    size_t comma = item.find(',');
    if (eq == std::string_view::npos || comma == std::string_view::npos || comma < eq) {
      return "'" + std::string(item) + "' is not key=lat,lng";
    }
    std::string_view key = item.substr(0, eq);
    if (key.empty() || key.size() > 40) return "'" + std::string(item) + "' has no key";
    for (char c : key) {
      if (!KeyChar(c)) return "the key '" + std::string(key) + "' is not of [a-z0-9-]";
    }
    double lat = 0, lng = 0;
    if (!Decimal(item.substr(eq + 1, comma - eq - 1), 90, lat) ||
        !Decimal(item.substr(comma + 1), 180, lng)) {
      return "'" + std::string(item) +
             "' needs a latitude within ±90 and a longitude within ±180 (decimal degrees)";
    }
    if (out.count(key)) return "'" + std::string(key) + "' is given twice";
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.6f,%.6f", lat, lng);
    out.emplace(std::string(key), buf);
  }
  if (centres) *centres = std::move(out);
  return {};
}

}  // namespace baladiya::render
