// participation's organisations (participation.h): registration by a resident who becomes its
// first administrator, members added by national ID (one row per person and organisation, the
// UNIQUE constraint), verification by the officer after the documents were checked at the counter,
// and the name a member's text is shown under.
#include <map>

#include "identity/credentials.h"
#include "identity/identity.h"
#include "participation/participation.h"
#include "participation/store_internal.h"
#include "platform/crypto/crypto.h"

namespace baladiya::participation {
namespace {

using internal::Audit;
using internal::InvalidFields;

constexpr char kOrgColumns[] =
    "SELECT o.id, o.municipality_id, o.token, o.name, o.kind, o.registration_number, "
    "o.verified_at, o.created_at, (SELECT COUNT(*) FROM participation_org_members m WHERE "
    "m.organisation_id = o.id) FROM participation_organisations o ";

Organisation ReadOrg(const db::Row& r) {
  Organisation o;
  o.id = r.Int(0);
  o.municipality_id = r.Int(1);
  o.token = r.Text(2);
  o.name = r.Text(3);
  o.kind = ParseOrgKind(r.Text(4)).value_or(OrgKind::kNgo);
  o.registration_number = r.Text(5);
  o.verified_at = r.Int(6);
  o.created_at = r.Int(7);
  o.members = r.Int(8);
  return o;
}

// The display name of an account (Arabic first).
Result<std::string> NameOf(identity::AccountStore& accounts, int64_t account_id) {
  auto account = accounts.Get(account_id, false);
  if (!account.ok()) return std::move(account).error();
  return account->full_name_ar.empty() ? account->full_name_en : account->full_name_ar;
}

}  // namespace

std::string_view OrgKindName(OrgKind k) {
  switch (k) {
    case OrgKind::kBusiness:
      return "business";
    case OrgKind::kMedia:
      return "media";
    case OrgKind::kNgo:
      return "ngo";
    case OrgKind::kUniversity:
      return "university";
  }
  return "ngo";
}

const std::vector<OrgKind>& AllOrgKinds() {
  static const std::vector<OrgKind> kinds = {OrgKind::kBusiness, OrgKind::kMedia, OrgKind::kNgo,
                                             OrgKind::kUniversity};
  return kinds;
}

std::optional<OrgKind> ParseOrgKind(std::string_view name) {
  for (OrgKind k : AllOrgKinds()) {
    if (OrgKindName(k) == name) return k;
  }
  return std::nullopt;
}

Result<Organisation> Store::RegisterOrganisation(int64_t municipality_id,
                                                 const OrganisationInput& in, const Actor& who,
                                                 int64_t now_ms) {
  if (who.account_id <= 0) return MakeError(ErrorCode::kForbidden, "error.forbidden");
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(in.name, kMaxTitle); !s.ok()) bad["name"] = s.error().message_key;
  if (Status s = CheckText(in.registration_number, 40); !s.ok()) {
    bad["registration_number"] = s.error().message_key;
  }
  if (!bad.empty()) return InvalidFields(std::move(bad));
  auto member = NameOf(accounts_, who.account_id);
  if (!member.ok()) return std::move(member).error();
  Organisation o;
  o.municipality_id = municipality_id;
  o.token = crypto::RandomToken(8);
  o.name = in.name;
  o.kind = in.kind;
  o.registration_number = in.registration_number;
  o.created_at = now_ms;
  o.members = 1;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_organisations (municipality_id, token, name, kind, "
        "registration_number, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (municipality_id, "
        "name) DO NOTHING RETURNING id",
        {municipality_id, o.token, o.name, std::string(OrgKindName(o.kind)), o.registration_number,
         now_ms});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kConflict, "participation.org.exists");
    o.id = (*rows)[0].Int(0);
    auto n = tx.Exec(
        "INSERT INTO participation_org_members (organisation_id, account_id, name, admin, "
        "created_at) VALUES (?, ?, ?, 1, ?)",
        {o.id, who.account_id, *member, now_ms});
    if (!n.ok()) return std::move(n).error();
    return Audit(audit_, tx, who, municipality_id, "participation.org.register",
                 "organisation:" + o.token, std::string(OrgKindName(o.kind)), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return o;
}

