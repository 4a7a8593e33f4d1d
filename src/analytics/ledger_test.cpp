// The KPI ledger on both engines, over cases made through the case store's public functions: the
// incremental fold and the rebuild give identical figures after randomised histories; each edge
// case of the issue (a transfer, a reopening, a merged duplicate, a counter filing then the web,
// a renamed and withdrawn service, events committed out of order, a gap left by a rolled-back
// transaction, a fold that fails half-way) is counted as the ledger's contract says.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "analytics/analytics.h"
#include "analytics/fold.h"
#include "cases/store_test_fixture.h"
#include "catalog/catalog.h"
#include "notify/test_support.h"

namespace baladiya::analytics {
namespace {

using cases::Actor;
using cases::Case;
using cases::CaseStore;
using cases::testing::kNow;
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kHour = 3'600'000;

constexpr char kForm[] = R"({"pages":[{"title":{"ar":"الطلب","en":"The application"},"fields":[
 {"name":"site_name","type":"text","label":{"ar":"اسم الموقع","en":"Site name"},"required":true}]}]})";

// Everything the ledger holds, as its reads give it.
struct Snapshot {
  std::vector<Cell> daily, monthly;
  std::vector<Duration> durations;
  std::vector<std::tuple<int64_t, int64_t, int64_t, int64_t>> backlog;
  bool operator==(const Snapshot&) const = default;
};

Counts Sum(const std::vector<Cell>& cells) {
  Counts n;
  for (const auto& c : cells) n += c.counts;
  return n;
}

class LedgerTest : public cases::testing::CaseStoreFixture {
 protected:
  void Configure(cases::Dependencies&) override {}
  void Observe(CaseStore& store) override {
    store.AddObserver([this](db::Tx&, const cases::StateChange& c) -> Status {
      std::unique_lock lock(mu_);
      if (refuse_next_ && c.kind == "submitted") {
        refuse_next_ = false;
        return MakeError(ErrorCode::kInternal, "error.internal", "refused by the test");
      }
      return Ok();
    });
  }

  void SetUp() override {
    CaseStoreFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::vector<db::Migration> all =
        db::MigrationsOf({catalog::Migrations, audit::Migrations, notify::Migrations,
                          cases::Migrations, Migrations});
    auto migrated = db::Migrate(db(), all);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    catalog::TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    services_ = std::make_unique<catalog::ServiceStore>(db(), std::chrono::milliseconds(0));
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    nablus_ = tenancy.FindMunicipality("nablus")->id;
    light_ = *services_->Find(hebron_, "street-light-report");
    nablus_light_ = *services_->Find(nablus_, "street-light-report");
    permit_.municipality_id = hebron_;
    permit_.department_id = (*tenancy.Departments(hebron_))[1].id;
    permit_.code = "test-permit";
    permit_.name = {"رخصة تجريبية", "Test permit"};
    permit_.description = {"وصف", "Description"};
    permit_.form = *catalog::ParseFormSchema(kForm);
    permit_.sla_days = 5;
    permit_.channels = {"web", "counter", "phone", "api"};
    permit_.published = true;
    auto id = services_->Save(permit_, kNow);
    ASSERT_TRUE(id.ok()) << id.error().detail;
    permit_ = *services_->Get(*id);
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
    ledger_ = NewLedger();
  }

  std::unique_ptr<Ledger> NewLedger() {
    return std::make_unique<Ledger>(
        db(), CatalogSources(*store_, *services_, notify::testing::Catalogue()));
  }

  const catalog::Service& ServiceOf(int64_t id) {
    for (const catalog::Service* s : {&light_, &nablus_light_, &permit_}) {
      if (s->id == id) return *s;
    }
    ADD_FAILURE() << "no service " << id;
    return permit_;
  }

  Actor Resident(int64_t account, const std::string& channel = "web") {
    return {account, "res-" + std::to_string(account), {"resident"}, channel, "req-r"};
  }
  Actor Staff(const std::string& channel = "web") {
    return {600, "head-pseudonym", {"department-head"}, channel, "req-h"};
  }

