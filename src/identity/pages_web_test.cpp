// identity's pages over HTTP on the web harness (web_test_fixture.h): registering, signing in and
// out, the second factor, where a login may send the browser, closing an account; API tokens on
// the API only; and acting as a chosen principal beside the real sign-in.
#include <regex>

#include "audit/testing.h"
#include "identity/web_test_fixture.h"
#include "platform/crypto/crypto.h"

namespace baladiya::identity {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using testing::IdentityWebTest;
using testing::kHebron;
using testing::Principals;
using testing::Register;

TEST_F(IdentityWebTest, RegisterLogOutAndLogInAgain) {
  Browser b(port());
  std::string res = Register(b, "401234562", "0599123456");
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(RawClient::Header(res, "location"), "/account");
  std::string account = RawClient::Body(b.Get("/account"));
  EXPECT_NE(account.find("401234562"), std::string::npos);
  EXPECT_NE(account.find("+970599123456"), std::string::npos);
  EXPECT_EQ(RawClient::Status(b.Post("/logout", {})), 303);
  EXPECT_EQ(RawClient::Header(b.Get("/account"), "location"), "/login?next=%2Faccount");
  b.Get("/login");
  res = b.Post("/login", {{"login", "0599 123 456"}, {"password", "olive-harvest-season"}});
  EXPECT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);
}

TEST_F(IdentityWebTest, BadRegistrationShowsLinkedErrorsAndStoresNothing) {
  Browser b(port());
  b.Get("/register?lang=en");
  std::string res = b.Post("/register", {{"national_id", "401234563"},  // wrong check digit
                                         {"full_name_ar", ""},
                                         {"phone", "12345"},
                                         {"password", "password"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  std::string body = RawClient::Body(res);
  EXPECT_NE(body.find("class=\"error-summary\""), std::string::npos);
  for (const char* field : {"national_id", "full_name_ar", "phone", "password"}) {
    EXPECT_NE(body.find(std::string("href=\"#") + field + "\""), std::string::npos) << field;
    EXPECT_NE(body.find(std::string("id=\"") + field + "-error\""), std::string::npos) << field;
  }
  EXPECT_NE(body.find("not valid: check the digits"), std::string::npos);
  EXPECT_NE(body.find("value=\"401234563\""), std::string::npos);  // kept for correction
  EXPECT_EQ(web().Count("accounts"), 0);
}

TEST_F(IdentityWebTest, OneNationalIdIsOneAccount) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser b(port());
  std::string res = Register(b, "401234562", "0599765432");
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(RawClient::Body(res).find("يوجد حساب بهذا الرقم"), std::string::npos);
  EXPECT_EQ(web().Count("accounts"), 1);
}

TEST_F(IdentityWebTest, FormsWithoutTheTokenAreRefused) {
  Browser b(port());
  b.Get("/register");
  std::string res = b.Post("/register",
                           {{"national_id", "401234562"},
                            {"full_name_ar", "سلمى"},
                            {"phone", "0599123456"},
                            {"password", "olive-harvest-season"}},
                           false);
  EXPECT_EQ(RawClient::Status(res), 403);
  EXPECT_EQ(web().Count("accounts"), 0);
  // Signed in, a forged logout (no token) does nothing either.
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  EXPECT_EQ(RawClient::Status(b.Post("/logout", {}, false)), 403);
  EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);
}

TEST_F(IdentityWebTest, FailedLoginsAreGenericThenLimited) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser b(port());
  b.Get("/login?lang=en");
  std::string unknown = b.Post("/login", {{"login", "000000018"}, {"password", "whatever-it-is"}});
  std::string wrong = b.Post("/login", {{"login", "401234562"}, {"password", "not-my-password"}});
  EXPECT_EQ(RawClient::Status(unknown), 401);
  EXPECT_EQ(RawClient::Status(wrong), 401);
  // The same words whether or not the account exists.
  EXPECT_NE(RawClient::Body(unknown).find("The login details are not correct."), std::string::npos);
  EXPECT_NE(RawClient::Body(wrong).find("The login details are not correct."), std::string::npos);
  std::string last;
  for (int i = 0; i < 6; ++i) last = b.Post("/login", {{"login", "401234562"}, {"password", "x"}});
  EXPECT_EQ(RawClient::Status(last), 429);
  EXPECT_FALSE(RawClient::Header(last, "retry-after").empty());
  EXPECT_NE(RawClient::Body(last).find("Too many attempts"), std::string::npos);
}

