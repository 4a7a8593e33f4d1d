#include "platform/db/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/db/test_support.h"

namespace baladiya::db {
namespace {

namespace fs = std::filesystem;

const std::vector<Migration> kSchema = {
    {9001, "9001_letters", "CREATE TABLE letters (id ${ID}, body TEXT NOT NULL);"}};

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(scratch_.Create().ok());
    auto opened = scratch_.Open();
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    db_ = std::move(*opened);
    ASSERT_TRUE(Migrate(*db_, kSchema).ok());
    folder_ = fs::path(*SqlitePath(scratch_.Url())).parent_path();
  }
  void TearDown() override { db_.reset(); }

  static int64_t Count(Database& db) {
    auto rows = db.Query("SELECT count(*) FROM letters");
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  static Status Add(Database& db, const std::string& body) {
    return db.Write([&](Tx& tx) -> Status {
      auto n = tx.Exec("INSERT INTO letters (body) VALUES (?)", {body});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
  }
  static Result<std::unique_ptr<Database>> OpenAt(const std::string& url) {
    DatabaseOptions o;
    o.url = url;
    return Open(o);
  }

  testing::Scratch scratch_{"sqlite"};
  std::unique_ptr<Database> db_;
  fs::path folder_;
};

// A back-up taken while another thread keeps writing holds everything committed before it
// began, passes the integrity check, and restores into a database the program opens.
TEST_F(BackupTest, ABackupUnderWritesIsConsistentAndRestores) {
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(Add(*db_, "before " + std::to_string(i)).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    while (!stop) {
      if (Add(*db_, std::string(500, 'x')).ok()) ++written;
    }
  });
  while (written < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const int64_t committed = Count(*db_);
  const std::string copy = (folder_ / "copy.db").string();
  auto report = Backup(scratch_.Url(), copy);
  stop = true;
  writer.join();
  ASSERT_TRUE(report.ok()) << report.error().detail;
  EXPECT_EQ(report->migration, 9001);
  EXPECT_GT(report->pages, 0);
  EXPECT_EQ(report->bytes, static_cast<int64_t>(fs::file_size(copy)));
  EXPECT_FALSE(fs::exists(copy + ".partial"));
  EXPECT_FALSE(fs::exists(copy + "-wal"));  // one self-contained file
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  const std::string restored_url = "sqlite:" + (folder_ / "restored" / "b.db").string();
  auto restored = Restore(copy, restored_url, false);
  ASSERT_TRUE(restored.ok()) << restored.error().detail;
  auto back = OpenAt(restored_url);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  const int64_t in_copy = Count(**back);
  EXPECT_GE(in_copy, committed);
  EXPECT_LE(in_copy, Count(*db_));
  // The restored database takes writes and migrations as before.
  EXPECT_TRUE(Add(**back, "after the restore").ok());
  auto again = Migrate(**back, kSchema);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->already_applied, 1);
}

TEST_F(BackupTest, ABackupNeverOverwritesAndNeedsASqliteDatabase) {
  ASSERT_TRUE(Add(*db_, "one").ok());
  const std::string copy = (folder_ / "copy.db").string();
  { std::ofstream(copy) << "an older back-up"; }
  auto r = Backup(scratch_.Url(), copy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  std::ifstream in(copy);
  std::string kept;
  std::getline(in, kept);
  EXPECT_EQ(kept, "an older back-up");

  r = Backup("postgresql://app@127.0.0.1/baladiya", (folder_ / "pg.db").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  EXPECT_NE(r.error().detail.find("pg_dump"), std::string::npos);

  r = Backup("sqlite:" + (folder_ / "none.db").string(), (folder_ / "x.db").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
}

// A folder that cannot be written (as a full disk would refuse) leaves nothing behind.
TEST_F(BackupTest, ACopyThatCannotBeWrittenLeavesNothing) {
  const fs::path blocked = folder_ / "blocked";
  fs::create_directories(blocked);
  fs::permissions(blocked, fs::perms::owner_read | fs::perms::owner_exec);
  const bool root = ::geteuid() == 0;  // root writes anyway: use a path under a file instead
  const fs::path to = root ? folder_ / "a-file" / "copy.db" : blocked / "copy.db";
  if (root) std::ofstream(folder_ / "a-file") << "x";
  auto r = Backup(scratch_.Url(), to.string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(fs::exists(to));
  EXPECT_FALSE(fs::exists(to.string() + ".partial"));
  fs::permissions(blocked, fs::perms::owner_all);
}

TEST_F(BackupTest, RestoreRefusesWhatIsNotABackupAndKeepsTheTarget) {
  ASSERT_TRUE(Add(*db_, "kept").ok());
  const std::string garbage = (folder_ / "garbage.db").string();
  { std::ofstream(garbage) << std::string(8192, 'g'); }
  auto r = Restore(garbage, scratch_.Url(), true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);

  // A SQLite database that is not the program's.
  const std::string other = (folder_ / "other.db").string();
  {
    auto o = OpenAt("sqlite:" + other);
    ASSERT_TRUE(o.ok());
    ASSERT_TRUE(
        (*o)->Write([](Tx& tx) { return tx.ExecScript("CREATE TABLE t (x INTEGER);"); }).ok());
  }
  r = Restore(other, scratch_.Url(), true);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("migrations"), std::string::npos);

  r = Restore((folder_ / "missing.db").string(), scratch_.Url(), true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);

  // A sound back-up over an existing database needs replace.
  const std::string copy = (folder_ / "copy.db").string();
  ASSERT_TRUE(Backup(scratch_.Url(), copy).ok());
  ASSERT_TRUE(Add(*db_, "written after the back-up").ok());
  r = Restore(copy, scratch_.Url(), false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("--replace"), std::string::npos);
  EXPECT_EQ(Count(*db_), 2);
  db_.reset();  // the server is stopped before a restore
  r = Restore(copy, scratch_.Url(), true);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  auto back = OpenAt(scratch_.Url());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Count(**back), 1);
}

}  // namespace
}  // namespace baladiya::db
