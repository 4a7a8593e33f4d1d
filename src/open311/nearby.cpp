// Store::Nearby and the place helpers (open311.h): which open reports of a service lie within a
// few tens of metres of a point. A bounding box on the integer micro-degree columns narrows the
// rows in SQL (index open311_requests_nearby); the exact great-circle distance decides in C++.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include "open311/open311.h"
#include "open311/store_internal.h"

namespace baladiya::open311 {
namespace {

constexpr double kEarthRadiusMetres = 6'371'008.8;  // the mean radius (IUGG)
// Rows read from the box at most: the box around 50 m holds far fewer open reports of one service
// in any real town; a bound keeps a flood of them from costing more than a page.
constexpr int64_t kMaxCandidates = 500;

bool Decimal(std::string_view text, double bound, double& out) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(out) &&
         out >= -bound && out <= bound;
}

double Radians(double degrees) { return degrees * std::numbers::pi / 180; }

}  // namespace

bool ParseCoordinates(std::string_view text, double& lat, double& lng) {
  const size_t comma = text.find(',');
  if (comma == std::string_view::npos || text.find(',', comma + 1) != std::string_view::npos)
    return false;
  double a = 0, b = 0;
  if (!Decimal(text.substr(0, comma), 90, a) || !Decimal(text.substr(comma + 1), 180, b))
    return false;
  lat = a;
  lng = b;
  return true;
}

int64_t MicroDegrees(double degrees) { return std::llround(degrees * 1e6); }

double DistanceMetres(double lat1, double lng1, double lat2, double lng2) {
  const double dlat = Radians(lat2 - lat1);
  const double dlng = Radians(lng2 - lng1);
  const double h =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadiusMetres * std::asin(std::min(1.0, std::sqrt(h)));
}

Result<std::vector<NearbyRequest>> Store::Nearby(int64_t municipality_id, int64_t service_id,
                                                 double lat, double lng, double radius_m, int limit,
                                                 int64_t exclude_case_id) {
  if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180) ||
      !(radius_m > 0 && radius_m <= 1000) || limit < 1) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "bad point or radius");
  }
  // The box: the radius as degrees of latitude, and as degrees of longitude at the parallel
  // nearest the pole the box reaches (a degree of longitude shrinks with cos(latitude)), with a
  // margin of a micro-degree for rounding. Near a pole it spans every longitude.
  const double dlat = radius_m / kEarthRadiusMetres * 180 / std::numbers::pi;
  const double widest = std::min(90.0, std::abs(lat) + dlat);
  const double cos_widest = std::cos(Radians(widest));
  const double dlng = cos_widest < 1e-6 ? 360 : std::min(360.0, dlat / cos_widest);
  const int64_t lat_lo = MicroDegrees(lat - dlat) - 1, lat_hi = MicroDegrees(lat + dlat) + 1;
  const int64_t lng_lo = MicroDegrees(lng - dlng) - 1, lng_hi = MicroDegrees(lng + dlng) + 1;
  auto rows = db_.Query(
      "SELECT " + std::string(internal::kRequestColumns) +
          ", lat_e6, lng_e6 FROM open311_requests WHERE municipality_id = ? AND service_id = ? AND "
          "closed = 0 AND lat_e6 >= ? AND lat_e6 <= ? AND lng_e6 >= ? AND lng_e6 <= ? AND case_id "
          "<> ? LIMIT ?",
      {municipality_id, service_id, lat_lo, lat_hi, lng_lo, lng_hi, exclude_case_id,
       kMaxCandidates});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<NearbyRequest> out;
  for (const auto& r : *rows) {
    const double d = DistanceMetres(lat, lng, static_cast<double>(r.Int(17)) / 1e6,
                                    static_cast<double>(r.Int(18)) / 1e6);
    if (d > radius_m) continue;
    NearbyRequest n;
    n.request = internal::ReadRequest(r);
    n.distance_m = d;
    out.push_back(std::move(n));
  }
  std::sort(out.begin(), out.end(), [](const NearbyRequest& a, const NearbyRequest& b) {
    return a.distance_m != b.distance_m ? a.distance_m < b.distance_m
                                        : a.request.case_id < b.request.case_id;
  });
  if (std::ssize(out) > limit) out.resize(static_cast<size_t>(limit));
  return out;
}

}  // namespace baladiya::open311
