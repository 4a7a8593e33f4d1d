// The account security page over HTTP (ASVS 6.2.2/6.2.3, 6.5.6, 7.4.3, 7.5.2): the password
// changed with the current one, the account's live sessions listed and ended, the second factor
// removed or replaced only with the password typed again; and a login in a browser that still
// holds a session ends that session (7.2.4).
#include <regex>

#include "identity/web_test_fixture.h"

namespace baladiya::identity {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using testing::Register;

constexpr char kPassword[] = "olive-harvest-season";
constexpr char kFirefoxOnWindows[] =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
constexpr char kChromeOnAndroid[] =
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36";

// The session ids (hex SHA-256) of the "end this session" forms of a page.
std::vector<std::string> EndableSessions(const std::string& page) {
  std::vector<std::string> ids;
  static const std::regex kId(R"re(name="session" value="([0-9a-f]{64})")re");
  for (auto it = std::sregex_iterator(page.begin(), page.end(), kId); it != std::sregex_iterator();
       ++it) {
    ids.push_back((*it)[1].str());
  }
  return ids;
}

class SecurityWebTest : public testing::IdentityWebTest {
 protected:
  // Signs b in with the password form; returns the answer.
  std::string SignIn(Browser& b, const std::string& login, const std::string& password) {
    b.Get("/login");
    return b.Post("/login", {{"login", login}, {"password", password}});
  }
  int64_t Entries(const std::string& action) {
    return web().Count("audit_entries WHERE action = '" + action + "'");
  }
  // A signed-in browser of the account with the second factor given.
  Browser SignedIn(int64_t account, bool staff) {
    Browser b(port());
    auto token = sessions().Create(account, staff, true, Now());
    EXPECT_TRUE(token.ok());
    b.SetCookie("sid", token.ok() ? *token : "");
    return b;
  }
};

TEST_F(SecurityWebTest, DescribesBrowsersInPlainWordsAndShortensAddresses) {
  EXPECT_EQ(DescribeAgent(kFirefoxOnWindows), "firefox/windows");
  EXPECT_EQ(DescribeAgent(kChromeOnAndroid), "chrome/android");
  EXPECT_EQ(DescribeAgent("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/126.0 "
                          "Safari/537.36 Edg/126.0"),
            "edge/windows");
  EXPECT_EQ(DescribeAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                          "AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1"),
            "safari/ios");
  EXPECT_EQ(DescribeAgent("curl/8.5.0"), "other/other");
  EXPECT_EQ(ShortNetwork("203.0.113.77"), "203.0.113.x");
  EXPECT_EQ(ShortNetwork("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(ShortNetwork("not an address"), "");
}

TEST_F(SecurityWebTest, ChangingThePasswordNeedsTheCurrentOneAndEndsEveryOtherSession) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser other(port());
  ASSERT_EQ(RawClient::Status(SignIn(other, "401234562", kPassword)), 303);
  ASSERT_EQ(RawClient::Status(other.Get("/account")), 200);
  const int64_t account = accounts().FindForLogin("401234562")->account_id;

  std::string page = a.Get("/account");
  EXPECT_NE(page.find("href=\"/account/security\""), std::string::npos);
  page = a.Get("/account/security");
  ASSERT_EQ(RawClient::Status(page), 200);
  // A wrong current password: refused in the form, nothing changed.
  std::string res =
      a.Post("/account/security/password",
             {{"current_password", "not-my-password"}, {"new_password", "terraced-hills-at-dawn"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("كلمة المرور غير صحيحة"), std::string::npos);
  // A new password the policy refuses, in the person's language (Arabic by default).
  a.Get("/account/security");
  res = a.Post("/account/security/password",
               {{"current_password", kPassword}, {"new_password", "short"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("كلمة المرور ثمانية أحرف على الأقل"), std::string::npos);
  EXPECT_EQ(Entries("account.password"), 0);
  EXPECT_EQ(RawClient::Status(other.Get("/account")), 200);

  a.Get("/account/security");
  res = a.Post("/account/security/password",
               {{"current_password", kPassword}, {"new_password", "terraced-hills-at-dawn"}});
  ASSERT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/security?done=password");
  EXPECT_EQ(Entries("account.password"), 1);
  EXPECT_EQ(Entries("session.renewed"), 1);
  {
    std::lock_guard lock(codes_.mu);
    EXPECT_EQ(codes_.password_changed, std::vector<int64_t>{account});
  }
  // The other browser is signed out; this one carries on in a new session.
  EXPECT_EQ(RawClient::Status(other.Get("/account")), 303);
  EXPECT_EQ(RawClient::Status(a.Get("/account")), 200);
  EXPECT_EQ(web().Count("sessions"), 1);
  Browser later(port());
  EXPECT_EQ(RawClient::Status(SignIn(later, "401234562", kPassword)), 401);
  EXPECT_EQ(RawClient::Status(SignIn(later, "401234562", "terraced-hills-at-dawn")), 303);
}

TEST_F(SecurityWebTest, LiveSessionsAreListedAndEndedOneByOneOrAllOthers) {
  Browser a(port());
  a.SetHeader("User-Agent", kFirefoxOnWindows);
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser phone(port());
  phone.SetHeader("User-Agent", kChromeOnAndroid);
  ASSERT_EQ(RawClient::Status(SignIn(phone, "401234562", kPassword)), 303);
  Browser third(port());
  ASSERT_EQ(RawClient::Status(SignIn(third, "401234562", kPassword)), 303);
  // Someone else's session, which this account's page must neither show nor end.
  Browser stranger(port());
  ASSERT_EQ(RawClient::Status(Register(stranger, "900000001", "0599000001")), 303);

  std::string page = a.Get("/account/security?lang=en");
  ASSERT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("Firefox on Windows (this browser)"), std::string::npos);
  EXPECT_NE(page.find("Chrome on Android"), std::string::npos);
  EXPECT_NE(page.find("Unknown browser"), std::string::npos);
  EXPECT_NE(page.find("127.0.0.x"), std::string::npos);
  std::vector<std::string> ids = EndableSessions(page);
  ASSERT_EQ(ids.size(), 2u);  // the two others; not this one, not the stranger's

  // A stranger cannot end this account's session, even knowing its id.
  stranger.Get("/account");
  EXPECT_EQ(
      RawClient::Status(stranger.Post("/account/security/sessions/end", {{"session", ids[0]}})),
      303);
  EXPECT_EQ(web().Count("sessions"), 4);

  // The phone (seen most recently after this one) is ended by its own button.
  std::string phone_id;
  for (const auto& id : ids) {
    if (web().Count("sessions WHERE id_hash = '" + id + "' AND client_agent = 'chrome/android'") ==
        1) {
      phone_id = id;
    }
  }
  ASSERT_FALSE(phone_id.empty());
  a.Get("/account/security");
  std::string res = a.Post("/account/security/sessions/end", {{"session", phone_id}});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/security?done=ended");
  EXPECT_EQ(RawClient::Status(phone.Get("/account")), 303);
  EXPECT_EQ(RawClient::Status(third.Get("/account")), 200);
  EXPECT_EQ(Entries("session.ended"), 1);

  a.Get("/account/security");
  res = a.Post("/account/security/sessions/end-others", {});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/security?done=others");
  EXPECT_EQ(RawClient::Status(third.Get("/account")), 303);
  EXPECT_EQ(RawClient::Status(a.Get("/account")), 200);
  EXPECT_EQ(RawClient::Status(stranger.Get("/account")), 200);
  EXPECT_EQ(Entries("session.ended_others"), 1);
  page = a.Get("/account/security");
  EXPECT_TRUE(EndableSessions(page).empty());
  EXPECT_EQ(page.find("/account/security/sessions/end-others"), std::string::npos);
}

TEST_F(SecurityWebTest, TheSecondFactorIsRemovedOrReplacedOnlyWithThePassword) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  const int64_t id = accounts().FindForLogin("401234562")->account_id;
  const std::string old_secret = Totp::NewSecret();
  ASSERT_TRUE(accounts().EnableTotp(id, old_secret, NewRecoveryCodes(), {"t", "t", 0}, Now()).ok());
  Browser me = SignedIn(id, false);
  Browser elsewhere = SignedIn(id, false);

  // Replacing: the setup form asks for the password; without it nothing changes.
  std::string page = me.Get("/account/totp");
  ASSERT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("name=\"password\""), std::string::npos);
  const std::string fresh = Totp::NewSecret();
  const std::string code = Totp::Code(fresh, Now() / 1000);
  std::string res = me.Post(
      "/account/totp",
      {{"secret", crypto::ToBase64Url(fresh)}, {"code", code}, {"password", "not-my-password"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(*accounts().TotpSecret(id), old_secret);
  me.Get("/account/totp");
  res = me.Post("/account/totp",
                {{"secret", crypto::ToBase64Url(fresh)}, {"code", code}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_EQ(*accounts().TotpSecret(id), fresh);
  EXPECT_EQ(RawClient::Status(elsewhere.Get("/account")), 303);  // the other session ended

  // Removing: the password again, then it is off and other sessions end.
  Browser another = SignedIn(id, false);
  page = me.Get("/account/security");
  EXPECT_NE(page.find("/account/security/totp/remove"), std::string::npos);
  res = me.Post("/account/security/totp/remove", {{"password", "not-my-password"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_TRUE(accounts().TotpSecret(id).ok());
  me.Get("/account/security");
  res = me.Post("/account/security/totp/remove", {{"password", kPassword}});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/security?done=totp_removed");
  EXPECT_FALSE(accounts().TotpSecret(id).ok());
  EXPECT_EQ(RawClient::Status(another.Get("/account")), 303);
  EXPECT_EQ(RawClient::Status(me.Get("/account")), 200);
  EXPECT_EQ(Entries("account.totp_disable"), 1);
}

TEST_F(SecurityWebTest, StaffMayReplaceButNotRemoveTheirSecondFactor) {
  const int64_t id = Staff("huda", {Role::kClerk, testing::kHebron, 0}, kPassword);
  ASSERT_TRUE(
      accounts().EnableTotp(id, Totp::NewSecret(), NewRecoveryCodes(), {"t", "t", 0}, Now()).ok());
  Browser b = SignedIn(id, true);
  std::string page = b.Get("/account/security");
  ASSERT_EQ(RawClient::Status(page), 200);
  EXPECT_EQ(page.find("/account/security/totp/remove"), std::string::npos);
  EXPECT_NE(page.find("href=\"/account/totp\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(b.Post("/account/security/totp/remove", {{"password", kPassword}})),
            403);
  EXPECT_TRUE(accounts().TotpSecret(id).ok());
}

TEST_F(SecurityWebTest, WrongPasswordsOnThisPageCountInTheSignedInLimit) {
  Browser a(port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  const int64_t id = accounts().FindForLogin("401234562")->account_id;
  ASSERT_TRUE(
      accounts().EnableTotp(id, Totp::NewSecret(), NewRecoveryCodes(), {"t", "t", 0}, Now()).ok());
  Browser b = SignedIn(id, false);
  for (int i = 0; i < 2; ++i) {
    b.Get("/account/security");
    EXPECT_EQ(RawClient::Status(b.Post("/account/security/password",
                                       {{"current_password", "guess" + std::to_string(i)},
                                        {"new_password", "terraced-hills-at-dawn"}})),
              422);
    b.Get("/account/security");
    EXPECT_EQ(RawClient::Status(b.Post("/account/security/totp/remove",
                                       {{"password", "guess" + std::to_string(i)}})),
              422);
  }
  b.Get("/account/security");
  std::string res =
      b.Post("/account/security/password",
             {{"current_password", kPassword}, {"new_password", "terraced-hills-at-dawn"}});
  EXPECT_EQ(RawClient::Status(res), 429);
  EXPECT_EQ(Entries("account.password"), 0);
}

TEST_F(SecurityWebTest, ALoginInABrowserThatHoldsASessionEndsThatSession) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  const std::string first = b.Cookie("sid");
  ASSERT_EQ(web().Count("sessions"), 1);
  ASSERT_EQ(RawClient::Status(SignIn(b, "401234562", kPassword)), 303);
  EXPECT_NE(b.Cookie("sid"), first);
  EXPECT_EQ(web().Count("sessions"), 1);
  EXPECT_EQ(web().Count("sessions WHERE id_hash = '" + crypto::Sha256Hex(first) + "'"), 0);
  EXPECT_EQ(Entries("session.replaced"), 1);
}

}  // namespace
}  // namespace baladiya::identity

namespace baladiya::identity {
namespace {

// ASVS 7.4.4: every page of a signed-in session carries a sign-out button in its header (a POST
// form with the session's anti-forgery token, no script); anonymous pages carry none.
TEST_F(SecurityWebTest, EverySignedInPageCarriesASignOutFormInItsHeader) {
  Browser b(port());
  std::string anonymous = b.Get("/login");
  EXPECT_EQ(anonymous.find("class=\"sign-out\""), std::string::npos);
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  auto session = sessions().Resolve(b.Cookie("sid"), Now());
  ASSERT_TRUE(session.ok());
  for (const char* path : {"/account", "/account/security", "/account/close", "/account/totp"}) {
    std::string page = b.Get(path);
    const size_t header = page.find("<header");
    const size_t form = page.find("<form class=\"sign-out\" method=\"post\" action=\"/logout\">");
    EXPECT_TRUE(form != std::string::npos && form > header && form < page.find("</header>"))
        << path;
    EXPECT_NE(page.find("name=\"csrf\" value=\"" + session->csrf_token + "\"><button"),
              std::string::npos)
        << path;
  }
  // The header's form signs out from any page; the next page has neither session nor button.
  b.Get("/account/close");
  std::string out = b.Post("/logout", {});
  EXPECT_EQ(RawClient::Status(out), 303);
  EXPECT_EQ(web().Count("sessions"), 0);
  EXPECT_EQ(b.Get("/login").find("class=\"sign-out\""), std::string::npos);
  // Without the token the form is refused, and the session stays.
  ASSERT_EQ(RawClient::Status(SignIn(b, "401234562", kPassword)), 303);
  EXPECT_EQ(RawClient::Status(b.Post("/logout", {}, /*with_token=*/false)), 403);
  EXPECT_EQ(web().Count("sessions"), 1);
}

}  // namespace
}  // namespace baladiya::identity

namespace baladiya::identity {
namespace {

// ASVS 6.2.11 on the pages: registration and the password change refuse passwords built on the
// municipalities' names or the person's own details, with the reason in the person's language.
TEST_F(SecurityWebTest, PasswordsBuiltOnContextWordsAreRefusedInThePersonsLanguage) {
  Browser b(port());
  b.Get("/register?lang=en");
  std::string res = b.Post("/register", {{"national_id", "401234562"},
                                         {"full_name_ar", "سلمى خليل"},
                                         {"phone", "0599123456"},
                                         {"password", "Hebron#2024"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("built on a name or number that is easy to guess"), std::string::npos);
  EXPECT_EQ(web().Count("accounts"), 0);

  b.Get("/register?lang=ar");
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  b.Get("/account/security");
  res = b.Post("/account/security/password",
               {{"current_password", kPassword}, {"new_password", "0599123456-salma"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("كلمة المرور مبنية على اسم أو رقم سهل التخمين"), std::string::npos);
  EXPECT_EQ(Entries("account.password"), 0);
}

}  // namespace
}  // namespace baladiya::identity

namespace baladiya::identity {
namespace {

// ASVS 7.5.3: the data export asks for the password again (wrong ones counted in the signed-in
// limit); once given, the page and its download are shown to that session, not to another.
TEST_F(SecurityWebTest, TheDataExportAsksForThePasswordAgain) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  std::string page = b.Get("/account/export");
  EXPECT_EQ(RawClient::Status(page), 200);
  EXPECT_EQ(page.find("401234562"), std::string::npos);
  EXPECT_NE(page.find("name=\"password\""), std::string::npos);
  EXPECT_EQ(RawClient::Header(b.Get("/account/export.json"), "location"), "/account/export");
  EXPECT_EQ(Entries("account.export"), 0);
  std::string res = b.Post("/account/export", {{"password", "not-my-password"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(res.find("401234562"), std::string::npos);
  res = b.Post("/account/export", {{"password", kPassword}});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/export");
  EXPECT_NE(b.Get("/account/export").find("401234562"), std::string::npos);
  EXPECT_NE(RawClient::Body(b.Get("/account/export.json")).find("401234562"), std::string::npos);
  EXPECT_EQ(Entries("account.export"), 2);
  // Another session of the same account has not given the password.
  Browser other(port());
  ASSERT_EQ(RawClient::Status(SignIn(other, "401234562", kPassword)), 303);
  EXPECT_EQ(other.Get("/account/export").find("401234562"), std::string::npos);
}

}  // namespace
}  // namespace baladiya::identity
