// Following reports and merging duplicates on both engines: a follow deletes the draft and makes
// its applicant a follower told of later changes; a merge closes the duplicate with its event,
// audit entry and hook call, makes its applicant a follower of the target and tells them; every
// refusal stores nothing.
#include <gtest/gtest.h>

#include <cstring>

#include "cases/cases.h"
#include "cases/store_test_fixture.h"
#include "catalog/catalog.h"
#include "notify/test_support.h"
#include "platform/db/test_support.h"

namespace baladiya::cases {
namespace {

using testing::kNow;
constexpr int64_t kMinute = 60'000;

class FollowTest : public testing::CaseStoreFixture {
 protected:
  void Configure(Dependencies& deps) override {
    deps.reachable = [](int64_t) {
      return std::vector<notify::Channel>{notify::Channel::kInApp, notify::Channel::kSms};
    };
  }
  void Observe(CaseStore& store) override {
    store.AddObserver([this](db::Tx&, const StateChange& c) {
      changes_.push_back(c.kind + ":" + c.to_state + (c.final ? ":final" : ""));
      return Ok();
    });
  }

  void SetUp() override {
    CaseStoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    catalog::TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    const int64_t nablus = tenancy.FindMunicipality("nablus")->id;
    catalog::ServiceStore services(db());
    light_ = *services.Find(hebron_, "street-light-report");
    waste_ = *services.Find(hebron_, "waste-collection-report");
    permit_ = *services.Find(hebron_, "building-permit");
    light_nablus_ = *services.Find(nablus, "street-light-report");
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
  }

  static Actor Resident(int64_t account) {
    return {account, "res-" + std::to_string(account), {"resident"}, "web", "req-r"};
  }
  static Actor Clerk() { return {500, "clerk-pseudonym", {"clerk"}, "web", "req-c"}; }

  static catalog::Answers ReportAnswers(const catalog::Service& s) {
    catalog::Answers a = {{"location", {"31.5326,35.0998"}}, {"description", {"عمود مطفأ"}}};
    if (s.code == "street-light-report") a["problem"] = {"not_working"};
    if (s.code == "waste-collection-report") {
      a["issues"] = {"not_collected"};
      a["days_uncollected"] = {"3"};
    }
    return a;
  }

  Case File(const catalog::Service& s, int64_t applicant, const std::string& prefix = "HEB") {
    CaseStore::DirectSubmission in;
    in.applicant_id = applicant;
    in.channel = "web";
    in.answers = ReportAnswers(s);
    auto c = store_->SubmitAnswers(in, Resident(applicant), s, wf_, calendar_, prefix, kNow);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : Case{};
  }

  // A report draft of the account, answered up to "check your answers".
  Draft DraftOf(const catalog::Service& s, int64_t account) {
    auto id = store_->CreateDraft(account, s, "web", 0, kNow);
    EXPECT_TRUE(id.ok());
    auto d = store_->GetDraft(*id, account);
    d->answers = ReportAnswers(s);
    EXPECT_TRUE(store_->SaveDraft(*d, kNow).ok());
    return *d;
  }

  Result<Case> Move(const Case& c, const std::string& action, const std::string& comment = "") {
    auto now = store_->Get(c.id);
    return store_->Transition(c.id, now->version, action, comment, Clerk(), wf_, calendar_, light_,
                              kNow + kMinute);
  }

