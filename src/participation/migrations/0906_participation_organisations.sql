-- Organisations (businesses, media outlets, NGOs, universities) take part through their members:
-- registered by a signed-in resident (their first administrator), verified by the participation
-- officer once their documents were checked at the counter; a member's proposal or comment made
-- for a verified organisation is shown under its name (organisation_id on the text).
CREATE TABLE participation_organisations (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('business', 'media', 'ngo', 'university')),
  registration_number TEXT NOT NULL,
  verified_at BIGINT,
  verified_by TEXT,
  documents TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  UNIQUE (municipality_id, name)
);

CREATE TABLE participation_org_members (
  organisation_id BIGINT NOT NULL REFERENCES participation_organisations (id),
  account_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  admin BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  UNIQUE (organisation_id, account_id)
);
CREATE INDEX participation_org_members_account ON participation_org_members (account_id);

ALTER TABLE participation_proposals ADD COLUMN organisation_id BIGINT;
ALTER TABLE participation_comments ADD COLUMN organisation_id BIGINT;
