// The payment store on both engines: invoice numbers without gaps, payments and their refusals
// (nothing written), idempotent channel ids, the counter's sessions, and a ledger whose debits
// equal its credits after every step of random sequences.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <random>
#include <thread>

#include "audit/testing.h"
#include "payments/payments.h"
#include "payments/store_test_fixture.h"
#include "platform/db/test_support.h"

namespace baladiya::payments {
namespace {

constexpr int64_t kNow = 1'796'601'600'000;  // 2026-12-07
constexpr int64_t kHebron = 1;
constexpr int64_t kNablus = 2;

class PaymentStoreTest : public testing::PaymentsStoreTest {
 protected:
  InvoiceRequest Request(int64_t municipality, int64_t amount, int64_t account = 7) {
    InvoiceRequest in;
    in.municipality_id = municipality;
    in.prefix = municipality == kHebron ? "HEB" : "NAB";
    in.case_id = 100 + next_case_++;
    in.tracking = in.prefix + "-26-000001-0";
    in.account_id = account;
    in.currency = "ILS";
    in.lines = {{{"رسم", "Fee"}, amount}};
    return in;
  }

  Result<Invoice> Raise(const InvoiceRequest& in) {
    Result<Invoice> out = MakeError(ErrorCode::kInternal, "x");
    Status s = db().Write([&](db::Tx& tx) -> Status {
      out = store_->Raise(tx, in, kNow);
      return out.ok() ? Ok() : Status(out.error());
    });
    if (!s.ok()) return std::move(s).error();
    return out;
  }

  PaymentInput Cash(const Invoice& inv) {
    PaymentInput p;
    p.reference = inv.reference;
    p.amount_minor = inv.total_minor;
    p.currency = inv.currency;
    p.actor = "cashier-1";
    return p;
  }

