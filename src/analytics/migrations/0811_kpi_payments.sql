-- Payments' figures in the ledger, folded from payments' event feed (joined in the shell): per
-- municipality, month (the municipality's local time), channel ('' for invoices' counts) and
-- currency, the invoices raised and voided, the payments posted (net of voided ones), the money
-- collected net of voids and refunds, and the refunds; and the payments by whole days from the
-- invoice, so that medians of any set of months add up.
INSERT INTO kpi_cursors (feed, position, updated_at) VALUES ('payments', 0, 0);

CREATE TABLE kpi_payments (
  municipality_id BIGINT NOT NULL,
  month BIGINT NOT NULL,
  channel TEXT NOT NULL,
  currency TEXT NOT NULL,
  raised BIGINT NOT NULL DEFAULT 0,
  voided BIGINT NOT NULL DEFAULT 0,
  paid BIGINT NOT NULL DEFAULT 0,
  collected_minor BIGINT NOT NULL DEFAULT 0,
  refunded_minor BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, month, channel, currency)
);

CREATE TABLE kpi_payment_delays (
  municipality_id BIGINT NOT NULL,
  month BIGINT NOT NULL,
  days INTEGER NOT NULL,
  payments BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (municipality_id, month, days)
);
