// ApiTokenStore (identity.h): tokens for staff systems and integrators.
#include "audit/audit.h"
#include "identity/identity.h"
#include "platform/crypto/crypto.h"

namespace baladiya::identity {
namespace {

constexpr char kPrefix[] = "bt_";

std::string HashOf(std::string_view token) { return crypto::Sha256Hex(token); }

Status AuditToken(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx, const char* action,
                  int64_t token_id, int64_t municipality_id, const std::string& details,
                  int64_t now_ms) {
  return AuditChange(log, tx, ctx, action, "api-token:" + std::to_string(token_id), municipality_id,
                     details, now_ms);
}

}  // namespace

Result<std::string> ApiTokenStore::Issue(int64_t account_id, const Grant& grant,
                                         const std::string& label, const AuditContext& ctx,
                                         int64_t now_ms, std::chrono::hours lifetime) {
  if (lifetime < std::chrono::hours(24) || lifetime > std::chrono::hours(24 * 366)) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "token lifetime out of range");
  }
  const int64_t expires_at =
      now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime).count();
  auto account = accounts_.Get(account_id, false);
  if (!account.ok()) return std::move(account).error();
  if (account->kind != AccountKind::kStaff || account->status != AccountStatus::kActive)
    return MakeError(ErrorCode::kForbidden, "api.forbidden", "tokens are for active staff");
  auto grants = accounts_.Grants(account_id);
  if (!grants.ok()) return std::move(grants).error();
  bool held = false;
  for (const auto& g : *grants) {
    held = held || (g.role == grant.role && g.municipality_id == grant.municipality_id &&
                    g.department_id == grant.department_id);
  }
  if (!held) return MakeError(ErrorCode::kForbidden, "api.forbidden", "grant not held");
  if (label.size() > 100) return MakeError(ErrorCode::kInvalid, "error.invalid", "label too long");
  const std::string token = kPrefix + crypto::RandomToken(32);
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto id = tx.Query(
        "INSERT INTO api_tokens (token_hash, account_id, municipality_id, role, department_id, "
        "label, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {HashOf(token), account_id, grant.municipality_id, std::string(RoleName(grant.role)),
         grant.department_id, label, now_ms, expires_at});
    if (!id.ok()) return std::move(id).error();
    return AuditToken(audit_, tx, ctx, "api_token.issued", (*id)[0].Int(0), grant.municipality_id,
                      std::string("role=") + std::string(RoleName(grant.role)) +
                          ";expires_at=" + std::to_string(expires_at),
                      now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return token;
}

Result<Principal> ApiTokenStore::Resolve(std::string_view token, int64_t now_ms) {
  if (token.size() < 10 || token.substr(0, 3) != kPrefix) {
    return MakeError(ErrorCode::kNotFound, "error.not_found");
  }
  // The token is only as good as the grant its account still holds: a token whose grant was
  // taken away matches no row.
  auto rows = db_.Query(
      "SELECT t.id, t.account_id, t.municipality_id, t.role, t.department_id, t.last_used_at "
      "FROM api_tokens t WHERE t.token_hash = ? AND t.revoked_at = 0 AND t.expires_at > ? AND "
      "EXISTS (SELECT 1 FROM account_grants g WHERE g.account_id = t.account_id AND "
      "g.role = t.role AND g.municipality_id = t.municipality_id AND "
      "g.department_id = t.department_id)",
      {HashOf(token), now_ms});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  const db::Row& r = (*rows)[0];
  auto role = ParseRole(r.Text(3));
  if (!role) return MakeError(ErrorCode::kNotFound, "error.not_found");
  const Grant grant{*role, r.Int(2), r.Int(4)};
  auto account = accounts_.Get(r.Int(1), false);
  if (!account.ok() || account->status != AccountStatus::kActive)
    return MakeError(ErrorCode::kNotFound, "error.not_found");
  // Last use is kept to the minute, so a busy integration does not write on every request.
  if (now_ms - r.Int(5) > 60'000) {
    (void)db_.Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {now_ms, r.Int(0)});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
  }
  Principal p;
  p.account_id = account->id;
  p.pseudonym = account->pseudonym;
  p.staff = true;
  p.mfa_satisfied = true;
  p.grants = {grant};
  return p;
}

Status ApiTokenStore::Revoke(int64_t token_id, const AuditContext& ctx, int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto r = tx.Query(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at = 0 RETURNING "
        "municipality_id",
        {now_ms, token_id});
    if (!r.ok()) return std::move(r).error();
    if (r->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    return AuditToken(audit_, tx, ctx, "api_token.revoked", token_id, (*r)[0].Int(0), "", now_ms);
  });
}

Result<std::vector<ApiToken>> ApiTokenStore::OfMunicipality(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT id, account_id, municipality_id, role, department_id, label, created_at, "
      "last_used_at, revoked_at, expires_at FROM api_tokens WHERE municipality_id = ? ORDER BY id",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<ApiToken> out;
  for (const auto& r : *rows) {
    ApiToken t;
    t.id = r.Int(0);
    t.account_id = r.Int(1);
    t.grant = {ParseRole(r.Text(3)).value_or(Role::kResident), r.Int(2), r.Int(4)};
    t.label = r.Text(5);
    t.created_at = r.Int(6);
    t.last_used_at = r.Int(7);
    t.revoked_at = r.Int(8);
    t.expires_at = r.Int(9);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace baladiya::identity
