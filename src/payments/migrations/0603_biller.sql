-- The biller API's clients: banks and e-wallets collecting payments by reference, each with its
-- Ed25519 public key (hex); and the signature nonces each has used within the time window.
CREATE TABLE payment_banks (
  id ${ID},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  public_key TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  disabled_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE payment_bank_nonces (
  bank_id BIGINT NOT NULL,
  nonce TEXT NOT NULL,
  seen_at BIGINT NOT NULL,
  PRIMARY KEY (bank_id, nonce)
);
