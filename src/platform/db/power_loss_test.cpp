// Power loss: what the `synchronous` setting promises, proved with a SQLite VFS that remembers
// what each file held when it was last synced and, at a random moment, cuts the power: from then
// on nothing more reaches the disk, and afterwards every file is put back as it was at its last
// sync (a file never synced is gone; the shared-memory index always is). This is what a machine
// that loses power keeps, at the coarsest: writes the OS had not been asked to sync are lost.
//
//   synchronous=full    every write acknowledged before the cut is there;
//   synchronous=normal  the database is never corrupt and holds a prefix of the writes (at most
//                       the writes since the last checkpoint are lost).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrate.h"

namespace baladiya::db {
namespace {

namespace fs = std::filesystem;

// The files' durable images, shared by every connection of the process while the VFS is the
// default one.
struct Disk {
  std::mutex mu;
  bool cut = false;  // the power is off: syncs no longer make anything durable
  struct File {
    bool durable = false;  // synced at least once (or deleted durably: then absent)
    std::string image;     // the content as of the last sync
    std::vector<std::pair<int64_t, int64_t>> pending;  // written since (offset, length)
  };
  std::map<std::string, File> files;
};
Disk* g_disk = nullptr;
sqlite3_vfs* g_base = nullptr;

struct CutFile {
  sqlite3_file base;  // must come first: SQLite sees a sqlite3_file
  sqlite3_file* real;
  std::string path;
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<CutFile*>(f)->real; }

int Close(sqlite3_file* f) {
  auto* c = reinterpret_cast<CutFile*>(f);
  const int rc = c->real->pMethods ? c->real->pMethods->xClose(c->real) : SQLITE_OK;
  sqlite3_free(c->real);
  c->path.~basic_string();
  return rc;
}
int Read(sqlite3_file* f, void* out, int n, sqlite3_int64 off) {
  return Real(f)->pMethods->xRead(Real(f), out, n, off);
}
int Write(sqlite3_file* f, const void* in, int n, sqlite3_int64 off) {
  auto* c = reinterpret_cast<CutFile*>(f);
  const int rc = c->real->pMethods->xWrite(c->real, in, n, off);
  if (rc == SQLITE_OK) {
    std::lock_guard lock(g_disk->mu);
    g_disk->files[c->path].pending.emplace_back(off, n);
  }
  return rc;
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
// A sync makes the whole file durable as it is now: the image takes the current size and the
// ranges written since the last sync.
int Sync(sqlite3_file* f, int flags) {
  auto* c = reinterpret_cast<CutFile*>(f);
  const int rc = c->real->pMethods->xSync(c->real, flags);
  if (rc != SQLITE_OK) return rc;
  std::lock_guard lock(g_disk->mu);
  if (g_disk->cut) return rc;
  Disk::File& file = g_disk->files[c->path];
  sqlite3_int64 size = 0;
  if (c->real->pMethods->xFileSize(c->real, &size) != SQLITE_OK) return SQLITE_IOERR_FSYNC;
  file.image.resize(static_cast<size_t>(size));
  for (auto [off, n] : file.pending) {
    if (off >= size) continue;
    const int len = static_cast<int>(std::min<int64_t>(n, size - off));
    if (c->real->pMethods->xRead(c->real, file.image.data() + off, len, off) != SQLITE_OK) {
      return SQLITE_IOERR_FSYNC;
    }
  }
  file.pending.clear();
  file.durable = true;
  return rc;
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }

// Memory-mapped reads (xFetch) are left to SQLite's own fallback: version 2 methods.
const sqlite3_io_methods kMethods = {2,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     nullptr,
                                     nullptr};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* c = reinterpret_cast<CutFile*>(f);
  c->base.pMethods = nullptr;
  c->real = static_cast<sqlite3_file*>(sqlite3_malloc(g_base->szOsFile));
  if (c->real == nullptr) return SQLITE_NOMEM;
  std::memset(c->real, 0, g_base->szOsFile);
  const int rc = g_base->xOpen(g_base, name, c->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    sqlite3_free(c->real);
    return rc;
  }
  new (&c->path) std::string(name != nullptr ? name : "");
  c->base.pMethods = &kMethods;
  return SQLITE_OK;
}
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  const int rc = g_base->xDelete(g_base, name, sync_dir);
  std::lock_guard lock(g_disk->mu);
  if (!g_disk->cut) {  // a deletion that completed before the cut stays done
    Disk::File& file = g_disk->files[name];
    file.durable = false;
    file.image.clear();
    file.pending.clear();
  }
  return rc;
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_base->xAccess(g_base, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_base->xFullPathname(g_base, name, n, out);
}
int Randomness(sqlite3_vfs*, int n, char* out) { return g_base->xRandomness(g_base, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_base->xSleep(g_base, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_base->xCurrentTime(g_base, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return g_base->xGetLastError(g_base, n, out); }

sqlite3_vfs g_vfs;

// Makes the power-cut VFS the default for the test's lifetime.
class PowerLossTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_initialize(), SQLITE_OK);
    g_base = sqlite3_vfs_find(nullptr);
    ASSERT_NE(g_base, nullptr);
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 1;
    g_vfs.szOsFile = sizeof(CutFile);
    g_vfs.mxPathname = g_base->mxPathname;
    g_vfs.zName = "power-cut";
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = nullptr;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    ASSERT_EQ(sqlite3_vfs_register(&g_vfs, 1), SQLITE_OK);
    std::string tmpl = (fs::temp_directory_path() / "baladiya-power-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    sqlite3_vfs_unregister(&g_vfs);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The files put back as the disk kept them.
 public:
  static void PutBack(Disk& disk) {
    for (auto& [path, file] : disk.files) {
      if (path.ends_with("-shm") || !file.durable) {
        ::unlink(path.c_str());
        continue;
      }
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      ASSERT_GE(fd, 0) << path;
      ASSERT_EQ(::write(fd, file.image.data(), file.image.size()),
                static_cast<ssize_t>(file.image.size()));
      ::close(fd);
    }
  }

 protected:
  fs::path dir_;
};

const std::vector<Migration> kSchema = {
    {9001, "9001_entries", "CREATE TABLE entries (n INTEGER PRIMARY KEY, body TEXT NOT NULL);"}};

// What one power cut left.
struct Outcome {
  int64_t before_cut = 0;  // writes acknowledged before the cut
  int64_t written = 0;     // writes acknowledged in all
  bool table = false;      // the table survived (under normal, a cut before the first
                           // checkpoint keeps not even the table)
  int64_t kept = 0;        // entries on the disk afterwards
  int64_t top = 0;         // the highest entry number kept
  std::string integrity;   // PRAGMA integrity_check
};

// One writer numbers entries 1, 2, 3... into a fresh database at path; `until_cut` runs while it
// writes (it waits, or watches the count), then the power goes, the writer stops, and the files
// are put back as the disk kept them and read with the plain VFS.
Outcome Trial(const fs::path& path, const std::string& synchronous,
              const std::function<void(const std::atomic<int64_t>&)>& until_cut,
              std::chrono::milliseconds pause = std::chrono::milliseconds(0)) {
  Outcome out;
  Disk disk;
  g_disk = &disk;
  DatabaseOptions o;
  o.url = path.string();
  o.synchronous = synchronous;
  o.read_pool_size = 2;
  auto opened = db::Open(o);
  EXPECT_TRUE(opened.ok()) << opened.error().detail;
  if (!opened.ok()) return out;
  std::unique_ptr<Database> db = std::move(*opened);
  EXPECT_TRUE(Migrate(*db, kSchema).ok());
  std::atomic<int64_t> acknowledged{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    const std::string body(700, 'b');
    for (int64_t n = 1; !stop; ++n) {
      Status st = db->Write([&](Tx& tx) -> Status {
        auto r = tx.Exec("INSERT INTO entries (n, body) VALUES (?, ?)", {n, body});
        if (!r.ok()) return std::move(r).error();
        return Ok();
      });
      if (!st.ok()) return;
      acknowledged = n;
      if (pause.count() > 0) std::this_thread::sleep_for(pause);
    }
  });
  until_cut(acknowledged);
  out.before_cut = acknowledged;  // read before the cut: each of these was acknowledged first
  {
    std::lock_guard lock(disk.mu);
    disk.cut = true;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop = true;
  writer.join();
  out.written = acknowledged;
  db->Close();
  db.reset();
  PowerLossTest::PutBack(disk);
  g_disk = nullptr;

  sqlite3* check = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &check, SQLITE_OPEN_READWRITE, "unix"), SQLITE_OK);
  auto one = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(check, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(check);
    std::string text;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr)
      text = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return text;
  };
  out.integrity = one("PRAGMA integrity_check");
  out.table = !one("SELECT name FROM sqlite_master WHERE name = 'entries'").empty();
  if (out.table) {
    out.kept = std::stoll(one("SELECT count(*) FROM entries"));
    out.top = std::stoll(one("SELECT coalesce(max(n), 0) FROM entries"));
  }
  sqlite3_close_v2(check);
  return out;
}

TEST_P(PowerLossTest, KeepsWhatTheSettingPromises) {
  const bool full = GetParam() == "full";
  std::mt19937 rng(std::random_device{}());
  int64_t lost = 0;
  int64_t acknowledged = 0;
  constexpr int kTrials = 12;
  for (int trial = 0; trial < kTrials; ++trial) {
    const auto wait = std::chrono::milliseconds(20 + rng() % 300);
    Outcome o = Trial(dir_ / ("t" + std::to_string(trial) + ".db"), GetParam(),
                      [&](const std::atomic<int64_t>&) { std::this_thread::sleep_for(wait); });
    EXPECT_EQ(o.integrity, "ok") << "trial " << trial;
    EXPECT_TRUE(o.table || !full) << "trial " << trial;
    EXPECT_EQ(o.kept, o.top) << "not a prefix of the writes, trial " << trial;
    EXPECT_LE(o.kept, o.written);
    if (full) {
      EXPECT_GE(o.kept, o.before_cut) << "an acknowledged write was lost, trial " << trial;
    }
    lost += std::max<int64_t>(0, o.before_cut - o.kept);
    acknowledged += o.before_cut;
  }
  std::cout << "synchronous=" << GetParam() << ": " << lost << " of " << acknowledged
            << " acknowledged writes lost over " << kTrials << " power cuts\n";
}

// The cut itself is real: five writes just after the table was made, then the power goes.
// Under full all five are on the disk; under normal nothing since the last checkpoint is (here
// not even the table), which is what normal trades for speed.
TEST_P(PowerLossTest, TheCutDropsWhatWasNeverSynced) {
  Outcome o = Trial(dir_ / "control.db", GetParam(), [](const std::atomic<int64_t>& n) {
    while (n < 5) std::this_thread::yield();
  });
  EXPECT_EQ(o.integrity, "ok");
  if (GetParam() == "full") {
    EXPECT_GE(o.kept, o.before_cut);
    EXPECT_GE(o.kept, 5);
  } else {
    EXPECT_FALSE(o.table);
    EXPECT_EQ(o.kept, 0);
  }
}

// A quiet server (a write every 50 ms, never enough for a checkpoint) loses at most about the
// last second under normal: the WAL is synced on a timer, not only when it is checkpointed.
TEST_P(PowerLossTest, AQuietServerLosesAtMostTheLastSecond) {
  int64_t early = 0;  // acknowledged 1.5 s before the cut
  Outcome o = Trial(
      dir_ / "quiet.db", GetParam(),
      [&](const std::atomic<int64_t>& n) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1000));
        early = n;
        std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      },
      std::chrono::milliseconds(50));
  EXPECT_EQ(o.integrity, "ok");
  EXPECT_GT(early, 5);
  EXPECT_GE(o.kept, early);
  EXPECT_EQ(o.kept, o.top);
  std::cout << "synchronous=" << GetParam() << ", a write every 50 ms: kept " << o.kept << " of "
            << o.before_cut << " acknowledged\n";
}

INSTANTIATE_TEST_SUITE_P(Synchronous, PowerLossTest, ::testing::Values("full", "normal"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace baladiya::db
