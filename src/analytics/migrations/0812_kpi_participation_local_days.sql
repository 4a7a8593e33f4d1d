-- Participation's facts are counted on the municipality's local days (they were UTC days): the
-- counts are forgotten and the feed is read again from its beginning by the next fold.
DELETE FROM kpi_participation;
DELETE FROM kpi_seen WHERE feed = 'participation';
UPDATE kpi_cursors SET position = 0 WHERE feed = 'participation';
