-- participation's event feed (Store::Feed), read by the KPI ledger: a person taking part in a
-- process for the first time (proposal, support, comment, ballot or meeting registration; counted
-- once per process by participation_participants), and a recommendation accepted (fully or
-- partly, the first time), done (every milestone done) or overdue (a milestone flagged). Each
-- fact once: UNIQUE (kind, ref). position increases; on PostgreSQL it may commit out of order,
-- as cases' feed does.
CREATE TABLE participation_feed (
  position ${ID},
  municipality_id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('participant', 'rec_accepted', 'rec_done', 'rec_overdue')),
  ref TEXT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (kind, ref)
);

CREATE TABLE participation_participants (
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  account_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (process_id, account_id)
);
