#include "platform/db/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "platform/db/database.h"

namespace baladiya::db {
namespace {

namespace fs = std::filesystem;

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "error.invalid", std::move(detail));
}
Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "error.unavailable", std::move(detail));
}

// One SQLite connection, closed when it goes.
class Handle {
 public:
  Handle() = default;
  ~Handle() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  Status Open(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return Unavailable("cannot open " + path + ": " + Message());
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
    return Ok();
  }
  sqlite3* get() const { return db_; }
  std::string Message() const { return db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory"; }

  // The first column of the first row of sql as text (empty when there is no row).
  Result<std::string> Text(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      return Unavailable(Message());
    }
    std::string out;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    const bool failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
    sqlite3_finalize(st);
    if (failed) return Unavailable(Message());
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Copies every page of `from` into `to` in one step (one read transaction on `from`: a
// consistent snapshot), waiting while either side is locked.
Result<int64_t> CopyPages(Handle& from, Handle& to) {
  sqlite3_backup* b = sqlite3_backup_init(to.get(), "main", from.get(), "main");
  if (b == nullptr) return Unavailable("cannot start the copy: " + to.Message());
  int rc = SQLITE_OK;
  for (int tries = 0; tries < 200; ++tries) {
    rc = sqlite3_backup_step(b, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int64_t pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return Unavailable(std::string("the copy failed: ") + sqlite3_errstr(rc) + " (" + to.Message() +
                       ")");
  }
  return pages;
}

// Checks a database: SQLite's integrity check and the program's migrations table; returns the
// highest migration applied. `what` names it in errors.
Result<int64_t> Check(Handle& db, const std::string& what, ErrorCode code) {
  auto integrity = db.Text("PRAGMA integrity_check");
  if (!integrity.ok()) {
    return MakeError(code, "error.invalid",
                     what + " is not a SQLite database we can read: " + integrity.error().detail);
  }
  if (*integrity != "ok") {
    return MakeError(code, "error.invalid",
                     what + " fails SQLite's integrity check: " + *integrity);
  }
  auto table =
      db.Text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!table.ok()) return MakeError(code, "error.invalid", what + ": " + table.error().detail);
  if (table->empty()) {
    return MakeError(code, "error.invalid",
                     what + " is not a Baladiya database (it has no migrations table)");
  }
  auto top = db.Text("SELECT coalesce(max(number), 0) FROM schema_migrations");
  if (!top.ok()) return MakeError(code, "error.invalid", what + ": " + top.error().detail);
  return std::stoll(*top);
}

// Creates path readable by its owner only, when missing (SQLite keeps the mode for -wal, -shm).
Status CreatePrivate(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST) {
    return Unavailable("cannot create " + path + ": " + std::strerror(errno));
  }
  if (fd >= 0) ::close(fd);
  return Ok();
}

Status Sync(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return Unavailable("cannot open " + path + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return Unavailable("cannot sync " + path + ": " + std::strerror(err));
  return Ok();
}

Result<std::string> FileOf(const std::string& url, const char* tool) {
  if (IsPostgres(url)) {
    return Invalid(std::string("a PostgreSQL database is backed up and restored with ") + tool +
                   " (see the README, \"Back-up and restore\")");
  }
  return SqlitePath(url);
}

}  // namespace

Result<BackupReport> Backup(const std::string& url, const std::string& to) {
  auto path = FileOf(url, "pg_dump and pg_restore");
  if (!path.ok()) return std::move(path).error();
  std::error_code ec;
  if (!fs::exists(*path, ec)) return Invalid("there is no database at " + *path);
  if (to.empty()) return Invalid("name the file to write the back-up to");
  if (fs::exists(to, ec)) return Invalid(to + " exists: a back-up never overwrites a file");
  const std::string partial = to + ".partial";
  fs::remove(partial, ec);  // left by a back-up that was interrupted
  BackupReport report;
  Status done = [&]() -> Status {
    if (Status st = CreatePrivate(partial); !st.ok()) return st;
    Handle source;
    if (Status st = source.Open(*path, SQLITE_OPEN_READWRITE); !st.ok()) return st;
    Handle copy;
    if (Status st = copy.Open(partial, SQLITE_OPEN_READWRITE); !st.ok()) return st;
    auto pages = CopyPages(source, copy);
    if (!pages.ok()) return std::move(pages).error();
    report.pages = *pages;
    // One self-contained file: no write-ahead log beside it.
    if (auto mode = copy.Text("PRAGMA journal_mode = DELETE"); !mode.ok()) {
      return std::move(mode).error();
    }
    auto migration = Check(copy, "the copy", ErrorCode::kInternal);
    if (!migration.ok()) return std::move(migration).error();
    report.migration = *migration;
    return Ok();
  }();
  if (done.ok()) done = Sync(partial, O_RDONLY);
  if (done.ok() && ::rename(partial.c_str(), to.c_str()) != 0) {
    done = Unavailable("cannot rename the copy to " + to + ": " + std::strerror(errno));
  }
  if (!done.ok()) {
    fs::remove(partial, ec);
    return std::move(done).error();
  }
  const fs::path folder = fs::absolute(to, ec).parent_path();
  if (Status st = Sync(folder.string(), O_RDONLY | O_DIRECTORY); !st.ok()) return st.error();
  report.bytes = static_cast<int64_t>(fs::file_size(to, ec));
  return report;
}

Result<BackupReport> Restore(const std::string& from, const std::string& url, bool replace) {
  auto path = FileOf(url, "pg_dump and pg_restore");
  if (!path.ok()) return std::move(path).error();
  std::error_code ec;
  if (!fs::is_regular_file(from, ec)) return Invalid("there is no back-up file at " + from);
  Handle source;
  if (Status st = source.Open(from, SQLITE_OPEN_READONLY); !st.ok()) {
    return Invalid(st.error().detail);
  }
  auto migration = Check(source, from, ErrorCode::kInvalid);
  if (!migration.ok()) return std::move(migration).error();
  if (fs::exists(*path, ec) && !replace) {
    return Invalid(*path +
                   " exists: stop the server, then restore with --replace to put the back-up "
                   "in its place");
  }
  if (fs::path parent = fs::path(*path).parent_path(); !parent.empty()) {
    fs::create_directories(parent, ec);
  }
  if (Status st = CreatePrivate(*path); !st.ok()) return st.error();
  Handle target;
  if (Status st = target.Open(*path, SQLITE_OPEN_READWRITE); !st.ok()) return st.error();
  auto pages = CopyPages(source, target);
  if (!pages.ok()) return std::move(pages).error();
  auto restored = Check(target, *path, ErrorCode::kInternal);
  if (!restored.ok()) return std::move(restored).error();
  BackupReport report;
  report.pages = *pages;
  report.migration = *restored;
  report.bytes = static_cast<int64_t>(fs::file_size(*path, ec));
  return report;
}

}  // namespace baladiya::db
