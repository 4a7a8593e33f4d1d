-- Votes of a process (participatory budgeting: projects with costs), their options, the register
-- of who voted (one ballot per person per vote, whatever the channel: the UNIQUE constraint
-- decides) and the choices, kept apart from the register under a random ballot id.
CREATE TABLE participation_votes (
  id ${ID},
  process_id BIGINT NOT NULL REFERENCES participation_processes (id),
  slug TEXT NOT NULL UNIQUE,
  sms_code TEXT NOT NULL UNIQUE,
  title_ar TEXT NOT NULL,
  title_en TEXT NOT NULL,
  rule TEXT NOT NULL CHECK (rule IN ('budget', 'approve')),
  budget BIGINT NOT NULL,
  currency TEXT NOT NULL,
  max_choices BIGINT NOT NULL,
  published_at BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE participation_options (
  id ${ID},
  vote_id BIGINT NOT NULL REFERENCES participation_votes (id),
  number BIGINT NOT NULL,
  title_ar TEXT NOT NULL,
  title_en TEXT NOT NULL,
  cost BIGINT NOT NULL,
  result_votes BIGINT NOT NULL DEFAULT 0,
  result_selected BIGINT NOT NULL DEFAULT 0,
  UNIQUE (vote_id, number)
);

CREATE TABLE participation_ballots (
  vote_id BIGINT NOT NULL REFERENCES participation_votes (id),
  account_id BIGINT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('web', 'counter', 'sms')),
  recorded_by TEXT NOT NULL,
  cast_at BIGINT NOT NULL,
  UNIQUE (vote_id, account_id)
);

CREATE TABLE participation_choices (
  vote_id BIGINT NOT NULL REFERENCES participation_votes (id),
  ballot TEXT NOT NULL,
  option_id BIGINT NOT NULL REFERENCES participation_options (id)
);
CREATE INDEX participation_choices_vote ON participation_choices (vote_id, option_id);
