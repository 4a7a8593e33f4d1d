-- A closed account that left open applications behind: the blind index of its ID number (the
-- same keyed hash account_lookup held), so that registering again with that ID brings them back
-- (AccountStore::RegisterResident, audited "account.reclaimed"). Nothing else of the person is
-- kept; the row goes once reclaimed.
CREATE TABLE account_reclaims (
  id_hmac TEXT PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  closed_at BIGINT NOT NULL
);
