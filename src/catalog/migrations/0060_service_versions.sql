-- Versions of a published service (catalog/services.h ServiceStore::Draft, PublishDraft,
-- Versions). Editing a published service writes its draft (number 0, at most one a service);
-- publishing the draft makes it the next numbered version, effective from a time now or later.
-- Readers serve the service's row in `services`; a version whose time has come is copied into it
-- by whichever node reads first (state 'scheduled' -> 'published'), so the switch needs no timer
-- and no restart. live_number is the number of the version `services` holds.
-- The content columns are those of `services`, with the same names.
ALTER TABLE services ADD COLUMN live_number BIGINT NOT NULL DEFAULT 1;
CREATE TABLE service_versions (
  id ${ID},
  service_id BIGINT NOT NULL REFERENCES services(id),
  municipality_id BIGINT NOT NULL REFERENCES municipalities(id),
  number BIGINT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'scheduled', 'published')),
  effective_from BIGINT NOT NULL DEFAULT 0,
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
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
  channels TEXT NOT NULL DEFAULT '',
  form_json TEXT NOT NULL,
  workflow_json TEXT NOT NULL DEFAULT '',
  notifications_json TEXT NOT NULL DEFAULT '{}',
  document_json TEXT NOT NULL DEFAULT '',
  published INTEGER NOT NULL DEFAULT 1,
  search_text TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_by TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_by TEXT NOT NULL DEFAULT '',
  published_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (service_id, number)
);
CREATE INDEX service_versions_due ON service_versions (municipality_id, state, effective_from);