  int64_t Count(const std::string& sql) {
    auto r = db().Query(sql);
    EXPECT_TRUE(r.ok()) << sql;
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  // Debits minus credits of every municipality and currency: all must be 0.
  void ExpectBalanced() {
    auto r = db().Query(
        "SELECT municipality_id, currency, SUM(debit_minor) - SUM(credit_minor) FROM "
        "payment_ledger GROUP BY municipality_id, currency");
    ASSERT_TRUE(r.ok());
    for (const auto& row : *r) EXPECT_EQ(row.Int(2), 0) << row.Int(0) << " " << row.Text(1);
  }

  int64_t Ledger() { return Count("SELECT COUNT(*) FROM payment_ledger"); }

  int next_case_ = 0;
};

TEST_P(PaymentStoreTest, NumbersRunPerMunicipalityAndYearWithoutGaps) {
  auto a = Raise(Request(kHebron, 2000));
  auto b = Raise(Request(kNablus, 2000));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->number, "INV-HEB-2026-000001");
  EXPECT_EQ(b->number, "INV-NAB-2026-000001");
  EXPECT_TRUE(ParseCreditorReference(a->reference).has_value()) << a->reference;
  EXPECT_NE(a->reference, b->reference);
  // A change that rolls back gives its number back.
  Status rolled = db().Write([&](db::Tx& tx) -> Status {
    auto inv = store_->Raise(tx, Request(kHebron, 500), kNow);
    EXPECT_TRUE(inv.ok());
    return MakeError(ErrorCode::kConflict, "cases.conflict");
  });
  EXPECT_FALSE(rolled.ok());
  // A voided invoice keeps its number.
  ASSERT_TRUE(store_->VoidInvoice(a->id, "entered twice", "head-1", "", kNow).ok());
  auto c = Raise(Request(kHebron, 2000));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->number, "INV-HEB-2026-000002");
  auto voided = store_->Get(a->id);
  ASSERT_TRUE(voided.ok());
  EXPECT_EQ(voided->status, InvoiceStatus::kVoid);
  EXPECT_EQ(voided->number, "INV-HEB-2026-000001");
  EXPECT_EQ(audit::testing::Count(*audit_, "invoice.raised"), 3);
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, RefusesBadInvoicesAndCurrenciesNotAccepted) {
  InvoiceRequest none = Request(kHebron, 0);
  none.lines.clear();
  EXPECT_EQ(Raise(none).error().message_key, "payments.no_lines");
  InvoiceRequest negative = Request(kHebron, -5);
  EXPECT_EQ(Raise(negative).error().message_key, "payments.no_lines");
  InvoiceRequest jod = Request(kHebron, 1000);
  jod.currency = "JOD";
  EXPECT_EQ(Raise(jod).error().message_key, "payments.currency_not_accepted");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payment_invoices"), 0);
  ASSERT_TRUE(store_->SetAcceptsJod(kHebron, true).ok());
  auto ok = Raise(jod);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->currency, "JOD");
  EXPECT_EQ(ok->number, "INV-HEB-2026-000001");  // the refused ones left no gap
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, PaysOnceAndEveryRefusalWritesNothing) {
  auto inv = Raise(Request(kHebron, 50000));
  ASSERT_TRUE(inv.ok());
  const int64_t entries = Ledger();
  struct Case {
    const char* name;
    PaymentInput in;
    const char* key;
  };
  PaymentInput wrong_amount = Cash(*inv);
  wrong_amount.amount_minor -= 1;
  PaymentInput wrong_currency = Cash(*inv);
  wrong_currency.currency = "JOD";
  PaymentInput unknown = Cash(*inv);
  unknown.reference = CreditorReference("HEB26999999999");
  PaymentInput bad_check = Cash(*inv);
  bad_check.reference[2] = bad_check.reference[2] == '9' ? '8' : '9';
  PaymentInput bad_method = Cash(*inv);
  bad_method.method = "gold";
  const Case cases[] = {
      {"wrong amount", wrong_amount, "payments.wrong_amount"},
      {"wrong currency", wrong_currency, "payments.wrong_currency"},
      {"unknown reference", unknown, "payments.unknown_reference"},
      {"bad check digits", bad_check, "payments.unknown_reference"},
      {"bad method", bad_method, "payments.bad_method"},
  };
  for (const Case& c : cases) {
    auto r = store_->Pay(c.in, kNow);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().message_key, c.key) << c.name;
  }
  EXPECT_EQ(Ledger(), entries);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payment_payments"), 0);
  // By its number, typed in lower case: paid.
  PaymentInput by_number = Cash(*inv);
  by_number.reference = "inv-heb-2026-000001";
  auto paid = store_->Pay(by_number, kNow);
  ASSERT_TRUE(paid.ok()) << paid.error().detail;
  EXPECT_EQ(paid->receipt_number, "RCP-HEB-2026-000001");
  EXPECT_EQ(store_->Get(inv->id)->status, InvoiceStatus::kPaid);
  const int64_t after = Ledger();
  auto again = store_->Pay(Cash(*inv), kNow);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message_key, "payments.already_paid");
  EXPECT_EQ(Ledger(), after);
  // A voided invoice cannot be paid.
  auto other = Raise(Request(kHebron, 1000));
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->VoidInvoice(other->id, "no longer due", "head-1", "", kNow).ok());
  const int64_t voided = Ledger();
  auto late = store_->Pay(Cash(*other), kNow);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message_key, "payments.invoice_void");
  EXPECT_EQ(Ledger(), voided);
  EXPECT_EQ(store_->VoidInvoice(other->id, "again", "head-1", "", kNow).error().message_key,
            "payments.invoice_void");
  EXPECT_EQ(store_->VoidInvoice(inv->id, " ", "head-1", "", kNow).error().message_key,
            "payments.reason_required");
  EXPECT_EQ(audit::testing::Count(*audit_, "payment.posted"), 1);
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, TwoPaymentsOfOneInvoiceAtOnceOneSucceeds) {
  for (int round = 0; round < 5; ++round) {
    auto inv = Raise(Request(kHebron, 2000));
    ASSERT_TRUE(inv.ok());
    std::atomic<int> ok{0};
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        auto r = store_->Pay(Cash(*inv), kNow);
        if (r.ok()) {
          ++ok;
        } else if (r.error().message_key == "payments.already_paid") {
          ++refused;
        }
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 3);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payment_payments"), 5);
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, AChannelIdPostsOnce) {
  auto inv = Raise(Request(kHebron, 7500));
  ASSERT_TRUE(inv.ok());
  PaymentInput bank = Cash(*inv);
  bank.channel = "bank";
  bank.method = "bank";
  bank.external_id = "TX-1";
  auto first = store_->Pay(bank, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->replayed);
  auto second = store_->Pay(bank, kNow + 1000);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->replayed);
  EXPECT_EQ(second->id, first->id);
  PaymentInput changed = bank;
  changed.amount_minor += 100;
  EXPECT_EQ(store_->Pay(changed, kNow).error().message_key, "payments.external_id_reused");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payment_payments"), 1);
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, TheCounterTakesPaymentsOnlyIntoAnOpenSession) {
  auto s = store_->OpenSession(kHebron, 41, "cashier-41", 20000, "", kNow);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(store_->OpenSession(kHebron, 41, "cashier-41", 0, "", kNow).error().message_key,
            "payments.session_already_open");
  auto a = Raise(Request(kHebron, 50000));
  auto b = Raise(Request(kHebron, 2000));
  auto c = Raise(Request(kHebron, 3000));
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  PaymentInput cheque = Cash(*b);
  cheque.method = "cheque";
  ASSERT_TRUE(store_->PayAtCounter(s->id, 41, Cash(*a), kNow).ok());
  ASSERT_TRUE(store_->PayAtCounter(s->id, 41, cheque, kNow).ok());
  // Another cashier cannot post into this session.
  EXPECT_EQ(store_->PayAtCounter(s->id, 42, Cash(*c), kNow).error().message_key,
            "payments.session_closed");
  auto closed = store_->CloseSession(s->id, 41, 69000, "", kNow + 3600000);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->expected_cash_minor, 70000);
  EXPECT_EQ(closed->Difference(), -1000);
  const int64_t entries = Ledger();
  auto late = store_->PayAtCounter(s->id, 41, Cash(*c), kNow + 3600001);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().message_key, "payments.session_closed");
  EXPECT_EQ(Ledger(), entries);
  EXPECT_EQ(store_->Get(c->id)->status, InvoiceStatus::kOpen);
  auto report = store_->EndOfDay(kHebron, kNow - 1, kNow + 86400000);
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(report->by_method.size(), 2u);
  EXPECT_EQ(report->by_method[0].method, "cash");
  EXPECT_EQ(report->by_method[0].total_minor, 50000);
  EXPECT_EQ(report->by_method[1].method, "cheque");
  ASSERT_EQ(report->sessions.size(), 1u);
  EXPECT_EQ(report->sessions[0].Difference(), -1000);
  EXPECT_EQ(audit::testing::Count(*audit_, "cashier.closed"), 1);
  ExpectBalanced();
}

