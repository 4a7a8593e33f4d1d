// Reconciliation with camt.053 statements on both engines: entries matched to payments by
// reference and amount, the unmatched listed on both sides and marked by hand; malformed files
// and repeated entries are refused whole.
#include <gtest/gtest.h>

#include <cstring>

#include "audit/testing.h"
#include "payments/payments.h"
#include "payments/store_test_fixture.h"
#include "platform/db/test_support.h"

namespace baladiya::payments {
namespace {

constexpr int64_t kNow = 1'796'601'600'000;  // 2026-12-07

// A camt.053.001.08 statement with the given entries (each: ref, amount, currency, reference,
// credit).
struct E {
  std::string ref;
  std::string amount;
  std::string currency;
  std::string reference;
  bool credit = true;
};
std::string Statement(const std::string& id, const std::vector<E>& entries) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Document "
      "xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt><GrpHdr>"
      "<MsgId>M1</MsgId><CreDtTm>2026-12-07T18:00:00</CreDtTm></GrpHdr><Stmt><Id>" +
      id + "</Id><Acct><Id><IBAN>PS92PALS000000000400123456702</IBAN></Id></Acct>";
  for (const E& e : entries) {
    x += "<Ntry><NtryRef>N-" + e.ref + "</NtryRef><Amt Ccy=\"" + e.currency + "\">" + e.amount +
         "</Amt><CdtDbtInd>" + (e.credit ? "CRDT" : "DBIT") +
         "</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-07</Dt></BookgDt>"
         "<AcctSvcrRef>" +
         e.ref + "</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>" + e.reference +
         "</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>";
  }
  return x + "</Stmt></BkToCstmrStmt></Document>\n";
}

class ReconcileTest : public testing::PaymentsStoreTest {
 protected:
  // A paid invoice of `amount` (by a bank, transaction `tx`): its reference.
  std::string PaidByBank(int64_t amount, const std::string& tx) {
    InvoiceRequest in;
    in.municipality_id = 1;
    in.prefix = "HEB";
    in.currency = "ILS";
    in.lines = {{{"أ", "a"}, amount}};
    Result<Invoice> inv = MakeError(ErrorCode::kInternal, "x");
    EXPECT_TRUE(db().Write([&](db::Tx& t) -> Status {
                      inv = store_->Raise(t, in, kNow);
                      return inv.ok() ? Ok() : Status(inv.error());
                    })
                    .ok());
    PaymentInput p;
    p.reference = inv->reference;
    p.amount_minor = amount;
    p.currency = "ILS";
    p.channel = "bank";
    p.method = "bank";
    p.external_id = "bop:" + tx;
    EXPECT_TRUE(store_->Pay(p, kNow).ok());
    return inv->reference;
  }

  int64_t Entries() {
    auto r = db().Query("SELECT COUNT(*) FROM payment_statement_entries");
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
};

TEST_P(ReconcileTest, MatchesByReferenceAndAmountAndListsTheRest) {
  const std::string a = PaidByBank(2000, "T1");
  const std::string b = PaidByBank(15000, "T2");
  const std::string c = PaidByBank(4000, "T3");  // not on the statement
  auto r = store_->ImportStatement(1,
                                   Statement("S-1", {{"E1", "20.00", "ILS", a},
                                                     {"E2", "149.99", "ILS", b},  // wrong amount
                                                     {"E3", "7.00", "ILS", "no reference"},
                                                     {"E4", "12.00", "ILS", a, false}}),
                                   "finance", "", kNow);
  ASSERT_TRUE(r.ok()) << r.error().detail;
  EXPECT_EQ(r->entries, 4);
  EXPECT_EQ(r->matched, 1);
  EXPECT_EQ(r->unmatched, 3);
  auto unmatched = store_->StatementEntries(1, "unmatched");
  ASSERT_TRUE(unmatched.ok());
  EXPECT_EQ(unmatched->size(), 3u);
  auto matched = store_->StatementEntries(1, "matched");
  ASSERT_TRUE(matched.ok() && matched->size() == 1);
  EXPECT_EQ(matched->front().receipt_number, "RCP-HEB-2026-000001");
  auto payments = store_->UnmatchedPayments(1);
  ASSERT_TRUE(payments.ok());
  ASSERT_EQ(payments->size(), 2u);  // b (amount differs) and c (not on the statement)
  EXPECT_EQ(payments->at(1).reference, c);
  // Marked by hand with a note.
  const int64_t e2 = unmatched->at(2).id;
  EXPECT_EQ(store_->MarkEntry(1, e2, " ", "finance", "", kNow).error().message_key,
            "payments.reason_required");
  ASSERT_TRUE(
      store_->MarkEntry(1, e2, "bank fee deducted, agreed with the bank", "finance", "", kNow)
          .ok());
  EXPECT_EQ(store_->MarkEntry(1, e2, "again", "finance", "", kNow).error().message_key,
            "payments.camt.not_unmatched");
  EXPECT_EQ(store_->MarkEntry(2, e2, "other town", "finance", "", kNow).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->StatementEntries(1, "marked")->size(), 1u);
  EXPECT_EQ(audit::testing::Count(*audit_, "statement.marked"), 1);
}

TEST_P(ReconcileTest, BadStatementsAreRefusedWhole) {
  const std::string a = PaidByBank(2000, "T1");
  struct Case {
    const char* name;
    std::string xml;
    const char* key;
  };
  const Case cases[] = {
      {"not well-formed", "<Document><BkToCstmrStmt><Stmt>", "payments.camt.malformed"},
      {"not XML", "amount,reference\n20,RF", "payments.camt.malformed"},
      {"not camt.053", "<Document><CstmrCdtTrfInitn/></Document>", "payments.camt.malformed"},
      {"the same entry twice",
       Statement("S-2", {{"E1", "20.00", "ILS", a}, {"E1", "20.00", "ILS", a}}),
       "payments.camt.entry_twice"},
      {"an amount that is not one", Statement("S-3", {{"E9", "twenty", "ILS", a}}),
       "payments.camt.entry"},
  };
  for (const Case& c : cases) {
    auto r = store_->ImportStatement(1, c.xml, "finance", "", kNow);
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_EQ(r.error().message_key, c.key) << c.name;
  }
  EXPECT_EQ(Entries(), 0);
  ASSERT_TRUE(
      store_->ImportStatement(1, Statement("S-4", {{"E1", "20.00", "ILS", a}}), "f", "", kNow)
          .ok());
  // The same statement again, and an entry of an earlier statement in a new one.
  EXPECT_EQ(
      store_->ImportStatement(1, Statement("S-4", {{"E5", "1.00", "ILS", "x"}}), "f", "", kNow)
          .error()
          .message_key,
      "payments.camt.imported");
  EXPECT_EQ(store_->ImportStatement(1, Statement("S-5", {{"E1", "20.00", "ILS", a}}), "f", "", kNow)
                .error()
                .message_key,
            "payments.camt.entry_twice");
  EXPECT_EQ(Entries(), 1);
}

BALADIYA_INSTANTIATE_ENGINES(ReconcileTest);

}  // namespace
}  // namespace baladiya::payments
