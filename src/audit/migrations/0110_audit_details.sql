-- What auditors read beside an entry (src/audit): the details of an entry that carries
-- before/after values, kept in clear (they still hash to the entry's details_hash, which the tree
-- covers), and the service the entry concerns (for filtering). Append-only, like the entries.
-- @sqlite
CREATE TABLE audit_details (
  idx INTEGER PRIMARY KEY,            -- the entry's position in the log
  service_id BIGINT NOT NULL,         -- 0 = none
  details TEXT NOT NULL               -- '' when not kept
);
CREATE TRIGGER audit_details_no_update BEFORE UPDATE ON audit_details
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_details_no_delete BEFORE DELETE ON audit_details
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- @postgresql
CREATE TABLE audit_details (
  idx BIGINT PRIMARY KEY,
  service_id BIGINT NOT NULL,
  details TEXT NOT NULL
);
CREATE TRIGGER audit_details_no_change BEFORE UPDATE OR DELETE ON audit_details
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
-- @all
CREATE INDEX audit_details_by_service ON audit_details (service_id, idx);
CREATE INDEX audit_entries_by_object ON audit_entries (object, idx);
