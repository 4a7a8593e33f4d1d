-- Payments: invoices with their lines, payments with their receipts, the double-entry ledger,
-- what each municipality accepts, and municipal dues loaded from billing systems.
--
-- Numbers (invoices, receipts) run per municipality, kind and year without gaps: the counter row
-- advances inside the transaction that uses the number, so a rolled-back change gives it back.
CREATE TABLE payment_counters (
  municipality_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  year INTEGER NOT NULL,
  next BIGINT NOT NULL,
  PRIMARY KEY (municipality_id, kind, year)
);

CREATE TABLE payment_settings (
  municipality_id BIGINT PRIMARY KEY,
  accepts_jod INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE payment_invoices (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  reference TEXT NOT NULL UNIQUE,
  case_id BIGINT NOT NULL DEFAULT 0,
  tracking TEXT NOT NULL DEFAULT '',
  account_id BIGINT NOT NULL DEFAULT 0,
  currency TEXT NOT NULL,
  total_minor BIGINT NOT NULL,
  paid_minor BIGINT NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  paid_at BIGINT NOT NULL DEFAULT 0,
  voided_at BIGINT NOT NULL DEFAULT 0,
  void_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_invoices_by_case ON payment_invoices (case_id);
CREATE INDEX payment_invoices_by_account ON payment_invoices (account_id, status);

CREATE TABLE payment_invoice_lines (
  invoice_id BIGINT NOT NULL,
  position INTEGER NOT NULL,
  description_ar TEXT NOT NULL,
  description_en TEXT NOT NULL,
  amount_minor BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, position)
);

-- channel_key is "<channel>:<external id>" for payments that carry the channel's own id (a bank's
-- transaction id), so that a repeat finds the first; NULL otherwise.
CREATE TABLE payment_payments (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  receipt_number TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  method TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  channel_key TEXT UNIQUE,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  session_id BIGINT NOT NULL DEFAULT 0,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  voided_at BIGINT NOT NULL DEFAULT 0,
  void_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX payment_payments_by_invoice ON payment_payments (invoice_id);
CREATE INDEX payment_payments_by_session ON payment_payments (session_id);

-- The ledger: each business event (kind: invoice, payment, invoice_void, payment_void, refund)
-- writes entries whose debits equal their credits, in the event's transaction.
CREATE TABLE payment_ledger (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  currency TEXT NOT NULL,
  kind TEXT NOT NULL,
  invoice_id BIGINT NOT NULL DEFAULT 0,
  payment_id BIGINT NOT NULL DEFAULT 0,
  account TEXT NOT NULL,
  debit_minor BIGINT NOT NULL,
  credit_minor BIGINT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX payment_ledger_by_municipality ON payment_ledger (municipality_id, account);

-- Municipal dues loaded from a billing system (waste fees, water, local charges): what a person
-- (by account, or by the blind index of their national ID) or a property owes.
-- bill_id is the billing system's own id of the bill: loaded once per municipality.
CREATE TABLE payment_dues (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  bill_id TEXT NOT NULL,
  national_id_index TEXT NOT NULL DEFAULT '',
  account_id BIGINT NOT NULL DEFAULT 0,
  invoice_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (municipality_id, bill_id)
);
CREATE INDEX payment_dues_by_person ON payment_dues (municipality_id, national_id_index);
