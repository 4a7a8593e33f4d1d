// FileWitness: checkpoints kept in an append-only file (no database).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "audit/audit.h"
#include "audit/merkle.h"

namespace baladiya::audit {
namespace {

class FileWitnessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(crypto::InitCrypto().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("baladiya-witness-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    for (int i = 0; i < 64; ++i) leaves_.push_back(merkle::HashLeaf("w" + std::to_string(i)));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Checkpoint Signed(int64_t size, const std::vector<std::string>& leaves, int64_t key_id = 0) {
    std::vector<std::string> first(leaves.begin(), leaves.begin() + size);
    Checkpoint c{size, TreeHash(first), 1700000000000 + size, key_id, ""};
    c.signature = crypto::Sign(keyring_.ForKeyId(key_id), CheckpointMessage(c));
    return c;
  }
  ConsistencyProof Proof(int64_t first, int64_t second, const std::vector<std::string>& leaves) {
    std::vector<std::string> tree(leaves.begin(), leaves.begin() + second);
    return {first, second,
            first == 0 ? std::vector<std::string>{}
                       : merkle::ConsistencyPath(tree, static_cast<uint64_t>(first))};
  }
  std::string Path() const { return (dir_ / "sub" / "witness").string(); }

  crypto::Key32 seed_{};
  Keyring keyring_{seed_};
  std::filesystem::path dir_;
  std::vector<std::string> leaves_;
};

TEST_F(FileWitnessTest, KeepsConsistentCheckpointsInAPrivateAppendOnlyFile) {
  FileWitness w(Path(), keyring_.PublicKey(0));
  EXPECT_EQ(w.Latest().error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(w.Add(Signed(10, leaves_), Proof(0, 10, leaves_)).ok());
  ASSERT_TRUE(w.Add(Signed(25, leaves_), Proof(10, 25, leaves_)).ok());
  ASSERT_TRUE(w.Add(Signed(25, leaves_), Proof(25, 25, leaves_)).ok());  // the same again: no-op
  auto all = w.All();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].tree_size, 10);
  EXPECT_EQ(w.Latest()->tree_size, 25);
  struct stat st {};
  ASSERT_EQ(::stat(Path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat((dir_ / "sub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // Another process reading the same file sees the same.
  FileWitness again(Path(), keyring_.PublicKey(0));
  EXPECT_EQ(again.Latest()->root_hash, Signed(25, leaves_).root_hash);
}

TEST_F(FileWitnessTest, RefusesCutBackForkedAndBadlySignedCheckpoints) {
  FileWitness w(Path(), keyring_.PublicKey(0));
  ASSERT_TRUE(w.Add(Signed(30, leaves_), Proof(0, 30, leaves_)).ok());
  // Cut back: an older size.
  EXPECT_EQ(w.Add(Signed(20, leaves_), Proof(0, 20, leaves_)).error().code, ErrorCode::kConflict);
  // Rewritten: entry 5 changed, re-signed with the right key, extended to 40.
  std::vector<std::string> forked = leaves_;
  forked[5] = merkle::HashLeaf("forged");
  EXPECT_EQ(w.Add(Signed(40, forked), Proof(30, 40, forked)).error().code, ErrorCode::kConflict);
  EXPECT_EQ(w.Add(Signed(30, forked), Proof(30, 30, forked)).error().code, ErrorCode::kConflict);
  // A proof from another size, or none at all.
  EXPECT_FALSE(w.Add(Signed(40, leaves_), Proof(20, 40, leaves_)).ok());
  EXPECT_FALSE(w.Add(Signed(40, leaves_), ConsistencyProof{30, 40, {}}).ok());
  // Signed by another key (a municipality's), or not signed.
  EXPECT_FALSE(w.Add(Signed(40, leaves_, 3), Proof(30, 40, leaves_)).ok());
  Checkpoint unsigned_cp = Signed(40, leaves_);
  unsigned_cp.signature[0] = static_cast<char>(unsigned_cp.signature[0] ^ 1);
  EXPECT_FALSE(w.Add(unsigned_cp, Proof(30, 40, leaves_)).ok());
  // Nothing of that was kept.
  EXPECT_EQ(w.All()->size(), 1u);
  EXPECT_TRUE(w.Add(Signed(40, leaves_), Proof(30, 40, leaves_)).ok());
}

TEST_F(FileWitnessTest, ALineCutShortByACrashIsIgnoredAndGarbageIsAnError) {
  FileWitness w(Path(), keyring_.PublicKey(0));
  ASSERT_TRUE(w.Add(Signed(10, leaves_), Proof(0, 10, leaves_)).ok());
  {
    std::ofstream out(Path(), std::ios::app);
    out << "baladiya-audit-witness/v1 20 abc";  // no newline: the write never finished
  }
  ASSERT_TRUE(w.All().ok());
  EXPECT_EQ(w.Latest()->tree_size, 10);
  // The next checkpoint starts on a line of its own: the torn fragment is dropped.
  ASSERT_TRUE(w.Add(Signed(20, leaves_), Proof(10, 20, leaves_)).ok());
  ASSERT_TRUE(w.All().ok());
  EXPECT_EQ(w.All()->size(), 2u);
  {
    std::ofstream out(Path(), std::ios::app);
    out << "\nnot a checkpoint\n";
  }
  EXPECT_EQ(w.All().error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace baladiya::audit