  Result<Case> Apply(int64_t account, const std::string& channel, int64_t at) {
    CaseStore::DirectSubmission in;
    in.applicant_id = account;
    in.channel = channel;
    in.filed_by = channel == "counter" || channel == "phone" ? 601 : 0;
    in.answers = {{"site_name", {"حي الشيخ"}}};
    return store_->SubmitAnswers(in, Resident(account, channel), permit_, wf_, calendar_, "HEB",
                                 at);
  }
  Result<Case> ApplyFromDraft(int64_t account, int64_t at) {
    auto id = store_->CreateDraft(account, permit_, "web", 0, at);
    if (!id.ok()) return std::move(id).error();
    auto d = store_->GetDraft(*id, account);
    d->answers = {{"site_name", {"حي الشيخ"}}};
    if (Status st = store_->SaveDraft(*d, at); !st.ok()) return st.error();
    return store_->Submit(*id, Resident(account), permit_, wf_, calendar_, "HEB", "ar", at);
  }
  Result<Case> Report(int64_t account, int64_t at, const std::string& actor_channel = "api") {
    CaseStore::DirectSubmission in;
    in.applicant_id = account;
    in.answers = {{"location", {"31.530,35.095"}},
                  {"problem", {light_.form.pages[0].fields[1].options[0].value}},
                  {"description", {"العمود مطفأ"}}};
    return store_->SubmitAnswers(in, Resident(account, actor_channel), light_, wf_, calendar_,
                                 "HEB", at);
  }
  Result<Case> Move(const Case& c, const std::string& action, int64_t at,
                    const std::string& channel = "web") {
    return store_->Transition(c.id, c.version, action, "ملاحظة", Staff(channel), wf_, calendar_,
                              ServiceOf(c.service_id), at);
  }
  Result<Case> Complete(Case c, int64_t at) {
    for (const char* a : {"start_review", "approve", "complete"}) {
      auto next = Move(c, a, at);
      if (!next.ok()) return next;
      c = *next;
      at += kHour;
    }
    return c;
  }

  void CatchUp(int64_t now = kNow + 400 * kDay) {
    auto n = ledger_->CatchUp(now, 50);
    ASSERT_TRUE(n.ok()) << n.error().detail;
  }

