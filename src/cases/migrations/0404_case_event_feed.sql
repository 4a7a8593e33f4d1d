-- The event feed (CaseStore::Feed) that readers such as the KPI ledger follow by position: each
-- event records the service and department the case had when it happened (a transfer moves a
-- case to another municipality's service and department; its earlier events keep theirs). Events
-- written before this migration take the case's current ones.
ALTER TABLE case_events ADD COLUMN service_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_events ADD COLUMN department_id BIGINT NOT NULL DEFAULT 0;
UPDATE case_events SET
  service_id = (SELECT cases.service_id FROM cases WHERE cases.id = case_events.case_id),
  department_id = (SELECT cases.department_id FROM cases WHERE cases.id = case_events.case_id);
