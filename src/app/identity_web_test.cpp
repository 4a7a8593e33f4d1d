// Identity over HTTP: the real server, a fresh SQLite database and key file, every module wired
// as `baladiya serve` wires them (src/app/app_fixture.h).
#include "app/app_fixture.h"

namespace baladiya::app {
namespace {

using http::testing::RawClient;
using testing::Browser;
using IdentityWebTest = testing::AppTest;

TEST_F(IdentityWebTest, RegisterLogOutAndLogInAgain) {
  Browser b(server_->port());
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
  Browser b(server_->port());
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
  EXPECT_EQ(Count("accounts"), 0);
}

TEST_F(IdentityWebTest, OneNationalIdIsOneAccount) {
  Browser a(server_->port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser b(server_->port());
  std::string res = Register(b, "401234562", "0599765432");
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(RawClient::Body(res).find("يوجد حساب بهذا الرقم"), std::string::npos);
  EXPECT_EQ(Count("accounts"), 1);
}

TEST_F(IdentityWebTest, FormsWithoutTheTokenAreRefused) {
  Browser b(server_->port());
  b.Get("/register");
  std::string res = b.Post("/register",
                           {{"national_id", "401234562"},
                            {"full_name_ar", "سلمى"},
                            {"phone", "0599123456"},
                            {"password", "olive-harvest-season"}},
                           false);
  EXPECT_EQ(RawClient::Status(res), 403);
  EXPECT_EQ(Count("accounts"), 0);
  // Signed in, a forged logout (no token) does nothing either.
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  EXPECT_EQ(RawClient::Status(b.Post("/logout", {}, false)), 403);
  EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);
}

TEST_F(IdentityWebTest, FailedLoginsAreGenericThenLimited) {
  Browser a(server_->port());
  ASSERT_EQ(RawClient::Status(Register(a, "401234562", "0599123456")), 303);
  Browser b(server_->port());
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
  identity::StaffInput in;
  in.username = "hebron.clerk";
  in.full_name_ar = "موظف";
  in.password = "a-long-staff-password";
  catalog::TenancyStore tenancy(*services_->db);
  in.municipality_id = tenancy.FindMunicipality("hebron")->id;
  in.grants = {{identity::Role::kClerk, in.municipality_id, 0}};
  auto staff =
      services_->accounts->CreateStaff(in, *services_->hasher, {"system", "t", 0}, NowMs());
  ASSERT_TRUE(staff.ok()) << staff.error().detail;
  Browser b(server_->port());
  b.Get("/login");
  std::string res = b.Post("/login", {{"login", "Hebron.Clerk"}, {"password", in.password}});
  EXPECT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/totp");
  std::string setup = RawClient::Body(b.Get("/account/totp"));
  EXPECT_NE(setup.find("<svg"), std::string::npos);
  // Enrol with the code the authenticator would show.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(setup, m, std::regex("name=\"secret\" value=\"([^\"]+)\"")));
  auto secret = crypto::FromBase64Url(m[1].str());
  ASSERT_TRUE(secret.ok());
  std::string code = identity::Totp::Code(*secret, NowMs() / 1000);
  res = b.Post("/account/totp", {{"secret", m[1].str()}, {"code", code}});
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(RawClient::Body(res).find("<code>"), std::string::npos);  // recovery codes shown once
  auto creds = services_->accounts->CredentialsOf(*staff);
  ASSERT_TRUE(creds.ok());
  EXPECT_TRUE(creds->totp_enabled);
  // The same code cannot be used twice.
  b.Get("/login/totp");
  EXPECT_EQ(RawClient::Status(b.Post("/login/totp", {{"code", code}, {"next", "/account"}})), 401);
}

TEST_F(IdentityWebTest, APasswordOnlyStaffSessionReachesNothingButTheSecondFactor) {
  identity::StaffInput in;
  in.username = "hebron.admin2";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  catalog::TenancyStore tenancy(*services_->db);
  in.municipality_id = tenancy.FindMunicipality("hebron")->id;
  in.grants = {{identity::Role::kMunicipalAdmin, in.municipality_id, 0}};
  auto staff =
      services_->accounts->CreateStaff(in, *services_->hasher, {"system", "t", 0}, NowMs());
  ASSERT_TRUE(staff.ok());
  ASSERT_TRUE(services_->accounts
                  ->EnableTotp(*staff, identity::Totp::NewSecret(), identity::NewRecoveryCodes(),
                               {"system", "t", 0}, NowMs())
                  .ok());
  // Password given, TOTP not yet.
  auto token = services_->sessions->Create(*staff, true, false, NowMs());
  ASSERT_TRUE(token.ok());
  std::string cookie = "Cookie: sid=" + *token + "\r\n";
  for (const char* path : {"/account", "/account/export", "/m/hebron/staff", "/account/close"}) {
    std::string res = RawClient::Get(server_->port(), path, cookie);
    EXPECT_EQ(RawClient::Status(res), 303) << path;
    EXPECT_EQ(RawClient::Header(res, "location").rfind("/login/totp", 0), 0u) << path;
  }
  // Nor can it replace the enrolled second factor.
  std::string setup = RawClient::Get(server_->port(), "/account/totp", cookie);
  EXPECT_EQ(RawClient::Header(setup, "location"), "/login/totp");
  std::string secret = identity::Totp::NewSecret();
  std::string form = "csrf=x&secret=" + crypto::ToBase64Url(secret) +
                     "&code=" + identity::Totp::Code(secret, NowMs() / 1000);
  RawClient post(server_->port());
  post.Send("POST /account/totp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + cookie +
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form);
  EXPECT_EQ(RawClient::Status(post.ReadResponse()), 403);
  auto stored = services_->accounts->TotpSecret(*staff);
  ASSERT_TRUE(stored.ok());
  EXPECT_NE(*stored, secret);
}

TEST_F(IdentityWebTest, AuditApiServesSignedCheckpointsAndProofs) {
  uint16_t port = server_->port();
  auto json = [&](const std::string& target) { return RawClient::Get(port, target); };
  EXPECT_EQ(RawClient::Status(json("/api/v1/audit/checkpoint")), 404);  // none yet
  Browser b(port);
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  ASSERT_TRUE(services_->audit->WriteCheckpoint(NowMs()).ok());
  std::string cp = json("/api/v1/audit/checkpoint");
  EXPECT_EQ(RawClient::Status(cp), 200);
  EXPECT_EQ(RawClient::Header(cp, "content-type"), "application/json");
  EXPECT_NE(RawClient::Body(cp).find("\"signature\":\""), std::string::npos) << cp;
  EXPECT_NE(RawClient::Body(cp).find("\"format\":\"baladiya-audit-checkpoint/v1\""),
            std::string::npos);
  std::string proof = json("/api/v1/audit/proof?index=0");
  EXPECT_EQ(RawClient::Status(proof), 200) << proof;
  EXPECT_NE(RawClient::Body(proof).find("\"path\""), std::string::npos) << proof;
  struct Case {
    const char* target;
    int status;
    const char* code;
  } bad[] = {{"/api/v1/audit/proof", 400, "bad_request"},
             {"/api/v1/audit/proof?index=abc", 400, "bad_request"},
             {"/api/v1/audit/proof?index=-1", 400, "bad_request"},
             {"/api/v1/audit/proof?index=99999999", 404, "not_found"}};
  EXPECT_NE(RawClient::Body(json("/api/v1/audit/proof?index=x&lang=en"))
                .find("\"message\":\"index must be a non-negative integer.\""),
            std::string::npos);
  for (const auto& c : bad) {
    std::string res = json(c.target);
    EXPECT_EQ(RawClient::Status(res), c.status) << c.target;
    EXPECT_NE(RawClient::Body(res).find(std::string("\"code\":\"") + c.code + "\""),
              std::string::npos)
        << c.target << " " << res;
  }
}

TEST_F(IdentityWebTest, CounterClerkSeesResidentsMaskedAndUnmaskingIsAudited) {
  Browser resident(server_->port());
  ASSERT_EQ(RawClient::Status(Register(resident, "401234562", "0599123456")), 303);
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  identity::StaffInput in;
  in.username = "hebron.desk";
  in.full_name_ar = "موظف الشباك";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kCounterClerk, hebron, 0}};
  auto clerk =
      services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", hebron}, NowMs());
  ASSERT_TRUE(clerk.ok());
  std::string cookie =
      "Cookie: sid=" + *services_->sessions->Create(*clerk, true, true, NowMs()) + "\r\n";
  std::string found =
      RawClient::Get(server_->port(), "/m/hebron/residents?q=0599%20123%20456", cookie);
  ASSERT_EQ(RawClient::Status(found), 200) << found;
  EXPECT_NE(found.find("سلمى خليل"), std::string::npos);
  EXPECT_EQ(found.find("401234562"), std::string::npos);  // masked
  EXPECT_EQ(found.find("+970599123456"), std::string::npos);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(found, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  int64_t before = Count("audit_entries");
  std::string form = "csrf=" + m[1].str() + "&q=401234562&field=national_id";
  RawClient post(server_->port());
  post.Send("POST /m/hebron/residents/unmask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            cookie + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form);
  std::string shown = post.ReadResponse();
  EXPECT_EQ(RawClient::Status(shown), 200);
  EXPECT_NE(shown.find("401234562"), std::string::npos);
  EXPECT_EQ(shown.find("+970599123456"), std::string::npos);  // only the field asked for
  EXPECT_EQ(Count("audit_entries"), before + 1);
  auto entries = services_->db->Query("SELECT action FROM audit_entries ORDER BY idx DESC LIMIT 1");
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ((*entries)[0].Text(0), "account.unmask");
  // Another municipality's counter is not this clerk's.
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(server_->port(), "/m/nablus/residents?q=401234562", cookie)),
      403);
}

