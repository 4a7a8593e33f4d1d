// Store tests: the same cases on SQLite and on PostgreSQL.
#include "platform/db/database.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <limits>
#include <stdexcept>
#include <thread>

#include "platform/db/test_support.h"

namespace baladiya::db {
namespace {

using testing::EngineTest;

// Asserts a Status/Result is ok, printing the error detail otherwise.
#define ASSERT_OK(expr)                                        \
  do {                                                         \
    const auto& ok_result_ = (expr);                           \
    ASSERT_TRUE(ok_result_.ok()) << ok_result_.error().detail; \
  } while (0)

class StoreTest : public EngineTest {
 protected:
  void Exec(const std::string& sql, const Params& params = {}) {
    Status s = db().Write([&](Tx& tx) -> Status {
      Result<int64_t> r = tx.Exec(sql, params);
      return r ? Ok() : Status(r.error());
    });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  void Script(const std::string& sql) {
    Status s = db().Write([&](Tx& tx) { return tx.ExecScript(sql); });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  int64_t Count(const std::string& table) {
    Result<Rows> rows = db().Query("SELECT count(*) FROM " + table);
    EXPECT_TRUE(rows.ok()) << rows.error().detail;
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  void CreateItems() {
    Script("CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE)");
  }
};

TEST_P(StoreTest, RoundTripsEveryValueType) {
  Script(std::string("CREATE TABLE v (i BIGINT, r DOUBLE PRECISION, t TEXT, b ") + BlobType() +
         ")");
  const std::string arabic = "بلدية الخليل — طلب رقم ١٢٣";
  const Blob blob{std::string("\0\x01\xff\0x\0", 6)};
  const int64_t big = std::numeric_limits<int64_t>::max();
  const int64_t small = std::numeric_limits<int64_t>::min();
  Exec("INSERT INTO v (i, r, t, b) VALUES (?, ?, ?, ?)", {big, 3.25, arabic, blob});
  Exec("INSERT INTO v (i, r, t, b) VALUES (?, ?, ?, ?)", {small, -1e-300, std::string(), Blob{}});
  Exec("INSERT INTO v (i, r, t, b) VALUES (?, ?, ?, ?)", {nullptr, nullptr, nullptr, nullptr});

  Result<Rows> rows = db().Query("SELECT i, r, t, b FROM v ORDER BY i DESC NULLS LAST");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"i", "r", "t", "b"}));
  const Row& a = (*rows)[0];
  EXPECT_EQ(a.at(0), Value(big));
  EXPECT_EQ(a.at(1), Value(3.25));
  EXPECT_EQ(a.at(2), Value(arabic));
  EXPECT_EQ(a.at(3), Value(blob));
  EXPECT_EQ(a.Bytes(3).size(), 6u);
  const Row& b = (*rows)[1];
  EXPECT_EQ(b.Int(0), small);
  EXPECT_EQ(b.Real(1), -1e-300);
  EXPECT_EQ(b.at(2), Value(std::string()));  // empty text is not NULL
  EXPECT_EQ(b.at(3), Value(Blob{}));         // nor is an empty blob
  const Row& c = (*rows)[2];
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(c.IsNull(i)) << i;
  EXPECT_EQ(c.OptionalInt(0), std::nullopt);
  EXPECT_EQ(c.OptionalText(2), std::nullopt);
  EXPECT_EQ(c.Int(0), 0);
  EXPECT_EQ(c.Text(2), "");
}

TEST_P(StoreTest, ArabicTextMatchesInWhere) {
  CreateItems();
  Exec("INSERT INTO items (id, name) VALUES (?, ?)", {int64_t{1}, std::string("رخصة بناء")});
  Result<Rows> rows = db().Query("SELECT id FROM items WHERE name = ?", {std::string("رخصة بناء")});
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 1);
}

TEST_P(StoreTest, ExecReturnsChangedRowsAndReturningWorks) {
  CreateItems();
  Status s = db().Write([](Tx& tx) -> Status {
    for (int64_t i = 1; i <= 3; ++i) {
      std::string name = std::to_string(i);  // not "n" + ...: GCC 12 -Wrestrict false alarm
      Result<int64_t> n = tx.Exec("INSERT INTO items (id, name) VALUES (?, ?)", {i, name});
      if (!n) return Error(n.error());
      EXPECT_EQ(*n, 1);
    }
    Result<int64_t> changed =
        tx.Exec("UPDATE items SET name = name || 'x' WHERE id >= ?", {int64_t{2}});
    if (!changed) return Error(changed.error());
    EXPECT_EQ(*changed, 2);
    Result<Rows> ret = tx.Query("INSERT INTO items (id, name) VALUES (?, ?) RETURNING id",
                                {int64_t{9}, std::string("nine")});
    if (!ret) return Error(ret.error());
    EXPECT_EQ((*ret)[0].Int(0), 9);
    return Ok();
  });
  ASSERT_OK(s);
  EXPECT_EQ(Count("items"), 4);
}

TEST_P(StoreTest, QuestionMarkInsideLiteralIsNotAParameter) {
  Result<Rows> rows =
      db().Query("SELECT 'why?' AS q, ? AS p -- trailing comment?", {std::string("yes")});
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].Text(0), "why?");
  EXPECT_EQ((*rows)[0].Text(1), "yes");
}

