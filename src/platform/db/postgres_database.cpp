// The PostgreSQL engine: libpq, a pool of connections (broken ones are dropped and reopened),
// `?` placeholders rewritten to $n, parameters in text format except Blob (binary BYTEA).
// Write runs at READ COMMITTED; Read in a REPEATABLE READ READ ONLY snapshot.
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "platform/db/internal.h"

namespace baladiya::db::internal {
namespace {

// Type OIDs from pg_type.h (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

constexpr int kPingTimeoutMs = 3000;
constexpr size_t kSqlInDetail = 120;

struct ConnCloser {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
struct ResultClearer {
  void operator()(PGresult* res) const { PQclear(res); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnCloser>;
using ResultPtr = std::unique_ptr<PGresult, ResultClearer>;

std::string SqlExcerpt(std::string_view sql) {
  std::string s(sql.substr(0, kSqlInDetail));
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return sql.size() > kSqlInDetail ? s + "..." : s;
}

// "HOST:PORT/DB" of a connection, without user or password.
std::string Where(PGconn* conn) {
  auto text = [](const char* s) { return std::string(s && *s ? s : "?"); };
  return text(PQhost(conn)) + ":" + text(PQport(conn)) + "/" + text(PQdb(conn));
}

Result<ConnPtr> Connect(const std::string& url) {
  // Defaults first: settings given in the URL (dbname, expanded last) override them.
  const char* keys[] = {"connect_timeout",  "application_name", "client_encoding",
                        "keepalives",       "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "dbname",           nullptr};
  const char* values[] = {"3", "baladiya", "UTF8", "1", "30", "10", "3", url.c_str(), nullptr};
  ConnPtr conn(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn) return Unavailable("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Unavailable("cannot connect to PostgreSQL at " + Where(conn.get()) + ": " +
                       FirstLine(PQerrorMessage(conn.get())));
  }
  // NOTICEs (e.g. "drop cascades to ...") would otherwise go to stderr.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

ErrorCode CodeForSqlState(std::string_view state) {
  if (state == "23505" || state == "23503" || state == "40001" || state == "40P01") {
    return ErrorCode::kConflict;
  }
  std::string_view cls = state.substr(0, 2);
  if (cls == "08" || cls == "53" || cls == "57" || state == "55P03") {
    return ErrorCode::kUnavailable;  // connection, resources, shutdown/cancel, lock timeout
  }
  return ErrorCode::kInternal;
}

// The error of a failed command (res may be null). The DETAIL field is left out: it can quote
// row values, and error details must not hold personal data.
Error PgError(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string detail =
      "postgresql: " + (primary ? std::string(primary) : FirstLine(PQerrorMessage(conn)));
  if (state) detail += std::string(" [SQLSTATE ") + state + "]";
  if (!sql.empty()) detail += " (in: " + SqlExcerpt(sql) + ")";
  ErrorCode code = PQstatus(conn) == CONNECTION_BAD ? ErrorCode::kUnavailable
                   : state                          ? CodeForSqlState(state)
                                                    : ErrorCode::kInternal;
  if (code == ErrorCode::kConflict) return Conflict(std::move(detail));
  if (code == ErrorCode::kUnavailable) return Unavailable(std::move(detail));
  return InternalError(std::move(detail));
}

Result<ResultPtr> Checked(PGconn* conn, ResultPtr res, std::string_view sql) {
  ExecStatusType status = res ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return res;
  }
  return PgError(conn, res.get(), sql);
}

// Runs sql without parameters (may hold several statements).
Result<ResultPtr> ExecSimple(PGconn* conn, std::string_view sql) {
  std::string text(sql);
  return Checked(conn, ResultPtr(PQexec(conn, text.c_str())), sql);
}

std::string FormatDouble(double d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, end);
}

// Parameters in libpq's arrays; text format except Blob, sent as binary BYTEA.
class ParamArrays {
 public:
  explicit ParamArrays(const Params& params) : text_(params.size()) {
    for (size_t i = 0; i < params.size(); ++i) Add(i, params[i]);
  }
  int size() const { return static_cast<int>(types_.size()); }
  const Oid* types() const { return types_.data(); }
  const char* const* values() const { return values_.data(); }
  const int* lengths() const { return lengths_.data(); }
  const int* formats() const { return formats_.data(); }