TEST_F(IdentityWebTest, LoginOnlyFollowsPlainLocalPaths) {
  Browser a(server_->port());
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
    Browser b(server_->port());
    b.Get("/login");
    std::string res = b.Post(
        "/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}, {"next", c.next}});
    EXPECT_EQ(RawClient::Header(res, "location"), c.location) << c.next;
  }
}

TEST_F(IdentityWebTest, ClosingAnAccountDestroysPersonalDataAndKeepsTheAuditLog) {
  Browser b(server_->port());
  ASSERT_EQ(RawClient::Status(Register(b, "401234562", "0599123456")), 303);
  std::string exported = RawClient::Body(b.Get("/account/export"));
  EXPECT_NE(exported.find("401234562"), std::string::npos);
  int64_t audit_before = Count("audit_entries");
  b.Get("/account/close");
  EXPECT_EQ(RawClient::Status(b.Post("/account/close", {{"password", "wrong-password"}})), 422);
  EXPECT_EQ(RawClient::Status(b.Post("/account/close", {{"password", "olive-harvest-season"}})),
            200);
  EXPECT_GT(Count("audit_entries"), audit_before);
  EXPECT_EQ(Count("account_keys"), 0);
  // The ID is free again and the old login no longer works.
  Browser c(server_->port());
  c.Get("/login");
  EXPECT_EQ(RawClient::Status(
                c.Post("/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}})),
            401);
}

TEST_F(IdentityWebTest, EveryRouteHasARuleAndAnonymousVisitorsAreSentToLogIn) {
  for (const auto& [method, pattern, rule] : web_->routes().All()) {
    if (method != http::Method::kGet || pattern.find('{') != std::string::npos) continue;
    std::string res = RawClient::Get(server_->port(), pattern);
    int status = RawClient::Status(res);
    switch (rule.kind) {
      case identity::Access::Kind::kPublic:
        EXPECT_NE(status, 303) << pattern;
        EXPECT_NE(status, 403) << pattern;
        break;
      case identity::Access::Kind::kBeforeSecondFactor:
      case identity::Access::Kind::kSignedIn:
      case identity::Access::Kind::kPermission:
        EXPECT_EQ(status, 303) << pattern;
        EXPECT_EQ(RawClient::Header(res, "location").rfind("/login?next=", 0), 0u) << pattern;
        break;
    }
  }
}

// Walks every GET route with every role, in the role's own municipality and in another one, and
// checks the answer against the permission model (itself tested role by role in roles_test).
TEST_F(IdentityWebTest, EveryRouteWithEveryRoleGetsTheRightAnswer) {
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  int64_t nablus = tenancy.FindMunicipality("nablus")->id;
  int n = 0;
  for (identity::Role role : identity::AllRoles()) {
    bool platform = identity::IsPlatformRole(role);
    std::string username = "walker" + std::to_string(n++);
    int64_t account = 0;
    if (role == identity::Role::kResident) {
      identity::ResidentRegistration r{"000000018",           "مواطن", "", "0599000001", "", "",
                                       "olive-harvest-season"};
      auto id =
          services_->accounts->RegisterResident(r, *services_->hasher, {"t", "t", 0}, NowMs());
      ASSERT_TRUE(id.ok()) << id.error().detail;
      account = *id;
    } else {
      identity::StaffInput in;
      in.username = username;
      in.full_name_ar = "موظف";
      in.password = "a-long-staff-password";
      in.municipality_id = platform ? 0 : hebron;
      in.grants = {{role, platform ? 0 : hebron, 0}};
      auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
      ASSERT_TRUE(id.ok()) << identity::RoleName(role) << ": " << id.error().detail;
      account = *id;
    }
    bool staff = role != identity::Role::kResident;
    auto token = services_->sessions->Create(account, staff, true, NowMs());
    ASSERT_TRUE(token.ok());
    identity::Principal who;
    who.account_id = account;
    who.staff = staff;
    who.mfa_satisfied = true;
    who.grants = *services_->accounts->Grants(account);
    for (const auto& [method, pattern, rule] : web_->routes().All()) {
      if (method != http::Method::kGet || pattern.find("{file") != std::string::npos) continue;
      for (auto [slug, scope] : {std::pair<std::string, int64_t>{"hebron", hebron},
                                 std::pair<std::string, int64_t>{"nablus", nablus}}) {
        std::string path = std::regex_replace(pattern, std::regex("\\{slug\\}"), slug);
        if (path.find('{') != std::string::npos) continue;
        int status = RawClient::Status(
            RawClient::Get(server_->port(), path, "Cookie: sid=" + *token + "\r\n"));
        bool allowed =
            rule.kind != identity::Access::Kind::kPermission ||
            identity::AllowedSomewhere(who, rule.permission,
                                       pattern.find("{slug}") == std::string::npos ? 0 : scope);
        if (allowed) {
          EXPECT_NE(status, 403) << identity::RoleName(role) << " " << path;
          EXPECT_LT(status, 500) << identity::RoleName(role) << " " << path;
        } else {
          EXPECT_EQ(status, 403) << identity::RoleName(role) << " " << path;
        }
      }
    }
  }
}

TEST_F(IdentityWebTest, MunicipalAdminAddsAndDisablesStaffAndAuditorReadsTheLog) {
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  auto make = [&](const char* username, identity::Role role) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{role, hebron, 0}};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", hebron}, NowMs());
    EXPECT_TRUE(id.ok());
    return *services_->sessions->Create(*id, true, true, NowMs());
  };
  std::string admin = make("hebron.boss", identity::Role::kMunicipalAdmin);
  std::string auditor = make("hebron.checker", identity::Role::kAuditor);
  std::string page =
      RawClient::Get(server_->port(), "/m/hebron/staff", "Cookie: sid=" + admin + "\r\n");
  ASSERT_EQ(RawClient::Status(page), 200) << page;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  std::string form = "csrf=" + m[1].str() +
                     "&username=hebron.samir&full_name_ar=%D8%B3%D9%85%D9%8A%D8%B1&role=clerk"
                     "&department=water";
  RawClient post(server_->port());
  post.Send("POST /m/hebron/staff HTTP/1.1\r\nHost: x\r\nConnection: close\r\nCookie: sid=" +
            admin + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form);
  std::string created = post.ReadResponse();
  EXPECT_EQ(RawClient::Status(created), 201) << created;
  EXPECT_NE(RawClient::Body(created).find("hebron.samir"), std::string::npos);
  auto creds = services_->accounts->FindForLogin("hebron.samir");
  ASSERT_TRUE(creds.ok());
  auto grants = services_->accounts->Grants(creds->account_id);
  ASSERT_TRUE(grants.ok());
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].role, identity::Role::kClerk);
  EXPECT_NE((*grants)[0].department_id, 0);
  // Disable them.
  std::string disable = "csrf=" + m[1].str() + "&action=disable";
  RawClient post2(server_->port());
  post2.Send(
      "POST /m/hebron/staff/hebron.samir/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Cookie: sid=" +
      admin +
      "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(disable.size()) + "\r\n\r\n" + disable);
  EXPECT_EQ(RawClient::Status(post2.ReadResponse()), 303);
  EXPECT_EQ(services_->accounts->FindForLogin("hebron.samir")->status,
            identity::AccountStatus::kDisabled);
  // The auditor sees both changes in the municipality's log; the admin cannot read it.
  std::string log =
      RawClient::Get(server_->port(), "/m/hebron/audit?lang=en", "Cookie: sid=" + auditor + "\r\n");
  EXPECT_EQ(RawClient::Status(log), 200);
  EXPECT_NE(log.find("account.staff_create"), std::string::npos) << log;
  EXPECT_NE(log.find("account.status"), std::string::npos);
  EXPECT_EQ(log.find("hebron.samir"), std::string::npos);  // pseudonyms only
  EXPECT_EQ(RawClient::Status(RawClient::Get(server_->port(), "/m/hebron/audit",
                                             "Cookie: sid=" + admin + "\r\n")),
            403);
  // The refusal itself is in the municipality's log.
  std::string after = RawClient::Get(server_->port(), "/m/hebron/audit?action=access.",
                                     "Cookie: sid=" + auditor + "\r\n");
  EXPECT_NE(after.find("access.denied"), std::string::npos) << after;
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// The 8-digit code in the last SMS the gateway received for `phone`, or empty.
std::string LastCode(notify::testing::SmsGateway& gw, const std::string& phone) {
  std::string code;
  for (const auto& m : gw.received()) {
    if (m.body.at("to").as_string() != phone) continue;
    std::string text(m.body.at("text").as_string());
    std::smatch found;
    if (std::regex_search(text, found, std::regex("[0-9]{8}"))) code = found[0].str();
  }
  return code;
}

TEST_F(IdentityWebTest, ForgotPasswordSendsAOneTimeCodeBySms) {
  Browser b(server_->port());
  Register(b, "401234562", "0599123456");
  ASSERT_EQ(RawClient::Status(b.Get("/account")), 200);  // a live session, ended by the reset

  Browser anon(server_->port());
  std::string login = RawClient::Body(anon.Get("/login"));
  EXPECT_NE(login.find("href=\"/password/forgot\""), std::string::npos);
  anon.Get("/password/forgot");
  std::string res = anon.Post("/password/forgot", {{"login", "401234562"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("action=\"/password/reset\""), std::string::npos);
  // The code is issued once the answer has been written (its timing must tell nothing).
  auto first = dispatcher_->RunOnce(NowMs());
  for (int i = 0; i < 200 && first.ok() && first->sent == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    first = dispatcher_->RunOnce(NowMs());
  }
  ASSERT_TRUE(first.ok()) << first.error().detail;
  ASSERT_EQ(first->sent, 1);
  const std::string code = LastCode(*gateway_, "+970599123456");
  ASSERT_EQ(code.size(), 8u);
  // The outbox never keeps the code readable.
  auto sealed = services_->db->Query("SELECT count(*) FROM notify_outbox WHERE sealed IS NOT NULL");
  EXPECT_EQ((*sealed)[0].Int(0), 0);

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
  auto stats = dispatcher_->RunOnce(NowMs());
  EXPECT_EQ(stats->sent, 1);
  std::string inbox = RawClient::Body(anon.Get("/account/notifications"));
  EXPECT_NE(inbox.find("تم تغيير كلمة المرور"), std::string::npos) << inbox;
  EXPECT_EQ(RawClient::Status(anon.Post("/account/notifications/read", {})), 303);
  EXPECT_EQ(*services_->outbox->Unread(services_->accounts->FindForLogin("401234562")->account_id),
            0);
  auto audit = services_->db->Query(
      "SELECT count(*) FROM audit_entries WHERE action IN ('account.reset_code', "
      "'account.reset_code_used', 'account.password')");
  EXPECT_EQ((*audit)[0].Int(0), 3);
}

TEST_F(IdentityWebTest, ForgotPasswordSaysTheSameForUnknownAccountsAndIsLimited) {
  Browser anon(server_->port());
  anon.Get("/password/forgot?lang=en");
  std::string unknown = anon.Post("/password/forgot", {{"login", "0599888777"}});
  EXPECT_EQ(RawClient::Status(unknown), 200);
  EXPECT_NE(unknown.find("If an account matches"), std::string::npos);
  EXPECT_EQ(dispatcher_->RunOnce(NowMs())->claimed, 0);  // nothing was queued
  EXPECT_EQ(RawClient::Status(anon.Post("/password/forgot", {{"login", ""}})), 422);
  // Past three requests in the window, the back-off starts.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(RawClient::Status(anon.Post("/password/forgot", {{"login", "0599888777"}})), 200);
  }
  std::string limited = anon.Post("/password/forgot", {{"login", "0599888777"}});
  EXPECT_EQ(RawClient::Status(limited), 429);
  EXPECT_FALSE(RawClient::Header(limited, "retry-after").empty());
}

TEST_F(IdentityWebTest, SmsGatewayReceiptsNeedTheTokenAndSettleDelivery) {
  Browser b(server_->port());
  Register(b, "401234562", "0599123456");
  b.Post("/logout", {});
  Browser anon(server_->port());
  anon.Get("/password/forgot");
  anon.Post("/password/forgot", {{"login", "0599123456"}});
  // The code is issued once the answer has been written.
  auto sent = dispatcher_->RunOnce(NowMs());
  for (int i = 0; i < 200 && sent.ok() && sent->sent == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    sent = dispatcher_->RunOnce(NowMs());
  }
  ASSERT_EQ(sent->sent, 1);
  std::string reference(gateway_->received().back().body.at("reference").as_string());
  auto post = [&](const std::string& auth, const std::string& body) {
    return RawClient::Status(RawClient::Exchange(
        server_->port(), "POST /api/v1/notify/sms-receipts HTTP/1.1\r\nHost: x\r\n" + auth +
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
  auto state =
      services_->db->Query("SELECT state FROM notify_outbox WHERE reference = ?", {reference});
  EXPECT_EQ((*state)[0].Text(0), "delivered");
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// The whole e-service path over HTTP: a resident applies for a clearance certificate one page
// at a time, checks the answers and submits; a revenue clerk finds it in the queue and takes it
// into review; a stale second action is a conflict; anyone with the number and the phone sees
// the status.
TEST_F(IdentityWebTest, ResidentAppliesAndAClerkWorksTheCase) {
  Browser resident(server_->port());
  Register(resident, "401234562", "0599123456");
  std::string page = RawClient::Body(resident.Get("/m/hebron/services/clearance-certificate"));
  ASSERT_NE(page.find("action=\"/m/hebron/services/clearance-certificate/apply\""),
            std::string::npos);
  std::string res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string draft = RawClient::Header(res, "location");  // /applications/N/page/1
  ASSERT_EQ(draft.rfind("/applications/", 0), 0u) << draft;
  resident.Get(draft);
  // "other" reveals a required field on the same page: shown with an error, nothing lost.
  res = resident.Post(draft, {{"purpose", "other"}, {"delivery", "counter"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("id=\"purpose_other\""), std::string::npos);
  EXPECT_NE(res.find("value=\"other\" checked"), std::string::npos);
  res = resident.Post(
      draft, {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  ASSERT_NE(check.find("/check"), std::string::npos);
  std::string summary = RawClient::Body(resident.Get(check));
  EXPECT_NE(summary.find("بنك فلسطين"), std::string::npos);
  EXPECT_EQ(RawClient::Status(resident.Post(check, {})), 422);  // no declaration
  res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string mine = RawClient::Header(res, "location");
  ASSERT_EQ(mine.rfind("/account/cases/HEB-", 0), 0u) << mine;
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  ASSERT_TRUE(workflow::ParseTrackingNumber(tracking).has_value()) << tracking;
  EXPECT_NE(RawClient::Body(resident.Get(mine)).find(tracking), std::string::npos);
  // Submitting the same draft again changes nothing.
  resident.Get(check);
  EXPECT_EQ(RawClient::Header(resident.Post(check, {{"declaration", "yes"}}), "location"),
            "/account/cases/" + tracking + "?submitted=1");
  EXPECT_EQ(Count("cases"), 1);

  // A clerk of the revenue department (where clearance certificates go).
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  int64_t revenue = 0, water = 0;
  auto departments = tenancy.Departments(hebron);
  ASSERT_TRUE(departments.ok());
  for (const auto& d : *departments) {
    if (d.slug == "revenue") revenue = d.id;
    if (d.slug == "water") water = d.id;
  }
  auto staff = [&](const std::string& username, int64_t department) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{identity::Role::kClerk, hebron, department}};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
    EXPECT_TRUE(id.ok());
    return "Cookie: sid=" + *services_->sessions->Create(*id, true, true, NowMs()) + "\r\n";
  };
  const std::string clerk = staff("rev.clerk", revenue);
  std::string queue = RawClient::Body(RawClient::Get(server_->port(), "/m/hebron/queue", clerk));
  EXPECT_NE(queue.find(tracking), std::string::npos);
  std::string case_page = RawClient::Get(server_->port(), "/m/hebron/cases/" + tracking, clerk);
  ASSERT_EQ(RawClient::Status(case_page), 200);
  EXPECT_NE(case_page.find("بنك فلسطين"), std::string::npos);
  std::smatch token;
  ASSERT_TRUE(std::regex_search(case_page, token, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  auto act = [&](const std::string& version) {
    std::string body = "csrf=" + token[1].str() + "&version=" + version + "&action=start_review";
    return RawClient::Status(RawClient::Exchange(
        server_->port(), "POST /m/hebron/cases/" + tracking + "/act HTTP/1.1\r\nHost: x\r\n" +
                             clerk + "Content-Type: application/x-www-form-urlencoded\r\n" +
                             "Content-Length: " + std::to_string(body.size()) +
                             "\r\nConnection: close\r\n\r\n" + body));
  };
  EXPECT_EQ(act("1"), 303);
  EXPECT_EQ(act("1"), 409);  // the same form sent twice: the second is stale
  EXPECT_EQ(services_->cases->FindByTracking(tracking)->state, "in_review");

  // Another department's clerk does not see it; another municipality's URL does not show it.
  const std::string water_clerk = staff("water.clerk", water);
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(server_->port(), "/m/hebron/cases/" + tracking, water_clerk)),
            404);
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(server_->port(), "/m/nablus/cases/" + tracking, clerk)),
      403);

  // The status lookup: number and phone, no personal data; a wrong phone says nothing.
  Browser anon(server_->port());
  anon.Get("/track");
  std::string found = anon.Post("/track", {{"tracking", tracking}, {"phone", "0599 123 456"}});
  EXPECT_EQ(RawClient::Status(found), 200);
  EXPECT_EQ(found.find("401234562"), std::string::npos);
  EXPECT_EQ(
      RawClient::Status(anon.Post("/track", {{"tracking", tracking}, {"phone", "0599000000"}})),
      404);
  // The resident was told: submitted, then in review (in-app at once, SMS through the
  // dispatcher).
  EXPECT_EQ(dispatcher_->RunOnce(NowMs())->claimed, 2);
  std::string inbox = RawClient::Body(resident.Get("/account/notifications"));
  EXPECT_NE(inbox.find(tracking), std::string::npos) << inbox;
}

TEST_F(IdentityWebTest, TheCatalogueSearchFindsArabicSpellingVariants) {
  for (const char* q : {"براءة ذمة", "براءه ذمه", "CLEARANCE"}) {
    std::string res =
        RawClient::Get(server_->port(), "/m/hebron/services?q=" + http::PercentEncode(q));
    EXPECT_EQ(RawClient::Status(res), 200) << q;
    EXPECT_NE(res.find("/m/hebron/services/clearance-certificate"), std::string::npos) << q;
  }
  EXPECT_EQ(RawClient::Status(RawClient::Get(server_->port(), "/m/hebron/services/no-such")), 404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(server_->port(), "/m/atlantis/services")), 404);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// A photo with a report: uploads are typed by their content, sealed at rest, linked to the case
// on submission, and downloadable by the applicant and the department's staff only.
TEST_F(IdentityWebTest, ReportsCarryPhotosCheckedByContent) {
  Browser resident(server_->port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/hebron/services/street-light-report");
  std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
  const std::string draft = RawClient::Header(res, "location");
  std::string form = resident.Get(draft);
  ASSERT_NE(form.find("enctype=\"multipart/form-data\""), std::string::npos);
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR-a-tiny-test-image", 30);
  auto multipart = [&](const std::string& file_name, const std::string& bytes) {
    const std::string b = "----BaladiyaTestBoundary7MA4YWxk";
    std::string body;
    auto field = [&](const std::string& name, const std::string& value) {
      body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
              value + "\r\n";
    };
    field("csrf", resident.token());
    field("location", "31.5326,35.0998");
    field("problem", "not_working");
    field("description", "العمود مطفأ منذ ثلاث ليالٍ");
    body += "--" + b + "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"" +
            file_name + "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n";
    body += "--" + b + "--\r\n";
    return resident.Raw("POST " + draft + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                            "Content-Type: multipart/form-data; boundary=" + b +
                            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n",
                        body);
  };
  // A text file that claims to be a PDF is refused, and nothing is stored.
  res = multipart("plans.pdf", "this is not a PDF at all");
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(Count("case_attachments"), 0);
  res = multipart("عمود-الإنارة.png", png);
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  EXPECT_NE(RawClient::Body(resident.Get(check)).find("عمود-الإنارة.png"), std::string::npos);
  auto raw = services_->db->Query("SELECT content, sha256, content_type FROM case_attachments");
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_EQ((*raw)[0].Bytes(0).find("IHDR"), std::string::npos);  // sealed at rest
  EXPECT_EQ((*raw)[0].Text(2), "image/png");
  res = resident.Post(check, {{"declaration", "yes"}});
  const std::string mine = RawClient::Header(res, "location");
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  std::string page = RawClient::Body(resident.Get("/account/cases/" + tracking));
  std::smatch link;
  ASSERT_TRUE(
      std::regex_search(page, link, std::regex("href=\"(/account/cases/[^\"]+/files/[0-9]+)\"")));
  std::string file = resident.Get(link[1].str());
  EXPECT_EQ(RawClient::Status(file), 200);
  EXPECT_EQ(RawClient::Body(file), png);
  EXPECT_EQ(RawClient::Header(file, "content-type"), "image/png");
  EXPECT_NE(RawClient::Header(file, "content-disposition").find("attachment"), std::string::npos);
  // Someone else cannot fetch it.
  Browser other(server_->port());
  Register(other, "000000018", "0599000001");
  EXPECT_EQ(RawClient::Status(other.Get(link[1].str())), 404);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// After the final state the applicant rates the service once, and may reopen the case.
TEST_F(IdentityWebTest, ApplicantsRateClosedCasesAndMayReopenThem) {
  Browser resident(server_->port());
  Register(resident, "401234562", "0599123456");
  auto account = services_->accounts->FindForLogin("401234562");
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  auto service = services_->catalog->Find(hebron, "clearance-certificate");
  ASSERT_TRUE(service.ok());
  const workflow::Workflow wf = workflow::DefaultWorkflow(*resources_->catalog);
  workflow::Calendar calendar;
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = account->account_id;
  in.answers = {{"purpose", {"bank"}}, {"delivery", {"counter"}}};
  cases::Actor me{account->account_id, "me", {"resident"}, "api", "r1"};
  auto c = services_->cases->SubmitAnswers(in, me, *service, wf, calendar, "HEB", NowMs());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  cases::Actor clerk{999999, "clerk", {"clerk"}, "web", "r2"};
  auto r = services_->cases->Transition(c->id, c->version, "start_review", "", clerk, wf, calendar,
                                        *service, NowMs());
  auto done = services_->cases->Transition(r->id, r->version, "reject", "الرقم غير مكتمل", clerk,
                                           wf, calendar, *service, NowMs());
  ASSERT_TRUE(done.ok());
  const std::string href = "/account/cases/" + c->tracking;
  std::string page = RawClient::Body(resident.Get(href));
  ASSERT_NE(page.find("action=\"" + href + "/rate\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(resident.Post(href + "/rate", {{"score", "9"}})), 422);
  EXPECT_EQ(RawClient::Status(resident.Post(href + "/rate", {{"score", "2"}, {"comment", "بطيء"}})),
            303);
  EXPECT_EQ(*services_->cases->RatingOf(c->id), 2);
  page = RawClient::Body(resident.Get(href));
  EXPECT_EQ(page.find("action=\"" + href + "/rate\""), std::string::npos);  // once
  EXPECT_EQ(RawClient::Status(
                resident.Post(href + "/reopen", {{"version", std::to_string(done->version)}})),
            303);
  EXPECT_EQ(services_->cases->Get(c->id)->state, "in_review");
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// Assisted digital: a counter clerk files for a resident at the counter; the case records the
// channel and who filed it, and the resident sees it as their own.
TEST_F(IdentityWebTest, ACounterClerkFilesForAResidentWhoIsPresent) {
  Browser resident(server_->port());
  Register(resident, "401234562", "0599123456");
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  identity::StaffInput in;
  in.username = "hebron.desk";
  in.full_name_ar = "موظفة الشباك";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kCounterClerk, hebron, 0}};
  auto clerk_id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
  ASSERT_TRUE(clerk_id.ok());
  Browser clerk(server_->port());
  clerk.SetCookie("sid", *services_->sessions->Create(*clerk_id, true, true, NowMs()));
  ASSERT_EQ(RawClient::Status(clerk.Get("/m/hebron/counter")), 200);
  EXPECT_EQ(RawClient::Status(clerk.Post("/m/hebron/counter", {{"resident", "0599999999"},
                                                               {"service", "clearance-certificate"},
                                                               {"channel", "phone"}})),
            422);
  clerk.Get("/m/hebron/counter");
  // Clearance certificates are not taken by phone.
  EXPECT_EQ(RawClient::Status(clerk.Post("/m/hebron/counter", {{"resident", "401234562"},
                                                               {"service", "clearance-certificate"},
                                                               {"channel", "phone"}})),
            422);
  clerk.Get("/m/hebron/counter");
  std::string res = clerk.Post(
      "/m/hebron/counter",
      {{"resident", "401234562"}, {"service", "clearance-certificate"}, {"channel", "counter"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string draft = RawClient::Header(res, "location");
  clerk.Get(draft);
  res = clerk.Post(draft, {{"purpose", "trade_licence"}, {"delivery", "counter"}});
  const std::string check = RawClient::Header(res, "location");
  clerk.Get(check);
  res = clerk.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string done = RawClient::Header(res, "location");
  ASSERT_EQ(done.rfind("/m/hebron/counter?filed=HEB-", 0), 0u) << done;
  const std::string tracking = done.substr(done.find('=') + 1);
  EXPECT_NE(RawClient::Body(clerk.Get(done)).find(tracking), std::string::npos);
  auto c = services_->cases->FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->channel, "counter");
  EXPECT_EQ(c->filed_by, *clerk_id);
  EXPECT_EQ(c->applicant_id, services_->accounts->FindForLogin("401234562")->account_id);
  EXPECT_NE(RawClient::Body(resident.Get("/account/cases")).find(tracking), std::string::npos);
  // A resident cannot reach the counter.
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/counter")), 403);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// The municipal admin sees what each service lacks and cannot publish it until it is complete.
TEST_F(IdentityWebTest, AServiceWithMissingTextsCannotBePublished) {
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  auto s = services_->catalog->Find(hebron, "water-connection");
  ASSERT_TRUE(s.ok());
  s->published = false;
  s->form.pages[0].fields[0].label.en.clear();
  ASSERT_TRUE(services_->catalog->Save(*s, NowMs()).ok());
  identity::StaffInput in;
  in.username = "hebron.boss";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kMunicipalAdmin, hebron, 0}};
  auto admin_id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
  ASSERT_TRUE(admin_id.ok());
  Browser admin(server_->port());
  admin.SetCookie("sid", *services_->sessions->Create(*admin_id, true, true, NowMs()));
  std::string page = RawClient::Body(admin.Get("/m/hebron/admin/services?lang=en"));
  EXPECT_NE(page.find("water-connection"), std::string::npos);
  std::string res =
      admin.Post("/m/hebron/admin/services/water-connection/publish", {{"publish", "yes"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  // The missing text is named in the admin's language and linked to where it is written.
  EXPECT_EQ(res.find(" label (en)"), std::string::npos) << res;
  EXPECT_NE(res.find("href=\"/m/hebron/admin/services/water-connection/"), std::string::npos)
      << res;
  EXPECT_NE(res.find(s->form.pages[0].fields[0].label.ar), std::string::npos) << res;
  EXPECT_FALSE(services_->catalog->Find(hebron, "water-connection")->published);
  admin.Get("/m/hebron/admin/services");
  EXPECT_EQ(RawClient::Status(admin.Post("/m/hebron/admin/services/clearance-certificate/publish",
                                         {{"publish", "no"}})),
            303);
  EXPECT_FALSE(services_->catalog->Find(hebron, "clearance-certificate")->published);
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(server_->port(), "/m/hebron/services/clearance-certificate")),
            404);  // withdrawn services are not offered
  auto audit =
      services_->db->Query("SELECT count(*) FROM audit_entries WHERE action = 'service.withdrawn'");
  EXPECT_EQ((*audit)[0].Int(0), 1);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// A department head assigns several cases at once; a case that changed meanwhile is left alone.
TEST_F(IdentityWebTest, ADepartmentHeadAssignsSeveralCasesAtOnce) {
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  int64_t engineering = 0;
  auto departments = tenancy.Departments(hebron);
  ASSERT_TRUE(departments.ok());
  for (const auto& d : *departments) {
    if (d.slug == "engineering") engineering = d.id;
  }
  auto staff = [&](const std::string& username, identity::Role role) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{role, hebron, engineering}};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
    EXPECT_TRUE(id.ok());
    return *id;
  };
  const int64_t head = staff("eng.head", identity::Role::kDepartmentHead);
  const int64_t clerk = staff("eng.clerk", identity::Role::kClerk);
  auto service = services_->catalog->Find(hebron, "street-light-report");
  const workflow::Workflow wf = workflow::DefaultWorkflow(*resources_->catalog);
  std::vector<cases::Case> made;
  for (int i = 0; i < 3; ++i) {
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 500 + i;
    in.answers = {{"location", {"دوار ابن رشد"}},
                  {"problem", {"not_working"}},
                  {"description", {"الإنارة مطفأة"}}};
    auto c = services_->cases->SubmitAnswers(in, {500 + i, "r", {"resident"}, "api", "r"}, *service,
                                             wf, {}, "HEB", NowMs());
    ASSERT_TRUE(c.ok()) << c.error().detail;
    made.push_back(*c);
  }
  Browser browser(server_->port());
  browser.SetCookie("sid", *services_->sessions->Create(head, true, true, NowMs()));
  std::string queue = browser.Get("/m/hebron/queue");
  ASSERT_NE(queue.find("action=\"/m/hebron/queue/assign\""), std::string::npos);
  EXPECT_NE(queue.find("(eng.clerk)"), std::string::npos);
  // The third case is changed by someone else after the page was shown.
  ASSERT_TRUE(
      services_->cases
          ->AddNote(made[2].id, made[2].version, "ملاحظة", {1, "x", {}, "web", "r"}, NowMs())
          .ok());
  std::string res =
      browser.Post("/m/hebron/queue/assign",
                   {{"assignee", std::to_string(clerk)},
                    {"case", made[0].tracking + ":" + std::to_string(made[0].version)},
                    {"case", made[1].tracking + ":" + std::to_string(made[1].version)},
                    {"case", made[2].tracking + ":" + std::to_string(made[2].version)}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(RawClient::Header(res, "location"), "/m/hebron/queue?assigned=2&conflicts=1");
  EXPECT_EQ(services_->cases->Get(made[0].id)->assigned_to, clerk);
  EXPECT_EQ(services_->cases->Get(made[1].id)->assigned_to, clerk);
  EXPECT_EQ(services_->cases->Get(made[2].id)->assigned_to, 0);
  // A clerk cannot assign.
  Browser other(server_->port());
  other.SetCookie("sid", *services_->sessions->Create(clerk, true, true, NowMs()));
  other.Get("/m/hebron/queue");
  EXPECT_EQ(RawClient::Status(
                other.Post("/m/hebron/queue/assign", {{"assignee", std::to_string(clerk)}})),
            403);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

// An API token works only on the API, and only while its account still holds its grant.
TEST_F(IdentityWebTest, ApiTokensStayOnTheApiAndFollowTheirGrant) {
  catalog::TenancyStore tenancy(*services_->db);
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  identity::StaffInput in;
  in.username = "api.clerk";
  in.full_name_ar = "موظف";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kClerk, hebron, 0}};
  auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
  ASSERT_TRUE(id.ok());
  auto token = services_->api_tokens->Issue(*id, in.grants[0], "test", {"t", "t", hebron}, NowMs());
  ASSERT_TRUE(token.ok());
  const std::string auth = "Authorization: Bearer " + *token + "\r\n";
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(server_->port(), "/api/v1/municipalities/hebron/cases", auth)),
            200);
  // Not a key to account pages: there it is as if nobody signed in.
  EXPECT_EQ(RawClient::Status(RawClient::Get(server_->port(), "/account/export", auth)), 303);
  // The grant taken away, the token stops working.
  ASSERT_TRUE(
      services_->accounts
          ->SetGrants(*id, {{identity::Role::kAuditor, hebron, 0}}, {"t", "t", hebron}, NowMs())
          .ok());
  EXPECT_EQ(RawClient::Status(
                RawClient::Get(server_->port(), "/api/v1/municipalities/hebron/cases", auth)),
            401);
}

}  // namespace
}  // namespace baladiya::app
