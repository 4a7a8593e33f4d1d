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
#include "payments/payments.h"

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
  std::vector<PaymentCell> payments;
  std::vector<PaymentDelay> delays;
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
                          cases::Migrations, payments::Migrations, Migrations});
    auto migrated = db::Migrate(db(), all);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
    payments_ = std::make_unique<payments::PaymentStore>(db(), crypto::Key32{}, nullptr);
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
    // The default workflow with a rejection whose key does not say so and a withdrawal by the
    // applicant: the ledger counts them by their outcomes. The permit keeps it as its own
    // workflow; the street-light reports' service keeps the default one, so for them the
    // outcome comes from the feed alone.
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
    wf_.states.push_back(
        {"declined", {"مرفوض نهائيا", "Declined"}, true, 0, true, false, "rejected"});
    wf_.states.push_back({"withdrawn", {"مسحوب", "Withdrawn"}, true, 0, true, false, "withdrawn"});
    wf_.transitions.push_back({"in_review",
                               "declined",
                               "decline",
                               {"رفض نهائي", "Decline"},
                               {"clerk", "department-head"},
                               false});
    wf_.transitions.push_back(
        {"submitted", "withdrawn", "withdraw", {"سحب", "Withdraw"}, {"resident"}, false});
    ASSERT_TRUE(workflow::Validate(wf_).ok());
    permit_.workflow_json = workflow::WorkflowToJson(wf_);
    auto id = services_->Save(permit_, kNow);
    ASSERT_TRUE(id.ok()) << id.error().detail;
    permit_ = *services_->Get(*id);
    ledger_ = NewLedger();
  }

  std::unique_ptr<Ledger> NewLedger() {
    auto l = std::make_unique<Ledger>(
        db(), CatalogSources(*store_, *services_, notify::testing::Catalogue()));
    // Payments' feed, as the shell joins it.
    l->JoinPayments(
        [this](db::Tx& tx, int64_t after, int limit) -> Result<std::vector<PaymentFact>> {
          auto entries = payments_->Feed(tx, after, limit);
          if (!entries.ok()) return std::move(entries).error();
          std::vector<PaymentFact> out;
          for (const payments::FeedEntry& e : *entries) {
            out.push_back({e.position, e.at, e.kind, e.municipality_id, e.channel, e.amount_minor,
                           e.currency, e.invoice_at, e.paid_at});
          }
          return out;
        });
    return l;
  }

  Result<payments::Invoice> Invoice(int64_t municipality, int64_t amount, int64_t at) {
    payments::Invoice out;
    Status st = db().Write([&](db::Tx& tx) -> Status {
      payments::InvoiceRequest in;
      in.municipality_id = municipality;
      in.prefix = municipality == hebron_ ? "HEB" : "NAB";
      in.account_id = 100;
      in.currency = "ILS";
      in.lines = {{{"رسوم", "Fee"}, amount}};
      auto inv = payments_->Raise(tx, in, at);
      if (!inv.ok()) return std::move(inv).error();
      out = *inv;
      return Ok();
    });
    if (!st.ok()) return st.error();
    return out;
  }
  Result<payments::Payment> PayInvoice(const payments::Invoice& inv, const std::string& channel,
                                       int64_t at) {
    payments::PaymentInput in;
    in.reference = inv.reference;
    in.amount_minor = inv.total_minor;
    in.currency = inv.currency;
    in.channel = channel;
    in.method = channel == "counter" ? "cash" : channel;
    if (channel != "counter") {
      in.external_id = "tx-" + std::to_string(inv.id) + "-" + std::to_string(at);
    }
    in.actor = "clerk";
    return payments_->Pay(in, at);
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
    s.payments = *l.Payments(0, 0, 999'999);
    s.delays = *l.PaymentDelays(0, 0, 999'999);
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
    for (const auto& p : s.payments) {
      out += "p " + std::to_string(p.municipality_id) + "/" + std::to_string(p.month) + "/" +
             p.channel + "/" + p.currency + ": " + std::to_string(p.counts.raised) + " " +
             std::to_string(p.counts.voided) + " " + std::to_string(p.counts.paid) + " " +
             std::to_string(p.counts.collected_minor) + " " +
             std::to_string(p.counts.refunded_minor) + "\n";
    }
    for (const auto& d : s.delays) {
      out += "pd " + std::to_string(d.municipality_id) + "/" + std::to_string(d.month) + " " +
             std::to_string(d.days) + ": " + std::to_string(d.payments) + "\n";
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
  std::unique_ptr<payments::PaymentStore> payments_;

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
        if (open[i].state == "submitted" && pick(5) == 0) {
          auto gone = store_->Transition(open[i].id, open[i].version, "withdraw", "",
                                         Resident(open[i].applicant_id), wf_, calendar_,
                                         ServiceOf(open[i].service_id), at);
          ASSERT_TRUE(gone.ok()) << gone.error().detail;
          closed.push_back(*gone);
          open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        } else if (open[i].state == "needs_info") {
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
    EXPECT_EQ(total.completed + total.rejected + total.merged + total.withdrawn + open_cases,
              total.submitted);
    EXPECT_GT(total.withdrawn, 0);
    (void)closed_cases;
  }
}

// Payments reach the ledger through payments' own feed: invoices raised and voided, payments by
// channel, voided and refunded, in random order and with restarts; the fold and the rebuild agree,
// and the figures are what the history says.
TEST_P(LedgerTest, PaymentsIncrementalAndRebuildAgreeAfterRandomisedHistories) {
  int64_t raised = 0, voided = 0, paid = 0, refunded = 0;
  std::map<std::string, int64_t> collected;
  for (uint32_t seed : {7u, 8u, 9u}) {
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
    std::vector<payments::Invoice> open;
    std::vector<payments::Payment> posted;
    int64_t at = kNow + seed * 40 * kDay;
    for (int step = 0; step < 120; ++step) {
      at += pick(20) * kHour + 1;
      const int what = pick(100);
      if (what < 35) {
        auto inv = Invoice(pick(2) ? hebron_ : nablus_, 100 * (1 + pick(50)), at);
        ASSERT_TRUE(inv.ok()) << inv.error().detail;
        open.push_back(*inv);
        ++raised;
      } else if (what < 70 && !open.empty()) {
        const size_t i = pick(static_cast<int>(open.size()));
        const std::string channel = PaymentChannels()[pick(3)];
        auto p = PayInvoice(open[i], channel, at);
        ASSERT_TRUE(p.ok()) << p.error().detail;
        posted.push_back(*p);
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        ++paid;
        collected[channel] += p->amount_minor;
      } else if (what < 76 && !open.empty()) {
        const size_t i = pick(static_cast<int>(open.size()));
        ASSERT_TRUE(payments_->VoidInvoice(open[i].id, "خطأ", "head", "r", at).ok());
        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
        ++voided;
      } else if (what < 82 && !posted.empty()) {
        const size_t i = pick(static_cast<int>(posted.size()));
        const payments::Payment p = posted[i];
        if (payments_->VoidPayment(p.id, "خطأ", "head", "r", at).ok()) {
          posted.erase(posted.begin() + static_cast<std::ptrdiff_t>(i));
          --paid;
          collected[p.channel] -= p.amount_minor;
          open.push_back(*payments_->Get(p.invoice_id));
        }
      } else if (what < 88 && !posted.empty()) {
        const size_t i = pick(static_cast<int>(posted.size()));
        const payments::Payment p = posted[i];
        const int64_t left = p.amount_minor - *payments_->Refunded(p.id);
        if (left > 0) {
          const int64_t amount = 1 + pick(static_cast<int>(left));
          ASSERT_TRUE(payments_->Refund(p.id, amount, "استرداد", "head", "r", at).ok());
          refunded += amount;
          collected[p.channel] -= amount;
          if (amount == left) posted.erase(posted.begin() + static_cast<std::ptrdiff_t>(i));
        }
      } else if (what < 100) {
        if (pick(2)) ledger_ = NewLedger();
        CatchUp();
      }
    }
    SCOPED_TRACE("seed " + std::to_string(seed));
    Snapshot s = IncrementalEqualsRebuild();
    PaymentCounts total;
    std::map<std::string, int64_t> by_channel;
    for (const PaymentCell& c : s.payments) {
      total += c.counts;
      by_channel[c.channel] += c.counts.collected_minor;
    }
    EXPECT_EQ(total.raised, raised);
    EXPECT_EQ(total.voided, voided);
    EXPECT_EQ(total.paid, paid);
    EXPECT_EQ(total.refunded_minor, refunded);
    for (const std::string& ch : PaymentChannels()) EXPECT_EQ(by_channel[ch], collected[ch]) << ch;
    int64_t delayed = 0;
    for (const PaymentDelay& d : s.delays) delayed += d.payments;
    EXPECT_EQ(delayed, paid);
  }
}

TEST_P(LedgerTest, APaymentIsCountedInTheMunicipalitysMonthWithItsDaysFromTheInvoice) {
  // Raised at 22:30 UTC on 31 October: already 1 November in Hebron (UTC+2 or +3). Paid three
  // days later by card.
  const int64_t raised_at = FirstDayOfMonth(202611) * kDay - 90 * 60'000;
  auto inv = Invoice(hebron_, 2500, raised_at);
  ASSERT_TRUE(inv.ok());
  ASSERT_TRUE(PayInvoice(*inv, "card", raised_at + 3 * kDay).ok());
  CatchUp();
  EXPECT_TRUE(ledger_->Payments(hebron_, 202610, 202610)->empty());
  auto cells = *ledger_->Payments(hebron_, 202610, 202611);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[0].month, 202611);
  EXPECT_EQ(cells[0].channel, "");
  EXPECT_EQ(cells[0].counts.raised, 1);
  EXPECT_EQ(cells[1].month, 202611);
  EXPECT_EQ(cells[1].channel, "card");
  EXPECT_EQ(cells[1].counts.paid, 1);
  EXPECT_EQ(cells[1].counts.collected_minor, 2500);
  auto delays = *ledger_->PaymentDelays(hebron_, 202610, 202611);
  ASSERT_EQ(delays.size(), 1u);
  EXPECT_EQ(delays[0].days, 3);
  EXPECT_EQ(ledger_->Cursors()->at("payments"), 2);
  IncrementalEqualsRebuild();
}

// Participation's facts fall on the municipality's local days, and an acceptance taken back
// (rec_unaccepted, dated as the acceptance) is no longer counted; the rebuild agrees.
TEST_P(LedgerTest, ParticipationCountsLocalDaysAndAcceptancesTakenBack) {
  const int64_t nov1 = FirstDayOfMonth(202611);
  const int64_t late_oct31 = nov1 * kDay - 90 * 60'000;  // 22:30 UTC: 1 November in Hebron
  std::vector<FeedFact> facts = {{1, hebron_, "participant", late_oct31},
                                 {2, hebron_, "rec_accepted", late_oct31},
                                 {3, hebron_, "rec_accepted", nov1 * kDay + 10 * kHour},
                                 {4, nablus_, "rec_accepted", nov1 * kDay + 10 * kHour},
                                 {5, hebron_, "rec_unaccepted", late_oct31}};
  auto join = [&](Ledger& l) {
    l.JoinParticipation([&facts](db::Tx&, int64_t after, int limit) {
      std::vector<FeedFact> out;
      for (const FeedFact& f : facts) {
        if (f.position > after && out.size() < static_cast<size_t>(limit)) out.push_back(f);
      }
      return Result<std::vector<FeedFact>>(out);
    });
  };
  join(*ledger_);
  CatchUp();
  auto on = [&](int64_t municipality, int64_t from, int64_t to) {
    auto f = ledger_->Participation(municipality, from, to);
    EXPECT_TRUE(f.ok());
    return *f;
  };
  EXPECT_TRUE(on(hebron_, nov1 - 1, nov1 - 1).Zero());  // not on the UTC day
  EXPECT_EQ(on(hebron_, nov1, nov1).participants, 1);
  EXPECT_EQ(on(hebron_, nov1, nov1).accepted, 1);  // two accepted, one of them taken back
  EXPECT_EQ(on(0, nov1, nov1 + 30).accepted, 2);
  ASSERT_TRUE(ledger_->Rebuild(kNow + 400 * kDay).ok());
  EXPECT_EQ(on(hebron_, nov1, nov1).accepted, 1);
  EXPECT_EQ(on(hebron_, nov1, nov1).participants, 1);
  EXPECT_EQ(ledger_->Cursors()->at("participation"), 5);
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

TEST_P(LedgerTest, FinalStatesCountByTheirOutcomesNotTheirNames) {
  auto declined = Apply(80, "web", kNow);
  auto withdrawn = Apply(81, "web", kNow);
  auto report = Report(82, kNow);
  ASSERT_TRUE(declined.ok() && withdrawn.ok() && report.ok());
  auto reviewed = Move(*declined, "start_review", kNow + kHour);
  ASSERT_TRUE(reviewed.ok());
  ASSERT_TRUE(Move(*reviewed, "decline", kNow + 2 * kHour).ok());
  ASSERT_TRUE(store_
                  ->Transition(withdrawn->id, withdrawn->version, "withdraw", "", Resident(81), wf_,
                               calendar_, permit_, kNow + kHour)
                  .ok());
  // The report's service has the default workflow, which has no "declined": the feed says how
  // the report ended.
  auto looked = Move(*report, "start_review", kNow + kHour);
  ASSERT_TRUE(looked.ok());
  ASSERT_TRUE(Move(*looked, "decline", kNow + 2 * kHour).ok());
  CatchUp();
  Counts permit = Of(hebron_, permit_.id);
  EXPECT_EQ(permit.submitted, 2);
  EXPECT_EQ(permit.rejected, 1);
  EXPECT_EQ(permit.withdrawn, 1);
  EXPECT_EQ(permit.completed, 0);
  EXPECT_EQ(permit.within_sla, 1);  // the declined one; a withdrawal is not processed
  Counts light = Of(hebron_, light_.id);
  EXPECT_EQ(light.rejected, 1);
  EXPECT_EQ(light.completed, 0);
  int64_t timed = 0;
  for (const Duration& d : *ledger_->Durations(hebron_, 0, 0, 999'999)) timed += d.cases;
  EXPECT_EQ(timed, 2);  // the two declined, not the withdrawn one
  IncrementalEqualsRebuild();
}

TEST(LedgerFold, AnEventWithoutAnOutcomeTakesTheOneItsWorkflowGives) {
  // Events written before the feed carried outcomes: the service's workflow says how its final
  // states end; a final state it does not know is not an ending.
  Sources src;
  src.service = [](int64_t) -> Result<ServiceFacts> {
    ServiceFacts f;
    f.outcomes = {{"refused", "rejected"}, {"dropped", "withdrawn"}, {"done", "completed"}};
    return f;
  };
  src.calendar = [](int64_t) -> Result<workflow::Calendar> { return workflow::Calendar{}; };
  internal::Folder folder(src);
  auto entry = [](int64_t position, int64_t case_id, const char* kind, const char* to,
                  const char* outcome) {
    cases::FeedEntry e;
    e.position = position;
    e.at = kNow + position * kHour;
    e.kind = kind;
    e.case_id = case_id;
    e.municipality_id = 1;
    e.service_id = 2;
    e.to_state = to;
    e.outcome = outcome;
    e.case_channel = "web";
    e.submitted_at = kNow;
    return e;
  };
  for (const cases::FeedEntry& e :
       {entry(1, 10, "submitted", "new", ""), entry(2, 11, "submitted", "new", ""),
        entry(3, 12, "submitted", "new", ""), entry(4, 13, "submitted", "new", ""),
        entry(5, 10, "transition", "refused", ""), entry(6, 11, "transition", "dropped", ""),
        entry(7, 12, "transition", "done", "rejected"),
        entry(8, 13, "transition", "unknown_state", "")}) {
    ASSERT_TRUE(folder.FoldCase(e).ok());
  }
  EXPECT_EQ(folder.records.at(10).outcome, "rejected");
  EXPECT_EQ(folder.records.at(11).outcome, "withdrawn");
  EXPECT_EQ(folder.records.at(12).outcome, "rejected");  // the event's own outcome wins
  EXPECT_TRUE(folder.records.at(13).open());
  Counts total;
  for (const auto& [k, n] : folder.deltas.monthly) total += n;
  EXPECT_EQ(total.submitted, 4);
  EXPECT_EQ(total.rejected, 2);
  EXPECT_EQ(total.withdrawn, 1);
  EXPECT_EQ(total.completed, 0);
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
