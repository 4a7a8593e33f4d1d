-- Each municipality's area: a GeoJSON Polygon or MultiPolygon (longitude, latitude; rings closed,
-- holes after the outer ring), checked when stored (catalog::ParseGeoJson). Reports filed with one
-- municipality at a point inside another's area go to that one (catalog::RouteReport). area_ar /
-- area_en name the place ("Nablus"); empty: the municipality's name is shown.
CREATE TABLE municipality_boundaries (
  municipality_id BIGINT PRIMARY KEY REFERENCES municipalities(id),
  area_ar TEXT NOT NULL DEFAULT '',
  area_en TEXT NOT NULL DEFAULT '',
  geojson TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
