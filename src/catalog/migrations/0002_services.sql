-- The service catalogue: what each municipality offers, with bilingual texts, the form schema a
-- resident fills (JSON, see catalog/form_schema.h), the fee rule table (JSON), the workflow (JSON,
-- see workflow/workflow.h; empty = the default workflow) and the notification templates.
-- search_text holds the names, descriptions and category folded for Arabic search
-- (i18n::NormalizeForSearch), so a search ignores vowel marks, hamza forms and ta marbuta.
CREATE TABLE services (
  id ${ID},
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  code TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('application', 'report')),
  department_id BIGINT NOT NULL DEFAULT 0,
  category TEXT NOT NULL DEFAULT '',
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  description_ar TEXT NOT NULL DEFAULT '',
  description_en TEXT NOT NULL DEFAULT '',
  eligibility_ar TEXT NOT NULL DEFAULT '',
  eligibility_en TEXT NOT NULL DEFAULT '',
  documents_json TEXT NOT NULL DEFAULT '[]',
  fee_json TEXT NOT NULL DEFAULT '{}',
  sla_days INTEGER NOT NULL DEFAULT 0,
  channels TEXT NOT NULL DEFAULT 'web,counter,phone,api',
  form_json TEXT NOT NULL,
  workflow_json TEXT NOT NULL DEFAULT '',
  notifications_json TEXT NOT NULL DEFAULT '{}',
  published INTEGER NOT NULL DEFAULT 0,
  search_text TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (municipality_id, code)
);

-- The working calendar: weekly rest days ("5" = Friday; "5,6" = Friday and Saturday) and
-- holidays, per municipality, for SLA due dates.
CREATE TABLE municipality_calendar (
  municipality_id BIGINT PRIMARY KEY REFERENCES municipalities(id),
  rest_weekdays TEXT NOT NULL DEFAULT '5',
  time_zone TEXT NOT NULL DEFAULT 'Asia/Hebron'
);
CREATE TABLE municipality_holidays (
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  day TEXT NOT NULL,
  name_ar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  PRIMARY KEY (municipality_id, day)
);
