-- People who follow a report they did not file: a resident who found an open report of the same
-- service near theirs and followed it instead of filing a duplicate ("follow"), or the applicant
-- of a report staff merged into it ("merged"). Followers are told of the report's state changes
-- like its applicant, in their language as it was when they began to follow (lang), and see only
-- what the public record shows (service, status, dates). One row per report and account.
CREATE TABLE case_followers (
  case_id BIGINT NOT NULL,
  account_id BIGINT NOT NULL,
  municipality_id BIGINT NOT NULL,
  lang TEXT NOT NULL,
  via TEXT NOT NULL,
  since BIGINT NOT NULL,
  PRIMARY KEY (case_id, account_id)
);
CREATE INDEX case_followers_by_account ON case_followers (account_id, since);
