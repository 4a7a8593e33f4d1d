// payments over HTTP on the web harness, with cases beside it: a resident applies for a
// clearance certificate, the revenue department approves it, the case waits for payment with an
// invoice on both case pages, a cashier opens a session and takes the payment at the counter,
// the case moves on by itself, the receipt prints; bad input at the counter changes nothing; a
// department head voids a payment with a reason; the cashier closes the session with a
// difference.
#include <regex>

#include "audit/testing.h"
#include "payments/web_test_fixture.h"

namespace baladiya::payments {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::Role;
using identity::testing::Register;

using testing::PaymentsWebTest;

TEST_F(PaymentsWebTest, ApproveInvoicePayAtTheCounterAndTheCaseMovesOn) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  const std::string tracking = Apply(resident);
  Browser head = Staff("hebron.revenue.head", Role::kDepartmentHead, "hebron", "revenue");
  ASSERT_EQ(RawClient::Status(Act(head, tracking, "start_review")), 303);
  ASSERT_EQ(RawClient::Status(Act(head, tracking, "approve")), 303);
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->state, "awaiting_payment");

  // The invoice, on both case pages, with its reference; nobody can mark it paid by hand.
  auto invoices = store().OfCase(c->id);
  ASSERT_TRUE(invoices.ok());
  ASSERT_EQ(invoices->size(), 1u);
  const Invoice inv = invoices->front();
  // The demo dues took the first two numbers of the year.
  EXPECT_EQ(inv.number, "INV-HEB-2026-000003");
  EXPECT_EQ(inv.total_minor, 2000);
  EXPECT_EQ(inv.currency, "ILS");
  const std::string staff_page = RawClient::Body(head.Get("/m/hebron/cases/" + tracking));
  EXPECT_NE(staff_page.find(inv.reference), std::string::npos);
  EXPECT_EQ(staff_page.find("value=\"paid\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(Act(head, tracking, "paid")), 403);
  const std::string own_page =
      RawClient::Body(resident.Get("/account/cases/" + tracking + "?lang=en"));
  EXPECT_NE(own_page.find(inv.number), std::string::npos);
  EXPECT_NE(own_page.find(inv.reference), std::string::npos);
  EXPECT_NE(own_page.find("How to pay"), std::string::npos);

  // The cashier opens a session and finds the invoice by its reference.
  Browser cashier = Staff("hebron.cashier", Role::kCashier, "hebron");
  std::string res = cashier.Get("/m/hebron/cashier");
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_EQ(RawClient::Status(cashier.Post("/m/hebron/cashier/open", {{"opening_cash", "-5"}})),
            422);
  res = cashier.Post("/m/hebron/cashier/open", {{"opening_cash", "١٠٠"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = cashier.Get("/m/hebron/cashier?reference=" + inv.reference);
  ASSERT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(res.find("action=\"/m/hebron/cashier/pay\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(cashier.Get("/m/hebron/cashier?reference=RF00NOPE")), 404);

  // Bad input changes nothing.
  const int64_t entries = Ledger();
  struct Bad {
    std::map<std::string, std::string> form;
    int status;
  };
  const Bad bad[] = {
      {{{"reference", inv.reference}, {"method", "cash"}, {"amount", "19.99"}}, 422},
      {{{"reference", inv.reference}, {"method", "cash"}, {"amount", "twenty"}}, 422},
      {{{"reference", inv.reference}, {"method", "gold"}, {"amount", "20"}}, 422},
      {{{"reference", "RF00NOPE"}, {"method", "cash"}, {"amount", "20"}}, 404},
  };
  for (const Bad& b : bad) {
    cashier.Get("/m/hebron/cashier");
    res = cashier.Post("/m/hebron/cashier/pay", std::vector<std::pair<std::string, std::string>>(
                                                    b.form.begin(), b.form.end()));
    EXPECT_EQ(RawClient::Status(res), b.status) << b.form.at("amount");
  }
  EXPECT_EQ(Ledger(), entries);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "awaiting_payment");

  // Paid: the receipt, and the case moved on by itself.
  cashier.Get("/m/hebron/cashier");
  res = cashier.Post("/m/hebron/cashier/pay",
                     {{"reference", inv.reference}, {"method", "cash"}, {"amount", "20.00"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string receipt = RawClient::Header(res, "location");
  EXPECT_EQ(receipt, "/m/hebron/cashier/receipts/RCP-HEB-2026-000001");
  res = cashier.Get(receipt + "?lang=en");
  ASSERT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(res.find("RCP-HEB-2026-000001"), std::string::npos);
  EXPECT_NE(res.find(tracking), std::string::npos);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "approved");
  bool moved = false;
  for (const auto& e : Feed()) {
    moved = moved || (e.kind == "transition" && e.from_state == "awaiting_payment" &&
                      e.to_state == "approved" && e.action == "paid");
  }
  EXPECT_TRUE(moved);
  // A second payment of the same invoice is refused.
  cashier.Get("/m/hebron/cashier");
  res = cashier.Post("/m/hebron/cashier/pay",
                     {{"reference", inv.reference}, {"method", "cash"}, {"amount", "20"}});
  EXPECT_EQ(RawClient::Status(res), 409);

  // The payer's receipt is theirs alone.
  EXPECT_EQ(RawClient::Status(resident.Get("/account/receipts/RCP-HEB-2026-000001")), 200);
  Browser other(port());
  Register(other, "401234570", "0599123457");
  EXPECT_EQ(RawClient::Status(other.Get("/account/receipts/RCP-HEB-2026-000001")), 404);
  EXPECT_EQ(RawClient::Status(other.Get("/m/hebron/cashier")), 403);

  // Closing with 5 shekels missing from the drawer shows the difference.
  cashier.Get("/m/hebron/cashier/close");
  res = cashier.Post("/m/hebron/cashier/close", {{"counted_cash", "115"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = cashier.Get(RawClient::Header(res, "location") + "&lang=en");
  EXPECT_NE(res.find("-"), std::string::npos);
  // Nothing can be posted into the closed session.
  auto other_inv = store().Find(inv.reference);
  ASSERT_TRUE(other_inv.ok());
  cashier.Get("/m/hebron/cashier");
  res = cashier.Post("/m/hebron/cashier/pay",
                     {{"reference", inv.reference}, {"method", "cash"}, {"amount", "20"}});
  EXPECT_GE(RawClient::Status(res), 400);

  // The department head's day: the payment, voided with a reason.
  res = head.Get("/m/hebron/payments?lang=en");
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("RCP-HEB-2026-000001"), std::string::npos);
  const std::string void_href = "/m/hebron/payments/receipts/RCP-HEB-2026-000001/void";
  head.Get(void_href);
  EXPECT_EQ(RawClient::Status(head.Post(void_href, {{"reason", " "}})), 422);
  head.Get(void_href);
  res = head.Post(void_href, {{"reason", "counted twice"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(store().Get(inv.id)->status, InvoiceStatus::kOpen);
  EXPECT_EQ(RawClient::Status(cashier.Get(void_href)), 403);
  EXPECT_EQ(audit::testing::Count(audit(), "payment.voided"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "payment.posted"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "cashier.opened"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "cashier.closed"), 1);
  auto r = db().Query(
      "SELECT COALESCE(SUM(debit_minor), 0) - COALESCE(SUM(credit_minor), 0) FROM payment_ledger");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].Int(0), 0);
}

// The demo dues of the resident's national ID, on the page the account page links.
TEST_F(PaymentsWebTest, AResidentSeesWhatTheyOweAndCanPayItAtTheCounter) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  std::string account = resident.Get("/account?lang=en");
  EXPECT_NE(account.find("href=\"/account/dues\""), std::string::npos);
  std::string page = resident.Get("/account/dues?lang=en");
  ASSERT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("Waste collection fees 2026"), std::string::npos);
  EXPECT_NE(page.find("Water bill November 2026"), std::string::npos);
  auto owed = store().Owed(0, "401234562");
  ASSERT_TRUE(owed.ok());
  ASSERT_EQ(owed->size(), 2u);
  EXPECT_TRUE(*store().Owes(MunicipalityId("hebron"), {0, "401234562"}));
  // Paid at the counter by its reference: gone from the page.
  Browser cashier = Staff("hebron.cashier", Role::kCashier, "hebron");
  cashier.Get("/m/hebron/cashier");
  cashier.Post("/m/hebron/cashier/open", {{"opening_cash", "0"}});
  for (const Invoice& inv : *owed) {
    cashier.Get("/m/hebron/cashier?reference=" + inv.reference);
    const std::string amount = std::to_string(inv.total_minor / 100) + "." +
                               std::to_string(100 + inv.total_minor % 100).substr(1);
    std::string res =
        cashier.Post("/m/hebron/cashier/pay",
                     {{"reference", inv.reference}, {"method", "cash"}, {"amount", amount}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
  }
  page = resident.Get("/account/dues?lang=en");
  EXPECT_NE(page.find("You owe nothing"), std::string::npos);
  EXPECT_FALSE(*store().Owes(MunicipalityId("hebron"), {0, "401234562"}));
  // Another resident owes nothing.
  Browser other(port());
  Register(other, "401234570", "0599123457");
  EXPECT_NE(other.Get("/account/dues?lang=en").find("You owe nothing"), std::string::npos);
}

TEST_F(PaymentsWebTest, TheCashierLinkLeadsToTheCounter) {
  Browser cashier = Staff("hebron.cashier", Role::kCashier, "hebron");
  std::string res = cashier.Get("/account?lang=en");
  EXPECT_NE(res.find("href=\"/cashier\""), std::string::npos);
  res = cashier.Get("/cashier");
  EXPECT_EQ(RawClient::Header(res, "location"), "/m/hebron/cashier");
}

}  // namespace
}  // namespace baladiya::payments
