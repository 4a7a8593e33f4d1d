-- Card payments through a provider's hosted payment page: one row per attempt, from "created" to
-- its outcome. token is opaque (the return address names it); provider_id is the provider's own
-- id, by which notifications name the attempt; payment_id the payment posted on success.
CREATE TABLE payment_card_payments (
  id ${ID},
  token TEXT NOT NULL UNIQUE,
  invoice_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  state TEXT NOT NULL,
  provider_id TEXT UNIQUE,
  redirect_url TEXT NOT NULL DEFAULT '',
  payment_id BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX payment_card_payments_by_invoice ON payment_card_payments (invoice_id);