TEST_P(StoreTest, WrongParameterCountIsInternal) {
  Result<Rows> rows = db().Query("SELECT ?, ?", {int64_t{1}});
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, ErrorCode::kInternal);
  EXPECT_NE(rows.error().detail.find("2 parameters, got 1"), std::string::npos)
      << rows.error().detail;
}

TEST_P(StoreTest, SyntaxErrorIsInternalWithDetail) {
  Result<Rows> rows = db().Query("SELEKT 1");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().code, ErrorCode::kInternal);
  EXPECT_NE(rows.error().detail.find("SELEKT"), std::string::npos) << rows.error().detail;
}

TEST_P(StoreTest, UniqueViolationIsConflict) {
  CreateItems();
  Exec("INSERT INTO items (id, name) VALUES (?, ?)", {int64_t{1}, std::string("a")});
  Status s = db().Write([](Tx& tx) -> Status {
    Result<int64_t> r =
        tx.Exec("INSERT INTO items (id, name) VALUES (?, ?)", {int64_t{2}, std::string("a")});
    return r ? Ok() : Status(r.error());
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << s.error().detail;
  EXPECT_EQ(s.error().message_key, "error.conflict");
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(StoreTest, ForeignKeyViolationIsConflict) {
  CreateItems();
  Script(
      "CREATE TABLE parts (id BIGINT PRIMARY KEY, item_id BIGINT NOT NULL REFERENCES items(id))");
  Status s = db().Write([](Tx& tx) -> Status {
    Result<int64_t> r =
        tx.Exec("INSERT INTO parts (id, item_id) VALUES (?, ?)", {int64_t{1}, int64_t{42}});
    return r ? Ok() : Status(r.error());
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict) << s.error().detail;
}

TEST_P(StoreTest, WriteRollsBackWhenFnFails) {
  CreateItems();
  Status s = db().Write([](Tx& tx) -> Status {
    Result<int64_t> r =
        tx.Exec("INSERT INTO items (id, name) VALUES (?, ?)", {int64_t{1}, std::string("a")});
    EXPECT_TRUE(r.ok());
    return MakeError(ErrorCode::kInvalid, "error.invalid", "caller changed its mind");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalid);  // fn's own error comes back
  EXPECT_EQ(s.error().detail, "caller changed its mind");
  EXPECT_EQ(Count("items"), 0);
  EXPECT_EQ(db().Stats().rollbacks, 1u);
}

TEST_P(StoreTest, FailedStatementRollsBackEvenWhenFnIgnoresIt) {
  CreateItems();
  Exec("INSERT INTO items (id, name) VALUES (?, ?)", {int64_t{1}, std::string("a")});
  Status s = db().Write([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.Exec("INSERT INTO items (id, name) VALUES (2, 'b')").ok());
    EXPECT_FALSE(tx.Exec("INSERT INTO items (id, name) VALUES (3, 'a')").ok());  // duplicate
    Result<int64_t> later = tx.Exec("INSERT INTO items (id, name) VALUES (4, 'd')");
    EXPECT_FALSE(later.ok());  // the transaction is spent
    return Ok();
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kConflict);
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(StoreTest, ExceptionInFnRollsBackAndIsReturned) {
  CreateItems();
  Status s = db().Write([](Tx& tx) -> Status {
    EXPECT_TRUE(tx.Exec("INSERT INTO items (id, name) VALUES (1, 'a')").ok());
    throw std::runtime_error("boom");
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_NE(s.error().detail.find("boom"), std::string::npos);
  EXPECT_EQ(Count("items"), 0);
  // The connection is usable afterwards.
  Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(StoreTest, ConcurrentWritersAddUp) {
  Script(
      "CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL);"
      "CREATE TABLE events (thread BIGINT NOT NULL, seq BIGINT NOT NULL)");
  Exec("INSERT INTO counter (id, n) VALUES (1, 0)");
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Status s = db().Write([&](Tx& tx) -> Status {
          Result<Rows> n = tx.Query("UPDATE counter SET n = n + 1 WHERE id = 1 RETURNING n");
          if (!n) return Error(n.error());
          Result<int64_t> e = tx.Exec("INSERT INTO events (thread, seq) VALUES (?, ?)",
                                      {int64_t{t}, (*n)[0].Int(0)});
          return e ? Ok() : Status(e.error());
        });
        if (!s) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  Result<Rows> rows = db().Query("SELECT n FROM counter WHERE id = 1");
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].Int(0), kThreads * kPerThread);
  EXPECT_EQ(Count("events"), kThreads * kPerThread);
  // Every counter value was handed out exactly once.
  Result<Rows> distinct = db().Query("SELECT count(DISTINCT seq) FROM events");
  ASSERT_OK(distinct);
  EXPECT_EQ((*distinct)[0].Int(0), kThreads * kPerThread);
}

// Writes that run at the same moment (on SQLite they may share one commit) keep their own
// outcome: the failing ones (an error returned, a failed statement, an exception, a unique
// violation) leave nothing behind, and every other one is committed whole.
TEST_P(StoreTest, ConcurrentWritesSucceedOrFailAlone) {
  Script(
      "CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
      "CREATE TABLE notes (item BIGINT NOT NULL, text TEXT NOT NULL)");
  constexpr int kThreads = 6;
  constexpr int kPerThread = 40;
  std::atomic<int> committed{0};
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const int64_t id = int64_t{t} * 1000 + i;
        const int kind = (t + i) % 5;  // 0 and 1 succeed; 2, 3, 4 fail in different ways
        Status s = db().Write([&](Tx& tx) -> Status {
          // The name repeats for kind 4, so its insert violates the unique constraint.
          const std::string name = kind == 4 ? "shared" : "item-" + std::to_string(id);
          if (kind == 4) (void)tx.Exec("INSERT INTO items (id, name) VALUES (?, ?)", {-1, name});
          Result<int64_t> a = tx.Exec("INSERT INTO items (id, name) VALUES (?, ?)", {id, name});
          if (!a) return Error(a.error());
          Result<int64_t> b = tx.Exec("INSERT INTO notes (item, text) VALUES (?, 'one')", {id});
          if (!b) return Error(b.error());
          // A pause while holding the writer, so that other threads' writes queue up behind it
          // (and, on SQLite, are committed together).
          if (kind == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
          if (kind == 2) return MakeError(ErrorCode::kInvalid, "error.invalid", "refused");
          if (kind == 3) throw std::runtime_error("boom");
          return Ok();
        });
        const bool should = kind <= 1;
        if (s.ok() != should) ++wrong;
        if (s.ok()) ++committed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
  // A kind 4 write's first insert succeeds, but its second always fails (the same name), so its
  // first row goes too.
  EXPECT_EQ(Count("items"), committed.load());
  EXPECT_EQ(Count("notes"), committed.load());
  Result<Rows> orphans =
      db().Query("SELECT count(*) FROM notes WHERE item NOT IN (SELECT id FROM items)");
  ASSERT_OK(orphans);
  EXPECT_EQ((*orphans)[0].Int(0), 0);
}

TEST_P(StoreTest, ReadDuringWriteSeesOnlyCommittedData) {
  CreateItems();
  std::promise<void> inserted;
  std::promise<void> read_done;
  std::thread writer([&] {
    Status s = db().Write([&](Tx& tx) -> Status {
      Result<int64_t> r = tx.Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
      inserted.set_value();
      read_done.get_future().wait();
      return r ? Ok() : Status(r.error());
    });
    EXPECT_TRUE(s.ok()) << s.error().detail;
  });
  inserted.get_future().wait();
  EXPECT_EQ(Count("items"), 0);  // not blocked, and the uncommitted row is invisible
  read_done.set_value();
  writer.join();
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(StoreTest, ReadSeesOneSnapshot) {
  CreateItems();
  Status s = db().Read([&](Tx& tx) -> Status {
    Result<Rows> before = tx.Query("SELECT count(*) FROM items");
    if (!before) return Error(before.error());
    Exec("INSERT INTO items (id, name) VALUES (1, 'a')");  // commits on another connection
    Result<Rows> after = tx.Query("SELECT count(*) FROM items");
    if (!after) return Error(after.error());
    EXPECT_EQ((*before)[0].Int(0), 0);
    EXPECT_EQ((*after)[0].Int(0), 0);
    return Ok();
  });
  ASSERT_OK(s);
  EXPECT_EQ(Count("items"), 1);
}

TEST_P(StoreTest, ReadCannotWrite) {
  CreateItems();
  Status s = db().Read([](Tx& tx) -> Status {
    Result<int64_t> r = tx.Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
    return r ? Ok() : Status(r.error());
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("items"), 0);
}

TEST_P(StoreTest, SeveralDatabasesShareTheData) {
  CreateItems();
  auto other = scratch().Open(1);
  ASSERT_OK(other);
  Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
  Result<Rows> rows = (*other)->Query("SELECT name FROM items");
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "a");
}

TEST_P(StoreTest, PingWorksAndCloseMakesEverythingUnavailable) {
  ASSERT_OK(db().Ping());
  db().Close();
  db().Close();  // idempotent
  Status ping = db().Ping();
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
  Status write = db().Write([](Tx&) { return Ok(); });
  EXPECT_EQ(write.error().code, ErrorCode::kUnavailable);
  Result<Rows> query = db().Query("SELECT 1");
  EXPECT_EQ(query.error().code, ErrorCode::kUnavailable);
}

TEST_P(StoreTest, StatsCountStatementsAndTransactions) {
  CreateItems();
  DatabaseStats before = db().Stats();
  Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
  (void)db().Query("SELEKT");
  DatabaseStats after = db().Stats();
  EXPECT_EQ(after.transactions, before.transactions + 1);
  EXPECT_EQ(after.queries, before.queries + 2);
  EXPECT_EQ(after.errors, before.errors + 1);
  EXPECT_GE(after.query_micros, before.query_micros);
  EXPECT_GT(after.slowest_micros, 0u);
}

TEST_P(StoreTest, WriteGenerationMovesOnlyOnCommit) {
  CreateItems();
  uint64_t g0 = db().WriteGeneration();
  Exec("INSERT INTO items (id, name) VALUES (1, 'a')");
  uint64_t g1 = db().WriteGeneration();
  EXPECT_NE(g1, g0);
  Status failed = db().Write([](Tx& tx) -> Status {
    auto r = tx.Exec("INSERT INTO items (id, name) VALUES (2, 'b')");
    if (!r.ok()) return std::move(r).error();
    return MakeError(ErrorCode::kInvalid, "error.invalid");  // rolls back
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(db().WriteGeneration(), g1);
  (void)db().Query("SELECT count(*) FROM items");
  EXPECT_EQ(db().WriteGeneration(), g1);
}

TEST_P(StoreTest, IntegerFromTextAndAggregates) {
  CreateItems();
  Exec("INSERT INTO items (id, name) VALUES (1, '10'), (2, '20')");
  Result<Rows> rows = db().Query("SELECT sum(id), max(name), avg(id) FROM items");
  ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].Int(0), 3);  // NUMERIC on PostgreSQL comes back as text
  EXPECT_EQ((*rows)[0].Int(1), 20);
  EXPECT_DOUBLE_EQ((*rows)[0].Real(2), 1.5);
}

BALADIYA_INSTANTIATE_ENGINES(StoreTest);

}  // namespace
}  // namespace baladiya::db