TEST_P(PaymentStoreTest, OwesAnythingByAccountOrNationalId) {
  auto inv = Raise(Request(kHebron, 2000, 9));
  ASSERT_TRUE(inv.ok());
  EXPECT_TRUE(*store_->Owes(kHebron, {9, ""}));
  EXPECT_FALSE(*store_->Owes(kNablus, {9, ""}));
  EXPECT_FALSE(*store_->Owes(kHebron, {10, ""}));
  EXPECT_FALSE(*store_->Owes(kHebron, {0, "123456789"}));
  ASSERT_TRUE(store_->Pay(Cash(*inv), kNow).ok());
  EXPECT_FALSE(*store_->Owes(kHebron, {9, ""}));
}

// Random sequences of invoices, payments, voids of both: after every step the ledger's debits
// equal its credits for every municipality and currency, and what it says residents owe equals
// the open invoices.
TEST_P(PaymentStoreTest, TheLedgerBalancesAfterRandomSequences) {
  ASSERT_TRUE(store_->SetAcceptsJod(kNablus, true).ok());
  std::mt19937 rng(GetParam() == "sqlite" ? 14 : 41);
  std::vector<Invoice> invoices;
  std::vector<int64_t> payments;
  for (int step = 0; step < 120; ++step) {
    const int what = static_cast<int>(rng() % 5);
    if (what <= 1 || invoices.empty()) {
      InvoiceRequest in = Request(rng() % 2 ? kHebron : kNablus, 100 + rng() % 100000);
      if (in.municipality_id == kNablus && rng() % 2) in.currency = "JOD";
      if (rng() % 3 == 0) in.lines.push_back({{"ب", "b"}, static_cast<int64_t>(rng() % 5000)});
      auto inv = Raise(in);
      ASSERT_TRUE(inv.ok());
      invoices.push_back(*inv);
    } else if (what == 2) {
      const Invoice& inv = invoices[rng() % invoices.size()];
      PaymentInput p = Cash(inv);
      if (rng() % 4 == 0) p.amount_minor += 1;  // refused: nothing written
      auto r = store_->Pay(p, kNow);
      if (r.ok()) payments.push_back(r->id);
    } else if (what == 3) {
      (void)store_->VoidInvoice(invoices[rng() % invoices.size()].id, "random", "head", "", kNow);
    } else if (!payments.empty() && rng() % 2) {
      (void)store_->VoidPayment(payments[rng() % payments.size()], "random", "head", "", kNow);
    } else if (!payments.empty()) {
      (void)store_->Refund(payments[rng() % payments.size()], 1 + rng() % 3000, "random", "head",
                           "", kNow);
    }
    ExpectBalanced();
    if (HasFailure()) return;
  }
  // Receivable equals what open invoices total (refunds leave their invoice paid).
  auto open = db().Query(
      "SELECT COALESCE(SUM(total_minor), 0) FROM payment_invoices WHERE status = 'open'");
  auto receivable = db().Query(
      "SELECT COALESCE(SUM(debit_minor) - SUM(credit_minor), 0) FROM payment_ledger WHERE "
      "account = 'receivable'");
  ASSERT_TRUE(open.ok() && receivable.ok());
  EXPECT_EQ((*open)[0].Int(0), (*receivable)[0].Int(0));
  auto trial = store_->TrialBalance(0);
  ASSERT_TRUE(trial.ok());
  int64_t debits = 0;
  int64_t credits = 0;
  for (const auto& a : *trial) {
    debits += a.debit_minor;
    credits += a.credit_minor;
  }
  EXPECT_EQ(debits, credits);
  EXPECT_GT(debits, 0);
}