  std::vector<std::string> changes_;
  int64_t hebron_ = 0;
  catalog::Service light_, waste_, permit_, light_nablus_;
  workflow::Workflow wf_;
  workflow::Calendar calendar_;
};

TEST_P(FollowTest, FollowingDiscardsTheDraftAndTellsTheFollowerOfEveryChange) {
  const Case report = File(light_, 77);
  const Draft draft = DraftOf(light_, 88);
  ASSERT_TRUE(store_->Follow(report.id, draft, "en", Resident(88), kNow).ok());
  EXPECT_EQ(store_->GetDraft(draft.id, 88).error().code, ErrorCode::kNotFound) << "discarded";
  EXPECT_TRUE(*store_->Follows(report.id, 88));
  EXPECT_FALSE(*store_->Follows(report.id, 77)) << "the applicant is told as the applicant";
  auto followed = store_->Followed(88);
  ASSERT_EQ(followed->size(), 1u);
  EXPECT_EQ(followed->front().tracking, report.tracking);
  EXPECT_TRUE(followed->front().answers.empty()) << "a follower never reads the answers";
  EXPECT_EQ(Audited("case.followed"), 1);

  // Following again (from another draft) keeps one follow and discards that draft too.
  const Draft again = DraftOf(light_, 88);
  ASSERT_TRUE(store_->Follow(report.id, again, "en", Resident(88), kNow).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM case_followers"), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM case_drafts WHERE account_id = 88"), 0);

  ASSERT_TRUE(Move(report, "start_review").ok());
  EXPECT_EQ(Queued("case.followed_changed", 88, "en"), 2)
      << "in-app and SMS, in the follower's language, with the change";
  EXPECT_EQ(Queued("case.state_changed", 77), 2);
}

TEST_P(FollowTest, FollowingIsRefusedForClosedOrOtherReports) {
  const Case report = File(light_, 77);
  const Case waste = File(waste_, 78);
  const Draft draft = DraftOf(light_, 88);
  auto other = store_->Follow(waste.id, draft, "ar", Resident(88), kNow);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message_key, "cases.follow_mismatch");
  // Only the service the draft's report would be routed to may stand in for its own.
  auto wrong_route = store_->Follow(waste.id, draft, "ar", Resident(88), kNow, light_.id);
  ASSERT_FALSE(wrong_route.ok());
  EXPECT_EQ(wrong_route.error().message_key, "cases.follow_mismatch");
  ASSERT_TRUE(Move(report, "start_review").ok());
  ASSERT_TRUE(Move(report, "reject", "مكرر").ok());
  auto closed = store_->Follow(report.id, draft, "ar", Resident(88), kNow);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().code, ErrorCode::kConflict);
  EXPECT_EQ(closed.error().message_key, "cases.follow_closed");
  EXPECT_TRUE(store_->GetDraft(draft.id, 88).ok()) << "the draft stays: it can still be filed";
  EXPECT_EQ(Count("SELECT count(*) FROM case_followers"), 0);
  EXPECT_EQ(Audited("case.followed"), 0);
}

TEST_P(FollowTest, MergingClosesTheDuplicateAndItsApplicantFollowsTheTarget) {
  const Case target = File(light_, 77);
  const Case duplicate = File(light_, 88);
  // Someone who followed the duplicate follows the target after the merge.
  ASSERT_TRUE(store_->Follow(duplicate.id, DraftOf(light_, 99), "ar", Resident(99), kNow).ok());
  changes_.clear();
  auto merged = store_->Merge(duplicate.id, duplicate.version, target.tracking, Clerk(), wf_,
                              light_, kNow + kMinute);
  ASSERT_TRUE(merged.ok()) << merged.error().detail;
  EXPECT_EQ(merged->state, "rejected") << "the default workflow's final state that is no success";
  EXPECT_NE(merged->closed_at, 0);
  EXPECT_EQ(merged->version, duplicate.version + 1);
  EXPECT_EQ(changes_, (std::vector<std::string>{"merged:rejected:final"}));
  auto history = store_->History(duplicate.id, false);
  ASSERT_EQ(history->back().kind, "merged");
  EXPECT_EQ(history->back().comment, target.tracking);
  auto target_history = store_->History(target.id, true);
  EXPECT_EQ(target_history->back().kind, "merged_in");
  EXPECT_TRUE(target_history->back().internal);
  EXPECT_EQ(store_->History(target.id, false)->back().kind, "submitted")
      << "the target's applicant does not see the merge";
  EXPECT_EQ(store_->Get(target.id)->version, target.version) << "the target's page stays fresh";
  EXPECT_EQ(Audited("case.merged", duplicate.tracking), 1);
  EXPECT_TRUE(*store_->Follows(target.id, 88));
  EXPECT_TRUE(*store_->Follows(target.id, 99));
  EXPECT_EQ(Queued("case.merged", 88), 2);
  ASSERT_TRUE(Move(target, "start_review").ok());
  EXPECT_EQ(Queued("case.followed_changed"), 4) << "both followers, in-app and SMS";
}