 private:
  void Add(size_t i, const Value& v) {
    Oid type = 0;  // unknown: the server infers it from context
    int format = 0;
    const char* data = nullptr;
    size_t length = 0;
    if (auto* n = std::get_if<int64_t>(&v)) {
      type = kInt8Oid;
      text_[i] = std::to_string(*n);
    } else if (auto* d = std::get_if<double>(&v)) {
      type = kFloat8Oid;
      text_[i] = FormatDouble(*d);
    } else if (auto* s = std::get_if<std::string>(&v)) {
      data = s->c_str();
      length = s->size();
    } else if (auto* b = std::get_if<Blob>(&v)) {
      type = kByteaOid;
      format = 1;
      data = b->bytes.data();
      length = b->bytes.size();
    }
    if (!text_[i].empty()) {
      data = text_[i].c_str();
      length = text_[i].size();
    }
    types_.push_back(type);
    values_.push_back(data);
    lengths_.push_back(static_cast<int>(length));
    formats_.push_back(format);
  }

  std::vector<std::string> text_;  // storage for converted numbers
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// BYTEA in text output: "\x0a1b..." (hex, the default) or the old escape format.
std::string DecodeBytea(const char* text, size_t length) {
  std::string out;
  if (length >= 2 && text[0] == '\\' && text[1] == 'x') {
    out.reserve((length - 2) / 2);
    for (size_t i = 2; i + 1 < length; i += 2) {
      out += static_cast<char>(HexDigit(text[i]) * 16 + HexDigit(text[i + 1]));
    }
    return out;
  }
  size_t n = 0;
  unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &n);
  if (raw) out.assign(reinterpret_cast<char*>(raw), n);
  PQfreemem(raw);
  return out;
}

template <typename T>
Value ParseOrText(const char* text, size_t length) {
  T v{};
  auto [end, ec] = std::from_chars(text, text + length, v);
  if (ec == std::errc() && end == text + length) return v;
  return std::string(text, length);
}

Value CellValue(const PGresult* res, int row, int col) {
  if (PQgetisnull(res, row, col)) return nullptr;
  const char* text = PQgetvalue(res, row, col);
  size_t length = PQgetlength(res, row, col);
  switch (PQftype(res, col)) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid:
      return ParseOrText<int64_t>(text, length);
    case kFloat4Oid:
    case kFloat8Oid:
      return ParseOrText<double>(text, length);
    case kBoolOid:
      return static_cast<int64_t>(text[0] == 't' ? 1 : 0);
    case kByteaOid:
      return Blob{DecodeBytea(text, length)};
    default:
      return std::string(text, length);  // text, NUMERIC, dates, ...
  }
}

Rows ToRows(const PGresult* res) {
  Rows rows;
  int columns = PQnfields(res);
  for (int c = 0; c < columns; ++c) rows.columns.emplace_back(PQfname(res, c));
  int n = PQntuples(res);
  rows.rows.reserve(n);
  for (int r = 0; r < n; ++r) {
    std::vector<Value> values;
    values.reserve(columns);
    for (int c = 0; c < columns; ++c) values.push_back(CellValue(res, r, c));
    rows.rows.emplace_back(std::move(values));
  }
  return rows;
}

// Runs one statement with `?` parameters.
Result<ResultPtr> ExecParams(PGconn* conn, std::string_view sql, const Params& params) {
  RewrittenSql rewritten = RewritePlaceholders(sql);
  if (static_cast<size_t>(rewritten.placeholders) != params.size()) {
    return InternalError("postgresql: statement takes " + std::to_string(rewritten.placeholders) +
                         " parameters, got " + std::to_string(params.size()) +
                         " (in: " + SqlExcerpt(sql) + ")");
  }
  ParamArrays p(params);
  ResultPtr res(PQexecParams(conn, rewritten.sql.c_str(), p.size(), p.types(), p.values(),
                             p.lengths(), p.formats(), /*resultFormat=*/0));
  return Checked(conn, std::move(res), sql);
}

// A connection taken from the pool. reused: it sat idle, so it may have broken meanwhile.
struct Lease {
  ConnPtr conn;
  bool reused = false;
  PGconn* get() const { return conn.get(); }
};

class Pool {
 public:
  Pool(std::string url, int size, int wait_ms)
      : url_(std::move(url)), size_(size), wait_ms_(wait_ms) {}

  void Add(ConnPtr conn) {
    std::lock_guard lock(mu_);
    ++open_;
    idle_.push_back(std::move(conn));
  }