TEST_P(PaymentStoreTest, RefundsInPartThenInWholeThroughTheChannel) {
  auto inv = Raise(Request(kHebron, 10000));
  ASSERT_TRUE(inv.ok());
  auto paid = store_->Pay(Cash(*inv), kNow);
  ASSERT_TRUE(paid.ok());
  const int64_t entries = Ledger();
  EXPECT_EQ(store_->Refund(paid->id, 3000, " ", "head", "", kNow).error().message_key,
            "payments.reason_required");
  EXPECT_EQ(store_->Refund(paid->id, 10001, "too much", "head", "", kNow).error().message_key,
            "payments.refund_amount");
  EXPECT_EQ(store_->Refund(paid->id, 0, "nothing", "head", "", kNow).error().message_key,
            "payments.refund_amount");
  // The channel refuses: nothing is written.
  Status refused =
      store_->Refund(paid->id, 3000, "overcharged", "head", "", kNow, [](const Payment&) -> Status {
        return MakeError(ErrorCode::kConflict, "payments.card.refund_refused");
      });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Ledger(), entries);
  std::string channel;
  ASSERT_TRUE(store_
                  ->Refund(paid->id, 3000, "overcharged", "head", "", kNow,
                           [&](const Payment& p) -> Status {
                             channel = p.channel;
                             return Ok();
                           })
                  .ok());
  EXPECT_EQ(channel, "counter");
  EXPECT_EQ(*store_->Refunded(paid->id), 3000);
  EXPECT_EQ(store_->GetPayment(paid->id)->status, "posted");
  ASSERT_TRUE(store_->Refund(paid->id, 7000, "cancelled", "head", "", kNow).ok());
  EXPECT_EQ(store_->GetPayment(paid->id)->status, "refunded");
  EXPECT_EQ(store_->Refund(paid->id, 1, "again", "head", "", kNow).error().message_key,
            "payments.payment_not_posted");
  EXPECT_EQ(store_->Get(inv->id)->status, InvoiceStatus::kPaid);
  EXPECT_EQ(audit::testing::Count(*audit_, "payment.refunded"), 2);
  ExpectBalanced();
  auto csv = store_->LedgerCsv(kHebron);
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(
      csv->rfind("id,at,kind,invoice,receipt,account,currency,debit_minor,credit_minor\r\n", 0),
      0u);
  EXPECT_NE(csv->find(",refund,INV-HEB-2026-000001,RCP-HEB-2026-000001,revenue,ILS,3000,0"),
            std::string::npos)
      << *csv;
}

TEST_P(PaymentStoreTest, AnUnbalancedSetOfEntriesIsABug) {
  Status s = db().Write([&](db::Tx& tx) -> Status {
    return store_->PostEntries(tx, kHebron, "ILS", "invoice", 0, 0,
                               {{"receivable", 100, 0}, {"revenue", 0, 99}}, kNow);
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_EQ(Ledger(), 0);
}

BALADIYA_INSTANTIATE_ENGINES(PaymentStoreTest);

}  // namespace
}  // namespace baladiya::payments
