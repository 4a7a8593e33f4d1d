-- Moderation: anyone signed in reports a proposal or a comment, once (UNIQUE (kind, object,
-- account)); past the process's report_threshold it is hidden until a moderator decides to keep
-- it (shown again) or remove it (hidden for good, the author told why); the author may ask for a
-- review once (review_requested_at), which puts it back before a moderator.
ALTER TABLE participation_processes ADD COLUMN report_threshold BIGINT NOT NULL DEFAULT 3;

CREATE TABLE participation_reports (
  kind TEXT NOT NULL CHECK (kind IN ('proposal', 'comment')),
  object_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, object_id, account_id)
);

CREATE TABLE participation_moderation (
  kind TEXT NOT NULL CHECK (kind IN ('proposal', 'comment')),
  object_id BIGINT NOT NULL,
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  author_account_id BIGINT NOT NULL,
  reports BIGINT NOT NULL DEFAULT 0,
  hidden_at BIGINT,
  decision TEXT CHECK (decision IN ('kept', 'removed')),
  reason TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  review_requested_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (kind, object_id)
);
CREATE INDEX participation_moderation_queue ON participation_moderation (process_id, hidden_at);
