// Issue 12 over HTTP, identity's share: each confirmed attack on the sign-in and account pages,
// replayed against the real server on the web harness (web_test_fixture.h). Client hosts are
// played by binding client sockets to 127.0.0.x, or through a trusted proxy's X-Forwarded-For.
#include <array>
#include <regex>

#include "audit/testing.h"
#include "identity/web_test_fixture.h"
#include "platform/http/url.h"

namespace baladiya::identity {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using testing::kHebron;
using testing::Register;

constexpr char kCsrf[] = "anonymous-form-token-0123456789abcdef";
constexpr char kPassword[] = "olive-harvest-season";

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return body;
}

// A POST of fields (plus the anonymous form token) from the client host `source`; headers are
// extra header lines, each ending in CRLF.
std::string PostFrom(uint16_t port, const char* source, const std::string& path,
                     std::vector<std::pair<std::string, std::string>> fields,
                     const std::string& headers = "") {
  fields.emplace_back("csrf", kCsrf);
  const std::string body = FormBody(fields);
  RawClient c(port, source);
  c.Send("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: csrf=" + kCsrf +
         "\r\n" + headers + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body);
  return c.ReadResponse();
}

// The value a response sets for a cookie, or empty.
std::string SetCookie(const std::string& res, const std::string& name) {
  std::smatch m;
  std::regex re("set-cookie: " + name + "=([^;\r]*)", std::regex::icase);
  return std::regex_search(res, m, re) ? m[1].str() : "";
}

// A valid national ID from an 8-digit body (Luhn-style check digit).
std::string NationalId(int body) {
  std::string id = std::to_string(body);
  id = std::string(8 - id.size(), '0') + id;
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    int d = (id[i] - '0') * (i % 2 == 0 ? 1 : 2);
    sum += d / 10 + d % 10;
  }
  return id + static_cast<char>('0' + (10 - sum % 10) % 10);
}

class HardeningWebTest : public testing::IdentityWebTest {
 protected:
  // A staff account with a second factor already set up; returns its id.
  int64_t StaffWithCode(const std::string& username, Grant grant, std::string* secret = nullptr) {
    const int64_t id = Staff(username, grant, kPassword);
    std::string s = Totp::NewSecret();
    EXPECT_TRUE(accounts().EnableTotp(id, s, NewRecoveryCodes(), {"t", "t", 0}, Now()).ok());
    if (secret) *secret = s;
    return id;
  }

  // The same program behind a reverse proxy on this machine (127.0.0.1 and ::1 trusted), on the
  // same database and key file, with its own server.
  std::unique_ptr<baladiya::testing::WebHarness::Node> BehindProxy() {
    module::WebOptions w;
    w.trust_proxy = true;
    auto node = web().AnotherNode(w);
    EXPECT_TRUE(node.ok()) << node.error().detail;
    return node.ok() ? std::move(*node) : nullptr;
  }
};

