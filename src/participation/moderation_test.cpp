// participation's moderation on both engines: one report per account and item (the UNIQUE
// constraint, also for concurrent reports), hiding at the process's threshold, the moderator's
// decision told to the author, one review on the author's request, and every step audited.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "participation/store_test_fixture.h"

namespace baladiya::participation {
namespace {

using identity::testing::kNow;

class ModerationStoreTest : public testing::StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    MigrateAll();
    process_ = MustCreateProcess();
    author_ = Resident(1);
    ASSERT_TRUE(store().MarkVerified(author_.account_id, "counter", {"c", "r", 1}, kNow).ok());
    auto x = participation_->Propose(process_, author_, "ممرات آمنة", "قرب المدارس", kNow);
    ASSERT_TRUE(x.ok());
    proposal_ = *x;
  }
  Process process_;
  Actor author_;
  Proposal proposal_;
};

TEST_P(ModerationStoreTest, ReportsHideAtTheThresholdAndTheModeratorDecides) {
  ASSERT_TRUE(participation_->SetReportThreshold(process_, 2, officer_, kNow).ok());
  EXPECT_EQ(participation_->SetReportThreshold(process_, 0, officer_, kNow)
                .error()
                .fields.at("report_threshold"),
            "participation.moderation.threshold");
  process_ = *participation_->GetProcess(1, process_.slug);
  EXPECT_EQ(process_.report_threshold, 2);
  const Actor a = Resident(2), b = Resident(3);
  EXPECT_EQ(participation_->Report(process_, proposal_.token, 0, "spam", author_, kNow)
                .error()
                .message_key,
            "participation.report.own");
  EXPECT_EQ(participation_->Report(process_, proposal_.token, 0, "boring", a, kNow)
                .error()
                .fields.at("reason"),
            "participation.report.reason");
  auto first = participation_->Report(process_, proposal_.token, 0, "spam", a, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(*first);
  EXPECT_EQ(
      participation_->Report(process_, proposal_.token, 0, "spam", a, kNow).error().message_key,
      "participation.report.already");
  auto second = participation_->Report(process_, proposal_.token, 0, "offensive", b, kNow + 1);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(*second);
  auto mods = participation_->ModerationOf(process_.id);
  const Moderation& m = mods->at({Reported::kProposal, proposal_.id});
  EXPECT_TRUE(m.Hidden());
  EXPECT_TRUE(m.Pending());
  EXPECT_EQ(m.reports, 2);
  auto queue = participation_->ModerationQueue(process_.id);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].title, "ممرات آمنة");

  // Removed, with reasons the author is told; a review asked once puts it back in the queue.
  EXPECT_EQ(participation_
                ->Moderate(process_, Reported::kProposal, proposal_.id, false, "", officer_, kNow)
                .error()
                .fields.at("reason"),
            "participation.text.empty");
  ASSERT_TRUE(participation_
                  ->Moderate(process_, Reported::kProposal, proposal_.id, false, "إعلان تجاري",
                             officer_, kNow + 2)
                  .ok());
  EXPECT_EQ(Told(author_.account_id, "participation.moderation_removed"), 1);
  EXPECT_TRUE(participation_->ModerationQueue(process_.id)->empty());
  EXPECT_EQ(participation_
                ->Moderate(process_, Reported::kProposal, proposal_.id, true, "x", officer_, kNow)
                .error()
                .message_key,
            "participation.moderation.not_pending");
  EXPECT_EQ(
      participation_->AskReview(process_, Reported::kProposal, proposal_.id, a, kNow).error().code,
      ErrorCode::kForbidden);
  ASSERT_TRUE(
      participation_->AskReview(process_, Reported::kProposal, proposal_.id, author_, kNow + 3)
          .ok());
  EXPECT_EQ(participation_->ModerationQueue(process_.id)->size(), 1u);
  ASSERT_TRUE(participation_
                  ->Moderate(process_, Reported::kProposal, proposal_.id, true, "لا مخالفة",
                             officer_, kNow + 4)
                  .ok());
  EXPECT_EQ(Told(author_.account_id, "participation.moderation_kept"), 1);
  EXPECT_FALSE(
      participation_->ModerationOf(process_.id)->at({Reported::kProposal, proposal_.id}).Hidden());
  // Kept: more reports do not hide it again, and no second review.
  ASSERT_TRUE(
      participation_->Report(process_, proposal_.token, 0, "other", Resident(4), kNow).ok());
  EXPECT_FALSE(
      participation_->ModerationOf(process_.id)->at({Reported::kProposal, proposal_.id}).Hidden());
  EXPECT_EQ(participation_->AskReview(process_, Reported::kProposal, proposal_.id, author_, kNow)
                .error()
                .message_key,
            "participation.moderation.no_review");
  EXPECT_EQ(audit::testing::Count(log(), "participation.report"), 3);
  EXPECT_EQ(audit::testing::Count(log(), "participation.moderation.hidden"), 1);
  EXPECT_EQ(audit::testing::Count(log(), "participation.moderation.decide"), 2);
  EXPECT_EQ(audit::testing::Count(log(), "participation.moderation.review"), 1);
}

TEST_P(ModerationStoreTest, CommentsAreReportedToo) {
  const Actor a = Resident(2);
  ASSERT_TRUE(store().MarkVerified(a.account_id, "counter", {"c", "r", 1}, kNow).ok());
  auto c =
      participation_->AddComment(process_, proposal_.token, 0, Stance::kAgainst, "تعليق", a, kNow);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(
      participation_->Report(process_, proposal_.token, 999999, "spam", author_, kNow).error().code,
      ErrorCode::kNotFound);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(participation_
                    ->Report(process_, proposal_.token, c->id, "offensive", Resident(10 + i), kNow)
                    .ok());
  }
  auto mods = participation_->ModerationOf(process_.id);
  EXPECT_TRUE(mods->at({Reported::kComment, c->id}).Hidden());
  EXPECT_FALSE(mods->contains({Reported::kProposal, proposal_.id}));
  auto queue = participation_->ModerationQueue(process_.id);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].text, "تعليق");
  EXPECT_EQ((*queue)[0].proposal_token, proposal_.token);
}

TEST_P(ModerationStoreTest, SimultaneousReportsByOnePersonCountOnce) {
  const Actor a = Resident(2);
  std::atomic<int> ok = 0, conflict = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto r = participation_->Report(process_, proposal_.token, 0, "spam", a, kNow);
      (r.ok() ? ok : conflict)++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(conflict, 3);
  EXPECT_EQ(
      participation_->ModerationOf(process_.id)->at({Reported::kProposal, proposal_.id}).reports,
      1);
}

BALADIYA_INSTANTIATE_ENGINES(ModerationStoreTest);

}  // namespace
}  // namespace baladiya::participation
