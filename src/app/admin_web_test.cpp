// The back-office pages that join modules (app/admin_pages.cpp: staff and roles, residents at the
// counter, the audit log) and the rules of every route of every module, on the whole platform
// (app_fixture.h): what only the assembled program can show.
#include "app/app_fixture.h"
#include "audit/testing.h"

namespace baladiya::app {
namespace {

using http::testing::RawClient;
using testing::Browser;

constexpr char kPassword[] = "olive-harvest-season";

std::string FormBody(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return body;
}

class AdminWebTest : public testing::AppTest {
 protected:
  int64_t Hebron() {
    catalog::TenancyStore tenancy(*services_->db);
    return tenancy.FindMunicipality("hebron")->id;
  }

  // A staff account with a second factor already set up; returns its id.
  int64_t Staff(const std::string& username, identity::Grant grant) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = kPassword;
    in.municipality_id = grant.municipality_id;
    in.grants = {grant};
    auto id = services_->accounts->CreateStaff(in, *services_->hasher, {"t", "t", 0}, NowMs());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    EXPECT_TRUE(services_->accounts
                    ->EnableTotp(*id, identity::Totp::NewSecret(), identity::NewRecoveryCodes(),
                                 {"t", "t", 0}, NowMs())
                    .ok());
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
    return audit::testing::Count(*services_->audit, action);
  }
};

// A staff session without its second factor reaches none of the back-office pages (identity's
// own pages: src/identity/pages_web_test.cpp).
TEST_F(AdminWebTest, APasswordOnlyStaffSessionReachesNoBackOfficePage) {
  identity::StaffInput in;
  in.username = "hebron.admin2";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  in.municipality_id = Hebron();
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
  for (const char* path : {"/m/hebron/staff", "/m/hebron/residents"}) {
    std::string res = RawClient::Get(server_->port(), path, cookie);
    EXPECT_EQ(RawClient::Status(res), 303) << path;
    EXPECT_EQ(RawClient::Header(res, "location").rfind("/login/totp", 0), 0u) << path;
  }
}

TEST_F(AdminWebTest, CounterClerkSeesResidentsMaskedAndUnmaskingIsAudited) {
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
  int64_t before = audit::testing::CountAll(*services_->audit);
  std::string form = "csrf=" + m[1].str() + "&q=401234562&field=national_id";
  RawClient post(server_->port());
  post.Send("POST /m/hebron/residents/unmask HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
            cookie + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
            std::to_string(form.size()) + "\r\n\r\n" + form);
  std::string shown = post.ReadResponse();
  EXPECT_EQ(RawClient::Status(shown), 200);
  EXPECT_NE(shown.find("401234562"), std::string::npos);
  EXPECT_EQ(shown.find("+970599123456"), std::string::npos);  // only the field asked for
  EXPECT_EQ(audit::testing::CountAll(*services_->audit), before + 1);
  EXPECT_EQ(audit::testing::LatestAction(*services_->audit), "account.unmask");
  // Another municipality's counter is not this clerk's.
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(server_->port(), "/m/nablus/residents?q=401234562", cookie)),
      403);
}

TEST_F(AdminWebTest, EveryRouteHasARuleAndAnonymousVisitorsAreSentToLogIn) {
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
TEST_F(AdminWebTest, EveryRouteWithEveryRoleGetsTheRightAnswer) {
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

TEST_F(AdminWebTest, MunicipalAdminAddsAndDisablesStaffAndAuditorReadsTheLog) {
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

// Finding (issue 12): one resident added ~825 access.denied entries per second to any
// municipality's log.
TEST_F(AdminWebTest, RefusalsAreAggregatedInTheAuditLog) {
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

// Finding (issue 12): the unmask route needed only the unmask permission and searched every
// resident before checking scope; counter lookups were neither audited nor limited (1,000 in 1.6
// s).
TEST_F(AdminWebTest, CounterLookupsAreScopedAuditedAndLimited) {
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

// What the app joins: the editor's services list links Open311's key pages, and the account page
// links the resident's applications and inbox (pages of modules above identity).
TEST_F(AdminWebTest, PagesOfModulesThatDoNotKnowEachOtherAreLinked) {
  int64_t admin = Staff("hebron.boss", {identity::Role::kMunicipalAdmin, Hebron(), 0});
  std::string services =
      RawClient::Get(server_->port(), "/m/hebron/admin/services?lang=en", SignedIn(admin, true));
  ASSERT_EQ(RawClient::Status(services), 200) << services;
  EXPECT_NE(services.find("href=\"/m/hebron/admin/open311-keys\">Open311 API keys</a>"),
            std::string::npos)
      << services;
  EXPECT_NE(services.find("href=\"/m/hebron/admin/xroad\">X-Road services and access rights</a>"),
            std::string::npos);
  Browser resident(server_->port());
  Register(resident, "401234562", "0599123456");
  std::string account = resident.Get("/account?lang=en");
  EXPECT_NE(account.find("<a href=\"/account/cases\">My applications</a>"), std::string::npos)
      << account;
  EXPECT_NE(account.find("<a href=\"/account/notifications\">"), std::string::npos) << account;
  EXPECT_LT(account.find("/account/cases"), account.find("/account/notifications"));
}

}  // namespace
}  // namespace baladiya::app
