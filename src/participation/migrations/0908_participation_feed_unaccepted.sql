-- participation's feed also says when an accepted recommendation is revised to rejected
-- ('rec_unaccepted', ref "<token>#<n>" for its n-th time; accepting it again is 'rec_accepted'
-- "<token>#<n>"), so that the KPI ledger counts as accepted only what is accepted now. The kind's
-- CHECK gains the new kind (SQLite: by copying the table, whose positions are kept).
-- @postgresql
ALTER TABLE participation_feed DROP CONSTRAINT participation_feed_kind_check;
ALTER TABLE participation_feed ADD CONSTRAINT participation_feed_kind_check
  CHECK (kind IN ('participant', 'rec_accepted', 'rec_unaccepted', 'rec_done', 'rec_overdue'));
-- @sqlite
CREATE TABLE participation_feed_new (
  position INTEGER PRIMARY KEY,
  municipality_id BIGINT NOT NULL,
  kind TEXT NOT NULL
    CHECK (kind IN ('participant', 'rec_accepted', 'rec_unaccepted', 'rec_done', 'rec_overdue')),
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (kind, ref)
);
INSERT INTO participation_feed_new (position, municipality_id, kind, ref, at)
  SELECT position, municipality_id, kind, ref, at FROM participation_feed;
DROP TABLE participation_feed;
ALTER TABLE participation_feed_new RENAME TO participation_feed;
