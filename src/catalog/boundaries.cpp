#include "catalog/boundaries.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <span>

#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> CatalogDataFiles();

namespace baladiya::catalog {

namespace json = boost::json;

// ---- geometry ----------------------------------------------------------------------------------

namespace {

// Longitude is x, latitude y. Coordinates are degrees with at most a handful of decimals, so a
// tolerance far below a centimetre decides "on the edge" without misreading real points.
constexpr double kEpsilon = 1e-12;

bool OnSegment(LatLng a, LatLng b, LatLng p) {
  const double cross = (b.lng - a.lng) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lng - a.lng);
  if (std::fabs(cross) > kEpsilon) return false;
  return p.lng >= std::min(a.lng, b.lng) - kEpsilon && p.lng <= std::max(a.lng, b.lng) + kEpsilon &&
         p.lat >= std::min(a.lat, b.lat) - kEpsilon && p.lat <= std::max(a.lat, b.lat) + kEpsilon;
}

bool OnRingEdge(const Ring& ring, LatLng p) {
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    if (OnSegment(ring[i], ring[i + 1], p)) return true;
  }
  return false;
}

// Strictly inside by ray casting towards +longitude. Each edge is half-open in latitude (it
// counts when exactly one end lies above the point), so a ray through a vertex crosses the two
// edges meeting there once in all when they lie on both sides, and twice or never when on one.
bool StrictlyInside(const Ring& ring, LatLng p) {
  bool inside = false;
  for (size_t i = 0; i + 1 < ring.size(); ++i) {
    const LatLng a = ring[i];
    const LatLng b = ring[i + 1];
    if ((a.lat > p.lat) == (b.lat > p.lat)) continue;
    const double x = a.lng + (p.lat - a.lat) * (b.lng - a.lng) / (b.lat - a.lat);
    if (p.lng < x) inside = !inside;
  }
  return inside;
}

}  // namespace

bool InRing(const Ring& ring, LatLng p) {
  if (ring.size() < 4) return false;
  return OnRingEdge(ring, p) || StrictlyInside(ring, p);
}

bool InPolygon(const Polygon& polygon, LatLng p) {
  if (!InRing(polygon.outer, p)) return false;
  for (const Ring& hole : polygon.holes) {
    if (!OnRingEdge(hole, p) && StrictlyInside(hole, p)) return false;
  }
  return true;
}

bool InBoundary(const Boundary& boundary, LatLng p) {
  return std::any_of(boundary.polygons.begin(), boundary.polygons.end(),
                     [&](const Polygon& polygon) { return InPolygon(polygon, p); });
}

std::optional<LatLng> ParseLatLng(std::string_view answer) {
  const size_t comma = answer.find(',');
  if (comma == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s, double bound) -> std::optional<double> {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v) ||
        v < -bound || v > bound)
      return std::nullopt;
    return v;
  };
  auto lat = number(answer.substr(0, comma), 90);
  auto lng = number(answer.substr(comma + 1), 180);
  if (!lat || !lng) return std::nullopt;
  return LatLng{*lat, *lng};
}

// ---- GeoJSON -----------------------------------------------------------------------------------

namespace {

constexpr size_t kMaxPoints = 100'000;

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "boundaries.invalid", std::move(detail));
}

Result<Ring> ReadRing(const json::value& v, size_t& points) {
  if (!v.is_array()) return Invalid("a ring must be an array of positions");
  Ring ring;
  for (const json::value& pos : v.as_array()) {
    if (!pos.is_array() || pos.as_array().size() < 2)
      return Invalid("a position must be [longitude, latitude]");
    const json::array& a = pos.as_array();
    if (!a[0].is_number() || !a[1].is_number()) return Invalid("coordinates must be numbers");
    const double lng = a[0].to_number<double>();
    const double lat = a[1].to_number<double>();
    if (!std::isfinite(lng) || !std::isfinite(lat) || lng < -180 || lng > 180 || lat < -90 ||
        lat > 90)
      return Invalid("coordinates out of range (longitude -180..180, latitude -90..90)");
    if (++points > kMaxPoints) return Invalid("too many points (at most 100000)");
    ring.push_back({lat, lng});
  }
  if (ring.size() < 4) return Invalid("a ring needs at least 4 positions");
  if (ring.front().lat != ring.back().lat || ring.front().lng != ring.back().lng)
    return Invalid("a ring must be closed (its last position equal to its first)");
  return ring;
}

