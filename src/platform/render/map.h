// The optional map (Leaflet, web/static/map.js) that pages add as progressive enhancement: a
// picker beside location fields and maps of points. It exists only when a tile server is
// configured; without one (or without JavaScript) pages are exactly as they are without it.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace baladiya::render {

struct MapConfig {
  // "https://tiles.example.ps/{z}/{x}/{y}.png" (CheckTileTemplate); empty: no map anywhere.
  std::string tiles_url;
  std::string attribution;  // shown as plain text under every map
  // Where a map opens, by key (a municipality's slug): "lat,lng" with 6 decimals.
  std::map<std::string, std::string, std::less<>> centres;

  bool enabled() const { return !tiles_url.empty(); }
  // The centre for key, or "" (the script then shows the whole region).
  std::string CentreFor(std::string_view key) const;
};

// Empty when url is a tile URL template Leaflet can use and a CSP can name: http(s), a literal
// host (and port), {z}, {x} and {y} in the path or query, {r} allowed, no other placeholder,
// no spaces, quotes, ';' or ','. Otherwise an English clause saying what is wrong ("it needs
// ...", for the start-up error).
std::string CheckTileTemplate(std::string_view url);

// "https://tiles.example.ps:8443" for a template that passed CheckTileTemplate.
std::string TileOrigin(std::string_view url);

// Parses "key=lat,lng key=lat,lng" (separated by spaces; keys of [a-z0-9-]; latitude within
// ±90, longitude within ±180) into centres with 6 decimals. Returns "" when valid, else what is
// wrong.
std::string ParseCentres(std::string_view text,
                         std::map<std::string, std::string, std::less<>>* centres);

}  // namespace baladiya::render
