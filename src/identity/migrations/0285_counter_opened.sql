-- Resident accounts opened by counter staff for a caller who had none: opened without a
-- password, in the municipality whose counter opened them; taken_over_at is set when the person
-- first sets a password (through a one-time code to the phone on file). Nothing personal here:
-- the account row holds the encrypted fields as for every account.
CREATE TABLE accounts_opened_at_counter (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
  municipality_id BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  taken_over_at BIGINT
);