TEST_F(IdentityWebTest, StaffAreSentToSetUpTwoStepVerification) {
  const std::string password = "a-long-staff-password";
  const int64_t staff = Staff("hebron.clerk", {Role::kClerk, kHebron, 0}, password);
  Browser b(port());
  b.Get("/login");
  std::string res = b.Post("/login", {{"login", "Hebron.Clerk"}, {"password", password}});
  EXPECT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/totp");
  std::string setup = RawClient::Body(b.Get("/account/totp"));
  EXPECT_NE(setup.find("<svg"), std::string::npos);
  // Enrol with the code the authenticator would show.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(setup, m, std::regex("name=\"secret\" value=\"([^\"]+)\"")));
  auto secret = crypto::FromBase64Url(m[1].str());
  ASSERT_TRUE(secret.ok());
  std::string code = Totp::Code(*secret, Now() / 1000);
  res = b.Post("/account/totp", {{"secret", m[1].str()}, {"code", code}});
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(RawClient::Body(res).find("<code>"), std::string::npos);  // recovery codes shown once
  auto creds = accounts().CredentialsOf(staff);
  ASSERT_TRUE(creds.ok());
  EXPECT_TRUE(creds->totp_enabled);
  // The same code cannot be used twice.
  b.Get("/login/totp");
  EXPECT_EQ(RawClient::Status(b.Post("/login/totp", {{"code", code}, {"next", "/account"}})), 401);
}

TEST_F(IdentityWebTest, APasswordOnlyStaffSessionReachesNothingButTheSecondFactor) {
  const int64_t staff = Staff("hebron.admin2", {Role::kMunicipalAdmin, kHebron, 0});
  ASSERT_TRUE(
      accounts()
          .EnableTotp(staff, Totp::NewSecret(), NewRecoveryCodes(), {"system", "t", 0}, Now())
          .ok());
  // Password given, TOTP not yet.
  std::string cookie = SessionCookie(staff, true, false);
  // The probe page stands for the modules' pages (the app's staff page in the program).
  for (const char* path : {"/account", "/account/export", "/m/hebron/probe", "/account/close"}) {
    std::string res = RawClient::Get(port(), path, cookie);
    EXPECT_EQ(RawClient::Status(res), 303) << path;
    EXPECT_EQ(RawClient::Header(res, "location").rfind("/login/totp", 0), 0u) << path;
  }
  // Nor can it replace the enrolled second factor.
  std::string setup = RawClient::Get(port(), "/account/totp", cookie);
  EXPECT_EQ(RawClient::Header(setup, "location"), "/login/totp");
  std::string secret = Totp::NewSecret();
  std::string form =
      "csrf=x&secret=" + crypto::ToBase64Url(secret) + "&code=" + Totp::Code(secret, Now() / 1000);
  RawClient post(port());
  post.Send("POST /account/totp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + cookie +
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form);
  EXPECT_EQ(RawClient::Status(post.ReadResponse()), 403);
  auto stored = accounts().TotpSecret(staff);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(*stored, secret);
}

TEST_F(IdentityWebTest, LoginOnlyFollowsPlainLocalPaths) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  struct Case {
    const char* next;
    const char* location;
  } cases[] = {
      {"/m/hebron", "/m/hebron"},
      {"//evil.example/", "/account"},
      {"/\t/evil.example/", "/account"},
      {"/\\evil.example", "/account"},
      {"https://evil.example/", "/account"},
      {"/ok?lang=en", "/ok?lang=en"},
  };
  for (const auto& c : cases) {
    Browser b(port());
    b.Get("/login");
    std::string res = b.Post(
        "/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}, {"next", c.next}});
    EXPECT_EQ(RawClient::Header(res, "location"), c.location) << c.next;
  }
}

