-- How a case ended, on the event that ended it (CaseStore::Feed's FeedEntry::outcome): the
-- outcome of the final state it entered ("completed", "rejected", "withdrawn", "merged") as the
-- service's workflow said when the event was written. Events written before this migration keep
-- '' and their readers ask the workflow.
ALTER TABLE case_events ADD COLUMN outcome TEXT NOT NULL DEFAULT '';
