-- PostgreSQL: makes ${ROLE} the server's application role, one that cannot cut back or rewrite
-- the audit log. The schema's owner runs it after `baladiya migrate` (and again after every
-- later migration, so that new tables are granted too); the server then connects as ${ROLE},
-- and migrations keep running as the owner. `baladiya audit app-role-sql ROLE [SCHEMA]` prints
-- this text with the names filled in; the test AuditStoreTest.AppRoleCannotCutBackTheLog
-- (PostgreSQL) runs it.
--
-- What ${ROLE} may do: read and write every table, except that on the audit tables it may only
-- SELECT and INSERT (no UPDATE, DELETE or TRUNCATE), and on audit_head only UPDATE the four
-- columns an append moves (that counter is a cache: `audit verify` rebuilds everything from the
-- entries). It owns nothing, so it cannot drop or disable the append-only triggers, change the
-- schema, or run migrations.
REVOKE ALL ON ALL TABLES IN SCHEMA ${SCHEMA} FROM ${ROLE};
REVOKE CREATE ON SCHEMA ${SCHEMA} FROM ${ROLE};
GRANT USAGE ON SCHEMA ${SCHEMA} TO ${ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${SCHEMA} TO ${ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${SCHEMA} TO ${ROLE};
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${SCHEMA}.audit_entries,
  ${SCHEMA}.audit_nodes, ${SCHEMA}.audit_checkpoints, ${SCHEMA}.audit_head,
  ${SCHEMA}.audit_details FROM ${ROLE};
GRANT UPDATE (size, chain, signature, frontier) ON ${SCHEMA}.audit_head TO ${ROLE};
REVOKE INSERT, DELETE, UPDATE, TRUNCATE ON ${SCHEMA}.schema_migrations FROM ${ROLE};