  // An idle connection, or a new one while fewer than size are open; waits up to wait_ms.
  Result<Lease> Acquire(int wait_ms) {
    std::unique_lock lock(mu_);
    bool ready = cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                              [&] { return closed_ || !idle_.empty() || open_ < size_; });
    if (closed_) return Unavailable("postgresql: database is closed");
    if (!ready) return Unavailable("postgresql: no pooled connection free within timeout");
    if (!idle_.empty()) {
      Lease lease{std::move(idle_.back()), true};
      idle_.pop_back();
      return lease;
    }
    ++open_;
    lock.unlock();
    Result<ConnPtr> conn = Connect(url_);
    if (!conn) {
      Forget();
      return Error(conn.error());
    }
    return Lease{std::move(*conn), false};
  }
  Result<Lease> Acquire() { return Acquire(wait_ms_); }

  // Replaces the leased connection with a new one.
  Status Reconnect(Lease& lease) {
    lease.conn.reset();
    Result<ConnPtr> conn = Connect(url_);
    if (!conn) return Error(conn.error());
    lease = Lease{std::move(*conn), false};
    return Ok();
  }

  // Takes the connection back; one that broke or is still inside a transaction is closed.
  void Release(Lease lease) {
    PGconn* c = lease.get();
    bool healthy = c && PQstatus(c) == CONNECTION_OK && PQtransactionStatus(c) == PQTRANS_IDLE;
    {
      std::lock_guard lock(mu_);
      if (healthy && !closed_) {
        idle_.push_back(std::move(lease.conn));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
  }

  void Close() {
    std::vector<ConnPtr> idle;
    {
      std::lock_guard lock(mu_);
      closed_ = true;
      idle.swap(idle_);
    }
    cv_.notify_all();
  }

 private:
  void Forget() {
    {
      std::lock_guard lock(mu_);
      --open_;
    }
    cv_.notify_one();
  }

  const std::string url_;
  const int size_;
  const int wait_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ConnPtr> idle_;  // guarded by mu_
  int open_ = 0;               // connections idle or leased; guarded by mu_
  bool closed_ = false;        // guarded by mu_
};

// Gives a lease back to its pool when the scope ends.
class LeaseReturn {
 public:
  LeaseReturn(Pool& pool, Lease& lease) : pool_(pool), lease_(lease) {}
  ~LeaseReturn() { pool_.Release(std::move(lease_)); }
  LeaseReturn(const LeaseReturn&) = delete;
  LeaseReturn& operator=(const LeaseReturn&) = delete;

 private:
  Pool& pool_;
  Lease& lease_;
};

// A transaction on one connection. After a statement fails, every later statement fails with
// the same error (PostgreSQL refuses them anyway) and the transaction is rolled back.
class PgTx : public Tx {
 public:
  PgTx(PGconn* conn, StatsRecorder& stats) : conn_(conn), stats_(stats) {}

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Result<ResultPtr> res = Run(sql, params);
    if (!res) return Error(res.error());
    return ToRows(res->get());
  }

  Result<int64_t> Exec(std::string_view sql, const Params& params) override {
    Result<ResultPtr> res = Run(sql, params);
    if (!res) return Error(res.error());
    const char* tuples = PQcmdTuples(res->get());
    int64_t n = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), n);
    return n;
  }

  Status ExecScript(std::string_view sql) override {
    if (failure_) return *failure_;
    StatementTimer timer(stats_);
    Result<ResultPtr> res = ExecSimple(conn_, sql);
    timer.Done(res.ok());
    if (!res) failure_ = res.error();
    return res ? Ok() : Status(res.error());
  }

  const std::optional<Error>& failure() const { return failure_; }

 private:
  Result<ResultPtr> Run(std::string_view sql, const Params& params) {
    if (failure_) return *failure_;
    StatementTimer timer(stats_);
    Result<ResultPtr> res = ExecParams(conn_, sql, params);
    timer.Done(res.ok());
    if (!res) failure_ = res.error();
    return res;
  }

