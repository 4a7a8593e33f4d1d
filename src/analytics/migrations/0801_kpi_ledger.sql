-- The KPI ledger (analytics.h): figures computed from the case event feed and the feed of drafts
-- begun, never from the cases' own tables. Every row of kpi_daily, kpi_monthly and
-- kpi_durations is the sum of what each case (kpi_cases, the ledger's own record of a case as
-- its events describe it) and each draft contributes, so a fold is a set of additions and the
-- same events give the same figures in any order across cases (see Ledger::Fold).

-- Where each feed has been read to. position: every position at or below it has been folded
-- (or was a gap old enough to be a rolled-back transaction); kpi_seen holds the positions above
-- it already folded (PostgreSQL may commit a lower position after a higher one was read).
CREATE TABLE kpi_cursors (
  feed TEXT PRIMARY KEY,
  position BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL DEFAULT 0
);
INSERT INTO kpi_cursors (feed, position, updated_at) VALUES ('cases', 0, 0);
INSERT INTO kpi_cursors (feed, position, updated_at) VALUES ('drafts', 0, 0);

CREATE TABLE kpi_seen (
  feed TEXT NOT NULL,
  position BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (feed, position)
);

-- A case as its events describe it (no personal data: no applicant, no answers, no actor).
-- Days are civil days (1970-01-01 = 0) in the municipality's calendar's time zone.
CREATE TABLE kpi_cases (
  case_id BIGINT PRIMARY KEY,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  is_report INTEGER NOT NULL DEFAULT 0,
  draft_day BIGINT NOT NULL DEFAULT -1,          -- -1: filed without a draft
  draft_municipality_id BIGINT NOT NULL DEFAULT 0,
  draft_service_id BIGINT NOT NULL DEFAULT 0,
  submitted_at BIGINT NOT NULL,
  state TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',              -- '' open, completed, rejected, merged
  closed_at BIGINT NOT NULL DEFAULT 0,
  paused_since BIGINT NOT NULL DEFAULT 0,        -- waiting for the applicant since
  paused_days INTEGER NOT NULL DEFAULT 0,        -- working days waited for the applicant
  due_at BIGINT NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0,
  reopened_at BIGINT NOT NULL DEFAULT 0,
  score INTEGER NOT NULL DEFAULT 0,
  rated_at BIGINT NOT NULL DEFAULT 0,
  is_open INTEGER NOT NULL DEFAULT 1
);
-- Backlog and cases past their SLA now: the open cases of a municipality by due date.
CREATE INDEX kpi_cases_open ON kpi_cases (municipality_id, service_id, due_at) WHERE is_open = 1;

-- The counts by municipality, service, channel and period: a day (kpi_daily.day) or a month
-- (kpi_monthly.month = year * 100 + month), the same additions applied to both.
CREATE TABLE kpi_daily (
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  day BIGINT NOT NULL,
  started BIGINT NOT NULL DEFAULT 0,
  submitted BIGINT NOT NULL DEFAULT 0,
  completed BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  merged BIGINT NOT NULL DEFAULT 0,
  within_sla BIGINT NOT NULL DEFAULT 0,
  reopened BIGINT NOT NULL DEFAULT 0,
  rated BIGINT NOT NULL DEFAULT 0,
  score1 BIGINT NOT NULL DEFAULT 0,
  score2 BIGINT NOT NULL DEFAULT 0,
  score3 BIGINT NOT NULL DEFAULT 0,
  score4 BIGINT NOT NULL DEFAULT 0,
  score5 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, service_id, channel, day)
);
CREATE TABLE kpi_monthly (
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  month BIGINT NOT NULL,
  started BIGINT NOT NULL DEFAULT 0,
  submitted BIGINT NOT NULL DEFAULT 0,
  completed BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  merged BIGINT NOT NULL DEFAULT 0,
  within_sla BIGINT NOT NULL DEFAULT 0,
  reopened BIGINT NOT NULL DEFAULT 0,
  rated BIGINT NOT NULL DEFAULT 0,
  score1 BIGINT NOT NULL DEFAULT 0,
  score2 BIGINT NOT NULL DEFAULT 0,
  score3 BIGINT NOT NULL DEFAULT 0,
  score4 BIGINT NOT NULL DEFAULT 0,
  score5 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, service_id, channel, month)
);
CREATE INDEX kpi_monthly_by_month ON kpi_monthly (month);
-- Processing times: cases closed (completed or rejected) in a month by whole working days from
-- submission to the final state, so that medians and percentiles of any set of months add up.
CREATE TABLE kpi_durations (
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  month BIGINT NOT NULL,
  days INTEGER NOT NULL,
  cases BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, service_id, channel, month, days)
);

-- What a municipality's administrator keeps for the figures: its population (with the source
-- and the year of the count), the cost of one transaction per channel (minor units), and the
-- licence of its open data.
CREATE TABLE kpi_municipality (
  municipality_id BIGINT PRIMARY KEY,
  population BIGINT NOT NULL DEFAULT 0,
  population_source TEXT NOT NULL DEFAULT '',
  population_year INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'ILS',
  licence TEXT NOT NULL DEFAULT 'CC-BY-4.0',
  updated_at BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE kpi_channel_costs (
  municipality_id BIGINT NOT NULL,
  channel TEXT NOT NULL,
  cost_minor BIGINT NOT NULL,
  PRIMARY KEY (municipality_id, channel)
);
