-- Documents issued to applicants when their cases complete, their numbers and signing keys.
--
-- Signing keys: only the public half is stored; the secret is derived from the key file's
-- signing seed by (municipality, generation). The newest generation of a municipality signs;
-- retired ones stay published so that what they signed keeps verifying. Municipality 0 holds
-- the platform's key (the revocation list).
CREATE TABLE document_keys (
  kid TEXT PRIMARY KEY,
  municipality_id BIGINT NOT NULL,
  issuer TEXT NOT NULL,
  generation BIGINT NOT NULL,
  public_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (municipality_id, generation)
);

-- The last number given per municipality and year (numbers have no gaps: one statement takes
-- the next inside the issuing transaction).
CREATE TABLE document_numbers (
  municipality_id BIGINT NOT NULL,
  year BIGINT NOT NULL,
  last BIGINT NOT NULL,
  PRIMARY KEY (municipality_id, year)
);

-- One document per case. Texts are the template's, filled when issued, so a later edit of the
-- service never changes a document already issued. holder_id is the national ID masked.
CREATE TABLE documents (
  id ${ID},
  number TEXT NOT NULL UNIQUE,
  municipality_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  case_id BIGINT NOT NULL UNIQUE,
  tracking TEXT NOT NULL,
  service_id BIGINT NOT NULL,
  service_code TEXT NOT NULL,
  kind TEXT NOT NULL,
  holder_account BIGINT NOT NULL,
  holder_ar TEXT NOT NULL,
  holder_en TEXT NOT NULL,
  holder_id TEXT NOT NULL,
  title_ar TEXT NOT NULL,
  title_en TEXT NOT NULL,
  body_ar TEXT NOT NULL,
  body_en TEXT NOT NULL,
  facts_json TEXT NOT NULL,
  office_ar TEXT NOT NULL,
  office_en TEXT NOT NULL,
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  kid TEXT NOT NULL,
  code TEXT NOT NULL,
  pdf ${BLOB},
  pdf_sha256 TEXT NOT NULL DEFAULT '',
  revoked_at BIGINT NOT NULL DEFAULT 0,
  revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX documents_holder ON documents (holder_account, id);
CREATE INDEX documents_revoked ON documents (municipality_id, revoked_at);
