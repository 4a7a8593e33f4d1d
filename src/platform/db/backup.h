// Back-up and restore of the embedded (SQLite) database, safe while the server runs.
//
// A back-up is one consistent snapshot: it reads the whole database inside one read transaction
// (SQLite's online back-up), so writes that commit meanwhile go on and are simply not in it; what
// had committed before it began is. The copy is written beside its destination, checked with
// SQLite's integrity check, synced to disk and only then renamed into place: a back-up that fails
// or is interrupted leaves no file that looks like one. The key file is never part of it (keep
// the key file apart from the back-ups, as the README advises: a back-up alone reveals no
// personal data).
//
// PostgreSQL is backed up with its own tools (pg_dump / pg_restore; docs/OPERATIONS.md): both
// functions refuse a PostgreSQL URL with kInvalid saying so.
#pragma once

#include <cstdint>
#include <string>

#include "platform/result.h"

namespace baladiya::db {

struct BackupReport {
  int64_t bytes = 0;      // size of the copy
  int64_t pages = 0;      // database pages copied
  int64_t migration = 0;  // the highest migration the copy has applied (0 when it has none)
};

// Copies the database of `url` into the new file `to` (created readable by its owner only).
// kInvalid when url is PostgreSQL or `to` exists (a back-up never overwrites one); kUnavailable
// when the database cannot be read or the copy cannot be written (a full disk included), in which
// case nothing is left at `to`; kInternal when the copy fails its integrity check.
Result<BackupReport> Backup(const std::string& url, const std::string& to);

// Brings the back-up file `from` back as the database of `url`. The file must be a SQLite
// database that passes the integrity check and holds the program's migrations table (kInvalid
// otherwise, naming what is wrong; the target is then untouched). A target that exists is
// replaced only when `replace` is set (kInvalid otherwise); the server must be stopped first, as
// it keeps caches of what it read. The restored database is written through SQLite (its WAL and
// locks), so a stale write-ahead log of the old database is never replayed over it.
Result<BackupReport> Restore(const std::string& from, const std::string& url, bool replace);

}  // namespace baladiya::db
