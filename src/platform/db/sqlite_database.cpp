// The SQLite engine: one writer connection behind a mutex (BEGIN IMMEDIATE; concurrent writes
// share one commit, each in its own savepoint), a pool of read-only connections (BEGIN
// deferred, so each Read sees one snapshot), WAL journal, a prepared-statement cache per
// connection.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "platform/db/internal.h"

namespace baladiya::db::internal {
namespace {

constexpr size_t kMaxCachedStatements = 256;
constexpr size_t kSqlInDetail = 120;  // characters of SQL quoted in error details

std::string SqlExcerpt(std::string_view sql) {
  std::string s(sql.substr(0, kSqlInDetail));
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return sql.size() > kSqlInDetail ? s + "..." : s;
}

ErrorCode CodeFor(int extended_rc) {
  switch (extended_rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_ROWID:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return ErrorCode::kConflict;
    default:
      break;
  }
  switch (extended_rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_NOMEM:
    case SQLITE_PROTOCOL:
      return ErrorCode::kUnavailable;
    default:
      return ErrorCode::kInternal;
  }
}

// The error for a failed call on db; sql (may be empty) is quoted in the detail.
Error SqliteError(sqlite3* db, std::string_view sql) {
  int rc = sqlite3_extended_errcode(db);
  std::string detail = std::string("sqlite: ") + sqlite3_errmsg(db);
  if (!sql.empty()) detail += " (in: " + SqlExcerpt(sql) + ")";
  switch (CodeFor(rc)) {
    case ErrorCode::kConflict:
      return Conflict(std::move(detail));
    case ErrorCode::kUnavailable:
      return Unavailable(std::move(detail));
    default:
      return InternalError(std::move(detail));
  }
}

// One sqlite3 handle with its statement cache. Used by one thread at a time.
class Connection {
 public:
  // Opens path; the error detail is SQLite's reason only (the caller names the file).
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                  int busy_timeout_ms) {
    int flags = SQLITE_OPEN_NOMUTEX |
                (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!read_only && path != ":memory:" && !path.starts_with("file:")) {
      // The database holds personal data (sealed) and the audit log: created readable by its
      // owner only. SQLite gives the -wal and -shm files the database file's mode.
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd >= 0) ::close(fd);
    }
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    std::unique_ptr<Connection> conn(new Connection(db));
    if (rc != SQLITE_OK) {
      return Unavailable(db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_timeout_ms);
    return conn;
  }

  ~Connection() {
    ClearCache();
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* handle() const { return db_; }

  // A cached prepared statement for sql, which must hold exactly one statement.
  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    if (sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt, &tail) != SQLITE_OK) {
      return SqliteError(db_, sql);
    }
    if (stmt == nullptr) return InternalError("sqlite: empty statement");
    if (!OnlyCommentsIn(tail, key.data() + key.size())) {
      sqlite3_finalize(stmt);
      return InternalError("sqlite: more than one statement in Query/Exec (use ExecScript): " +
                           SqlExcerpt(sql));
    }
    if (cache_.size() >= kMaxCachedStatements) ClearCache();
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  // Runs sql (one or more statements, no parameters, results ignored).
  Status ExecScript(std::string_view sql) {
    std::string text(sql);
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
      return SqliteError(db_, sql);
    }
    return Ok();
  }

