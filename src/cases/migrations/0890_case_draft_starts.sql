-- Every draft begun, kept when the draft itself is deleted (abandoned, or replaced by following
-- an open report): the "applications started" that the KPI ledger counts against those submitted
-- (CaseStore::DraftFeed). No personal data: where, which service, which channel, when.
CREATE TABLE case_draft_starts (
  id ${ID},
  draft_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  at BIGINT NOT NULL
);
