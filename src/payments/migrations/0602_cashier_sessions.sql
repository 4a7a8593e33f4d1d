-- Cashier sessions at the counter: opened with the cash in the drawer, closed with the cash
-- counted; the difference against what the session's cash payments say is kept.
CREATE TABLE payment_cashier_sessions (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  cashier_id BIGINT NOT NULL,
  cashier TEXT NOT NULL,
  currency TEXT NOT NULL,
  opening_cash_minor BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT NOT NULL DEFAULT 0,
  counted_cash_minor BIGINT NOT NULL DEFAULT 0,
  expected_cash_minor BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX payment_cashier_sessions_by_cashier ON payment_cashier_sessions (cashier_id, closed_at);
CREATE INDEX payment_cashier_sessions_by_day ON payment_cashier_sessions (municipality_id, opened_at);
-- One open session per cashier.
CREATE UNIQUE INDEX payment_cashier_sessions_one_open ON payment_cashier_sessions (cashier_id)
  WHERE closed_at = 0;