Result<Polygon> ReadPolygon(const json::value& v, size_t& points) {
  if (!v.is_array() || v.as_array().empty())
    return Invalid("a polygon must be a non-empty array of rings");
  Polygon polygon;
  bool first = true;
  for (const json::value& r : v.as_array()) {
    auto ring = ReadRing(r, points);
    if (!ring.ok()) return std::move(ring).error();
    if (first) {
      polygon.outer = std::move(*ring);
      first = false;
    } else {
      polygon.holes.push_back(std::move(*ring));
    }
  }
  return polygon;
}

Result<Boundary> ReadGeometry(const json::value& g) {
  if (!g.is_object()) return Invalid("the geometry must be an object");
  const json::value* type = g.as_object().if_contains("type");
  const json::value* coordinates = g.as_object().if_contains("coordinates");
  if (!type || !type->is_string() || !coordinates)
    return Invalid("the geometry needs a type and coordinates");
  Boundary b;
  size_t points = 0;
  if (type->as_string() == "Polygon") {
    auto p = ReadPolygon(*coordinates, points);
    if (!p.ok()) return std::move(p).error();
    b.polygons.push_back(std::move(*p));
  } else if (type->as_string() == "MultiPolygon") {
    if (!coordinates->is_array() || coordinates->as_array().empty())
      return Invalid("a MultiPolygon needs at least one polygon");
    for (const json::value& pv : coordinates->as_array()) {
      auto p = ReadPolygon(pv, points);
      if (!p.ok()) return std::move(p).error();
      b.polygons.push_back(std::move(*p));
    }
  } else {
    return Invalid("the geometry must be a Polygon or a MultiPolygon");
  }
  return b;
}

std::string PropertyText(const json::object& feature, const char* name) {
  const json::value* props = feature.if_contains("properties");
  if (!props || !props->is_object()) return "";
  const json::value* v = props->as_object().if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

Result<Boundary> ReadFeature(const json::object& feature) {
  const json::value* geometry = feature.if_contains("geometry");
  if (!geometry) return Invalid("the feature has no geometry");
  auto b = ReadGeometry(*geometry);
  if (!b.ok()) return b;
  b->area = {PropertyText(feature, "name_ar"), PropertyText(feature, "name_en")};
  return b;
}

// Shortest text that reads back as the same double ("35.17", not boost::json's "3.517E1").
void AppendNumber(std::string& out, double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, ec == std::errc() ? end : buf);
}

void AppendRing(std::string& out, const Ring& ring) {
  out += '[';
  for (size_t i = 0; i < ring.size(); ++i) {
    out += i ? ",[" : "[";
    AppendNumber(out, ring[i].lng);
    out += ',';
    AppendNumber(out, ring[i].lat);
    out += ']';
  }
  out += ']';
}

void AppendPolygon(std::string& out, const Polygon& polygon) {
  out += '[';
  AppendRing(out, polygon.outer);
  for (const Ring& hole : polygon.holes) {
    out += ',';
    AppendRing(out, hole);
  }
  out += ']';
}

}  // namespace

Result<Boundary> ParseGeoJson(std::string_view text) {
  json::error_code ec;
  json::parse_options opts;
  opts.max_depth = 8;
  json::value v = json::parse(text, ec, {}, opts);
  if (ec || !v.is_object()) return Invalid("not a GeoJSON object");
  const json::object& o = v.as_object();
  const json::value* type = o.if_contains("type");
  if (!type || !type->is_string()) return Invalid("not a GeoJSON object (no type)");
  if (type->as_string() == "Feature") return ReadFeature(o);
  if (type->as_string() == "FeatureCollection") {
    const json::value* features = o.if_contains("features");
    if (!features || !features->is_array() || features->as_array().size() != 1 ||
        !features->as_array()[0].is_object())
      return Invalid("a FeatureCollection must hold exactly one feature");
    return ReadFeature(features->as_array()[0].as_object());
  }
  return ReadGeometry(v);
}

