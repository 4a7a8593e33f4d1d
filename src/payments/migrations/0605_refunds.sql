-- Refunds of payments, whole or in part, by a department head with a reason, through the channel
-- that took the money (a card provider refunds the card; the counter pays cash back; a bank
-- returns a transfer).
CREATE TABLE payment_refunds (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  payment_id BIGINT NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  channel TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX payment_refunds_by_payment ON payment_refunds (payment_id);
