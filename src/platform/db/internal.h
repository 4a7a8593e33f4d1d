// Pieces shared by the two engines and their tests. Not part of the public API: modules include
// database.h and migrate.h only.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "platform/db/database.h"

namespace baladiya::db::internal {

// Engine constructors; options.url has already been dispatched by Open().
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                             const DatabaseOptions& options);
Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options);

// `?` placeholders rewritten to $1, $2, ... outside string literals ('...', E'...', $tag$...$tag$),
// quoted identifiers ("...") and comments (-- to end of line, /* ... */ nested).
struct RewrittenSql {
  std::string sql;
  int placeholders = 0;
};
RewrittenSql RewritePlaceholders(std::string_view sql);

// Errors with the message keys the engines use.
Error Unavailable(std::string detail);
Error Conflict(std::string detail);
Error InternalError(std::string detail);

// Lock-free counters behind Database::Stats().
class StatsRecorder {
 public:
  void Statement(uint64_t micros, bool ok);
  void Committed() { transactions_.fetch_add(1, std::memory_order_release); }
  uint64_t Commits() const { return transactions_.load(std::memory_order_acquire); }
  void RolledBack() { rollbacks_.fetch_add(1, std::memory_order_relaxed); }
  // A COMMIT that carried `writes` write transactions (more than one under group commit).
  void GroupCommitted(uint64_t writes) {
    commits_.fetch_add(1, std::memory_order_relaxed);
    if (writes > 1) grouped_.fetch_add(writes, std::memory_order_relaxed);
  }
  DatabaseStats Snapshot() const;

 private:
  std::atomic<uint64_t> queries_{0};
  std::atomic<uint64_t> query_micros_{0};
  std::atomic<uint64_t> transactions_{0};
  std::atomic<uint64_t> rollbacks_{0};
  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> grouped_{0};
  std::atomic<uint64_t> errors_{0};
  std::atomic<uint64_t> slowest_micros_{0};
};

// Measures one statement: construct before it runs, call Done(ok) after.
class StatementTimer {
 public:
  explicit StatementTimer(StatsRecorder& stats)
      : stats_(stats), start_(std::chrono::steady_clock::now()) {}
  void Done(bool ok) {
    auto elapsed = std::chrono::steady_clock::now() - start_;
    stats_.Statement(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count(), ok);
  }

 private:
  StatsRecorder& stats_;
  std::chrono::steady_clock::time_point start_;
};

// Runs fn(tx), turning an exception thrown by fn into a kInternal error.
Status CallSafely(const std::function<Status(Tx&)>& fn, Tx& tx);

// First line of an engine message, without trailing blanks.
std::string FirstLine(std::string_view message);

}  // namespace baladiya::db::internal
