-- Files sent through the API on their own (POST /api/v1/municipalities/{slug}/uploads) wait in
-- case_attachments with neither draft nor case, named by upload_token (random and opaque, never a
-- row id), until an application names them: its submission links them to the case and clears the
-- token in the same transaction, so a token is used once. Unused ones are deleted after a day,
-- and drafts untouched for `draft-days` with their files (CaseStore::DeleteAbandoned).
--
-- municipality_id: every tenant row carries it; files stored before this migration take their
-- draft's.
ALTER TABLE case_attachments ADD COLUMN municipality_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_attachments ADD COLUMN upload_token TEXT;
UPDATE case_attachments SET municipality_id = COALESCE(
  (SELECT d.municipality_id FROM case_drafts d WHERE d.id = case_attachments.draft_id), 0);

-- Partial, so that the many files already part of a case cost these indexes nothing: the token
-- lookup at submission, the per-account count of waiting uploads, and the clean-up's scans.
CREATE UNIQUE INDEX case_attachments_by_upload ON case_attachments (upload_token)
  WHERE upload_token IS NOT NULL;
CREATE INDEX case_attachments_waiting ON case_attachments (account_id, created_at)
  WHERE upload_token IS NOT NULL;
CREATE INDEX case_drafts_open_by_update ON case_drafts (updated_at) WHERE case_id = 0;
