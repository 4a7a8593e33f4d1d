-- Bank statements (ISO 20022 camt.053) and their entries, matched to payments by reference and
-- amount; finance marks the rest by hand with a note.
CREATE TABLE payment_statements (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  statement_ref TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  UNIQUE (municipality_id, statement_ref)
);

-- status: matched (payment_id set), unmatched, marked (by hand, with a note).
CREATE TABLE payment_statement_entries (
  id ${ID},
  statement_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  entry_ref TEXT NOT NULL,
  booked TEXT NOT NULL,
  credit INTEGER NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  reference TEXT NOT NULL,
  payment_id BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  marked_by TEXT NOT NULL DEFAULT '',
  marked_at BIGINT NOT NULL DEFAULT 0,
  UNIQUE (municipality_id, entry_ref)
);
CREATE INDEX payment_statement_entries_by_status ON payment_statement_entries (municipality_id, status);
CREATE INDEX payment_statement_entries_by_payment ON payment_statement_entries (payment_id);
