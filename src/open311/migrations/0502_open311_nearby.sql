-- Coordinates of the public record as whole micro-degrees, for "open reports of this service
-- near this point" (the 50 m duplicate check): NULL when the report has no coordinates (an
-- address or landmark instead). lat and lng stay the published text.
ALTER TABLE open311_requests ADD COLUMN lat_e6 BIGINT;
ALTER TABLE open311_requests ADD COLUMN lng_e6 BIGINT;
-- The records written before this migration that have coordinates.
UPDATE open311_requests
  SET lat_e6 = CAST(ROUND(CAST(lat AS DOUBLE PRECISION) * 1000000) AS BIGINT),
      lng_e6 = CAST(ROUND(CAST(lng AS DOUBLE PRECISION) * 1000000) AS BIGINT)
  WHERE lat <> '' AND lng <> '';
-- A municipality's open reports of one service inside a band of latitude, read in index order
-- (the longitude bound is checked on the rows of the band).
CREATE INDEX open311_requests_nearby
  ON open311_requests (municipality_id, service_id, closed, lat_e6, lng_e6);
