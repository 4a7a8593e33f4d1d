-- The outbox's due index holds only the rows a dispatcher may still claim (queued, or sending
-- under a lease). Delivered, sent and failed rows (in-app messages are delivered as they are
-- written) no longer add an index entry to every transaction that writes them; the claim query
-- names the same condition so that both engines use this index.
DROP INDEX notify_outbox_due;
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_attempt_at)
  WHERE state IN ('queued', 'sending');