  PGconn* conn_;
  StatsRecorder& stats_;
  std::optional<Error> failure_;
};

// Sends SELECT 1 and waits at most timeout_ms for the answer.
Status PingConnection(PGconn* conn, int timeout_ms) {
  auto fail = [&](std::string why) {
    return Unavailable("postgresql: ping to " + Where(conn) + " failed: " + why);
  };
  if (!PQsendQuery(conn, "SELECT 1")) return fail(FirstLine(PQerrorMessage(conn)));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (PQisBusy(conn)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail("no answer within " + std::to_string(timeout_ms) + " ms");
    pollfd pfd{PQsocket(conn), POLLIN, 0};
    if (pfd.fd < 0) return fail("no socket");
    if (poll(&pfd, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return fail("poll failed");
    }
    if (!PQconsumeInput(conn)) return fail(FirstLine(PQerrorMessage(conn)));
  }
  Status status = Ok();
  while (PGresult* raw = PQgetResult(conn)) {
    Result<ResultPtr> res = Checked(conn, ResultPtr(raw), "SELECT 1");
    if (!res && status) status = res.error();
  }
  return status;
}

class PgDatabase : public Database {
 public:
  PgDatabase(const DatabaseOptions& options, ConnPtr first)
      : pool_(options.url, options.read_pool_size, options.busy_timeout_ms) {
    pool_.Add(std::move(first));
  }
  ~PgDatabase() override { Close(); }

  std::string_view Engine() const override { return "postgresql"; }

  Status Write(const std::function<Status(Tx&)>& fn) override {
    return RunTransaction("BEGIN", fn, /*write=*/true);
  }

  Status Read(const std::function<Status(Tx&)>& fn) override {
    return RunTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", fn, /*write=*/false);
  }

  // One statement in its own implicit transaction (one round trip).
  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Result<Lease> lease = pool_.Acquire();
    if (!lease) return Error(lease.error());
    LeaseReturn give_back(pool_, *lease);
    StatementTimer timer(stats_);
    Result<ResultPtr> res = ExecParams(lease->get(), sql, params);
    if (!res && IsStale(*lease)) {
      if (Status s = pool_.Reconnect(*lease); !s) return Error(s.error());
      res = ExecParams(lease->get(), sql, params);
    }
    timer.Done(res.ok());
    if (!res) return Error(res.error());
    return ToRows(res->get());
  }

  Status Ping() override {
    Result<Lease> lease = pool_.Acquire(kPingTimeoutMs);
    if (!lease) return Error(lease.error());
    LeaseReturn give_back(pool_, *lease);
    Status s = PingConnection(lease->get(), kPingTimeoutMs);
    if (!s && IsStale(*lease)) {
      if (Status r = pool_.Reconnect(*lease); !r) return r;
      s = PingConnection(lease->get(), kPingTimeoutMs);
    }
    return s;
  }

  DatabaseStats Stats() const override { return stats_.Snapshot(); }
  uint64_t WriteGeneration() const override { return stats_.Commits(); }

  void Close() override { pool_.Close(); }

 private:
  // A reused connection that broke while idle (e.g. the server restarted); safe to retry once.
  static bool IsStale(const Lease& lease) {
    return lease.reused && PQstatus(lease.get()) == CONNECTION_BAD;
  }

  Status Begin(Lease& lease, const char* begin) {
    Result<ResultPtr> res = ExecSimple(lease.get(), begin);
    if (!res && IsStale(lease)) {
      if (Status s = pool_.Reconnect(lease); !s) return s;
      res = ExecSimple(lease.get(), begin);
    }
    return res ? Ok() : Status(res.error());
  }

  static Status Commit(PGconn* conn) {
    Result<ResultPtr> res = ExecSimple(conn, "COMMIT");
    if (!res) return Error(res.error());
    // COMMIT of a transaction that failed answers ROLLBACK instead of an error.
    if (std::string_view(PQcmdStatus(res->get())) == "ROLLBACK") {
      return InternalError("postgresql: transaction was rolled back by an earlier error");
    }
    return Ok();
  }

  Status RunTransaction(const char* begin, const std::function<Status(Tx&)>& fn, bool write) {
    Result<Lease> lease = pool_.Acquire();
    if (!lease) return Error(lease.error());
    LeaseReturn give_back(pool_, *lease);
    if (Status s = Begin(*lease, begin); !s) return s;
    PgTx tx(lease->get(), stats_);
    Status result = CallSafely(fn, tx);
    if (result && tx.failure()) result = *tx.failure();
    if (result) {
      Status commit = Commit(lease->get());
      if (commit) {
        if (write) {
          stats_.Committed();
          stats_.GroupCommitted(1);
        }
        return result;
      }
      result = commit;
    }
    if (PQtransactionStatus(lease->get()) != PQTRANS_IDLE) {
      (void)ExecSimple(lease->get(), "ROLLBACK");
    }
    if (write) stats_.RolledBack();
    return result;
  }

  Pool pool_;
  StatsRecorder stats_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const DatabaseOptions& options) {
  Result<ConnPtr> first = Connect(options.url);
  if (!first) return Error(first.error());
  return std::unique_ptr<Database>(new PgDatabase(options, std::move(*first)));
}

}  // namespace baladiya::db::internal
