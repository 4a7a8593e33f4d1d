-- Recommendations followed to the end: where each came from (a proposal past its threshold, a
-- winning budget project, a workshop report), the official response with its reasons, the
-- responsible department (the catalogue's), milestones with dates and progress, and who follows
-- each one (told of every change). A recommendation is made once from the same source.
CREATE TABLE participation_recommendations (
  id ${ID},
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  token TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('proposal', 'project', 'workshop')),
  source_ref TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  response TEXT CHECK (response IN ('accepted', 'partly', 'rejected')),
  reasons TEXT NOT NULL DEFAULT '',
  department_id BIGINT,
  responded_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (process_id, source, source_ref)
);

CREATE TABLE participation_milestones (
  id ${ID},
  recommendation_id BIGINT NOT NULL REFERENCES participation_recommendations (id),
  title TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  progress BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  done_at BIGINT,
  overdue_flagged_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX participation_milestones_rec ON participation_milestones (recommendation_id);

CREATE TABLE participation_followers (
  recommendation_id BIGINT NOT NULL REFERENCES participation_recommendations (id),
  account_id BIGINT NOT NULL,
  lang TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (recommendation_id, account_id)
);
