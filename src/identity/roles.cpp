// Roles, permissions and the one permission check (identity.h). The role table below is the whole
// access policy: a permission not listed for a role is denied.
#include <algorithm>

#include "identity/identity.h"

namespace baladiya::identity {
namespace {

struct RoleInfo {
  Role role;
  std::string_view name;
  std::vector<Permission> permissions;
};

// Deny by default: each role holds exactly these permissions, within its grant's scope.
const std::vector<RoleInfo>& RoleTable() {
  using P = Permission;
  static const std::vector<RoleInfo> table = {
      {Role::kResident, "resident", {P::kOwnAccount}},
      {Role::kPlatformAdmin,
       "platform-admin",
       {P::kOwnAccount, P::kAdministerPlatform, P::kManageStaff}},
      {Role::kMunicipalAdmin,
       "municipal-admin",
       {P::kOwnAccount, P::kManageStaff, P::kManageCatalog, P::kRunParticipation}},
      {Role::kDepartmentHead,
       "department-head",
       {P::kOwnAccount, P::kWorkCases, P::kManageDepartment, P::kUnmaskPersonalData}},
      {Role::kClerk, "clerk", {P::kOwnAccount, P::kWorkCases, P::kUnmaskPersonalData}},
      {Role::kCounterClerk,
       "counter-clerk",
       {P::kOwnAccount, P::kFileOnBehalf, P::kUnmaskPersonalData}},
      {Role::kAuditor, "auditor", {P::kOwnAccount, P::kReadAuditLog}},
      {Role::kMinistryObserver,
       "ministry-observer",
       {P::kOwnAccount, P::kReadAcrossMunicipalities}},
      {Role::kCashier, "cashier", {P::kOwnAccount, P::kTakePayments}},
      {Role::kParticipationOfficer,
       "participation-officer",
       {P::kOwnAccount, P::kRunParticipation}},
  };
  return table;
}

const RoleInfo* Info(Role role) {
  for (const auto& info : RoleTable()) {
    if (info.role == role) return &info;
  }
  return nullptr;
}

bool RoleHolds(Role role, Permission p) {
  const RoleInfo* info = Info(role);
  if (info == nullptr) return false;
  return std::find(info->permissions.begin(), info->permissions.end(), p) !=
         info->permissions.end();
}

// Whether grant g covers an object in (municipality_id, department_id) for permission p
// (which g's role holds).
bool InScope(const Grant& g, Permission p, int64_t municipality_id, int64_t department_id) {
  if (g.role == Role::kResident) return false;
  if (IsPlatformRole(g.role)) return g.municipality_id == 0 && g.department_id == 0;
  if (g.municipality_id == 0 || g.municipality_id != municipality_id) return false;
  if (IsDepartmentLevel(p) && g.department_id != 0) return g.department_id == department_id;
  return true;
}

}  // namespace

std::string_view RoleName(Role role) {
  const RoleInfo* info = Info(role);
  return info == nullptr ? std::string_view("unknown") : info->name;
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& info : RoleTable()) {
    if (info.name == name) return info.role;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> roles = [] {
    std::vector<Role> out;
    for (const auto& info : RoleTable()) out.push_back(info.role);
    return out;
  }();
  return roles;
}

std::string_view PermissionName(Permission p) {
  switch (p) {
    case Permission::kOwnAccount:
      return "own-account";
    case Permission::kFileOnBehalf:
      return "file-on-behalf";
    case Permission::kWorkCases:
      return "work-cases";
    case Permission::kManageDepartment:
      return "manage-department";
    case Permission::kManageStaff:
      return "manage-staff";
    case Permission::kManageCatalog:
      return "manage-catalog";
    case Permission::kUnmaskPersonalData:
      return "unmask-personal-data";
    case Permission::kReadAuditLog:
      return "read-audit-log";
    case Permission::kReadAcrossMunicipalities:
      return "read-across-municipalities";
    case Permission::kAdministerPlatform:
      return "administer-platform";
    case Permission::kTakePayments:
      return "take-payments";
    case Permission::kRunParticipation:
      return "run-participation";
  }
  return "unknown";
}

const std::vector<Permission>& AllPermissions() {
  using P = Permission;
  static const std::vector<Permission> all = {
      P::kOwnAccount,         P::kFileOnBehalf, P::kWorkCases,
      P::kManageDepartment,   P::kManageStaff,  P::kManageCatalog,
      P::kUnmaskPersonalData, P::kReadAuditLog, P::kReadAcrossMunicipalities,
      P::kAdministerPlatform, P::kTakePayments, P::kRunParticipation,
  };
  return all;
}

bool IsDepartmentLevel(Permission p) {
  return p == Permission::kWorkCases || p == Permission::kManageDepartment ||
         p == Permission::kUnmaskPersonalData;
}

bool IsPlatformRole(Role role) {
  return role == Role::kPlatformAdmin || role == Role::kMinistryObserver;
}

bool Allowed(const Principal& who, Permission what, int64_t municipality_id,
             int64_t department_id) {
  if (who.anonymous()) return false;
  if (what == Permission::kOwnAccount) return true;
  if (who.staff && !who.mfa_satisfied) return false;
  if (!who.staff) return false;  // residents hold nothing but their own account
  for (const Grant& g : who.grants) {
    if (RoleHolds(g.role, what) && InScope(g, what, municipality_id, department_id)) return true;
  }
  return false;
}

bool MayGrant(const Principal& who, const Grant& g) {
  if (g.role == Role::kResident) return false;
  if (IsPlatformRole(g.role)) {
    if (who.anonymous() || !who.staff || !who.mfa_satisfied) return false;
    return std::any_of(who.grants.begin(), who.grants.end(), [](const Grant& mine) {
      return mine.role == Role::kPlatformAdmin && mine.municipality_id == 0;
    });
  }
  if (g.municipality_id == 0) return false;
  return Allowed(who, Permission::kManageStaff, g.municipality_id);
}

}  // namespace baladiya::identity

namespace baladiya::identity {

bool AllowedSomewhere(const Principal& who, Permission what, int64_t municipality_id) {
  if (Allowed(who, what, municipality_id)) return true;
  if (!IsDepartmentLevel(what)) return false;
  for (const Grant& g : who.grants) {
    if (g.department_id != 0 && (g.municipality_id == municipality_id) &&
        Allowed(who, what, municipality_id, g.department_id)) {
      return true;
    }
  }
  return false;
}

}  // namespace baladiya::identity
