// Transferring a report to another municipality, on both engines: the case moves with its
// tracking number, event, audit entries, notification and state-change hook in one transaction;
// stale versions, applications, closed cases and the same municipality are refused.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <thread>

#include "cases/cases.h"
#include "cases/store_test_fixture.h"
#include "catalog/catalog.h"
#include "notify/test_support.h"
#include "platform/db/test_support.h"

namespace baladiya::cases {
namespace {

using testing::kNow;

class TransferTest : public testing::CaseStoreFixture {
 protected:
  void Configure(Dependencies& deps) override {
    deps.reachable = [](int64_t) { return std::vector<notify::Channel>{notify::Channel::kInApp}; };
  }
  void Observe(CaseStore& store) override {
    store.AddObserver([this](db::Tx&, const StateChange& change) -> Status {
      std::lock_guard lock(mu_);
      changes_.push_back(change.kind + ":" + std::to_string(change.municipality_id) + ":" +
                         std::to_string(change.department_id) + ":" + change.to_state);
      if (refuse_changes_) return MakeError(ErrorCode::kInternal, "error.internal", "refused");
      return Ok();
    });
  }

  void SetUp() override {
    CaseStoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    catalog::TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    catalog::ServiceStore services(db());
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    nablus_ = tenancy.FindMunicipality("nablus")->id;
    light_ = *services.Find(hebron_, "street-light-report");
    nablus_light_ = *services.Find(nablus_, "street-light-report");
    permit_ = *services.Find(hebron_, "building-permit");
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
  }

  Result<Case> Report() {
    CaseStore::DirectSubmission in;
    in.applicant_id = 77;
    in.answers = {{"location", {"32.222,35.258"}},
                  {"problem", {light_.form.pages[0].fields[1].options[0].value}},
                  {"description", {"العمود مطفأ منذ أسبوع"}}};
    Actor resident{77, "res-77", {"resident"}, "api", "req-r"};
    return store_->SubmitAnswers(in, resident, light_, wf_, calendar_, "HEB", kNow);
  }

  CaseStore::TransferTarget ToNablus() {
    return {&nablus_light_, &wf_, &calendar_, "hebron", "nablus", {"بلدية نابلس", "Nablus"}};
  }

  Actor Head() { return {600, "head-pseudonym", {"department-head"}, "web", "req-h"}; }

  int64_t hebron_ = 0, nablus_ = 0;
  catalog::Service light_, nablus_light_, permit_;
  workflow::Workflow wf_;
  workflow::Calendar calendar_;
  std::mutex mu_;
  std::vector<std::string> changes_;  // guarded by mu_
  bool refuse_changes_ = false;
};

TEST_P(TransferTest, AReportMovesWithItsTrackingNumberEventAuditAndNotification) {
  auto c = Report();
  ASSERT_TRUE(c.ok()) << c.error().detail;
  ASSERT_TRUE(store_
                  ->Transition(c->id, c->version, "start_review", "", Head(), wf_, calendar_,
                               light_, kNow + 1)
                  .ok());
  auto before = store_->Get(c->id);
  auto moved =
      store_->Transfer(c->id, before->version, light_, ToNablus(), Head(), kNow + 3'600'000);
  ASSERT_TRUE(moved.ok()) << moved.error().detail;
  EXPECT_EQ(moved->tracking, c->tracking);
  EXPECT_EQ(moved->municipality_id, nablus_);
  EXPECT_EQ(moved->service_id, nablus_light_.id);
  EXPECT_EQ(moved->department_id, nablus_light_.department_id);
  EXPECT_EQ(moved->state, wf_.initial);
  EXPECT_EQ(moved->version, before->version + 1);
  EXPECT_EQ(moved->assigned_to, 0);
  EXPECT_EQ(moved->due_at, workflow::AddWorkingDays(calendar_, kNow + 3'600'000,
                                                    std::max(nablus_light_.sla_days, 1)));
  EXPECT_EQ(moved->answers, c->answers);
  auto history = store_->History(c->id, false);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->back().kind, "transferred");
  EXPECT_EQ(history->back().comment, "hebron>nablus");
  EXPECT_EQ(history->back().from_state, "in_review");
  EXPECT_EQ(Audited("case.transferred"), 2);
  EXPECT_EQ(Queued("case.transferred"), 1);
  EXPECT_EQ(changes_.back(), "transferred:" + std::to_string(nablus_) + ":" +
                                 std::to_string(nablus_light_.department_id) + ":" + wf_.initial);
  // Hebron's queue no longer has it; Nablus's does.
  QueueFilter f;
  f.municipality_id = hebron_;
  EXPECT_EQ(store_->Queue(f, kNow)->total, 0);
  f.municipality_id = nablus_;
  EXPECT_EQ(store_->Queue(f, kNow)->total, 1);
}

TEST_P(TransferTest, RefusalsChangeNothing) {
  auto c = Report();
  ASSERT_TRUE(c.ok()) << c.error().detail;
  auto stale = store_->Transfer(c->id, c->version + 5, light_, ToNablus(), Head(), kNow);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  CaseStore::TransferTarget same = ToNablus();
  same.service = &light_;
  auto to_self = store_->Transfer(c->id, c->version, light_, same, Head(), kNow);
  ASSERT_FALSE(to_self.ok());
  EXPECT_EQ(to_self.error().message_key, "transfer.same_municipality");
  auto application = store_->Transfer(c->id, c->version, permit_, ToNablus(), Head(), kNow);
  ASSERT_FALSE(application.ok());
  EXPECT_EQ(application.error().message_key, "transfer.not_report");
  // The hook refusing rolls the whole transfer back.
  refuse_changes_ = true;
  EXPECT_FALSE(store_->Transfer(c->id, c->version, light_, ToNablus(), Head(), kNow).ok());
  refuse_changes_ = false;
  // Closed: refused (reopen first).
  auto review = store_->Transition(c->id, c->version, "start_review", "", Head(), wf_, calendar_,
                                   light_, kNow + 1);
  ASSERT_TRUE(review.ok()) << review.error().detail;
  auto rejected = store_->Transition(c->id, review->version, "reject", "ليس من اختصاصنا", Head(),
                                     wf_, calendar_, light_, kNow + 1);
  ASSERT_TRUE(rejected.ok()) << rejected.error().detail;
  auto closed = store_->Transfer(c->id, rejected->version, light_, ToNablus(), Head(), kNow + 2);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error().message_key, "transfer.closed");
  auto now = store_->Get(c->id);
  EXPECT_EQ(now->municipality_id, hebron_);
  EXPECT_EQ(now->version, rejected->version);
  EXPECT_EQ(Count("SELECT count(*) FROM case_events WHERE kind = 'transferred'"), 0);
  EXPECT_EQ(Audited("case.transferred"), 0);
  EXPECT_EQ(Queued("case.transferred"), 0);
}

TEST_P(TransferTest, TwoTransfersAtOnceGetOneSuccessAndOneConflict) {
  auto c = Report();
  ASSERT_TRUE(c.ok()) << c.error().detail;
  std::atomic<int> ok{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&] {
      auto r = store_->Transfer(c->id, c->version, light_, ToNablus(), Head(), kNow);
      if (r.ok())
        ++ok;
      else if (r.error().code == ErrorCode::kConflict)
        ++conflicts;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(conflicts.load(), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM case_events WHERE kind = 'transferred'"), 1);
}

BALADIYA_INSTANTIATE_ENGINES(TransferTest);

}  // namespace
}  // namespace baladiya::cases
