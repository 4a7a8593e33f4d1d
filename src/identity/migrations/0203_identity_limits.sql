-- Limits that must survive a restart (issue 12):
--  * the second factor counts consecutive failures with no forgiving window: mfa_failures is
--    reset only by an accepted code or an administrator; every 5 failures end the session (the
--    password must be given again) and block the second factor for a time that doubles with
--    each round (mfa_blocked_until, capped at a day);
--  * "forgot password" codes are capped per account per day, and a new code never resets the
--    count of wrong guesses: window_start opens a 24-hour window, issued counts the codes sent
--    in it, and attempts now counts wrong guesses in it (across codes);
--  * API tokens expire (expires_at, set at issue; tokens issued before this migration get 90
--    days from their issue).
ALTER TABLE accounts ADD COLUMN mfa_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN mfa_blocked_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE account_reset_codes ADD COLUMN window_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE account_reset_codes ADD COLUMN issued INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE api_tokens SET expires_at = created_at + 7776000000 WHERE expires_at = 0;
