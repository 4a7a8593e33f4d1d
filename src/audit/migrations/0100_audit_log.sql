-- The audit log (src/audit): entries, their Merkle-tree nodes, signed checkpoints and the head
-- counter that serialises appends. Entries and checkpoints are append-only: triggers refuse
-- UPDATE and DELETE, so only someone who can change the schema can tamper (and Verify finds it).
-- @sqlite
CREATE TABLE audit_entries (
  idx INTEGER PRIMARY KEY,           -- 0-based position in the log
  time_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,               -- pseudonym, never personal data
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  municipality_id BIGINT NOT NULL,   -- 0 = platform
  request_id TEXT NOT NULL,
  details_hash TEXT NOT NULL,        -- hex SHA-256 of the details
  leaf_hash BLOB NOT NULL,           -- RFC 9162 leaf hash
  chain BLOB NOT NULL,               -- c_i = SHA-256(c_{i-1} || signature_{i-1} || leaf_i)
  signature BLOB NOT NULL            -- Ed25519 over (idx, chain), platform key
);
-- Complete, aligned subtrees of 2^level leaves (level >= 8) starting at leaf pos * 2^level.
CREATE TABLE audit_nodes (
  level INTEGER NOT NULL,
  pos BIGINT NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, pos)
);
CREATE TABLE audit_checkpoints (
  tree_size BIGINT NOT NULL,
  key_id BIGINT NOT NULL,
  root_hash BLOB NOT NULL,
  time_ms BIGINT NOT NULL,
  signature BLOB NOT NULL,
  PRIMARY KEY (tree_size, key_id)
);
-- One row: the log's size, last chain value and signature, and the right edge of the tree (one
-- subtree hash per set bit of size).
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size BIGINT NOT NULL,
  chain BLOB NOT NULL,
  signature BLOB NOT NULL,
  frontier BLOB NOT NULL
);
INSERT INTO audit_head (id, size, chain, signature, frontier) VALUES (1, 0, x'', x'', x'');
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- @postgresql
CREATE TABLE audit_entries (
  idx BIGINT PRIMARY KEY,
  time_ms BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  municipality_id BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  details_hash TEXT NOT NULL,
  leaf_hash BYTEA NOT NULL,
  chain BYTEA NOT NULL,
  signature BYTEA NOT NULL
);
CREATE TABLE audit_nodes (
  level INTEGER NOT NULL,
  pos BIGINT NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (level, pos)
);
CREATE TABLE audit_checkpoints (
  tree_size BIGINT NOT NULL,
  key_id BIGINT NOT NULL,
  root_hash BYTEA NOT NULL,
  time_ms BIGINT NOT NULL,
  signature BYTEA NOT NULL,
  PRIMARY KEY (tree_size, key_id)
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  size BIGINT NOT NULL,
  chain BYTEA NOT NULL,
  signature BYTEA NOT NULL,
  frontier BYTEA NOT NULL
);
INSERT INTO audit_head (id, size, chain, signature, frontier)
  VALUES (1, 0, '\x'::bytea, '\x'::bytea, '\x'::bytea);
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit log is append-only';
END
$$;
CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_change BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
-- @all
CREATE INDEX audit_entries_by_municipality ON audit_entries (municipality_id, idx);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor, idx);
