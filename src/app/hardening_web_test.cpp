// Issue 12 over HTTP: each confirmed attack, replayed against the real server (every module wired
// as `baladiya serve` wires them, src/app/app_fixture.h). Client hosts are played by binding
// client sockets to 127.0.0.x, or through a trusted proxy's X-Forwarded-For.
#include <sys/wait.h>

#include <array>
#include <boost/json.hpp>
#include <cstdio>

#include "app/app_fixture.h"
#include "identity/credentials.h"

namespace baladiya::app {
namespace {

using http::testing::RawClient;
using testing::Browser;

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

class HardeningWebTest : public testing::AppTest {
 protected:
  int64_t Hebron() {
    catalog::TenancyStore tenancy(*services_->db);
    return tenancy.FindMunicipality("hebron")->id;
  }

  // A staff account with a second factor already set up; returns its id.
  int64_t Staff(const std::string& username, identity::Grant grant, std::string* secret = nullptr) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = kPassword;
    in.municipality_id = grant.municipality_id;
    in.grants = {grant};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    std::string s = identity::Totp::NewSecret();
    EXPECT_TRUE(services_->accounts
                    ->EnableTotp(*id, s, identity::NewRecoveryCodes(), {"t", "t", 0}, NowMs())
                    .ok());
    if (secret) *secret = s;
    return id.ok() ? *id : 0;
  }

  // A signed-in session of an account that gave its second factor: the sid cookie header line;
  // *csrf receives the session's form token.
  std::string SignedIn(int64_t account, bool staff, std::string* csrf = nullptr) {
    auto token = services_->sessions->Create(account, staff, true, NowMs());
    EXPECT_TRUE(token.ok());
    if (csrf) *csrf = services_->sessions->Resolve(*token, NowMs())->csrf_token;
    return "Cookie: sid=" + *token + "\r\n";
  }

