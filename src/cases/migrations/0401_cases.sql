-- Applications and reports: drafts, cases, their events, attachments and ratings.
--
-- Answers are sealed (XChaCha20-Poly1305 under a key derived from the master key, AD
-- "draft:<id>" / "case:<tracking>"): forms hold personal data (national IDs, phones, addresses).
-- version is the optimistic-concurrency counter: every change of a case raises it, and a change
-- made against an older version is refused as a conflict.
CREATE TABLE case_counters (
  prefix TEXT NOT NULL,
  year INTEGER NOT NULL,
  next BIGINT NOT NULL,
  PRIMARY KEY (prefix, year)
);

CREATE TABLE case_drafts (
  id ${ID},
  account_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  filed_by BIGINT NOT NULL DEFAULT 0,
  answers ${BLOB},
  page INTEGER NOT NULL DEFAULT 0,
  case_id BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX case_drafts_by_account ON case_drafts (account_id, id);

CREATE TABLE cases (
  id ${ID},
  tracking TEXT NOT NULL UNIQUE,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  applicant_id BIGINT NOT NULL,
  applicant_lang TEXT NOT NULL DEFAULT 'ar',
  channel TEXT NOT NULL CHECK (channel IN ('web', 'api', 'counter', 'phone')),
  filed_by BIGINT NOT NULL DEFAULT 0,
  draft_id BIGINT,
  idempotency_key TEXT,
  state TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  answers ${BLOB} NOT NULL,
  fee_minor BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'ILS',
  assigned_to BIGINT NOT NULL DEFAULT 0,
  submitted_at BIGINT NOT NULL,
  state_entered_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  paused_at BIGINT NOT NULL DEFAULT 0,
  closed_at BIGINT NOT NULL DEFAULT 0,
  escalated INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
-- The queues (open cases of some departments, soonest due first, and their count; other filters
-- are checked on the rows this narrows down to). Every index costs each submission its pages,
-- so there are few: escalation (once a minute) scans instead.
CREATE INDEX cases_open_by_due ON cases (municipality_id, department_id, closed_at, due_at);
-- One case per draft and per (applicant, idempotency key); partial, so the many cases without
-- either cost no index pages.
CREATE UNIQUE INDEX cases_by_draft ON cases (draft_id) WHERE draft_id IS NOT NULL;
CREATE UNIQUE INDEX cases_by_idempotency_key ON cases (idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX cases_by_applicant ON cases (applicant_id, submitted_at);

-- Every step of a case: kind is submitted, transition, note, assigned, escalated, reopened or
-- rated; channel and actor say who acted and how, so take-up, completion time and SLA
-- compliance can be computed from events alone.
CREATE TABLE case_events (
  id ${ID},
  case_id BIGINT NOT NULL REFERENCES cases (id),
  municipality_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL,
  actor_role TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  internal INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);
CREATE INDEX case_events_by_time ON case_events (municipality_id, at);

-- Uploaded files (PDF, JPEG, PNG; the type is read from the content, never the name), first
-- attached to a draft, then to the case it becomes. content is sealed like the answers
-- (AD "file:<id>"); sha256 is of the plain bytes.
CREATE TABLE case_attachments (
  id ${ID},
  draft_id BIGINT NOT NULL DEFAULT 0,
  case_id BIGINT NOT NULL DEFAULT 0,
  account_id BIGINT NOT NULL,
  field TEXT NOT NULL,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  content ${BLOB} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX case_attachments_by_draft ON case_attachments (draft_id);
CREATE INDEX case_attachments_by_case ON case_attachments (case_id);

-- The applicant's satisfaction after the final state: 1 (very dissatisfied) to 5 (very
-- satisfied), once per case, with an optional comment.
CREATE TABLE case_ratings (
  case_id BIGINT PRIMARY KEY REFERENCES cases (id),
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
