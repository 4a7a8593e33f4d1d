-- Open311 GeoReport v2: API keys, the public record of each report, its updates, and the
-- updates clients post.
--
-- API keys: only the SHA-256 of a key is stored; the key is shown once when issued. Each key
-- belongs to one municipality and files reports as its own integration account.
CREATE TABLE open311_keys (
  id ${ID},
  key_hash TEXT NOT NULL UNIQUE,
  municipality_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  label TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX open311_keys_by_municipality ON open311_keys (municipality_id, id);
CREATE INDEX open311_keys_by_account ON open311_keys (account_id);

-- One row per case of a report service, kept in step with the case inside the case's own
-- transactions. Everything here but contact is public: the location, description and media URL
-- an Open311 client sent to be published. contact holds the reporter's details, sealed
-- (XChaCha20-Poly1305, AD "open311:<tracking>"). key_id is the API key the report came
-- through (0: another channel).
CREATE TABLE open311_requests (
  case_id BIGINT PRIMARY KEY,
  tracking TEXT NOT NULL UNIQUE,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL,
  state TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 0,
  requested_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  expected_at BIGINT NOT NULL DEFAULT 0,
  lat TEXT NOT NULL DEFAULT '',
  lng TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  address_id TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  media_url TEXT NOT NULL DEFAULT '',
  key_id BIGINT NOT NULL DEFAULT 0,
  contact ${BLOB}
);
-- GET requests: a municipality's requests in a time range, newest first, read in index order.
CREATE INDEX open311_requests_by_time ON open311_requests (municipality_id, requested_at, case_id);

-- The state changes of those cases after submission (GET servicerequestupdates). update_id is
-- random and opaque.
CREATE TABLE open311_updates (
  id ${ID},
  update_id TEXT NOT NULL UNIQUE,
  case_id BIGINT NOT NULL,
  tracking TEXT NOT NULL,
  municipality_id BIGINT NOT NULL,
  service_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX open311_updates_by_time ON open311_updates (municipality_id, at, id);

-- Updates clients post to a request (POST servicerequestupdates), once per key and client id.
-- The description and contact details are the reporter's words and data: sealed together
-- (AD "open311-update:<update_id>"). noted: the case carries it as a note.
CREATE TABLE open311_received_updates (
  id ${ID},
  update_id TEXT NOT NULL UNIQUE,
  key_id BIGINT NOT NULL,
  client_update_id TEXT NOT NULL,
  case_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  status TEXT NOT NULL,
  client_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  sealed ${BLOB} NOT NULL,
  noted INTEGER NOT NULL DEFAULT 0,
  UNIQUE (key_id, client_update_id)
);
