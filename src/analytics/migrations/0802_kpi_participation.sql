-- Participation's figures in the ledger, folded from participation's event feed (joined in the
-- shell): per municipality, UTC day and kind ("participant", "rec_accepted", "rec_done",
-- "rec_overdue"), how many facts the feed recorded.
INSERT INTO kpi_cursors (feed, position, updated_at) VALUES ('participation', 0, 0);

CREATE TABLE kpi_participation (
  municipality_id BIGINT NOT NULL,
  day BIGINT NOT NULL,
  kind TEXT NOT NULL,
  n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, day, kind)
);
