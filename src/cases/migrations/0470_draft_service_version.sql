-- The published version of the service a draft was started on (catalog ServiceStore::Version):
-- a draft is submitted on it while the live version asks the same questions; otherwise the
-- resident is sent to check the changed questions first. 0: started before versions were kept.
ALTER TABLE case_drafts ADD COLUMN service_version BIGINT NOT NULL DEFAULT 0;
