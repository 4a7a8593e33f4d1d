-- Identity: accounts (residents and staff), each account's data key wrapped by the master key,
-- keyed blind indexes for lookups of encrypted fields, role grants, TOTP recovery codes and used
-- steps, password reset codes, and sessions.
--
-- Personal fields (*_enc) are sealed with the account's own data key (XChaCha20-Poly1305, AD
-- "account:<id>:<field>"); account_keys holds that key sealed with the master key (AD
-- "account-key:<id>"). Closing an account deletes its account_keys row and its lookups
-- (crypto-shredding); the pseudonymous row stays for the records that must be kept.
CREATE TABLE accounts (
  id ${ID},
  pseudonym TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('resident', 'staff')),
  status TEXT NOT NULL CHECK (status IN ('active', 'disabled', 'closed')),
  full_name_ar TEXT NOT NULL,
  full_name_en TEXT NOT NULL DEFAULT '',
  username TEXT UNIQUE,
  lang TEXT NOT NULL DEFAULT 'ar',
  home_municipality_id BIGINT NOT NULL DEFAULT 0,
  password_hash TEXT NOT NULL DEFAULT '',
  password_changed_at BIGINT NOT NULL DEFAULT 0,
  national_id_enc ${BLOB},
  phone_enc ${BLOB},
  email_enc ${BLOB},
  birth_date_enc ${BLOB},
  totp_enabled INTEGER NOT NULL DEFAULT 0,
  totp_secret_enc ${BLOB},
  totp_enabled_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT
);
CREATE TABLE account_keys (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
  wrapped_key ${BLOB} NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX accounts_by_municipality ON accounts (home_municipality_id, kind);

-- Blind indexes: kind is 'national_id' or 'phone', hmac the hex HMAC-SHA-256 of the normalised
-- value under the blind-index key. UNIQUE (kind, hmac) is what makes one national ID one account.
CREATE TABLE account_lookup (
  kind TEXT NOT NULL,
  hmac TEXT NOT NULL,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  UNIQUE (kind, hmac)
);
CREATE INDEX account_lookup_by_account ON account_lookup (account_id);

-- Roles held by staff; municipality_id 0 = platform scope, department_id 0 = every department.
CREATE TABLE account_grants (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL,
  municipality_id BIGINT NOT NULL,
  department_id BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, role, municipality_id, department_id)
);

-- TOTP recovery codes, as keyed hashes of their canonical form; single use.
CREATE TABLE account_recovery_codes (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (account_id, code_hash)
);

-- TOTP steps already accepted (replay refused); old steps are pruned.
CREATE TABLE account_totp_steps (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  step BIGINT NOT NULL,
  PRIMARY KEY (account_id, step)
);

-- The current "forgot password" code of an account (a new code replaces the old one).
CREATE TABLE account_reset_codes (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  attempts INTEGER NOT NULL DEFAULT 0
);

-- Sessions: id_hash is the hex SHA-256 of the token, which is never stored.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  staff INTEGER NOT NULL,
  mfa_satisfied INTEGER NOT NULL DEFAULT 0,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);