std::string ToGeoJson(const Boundary& boundary) {
  std::string out;
  if (boundary.polygons.size() == 1) {
    out = R"({"type":"Polygon","coordinates":)";
    AppendPolygon(out, boundary.polygons[0]);
  } else {
    out = R"({"type":"MultiPolygon","coordinates":[)";
    for (size_t i = 0; i < boundary.polygons.size(); ++i) {
      if (i) out += ',';
      AppendPolygon(out, boundary.polygons[i]);
    }
    out += ']';
  }
  return out + "}";
}

// ---- the store ---------------------------------------------------------------------------------

Result<std::shared_ptr<const BoundaryStore::Snapshot>> BoundaryStore::Current() const {
  {
    std::lock_guard lock(mu_);
    if (snapshot_ && snapshot_->edition == CatalogEdition() &&
        std::chrono::steady_clock::now() - snapshot_->loaded_at < max_age_) {
      return snapshot_;
    }
  }
  auto fresh = std::make_shared<Snapshot>();
  // Taken before reading: a change committed meanwhile makes the snapshot stale at once.
  fresh->edition = CatalogEdition();
  fresh->loaded_at = std::chrono::steady_clock::now();
  auto rows = db_.Query(
      "SELECT municipality_id, area_ar, area_en, geojson FROM municipality_boundaries "
      "ORDER BY municipality_id");
  if (!rows.ok()) return std::move(rows).error();
  for (const auto& r : *rows) {
    auto b = ParseGeoJson(r.Text(3));
    if (!b.ok()) continue;  // checked when stored; a row edited by hand is skipped, not fatal
    Entry e;
    e.municipality_id = r.Int(0);
    e.boundary = std::move(*b);
    e.boundary.area = {r.Text(1), r.Text(2)};
    e.min_lat = e.min_lng = 1e9;
    e.max_lat = e.max_lng = -1e9;
    for (const Polygon& p : e.boundary.polygons) {
      for (const LatLng& v : p.outer) {
        e.min_lat = std::min(e.min_lat, v.lat);
        e.max_lat = std::max(e.max_lat, v.lat);
        e.min_lng = std::min(e.min_lng, v.lng);
        e.max_lng = std::max(e.max_lng, v.lng);
      }
    }
    fresh->entries.push_back(std::move(e));
  }
  std::lock_guard lock(mu_);
  snapshot_ = std::move(fresh);
  return snapshot_;
}

Result<int64_t> BoundaryStore::MunicipalityAt(LatLng p) const {
  auto snap = Current();
  if (!snap.ok()) return std::move(snap).error();
  for (const Entry& e : (*snap)->entries) {
    if (p.lat < e.min_lat || p.lat > e.max_lat || p.lng < e.min_lng || p.lng > e.max_lng) continue;
    if (InBoundary(e.boundary, p)) return e.municipality_id;
  }
  return int64_t{0};
}

Result<bool> BoundaryStore::Contains(int64_t municipality_id, LatLng p) const {
  auto snap = Current();
  if (!snap.ok()) return std::move(snap).error();
  for (const Entry& e : (*snap)->entries) {
    if (e.municipality_id == municipality_id) return InBoundary(e.boundary, p);
  }
  return false;
}

Result<Boundary> BoundaryStore::Get(int64_t municipality_id) const {
  auto snap = Current();
  if (!snap.ok()) return std::move(snap).error();
  for (const Entry& e : (*snap)->entries) {
    if (e.municipality_id == municipality_id) return e.boundary;
  }
  return MakeError(ErrorCode::kNotFound, "error.not_found");
}

Status BoundaryStore::Set(int64_t municipality_id, const Boundary& boundary, int64_t now_ms,
                          const std::function<Status(db::Tx&)>& in_tx) {
  if (boundary.polygons.empty()) return Invalid("a boundary needs at least one polygon");
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO municipality_boundaries (municipality_id, area_ar, area_en, geojson, "
        "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (municipality_id) DO UPDATE SET "
        "area_ar = excluded.area_ar, area_en = excluded.area_en, geojson = excluded.geojson, "
        "updated_at = excluded.updated_at",
        {municipality_id, boundary.area.ar, boundary.area.en, ToGeoJson(boundary), now_ms});
    if (!n.ok()) return std::move(n).error();
    return in_tx ? in_tx(tx) : Ok();
  });
  NoteCatalogChange();
  return s;
}

