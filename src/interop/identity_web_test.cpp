// A resident verifies their identity against the civil registry from the account page: a match
// marks the account verified (identity's header); a birth date that does not match, or a
// national ID the registry does not know, is refused with its reason and changes nothing; a
// registry that is down tells the resident verification will happen at the counter, keeps the
// request, and marks nothing. "Who looked at my data" lists the registry checks and the
// authorities' queries about the resident.
#include <gtest/gtest.h>

#include "audit/testing.h"
#include "interop/web_test_fixture.h"

namespace baladiya::interop {
namespace {

using http::testing::RawClient;

class IdentityCheckTest : public testing::InteropWebTest {
 protected:
  // A resident registered through the pages, signed in; their account id.
  int64_t SignUp(baladiya::testing::Browser& b, const std::string& national_id) {
    const std::string res = identity::testing::Register(b, national_id, "0599123456");
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    auto creds = accounts().FindForLogin(national_id);
    EXPECT_TRUE(creds.ok());
    return creds.ok() ? creds->account_id : 0;
  }
};

TEST_F(IdentityCheckTest, AMatchMarksTheAccountVerified) {
  registry().Add("401234570", {"سلمى خليل", "1990-04-21"});
  baladiya::testing::Browser b(port());
  const int64_t id = SignUp(b, "401234570");
  std::string res = b.Get("/account?lang=en");
  EXPECT_NE(res.find("href=\"/account/identity\""), std::string::npos) << res;
  EXPECT_NE(res.find("href=\"/account/who-looked\""), std::string::npos);
  res = b.Get("/account/identity?lang=en");
  EXPECT_NE(res.find("Local Authorities Law, article 15 (test)"), std::string::npos) << res;

  // A bad date: refused before the registry is asked.
  res = b.Post("/account/identity?lang=en", {{"birth_date", "21/04/1990"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(registry().calls(), 0);
  // The name matches, the date of birth does not: refused with the reason, nothing marked.
  res = b.Post("/account/identity?lang=en", {{"birth_date", "1990-04-22"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("date of birth for your national ID is different"), std::string::npos);
  EXPECT_EQ(*accounts().VerifiedAt(id), 0);
  EXPECT_EQ(audit::testing::Count(audit(), "account.verified"), 0);

  res = b.Post("/account/identity?lang=en", {{"birth_date", "١٩٩٠-٠٤-٢١"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("Your identity was verified"), std::string::npos) << res;
  EXPECT_EQ(*accounts().VerifiedAt(id), testing::kInteropNow);
  EXPECT_EQ(audit::testing::Count(audit(), "account.verified"), 1);
  // Sent: the X-Road headers and only the three fields.
  auto got = registry().received();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].client, testing::kOurClient);
  EXPECT_EQ(got[1].fields, (std::vector<std::string>{"nationalId", "name", "birthDate"}));
  // Every query is in the message log with its legal basis, and the audit log.
  auto about = xroad().About(xroad().SubjectKey("401234570"));
  ASSERT_TRUE(about.ok());
  ASSERT_EQ(about->size(), 2u);
  EXPECT_EQ((*about)[0].direction, "out");
  EXPECT_EQ((*about)[0].purpose, "Local Authorities Law, article 15 (test)");
  EXPECT_EQ(audit::testing::Count(audit(), "xroad.exchange"), 2);
}

TEST_F(IdentityCheckTest, ADownRegistryMeansTheCounterAndNothingIsLost) {
  registry().Add("401234570", {"سلمى خليل", "1990-04-21"});
  registry().SetMode(testing::CivilRegistry::Mode::kDown);
  baladiya::testing::Browser b(port());
  const int64_t id = SignUp(b, "401234570");
  b.Get("/account/identity");
  std::string res = b.Post("/account/identity?lang=en", {{"birth_date", "1990-04-21"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("verified at the municipality&#39;s counter"), std::string::npos) << res;
  EXPECT_EQ(*accounts().VerifiedAt(id), 0);
  auto last = xroad().LastCheck(id);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->verdict, "unavailable");
  // Shown again later: the request is remembered.
  res = b.Get("/account/identity?lang=en");
  EXPECT_NE(res.find("could not reach the civil registry"), std::string::npos) << res;
  // Back up: the resident tries again and is verified.
  registry().SetMode(testing::CivilRegistry::Mode::kNormal);
  res = b.Post("/account/identity?lang=en", {{"birth_date", "1990-04-21"}});
  EXPECT_NE(res.find("Your identity was verified"), std::string::npos) << res;
  EXPECT_GT(*accounts().VerifiedAt(id), 0);
}

TEST_F(IdentityCheckTest, FiveAnsweredChecksADayAtMost) {
  registry().Add("401234570", {"سلمى خليل", "1990-04-21"});
  baladiya::testing::Browser b(port());
  const int64_t id = SignUp(b, "401234570");
  b.Get("/account/identity");
  for (int i = 1; i <= 5; ++i) {
    const std::string birth = "1990-04-0" + std::to_string(i);
    EXPECT_EQ(RawClient::Status(b.Post("/account/identity", {{"birth_date", birth}})), 422);
  }
  const int calls = registry().calls();
  std::string res = b.Post("/account/identity?lang=en", {{"birth_date", "1990-04-21"}});
  EXPECT_EQ(RawClient::Status(res), 429) << res;
  EXPECT_NE(res.find("five times today"), std::string::npos);
  EXPECT_EQ(registry().calls(), calls);  // not asked
  EXPECT_EQ(*accounts().VerifiedAt(id), 0);
  // A day later (signed in again: the session has expired), the resident may check again.
  web().clock().Advance(25LL * 3600 * 1000);
  baladiya::testing::Browser next_day(port());
  next_day.Get("/login");
  next_day.Post("/login", {{"login", "401234570"}, {"password", "olive-harvest-season"}});
  next_day.Get("/account/identity");
  res = next_day.Post("/account/identity?lang=en", {{"birth_date", "1990-04-21"}});
  EXPECT_NE(res.find("Your identity was verified"), std::string::npos) << res;
}

TEST_F(IdentityCheckTest, AnUnknownNationalIdIsRefused) {
  baladiya::testing::Browser b(port());
  const int64_t id = SignUp(b, "401234570");
  b.Get("/account/identity");
  std::string res = b.Post("/account/identity?lang=en", {{"birth_date", "1990-04-21"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("no record of your national ID"), std::string::npos);
  EXPECT_EQ(*accounts().VerifiedAt(id), 0);
}

TEST_F(IdentityCheckTest, WhoLookedListsRegistryChecksAndAuthoritiesQueries) {
  registry().Add("401234570", {"سلمى خليل", "1990-04-21"});
  baladiya::testing::Browser b(port());
  SignUp(b, "401234570");
  std::string res = b.Get("/account/who-looked?lang=en");
  EXPECT_NE(res.find("Nobody has asked about you yet."), std::string::npos) << res;
  b.Get("/account/identity");
  b.Post("/account/identity", {{"birth_date", "1990-04-21"}});
  ASSERT_TRUE(xroad()
                  .Grant(Hebron(), "PS/GOV/MOF/tax", kClearanceService, {"admin", "t"},
                         testing::kInteropNow)
                  .ok());
  auto r = web().Send("GET", "/api/v1/xroad/hebron/clearance?nationalId=401234570",
                      "X-Road-Client: PS/GOV/MOF/tax\r\nX-Road-Id: q-1\r\n", "", "");
  EXPECT_EQ(r.status, 200);
  // Someone else's query is not theirs.
  r = web().Send("GET", "/api/v1/xroad/hebron/clearance?nationalId=401234562",
                 "X-Road-Client: PS/GOV/MOF/tax\r\n", "", "");
  EXPECT_EQ(r.status, 200);
  // A query about the resident's case is about them too.
  ASSERT_TRUE(xroad()
                  .Grant(Hebron(), "PS/GOV/MOLG/e-services", kCaseStatusService, {"admin", "t"},
                         testing::kInteropNow)
                  .ok());
  const std::string tracking = Apply(b);
  r = web().Send("GET", "/api/v1/xroad/hebron/cases/" + tracking,
                 "X-Road-Client: PS/GOV/MOLG/e-services\r\n", "", "");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("401234570"), std::string::npos) << "never answered to the client";
  res = b.Get("/account/who-looked?lang=en");
  EXPECT_NE(res.find("PS/GOV/MOF/tax"), std::string::npos) << res;
  EXPECT_NE(res.find("The status of a case"), std::string::npos);
  EXPECT_NE(res.find("Whether you owe the municipality anything"), std::string::npos);
  EXPECT_NE(res.find("PS/GOV/MOI/civil-registry"), std::string::npos);
  EXPECT_NE(res.find("Local Authorities Law, article 15 (test)"), std::string::npos);
  EXPECT_EQ(res.find("Nobody has asked"), std::string::npos);
  size_t rows = 0;
  for (size_t at = 0; (at = res.find("<tr><td><time", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, 3u);
  // A counter clerk looks up her record and shows her phone in full: both listed, newest first,
  // under the municipality's name (the clerk's name stays in the audit log).
  identity::Principal counter;
  counter.account_id = 900;
  counter.pseudonym = "staff-900";
  counter.staff = true;
  counter.mfa_satisfied = true;
  counter.grants = {{identity::Role::kCounterClerk, Hebron(), 0}};
  web().clock().Set(testing::kInteropNow + 60'000);
  ASSERT_TRUE(accounts()
                  .LookUpResident(counter, Hebron(), "401234570", "", {"staff-900", "l", Hebron()},
                                  testing::kInteropNow + 60'000)
                  .ok());
  ASSERT_TRUE(accounts()
                  .LookUpResident(counter, Hebron(), "401234570", "phone",
                                  {"staff-900", "u", Hebron()}, testing::kInteropNow + 120'000)
                  .ok());
  res = b.Get("/account/who-looked?lang=en");
  const size_t shown = res.find("Showed your phone number in full");
  const size_t looked = res.find("Looked up your record at the counter");
  EXPECT_NE(shown, std::string::npos) << res;
  EXPECT_NE(looked, std::string::npos);
  EXPECT_LT(shown, looked) << "newest first";
  EXPECT_NE(res.find("Staff of Hebron"), std::string::npos);
  EXPECT_EQ(res.find("staff-900"), std::string::npos) << "the clerk is not named here";
  rows = 0;
  for (size_t at = 0; (at = res.find("<tr><td><time", at)) != std::string::npos; ++at) ++rows;
  EXPECT_EQ(rows, 5u);
}

}  // namespace
}  // namespace baladiya::interop
