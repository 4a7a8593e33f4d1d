-- Open311 keys expire, and what their updates may reach is chosen when they are issued. Keys
-- issued before this migration keep what they could do (notes on every report of their
-- municipality) and expire a year after they were issued; new keys are issued with their own
-- terms (KeyTerms: one year and their own reports by default).
ALTER TABLE open311_keys ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE open311_keys ADD COLUMN notes_on_all BIGINT NOT NULL DEFAULT 1;
UPDATE open311_keys SET expires_at = created_at + 31536000000;
