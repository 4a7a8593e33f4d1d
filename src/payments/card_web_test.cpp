// Card payments over HTTP with a payment provider of the protocol on loopback (SandboxProvider):
// the resident goes from the case page to the hosted page and back; the provider's signed
// notification and the return are both confirmed by asking the provider; a notification that
// is early, repeated, replayed or badly signed never posts twice or at all; a wrong amount or a
// cancellation posts nothing; an unreachable provider is a 503.
#include "audit/testing.h"
#include "payments/card.h"
#include "payments/web_test_fixture.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::payments {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::Role;

constexpr char kKey[] = "merchant-key-for-tests";
constexpr char kSecret[] = "notification-secret-for-tests";

class CardWebTest : public testing::PaymentsWebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    provider_ = std::make_unique<SandboxProvider>(kKey, kSecret);
    EXPECT_TRUE(provider_->Start().ok());
    provider_->RunInBackground();
    baladiya::testing::HarnessOptions o = PaymentsWebTest::Options();
    o.settings["card-provider-url"] = Unreachable() ? "http://127.0.0.1:9" : provider_->url();
    o.settings["card-provider-key"] = kKey;
    o.settings["card-provider-secret"] = kSecret;
    o.settings["public-url"] = "";
    return o;
  }
  virtual bool Unreachable() { return false; }

  void SetUp() override {
    PaymentsWebTest::SetUp();
    if (HasFatalFailure()) return;
    provider_->SetClock([this] { return Now(); });
    // The test's server listens on a port chosen when it starts (its pages see "Host: x").
    provider_->SetNotifyUrl("http://127.0.0.1:" + std::to_string(port()) +
                            "/api/v1/card/notifications");
  }

  uint16_t ProviderPort() {
    const std::string url = provider_->url();
    return static_cast<uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
  }

  // A resident's approved application awaiting payment: (resident, tracking, invoice).
  void Approved(Browser& resident, std::string& tracking, Invoice& inv) {
    testing::Register(resident, "401234562", "0599123456");
    tracking = Apply(resident);
    Browser head = Staff("hebron.revenue.head", Role::kDepartmentHead, "hebron", "revenue");
    ASSERT_EQ(RawClient::Status(Act(head, tracking, "start_review")), 303);
    ASSERT_EQ(RawClient::Status(Act(head, tracking, "approve")), 303);
    auto invoices = store().OfCase(cases().FindByTracking(tracking)->id);
    ASSERT_TRUE(invoices.ok() && invoices->size() == 1);
    inv = invoices->front();
  }

  // From the case page to the provider's hosted page: the provider's id.
  std::string StartCard(Browser& resident, const std::string& tracking, const Invoice& inv) {
    const std::string page = resident.Get("/account/cases/" + tracking);
    EXPECT_NE(page.find("/account/invoices/" + inv.number + "/card"), std::string::npos);
    const std::string res = resident.Post("/account/invoices/" + inv.number + "/card", {});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    const std::string location = RawClient::Header(res, "location");
    EXPECT_EQ(location.rfind(provider_->url() + "/pay/", 0), 0u) << location;
    return location.substr(location.rfind('/') + 1);
  }

  // Sends a notification as the provider would, signed with `secret`.
  int Notify(const std::string& body, const std::string& signature) {
    std::string request =
        "POST /api/v1/card/notifications HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n";
    if (!signature.empty()) request += "Provider-Signature: " + signature + "\r\n";
    request += "Connection: close\r\n\r\n" + body;
    return RawClient::Status(RawClient::Exchange(port(), request));
  }

  int64_t Payments() {
    auto r = db().Query("SELECT COUNT(*) FROM payment_payments");
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  std::unique_ptr<SandboxProvider> provider_;
};

