// The counter helps a caller without an account, over HTTP: the clerk records the caller and
// files for them; an account without a password is opened at the counter (audited, personal
// data encrypted), the caller told by SMS how to take it over and, on submission, the tracking
// number; registering later with the same ID sends the code instead of failing, and the code
// takes the account over. A caller whose ID has an account is filed for that account.
#include <chrono>
#include <regex>
#include <thread>

#include "cases/web_test_fixture.h"

namespace baladiya::cases {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;
using testing::CasesWebTest;

class CounterWebTest : public CasesWebTest {
 protected:
  // The counter clerk's browser, starting on the counter page.
  Browser Clerk() { return Staff("hebron.desk", identity::Role::kCounterClerk, "hebron"); }
  // The messages of a template claimed from the outbox (rendered text), waiting up to five
  // seconds for those queued after a response was written.
  std::vector<notify::Delivery> Sent(const std::string& template_key) {
    std::vector<notify::Delivery> out;
    for (int i = 0; i < 50 && out.empty(); ++i) {
      auto sent = outbox().Claim(100, web().clock().Now() + 1);
      EXPECT_TRUE(sent.ok());
      if (!sent.ok()) return out;
      for (auto& d : *sent)
        if (d.template_key == template_key) out.push_back(std::move(d));
      if (out.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return out;
  }
  int64_t Accounts() {
    auto rows = db().Query("SELECT COUNT(*) FROM accounts");
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
};

TEST_F(CounterWebTest, ACallerWithoutAnAccountIsRecordedFiledForAndTakesTheAccountOver) {
  Browser clerk = Clerk();
  // The counter page links to the form for a caller without an account.
  std::string page = RawClient::Body(clerk.Get("/m/hebron/counter"));
  ASSERT_NE(page.find("href=\"/m/hebron/counter/new\""), std::string::npos);
  page = RawClient::Body(clerk.Get("/m/hebron/counter/new"));
  EXPECT_NE(page.find("تقديم طلب عن متصل بلا حساب"), std::string::npos);
  EXPECT_NE(page.find("name=\"national_id\""), std::string::npos);
  EXPECT_NE(page.find("name=\"phone\""), std::string::npos);
  // Checked as registration checks: each bad field named, nothing stored.
  const int64_t before = Accounts();
  std::string res = clerk.Post("/m/hebron/counter/new", {{"full_name_ar", ""},
                                                         {"national_id", "123456789"},
                                                         {"phone", "0571234567"},
                                                         {"service", "clearance-certificate"},
                                                         {"channel", "counter"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find(texts().Get(i18n::Lang::kAr, "identity.national_id.check_digit")),
            std::string::npos);
  EXPECT_NE(res.find(texts().Get(i18n::Lang::kAr, "identity.phone.format")), std::string::npos);
  EXPECT_EQ(Accounts(), before);
  clerk.Get("/m/hebron/counter/new");
  // A valid ID but a bad phone: still nothing stored (and the lookup of the ID is audited).
  res = clerk.Post("/m/hebron/counter/new", {{"full_name_ar", "خالد ناصر"},
                                             {"national_id", "405551235"},
                                             {"phone", "0571234567"},
                                             {"service", "clearance-certificate"},
                                             {"channel", "counter"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(Accounts(), before);
  clerk.Get("/m/hebron/counter/new");
  res = clerk.Post("/m/hebron/counter/new", {{"full_name_ar", "خالد ناصر"},
                                             {"national_id", "٤٠٥٥٥١٢٣٥"},
                                             {"phone", "059 955 5123"},
                                             {"lang", "ar"},
                                             {"service", "clearance-certificate"},
                                             {"channel", "counter"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 600);
  const std::string draft = RawClient::Header(res, "location");
  ASSERT_EQ(draft.rfind("/applications/", 0), 0u) << draft;
  EXPECT_EQ(Accounts(), before + 1);
  auto creds = accounts().FindForLogin("405551235");
  ASSERT_TRUE(creds.ok());
  const int64_t caller = creds->account_id;
  EXPECT_TRUE(creds->password_hash.empty());
  EXPECT_TRUE(*accounts().AwaitingTakeOver(caller));
  EXPECT_EQ(accounts().Get(caller, true)->personal.phone, "+970599555123");
  // Audited, the clerk as actor.
  audit::AuditLog::Filter f;
  f.action_prefix = "account.opened_at_counter";
  auto entries = audit().List(f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].object, accounts().Get(caller, false)->pseudonym);
  EXPECT_EQ((*entries)[0].municipality_id, MunicipalityId("hebron"));
  // The caller is told by SMS how to take the account over.
  auto opened = Sent("account.counter_opened");
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].channel, notify::Channel::kSms);
  EXPECT_EQ(opened[0].account_id, caller);
  EXPECT_NE(opened[0].message.text.find("بلدية الخليل"), std::string::npos)
      << opened[0].message.text;
  EXPECT_NE(opened[0].message.text.find("https://baladiya.example.ps/password/forgot"),
            std::string::npos)
      << opened[0].message.text;
  // The clerk fills the form with them and files; the banner names the caller.
  page = RawClient::Body(clerk.Get(draft));
  EXPECT_NE(page.find("خالد ناصر"), std::string::npos);
  res = clerk.Post(draft, {{"purpose", "trade_licence"}, {"delivery", "counter"}});
  const std::string check = RawClient::Header(res, "location");
  clerk.Get(check);
  res = clerk.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 600);
  const std::string done = RawClient::Header(res, "location");
  ASSERT_EQ(done.rfind("/m/hebron/counter?filed=HEB-", 0), 0u) << done;
  const std::string tracking = done.substr(done.find('=') + 1);
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->applicant_id, caller);
  EXPECT_EQ(c->channel, "counter");
  // ... and the tracking number reaches the caller's phone by SMS.
  bool sms_with_tracking = false;
  for (const auto& d : Sent("case.submitted")) {
    sms_with_tracking |= d.channel == notify::Channel::kSms && d.account_id == caller &&
                         d.message.text.find(tracking) != std::string::npos;
  }
  EXPECT_TRUE(sms_with_tracking);

  // Registering with the same ID says the account exists and sends the code to the phone on
  // file, instead of failing.
  Browser person(port());
  res = Register(person, "405551235", "0599555123");
  EXPECT_EQ(RawClient::Status(res), 200) << res.substr(0, 600);
  EXPECT_NE(res.find(texts().Get(i18n::Lang::kAr, "reset.counter_account")), std::string::npos);
  EXPECT_EQ(Accounts(), before + 1);
  auto codes = Sent("account.reset_code");
  ASSERT_FALSE(codes.empty());
  std::smatch m;
  std::string text = codes.back().message.text;
  ASSERT_TRUE(std::regex_search(text, m, std::regex("[0-9]{8}"))) << text;
  person.Get("/password/reset");
  res = person.Post(
      "/password/reset",
      {{"login", "405551235"}, {"code", m.str(0)}, {"password", "hebron-grapes-in-august"}});
  EXPECT_LT(RawClient::Status(res), 400) << res.substr(0, 600);
  EXPECT_FALSE(*accounts().AwaitingTakeOver(caller));
  f.action_prefix = "account.taken_over";
  EXPECT_EQ(audit().List(f)->size(), 1u);
  // Signed in with the new password, the application is theirs.
  person.Get("/login");
  res = person.Post("/login", {{"login", "405551235"}, {"password", "hebron-grapes-in-august"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 600);
  EXPECT_NE(RawClient::Body(person.Get("/account/cases")).find(tracking), std::string::npos);
  // Once taken over, registering again with the ID is refused as for any account.
  Browser other(port());
  res = Register(other, "405551235", "0599555124");
  EXPECT_EQ(RawClient::Status(res), 422);
}

TEST_F(CounterWebTest, ACallerWhoseIdHasAnAccountIsFiledForThatAccount) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  const int64_t resident_id = accounts().FindForLogin("401234562")->account_id;
  Browser clerk = Clerk();
  const int64_t before = Accounts();
  clerk.Get("/m/hebron/counter/new");
  std::string res = clerk.Post("/m/hebron/counter/new", {{"full_name_ar", "سلمى خليل"},
                                                         {"national_id", "401234562"},
                                                         {"phone", "0599123456"},
                                                         {"service", "clearance-certificate"},
                                                         {"channel", "counter"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 600);
  EXPECT_EQ(Accounts(), before);
  const std::string draft = RawClient::Header(res, "location");
  auto d = cases().GetDraft(std::stoll(draft.substr(14)), resident_id);
  ASSERT_TRUE(d.ok()) << draft;
  EXPECT_EQ(d->account_id, resident_id);
  EXPECT_NE(RawClient::Body(clerk.Get(draft)).find("سلمى خليل"), std::string::npos);
  audit::AuditLog::Filter f;
  f.action_prefix = "account.opened_at_counter";
  EXPECT_TRUE(audit().List(f)->empty());
  // A resident cannot reach the form.
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/counter/new")), 403);
}

}  // namespace
}  // namespace baladiya::cases
