-- X-Road access rights: which client subsystem ("INSTANCE/CLASS/MEMBER/SUBSYSTEM") may call which
-- of the municipality's provider services. None by default.
CREATE TABLE interop_grants (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  client TEXT NOT NULL,
  service TEXT NOT NULL,
  granted_by TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  UNIQUE (municipality_id, client, service)
);

-- The message log: every X-Road exchange, answered or refused (hashes of the request and the
-- response, never their bodies). subject is a keyed hash of the national ID asked about (empty
-- when the query named nobody), so a resident can be shown who asked about them.
CREATE TABLE interop_messages (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  direction TEXT NOT NULL,
  client TEXT NOT NULL,
  service TEXT NOT NULL,
  xroad_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  subject TEXT NOT NULL,
  status INTEGER NOT NULL,
  request_hash TEXT NOT NULL,
  response_hash TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX interop_messages_subject ON interop_messages (subject, at);
