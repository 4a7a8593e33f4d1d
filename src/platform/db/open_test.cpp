// Open() dispatch and failures, engine settings, Row accessors, engine-specific behaviour.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "platform/db/database.h"

namespace baladiya::db {
namespace {

namespace fs = std::filesystem;

class TempFolder {
 public:
  TempFolder() {
    std::string tmpl = (fs::temp_directory_path() / "baladiya-open-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempFolder() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Result<std::unique_ptr<Database>> OpenUrl(const std::string& url) {
  DatabaseOptions options;
  options.url = url;
  options.read_pool_size = 2;
  return Open(options);
}

TEST(OpenSqlite, CreatesMissingFoldersAndAcceptsPrefix) {
  TempFolder tmp;
  std::string file = tmp.path() + "/var/nested/x.db";
  auto db = OpenUrl("sqlite:" + file);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  EXPECT_EQ((*db)->Engine(), "sqlite");
  EXPECT_TRUE(fs::exists(file));
  auto plain = OpenUrl(file);  // a plain path is SQLite too
  ASSERT_TRUE(plain.ok()) << plain.error().detail;
  EXPECT_TRUE((*plain)->Ping().ok());
}

// The finding: the database files were created 0644 (readable by every local user).
TEST(OpenSqlite, CreatesTheDatabaseFilesReadableByTheOwnerOnly) {
  TempFolder tmp;
  std::string file = tmp.path() + "/private.db";
  ::umask(022);
  auto db = OpenUrl(file);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  Status s = (*db)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (x INTEGER)"); });
  ASSERT_TRUE(s.ok());
  for (const std::string& f : {file, file + "-wal", file + "-shm"}) {
    ASSERT_TRUE(fs::exists(f)) << f;
    EXPECT_EQ(fs::status(f).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write)
        << f;
  }
}

TEST(OpenSqlite, UncreatableFolderFailsUnavailable) {
  auto db = OpenUrl("/proc/nonexistent/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().detail.rfind("cannot open SQLite database /proc/nonexistent/x.db: ", 0), 0u)
      << db.error().detail;
  EXPECT_EQ(db.error().detail.find('\n'), std::string::npos);
}

TEST(OpenSqlite, FileWhereFolderExpectedFailsUnavailable) {
  TempFolder tmp;
  std::string file = tmp.path() + "/plain-file";
  std::ofstream(file) << "x";
  auto db = OpenUrl(file + "/x.db");
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(db.error().detail.find("cannot open SQLite database " + file + "/x.db"),
            std::string::npos)
      << db.error().detail;
}

TEST(OpenSqlite, FolderWhereFileExpectedFailsWithSqliteReason) {
  TempFolder tmp;
  auto db = OpenUrl(tmp.path());
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().detail,
            "cannot open SQLite database " + tmp.path() + ": unable to open database file");
}

TEST(OpenSqlite, NotADatabaseFailsUnavailable) {
  TempFolder tmp;
  std::string file = tmp.path() + "/junk.db";
  std::ofstream(file) << std::string(4096, 'j');
  auto db = OpenUrl(file);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable) << db.error().detail;
}

Result<Rows> WriterPragma(Database& db, const std::string& pragma) {
  Rows out;
  Status s = db.Write([&](Tx& tx) -> Status {
    Result<Rows> r = tx.Query(pragma);
    if (!r) return Error(r.error());
    out = *r;
    return Ok();
  });
  if (!s) return Error(s.error());
  return out;
}

TEST(OpenSqlite, SetsWalSynchronousAndForeignKeys) {
  TempFolder tmp;
  for (const char* level : {"normal", "full"}) {
    DatabaseOptions options;
    options.url = tmp.path() + "/" + level + ".db";
    options.synchronous = level;
    auto db = Open(options);
    ASSERT_TRUE(db.ok()) << db.error().detail;
    // PRAGMA journal_mode cannot run inside a transaction; read it through a reader.
    EXPECT_EQ((*(*db)->Query("PRAGMA journal_mode"))[0].Text(0), "wal");
    EXPECT_EQ((*WriterPragma(**db, "PRAGMA synchronous"))[0].Int(0),
              std::string(level) == "full" ? 2 : 1);
    EXPECT_EQ((*WriterPragma(**db, "PRAGMA foreign_keys"))[0].Int(0), 1);
  }
}

TEST(OpenSqlite, NestedWriteIsRefusedNotDeadlocked) {
  TempFolder tmp;
  auto db = OpenUrl(tmp.path() + "/x.db");
  ASSERT_TRUE(db.ok());
  Status inner = Ok();
  Status outer = (*db)->Write([&](Tx&) -> Status {
    inner = (*db)->Write([](Tx&) { return Ok(); });
    return Ok();
  });
  EXPECT_TRUE(outer.ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
}

TEST(OpenSqlite, QueryRejectsSeveralStatements) {
  TempFolder tmp;
  auto db = OpenUrl(tmp.path() + "/x.db");
  ASSERT_TRUE(db.ok());
  Result<Rows> r = (*db)->Query("SELECT 1; SELECT 2");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("ExecScript"), std::string::npos);
  EXPECT_TRUE((*db)->Query("SELECT 1; -- trailing comment").ok());
}

// Writes never run the WAL checkpoint themselves: a thread of the engine copies the WAL into the
// database file once it passes 4,000 pages, while the writes go on.
TEST(OpenSqlite, TheWalIsCheckpointedInTheBackground) {
  TempFolder tmp;
  const std::string file = tmp.path() + "/ckpt.db";
  auto db = OpenUrl(file);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  ASSERT_TRUE((*db)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (b BLOB)"); }).ok());
  const auto empty = fs::file_size(file);
  const std::string blob(3000, 'x');  // about one page per row
  for (int i = 0; i < 5000; ++i) {
    Status s = (*db)->Write([&](Tx& tx) -> Status {
      auto n = tx.Exec("INSERT INTO t (b) VALUES (?)", {Blob{blob}});
      return n.ok() ? Ok() : Status(n.error());
    });
    ASSERT_TRUE(s.ok()) << s.error().detail;
  }
  // Only the checkpoint writes the database file itself (the writes went to the WAL).
  for (int i = 0; i < 500 && fs::file_size(file) < empty + 10'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(fs::file_size(file), empty + 10'000'000);
  auto n = (*db)->Query("SELECT count(*) FROM t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0].Int(0), 5000);
}

TEST(OpenOptions, InvalidOptionsAreInvalid) {
  DatabaseOptions options;
  options.synchronous = "sometimes";
  EXPECT_EQ(Open(options).error().code, ErrorCode::kInvalid);
  options = {};
  options.read_pool_size = 0;
  EXPECT_EQ(Open(options).error().code, ErrorCode::kInvalid);
  options = {};
  options.url = "sqlite:";
  EXPECT_EQ(Open(options).error().code, ErrorCode::kInvalid);
}

TEST(OpenPostgres, UnreachableServerFailsFastWithoutPassword) {
  for (const char* scheme : {"postgresql", "postgres"}) {
    auto start = std::chrono::steady_clock::now();
    auto db = OpenUrl(std::string(scheme) + "://baladiya:s3cretpw@127.0.0.1:1/municipal");
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
    const std::string& detail = db.error().detail;
    EXPECT_EQ(detail.rfind("cannot connect to PostgreSQL at 127.0.0.1:1/municipal: ", 0), 0u)
        << detail;
    EXPECT_EQ(detail.find("s3cretpw"), std::string::npos) << detail;
    EXPECT_EQ(detail.find('\n'), std::string::npos) << detail;
    EXPECT_LT(elapsed, std::chrono::milliseconds(3500));
  }
}

TEST(RowAccessors, ConvertBetweenTypes) {
  Row row({Value(int64_t{42}), Value(2.5), Value(std::string("123")), Value(std::string("12.75")),
           Value(Blob{"ab"}), Value(nullptr), Value(std::string("x"))});
  EXPECT_EQ(row.size(), 7u);
  EXPECT_EQ(row.Int(0), 42);
  EXPECT_EQ(row.Text(0), "42");
  EXPECT_EQ(row.Real(0), 42.0);
  EXPECT_EQ(row.Int(1), 2);
  EXPECT_EQ(row.Text(1), "2.5");
  EXPECT_EQ(row.Int(2), 123);
  EXPECT_EQ(row.Real(2), 123.0);
  EXPECT_EQ(row.Int(3), 12);
  EXPECT_EQ(row.Real(3), 12.75);
  EXPECT_EQ(row.Bytes(4), "ab");
  EXPECT_EQ(row.Bytes(2), "123");
  EXPECT_TRUE(row.IsNull(5));
  EXPECT_EQ(row.OptionalInt(5), std::nullopt);
  EXPECT_EQ(row.OptionalText(5), std::nullopt);
  EXPECT_EQ(row.OptionalInt(6), std::nullopt);  // not a number
  EXPECT_EQ(row.Int(6), 0);
  EXPECT_EQ(row.OptionalText(0), "42");
}

}  // namespace
}  // namespace baladiya::db
