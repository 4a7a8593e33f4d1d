-- Meetings and workshops of a process: agenda, place or online link, dates, capacity; residents'
-- registrations (a seat or a place on the waiting list, one per person and meeting), walk-ins
-- checked in at the door by their ID, attendance, minutes. `seated` counts the seats taken: a
-- seat is claimed by `UPDATE ... SET seated = seated + 1 WHERE seated < capacity`, so two
-- registrations for the last seat give one seat and one place on the waiting list on both
-- engines. A recommendation may now come from a meeting (source 'meeting').
CREATE TABLE participation_meetings (
  id ${ID},
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  token TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('meeting', 'workshop')),
  title TEXT NOT NULL,
  agenda TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  online_url TEXT NOT NULL DEFAULT '',
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  capacity BIGINT NOT NULL CHECK (capacity > 0),
  seated BIGINT NOT NULL DEFAULT 0 CHECK (seated >= 0 AND seated <= capacity),
  minutes TEXT NOT NULL DEFAULT '',
  minutes_published_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX participation_meetings_process ON participation_meetings (process_id, starts_at);

-- status: 'seat', 'waiting' (in id order) or 'walkin' (came without registering). A walk-in
-- without an account is known by a keyed hash of the national ID the officer typed (walkin_id:
-- identity's HMAC under the blind-index key, never the ID itself).
CREATE TABLE participation_registrations (
  id ${ID},
  meeting_id BIGINT NOT NULL REFERENCES participation_meetings (id),
  account_id BIGINT,
  walkin_id TEXT,
  name TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('seat', 'waiting', 'walkin')),
  checked_in_at BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (meeting_id, account_id),
  UNIQUE (meeting_id, walkin_id)
);
CREATE INDEX participation_registrations_status ON participation_registrations (meeting_id, status, id);

-- @postgresql
ALTER TABLE participation_recommendations DROP CONSTRAINT participation_recommendations_source_check;
ALTER TABLE participation_recommendations ADD CONSTRAINT participation_recommendations_source_check
  CHECK (source IN ('proposal', 'project', 'workshop', 'meeting'));
-- @sqlite
-- SQLite cannot change a CHECK: the three tables are rebuilt (children first, so that no foreign
-- key points at a dropped table; renaming the parent renames the children's references).
CREATE TABLE participation_recommendations_new (
  id INTEGER PRIMARY KEY,
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  token TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL CHECK (source IN ('proposal', 'project', 'workshop', 'meeting')),
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
INSERT INTO participation_recommendations_new SELECT * FROM participation_recommendations;
CREATE TABLE participation_milestones_new (
  id INTEGER PRIMARY KEY,
  recommendation_id BIGINT NOT NULL REFERENCES participation_recommendations_new (id),
  title TEXT NOT NULL,
  due_at BIGINT NOT NULL,
  progress BIGINT NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  done_at BIGINT,
  overdue_flagged_at BIGINT,
  created_at BIGINT NOT NULL
);
INSERT INTO participation_milestones_new SELECT * FROM participation_milestones;
CREATE TABLE participation_followers_new (
  recommendation_id BIGINT NOT NULL REFERENCES participation_recommendations_new (id),
  account_id BIGINT NOT NULL,
  lang TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (recommendation_id, account_id)
);
INSERT INTO participation_followers_new SELECT * FROM participation_followers;
DROP TABLE participation_followers;
DROP TABLE participation_milestones;
DROP TABLE participation_recommendations;
ALTER TABLE participation_recommendations_new RENAME TO participation_recommendations;
ALTER TABLE participation_milestones_new RENAME TO participation_milestones;
ALTER TABLE participation_followers_new RENAME TO participation_followers;
CREATE INDEX participation_milestones_rec ON participation_milestones (recommendation_id);
