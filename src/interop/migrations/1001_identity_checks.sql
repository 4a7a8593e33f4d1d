-- A resident's identity checks against the civil registry: each attempt's outcome (verified,
-- mismatch, not_found, or unavailable: to be verified at the counter), so that a check the
-- registry could not answer is not lost. The exchange itself is in interop_messages.
CREATE TABLE interop_identity_checks (
  id ${ID},
  account_id BIGINT NOT NULL,
  verdict TEXT NOT NULL,
  xroad_id TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX interop_identity_checks_account ON interop_identity_checks (account_id, at);
