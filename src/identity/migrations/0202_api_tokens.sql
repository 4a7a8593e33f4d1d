-- API tokens for staff systems and integrators: each acts as one account, in one municipality,
-- with one role. Only the SHA-256 of the token is stored; the token is shown once when issued.
CREATE TABLE api_tokens (
  id ${ID},
  token_hash TEXT NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  municipality_id BIGINT NOT NULL,
  role TEXT NOT NULL,
  department_id BIGINT NOT NULL DEFAULT 0,
  label TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL DEFAULT 0,
  revoked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id);
