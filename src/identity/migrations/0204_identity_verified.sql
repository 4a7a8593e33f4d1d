-- Accounts whose identity was proved against the civil registry (or at the counter): when, and
-- how ("civil-registry", "counter"). One row per account; absent: not verified.
CREATE TABLE identity_verified (
  account_id BIGINT PRIMARY KEY,
  verified_at BIGINT NOT NULL,
  how TEXT NOT NULL
);
