-- Storage quotas per account (cases.h, kMaxPendingFileBytes and kMaxDailyFileBytes): the files an
-- account holds outside cases and those it added lately, read by account and time.
CREATE INDEX case_attachments_by_account ON case_attachments (account_id, created_at);