Result<int> SeedDemoBoundaries(db::Database& db, int64_t now_ms) {
  std::string_view text;
  for (const auto& f : CatalogDataFiles()) {
    if (f.name == "demo-boundaries.json") text = f.data;
  }
  if (text.empty()) return MakeError(ErrorCode::kInternal, "error.internal", "no demo boundaries");
  json::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object() || !doc.as_object().contains("features"))
    return MakeError(ErrorCode::kInternal, "error.internal", "demo-boundaries.json is malformed");
  TenancyStore tenancy(db);
  BoundaryStore store(db);
  int written = 0;
  for (const json::value& f : doc.at("features").as_array()) {
    const std::string slug = PropertyText(f.as_object(), "slug");
    auto m = tenancy.FindMunicipality(slug);
    if (!m.ok()) continue;
    auto b = ReadFeature(f.as_object());
    if (!b.ok()) return std::move(b).error();
    if (Status s = store.Set(m->id, *b, now_ms); !s.ok()) return s.error();
    ++written;
  }
  return written;
}

// ---- routing reports ---------------------------------------------------------------------------

std::string LocationAnswer(const Service& service, const Answers& answers) {
  for (const auto& page : service.form.pages) {
    for (const auto& f : page.fields) {
      if (f.type != FieldType::kLocation) continue;
      auto it = answers.find(f.name);
      return it == answers.end() || it->second.empty() ? "" : it->second.front();
    }
  }
  return "";
}

Result<Service> MatchingReportService(ServiceStore& services, int64_t to, const Service& from,
                                      std::string_view channel) {
  auto fits = [&](const Service& s) {
    return s.kind == ServiceKind::kReport && s.published && (channel.empty() || s.Offers(channel));
  };
  auto same_code = services.Find(to, from.code);
  if (same_code.ok() && fits(*same_code)) return *same_code;
  if (!same_code.ok() && same_code.error().code != ErrorCode::kNotFound)
    return std::move(same_code).error();
  auto list = services.List(to, true);
  if (!list.ok()) return std::move(list).error();
  const Service* only = nullptr;
  for (const Service& s : *list) {
    if (!fits(s) || s.category != from.category) continue;
    if (only) return MakeError(ErrorCode::kNotFound, "error.not_found", "several candidates");
    only = &s;
  }
  if (!only) return MakeError(ErrorCode::kNotFound, "error.not_found", "no matching service");
  return *only;
}

Result<std::optional<ReportRoute>> RouteReport(const TenancyStore& tenancy,
                                               const BoundaryStore& boundaries,
                                               ServiceStore& services, const Service& filed,
                                               const Answers& answers, std::string_view channel) {
  if (filed.kind != ServiceKind::kReport) return std::optional<ReportRoute>();
  // Normalised as the submission will store it (digits folded, spaces dropped); other answers'
  // problems are the submission's to report.
  Answers normalised = answers;
  (void)ValidateAnswers(filed.form, -1, normalised);
  auto point = ParseLatLng(LocationAnswer(filed, normalised));
  if (!point) return std::optional<ReportRoute>();
  auto own = boundaries.Contains(filed.municipality_id, *point);
  if (!own.ok()) return std::move(own).error();
  if (*own) return std::optional<ReportRoute>();
  auto at = boundaries.MunicipalityAt(*point);
  if (!at.ok()) return std::move(at).error();
  if (*at == 0 || *at == filed.municipality_id) return std::optional<ReportRoute>();
  auto service = MatchingReportService(services, *at, filed, channel);
  if (!service.ok()) {
    if (service.error().code == ErrorCode::kNotFound) return std::optional<ReportRoute>();
    return std::move(service).error();
  }
  auto list = tenancy.ListMunicipalities();
  if (!list.ok()) return std::move(list).error();
  for (const Municipality& m : *list) {
    if (m.id != *at) continue;
    auto boundary = boundaries.Get(m.id);
    Text area = boundary.ok() ? boundary->area : Text{};
    if (!area.Complete()) area = m.name;
    return std::optional<ReportRoute>(ReportRoute{m, std::move(*service), std::move(area)});
  }
  return std::optional<ReportRoute>();
}

}  // namespace baladiya::catalog
