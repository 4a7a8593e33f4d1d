// Municipal boundaries: each municipality's area as a polygon (or several), the point-in-polygon
// test, and which municipality a point lies in. Reports are routed by it (RouteReport): a report
// filed with one municipality at a point inside another's boundary goes to that municipality.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/services.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::catalog {

struct LatLng {
  double lat = 0;
  double lng = 0;
};

// A closed ring: the first point is repeated as the last.
using Ring = std::vector<LatLng>;

// An area: the outer ring, less its holes.
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

// A municipality's area: one polygon or several (GeoJSON Polygon / MultiPolygon).
struct Boundary {
  std::vector<Polygon> polygons;
  Text area;  // the place's name ("Nablus"); empty: the municipality's name is used
};

// True when p is inside the ring or on its edge (a point on an edge or a vertex counts as
// inside, so that a point on the line between two municipalities belongs to one of them, not to
// neither). Ray casting with half-open edges, so that a ray through a vertex counts it once.
bool InRing(const Ring& ring, LatLng p);
// Inside the outer ring and not strictly inside a hole (a hole's edge belongs to the polygon).
bool InPolygon(const Polygon& polygon, LatLng p);
bool InBoundary(const Boundary& boundary, LatLng p);

// A location answer ("31.53,35.09", as catalog::ValidateAnswers normalises it) as a point;
// nullopt for text (an address or landmark) or coordinates out of range.
std::optional<LatLng> ParseLatLng(std::string_view answer);

// Reads a GeoJSON Polygon or MultiPolygon, bare or as the geometry of a Feature (whose optional
// properties name_ar and name_en name the area) or of a FeatureCollection's only feature.
// Checked: every ring closed (last point = first), at least 4 points, longitudes in -180..180,
// latitudes in -90..90, at most 100,000 points in all. kInvalid "boundaries.invalid" with the
// reason in the detail (English: it is for the operator's command line).
Result<Boundary> ParseGeoJson(std::string_view text);
// The geometry as a GeoJSON Polygon (one polygon) or MultiPolygon.
std::string ToGeoJson(const Boundary& boundary);

// Reads and writes boundaries (table municipality_boundaries, one row per municipality).
// Thread-safe. MunicipalityAt answers from a snapshot of every boundary, reloaded after any
// catalogue change of this process (CatalogEdition) and at least every max_age.
class BoundaryStore {
 public:
  explicit BoundaryStore(db::Database& db,
                         std::chrono::milliseconds max_age = std::chrono::seconds(5))
      : db_(db), max_age_(max_age) {}

  // The municipality whose boundary contains the point (the one with the lowest id when
  // boundaries overlap), or 0 when none does.
  Result<int64_t> MunicipalityAt(LatLng p) const;
  // True when the municipality's boundary contains the point; false also when it has none.
  Result<bool> Contains(int64_t municipality_id, LatLng p) const;
  // The municipality's boundary; kNotFound when it has none.
  Result<Boundary> Get(int64_t municipality_id) const;

  // Sets (inserts or replaces) the municipality's boundary. kInvalid when it has no polygon.
  // in_tx (optional) runs in the same transaction (the audit entry).
  Status Set(int64_t municipality_id, const Boundary& boundary, int64_t now_ms,
             const std::function<Status(db::Tx&)>& in_tx = {});

 private:
  struct Entry {
    int64_t municipality_id = 0;
    Boundary boundary;
    double min_lat = 0, max_lat = 0, min_lng = 0, max_lng = 0;  // the bounding box
  };
  struct Snapshot {
    std::vector<Entry> entries;  // by municipality id
    uint64_t edition = 0;
    std::chrono::steady_clock::time_point loaded_at;
  };
  Result<std::shared_ptr<const Snapshot>> Current() const;

  db::Database& db_;
  std::chrono::milliseconds max_age_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Snapshot> snapshot_;  // guarded by mu_
};

// The demo boundaries (src/catalog/data/demo-boundaries.json: approximate extents of Hebron,
// Nablus and Ramallah, not official ones) for those of the demo municipalities that exist.
// Idempotent. Returns the boundaries written.
Result<int> SeedDemoBoundaries(db::Database& db, int64_t now_ms);

// Where a report goes when its location lies in another municipality's area.
struct ReportRoute {
  Municipality municipality;  // where it goes
  Service service;            // that municipality's matching report service
  Text area;                  // the area's name (the boundary's, else the municipality's)
};

// The route of a report of `filed` (a report service) with these answers, filed on
// `channel`: when its location field holds coordinates outside the boundary of the service's
// municipality and inside another municipality's, that municipality's matching report service:
// published, offering the channel, and with the same code; failing that, its only published
// report service of the same category. nullopt (the report stays where it was filed) for an
// application, an address in words, a point in no other municipality's boundary or inside the
// filed municipality's own, or when the other municipality has no matching service.
Result<std::optional<ReportRoute>> RouteReport(const TenancyStore& tenancy,
                                               const BoundaryStore& boundaries,
                                               ServiceStore& services, const Service& filed,
                                               const Answers& answers, std::string_view channel);

// The report service of municipality `to` that matches `from` (the rule of RouteReport, on
// `channel`; empty channel: any), for staff moving a report there. kNotFound when there is none.
Result<Service> MatchingReportService(ServiceStore& services, int64_t to, const Service& from,
                                      std::string_view channel);

// The location answer of a report (its first location field's value), or empty.
std::string LocationAnswer(const Service& service, const Answers& answers);

}  // namespace baladiya::catalog
