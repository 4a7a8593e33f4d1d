-- Notifications: the transactional outbox and the in-app inbox.
--
-- A row is written in the same transaction as the change that causes it (state 'queued'), then
-- claimed by a dispatcher ('sending', with a lease), and settled: 'sent' (handed to the SMTP
-- server or SMS gateway), 'delivered' (in-app, or an SMS receipt), or 'failed'. sealed holds the
-- rendered text and any explicit address, sealed with the outbox key (AD "outbox:<reference>");
-- it is set to NULL once the row is sent or failed.
CREATE TABLE notify_outbox (
  id ${ID},
  reference TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL CHECK (channel IN ('in_app', 'email', 'sms')),
  account_id BIGINT NOT NULL DEFAULT 0,
  municipality_id BIGINT NOT NULL DEFAULT 0,
  template_key TEXT NOT NULL,
  lang TEXT NOT NULL,
  dedupe_key TEXT,
  sealed ${BLOB},
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT NOT NULL DEFAULT 0,
  delivered_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notify_outbox_due ON notify_outbox (state, next_attempt_at);
CREATE UNIQUE INDEX notify_outbox_dedupe ON notify_outbox (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX notify_outbox_by_municipality ON notify_outbox (municipality_id, id);

CREATE TABLE notify_inbox (
  id ${ID},
  account_id BIGINT NOT NULL,
  outbox_id BIGINT NOT NULL UNIQUE,
  municipality_id BIGINT NOT NULL DEFAULT 0,
  template_key TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  read_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX notify_inbox_by_account ON notify_inbox (account_id, id);