  Snapshot Read(Ledger& l, int64_t now = kNow + 400 * kDay) {
    Snapshot s;
    s.daily = *l.Daily(0, 0, -1'000'000, 1'000'000);
    s.monthly = *l.Monthly(0, 0, 0, 999'999);
    s.durations = *l.Durations(0, 0, 0, 999'999);
    auto backlog = l.BacklogNow(0, now);
    EXPECT_TRUE(backlog.ok());
    for (const auto& b : *backlog) {
      s.backlog.emplace_back(b.service_id, b.open, b.overdue, b.due_this_week);
    }
    return s;
  }

  static std::string Print(const Snapshot& s) {
    std::string out;
    for (const auto* cells : {&s.daily, &s.monthly}) {
      for (const auto& c : *cells) {
        out += std::to_string(c.municipality_id) + "/" + std::to_string(c.service_id) + "/" +
               c.channel + "/" + std::to_string(c.period) + ": " +
               std::to_string(c.counts.started) + " " + std::to_string(c.counts.submitted) + " " +
               std::to_string(c.counts.completed) + " " + std::to_string(c.counts.rejected) + " " +
               std::to_string(c.counts.merged) + " " + std::to_string(c.counts.within_sla) + " " +
               std::to_string(c.counts.reopened) + " " + std::to_string(c.counts.rated) + "\n";
      }
    }
    for (const auto& d : s.durations) {
      out += "d " + std::to_string(d.service_id) + "/" + d.channel + "/" + std::to_string(d.month) +
             " " + std::to_string(d.days) + ": " + std::to_string(d.cases) + "\n";
    }
    for (const auto& b : s.backlog) {
      out += "b " + std::to_string(std::get<0>(b)) + " " + std::to_string(std::get<1>(b)) + " " +
             std::to_string(std::get<2>(b)) + "\n";
    }
    return out;
  }

  // Folds incrementally, then rebuilds, and requires both to hold the same.
  Snapshot IncrementalEqualsRebuild() {
    CatchUp();
    Snapshot incremental = Read(*ledger_);
    auto rebuilt = ledger_->Rebuild(kNow + 400 * kDay);
    EXPECT_TRUE(rebuilt.ok()) << rebuilt.error().detail;
    Snapshot again = Read(*ledger_);
    EXPECT_TRUE(incremental == again) << "incremental and rebuild differ:\n"
                                      << Print(incremental) << "rebuilt:\n"
                                      << Print(again);
    EXPECT_EQ(Sum(incremental.monthly), Sum(incremental.daily));
    return again;
  }

  Counts Of(int64_t municipality, int64_t service = 0) {
    return Sum(*ledger_->Monthly(municipality, service, 0, 999'999));
  }

  std::unique_ptr<catalog::ServiceStore> services_;
  int64_t hebron_ = 0, nablus_ = 0;
  catalog::Service light_, nablus_light_, permit_;
  workflow::Workflow wf_;
  workflow::Calendar calendar_;
  std::unique_ptr<Ledger> ledger_;

  std::mutex mu_;
  bool refuse_next_ = false;
};

TEST_P(LedgerTest, IncrementalAndRebuildAgreeAfterRandomisedHistories) {
  int64_t started = 0, submitted = 0;
  for (uint32_t seed : {1u, 2u, 3u}) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    std::vector<Case> open, closed;
    int64_t at = kNow + seed * 50 * kDay;
    for (int step = 0; step < 160; ++step) {
      at += pick(10) * kHour + 1;
      const int what = pick(100);
      Result<Case> made = MakeError(ErrorCode::kNotFound, "none");
      if (what < 15) {
        made = ApplyFromDraft(100 + pick(20), at);
      } else if (what < 22) {
        ASSERT_TRUE(store_->CreateDraft(100 + pick(20), permit_, "web", 0, at).ok());
        ++started;
      } else if (what < 37) {
        const char* channels[] = {"api", "counter", "phone", "web"};
        made = Apply(100 + pick(20), channels[pick(4)], at);
      } else if (what < 47) {
        made = Report(100 + pick(20), at, pick(2) ? "open311" : "api");
      } else if (what < 75 && !open.empty()) {
        const size_t i = pick(static_cast<int>(open.size()));
        auto moves = workflow::AllowedTransitions(wf_, open[i].state, {"department-head"});
        if (open[i].state == "needs_info") {
          auto next = store_->Transition(open[i].id, open[i].version, "answer", "",
                                         Resident(open[i].applicant_id), wf_, calendar_,
                                         ServiceOf(open[i].service_id), at);
          ASSERT_TRUE(next.ok()) << next.error().detail;
          open[i] = *next;
        } else if (!moves.empty()) {
          auto next = Move(open[i], moves[pick(static_cast<int>(moves.size()))]->action, at);
          ASSERT_TRUE(next.ok()) << next.error().detail << " " << next.error().message_key;
          if (next->closed_at) {
            closed.push_back(*next);
            open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
          } else {
            open[i] = *next;
          }
        }
      } else if (what < 80 && !open.empty()) {
        const size_t i = pick(static_cast<int>(open.size()));
        if (open[i].service_id == light_.id) {
          CaseStore::TransferTarget to{&nablus_light_, &wf_,     &calendar_,
                                       "hebron",       "nablus", {"نابلس", "Nablus"}};
          auto moved = store_->Transfer(open[i].id, open[i].version, light_, to, Staff(), at);
          ASSERT_TRUE(moved.ok()) << moved.error().detail;
          open[i] = *moved;
        }
      } else if (what < 85 && open.size() > 1) {
        const size_t i = pick(static_cast<int>(open.size()));
        const size_t j = pick(static_cast<int>(open.size()));
        // Staff merge only a report they may act on in its state (not one awaiting the resident).
        if (i != j && open[i].service_id == light_.id && open[j].service_id == light_.id &&
            CaseStore::MayMerge(wf_, open[i].state, Staff().roles)) {
          auto merged = store_->Merge(open[i].id, open[i].version, open[j].tracking, Staff(), wf_,
                                      light_, at);
          ASSERT_TRUE(merged.ok()) << merged.error().detail;
          closed.push_back(*merged);
          open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        }
      } else if (what < 92 && !closed.empty()) {
        const size_t i = pick(static_cast<int>(closed.size()));
        Case c = *store_->Get(closed[i].id);
        if (pick(2)) {
          (void)store_->Rate(c.id, 1 + pick(5), "", Resident(c.applicant_id), at);
        } else if (c.state != "duplicate" && at - c.closed_at < 30 * kDay) {
          auto back = store_->Reopen(c.id, c.version, 30, Resident(c.applicant_id), wf_, calendar_,
                                     ServiceOf(c.service_id), at);
          if (back.ok()) {
            open.push_back(*back);
            closed.erase(closed.begin() + static_cast<std::ptrdiff_t>(i));
          }
        }
      } else if (what < 100) {
        // A restart: a new ledger over the same database carries on where the last one stopped.
        if (pick(2)) ledger_ = NewLedger();
        CatchUp();
      }
      if (made.ok()) {
        ++started;
        ++submitted;
        open.push_back(*made);
      }
    }
    Snapshot s = IncrementalEqualsRebuild();
    // What the ledger says agrees with what the store says.
    const Counts total = Sum(s.monthly);
    int64_t closed_cases = 0;
    for (const auto& c : closed) closed_cases += store_->Get(c.id)->closed_at != 0;
    int64_t open_cases = 0;
    for (const auto& b : s.backlog) open_cases += std::get<1>(b);
    SCOPED_TRACE("seed " + std::to_string(seed));
    EXPECT_EQ(total.started, started);
    EXPECT_EQ(total.submitted, submitted);
    EXPECT_EQ(total.completed + total.rejected + total.merged + open_cases, total.submitted);
    (void)closed_cases;
  }
}

TEST_P(LedgerTest, ATransferIsCountedOnceWhereItEnded) {
  auto c = Report(70, kNow);
  ASSERT_TRUE(c.ok()) << c.error().detail;
  CatchUp();
  EXPECT_EQ(Of(hebron_).submitted, 1);
  CaseStore::TransferTarget to{&nablus_light_, &wf_,     &calendar_,
                               "hebron",       "nablus", {"نابلس", "Nablus"}};
  auto moved = store_->Transfer(c->id, c->version, light_, to, Staff(), kNow + kHour);
  ASSERT_TRUE(moved.ok()) << moved.error().detail;
  ASSERT_TRUE(Complete(*moved, kNow + 2 * kHour).ok());
  CatchUp();
  EXPECT_EQ(Of(hebron_), Counts{});
  Counts nablus = Of(nablus_, nablus_light_.id);
  EXPECT_EQ(nablus.started, 1);
  EXPECT_EQ(nablus.submitted, 1);
  EXPECT_EQ(nablus.completed, 1);
  IncrementalEqualsRebuild();
}

TEST_P(LedgerTest, AReopenedCaseIsCompletedOnceAndReopenedOnce) {
  auto c = Complete(*Apply(71, "web", kNow), kNow + kHour);
  ASSERT_TRUE(c.ok()) << c.error().detail;
  CatchUp();
  EXPECT_EQ(Of(hebron_).completed, 1);
  auto back =
      store_->Reopen(c->id, c->version, 30, Resident(71), wf_, calendar_, permit_, kNow + 2 * kDay);
  ASSERT_TRUE(back.ok()) << back.error().detail;
  CatchUp();
  EXPECT_EQ(Of(hebron_).completed, 0);
  EXPECT_EQ(Of(hebron_).reopened, 1);
  auto again = Move(*back, "approve", kNow + 3 * kDay);
  ASSERT_TRUE(again.ok()) << again.error().detail;
  ASSERT_TRUE(Move(*again, "complete", kNow + 3 * kDay + 1).ok());
  CatchUp();
  Counts n = Of(hebron_);
  EXPECT_EQ(n.submitted, 1);
  EXPECT_EQ(n.completed, 1);
  EXPECT_EQ(n.reopened, 1);
  auto d = ledger_->Durations(hebron_, permit_.id, 0, 999'999);
  ASSERT_EQ(d->size(), 1u);
  EXPECT_EQ(d->front().cases, 1);
  IncrementalEqualsRebuild();
}

TEST_P(LedgerTest, AMergedDuplicateIsNeitherCompletedNorRejected) {
  auto a = Report(72, kNow);
  auto b = Report(73, kNow + 1);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(
      store_->Merge(b->id, b->version, a->tracking, Staff(), wf_, light_, kNow + kHour).ok());
  CatchUp();
  Counts n = Of(hebron_, light_.id);
  EXPECT_EQ(n.submitted, 2);
  EXPECT_EQ(n.merged, 1);
  EXPECT_EQ(n.completed + n.rejected, 0);
  EXPECT_TRUE(ledger_->Durations(hebron_, 0, 0, 999'999)->empty());
  auto backlog = ledger_->BacklogNow(hebron_, kNow + kHour);
  ASSERT_EQ(backlog->size(), 1u);
  EXPECT_EQ(backlog->front().open, 1);
  IncrementalEqualsRebuild();
}

TEST_P(LedgerTest, ACounterFilingStaysACounterTransactionWhenTheResidentUsesTheWeb) {
  auto c = Apply(74, "counter", kNow);
  ASSERT_TRUE(c.ok()) << c.error().detail;
  auto done = Complete(*c, kNow + kHour);
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(store_->Rate(c->id, 5, "", Resident(74, "web"), kNow + kDay).ok());
  CatchUp();
  auto cells = *ledger_->Monthly(hebron_, 0, 0, 999'999);
  ASSERT_EQ(cells.size(), 1u);
  EXPECT_EQ(cells[0].channel, "counter");
  EXPECT_EQ(cells[0].counts.submitted, 1);
  EXPECT_EQ(cells[0].counts.rated, 1);
  EXPECT_EQ(cells[0].counts.scores[4], 1);
  IncrementalEqualsRebuild();
}

TEST_P(LedgerTest, Open311ReportsAndAbandonedDraftsAreTheirOwn) {
  ASSERT_TRUE(Report(75, kNow, "open311").ok());
  ASSERT_TRUE(store_->CreateDraft(76, permit_, "web", 0, kNow).ok());
  ASSERT_TRUE(ApplyFromDraft(76, kNow + 1).ok());
  CatchUp();
  auto cells = *ledger_->Monthly(hebron_, 0, 0, 999'999);
  std::map<std::string, Counts> by;
  for (const auto& c : cells) by[c.channel] += c.counts;
  EXPECT_EQ(by["open311"].submitted, 1);
  EXPECT_EQ(by["api"].submitted, 0);
  EXPECT_EQ(by["web"].started, 2);
  EXPECT_EQ(by["web"].submitted, 1);
  // Abandoned drafts deleted by housekeeping stay started.
  ASSERT_TRUE(store_->DeleteAbandoned(kNow + 90 * kDay, 30).ok());
  EXPECT_EQ(IncrementalEqualsRebuild().monthly.size(), cells.size());
  EXPECT_EQ(Of(hebron_).started, 3);
}

TEST_P(LedgerTest, ARenamedAndWithdrawnServiceKeepsItsFigures) {
  ASSERT_TRUE(Apply(77, "web", kNow).ok());
  CatchUp();
  catalog::Service renamed = permit_;
  renamed.name = {"رخصة جديدة", "New permit"};
  renamed.published = false;
  ASSERT_TRUE(services_->Save(renamed, kNow + kDay).ok());
  auto c = Apply(78, "web", kNow + 2 * kDay);  // filed before withdrawal elsewhere, still counted
  CatchUp();
  EXPECT_EQ(Of(hebron_, permit_.id).submitted, c.ok() ? 2 : 1);
  IncrementalEqualsRebuild();
}

TEST_P(LedgerTest, DaysWithoutEventsHaveNoCells) {
  ASSERT_TRUE(Apply(79, "web", kNow).ok());
  ASSERT_TRUE(Apply(80, "web", kNow + 3 * kDay).ok());
  CatchUp();
  const int64_t day = workflow::LocalDayOf(calendar_, kNow);
  auto cells = *ledger_->Daily(hebron_, 0, day, day + 3);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].period, day);
  EXPECT_EQ(cells[1].period, day + 3);
  EXPECT_TRUE(ledger_->Daily(hebron_, 0, day + 1, day + 2)->empty());
}

TEST_P(LedgerTest, AFoldThatFailsHalfWayChangesNothingAndIsDoneAgain) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Apply(81 + i, "web", kNow + i).ok());
  Sources broken = CatalogSources(*store_, *services_, notify::testing::Catalogue());
  int calls = 0;
  auto real = broken.calendar;
  broken.calendar = [&calls, real](int64_t m) -> Result<workflow::Calendar> {
    if (++calls > 1) return MakeError(ErrorCode::kUnavailable, "error.unavailable", "down");
    return real(m);
  };
  Ledger failing(db(), broken);
  EXPECT_FALSE(failing.CatchUp(kNow, 2).ok());
  auto cursors = *ledger_->Cursors();
  CatchUp();
  EXPECT_EQ(Of(hebron_).submitted, 5);
  EXPECT_GT(ledger_->Cursors()->at("cases"), cursors.at("cases"));
  IncrementalEqualsRebuild();
}

// Filing from several threads while the ledger folds: on PostgreSQL positions commit out of
// order (a transaction that took a lower position may commit after a higher one was read); every
// case is still counted once, and the figures equal a rebuild's.
TEST_P(LedgerTest, FilingWhileFoldingCountsEveryCaseOnce) {
  constexpr int kThreads = 4;
  constexpr int kEach = 25;
  std::atomic<bool> done{false};
  std::thread folder([&] {
    while (!done.load()) {
      auto n = ledger_->CatchUp(kNow + kDay, 7);
      EXPECT_TRUE(n.ok()) << n.error().detail;
    }
  });
  std::vector<std::thread> filers;
  for (int t = 0; t < kThreads; ++t) {
    filers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto c = Apply(200 + t, t % 2 ? "web" : "counter", kNow + i);
        EXPECT_TRUE(c.ok()) << c.error().detail;
      }
    });
  }
  for (auto& f : filers) f.join();
  done = true;
  folder.join();
  CatchUp(kNow + kDay);
  EXPECT_EQ(Of(hebron_).submitted, kThreads * kEach);
  EXPECT_EQ(Of(hebron_).started, kThreads * kEach);
  IncrementalEqualsRebuild();
}

// A rolled-back submission leaves a gap on PostgreSQL: the cursor waits for it kGapWaitMs, then
// passes it; entries after it are folded meanwhile, once.
TEST_P(LedgerTest, AGapOfARolledBackTransactionIsPassedAfterAWhile) {
  ASSERT_TRUE(Apply(93, "web", kNow).ok());
  refuse_next_ = true;
  EXPECT_FALSE(Apply(94, "web", kNow + 1).ok());
  ASSERT_TRUE(Apply(95, "web", kNow + 2).ok());
  CatchUp(kNow + 3);
  EXPECT_EQ(Of(hebron_).submitted, 2);
  const int64_t last = store_->Feed(0, cases::kMaxFeedBatch)->back().position;
  CatchUp(kNow + 3 + kGapWaitMs + 1);
  EXPECT_EQ(ledger_->Cursors()->at("cases"), last);
  EXPECT_EQ(Of(hebron_).submitted, 2);
}

BALADIYA_INSTANTIATE_ENGINES(LedgerTest);

// The cursor of a feed read out of order: positions folded above a missing one are kept and
// skipped when read again; the missing one is waited for, then folded when it commits, or passed
// once an entry above it is kGapWaitMs old.
TEST(CursorTest, WaitsForMissingPositionsThenPassesThem) {
  struct Step {
    std::vector<int64_t> read;  // positions read in this pass (at = 1000 * position)
    int64_t now;
    int64_t position;  // expected afterwards
    size_t seen;
  };
  const Step steps[] = {
      {{1, 2, 4, 5}, 5'000, 2, 2},             // 3 is missing: wait
      {{4, 5}, 6'000, 2, 2},                   // read again: nothing new
      {{3, 4, 5}, 7'000, 5, 0},                // 3 committed late: folded, all done
      {{7, 8}, 9'000, 5, 2},                   // 6 missing
      {{7, 8}, 7'000 + kGapWaitMs, 5, 2},      // not yet old enough
      {{7, 8}, 7'001 + kGapWaitMs + 1, 8, 0},  // 6 rolled back: passed
  };
  internal::Cursor c;
  std::set<int64_t> folded;
  for (const auto& s : steps) {
    for (int64_t p : s.read) {
      if (c.Seen(p)) continue;
      EXPECT_TRUE(folded.insert(p).second) << "folded twice: " << p;
      c.Mark(p, 1000 * p);
    }
    c.Advance(s.now);
    EXPECT_EQ(c.position, s.position) << "at " << s.now;
    EXPECT_EQ(c.seen.size(), s.seen) << "at " << s.now;
  }
  EXPECT_EQ(folded, (std::set<int64_t>{1, 2, 3, 4, 5, 7, 8}));
}

}  // namespace
}  // namespace baladiya::analytics
