-- Integrators' subscriptions to case events (events '' = all) and the delivery log: each event
-- queued per subscription in the case change's transaction, delivered in order per case with
-- retries (attempts, next_at); replaying a delivery queues a copy.
CREATE TABLE interop_webhooks (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  removed_at BIGINT NOT NULL
);
CREATE TABLE interop_webhook_deliveries (
  id ${ID},
  webhook_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  tracking TEXT NOT NULL,
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  last_status INTEGER NOT NULL,
  next_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  delivered_at BIGINT NOT NULL
);
CREATE INDEX interop_webhook_deliveries_due ON interop_webhook_deliveries (state, next_at);
CREATE INDEX interop_webhook_deliveries_case ON interop_webhook_deliveries (webhook_id, tracking, id);
