-- The event feed (PaymentStore::Feed) that the KPI ledger folds: each invoice raised or voided
-- and each payment posted, voided or refunded, written in the transaction of the change. No
-- personal data. position increases; on PostgreSQL it may commit out of order, as cases' feed
-- does. What happened before this migration is written here once, from the invoices, payments
-- and refunds themselves.
CREATE TABLE payment_feed (
  position ${ID},
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  municipality_id BIGINT NOT NULL,
  invoice_id BIGINT NOT NULL,
  channel TEXT NOT NULL DEFAULT '',
  amount_minor BIGINT NOT NULL,
  currency TEXT NOT NULL,
  invoice_at BIGINT NOT NULL,
  paid_at BIGINT NOT NULL DEFAULT 0
);

INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, currency,
                          invoice_at, paid_at)
SELECT created_at, 'invoice_raised', municipality_id, id, '', total_minor, currency, created_at, 0
FROM payment_invoices ORDER BY created_at, id;

INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, currency,
                          invoice_at, paid_at)
SELECT voided_at, 'invoice_voided', municipality_id, id, '', total_minor, currency, created_at, 0
FROM payment_invoices WHERE status = 'void' ORDER BY voided_at, id;

INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, currency,
                          invoice_at, paid_at)
SELECT p.created_at, 'payment_posted', p.municipality_id, p.invoice_id, p.channel, p.amount_minor,
       p.currency, i.created_at, p.created_at
FROM payment_payments p JOIN payment_invoices i ON i.id = p.invoice_id ORDER BY p.created_at, p.id;

INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, currency,
                          invoice_at, paid_at)
SELECT p.voided_at, 'payment_voided', p.municipality_id, p.invoice_id, p.channel, p.amount_minor,
       p.currency, i.created_at, p.created_at
FROM payment_payments p JOIN payment_invoices i ON i.id = p.invoice_id
WHERE p.status = 'voided' ORDER BY p.voided_at, p.id;

INSERT INTO payment_feed (at, kind, municipality_id, invoice_id, channel, amount_minor, currency,
                          invoice_at, paid_at)
SELECT r.created_at, 'payment_refunded', r.municipality_id, p.invoice_id, r.channel,
       r.amount_minor, r.currency, i.created_at, p.created_at
FROM payment_refunds r JOIN payment_payments p ON p.id = r.payment_id
JOIN payment_invoices i ON i.id = p.invoice_id ORDER BY r.created_at, r.id;
