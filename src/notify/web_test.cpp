// notify over HTTP on the web harness (web_test_fixture.h): identity's reset codes and "password
// changed" going out by SMS and to the inbox page, the cap on reset codes per account, the SMS
// gateway's delivery receipts (each exchange held against the OpenAPI document, every response
// notify's fragment documents exercised), and the golden files in src/notify/golden/.
#include <regex>

#include "audit/testing.h"
#include "notify/web_test_fixture.h"
#include "platform/http/url.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::notify {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;
using baladiya::testing::Browser;
using baladiya::testing::Exchange;
using http::testing::RawClient;
using identity::testing::Register;
using testing::NotifyWebTest;

// The 8-digit code in the last SMS the gateway received for `phone`, or empty.
std::string LastCode(testing::SmsGateway& gw, const std::string& phone) {
  std::string code;
  for (const auto& m : gw.received()) {
    if (m.body.at("to").as_string() != phone) continue;
    std::string text(m.body.at("text").as_string());
    std::smatch found;
    if (std::regex_search(text, found, std::regex("[0-9]{8}"))) code = found[0].str();
  }
  return code;
}

TEST_F(NotifyWebTest, ForgotPasswordSendsAOneTimeCodeBySms) {
  Browser b(port());
  Register(b, "401234562", "0599123456");
  ASSERT_EQ(RawClient::Status(b.Get("/account")), 200);  // a live session, ended by the reset

  Browser anon(port());
  std::string login = RawClient::Body(anon.Get("/login"));
  EXPECT_NE(login.find("href=\"/password/forgot\""), std::string::npos);
  anon.Get("/password/forgot");
  std::string res = anon.Post("/password/forgot", {{"login", "401234562"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("action=\"/password/reset\""), std::string::npos);
  // The code is issued once the answer has been written (its timing must tell nothing).
  auto first = DispatchUntilSent();
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first->sent, 1);
  const std::string code = LastCode(*gateway_, "+970599123456");
  ASSERT_EQ(code.size(), 8u);
  // The outbox never keeps the code readable.
  EXPECT_EQ(web().Count("notify_outbox WHERE sealed IS NOT NULL"), 0);

  // A refused new password does not spend the code; a wrong code is refused.
  res =
      anon.Post("/password/reset", {{"login", "401234562"}, {"code", code}, {"password", "short"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  std::string wrong = code == "00000000" ? "11111111" : "00000000";
  res = anon.Post("/password/reset",
                  {{"login", "401234562"}, {"code", wrong}, {"password", "a-brand-new-secret"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  res = anon.Post("/password/reset",
                  {{"login", "401234562"}, {"code", code}, {"password", "a-brand-new-secret"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("href=\"/login\""), std::string::npos);
  // Single use.
  res = anon.Post("/password/reset",
                  {{"login", "401234562"}, {"code", code}, {"password", "another-new-secret"}});
  EXPECT_EQ(RawClient::Status(res), 422);

  // The old session ended; the old password no longer works, the new one does.
  EXPECT_EQ(RawClient::Status(b.Get("/account")), 303);
  anon.Get("/login");
  EXPECT_EQ(RawClient::Status(anon.Post(
                "/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}})),
            401);
  anon.Get("/login");
  EXPECT_EQ(RawClient::Status(
                anon.Post("/login", {{"login", "401234562"}, {"password", "a-brand-new-secret"}})),
            303);

  // "Your password was changed" went out by SMS (through the dispatcher) and in-app (at once);
  // the inbox shows it.
  auto stats = dispatcher().RunOnce(Now());
  EXPECT_EQ(stats->sent, 1);
  std::string inbox = RawClient::Body(anon.Get("/account/notifications"));
  EXPECT_NE(inbox.find("تم تغيير كلمة المرور"), std::string::npos) << inbox;
  EXPECT_EQ(RawClient::Status(anon.Post("/account/notifications/read", {})), 303);
  EXPECT_EQ(*outbox().Unread(accounts().FindForLogin("401234562")->account_id), 0);
  EXPECT_EQ(audit::testing::Count(audit(), "account.reset_code") +
                audit::testing::Count(audit(), "account.reset_code_used") +
                audit::testing::Count(audit(), "account.password"),
            3);
}

// ASVS 6.3.4/6.3.6: a sign-in with the password from a browser new to the account is told to
// its owner (in-app, and by email when the account has one; never by SMS), naming the browser in
// words; the same browser signing in again is not.
TEST_F(NotifyWebTest, ASignInFromANewBrowserIsToldToTheOwner) {
  Browser b(port());
  Register(b, "401234562", "0599123456");
  const int64_t id = accounts().FindForLogin("401234562")->account_id;
  const int64_t before = *outbox().Unread(id);
  Browser other(port());
  other.SetHeader(
      "User-Agent",
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0");
  auto sign_in = [&] {
    other.Get("/login");
    return RawClient::Status(
        other.Post("/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}}));
  };
  ASSERT_EQ(sign_in(), 303);
  EXPECT_EQ(*outbox().Unread(id), before + 1);
  EXPECT_EQ(web().Count("notify_outbox WHERE channel = 'sms'"), 0) << "no SMS for it";
  const std::string inbox = RawClient::Body(other.Get("/account/notifications"));
  EXPECT_NE(inbox.find("تسجيل دخول جديد إلى حسابك"), std::string::npos) << inbox;
  EXPECT_NE(inbox.find("فايرفوكس على ويندوز"), std::string::npos) << inbox;
  // Signed out and in again from the same browser: nothing new.
  other.Get("/account");
  ASSERT_EQ(RawClient::Status(other.Post("/logout", {})), 303);
  ASSERT_EQ(sign_in(), 303);
  EXPECT_EQ(*outbox().Unread(id), before + 1);
}

TEST_F(NotifyWebTest, ForgotPasswordSaysTheSameForUnknownAccountsAndIsLimited) {
  Browser anon(port());
  anon.Get("/password/forgot?lang=en");
  std::string unknown = anon.Post("/password/forgot", {{"login", "0599888777"}});
  EXPECT_EQ(RawClient::Status(unknown), 200);
  EXPECT_NE(unknown.find("If an account matches"), std::string::npos);
  EXPECT_EQ(dispatcher().RunOnce(Now())->claimed, 0);  // nothing was queued
  EXPECT_EQ(RawClient::Status(anon.Post("/password/forgot", {{"login", ""}})), 422);
  // Past three requests in the window, the back-off starts.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(RawClient::Status(anon.Post("/password/forgot", {{"login", "0599888777"}})), 200);
  }
  std::string limited = anon.Post("/password/forgot", {{"login", "0599888777"}});
  EXPECT_EQ(RawClient::Status(limited), 429);
  EXPECT_FALSE(RawClient::Header(limited, "retry-after").empty());
}

// Finding (issue 12): 300 reset SMS to one victim in 0.7 s through spelling variants and many
// addresses. Reset codes are now capped per account, whatever the spelling.
TEST_F(NotifyWebTest, ResetCodesAreCappedPerAccountWhateverTheSpelling) {
  constexpr char kCsrf[] = "anonymous-form-token-0123456789abcdef";
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  const char* spellings[] = {"401234562",   "4.01234562",     "0599123456",      "+970599123456",
                             "599 123 456", "00970599123456", "\u200f401234562", "401-234-562"};
  int host = 40;
  for (const char* login : spellings) {
    std::string source = "127.0.0." + std::to_string(host++);
    // The forgotten-password request and, on the same connection, a second request: the server
    // finishes a response's deferred work before it reads the next request.
    const std::string body = "login=" + http::PercentEncode(login) + "&csrf=" + kCsrf;
    RawClient c(port(), source.c_str());
    c.Send("POST /password/forgot HTTP/1.1\r\nHost: x\r\nCookie: csrf=" + std::string(kCsrf) +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(RawClient::Status(c.ReadResponse()), 200) << login;
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ(RawClient::Status(c.ReadResponse()), 200);
  }
  int64_t codes = 0;
  for (const Record& r : Outboxed()) codes += r.template_key == "account.reset_code";
  EXPECT_EQ(codes, identity::AccountStore::kResetCodesPerDay);
}

TEST_F(NotifyWebTest, SmsGatewayReceiptsNeedTheTokenAndSettleDelivery) {
  Browser b(port());
  Register(b, "401234562", "0599123456");
  b.Post("/logout", {});
  Browser anon(port());
  anon.Get("/password/forgot");
  anon.Post("/password/forgot", {{"login", "0599123456"}});
  // The code is issued once the answer has been written.
  auto sent = DispatchUntilSent();
  ASSERT_EQ(sent->sent, 1);
  std::string reference(gateway_->received().back().body.at("reference").as_string());
  auto post = [&](const std::string& auth, const std::string& body) {
    return RawClient::Status(RawClient::Exchange(
        port(), "POST /api/v1/notify/sms-receipts HTTP/1.1\r\nHost: x\r\n" + auth +
                    "Content-Type: application/json\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  };
  const std::string good = R"({"reference":")" + reference + R"(","status":"delivered"})";
  EXPECT_EQ(post("", good), 401);  // no token
  EXPECT_EQ(post("Authorization: Bearer wrong\r\n", good), 401);
  const std::string auth = std::string("Authorization: Bearer ") + kSmsToken + "\r\n";
  EXPECT_EQ(post(auth, R"({"reference":"x","status":"lost"})"), 400);
  EXPECT_EQ(post(auth, "not json"), 400);
  EXPECT_EQ(post(auth, R"({"reference":"nope","status":"delivered"})"), 404);
  EXPECT_EQ(post(auth, good), 200);
  std::string state;
  for (const Record& r : Outboxed()) {
    if (r.reference == reference) state = std::string(StateName(r.state));
  }
  EXPECT_EQ(state, "delivered");
}

// The receipts API held against the OpenAPI document the program serves.
class NotifyApiTest : public NotifyWebTest {
 protected:
  void SetUp() override {
    NotifyWebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }
  // The SMS gateway reports what became of a message it accepted.
  void SmsGatewayReceipts() {
    Browser anon(port());
    Register(anon, "401234562", "0599123456");
    Browser forgot(port());
    forgot.Get("/password/forgot");
    forgot.Post("/password/forgot", {{"login", "401234562"}});  // an SMS with a reset code
    // The code is issued once the answer has been written (its timing must tell nothing).
    auto run = DispatchUntilSent();
    ASSERT_TRUE(run.ok());
    auto sent = gateway_->received();
    ASSERT_FALSE(sent.empty());
    const std::string reference(sent.back().body.at("reference").as_string());
    const std::string auth = std::string("Authorization: Bearer ") + kSmsToken + "\r\n";
    const std::string path = "/api/v1/notify/sms-receipts";
    EXPECT_EQ(api_->Post(path, json::object{{"reference", reference}, {"status", "delivered"}}, "")
                  .status,
              401);
    EXPECT_EQ(
        api_->Post(path, json::object{{"reference", reference}, {"status", "maybe"}}, auth).status,
        400);
    EXPECT_EQ(
        api_->Post(path, json::object{{"reference", "nope"}, {"status", "failed"}}, auth).status,
        404);
    Exchange ok =
        api_->Post(path, json::object{{"reference", reference}, {"status", "delivered"}}, auth);
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(ok.json.at("ok"), true);
  }
  std::unique_ptr<ApiClient> api_;
};

TEST_F(NotifyApiTest, SmsGatewayReceipts) { SmsGatewayReceipts(); }

// Statuses no test can provoke from outside: storage failures.
constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};

TEST_F(NotifyApiTest, EveryDocumentedResponseIsExercised) {
  SmsGatewayReceipts();
  const json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object()) << "notify has no OpenAPI fragment";
  for (const auto& missing : api_->Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

// 2026-03-15T09:00:00Z, the time of the golden data set.
constexpr int64_t kGoldenNow = 1'773'565'200'000;

// The golden files (src/notify/golden/README.md): one SMS, sent through the gateway, whose
// reference (random) the files name as {{reference}}.
class NotifyGoldenTest : public NotifyApiTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = NotifyWebTest::Options();
    o.clock_ms = kGoldenNow;
    return o;
  }
  void SetUp() override {
    NotifyApiTest::SetUp();
    if (HasFatalFailure()) return;
    Notification n;
    n.channel = Channel::kSms;
    n.address = "+970599123456";
    n.template_key = "account.password_changed";
    ASSERT_TRUE(outbox().Enqueue(n, kGoldenNow).ok());
    auto run = dispatcher().RunOnce(kGoldenNow);
    ASSERT_TRUE(run.ok());
    ASSERT_EQ(run->sent, 1);
    reference_ = std::string(gateway_->received().back().body.at("reference").as_string());
  }
  std::string reference_;
};

TEST_F(NotifyGoldenTest, ExchangesMatchTheGoldenFiles) {
  baladiya::testing::GoldenOptions o;
  o.folder = "src/notify/golden";
  o.at_least = 8;
  o.values = {{"reference", reference_}, {"sms_token", kSmsToken}};
  o.observe = [this](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api_->RecordGolden(g, r, values);
  };
  baladiya::testing::RunGoldenFiles(port(), o);
  // What the receipts did: the message is delivered.
  std::string state;
  for (const Record& r : Outboxed()) {
    if (r.reference == reference_) state = std::string(StateName(r.state));
  }
  EXPECT_EQ(state, "delivered");
}

}  // namespace
}  // namespace baladiya::notify