// Finding: "4.01234562", a no-break space, LRM/RLM/ALM marks and other digit forms each opened
// the same account with a fresh limit (300 guesses in 13 s from many addresses).
TEST_F(HardeningWebTest, LoginLimitCountsEverySpellingOfTheAccount) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  const char* spellings[] = {"4.01234562",
                             "401\u00a0234\u00a0562",
                             "\u200e401234562",
                             "\u061c401234562",
                             "\u0664\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0662",
                             "\u06f4\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f2"};
  int host = 10;
  for (const char* login : spellings) {
    std::string source = "127.0.0." + std::to_string(host++);
    std::string res = PostFrom(port(), source.c_str(), "/login",
                               {{"login", login}, {"password", "not-the-password"}});
    ASSERT_EQ(RawClient::Status(res), 401) << login;
  }
  // Six wrong guesses at the account (one past the burst of five), from six hosts: the next
  // attempt is refused whatever the spelling and wherever it comes from, even with the right
  // password.
  std::string next =
      PostFrom(port(), "127.0.0.20", "/login", {{"login", "401 234 562"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(next), 429) << next;
  EXPECT_FALSE(RawClient::Header(next, "retry-after").empty());
}

// Finding: IPv6 clients were keyed whole, so one host walking its /64 was never limited.
TEST_F(HardeningWebTest, Ipv6ClientsAreLimitedByTheirSlash64) {
  auto proxy = BehindProxy();
  ASSERT_TRUE(proxy);
  for (int i = 1; i <= 7; ++i) {
    // A different unknown login each time: only the address limit can apply (five failures
    // pass, the sixth starts the back-off).
    std::string res =
        PostFrom(proxy->port(), nullptr, "/login",
                 {{"login", NationalId(30000000 + i)}, {"password", "whatever-it-is"}},
                 "X-Forwarded-For: 2001:db8:1:2::" + std::to_string(i) + "\r\n");
    EXPECT_EQ(RawClient::Status(res), i <= 6 ? 401 : 429) << i;
  }
  // Another /64 is another client.
  std::string other = PostFrom(proxy->port(), nullptr, "/login",
                               {{"login", NationalId(30000099)}, {"password", "whatever-it-is"}},
                               "X-Forwarded-For: 2001:db8:1:3::1\r\n");
  EXPECT_EQ(RawClient::Status(other), 401);
}

// Finding: a named staff member could be locked out for good by anyone typing their login name.
// A browser that signed in to the account before keeps its own limit.
TEST_F(HardeningWebTest, ANamedStaffMemberIsNotLockedOutOfTheirOwnBrowser) {
  StaffWithCode("hebron.counter", {Role::kCounterClerk, kHebron, 0});
  std::string first = PostFrom(port(), "127.0.0.30", "/login",
                               {{"login", "hebron.counter"}, {"password", kPassword}});
  ASSERT_EQ(RawClient::Status(first), 303);
  const std::string device = SetCookie(first, "device");
  ASSERT_FALSE(device.empty());
  EXPECT_NE(first.find("Path=/login; HttpOnly; SameSite=Strict"), std::string::npos);
  // Someone else hammers the login name from many hosts.
  for (int i = 0; i < 8; ++i) {
    std::string source = "127.0.1." + std::to_string(i + 1);
    PostFrom(port(), source.c_str(), "/login",
             {{"login", "Hebron.Counter"}, {"password", "guess-" + std::to_string(i)}});
  }
  std::string attacker = PostFrom(port(), "127.0.1.50", "/login",
                                  {{"login", "hebron.counter"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(attacker), 429);
  // The staff member, from their browser, still signs in.
  std::string mine = PostFrom(port(), "127.0.0.30", "/login",
                              {{"login", "hebron.counter"}, {"password", kPassword}},
                              "Cookie: device=" + device + "\r\n");
  EXPECT_EQ(RawClient::Status(mine), 303) << mine;
  // A device token of another account does not help.
  StaffWithCode("hebron.other", {Role::kClerk, kHebron, 0});
  std::string foreign = PostFrom(
      port(), "127.0.1.51", "/login", {{"login", "hebron.counter"}, {"password", kPassword}},
      "Cookie: device=" +
          accounts().NewDeviceToken(accounts().FindForLogin("hebron.other")->account_id) + "\r\n");
  EXPECT_EQ(RawClient::Status(foreign), 429);
}

// Finding: the second factor forgave after 60 s (about 7,000 guesses a day per staff account).
// Now the fifth wrong code in a row ends the session, says so in the user's language, and codes
// are refused for a while; the count has no window.
TEST_F(HardeningWebTest, FiveWrongCodesEndTheSessionAndSaySo) {
  std::string secret;
  int64_t id = StaffWithCode("hebron.head", {Role::kDepartmentHead, kHebron, 0}, &secret);
  std::string wrong = "000000";
  for (int64_t step = -1; step <= 1; ++step) {
    while (wrong == Totp::Code(secret, Now() / 1000 + step * 30)) wrong[0]++;
  }
  for (const char* lang : {"en", "ar"}) {
    Browser b(port());
    b.Get("/login?lang=" + std::string(lang));
    ASSERT_EQ(
        RawClient::Status(b.Post("/login", {{"login", "hebron.head"}, {"password", kPassword}})),
        303);
    for (int i = 1; i <= 4; ++i) {
      b.Get("/login/totp");
      std::string res = b.Post("/login/totp", {{"code", wrong}, {"next", "/account"}});
      EXPECT_EQ(RawClient::Status(res), 401) << i;
    }
    std::string fifth = b.Post("/login/totp", {{"code", wrong}, {"next", "/account"}});
    EXPECT_EQ(RawClient::Status(fifth), 429) << fifth;
    EXPECT_NE(RawClient::Body(fifth).find(std::string(lang) == "en" ? "Too many wrong codes"
                                                                    : "رموز خاطئة كثيرة"),
              std::string::npos);
    EXPECT_FALSE(RawClient::Header(fifth, "retry-after").empty());
    // The session is over: the password must be given again.
    EXPECT_EQ(RawClient::Header(b.Get("/login/totp"), "location").rfind("/login", 0), 0u);
    EXPECT_FALSE(b.HasCookie("sid"));
    ASSERT_TRUE(accounts().ResetSecondFactor(id, {"admin", "t", 0}, Now()).ok());
  }
  // While blocked, even the right code is not taken (and a new password session changes
  // nothing).
  Browser b(port());
  b.Get("/login");
  ASSERT_EQ(
      RawClient::Status(b.Post("/login", {{"login", "hebron.head"}, {"password", kPassword}})),
      303);
  for (int i = 0; i < 5; ++i) {
    b.Get("/login/totp");
    b.Post("/login/totp", {{"code", wrong}, {"next", "/account"}});
  }
  Browser again(port());
  again.Get("/login");
  ASSERT_EQ(
      RawClient::Status(again.Post("/login", {{"login", "hebron.head"}, {"password", kPassword}})),
      303);
  again.Get("/login/totp");
  std::string right =
      again.Post("/login/totp", {{"code", Totp::Code(secret, Now() / 1000)}, {"next", "/account"}});
  EXPECT_EQ(RawClient::Status(right), 429);
  EXPECT_EQ(audit::testing::Count(audit(), "session.mfa"), 0);
}

// Finding: /password/forgot answered known accounts in 2.35 ms and unknown ones in 1.79 ms. The
// answer now does the same work either way; issuing the code waits until it has been written.
TEST_F(HardeningWebTest, ForgotPasswordDoesTheSameWorkForKnownAndUnknownAccounts) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  const http::Handler& app = web().host().Handler();
  auto forgot = [&](const std::string& login, http::Response* out) {
    http::Request req;
    req.method = http::Method::kPost;
    req.method_name = "POST";
    req.path = req.target = "/password/forgot";
    req.remote_address = "127.0.0.60";
    req.headers.Set("cookie", std::string("csrf=") + kCsrf + "; lang=en");
    req.headers.Set("content-type", "application/x-www-form-urlencoded");
    req.body = FormBody({{"login", login}, {"csrf", kCsrf}});
    auto before = web().db().Stats();
    *out = app(req);
    auto after = web().db().Stats();
    return std::array<uint64_t, 3>{after.queries - before.queries,
                                   after.transactions - before.transactions,
                                   after.commits - before.commits};
  };
  http::Response known, unknown;
  const std::string nobody = NationalId(40123457);  // a valid ID nobody registered
  auto known_work = forgot("401234562", &known);
  auto unknown_work = forgot(nobody, &unknown);
  EXPECT_EQ(known_work, unknown_work);  // statements, transactions, commits
  EXPECT_EQ(known.status, unknown.status);
  // The same page, but for the login typed (shown back in the form).
  EXPECT_EQ(std::regex_replace(known.body, std::regex("401234562"), "ID"),
            std::regex_replace(unknown.body, std::regex(nobody), "ID"));
  EXPECT_EQ(web().Count("account_reset_codes"), 0);  // nothing issued before the answer is out
  EXPECT_EQ(codes_.size(), 0u);
  ASSERT_TRUE(known.after);
  known.after();
  EXPECT_EQ(web().Count("account_reset_codes"), 1);
  EXPECT_EQ(codes_.size(), 1u);  // and sent (notify's hook in the program)
  if (unknown.after) unknown.after();
  EXPECT_EQ(web().Count("account_reset_codes"), 1);
  EXPECT_EQ(codes_.size(), 1u);
}

// Finding: 30 registrations from one address in 1.7 s, each hashing a password.
TEST_F(HardeningWebTest, RegistrationsAreLimitedPerAddress) {
  int last = 0;
  for (int i = 0; i < 11; ++i) {
    std::string phone = "05990000" + std::to_string(10 + i);
    std::string res = PostFrom(port(), "127.0.0.70", "/register",
                               {{"national_id", NationalId(20000000 + i)},
                                {"full_name_ar", "سلمى خليل"},
                                {"phone", phone},
                                {"password", kPassword}});
    last = RawClient::Status(res);
    if (i < 10) {
      EXPECT_EQ(last, 303) << i << res;
    }
  }
  EXPECT_EQ(last, 429);
  EXPECT_EQ(web().Count("accounts"), 10);
}

// Finding: /account/close was an unlimited password oracle for a stolen session (36 guesses/s).
TEST_F(HardeningWebTest, ClosingTheAccountIsNotAPasswordOracle) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  for (int i = 0; i < 4; ++i) {  // a burst of three, then the back-off
    b.Get("/account/close");
    EXPECT_EQ(
        RawClient::Status(b.Post("/account/close", {{"password", "guess" + std::to_string(i)}})),
        422);
  }
  b.Get("/account/close");
  std::string res = b.Post("/account/close", {{"password", kPassword}});
  EXPECT_EQ(RawClient::Status(res), 429);
  EXPECT_EQ(web().Count("accounts WHERE status = 'closed'"), 0);
}

// Finding: failed logins on a broken audit head answered 401 three times with no entry and no
// log line. An audit write that fails now fails its request.
TEST_F(HardeningWebTest, AnAuditWriteThatFailsFailsItsRequest) {
  Browser b(port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  b.Get("/account");
  ASSERT_EQ(RawClient::Status(b.Post("/logout", {})), 303);
  const int64_t sessions_before = web().Count("sessions");
  ASSERT_TRUE(audit::testing::BreakHead(web().db()).ok());
  for (int i = 0; i < 3; ++i) {
    std::string res = PostFrom(port(), "127.0.0.80", "/login",
                               {{"login", "401234562"}, {"password", "wrong-password"}});
    EXPECT_EQ(RawClient::Status(res), 503) << i;
  }
  std::string good =
      PostFrom(port(), "127.0.0.81", "/login", {{"login", "401234562"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(good), 503);
  EXPECT_TRUE(SetCookie(good, "sid").empty());
  EXPECT_EQ(web().Count("sessions"), sessions_before);  // no session without its entry
}

// Finding: the anonymous anti-forgery cookie lacked Secure over TLS.
TEST_F(HardeningWebTest, CookiesAreSecureOverTls) {
  auto proxy = BehindProxy();
  ASSERT_TRUE(proxy);
  std::string res = RawClient::Get(proxy->port(), "/login",
                                   "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.5\r\n");
  ASSERT_EQ(RawClient::Status(res), 200);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(res, m, std::regex("set-cookie: __Host-csrf=[^\r]*", std::regex::icase)));
  EXPECT_NE(m.str().find("; Secure"), std::string::npos) << m.str();
  EXPECT_NE(m.str().find("; Path=/;"), std::string::npos) << m.str();
  // Plain HTTP on loopback (development) keeps cookies usable without TLS.
  std::string plain = RawClient::Get(port(), "/login");
  ASSERT_TRUE(
      std::regex_search(plain, m, std::regex("set-cookie: csrf=[^\r]*", std::regex::icase)));
  EXPECT_EQ(m.str().find("Secure"), std::string::npos);
}

// ASVS 3.3.1: over TLS every cookie of ours carries the __Host- prefix (the device token, kept
// to /login, __Secure-), so that a plain-HTTP page or a sibling subdomain cannot plant a session
// or form token; and a bare "sid" is not read there. Plain HTTP keeps today's names (above).
TEST_F(HardeningWebTest, CookiesOverTlsCarryTheHostPrefix) {
  Browser plain(port());
  ASSERT_EQ(RawClient::Status(Register(plain, "401234562", "0599123456")), 303);
  auto proxy = BehindProxy();
  ASSERT_TRUE(proxy);
  const std::string tls = "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.5\r\n";
  Browser b(proxy->port());
  b.SetHeader("X-Forwarded-Proto", "https");
  b.SetHeader("X-Forwarded-For", "203.0.113.5");
  b.Get("/login");
  EXPECT_TRUE(b.HasCookie("__Host-csrf"));
  EXPECT_FALSE(b.HasCookie("csrf"));
  std::string res = b.Post("/login", {{"login", "401234562"}, {"password", kPassword}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_NE(SetCookie(res, "__Host-sid"), "");
  EXPECT_EQ(SetCookie(res, "sid"), "");
  EXPECT_NE(SetCookie(res, "__Secure-device"), "");
  EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);
  // The same session under the bare name is not read over TLS.
  std::string bare = RawClient::Get(proxy->port(), "/account",
                                    tls + "Cookie: sid=" + b.Cookie("__Host-sid") + "\r\n");
  EXPECT_EQ(RawClient::Status(bare), 303);
}

}  // namespace
}  // namespace baladiya::identity