  // Runs one statement without parameters or results (BEGIN, COMMIT, SAVEPOINT ...), prepared
  // once and cached: cheaper than ExecScript, which parses its text on every call.
  Status Run(std::string_view sql) {
    Result<sqlite3_stmt*> stmt = Prepare(sql);
    if (!stmt) return Error(stmt.error());
    int rc = sqlite3_step(*stmt);
    sqlite3_reset(*stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteError(db_, sql);
    return Ok();
  }

  // Ends the open transaction, if any; errors are ignored (there is nothing left to undo).
  void Rollback() {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  bool OnlyCommentsIn(const char* begin, const char* end) {
    if (begin == nullptr || begin >= end) return true;
    sqlite3_stmt* rest = nullptr;
    int rc = sqlite3_prepare_v2(db_, begin, static_cast<int>(end - begin), &rest, nullptr);
    sqlite3_finalize(rest);
    return rc == SQLITE_OK && rest == nullptr;
  }

  void ClearCache() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    cache_.clear();
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Resets a cached statement and its bindings when the call using it ends.
class StatementReset {
 public:
  explicit StatementReset(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~StatementReset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  StatementReset(const StatementReset&) = delete;
  StatementReset& operator=(const StatementReset&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

int Bind(sqlite3_stmt* stmt, int index, const Value& value) {
  if (auto* n = std::get_if<int64_t>(&value)) return sqlite3_bind_int64(stmt, index, *n);
  if (auto* d = std::get_if<double>(&value)) return sqlite3_bind_double(stmt, index, *d);
  if (auto* s = std::get_if<std::string>(&value)) {
    return sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  if (auto* b = std::get_if<Blob>(&value)) {
    // data() is never null, so an empty Blob binds as a zero-length BLOB, not NULL.
    return sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
  }
  return sqlite3_bind_null(stmt, index);
}

Value ColumnValue(sqlite3_stmt* stmt, int i) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
      return static_cast<int64_t>(sqlite3_column_int64(stmt, i));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      return std::string(text ? text : "", sqlite3_column_bytes(stmt, i));
    }
    case SQLITE_BLOB: {
      auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      return Blob{std::string(bytes ? bytes : "", sqlite3_column_bytes(stmt, i))};
    }
    default:
      return nullptr;
  }
}

std::vector<std::string> ColumnNames(sqlite3_stmt* stmt) {
  std::vector<std::string> names;
  int n = sqlite3_column_count(stmt);
  for (int i = 0; i < n; ++i) names.emplace_back(sqlite3_column_name(stmt, i));
  return names;
}

// A transaction on one connection. After a statement fails, every later statement fails with
// the same error and the transaction is rolled back (as PostgreSQL does), so both engines behave
// alike.
class SqliteTx : public Tx {
 public:
  SqliteTx(Connection& conn, StatsRecorder& stats) : conn_(conn), stats_(stats) {}

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Rows rows;
    if (Status s = Run(sql, params, &rows, nullptr); !s) return Error(s.error());
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    if (Status s = Run(sql, params, nullptr, &changes); !s) return Error(s.error());
    return changes;
  }

  Status ExecScript(std::string_view sql) override {
    if (failure_) return *failure_;
    StatementTimer timer(stats_);
    Status s = conn_.ExecScript(sql);
    timer.Done(s.ok());
    if (!s) failure_ = s.error();
    return s;
  }

  // The first statement error, if any.
  const std::optional<Error>& failure() const { return failure_; }

 private:
  Status Run(std::string_view sql, const Params& params, Rows* rows, int64_t* changes) {
    if (failure_) return *failure_;
    StatementTimer timer(stats_);
    Status s = Step(sql, params, rows, changes);
    timer.Done(s.ok());
    if (!s) failure_ = s.error();
    return s;
  }

  Status Step(std::string_view sql, const Params& params, Rows* rows, int64_t* changes) {
    Result<sqlite3_stmt*> prepared = conn_.Prepare(sql);
    if (!prepared) return Error(prepared.error());
    sqlite3_stmt* stmt = *prepared;
    StatementReset reset(stmt);
    if (Status s = BindAll(stmt, sql, params); !s) return s;
    if (rows) rows->columns = ColumnNames(stmt);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      if (rows) rows->rows.push_back(ReadRow(stmt));
    }
    if (rc != SQLITE_DONE) return SqliteError(conn_.handle(), sql);
    if (changes) *changes = sqlite3_stmt_readonly(stmt) ? 0 : sqlite3_changes64(conn_.handle());
    return Ok();
  }

  Status BindAll(sqlite3_stmt* stmt, std::string_view sql, const Params& params) {
    int expected = sqlite3_bind_parameter_count(stmt);
    if (static_cast<size_t>(expected) != params.size()) {
      return InternalError("sqlite: statement takes " + std::to_string(expected) +
                           " parameters, got " + std::to_string(params.size()) +
                           " (in: " + SqlExcerpt(sql) + ")");
    }
    for (size_t i = 0; i < params.size(); ++i) {
      if (Bind(stmt, static_cast<int>(i + 1), params[i]) != SQLITE_OK) {
        return SqliteError(conn_.handle(), sql);
      }
    }
    return Ok();
  }

  static Row ReadRow(sqlite3_stmt* stmt) {
    int n = sqlite3_column_count(stmt);
    std::vector<Value> values;
    values.reserve(n);
    for (int i = 0; i < n; ++i) values.push_back(ColumnValue(stmt, i));
    return Row(std::move(values));
  }

  Connection& conn_;
  StatsRecorder& stats_;
  std::optional<Error> failure_;
};

// Checkpoints the WAL into the database file mostly on a thread of its own, with its own
// connection, so that writes do not wait for the bulk of the copy and its fsync (SQLite would
// otherwise run the whole checkpoint inside the commit that crosses its threshold). The
// background pass is PASSIVE: it blocks nobody, but a busy writer keeps adding frames meanwhile,
// so it never copies the WAL completely, and only a complete copy lets the next write start the
// WAL from its beginning (otherwise it grows without end). So once the background pass has
// copied all but a little, the writer itself copies that remainder right after a commit, while no
// other write can start (PASSIVE again: readers are never waited for; if one still reads old
// frames, the next commit tries again).
//
// Under synchronous=normal SQLite syncs the WAL only when it checkpoints, so on a quiet server
// the commits of hours could sit in the OS's cache and a power cut would lose them. The
// background thread therefore also syncs the WAL (through SQLite's own handle of it, so the VFS
// sees the sync) at most kSyncEvery after a commit: a power cut loses at most about a second of
// acknowledged writes, at the cost of one fsync a second while writes arrive.
class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kSyncEvery{1000};
  // Four times SQLite's own threshold (16 MiB of WAL): the pages every write touches (the
  // last leaf of each growing table and index) are copied once per checkpoint however many
  // times the WAL holds them, so fewer, larger checkpoints copy less.
  static constexpr int kPages = 4000;

  // sync_wal: sync the WAL on a timer (synchronous=normal; full syncs every commit itself).
  Checkpointer(std::unique_ptr<Connection> conn, bool sync_wal)
      : conn_(std::move(conn)), sync_wal_(sync_wal), thread_([this] { Loop(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Installed as the writer's WAL hook (which also turns SQLite's auto-checkpoint off there).
  // Runs on the writer's thread after each commit, before the next write can begin.
  static int OnCommit(void* self, sqlite3* writer, const char*, int wal_pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (c->sync_wal_) {
      if (c->wal_.load(std::memory_order_acquire) == nullptr) {
        sqlite3_file* wal = nullptr;
        if (sqlite3_file_control(writer, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK &&
            wal != nullptr && wal->pMethods != nullptr) {
          c->wal_.store(wal, std::memory_order_release);
        }
      }
      c->unsynced_.store(true, std::memory_order_release);
    }
    if (wal_pages < kPages) return SQLITE_OK;
    const int copied = c->copied_.load(std::memory_order_acquire);
    if (copied > 0 && wal_pages - copied <= kPages / 4) {
      c->copied_.store(0, std::memory_order_release);
      sqlite3_wal_checkpoint_v2(writer, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else {
      c->Nudge();
    }
    return SQLITE_OK;
  }

 private:
  void Nudge() {
    {
      std::lock_guard lock(mu_);
      due_ = true;
    }
    cv_.notify_one();
  }

  void Loop() {
    std::unique_lock lock(mu_);
    while (!stop_) {
      if (!cv_.wait_for(lock, kSyncEvery, [this] { return stop_ || due_; })) {
        // A second without a checkpoint: make the commits since the last sync durable.
        lock.unlock();
        SyncWal();
        lock.lock();
        continue;
      }
      if (stop_) break;
      due_ = false;
      lock.unlock();
      int wal = 0;
      int copied = 0;
      // A connection that has read nothing yet has not opened the WAL, and would checkpoint
      // nothing: a read of the schema opens it.
      (void)conn_->ExecScript("SELECT count(*) FROM sqlite_schema");
      sqlite3_wal_checkpoint_v2(conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &wal, &copied);
      copied_.store(copied, std::memory_order_release);
      lock.lock();
    }
  }

  void SyncWal() {
    if (!unsynced_.exchange(false, std::memory_order_acq_rel)) return;
    sqlite3_file* wal = wal_.load(std::memory_order_acquire);
    // The writer's handle of its WAL, open for the writer's life (this thread stops first).
    if (wal != nullptr && wal->pMethods != nullptr)
      (void)wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
  }

  std::unique_ptr<Connection> conn_;
  const bool sync_wal_;
  std::atomic<sqlite3_file*> wal_{nullptr};  // the writer's WAL file, once known
  std::atomic<bool> unsynced_{false};        // commits since the last timed sync
  std::atomic<int> copied_{0};  // frames the last background pass copied (0: none pending)
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;   // guarded by mu_
  bool stop_ = false;  // guarded by mu_
  std::thread thread_;
};

// A write waiting in the group-commit queue (it lives on its caller's stack).
struct PendingWrite {
  const std::function<Status(Tx&)>* fn;
  Status result = Ok();
  bool done = false;  // guarded by the queue's mutex
  // Woken alone: when its write is committed or refused, or when it is to lead the next batch
  // (a shared condition would wake every waiter for every batch).
  std::condition_variable wake;
};

// The SQLite engine proper.
class SqliteDatabase : public Database {
 public:
  SqliteDatabase(std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers,
                 std::unique_ptr<Connection> checkpointer, int busy_timeout_ms, bool sync_wal)
      : writer_(std::move(writer)),
        idle_readers_(std::move(readers)),
        busy_timeout_(busy_timeout_ms),
        checkpointer_(std::make_unique<Checkpointer>(std::move(checkpointer), sync_wal)) {
    sqlite3_wal_hook(writer_->handle(), &Checkpointer::OnCommit, checkpointer_.get());
  }

  ~SqliteDatabase() override { Close(); }

  std::string_view Engine() const override { return "sqlite"; }

  // Group commit: a caller that finds no batch running leads one. It takes the writes queued so
  // far (its own included), runs each in a savepoint of one BEGIN IMMEDIATE transaction on the
  // writer, and commits them together; the others wait and get their own result. A write that
  // fails is rolled back to its savepoint and does not touch the rest of the batch. Each caller
  // still returns only after its changes are committed (or refused), exactly as if it had its own
  // transaction; the batch only shares the commit (the WAL frames of the pages several writes
  // touch, and the lock and sync work of each commit).
  Status Write(const std::function<Status(Tx&)>& fn) override {
    if (writing_thread_ == this) {
      return InternalError("sqlite: Database::Write called inside Write on the same thread");
    }
    PendingWrite me{&fn};
    std::unique_lock lock(group_mu_);
    queue_.push_back(&me);
    for (;;) {
      if (me.done) return std::move(me.result);
      if (leading_) {
        me.wake.wait(lock);
        continue;
      }
      leading_ = true;
      const size_t take = std::min(queue_.size(), kMaxBatch);
      std::vector<PendingWrite*> batch(queue_.begin(), queue_.begin() + static_cast<long>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
      lock.unlock();
      std::vector<Status> results = RunBatch(batch);
      lock.lock();
      for (size_t i = 0; i < batch.size(); ++i) {
        batch[i]->result = std::move(results[i]);
        batch[i]->done = true;
        batch[i]->wake.notify_one();
      }
      leading_ = false;
      if (!queue_.empty()) queue_.front()->wake.notify_one();
    }
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    Result<std::unique_ptr<Connection>> reader = AcquireReader();
    if (!reader) return Error(reader.error());
    Status s = RunTransaction(**reader, "BEGIN", fn, /*write=*/false);
    ReleaseReader(std::move(*reader));
    return s;
  }

  // One statement in autocommit mode: it reads one snapshot by itself, without the BEGIN and
  // COMMIT a Read adds.
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Result<std::unique_ptr<Connection>> reader = AcquireReader();
    if (!reader) return Error(reader.error());
    Result<Rows> rows = [&]() -> Result<Rows> {
      SqliteTx tx(**reader, stats_);
      return tx.Query(sql, params);
    }();
    ReleaseReader(std::move(*reader));
    return rows;
  }

  Status Ping() override {
    Result<Rows> r = Query("SELECT count(*) FROM sqlite_schema", {});
    return r ? Ok() : Status(Error(r.error()));
  }

  DatabaseStats Stats() const override { return stats_.Snapshot(); }
  uint64_t WriteGeneration() const override { return stats_.Commits(); }

  void Close() override {
    {
      std::lock_guard lock(pool_mu_);
      closed_ = true;
      idle_readers_.clear();  // readers in use are closed when they come back
    }
    pool_cv_.notify_all();
    std::lock_guard lock(write_mu_);
    if (writer_) sqlite3_wal_hook(writer_->handle(), nullptr, nullptr);
    checkpointer_.reset();  // waits for a running checkpoint
    writer_.reset();        // the last connection to close checkpoints what is left
  }

 private:
  static Error Closed() { return Unavailable("sqlite: database is closed"); }

  Status RunTransaction(Connection& conn, const char* begin, const std::function<Status(Tx&)>& fn,
                        bool write) {
    if (Status s = conn.Run(begin); !s) return s;
    SqliteTx tx(conn, stats_);
    Status result = CallSafely(fn, tx);
    if (result && tx.failure()) result = *tx.failure();
    if (result) {
      Status commit = conn.Run("COMMIT");
      if (commit) {
        if (write) {
          stats_.Committed();
          stats_.GroupCommitted(1);
        }
        return result;
      }
      result = commit;
    }
    conn.Rollback();
    if (write) stats_.RolledBack();
    return result;
  }

  // Runs the batch on the writer and returns each write's result, in order.
  std::vector<Status> RunBatch(const std::vector<PendingWrite*>& batch) {
    std::lock_guard lock(write_mu_);
    if (!writer_) return std::vector<Status>(batch.size(), Status(Closed()));
    writing_thread_ = this;
    std::vector<Status> results;
    if (batch.size() == 1) {
      results.push_back(RunTransaction(*writer_, "BEGIN IMMEDIATE", *batch[0]->fn, true));
    } else {
      results = RunGroup(*writer_, batch);
    }
    writing_thread_ = nullptr;
    return results;
  }

  std::vector<Status> RunGroup(Connection& conn, const std::vector<PendingWrite*>& batch) {
    if (Status s = conn.Run("BEGIN IMMEDIATE"); !s) {
      return std::vector<Status>(batch.size(), s);
    }
    std::vector<Status> results;
    results.reserve(batch.size());
    size_t committed = 0;
    for (PendingWrite* w : batch) {
      Status r = conn.Run("SAVEPOINT grouped_write");
      if (r) {
        SqliteTx tx(conn, stats_);
        r = CallSafely(*w->fn, tx);
        if (r && tx.failure()) r = *tx.failure();
      }
      if (sqlite3_get_autocommit(conn.handle())) {
        // SQLite rolled the whole transaction back (I/O error, disk full, out of memory): the
        // writes before this one are lost with it, so none of the batch is committed.
        Status lost = r ? Status(Unavailable("sqlite: the transaction was rolled back")) : r;
        for (Status& earlier : results) {
          if (earlier) earlier = lost;
        }
        results.push_back(lost);
        while (results.size() < batch.size()) results.push_back(lost);
        for (size_t i = 0; i < batch.size(); ++i) stats_.RolledBack();
        return results;
      }
      if (r) {
        r = conn.Run("RELEASE grouped_write");
        if (r) ++committed;
      } else {
        // Undo this write only; the transaction and the others' writes stay.
        (void)conn.Run("ROLLBACK TO grouped_write");
        (void)conn.Run("RELEASE grouped_write");
        stats_.RolledBack();
      }
      results.push_back(std::move(r));
    }
    if (committed == 0) {
      conn.Rollback();
      return results;
    }
    if (Status commit = conn.Run("COMMIT"); !commit) {
      conn.Rollback();
      for (Status& r : results) {
        if (r) {
          r = commit;
          stats_.RolledBack();
        }
      }
      return results;
    }
    for (size_t i = 0; i < committed; ++i) stats_.Committed();
    stats_.GroupCommitted(committed);
    return results;
  }

  Result<std::unique_ptr<Connection>> AcquireReader() {
    std::unique_lock lock(pool_mu_);
    bool available = pool_cv_.wait_for(lock, std::chrono::milliseconds(busy_timeout_),
                                       [&] { return closed_ || !idle_readers_.empty(); });
    if (closed_) return Closed();
    if (!available) return Unavailable("sqlite: no read connection free within busy_timeout");
    std::unique_ptr<Connection> conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return conn;
  }

  void ReleaseReader(std::unique_ptr<Connection> conn) {
    {
      std::lock_guard lock(pool_mu_);
      if (closed_) return;  // conn is closed on return
      idle_readers_.push_back(std::move(conn));
    }
    pool_cv_.notify_one();
  }

  // The database whose Write runs on this thread, to refuse a nested Write (it would deadlock).
  static thread_local const SqliteDatabase* writing_thread_;

  // Group commit: the writes waiting for a batch, and whether a caller is running one.
  static constexpr size_t kMaxBatch = 64;
  std::mutex group_mu_;
  std::vector<PendingWrite*> queue_;  // guarded by group_mu_
  bool leading_ = false;              // guarded by group_mu_

  std::mutex write_mu_;
  std::unique_ptr<Connection> writer_;  // guarded by write_mu_; null after Close
  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by pool_mu_
  bool closed_ = false;                                    // guarded by pool_mu_
  int busy_timeout_;
  StatsRecorder stats_;
  std::unique_ptr<Checkpointer> checkpointer_;  // guarded by write_mu_ (reset by Close)
};

thread_local const SqliteDatabase* SqliteDatabase::writing_thread_ = nullptr;

// Returns the first value of a one-row PRAGMA.
Result<std::string> PragmaValue(Connection& conn, const std::string& pragma) {
  Result<sqlite3_stmt*> stmt = conn.Prepare(pragma);
  if (!stmt) return Error(stmt.error());
  StatementReset reset(*stmt);
  int rc = sqlite3_step(*stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return SqliteError(conn.handle(), pragma);
  auto* text = rc == SQLITE_ROW ? sqlite3_column_text(*stmt, 0) : nullptr;
  return std::string(text ? reinterpret_cast<const char*>(text) : "");
}

// Opens the writer and sets the file up: WAL, synchronous, foreign keys.
Result<std::unique_ptr<Connection>> OpenWriter(const std::string& path,
                                               const DatabaseOptions& options) {
  auto conn = Connection::Open(path, /*read_only=*/false, options.busy_timeout_ms);
  if (!conn) return conn;
  Result<std::string> mode = PragmaValue(**conn, "PRAGMA journal_mode=WAL");
  if (!mode) return Error(mode.error());
  if (*mode != "wal") return Unavailable("cannot switch to WAL journal mode (got " + *mode + ")");
  // Debian builds SQLite with WAL defaulting to FULL, so the level is always set explicitly.
  std::string sync = options.synchronous == "full" ? "FULL" : "NORMAL";
  // A page cache of up to 32 MiB for the writer (SQLite's default is 2 MiB): once tables and
  // indexes outgrow the cache, every write reads its pages back from the OS. It grows only as used.
  // Temporary storage in memory: under group commit every write runs in a savepoint whose undo
  // journal would otherwise spill to a temporary file past 64 KiB (a submission touches more).
  if (Status s = (*conn)->ExecScript(
          "PRAGMA synchronous=" + sync +
          "; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY");
      !s) {
    return Error(s.error());
  }
  return conn;
}

Result<std::unique_ptr<Connection>> OpenReader(const std::string& path,
                                               const DatabaseOptions& options) {
  auto conn = Connection::Open(path, /*read_only=*/true, options.busy_timeout_ms);
  if (!conn) return conn;
  if (Status s = (*conn)->ExecScript("PRAGMA foreign_keys=ON; PRAGMA cache_size=-8192"); !s)
    return Error(s.error());
  return conn;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options) {
  auto fail = [&](const std::string& why) -> Error {
    return Unavailable("cannot open SQLite database " + path + ": " + why);
  };
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return fail("cannot create folder " + parent.string() + ": " + ec.message());
  }
  // SQLite keeps memory statistics behind one process-wide mutex that every allocation of every
  // connection takes; nothing here reads them, and the connections' threads stop contending for
  // it. Must precede SQLite's initialisation (a no-op once it is initialised, e.g. by a test).
  static const bool configured = [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  auto writer = OpenWriter(path, options);
  if (!writer) return fail(writer.error().detail);
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < options.read_pool_size; ++i) {
    auto reader = OpenReader(path, options);
    if (!reader) return fail(reader.error().detail);
    readers.push_back(std::move(*reader));
  }
  auto checkpointer = Connection::Open(path, /*read_only=*/false, options.busy_timeout_ms);
  if (!checkpointer) return fail(checkpointer.error().detail);
  return std::unique_ptr<Database>(new SqliteDatabase(
      std::move(*writer), std::move(readers), std::move(*checkpointer), options.busy_timeout_ms,
      /*sync_wal=*/options.synchronous != "full"));
}

}  // namespace baladiya::db::internal