TEST_F(CardWebTest, PaidOnTheHostedPageConfirmedWithTheProviderPostedOnce) {
  Browser resident(port());
  std::string tracking;
  Invoice inv;
  Approved(resident, tracking, inv);
  if (HasFatalFailure()) return;
  const std::string id = StartCard(resident, tracking, inv);
  EXPECT_EQ(web().Part<CardStore>().ByProviderId(id)->state, CardState::kStarted);

  // Badly signed, stale or unsigned notifications: 401, nothing read.
  const std::string body = R"({"id":")" + id + R"(","state":"succeeded"})";
  const int64_t now_s = Now() / 1000;
  EXPECT_EQ(Notify(body, NotificationSignature("another secret", now_s, body)), 401);
  EXPECT_EQ(Notify(body, NotificationSignature(kSecret, now_s - 3600, body)), 401);
  EXPECT_EQ(Notify(body, ""), 401);
  // An early notification (the provider still says pending) posts nothing.
  EXPECT_EQ(Notify(body, NotificationSignature(kSecret, now_s, body)), 200);
  EXPECT_EQ(Payments(), 0);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "awaiting_payment");

  // The resident pays on the hosted page: the provider notifies, then sends them back.
  Browser hosted(ProviderPort());
  EXPECT_NE(hosted.Get("/pay/" + id).find("Sandbox payment page"), std::string::npos);
  const std::string res = hosted.Post("/pay/" + id, {{"outcome", "pay"}}, false);
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string back = RawClient::Header(res, "location");
  EXPECT_EQ(Payments(), 1);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "approved");
  const std::string target = back.substr(back.find("/account/"));
  const std::string page = resident.Get(target + "?lang=en");
  EXPECT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("Paid. Thank you"), std::string::npos);
  EXPECT_NE(page.find("/account/receipts/RCP-HEB-2026-000001"), std::string::npos);

  // The same notification again, and replayed as it was sent: still one payment.
  const auto [sent, signature] = provider_->LastNotification();
  EXPECT_EQ(Notify(sent, signature), 200);
  EXPECT_EQ(Notify(sent, signature), 200);
  resident.Get(target);
  EXPECT_EQ(Payments(), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "payment.posted"), 1);
  EXPECT_EQ(web().Part<CardStore>().ByProviderId(id)->state, CardState::kSucceeded);
  // Someone else's return page is not found.
  Browser other(port());
  testing::Register(other, "401234570", "0599123457");
  EXPECT_EQ(RawClient::Status(other.Get(target)), 404);
}

TEST_F(CardWebTest, AWrongAmountOrACancellationPostsNothing) {
  Browser resident(port());
  std::string tracking;
  Invoice inv;
  Approved(resident, tracking, inv);
  if (HasFatalFailure()) return;
  // The provider reports another amount than the invoice's: failed, nothing posted.
  provider_->ReportAmount(inv.total_minor - 1);
  const std::string first = StartCard(resident, tracking, inv);
  ASSERT_TRUE(provider_->Settle(first, "succeeded").ok());
  EXPECT_EQ(web().Part<CardStore>().ByProviderId(first)->state, CardState::kFailed);
  EXPECT_EQ(Payments(), 0);
  // Cancelled on the hosted page.
  provider_->ReportAmount(0);
  const std::string second = StartCard(resident, tracking, inv);
  Browser hosted(ProviderPort());
  hosted.Post("/pay/" + second, {{"outcome", "cancel"}}, false);
  EXPECT_EQ(web().Part<CardStore>().ByProviderId(second)->state, CardState::kCancelled);
  EXPECT_EQ(Payments(), 0);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "awaiting_payment");
  // Without notifications, the return alone (confirmed with the provider) settles it.
  provider_->SendNotifications(false);
  const std::string third = StartCard(resident, tracking, inv);
  ASSERT_TRUE(provider_->Settle(third, "succeeded").ok());
  EXPECT_EQ(Payments(), 0);
  auto card = web().Part<CardStore>().ByProviderId(third);
  resident.Get("/account/card-payments/" + card->token);
  EXPECT_EQ(Payments(), 1);
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "approved");
}

