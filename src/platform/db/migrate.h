// Schema migrations: numbered SQL files, applied in order, each in its own transaction, recorded
// in table schema_migrations with a SHA-256 checksum. An applied migration whose text changed is
// refused with a clear error naming it; a migration that fails part-way leaves the schema as it
// was (its transaction rolls back, DDL included, on both engines).
#pragma once

#include <string>
#include <vector>

#include "platform/db/database.h"

namespace baladiya::db {

struct Migration {
  int number = 0;    // 1, 2, ... unique across the program
  std::string name;  // "0001_tenancy"
  std::string sql;   // portable SQL, or with engine sections (below)
};

// A migration file may hold engine-specific parts between marker lines:
//   -- @sqlite
//   ...statements only for SQLite...
//   -- @postgresql
//   ...statements only for PostgreSQL...
//   -- @all
//   ...statements for both...
// Text before any marker is for both engines.
std::string SqlForEngine(const std::string& sql, std::string_view engine);

struct MigrationReport {
  std::vector<std::string> applied;  // names applied by this call
  int already_applied = 0;
};

// Applies the pending migrations in number order. Fails with kConflict ("migration.changed")
// when an applied migration's checksum differs, kInvalid when numbers repeat.
Result<MigrationReport> Migrate(Database& db, const std::vector<Migration>& migrations);

}  // namespace baladiya::db