TEST_F(IdentityWebTest, ClosingAnAccountDestroysPersonalDataAndKeepsTheAuditLog) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  b.Get("/account/export");
  b.Post("/account/export", {{"password", "olive-harvest-season"}});
  std::string exported = RawClient::Body(b.Get("/account/export"));
  EXPECT_NE(exported.find("401234562"), std::string::npos);
  const int64_t audit_before = audit::testing::CountAll(audit());
  b.Get("/account/close");
  EXPECT_EQ(RawClient::Status(b.Post("/account/close", {{"password", "wrong-password"}})), 422);
  EXPECT_EQ(RawClient::Status(b.Post("/account/close", {{"password", "olive-harvest-season"}})),
            200);
  EXPECT_GT(audit::testing::CountAll(audit()), audit_before);
  EXPECT_EQ(web().Count("account_keys"), 0);
  // The ID is free again and the old login no longer works.
  Browser c(port());
  c.Get("/login");
  EXPECT_EQ(RawClient::Status(
                c.Post("/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}})),
            401);
}

// An API token works only on the API, and only while its account still holds its grant. The
// probe route stands for the modules' API (a cases queue in the program).
TEST_F(IdentityWebTest, ApiTokensStayOnTheApiAndFollowTheirGrant) {
  const Grant clerk{Role::kClerk, kHebron, 0};
  const int64_t id = Staff("api.clerk", clerk);
  auto token = api_tokens().Issue(id, clerk, "test", {"t", "t", kHebron}, Now());
  ASSERT_TRUE(token.ok());
  const std::string auth = "Authorization: Bearer " + *token + "\r\n";
  const std::string probe = "/api/v1/municipalities/hebron/probe";
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), probe, auth)), 200);
  // Another municipality's is not this token's.
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/api/v1/municipalities/nablus/probe", auth)),
            403);
  // Not a key to account pages: there it is as if nobody signed in.
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/account/export", auth)), 303);
  // The grant taken away, the token stops working.
  ASSERT_TRUE(
      accounts().SetGrants(id, {{Role::kAuditor, kHebron, 0}}, {"t", "t", kHebron}, Now()).ok());
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), probe, auth)), 401);
}

// A test acts as a chosen principal without signing in; requests without the header keep their
// own session (or none), and the real sign-in works beside it.
TEST_F(IdentityWebTest, ATestActsAsAChosenPrincipal) {
  const int64_t admin = Staff("hebron.boss", {Role::kMunicipalAdmin, kHebron, 0});
  auto who = testing::PrincipalOf(accounts(), admin);
  ASSERT_TRUE(who.ok()) << who.error().detail;
  principals_.Set("admin", *who);
  auto half = testing::PrincipalOf(accounts(), admin, false);
  ASSERT_TRUE(half.ok());
  principals_.Set("admin-without-code", *half);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/hebron/probe")), 303);  // to log in
  std::string page = RawClient::Get(port(), "/m/hebron/probe", Principals::Header("admin"));
  EXPECT_EQ(RawClient::Status(page), 200) << page;
  EXPECT_EQ(RawClient::Body(page), "probe page");
  // Its permissions are its grants': another municipality's page is refused, the second factor
  // is asked for, and a name nobody set is a test bug.
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(port(), "/m/nablus/probe", Principals::Header("admin"))),
      403);
  EXPECT_EQ(RawClient::Header(
                RawClient::Get(port(), "/m/hebron/probe", Principals::Header("admin-without-code")),
                "location")
                .rfind("/login/totp", 0),
            0u);
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(port(), "/m/hebron/probe", Principals::Header("nobody"))),
      500);
  // A browser acting as the admin fills a form (the anonymous anti-forgery pair) and is the
  // admin on the account page.
  Browser as_admin(port());
  as_admin.SetHeader(testing::kPrincipalHeader, "admin");
  std::string account = as_admin.Get("/account?lang=en");
  ASSERT_EQ(RawClient::Status(account), 200) << account;
  EXPECT_NE(account.find("hebron.boss"), std::string::npos);
  // Signing in through the real pages still works, and a resident stays a resident.
  Browser resident(port());
  ASSERT_EQ(RawClient::Status(Register(resident, "401234562", "0599123456")), 303);
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/probe")), 403);
  resident.SetHeader(testing::kPrincipalHeader, "admin");
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/probe")), 200);
}

}  // namespace
}  // namespace baladiya::identity