  int64_t Entries(const std::string& action) {
    auto rows =
        services_->db->Query("SELECT count(*) FROM audit_entries WHERE action = ?", {action});
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  // A second program on the same database and key file, as behind a reverse proxy on this
  // machine (127.0.0.1 and ::1 trusted), with its own server.
  struct Proxied {
    std::unique_ptr<module::Host> host;
    std::unique_ptr<http::Server> server;
    std::thread thread;
    ~Proxied() {
      if (server) {
        server->Stop();
        thread.join();
      }
      server.reset();
      host.reset();
    }
  };
  std::unique_ptr<Proxied> BehindProxy(const std::string& metrics_token = "") {
    auto p = std::make_unique<Proxied>();
    Config c;
    c.database = (dir_ / "t.db").string();
    c.key_file = (dir_ / "keys").string();
    c.hash_threads = 1;
    auto host = module::Host::Open(Modules(), HostOptionsFor(c));
    EXPECT_TRUE(host.ok()) << host.error().detail;
    p->host = std::move(*host);
    module::WebOptions w;
    w.trust_proxy = true;
    w.metrics_token = metrics_token;
    EXPECT_TRUE(p->host->BuildWeb(w).ok());
    http::ServerOptions o;
    o.port = 0;
    p->server = std::make_unique<http::Server>(o, p->host->Handler());
    p->host->Attach(*p->server);
    EXPECT_TRUE(p->server->Listen().ok());
    p->thread = std::thread([s = p->server.get()] { s->Run(false); });
    return p;
  }
};

// Finding: "4.01234562", a no-break space, LRM/RLM/ALM marks and other digit forms each opened
// the same account with a fresh limit (300 guesses in 13 s from many addresses).
TEST_F(HardeningWebTest, LoginLimitCountsEverySpellingOfTheAccount) {
  Browser b(server_->port());
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
    std::string res = PostFrom(server_->port(), source.c_str(), "/login",
                               {{"login", login}, {"password", "not-the-password"}});
    ASSERT_EQ(RawClient::Status(res), 401) << login;
  }
  // Six wrong guesses at the account (one past the burst of five), from six hosts: the next
  // attempt is refused whatever the spelling and wherever it comes from, even with the right
  // password.
  std::string next = PostFrom(server_->port(), "127.0.0.20", "/login",
                              {{"login", "401 234 562"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(next), 429) << next;
  EXPECT_FALSE(RawClient::Header(next, "retry-after").empty());
}

// Finding: IPv6 clients were keyed whole, so one host walking its /64 was never limited.
TEST_F(HardeningWebTest, Ipv6ClientsAreLimitedByTheirSlash64) {
  auto proxy = BehindProxy();
  for (int i = 1; i <= 7; ++i) {
    // A different unknown login each time: only the address limit can apply (five failures
    // pass, the sixth starts the back-off).
    std::string res =
        PostFrom(proxy->server->port(), nullptr, "/login",
                 {{"login", NationalId(30000000 + i)}, {"password", "whatever-it-is"}},
                 "X-Forwarded-For: 2001:db8:1:2::" + std::to_string(i) + "\r\n");
    EXPECT_EQ(RawClient::Status(res), i <= 6 ? 401 : 429) << i;
  }
  // Another /64 is another client.
  std::string other = PostFrom(proxy->server->port(), nullptr, "/login",
                               {{"login", NationalId(30000099)}, {"password", "whatever-it-is"}},
                               "X-Forwarded-For: 2001:db8:1:3::1\r\n");
  EXPECT_EQ(RawClient::Status(other), 401);
}

// Finding: a named staff member could be locked out for good by anyone typing their login name.
// A browser that signed in to the account before keeps its own limit.
TEST_F(HardeningWebTest, ANamedStaffMemberIsNotLockedOutOfTheirOwnBrowser) {
  Staff("hebron.counter", {identity::Role::kCounterClerk, Hebron(), 0});
  std::string first = PostFrom(server_->port(), "127.0.0.30", "/login",
                               {{"login", "hebron.counter"}, {"password", kPassword}});
  ASSERT_EQ(RawClient::Status(first), 303);
  const std::string device = SetCookie(first, "device");
  ASSERT_FALSE(device.empty());
  EXPECT_NE(first.find("Path=/login; HttpOnly; SameSite=Strict"), std::string::npos);
  // Someone else hammers the login name from many hosts.
  for (int i = 0; i < 8; ++i) {
    std::string source = "127.0.1." + std::to_string(i + 1);
    PostFrom(server_->port(), source.c_str(), "/login",
             {{"login", "Hebron.Counter"}, {"password", "guess-" + std::to_string(i)}});
  }
  std::string attacker = PostFrom(server_->port(), "127.0.1.50", "/login",
                                  {{"login", "hebron.counter"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(attacker), 429);
  // The staff member, from their browser, still signs in.
  std::string mine = PostFrom(server_->port(), "127.0.0.30", "/login",
                              {{"login", "hebron.counter"}, {"password", kPassword}},
                              "Cookie: device=" + device + "\r\n");
  EXPECT_EQ(RawClient::Status(mine), 303) << mine;
  // A device token of another account does not help.
  Staff("hebron.other", {identity::Role::kClerk, Hebron(), 0});
  std::string foreign =
      PostFrom(server_->port(), "127.0.1.51", "/login",
               {{"login", "hebron.counter"}, {"password", kPassword}},
               "Cookie: device=" +
                   services_->accounts->NewDeviceToken(
                       services_->accounts->FindForLogin("hebron.other")->account_id) +
                   "\r\n");
  EXPECT_EQ(RawClient::Status(foreign), 429);
}

// Finding: the second factor forgave after 60 s (about 7,000 guesses a day per staff account).
// Now the fifth wrong code in a row ends the session, says so in the user's language, and codes
// are refused for a while; the count has no window.
TEST_F(HardeningWebTest, FiveWrongCodesEndTheSessionAndSaySo) {
  std::string secret;
  int64_t id = Staff("hebron.head", {identity::Role::kDepartmentHead, Hebron(), 0}, &secret);
  std::string wrong = "000000";
  for (int64_t step = -1; step <= 1; ++step) {
    while (wrong == identity::Totp::Code(secret, NowMs() / 1000 + step * 30)) wrong[0]++;
  }
  for (const char* lang : {"en", "ar"}) {
    Browser b(server_->port());
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
    ASSERT_TRUE(services_->accounts->ResetSecondFactor(id, {"admin", "t", 0}, NowMs()).ok());
  }
  // While blocked, even the right code is not taken (and a new password session changes
  // nothing).
  Browser b(server_->port());
  b.Get("/login");
  ASSERT_EQ(
      RawClient::Status(b.Post("/login", {{"login", "hebron.head"}, {"password", kPassword}})),
      303);
  for (int i = 0; i < 5; ++i) {
    b.Get("/login/totp");
    b.Post("/login/totp", {{"code", wrong}, {"next", "/account"}});
  }
  Browser again(server_->port());
  again.Get("/login");
  ASSERT_EQ(
      RawClient::Status(again.Post("/login", {{"login", "hebron.head"}, {"password", kPassword}})),
      303);
  again.Get("/login/totp");
  std::string right =
      again.Post("/login/totp",
                 {{"code", identity::Totp::Code(secret, NowMs() / 1000)}, {"next", "/account"}});
  EXPECT_EQ(RawClient::Status(right), 429);
  EXPECT_EQ(Entries("session.mfa"), 0);
}

// Finding: 300 reset SMS to one victim in 0.7 s through spelling variants and many addresses.
TEST_F(HardeningWebTest, ResetCodesAreCappedPerAccountWhateverTheSpelling) {
  Browser b(server_->port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  const char* spellings[] = {"401234562",   "4.01234562",     "0599123456",      "+970599123456",
                             "599 123 456", "00970599123456", "\u200f401234562", "401-234-562"};
  int host = 40;
  for (const char* login : spellings) {
    std::string source = "127.0.0." + std::to_string(host++);
    // The forgotten-password request and, on the same connection, a second request: the server
    // finishes a response's deferred work before it reads the next request.
    const std::string body = FormBody({{"login", login}, {"csrf", kCsrf}});
    RawClient c(server_->port(), source.c_str());
    c.Send("POST /password/forgot HTTP/1.1\r\nHost: x\r\nCookie: csrf=" + std::string(kCsrf) +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(RawClient::Status(c.ReadResponse()), 200) << login;
    c.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    ASSERT_EQ(RawClient::Status(c.ReadResponse()), 200);
  }
  auto sms = services_->db->Query(
      "SELECT count(*) FROM notify_outbox WHERE template_key = 'account.reset_code'");
  ASSERT_TRUE(sms.ok());
  EXPECT_EQ((*sms)[0].Int(0), identity::AccountStore::kResetCodesPerDay);
}

// Finding: /password/forgot answered known accounts in 2.35 ms and unknown ones in 1.79 ms. The
// answer now does the same work either way; issuing the code waits until it has been written.
TEST_F(HardeningWebTest, ForgotPasswordDoesTheSameWorkForKnownAndUnknownAccounts) {
  Browser b(server_->port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  http::Handler app = web_->Handler();
  auto forgot = [&](const std::string& login, http::Response* out) {
    http::Request req;
    req.method = http::Method::kPost;
    req.method_name = "POST";
    req.path = req.target = "/password/forgot";
    req.remote_address = "127.0.0.60";
    req.headers.Set("cookie", std::string("csrf=") + kCsrf + "; lang=en");
    req.headers.Set("content-type", "application/x-www-form-urlencoded");
    req.body = FormBody({{"login", login}, {"csrf", kCsrf}});
    auto before = services_->db->Stats();
    *out = app(req);
    auto after = services_->db->Stats();
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
  auto codes = [&] {
    auto rows = services_->db->Query("SELECT count(*) FROM account_reset_codes");
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  };
  EXPECT_EQ(codes(), 0);  // nothing issued before the answer is out
  ASSERT_TRUE(known.after);
  known.after();
  EXPECT_EQ(codes(), 1);
  if (unknown.after) unknown.after();
  EXPECT_EQ(codes(), 1);
}

// Finding: 30 registrations from one address in 1.7 s, each hashing a password.
TEST_F(HardeningWebTest, RegistrationsAreLimitedPerAddress) {
  int last = 0;
  for (int i = 0; i < 11; ++i) {
    std::string phone = "05990000" + std::to_string(10 + i);
    std::string res = PostFrom(server_->port(), "127.0.0.70", "/register",
                               {{"national_id", NationalId(20000000 + i)},
                                {"full_name_ar", "سلمى خليل"},
                                {"phone", phone},
                                {"password", kPassword}});
    last = RawClient::Status(res);
    if (i < 10) EXPECT_EQ(last, 303) << i << res;
  }
  EXPECT_EQ(last, 429);
  EXPECT_EQ(Count("accounts"), 10);
}

// Finding: /account/close was an unlimited password oracle for a stolen session (36 guesses/s).
TEST_F(HardeningWebTest, ClosingTheAccountIsNotAPasswordOracle) {
  Browser b(server_->port());
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
  EXPECT_EQ(Count("accounts WHERE status = 'closed'"), 0);
}

// Finding: one resident added ~825 access.denied entries per second to any municipality's log.
TEST_F(HardeningWebTest, RefusalsAreAggregatedInTheAuditLog) {
  auto id = services_->accounts->RegisterResident(
      {"401234562", "مواطن", "", "0599123456", "", "", kPassword}, *services_->hasher,
      {"t", "t", 0}, NowMs());
  ASSERT_TRUE(id.ok());
  std::string cookie = SignedIn(*id, false);
  for (int i = 0; i < 30; ++i) {
    ASSERT_EQ(RawClient::Status(RawClient::Get(server_->port(), "/m/hebron/staff", cookie)), 403);
  }
  for (const char* path : {"/m/hebron/audit", "/m/nablus/staff"}) {
    ASSERT_EQ(RawClient::Status(RawClient::Get(server_->port(), path, cookie)), 403);
  }
  EXPECT_EQ(Entries("access.denied"), 3);  // one per route and municipality in the minute
}

// Finding: failed logins on a broken audit head answered 401 three times with no entry and no
// log line. An audit write that fails now fails its request.
TEST_F(HardeningWebTest, AnAuditWriteThatFailsFailsItsRequest) {
  Browser b(server_->port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  b.Get("/account");
  ASSERT_EQ(RawClient::Status(b.Post("/logout", {})), 303);
  const int64_t sessions_before = Count("sessions");
  Status broken =
      services_->db->Write([](db::Tx& tx) { return tx.ExecScript("DELETE FROM audit_head"); });
  ASSERT_TRUE(broken.ok());
  for (int i = 0; i < 3; ++i) {
    std::string res = PostFrom(server_->port(), "127.0.0.80", "/login",
                               {{"login", "401234562"}, {"password", "wrong-password"}});
    EXPECT_EQ(RawClient::Status(res), 503) << i;
  }
  std::string good = PostFrom(server_->port(), "127.0.0.81", "/login",
                              {{"login", "401234562"}, {"password", kPassword}});
  EXPECT_EQ(RawClient::Status(good), 503);
  EXPECT_TRUE(SetCookie(good, "sid").empty());
  EXPECT_EQ(Count("sessions"), sessions_before);  // no session without its entry
}

// Finding: the unmask route needed only the unmask permission and searched every resident
// before checking scope; counter lookups were neither audited nor limited (1,000 in 1.6 s).
TEST_F(HardeningWebTest, CounterLookupsAreScopedAuditedAndLimited) {
  auto resident = services_->accounts->RegisterResident(
      {"401234562", "مواطن", "", "0599123456", "", "", kPassword}, *services_->hasher,
      {"t", "t", 0}, NowMs());
  ASSERT_TRUE(resident.ok());
  // A municipality-wide clerk may unmask on cases, but is not a counter.
  int64_t clerk = Staff("hebron.clerk", {identity::Role::kClerk, Hebron(), 0});
  std::string csrf;
  std::string clerk_cookie = SignedIn(clerk, true, &csrf);
  const int64_t lookups_before = Entries("account.lookup") + Entries("account.unmask");
  std::string body = FormBody({{"csrf", csrf}, {"q", "401234562"}, {"field", "phone"}});
  RawClient c(server_->port());
  c.Send("POST /m/hebron/residents/unmask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
         clerk_cookie + "Content-Type: application/x-www-form-urlencoded\r\n" +
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
  std::string refused = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(refused), 403) << refused;
  EXPECT_EQ(RawClient::Body(refused).find("+970599123456"), std::string::npos);
  EXPECT_EQ(Entries("account.lookup") + Entries("account.unmask"), lookups_before);
  // The counter clerk's lookups are audited, and limited.
  int64_t counter = Staff("hebron.counter", {identity::Role::kCounterClerk, Hebron(), 0});
  std::string cookie = SignedIn(counter, true);
  int status = 0;
  int served = 0;
  for (; served < 40; ++served) {
    status = RawClient::Status(
        RawClient::Get(server_->port(), "/m/hebron/residents?q=401234562", cookie));
    if (status != 200) break;
  }
  EXPECT_EQ(status, 429);
  EXPECT_EQ(served, 30);
  EXPECT_EQ(Entries("account.lookup"), 30);
}

// Finding: /metrics was served to "X-Forwarded-For: 127.0.0.1". It now needs its bearer token,
// whatever the address.
TEST_F(HardeningWebTest, MetricsNeedTheirTokenWhateverTheAddress) {
  auto proxy = BehindProxy("metrics-secret-token");
  uint16_t port = proxy->server->port();
  EXPECT_EQ(RawClient::Status(RawClient::Get(port, "/metrics", "X-Forwarded-For: 127.0.0.1\r\n")),
            404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port, "/metrics")), 404);  // loopback, no token
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(port, "/metrics", "Authorization: Bearer metrics-secret-tokeX\r\n")),
            404);
  std::string ok = RawClient::Get(
      port, "/metrics",
      "X-Forwarded-For: 203.0.113.5\r\nAuthorization: Bearer metrics-secret-token\r\n");
  EXPECT_EQ(RawClient::Status(ok), 200);
  EXPECT_NE(RawClient::Body(ok).find("baladiya_open_connections"), std::string::npos);
  // No token configured: not served at all.
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(server_->port(), "/metrics", "Authorization: Bearer \r\n")),
      404);
}

// Finding: the anonymous anti-forgery cookie lacked Secure over TLS.
TEST_F(HardeningWebTest, CookiesAreSecureOverTls) {
  auto proxy = BehindProxy();
  std::string res = RawClient::Get(proxy->server->port(), "/login",
                                   "X-Forwarded-Proto: https\r\nX-Forwarded-For: 203.0.113.5\r\n");
  ASSERT_EQ(RawClient::Status(res), 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(res, m, std::regex("set-cookie: csrf=[^\r]*", std::regex::icase)));
  EXPECT_NE(m.str().find("; Secure"), std::string::npos) << m.str();
  // Plain HTTP on loopback (development) keeps cookies usable without TLS.
  std::string plain = RawClient::Get(server_->port(), "/login");
  ASSERT_TRUE(
      std::regex_search(plain, m, std::regex("set-cookie: csrf=[^\r]*", std::regex::icase)));
  EXPECT_EQ(m.str().find("Secure"), std::string::npos);
}

// Finding: "//evil.example/" gave an off-site language link.
TEST_F(HardeningWebTest, TheLanguageLinkStaysOnTheSite) {
  std::string res = RawClient::Get(server_->port(), "//evil.example/");
  EXPECT_EQ(RawClient::Status(res), 404);
  EXPECT_NE(res.find("href=\"/evil.example/?lang=en\""), std::string::npos);
  EXPECT_EQ(res.find("href=\"//"), std::string::npos);
}

TEST_F(HardeningWebTest, AuditConsistencyProofsAreServed) {
  Browser b(server_->port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  auto first = services_->audit->WriteCheckpoint(NowMs());
  ASSERT_TRUE(first.ok());
  b.Get("/account");
  ASSERT_EQ(RawClient::Status(b.Post("/logout", {})), 303);
  auto second = services_->audit->WriteCheckpoint(NowMs());
  ASSERT_TRUE(second.ok());
  ASSERT_GT(second->tree_size, first->tree_size);
  std::string target = "/api/v1/audit/consistency?first=" + std::to_string(first->tree_size) +
                       "&second=" + std::to_string(second->tree_size);
  std::string res = RawClient::Get(server_->port(), target);
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  auto json = boost::json::parse(RawClient::Body(res)).as_object();
  audit::ConsistencyProof proof{json["first"].as_int64(), json["second"].as_int64(), {}};
  for (const auto& h : json["path"].as_array()) {
    proof.path.push_back(*crypto::FromHex(std::string(h.as_string())));
  }
  EXPECT_TRUE(audit::VerifyConsistency(proof, first->root_hash, second->root_hash));
  for (const char* bad :
       {"?first=2&second=1", "?first=-1&second=2", "?first=x&second=2", "?second=2"}) {
    EXPECT_EQ(RawClient::Status(
                  RawClient::Get(server_->port(), std::string("/api/v1/audit/consistency") + bad)),
              400)
        << bad;
  }
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(server_->port(), "/api/v1/audit/consistency?first=1&second=100000")),
            404);
}

// The documented deployment (TLS terminated by a proxy on this machine) without trusting that
// proxy would give every client one address: the server refuses to start.
TEST(HardeningCli, ServeRefusesALoopbackProxyItDoesNotTrust) {
  auto dir = std::filesystem::temp_directory_path() /
             ("baladiya-proxy-test-" + std::to_string(::getpid()));
  std::string cmd = "timeout 60 " + std::string(BALADIYA_BINARY) +
                    " serve --port 0 --address 127.0.0.1 --hsts true --database " +
                    (dir / "x.db").string() + " --key-file " + (dir / "keys").string() + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << out;
  EXPECT_NE(out.find("trusted-proxies"), std::string::npos) << out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baladiya::app
