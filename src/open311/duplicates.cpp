// DuplicateCheck (web.h): the public record of reports as cases' pages see their neighbours.
#include "open311/web.h"

namespace baladiya::open311 {

cases::NearbyFinder DuplicateCheck(Store& store) {
  return [&store](const catalog::Service& service, const std::string& location,
                  int64_t exclude_case_id) -> Result<std::vector<cases::NearbyReport>> {
    std::vector<cases::NearbyReport> out;
    double lat = 0, lng = 0;
    if (!ParseCoordinates(location, lat, lng)) return out;  // an address or a landmark
    auto found = store.Nearby(service.municipality_id, service.id, lat, lng, kDuplicateRadiusMetres,
                              kDuplicateLimit, exclude_case_id);
    if (!found.ok()) return std::move(found).error();
    for (const NearbyRequest& n : *found) {
      out.push_back({n.request.tracking, n.request.state, n.request.requested_at,
                     n.request.description, n.distance_m});
    }
    return out;
  };
}

}  // namespace baladiya::open311
