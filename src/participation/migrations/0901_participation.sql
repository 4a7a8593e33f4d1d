-- Participatory processes: a municipality's consultation (the strategic plan, a budget) with its
-- phases and their dates, the proposals residents make in it, their supports and the threaded
-- comments on them. slug and token are random public identifiers.
CREATE TABLE participation_processes (
  id ${ID},
  municipality_id BIGINT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  title_ar TEXT NOT NULL,
  title_en TEXT NOT NULL,
  summary_ar TEXT NOT NULL,
  summary_en TEXT NOT NULL,
  threshold BIGINT NOT NULL,
  answer_days BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX participation_processes_municipality ON participation_processes (municipality_id);

-- Each phase of a process once, over [starts_at, ends_at).
CREATE TABLE participation_phases (
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  phase TEXT NOT NULL CHECK (phase IN ('information', 'proposals', 'debate', 'voting',
                                       'implementation')),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (process_id, phase)
);

-- A proposal by a verified resident. supports counts participation_supports' rows (kept in the
-- same transaction); once it reaches the process's threshold the municipality owes an answer by
-- answer_due_at.
CREATE TABLE participation_proposals (
  id ${ID},
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  token TEXT NOT NULL UNIQUE,
  author_account_id BIGINT NOT NULL,
  author_name TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  supports BIGINT NOT NULL DEFAULT 0,
  threshold_reached_at BIGINT,
  answer_due_at BIGINT,
  answer TEXT,
  answered_by TEXT,
  answered_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX participation_proposals_process ON participation_proposals (process_id, created_at);

-- One support per person per proposal: the database refuses a second one on both engines.
CREATE TABLE participation_supports (
  proposal_id BIGINT NOT NULL REFERENCES participation_proposals (id),
  account_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (proposal_id, account_id)
);

-- Threaded comments with the author's stance on the proposal.
CREATE TABLE participation_comments (
  id ${ID},
  proposal_id BIGINT NOT NULL REFERENCES participation_proposals (id),
  parent_id BIGINT REFERENCES participation_comments (id),
  account_id BIGINT NOT NULL,
  author_name TEXT NOT NULL,
  stance TEXT NOT NULL CHECK (stance IN ('for', 'against', 'neutral')),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX participation_comments_proposal ON participation_comments (proposal_id, id);
