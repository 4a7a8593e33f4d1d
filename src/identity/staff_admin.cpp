#include "identity/staff_admin.h"

#include "identity/identity_internal.h"

namespace baladiya::identity {

Status ResetStaffSecondFactor(db::Database& db, audit::AuditLog* log, int64_t account_id,
                              const AuditContext& ctx, int64_t now_ms) {
  return db.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query("SELECT pseudonym, kind, status, totp_enabled FROM accounts WHERE id = ?",
                         {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty() || (*rows)[0].Text(2) == "closed") {
      return MakeError(ErrorCode::kNotFound, "error.not_found");
    }
    const db::Row& r = (*rows)[0];
    if (r.Text(1) != "staff") {
      return MakeError(ErrorCode::kInvalid, "identity.totp.staff_only",
                       "residents manage their own");
    }
    auto upd = tx.Exec(
        "UPDATE accounts SET totp_enabled = 0, totp_secret_enc = NULL, totp_enabled_at = NULL, "
        "mfa_failures = 0, mfa_blocked_until = 0, updated_at = ? WHERE id = ?",
        {now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    for (const char* sql : {"DELETE FROM account_recovery_codes WHERE account_id = ?",
                            "DELETE FROM sessions WHERE account_id = ?"}) {
      auto del = tx.Exec(sql, {account_id});
      if (!del.ok()) return std::move(del).error();
    }
    return internal::AuditChanges(log, tx, ctx, "account.totp_reset", r.Text(0),
                                  ctx.municipality_id, "", now_ms, "system",
                                  {{"second_factor", r.Int(3) ? "enrolled" : "none", "none"}});
  });
}

Result<int64_t> EndStaffSessions(db::Database& db, audit::AuditLog* log, int64_t account_id,
                                 const AuditContext& ctx, int64_t now_ms) {
  int64_t ended = 0;
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query("SELECT pseudonym, kind, status FROM accounts WHERE id = ?", {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty() || (*rows)[0].Text(2) == "closed") {
      return MakeError(ErrorCode::kNotFound, "error.not_found");
    }
    if ((*rows)[0].Text(1) != "staff") {
      return MakeError(ErrorCode::kInvalid, "identity.totp.staff_only", "staff accounts only");
    }
    auto del = tx.Exec("DELETE FROM sessions WHERE account_id = ?", {account_id});
    if (!del.ok()) return std::move(del).error();
    ended = *del;
    return AuditChange(log, tx, ctx, "session.ended_by_admin", (*rows)[0].Text(0),
                       ctx.municipality_id, "sessions=" + std::to_string(ended), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return ended;
}

}  // namespace baladiya::identity
