// The access policy, written out as a table independent of the code: every role x every
// permission, on objects of the grant's own municipality, of a foreign one and of the platform.
#include <gtest/gtest.h>

#include <set>

#include "identity/identity.h"

namespace baladiya::identity {
namespace {

using P = Permission;

constexpr int64_t kOwn = 1;       // the municipality of the test grants
constexpr int64_t kForeign = 2;   // another municipality
constexpr int64_t kPlatform = 0;  // platform-wide objects

// A signed-in principal holding one role: municipal roles granted in kOwn, platform roles at 0.
Principal Holder(Role role, bool mfa = true, int64_t department = 0) {
  Principal p;
  p.account_id = 7;
  p.pseudonym = "p7";
  if (role == Role::kResident) return p;
  p.staff = true;
  p.mfa_satisfied = mfa;
  const bool platform = role == Role::kPlatformAdmin || role == Role::kMinistryObserver;
  p.grants.push_back(Grant{role, platform ? 0 : kOwn, department});
  return p;
}

// Expected permissions per role on objects of the own municipality, a foreign one and the
// platform. Everything not listed is denied.
struct Expectation {
  Role role;
  std::set<P> own;
  std::set<P> foreign;
  std::set<P> platform;
};

const std::vector<Expectation>& Policy() {
  static const std::vector<Expectation> policy = {
      {Role::kResident, {P::kOwnAccount}, {P::kOwnAccount}, {P::kOwnAccount}},
      {Role::kPlatformAdmin,
       {P::kOwnAccount, P::kAdministerPlatform, P::kManageStaff},
       {P::kOwnAccount, P::kAdministerPlatform, P::kManageStaff},
       {P::kOwnAccount, P::kAdministerPlatform, P::kManageStaff}},
      {Role::kMunicipalAdmin,
       {P::kOwnAccount, P::kManageStaff, P::kManageCatalog, P::kRunParticipation},
       {P::kOwnAccount},
       {P::kOwnAccount}},
      {Role::kDepartmentHead,
       {P::kOwnAccount, P::kWorkCases, P::kManageDepartment, P::kUnmaskPersonalData},
       {P::kOwnAccount},
       {P::kOwnAccount}},
      {Role::kClerk,
       {P::kOwnAccount, P::kWorkCases, P::kUnmaskPersonalData},
       {P::kOwnAccount},
       {P::kOwnAccount}},
      {Role::kCounterClerk,
       {P::kOwnAccount, P::kFileOnBehalf, P::kUnmaskPersonalData},
       {P::kOwnAccount},
       {P::kOwnAccount}},
      {Role::kAuditor, {P::kOwnAccount, P::kReadAuditLog}, {P::kOwnAccount}, {P::kOwnAccount}},
      {Role::kMinistryObserver,
       {P::kOwnAccount, P::kReadAcrossMunicipalities},
       {P::kOwnAccount, P::kReadAcrossMunicipalities},
       {P::kOwnAccount, P::kReadAcrossMunicipalities}},
      {Role::kCashier, {P::kOwnAccount, P::kTakePayments}, {P::kOwnAccount}, {P::kOwnAccount}},
      {Role::kParticipationOfficer,
       {P::kOwnAccount, P::kRunParticipation},
       {P::kOwnAccount},
       {P::kOwnAccount}},
  };
  return policy;
}

TEST(Roles, TableCoversEveryRoleAndEveryPermission) {
  ASSERT_EQ(AllRoles().size(), 10u);
  ASSERT_EQ(AllPermissions().size(), 12u);
  ASSERT_EQ(Policy().size(), AllRoles().size());
  for (size_t i = 0; i < AllRoles().size(); ++i) EXPECT_EQ(Policy()[i].role, AllRoles()[i]);
}

TEST(Roles, EveryRoleTimesEveryPermissionInOwnForeignAndPlatformScope) {
  int checked = 0;
  for (const Expectation& e : Policy()) {
    const Principal who = Holder(e.role);
    for (Permission p : AllPermissions()) {
      const struct {
        int64_t municipality;
        const std::set<P>& expected;
        const char* scope;
      } scopes[] = {{kOwn, e.own, "own"},
                    {kForeign, e.foreign, "foreign"},
                    {kPlatform, e.platform, "platform"}};
      for (const auto& s : scopes) {
        EXPECT_EQ(Allowed(who, p, s.municipality), s.expected.count(p) == 1)
            << RoleName(e.role) << " " << PermissionName(p) << " " << s.scope;
        // The department of the object changes nothing for a municipality-wide grant.
        EXPECT_EQ(Allowed(who, p, s.municipality, 9), s.expected.count(p) == 1)
            << RoleName(e.role) << " " << PermissionName(p) << " " << s.scope << " dept 9";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 10 * 12 * 3);
}

TEST(Roles, StaffWithoutMfaHoldOnlyTheirOwnAccount) {
  for (Role role : AllRoles()) {
    if (role == Role::kResident) continue;
    const Principal who = Holder(role, /*mfa=*/false);
    for (Permission p : AllPermissions()) {
      for (int64_t m : {kOwn, kForeign, kPlatform}) {
        EXPECT_EQ(Allowed(who, p, m), p == P::kOwnAccount)
            << RoleName(role) << " " << PermissionName(p) << " " << m;
      }
    }
  }
}

TEST(Roles, AnonymousHoldsNothing) {
  Principal nobody;
  nobody.grants.push_back(Grant{Role::kPlatformAdmin, 0, 0});  // ignored: not signed in
  nobody.staff = true;
  nobody.mfa_satisfied = true;
  for (Permission p : AllPermissions()) {
    for (int64_t m : {kOwn, kForeign, kPlatform}) EXPECT_FALSE(Allowed(nobody, p, m));
  }
}

TEST(Roles, MinistryObserverNeverWrites) {
  const Principal who = Holder(Role::kMinistryObserver);
  for (P write : {P::kFileOnBehalf, P::kWorkCases, P::kManageDepartment, P::kManageStaff,
                  P::kManageCatalog, P::kUnmaskPersonalData, P::kAdministerPlatform}) {
    for (int64_t m : {kOwn, kForeign, kPlatform}) EXPECT_FALSE(Allowed(who, write, m));
  }
}

TEST(Roles, ResidentsHoldNothingEvenWithAStrayGrant) {
  Principal resident = Holder(Role::kResident);
  resident.grants.push_back(Grant{Role::kMunicipalAdmin, kOwn, 0});
  resident.mfa_satisfied = true;
  for (Permission p : AllPermissions()) EXPECT_EQ(Allowed(resident, p, kOwn), p == P::kOwnAccount);
}

// (role, grant department, permission, object municipality, object department) -> expected.
TEST(Roles, DepartmentScopedGrants) {
  struct Case {
    Role role;
    int64_t grant_department;
    Permission p;
    int64_t municipality;
    int64_t department;
    bool expected;
  } cases[] = {
      {Role::kClerk, 5, P::kWorkCases, kOwn, 5, true},
      {Role::kClerk, 5, P::kWorkCases, kOwn, 6, false},
      {Role::kClerk, 5, P::kWorkCases, kOwn, 0, false},  // the whole municipality's queue
      {Role::kClerk, 5, P::kWorkCases, kForeign, 5, false},
      {Role::kClerk, 5, P::kUnmaskPersonalData, kOwn, 5, true},
      {Role::kClerk, 5, P::kUnmaskPersonalData, kOwn, 6, false},
      {Role::kClerk, 0, P::kWorkCases, kOwn, 6, true},
      {Role::kDepartmentHead, 5, P::kManageDepartment, kOwn, 5, true},
      {Role::kDepartmentHead, 5, P::kManageDepartment, kOwn, 6, false},
      {Role::kDepartmentHead, 5, P::kWorkCases, kOwn, 6, false},
      {Role::kDepartmentHead, 5, P::kManageDepartment, kForeign, 5, false},
      {Role::kDepartmentHead, 0, P::kManageDepartment, kOwn, 6, true},
      // Municipality-level permissions of a department-scoped grant cover the municipality.
      {Role::kCounterClerk, 5, P::kFileOnBehalf, kOwn, 6, true},
      {Role::kCounterClerk, 5, P::kFileOnBehalf, kOwn, 0, true},
      {Role::kCounterClerk, 5, P::kFileOnBehalf, kForeign, 5, false},
      {Role::kCounterClerk, 5, P::kUnmaskPersonalData, kOwn, 6, false},
      {Role::kCounterClerk, 5, P::kWorkCases, kOwn, 5, false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Allowed(Holder(c.role, true, c.grant_department), c.p, c.municipality, c.department),
              c.expected)
        << RoleName(c.role) << "@" << c.grant_department << " " << PermissionName(c.p) << " "
        << c.municipality << "/" << c.department;
  }
}

TEST(Roles, GrantsCombineAndMisscopedGrantsGiveNothing) {
  Principal who = Holder(Role::kClerk, true, 5);
  who.grants.push_back(Grant{Role::kAuditor, kOwn, 0});
  EXPECT_TRUE(Allowed(who, P::kWorkCases, kOwn, 5));
  EXPECT_TRUE(Allowed(who, P::kReadAuditLog, kOwn));
  EXPECT_FALSE(Allowed(who, P::kReadAuditLog, kForeign));

  Principal bad = Holder(Role::kResident);
  bad.staff = true;
  bad.mfa_satisfied = true;
  bad.grants = {Grant{Role::kMunicipalAdmin, 0, 0},     // municipal role without municipality
                Grant{Role::kPlatformAdmin, kOwn, 0},   // platform role inside a municipality
                Grant{Role::kMinistryObserver, 0, 3}};  // platform role with a department
  for (Permission p : AllPermissions()) {
    for (int64_t m : {kOwn, kForeign, kPlatform}) {
      EXPECT_EQ(Allowed(bad, p, m), p == P::kOwnAccount) << PermissionName(p) << " " << m;
    }
  }
}

TEST(Roles, MayGrantNeverHandsOutMoreThanOneAdministers) {
  const Principal platform_admin = Holder(Role::kPlatformAdmin);
  const Principal municipal_admin = Holder(Role::kMunicipalAdmin);
  const Principal clerk = Holder(Role::kClerk);
  EXPECT_TRUE(MayGrant(platform_admin, {Role::kMinistryObserver, 0, 0}));
  EXPECT_TRUE(MayGrant(platform_admin, {Role::kPlatformAdmin, 0, 0}));
  EXPECT_TRUE(MayGrant(platform_admin, {Role::kMunicipalAdmin, kForeign, 0}));
  EXPECT_FALSE(MayGrant(platform_admin, {Role::kResident, 0, 0}));
  EXPECT_TRUE(MayGrant(municipal_admin, {Role::kClerk, kOwn, 4}));
  EXPECT_TRUE(MayGrant(municipal_admin, {Role::kMunicipalAdmin, kOwn, 0}));
  EXPECT_FALSE(MayGrant(municipal_admin, {Role::kClerk, kForeign, 4}));
  EXPECT_FALSE(MayGrant(municipal_admin, {Role::kPlatformAdmin, 0, 0}));
  EXPECT_FALSE(MayGrant(municipal_admin, {Role::kMinistryObserver, 0, 0}));
  EXPECT_FALSE(MayGrant(municipal_admin, {Role::kClerk, 0, 0}));
  EXPECT_FALSE(MayGrant(clerk, {Role::kClerk, kOwn, 0}));
  EXPECT_FALSE(MayGrant(Holder(Role::kMunicipalAdmin, /*mfa=*/false), {Role::kClerk, kOwn, 0}));
  EXPECT_FALSE(MayGrant(Holder(Role::kPlatformAdmin, /*mfa=*/false), {Role::kPlatformAdmin, 0, 0}));
}

TEST(Roles, NamesRoundTrip) {
  std::set<std::string_view> names;
  for (Role role : AllRoles()) {
    auto parsed = ParseRole(RoleName(role));
    ASSERT_TRUE(parsed.has_value()) << RoleName(role);
    EXPECT_EQ(*parsed, role);
    names.insert(RoleName(role));
  }
  EXPECT_EQ(names.size(), AllRoles().size());
  EXPECT_EQ(RoleName(Role::kMunicipalAdmin), "municipal-admin");
  EXPECT_FALSE(ParseRole("Municipal-Admin").has_value());
  EXPECT_FALSE(ParseRole("").has_value());
  std::set<std::string_view> permission_names;
  for (Permission p : AllPermissions()) permission_names.insert(PermissionName(p));
  EXPECT_EQ(permission_names.size(), AllPermissions().size());
}

TEST(Mask, KeepsOnlyTheEnds) {
  EXPECT_EQ(Mask("912345123"), "9*****123");
  EXPECT_EQ(Mask("+970599123567"), "+97059****567");
  EXPECT_EQ(Mask("ali@example.org"), "a***@example.org");
  EXPECT_EQ(Mask("@example.org"), "***@example.org");
  EXPECT_EQ(Mask("1990-05-12"), "1******-12");
  EXPECT_EQ(Mask("1234"), "****");
  EXPECT_EQ(Mask(""), "");
  EXPECT_EQ(Mask("سعيد@مثال.فلسطين"), "س***@مثال.فلسطين");
  EXPECT_EQ(Mask(std::string("\xff\xfe\xfd", 3)), "***");
}

}  // namespace
}  // namespace baladiya::identity