Result<std::vector<Organisation>> Store::Organisations(int64_t municipality_id) {
  auto rows = db_.Query(std::string(kOrgColumns) + "WHERE o.municipality_id = ? ORDER BY o.name",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Organisation> out;
  for (const db::Row& r : *rows) out.push_back(ReadOrg(r));
  return out;
}

Result<Organisation> Store::GetOrganisation(int64_t municipality_id, std::string_view token) {
  auto rows = db_.Query(std::string(kOrgColumns) + "WHERE o.municipality_id = ? AND o.token = ?",
                        {municipality_id, std::string(token)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadOrg((*rows)[0]);
}

Result<std::vector<Organisation>> Store::OrganisationsOf(int64_t municipality_id,
                                                         int64_t account_id) {
  auto rows = db_.Query(std::string(kOrgColumns) +
                            "WHERE o.municipality_id = ? AND o.id IN (SELECT organisation_id FROM "
                            "participation_org_members WHERE account_id = ?) ORDER BY o.name",
                        {municipality_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Organisation> out;
  for (const db::Row& r : *rows) out.push_back(ReadOrg(r));
  return out;
}

Result<std::vector<OrgMember>> Store::Members(int64_t organisation_id) {
  auto rows = db_.Query(
      "SELECT account_id, name, admin FROM participation_org_members WHERE organisation_id = ? "
      "ORDER BY admin DESC, created_at, account_id",
      {organisation_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<OrgMember> out;
  for (const db::Row& r : *rows) out.push_back({r.Int(0), r.Text(1), r.Int(2) != 0});
  return out;
}

Status Store::AddMember(const Organisation& org, std::string_view national_id, const Actor& who,
                        int64_t now_ms) {
  auto admin = db_.Query(
      "SELECT 1 FROM participation_org_members WHERE organisation_id = ? AND account_id = ? AND "
      "admin = 1",
      {org.id, who.account_id});
  if (!admin.ok()) return std::move(admin).error();
  if (admin->empty()) return MakeError(ErrorCode::kForbidden, "participation.org.not_admin");
  auto id = identity::NormalizeNationalId(national_id);
  if (!id.ok()) return InvalidFields({{"national_id", id.error().message_key}});
  auto found = accounts_.FindForLogin(*id);
  if (!found.ok() && found.error().code != ErrorCode::kNotFound) return std::move(found).error();
  if (!found.ok() || found->kind != identity::AccountKind::kResident) {
    return InvalidFields({{"national_id", "participation.org.no_account"}});
  }
  auto name = NameOf(accounts_, found->account_id);
  if (!name.ok()) return std::move(name).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "INSERT INTO participation_org_members (organisation_id, account_id, name, admin, "
        "created_at) VALUES (?, ?, ?, 0, ?) ON CONFLICT (organisation_id, account_id) DO NOTHING",
        {org.id, found->account_id, *name, now_ms});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "participation.org.member_exists");
    return Audit(audit_, tx, who, org.municipality_id, "participation.org.member",
                 "organisation:" + org.token, "account=" + std::to_string(found->account_id),
                 now_ms);
  });
}

Status Store::VerifyOrganisation(const Organisation& org, std::string_view documents,
                                 const Actor& who, int64_t now_ms) {
  if (Status s = CheckText(documents, kMaxTitle); !s.ok()) {
    return InvalidFields({{"documents", s.error().message_key}});
  }
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_organisations SET verified_at = ?, verified_by = ?, documents = ? "
        "WHERE id = ? AND verified_at IS NULL",
        {now_ms, who.pseudonym, std::string(documents), org.id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "participation.org.already_verified");
    return Audit(audit_, tx, who, org.municipality_id, "participation.org.verify",
                 "organisation:" + org.token, std::string(documents), now_ms);
  });
}

Result<std::pair<std::string, int64_t>> Store::PostingAs(const Process& p, int64_t account_id,
                                                         const std::string& name,
                                                         std::string_view organisation) {
  if (organisation.empty()) return std::make_pair(name, int64_t{0});
  auto rows = db_.Query(
      "SELECT o.id, o.name FROM participation_organisations o JOIN participation_org_members m ON "
      "m.organisation_id = o.id WHERE o.token = ? AND o.municipality_id = ? AND m.account_id = ? "
      "AND o.verified_at IS NOT NULL",
      {std::string(organisation), p.municipality_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kForbidden, "participation.org.not_member");
  return std::make_pair((*rows)[0].Text(1) + " (" + name + ")", (*rows)[0].Int(0));
}

}  // namespace baladiya::participation
