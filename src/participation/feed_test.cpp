// participation's event feed on both engines: a person's first part in a process (not the second),
// a recommendation accepted (once, whatever revisions follow), overdue, and done, each once.
#include <gtest/gtest.h>

#include "participation/store_test_fixture.h"

namespace baladiya::participation {
namespace {

using testing::kDay;
using testing::kNow;

class FeedStoreTest : public testing::StoreFixture {
 protected:
  std::vector<FeedEntry> Feed(int64_t after = 0) {
    std::vector<FeedEntry> out;
    Status s = db().Read([&](db::Tx& tx) -> Status {
      auto got = participation_->Feed(tx, after, 100);
      if (!got.ok()) return std::move(got).error();
      out = std::move(*got);
      return Ok();
    });
    EXPECT_TRUE(s.ok());
    return out;
  }
  std::map<std::string, int> Kinds() {
    std::map<std::string, int> n;
    for (const FeedEntry& e : Feed()) ++n[e.kind];
    return n;
  }
};

TEST_P(FeedStoreTest, EachFactOnceInTheChangesTransaction) {
  MigrateAll();
  Process p = MustCreateProcess();
  const Actor a = Resident(1), b = Resident(2);
  for (const Actor& x : {a, b}) {
    ASSERT_TRUE(store().MarkVerified(x.account_id, "counter", {"c", "r", 1}, kNow).ok());
  }
  auto x = participation_->Propose(p, a, "ممرات", "آمنة", kNow);
  ASSERT_TRUE(x.ok());
  ASSERT_TRUE(participation_->Propose(p, a, "حديقة", "للأطفال", kNow).ok());  // a again
  ASSERT_TRUE(participation_->Support(p, x->token, b, kNow).ok());
  ASSERT_TRUE(participation_->AddComment(p, x->token, 0, Stance::kFor, "نعم", b, kNow).ok());
  EXPECT_EQ(Kinds()["participant"], 2);
  EXPECT_EQ(participation_->Support(p, x->token, b, kNow).error().message_key,
            "participation.already_supported");
  EXPECT_EQ(Kinds()["participant"], 2);

  auto rec =
      participation_->Recommend(p, {Source::kWorkshop, "ورشة", "ترميم", "الأسواق"}, officer_, kNow);
  ASSERT_TRUE(rec.ok());
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kRejected, "لا", 0, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_accepted"], 0);
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kPartly, "جزئياً", 3, officer_, kNow).ok());
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kAccepted, "كلياً", 3, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_accepted"], 1);
  // Revised to rejected, then accepted again, then rejected again: each change once.
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kRejected, "لا", 0, officer_, kNow).ok());
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kRejected, "لا", 0, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_unaccepted"], 1);
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kAccepted, "نعم", 3, officer_, kNow).ok());
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kPartly, "جزئياً", 3, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_accepted"], 2);
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kRejected, "لا", 0, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_unaccepted"], 2);
  ASSERT_TRUE(
      participation_->Respond(p, rec->token, Response::kAccepted, "كلياً", 3, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_accepted"], 3);
  auto m1 = participation_->AddMilestone(p, rec->token, "أ", kNow + kDay, officer_, kNow);
  auto m2 = participation_->AddMilestone(p, rec->token, "ب", kNow + 9 * kDay, officer_, kNow);
  ASSERT_TRUE(m1.ok() && m2.ok());
  ASSERT_EQ(participation_->FlagOverdue(1, kNow + 2 * kDay)->size(), 1u);
  ASSERT_TRUE(participation_->FlagOverdue(1, kNow + 3 * kDay)->empty());
  EXPECT_EQ(Kinds()["rec_overdue"], 1);
  ASSERT_TRUE(participation_->SetProgress(p, rec->token, m1->id, 100, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_done"], 0);  // one milestone left
  ASSERT_TRUE(participation_->SetProgress(p, rec->token, m2->id, 100, officer_, kNow).ok());
  ASSERT_TRUE(participation_->SetProgress(p, rec->token, m2->id, 100, officer_, kNow).ok());
  EXPECT_EQ(Kinds()["rec_done"], 1);

  // Read in pages, by position, with the municipality.
  auto all = Feed();
  ASSERT_EQ(all.size(), 9u);
  for (const FeedEntry& e : all) EXPECT_EQ(e.municipality_id, 1);
  auto rest = Feed(all[1].position);
  ASSERT_EQ(rest.size(), 7u);
  EXPECT_EQ(rest[0].position, all[2].position);
}

BALADIYA_INSTANTIATE_ENGINES(FeedStoreTest);

}  // namespace
}  // namespace baladiya::participation