// A department head refunds part of a card payment: the provider refunds the card, then the
// rest, and the trial balance and its CSV show it.
TEST_F(CardWebTest, ARefundGoesBackThroughTheCardProvider) {
  Browser resident(port());
  std::string tracking;
  Invoice inv;
  Approved(resident, tracking, inv);
  if (HasFatalFailure()) return;
  const std::string id = StartCard(resident, tracking, inv);
  ASSERT_TRUE(provider_->Settle(id, "succeeded").ok());
  ASSERT_EQ(Payments(), 1);
  Browser head = Staff("hebron.finance.head", Role::kDepartmentHead, "hebron", "revenue");
  const std::string href = "/m/hebron/payments/receipts/RCP-HEB-2026-000001/refund";
  EXPECT_EQ(RawClient::Status(head.Get(href)), 200);
  EXPECT_EQ(RawClient::Status(head.Post(href, {{"amount", "25"}, {"reason", "too much"}})), 422);
  head.Get(href);
  EXPECT_EQ(RawClient::Status(head.Post(href, {{"amount", "5"}, {"reason", "overcharged"}})), 303);
  EXPECT_EQ(provider_->States().at(id), "succeeded");
  const auto card_state = [&] {
    auto r = db().Query("SELECT state FROM payment_card_payments WHERE provider_id = ?", {id});
    return r.ok() && r->size() == 1 ? (*r)[0].Text(0) : std::string("?");
  };
  EXPECT_EQ(card_state(), "succeeded") << "part of it is left";
  head.Get(href);
  EXPECT_EQ(RawClient::Status(head.Post(href, {{"amount", "15"}, {"reason", "withdrawn"}})), 303);
  EXPECT_EQ(provider_->States().at(id), "refunded");
  EXPECT_EQ(card_state(), "refunded") << "the attempt says so once nothing is left";
  EXPECT_EQ(audit::testing::Count(audit(), "payment.refunded"), 2);
  const std::string ledger = head.Get("/m/hebron/payments/ledger?lang=en");
  EXPECT_EQ(RawClient::Status(ledger), 200);
  EXPECT_NE(ledger.find("Online card payments"), std::string::npos);
  const std::string csv = head.Get("/m/hebron/payments/ledger.csv");
  EXPECT_EQ(RawClient::Header(csv, "content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.find(",refund,"), std::string::npos);
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/payments/ledger.csv")), 403);
}

// The notification route's documented answers, checked against the OpenAPI document.
TEST_F(CardWebTest, EveryDocumentedResponseIsExercised) {
  baladiya::testing::ApiClient api(port());
  ASSERT_TRUE(api.Load());
  Browser resident(port());
  std::string tracking;
  Invoice inv;
  Approved(resident, tracking, inv);
  if (HasFatalFailure()) return;
  const std::string id = StartCard(resident, tracking, inv);
  const std::string path = "/api/v1/card/notifications";
  const std::string body = R"({"id":")" + id + R"(","state":"succeeded"})";
  const int64_t now_s = Now() / 1000;
  auto call = [&](const std::string& b, const std::string& signature) {
    return api.Call("POST", path, "Provider-Signature: " + signature + "\r\n", b);
  };
  EXPECT_EQ(call(body, "t=1,v1=00").status, 401);
  const std::string unknown = R"({"id":"sbx_none","state":"succeeded"})";
  EXPECT_EQ(call(unknown, NotificationSignature(kSecret, now_s, unknown)).status, 404);
  ASSERT_TRUE(provider_->Settle(id, "succeeded").ok());
  baladiya::testing::Exchange ok = call(body, NotificationSignature(kSecret, now_s, body));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.Str({"state"}), "succeeded");
  boost::json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  boost::json::object& paths = fragment.as_object()["paths"].as_object();
  for (auto it = paths.begin(); it != paths.end();) {
    it = it->key() == path ? std::next(it) : paths.erase(it);
  }
  constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};
  for (const auto& missing : api.Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

class UnreachableProviderTest : public CardWebTest {
 protected:
  bool Unreachable() override { return true; }
};

TEST_F(UnreachableProviderTest, IsA503AndPostsNothing) {
  Browser resident(port());
  std::string tracking;
  Invoice inv;
  Approved(resident, tracking, inv);
  if (HasFatalFailure()) return;
  resident.Get("/account/cases/" + tracking);
  const std::string res = resident.Post("/account/invoices/" + inv.number + "/card", {});
  EXPECT_EQ(RawClient::Status(res), 503);
  EXPECT_EQ(Payments(), 0);
}

}  // namespace
}  // namespace baladiya::payments
