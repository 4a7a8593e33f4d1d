// Row accessors, Open() dispatch, and the helpers both engines share.
#include "platform/db/database.h"

#include <charconv>
#include <exception>
#include <string>

#include "platform/db/internal.h"

namespace baladiya::db {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Parses a whole decimal integer, or a decimal number truncated toward zero ("12.50" -> 12).
std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t n = 0;
  const char* end = text.data() + text.size();
  auto [p, ec] = std::from_chars(text.data(), end, n);
  if (ec == std::errc() && p == end) return n;
  double d = 0;
  auto [q, ec2] = std::from_chars(text.data(), end, d);
  if (ec2 == std::errc() && q == end && d > -9.2e18 && d < 9.2e18) return static_cast<int64_t>(d);
  return std::nullopt;
}

std::string FormatDouble(double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, p) : std::string();
}

Status ValidateOptions(const DatabaseOptions& options) {
  if (options.url.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "database url is empty");
  }
  if (options.read_pool_size < 1 || options.read_pool_size > 256) {
    return MakeError(ErrorCode::kInvalid, "error.invalid",
                     "read_pool_size must be between 1 and 256");
  }
  if (options.synchronous != "normal" && options.synchronous != "full") {
    return MakeError(
        ErrorCode::kInvalid, "error.invalid",
        "synchronous must be \"normal\" or \"full\", not \"" + options.synchronous + "\"");
  }
  if (options.busy_timeout_ms < 0) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "busy_timeout_ms must be >= 0");
  }
  return Ok();
}

}  // namespace

int64_t Row::Int(size_t i) const { return OptionalInt(i).value_or(0); }

std::optional<int64_t> Row::OptionalInt(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  if (auto* s = std::get_if<std::string>(&v)) return ParseInt(*s);
  return std::nullopt;
}

double Row::Real(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* n = std::get_if<int64_t>(&v)) return static_cast<double>(*n);
  if (auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    std::from_chars(s->data(), s->data() + s->size(), d);
    return d;
  }
  return 0;
}

std::string Row::Text(size_t i) const { return OptionalText(i).value_or(std::string()); }

std::optional<std::string> Row::OptionalText(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) return FormatDouble(*d);
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return std::nullopt;
}

std::string Row::Bytes(size_t i) const {
  const Value& v = values_.at(i);
  if (auto* b = std::get_if<Blob>(&v)) return b->bytes;
  return Text(i);
}

Status LockKey(Database& db, Tx& tx, std::string_view space, int64_t key) {
  if (db.Engine() != "postgresql") return Ok();
  // FNV-1a over the space's bytes and the key's, folded to the signed bigint the lock takes.
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
  for (char c : space) mix(static_cast<unsigned char>(c));
  for (int i = 0; i < 8; ++i)
    mix(static_cast<unsigned char>(static_cast<uint64_t>(key) >> (8 * i)));
  auto locked = tx.Exec("SELECT pg_advisory_xact_lock(?)", {static_cast<int64_t>(h)});
  if (!locked.ok()) return std::move(locked).error();
  return Ok();
}

bool IsPostgres(std::string_view url) {
  return StartsWith(url, "postgresql://") || StartsWith(url, "postgres://");
}

Result<std::string> SqlitePath(std::string_view url) {
  if (StartsWith(url, kSqlitePrefix)) {
    url.remove_prefix(kSqlitePrefix.size());
    if (StartsWith(url, "//")) url.remove_prefix(2);  // sqlite:///abs/path
  }
  if (url.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "SQLite database path is empty");
  }
  return std::string(url);
}

Result<std::unique_ptr<Database>> Open(const DatabaseOptions& options) {
  try {
    if (Status valid = ValidateOptions(options); !valid) return Error(valid.error());
    if (IsPostgres(options.url)) return internal::OpenPostgres(options);
    auto path = SqlitePath(options.url);
    if (!path.ok()) return std::move(path).error();
    return internal::OpenSqlite(*path, options);
  } catch (const std::exception& e) {
    return internal::InternalError(std::string("opening the database: ") + e.what());
  }
}

namespace internal {

Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "error.unavailable", std::move(detail));
}

Error Conflict(std::string detail) {
  return MakeError(ErrorCode::kConflict, "error.conflict", std::move(detail));
}

Error InternalError(std::string detail) {
  return MakeError(ErrorCode::kInternal, "error.internal", std::move(detail));
}

void StatsRecorder::Statement(uint64_t micros, bool ok) {
  queries_.fetch_add(1, std::memory_order_relaxed);
  query_micros_.fetch_add(micros, std::memory_order_relaxed);
  if (!ok) errors_.fetch_add(1, std::memory_order_relaxed);
  uint64_t slowest = slowest_micros_.load(std::memory_order_relaxed);
  while (micros > slowest &&
         !slowest_micros_.compare_exchange_weak(slowest, micros, std::memory_order_relaxed)) {
  }
}

DatabaseStats StatsRecorder::Snapshot() const {
  DatabaseStats s;
  s.queries = queries_.load(std::memory_order_relaxed);
  s.query_micros = query_micros_.load(std::memory_order_relaxed);
  s.transactions = transactions_.load(std::memory_order_relaxed);
  s.rollbacks = rollbacks_.load(std::memory_order_relaxed);
  s.commits = commits_.load(std::memory_order_relaxed);
  s.grouped = grouped_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.slowest_micros = slowest_micros_.load(std::memory_order_relaxed);
  return s;
}

Status CallSafely(const std::function<Status(Tx&)>& fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return InternalError(std::string("exception in database transaction: ") + e.what());
  } catch (...) {
    return InternalError("unknown exception in database transaction");
  }
}

std::string FirstLine(std::string_view message) {
  message = message.substr(0, message.find('\n'));
  while (!message.empty() &&
         (message.back() == ' ' || message.back() == '\r' || message.back() == '\t')) {
    message.remove_suffix(1);
  }
  return std::string(message);
}

}  // namespace internal
}  // namespace baladiya::db