TEST_P(FollowTest, MergeRefusalsStoreNothing) {
  const Case target = File(light_, 77);
  const Case duplicate = File(light_, 88);
  const Case waste = File(waste_, 78);
  const Case nablus = File(light_nablus_, 79, "NAB");
  const Case closed = File(light_, 80);
  ASSERT_TRUE(Move(closed, "start_review").ok());
  ASSERT_TRUE(Move(closed, "reject", "لا يلزم").ok());
  const int64_t events = Count("SELECT count(*) FROM case_events");
  struct Refusal {
    std::string into;
    int64_t version;
    Actor actor;
    const catalog::Service* service;
    ErrorCode code;
    std::string key;
  } refusals[] = {
      {target.tracking, duplicate.version + 1, Clerk(), &light_, ErrorCode::kConflict,
       "cases.conflict"},
      {duplicate.tracking, duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_self"},
      {waste.tracking, duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_other_service"},
      {nablus.tracking, duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_other_municipality"},
      {closed.tracking, duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_target_closed"},
      {"HEB-26-999999-0", duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_unknown"},
      {"not a number", duplicate.version, Clerk(), &light_, ErrorCode::kInvalid,
       "cases.merge_unknown"},
      {target.tracking, duplicate.version, Actor{88, "staff-88", {"clerk"}, "web", "r"}, &light_,
       ErrorCode::kForbidden, "cases.own_case"},
      {target.tracking, duplicate.version, Clerk(), &permit_, ErrorCode::kInvalid,
       "cases.merge_not_report"},
      // Finding (issue 12): merging closed any report whoever asked. Roles the workflow gives
      // no transition out of the case's state (a counter clerk, an auditor) may not close it.
      {target.tracking, duplicate.version, Actor{501, "counter", {"counter-clerk"}, "web", "r"},
       &light_, ErrorCode::kForbidden, "cases.merge_not_allowed"},
      {target.tracking, duplicate.version, Actor{502, "auditor", {"auditor"}, "web", "r"}, &light_,
       ErrorCode::kForbidden, "cases.merge_not_allowed"},
  };
  for (const Refusal& r : refusals) {
    auto m = store_->Merge(duplicate.id, r.version, r.into, r.actor, wf_, *r.service, kNow);
    ASSERT_FALSE(m.ok()) << r.key;
    EXPECT_EQ(m.error().code, r.code) << r.key;
    EXPECT_EQ(m.error().message_key, r.key);
  }
  auto closed_source = store_->Merge(closed.id, store_->Get(closed.id)->version, target.tracking,
                                     Clerk(), wf_, light_, kNow);
  ASSERT_FALSE(closed_source.ok());
  EXPECT_EQ(closed_source.error().message_key, "cases.merge_closed");
  EXPECT_EQ(Count("SELECT count(*) FROM case_events"), events);
  EXPECT_EQ(store_->Get(duplicate.id)->version, duplicate.version);
  EXPECT_EQ(store_->Get(duplicate.id)->closed_at, 0);
  EXPECT_EQ(Count("SELECT count(*) FROM case_followers"), 0);
  EXPECT_EQ(Audited("case.merged"), 0);
}

BALADIYA_INSTANTIATE_ENGINES(FollowTest);

}  // namespace
}  // namespace baladiya::cases
