// AccountStore (identity.h): grants, status, passwords, TOTP, recovery codes and password reset
// codes. Every change appends its audit entry in the same transaction.
#include <algorithm>
#include <set>
#include <tuple>

#include "identity/credentials.h"
#include "identity/identity_internal.h"

namespace baladiya::identity {
namespace internal {
namespace {

constexpr int64_t kResetCodeLifetimeMs = int64_t{10} * 60 * 1000;
constexpr int kResetCodeDigits = 8;
constexpr int kResetCodeMaxAttempts = 5;  // wrong guesses per account per window
constexpr int64_t kResetWindowMs = int64_t{24} * 60 * 60 * 1000;
// Used TOTP steps older than this many steps behind the newest are forgotten (a code is accepted
// for one step either side, so these can never be accepted again anyway).
constexpr int64_t kTotpStepsKept = 10;

bool MayHaveDepartment(Role role) {
  return role == Role::kDepartmentHead || role == Role::kClerk || role == Role::kCounterClerk;
}

std::string RandomDigits(int n) {
  std::string out;
  while (static_cast<int>(out.size()) < n) {
    // Rejection sampling keeps the digits uniform: bytes >= 250 are dropped.
    for (unsigned char b : crypto::RandomBytes(16)) {
      if (b < 250 && static_cast<int>(out.size()) < n) out += static_cast<char>('0' + b % 10);
    }
  }
  return out;
}

}  // namespace

std::string CheckGrants(const std::vector<Grant>& grants, int64_t home) {
  for (const Grant& g : grants) {
    if (g.role == Role::kResident || g.municipality_id < 0 || g.department_id < 0) {
      return "identity.grants.invalid";
    }
    if (IsPlatformRole(g.role)) {
      if (g.municipality_id != 0 || g.department_id != 0 || home != 0) {
        return "identity.grants.scope";
      }
    } else if (g.municipality_id == 0 || g.municipality_id != home ||
               (g.department_id != 0 && !MayHaveDepartment(g.role))) {
      return "identity.grants.scope";
    }
  }
  return "";
}

Status InsertGrants(db::Tx& tx, int64_t account_id, const std::vector<Grant>& grants) {
  std::set<std::tuple<std::string, int64_t, int64_t>> unique;
  for (const Grant& g : grants) {
    unique.emplace(std::string(RoleName(g.role)), g.municipality_id, g.department_id);
  }
  for (const auto& [role, municipality, department] : unique) {
    auto n = tx.Exec(
        "INSERT INTO account_grants (account_id, role, municipality_id, department_id) "
        "VALUES (?, ?, ?, ?)",
        {account_id, role, municipality, department});
    if (!n.ok()) return std::move(n).error();
  }
  return Ok();
}

std::string GrantsText(const std::vector<Grant>& grants) {
  std::string out;
  for (const Grant& g : grants) {
    if (!out.empty()) out += ',';
    out += std::string(RoleName(g.role)) + '@' + std::to_string(g.municipality_id) + '/' +
           std::to_string(g.department_id);
  }
  return out;
}

// The account's pseudonym, kind, status and home municipality inside tx; kNotFound when none.
struct AccountHead {
  std::string pseudonym;
  AccountKind kind = AccountKind::kResident;
  AccountStatus status = AccountStatus::kClosed;
  int64_t home = 0;
};
Result<AccountHead> Head(db::Tx& tx, int64_t account_id) {
  auto rows =
      tx.Query("SELECT pseudonym, kind, status, home_municipality_id FROM accounts WHERE id = ?",
               {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  const db::Row& r = (*rows)[0];
  return AccountHead{r.Text(0), ParseKind(r.Text(1)), ParseStatus(r.Text(2)), r.Int(3)};
}

}  // namespace internal

using internal::Head;

Result<std::vector<Grant>> AccountStore::Grants(int64_t account_id) {
  auto rows = impl_->db.Query(
      "SELECT role, municipality_id, department_id FROM account_grants WHERE account_id = ? "
      "ORDER BY municipality_id, department_id, role",
      {account_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Grant> out;
  for (const auto& r : *rows) {
    auto role = ParseRole(r.Text(0));
    if (!role) continue;  // a role this build does not know grants nothing
    out.push_back(Grant{*role, r.Int(1), r.Int(2)});
  }
  return out;
}

Status AccountStore::SetGrants(int64_t account_id, const std::vector<Grant>& grants,
                               const AuditContext& ctx, int64_t now_ms) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    if (head->status == AccountStatus::kClosed) return internal::Closed();
    if (head->kind != AccountKind::kStaff) {
      Error e =
          MakeError(ErrorCode::kInvalid, "identity.grants.resident", "residents hold no roles");
      e.fields["grants"] = e.message_key;
      return e;
    }
    if (std::string bad = internal::CheckGrants(grants, head->home); !bad.empty()) {
      Error e = MakeError(ErrorCode::kInvalid, bad, "grant outside the account's scope");
      e.fields["grants"] = bad;
      return e;
    }
    auto before = tx.Query(
        "SELECT role, municipality_id, department_id FROM account_grants WHERE account_id = ? "
        "ORDER BY municipality_id, department_id, role",
        {account_id});
    if (!before.ok()) return std::move(before).error();
    std::vector<Grant> old_grants;
    for (const auto& r : *before) {
      if (auto role = ParseRole(r.Text(0))) old_grants.push_back(Grant{*role, r.Int(1), r.Int(2)});
    }
    auto del = tx.Exec("DELETE FROM account_grants WHERE account_id = ?", {account_id});
    if (!del.ok()) return std::move(del).error();
    if (Status s = internal::InsertGrants(tx, account_id, grants); !s.ok()) return s;
    auto upd = tx.Exec("UPDATE accounts SET updated_at = ? WHERE id = ?", {now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    const std::string after = internal::GrantsText(grants);
    return internal::AuditChanges(impl_->audit, tx, ctx, "account.grants", head->pseudonym,
                                  ctx.municipality_id, "grants=" + after, now_ms, "system",
                                  {{"roles", internal::GrantsText(old_grants), after}});
  });
}

Status AccountStore::SetStatus(int64_t account_id, AccountStatus status, const AuditContext& ctx,
                               int64_t now_ms) {
  if (status == AccountStatus::kClosed) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "accounts are closed through Close");
  }
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    auto upd = tx.Exec(
        "UPDATE accounts SET status = ?, updated_at = ? WHERE id = ? AND status <> 'closed'",
        {std::string(internal::StatusName(status)), now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    if (*upd == 0) return internal::Closed();
    if (status == AccountStatus::kDisabled) {
      auto del = tx.Exec("DELETE FROM sessions WHERE account_id = ?", {account_id});
      if (!del.ok()) return std::move(del).error();
    } else {
      // An administrator enabling the account also clears a second-factor block.
      auto clear = tx.Exec(
          "UPDATE accounts SET mfa_failures = 0, mfa_blocked_until = 0 WHERE id = ?", {account_id});
      if (!clear.ok()) return std::move(clear).error();
    }
    const std::string after(internal::StatusName(status));
    return internal::AuditChanges(
        impl_->audit, tx, ctx, "account.status", head->pseudonym, ctx.municipality_id,
        "status=" + after, now_ms, "system",
        {{"status", std::string(internal::StatusName(head->status)), after}});
  });
}

Status AccountStore::SetPassword(int64_t account_id, std::string_view new_hash,
                                 const AuditContext& ctx, int64_t now_ms, const TxHook& in_tx) {
  if (new_hash.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "empty password hash");
  }
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    auto upd = tx.Exec(
        "UPDATE accounts SET password_hash = ?, password_changed_at = ?, updated_at = ? "
        "WHERE id = ? AND status <> 'closed'",
        {std::string(new_hash), now_ms, now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    if (*upd == 0) return internal::Closed();
    auto del = tx.Exec("DELETE FROM sessions WHERE account_id = ?", {account_id});
    if (!del.ok()) return std::move(del).error();
    // Any reset code is spent; the row stays, with the day's counts of codes and wrong guesses.
    auto spend = tx.Exec(
        "UPDATE account_reset_codes SET used_at = ? WHERE account_id = ? AND used_at IS NULL",
        {now_ms, account_id});
    if (!spend.ok()) return std::move(spend).error();
    if (in_tx) {
      if (Status s = in_tx(tx); !s.ok()) return s;
    }
    // An account opened at the counter is taken over by its first password.
    auto taken = tx.Exec(
        "UPDATE accounts_opened_at_counter SET taken_over_at = ? "
        "WHERE account_id = ? AND taken_over_at IS NULL",
        {now_ms, account_id});
    if (!taken.ok()) return std::move(taken).error();
    if (*taken > 0) {
      if (Status a = impl_->Audit(tx, ctx, "account.taken_over", head->pseudonym, "", now_ms,
                                  head->pseudonym);
          !a.ok())
        return a;
    }
    return impl_->Audit(tx, ctx, "account.password", head->pseudonym, "", now_ms, head->pseudonym);
  });
}

Status AccountStore::EnableTotp(int64_t account_id, std::string_view secret,
                                const std::vector<std::string>& recovery_codes,
                                const AuditContext& ctx, int64_t now_ms) {
  if (secret.size() < 16 || recovery_codes.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "TOTP needs a secret and codes");
  }
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    if (head->status == AccountStatus::kClosed) return internal::Closed();
    auto key = impl_->DataKey(tx, account_id);
    if (!key.ok()) return std::move(key).error();
    auto upd = tx.Exec(
        "UPDATE accounts SET totp_enabled = 1, totp_secret_enc = ?, totp_enabled_at = ?, "
        "updated_at = ? WHERE id = ? AND status <> 'closed'",
        {db::Blob{crypto::Seal(*key, secret, internal::FieldAd(account_id, "totp"))}, now_ms,
         now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    if (*upd == 0) return internal::Closed();
    auto del = tx.Exec("DELETE FROM account_recovery_codes WHERE account_id = ?", {account_id});
    if (!del.ok()) return std::move(del).error();
    std::set<std::string> hashes;
    for (const std::string& code : recovery_codes) {
      hashes.insert(impl_->CodeHash("recovery", account_id, CanonicalRecoveryCode(code)));
    }
    for (const std::string& h : hashes) {
      auto ins = tx.Exec("INSERT INTO account_recovery_codes (account_id, code_hash) VALUES (?, ?)",
                         {account_id, h});
      if (!ins.ok()) return std::move(ins).error();
    }
    return impl_->Audit(tx, ctx, "account.totp_enable", head->pseudonym,
                        "recovery_codes=" + std::to_string(hashes.size()), now_ms, head->pseudonym);
  });
}

Status AccountStore::DisableTotp(int64_t account_id, const AuditContext& ctx, int64_t now_ms) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    if (head->status == AccountStatus::kClosed) return internal::Closed();
    if (head->kind == AccountKind::kStaff) {
      return MakeError(ErrorCode::kInvalid, "identity.totp.required", "staff must keep TOTP");
    }
    auto upd = tx.Exec(
        "UPDATE accounts SET totp_enabled = 0, totp_secret_enc = NULL, totp_enabled_at = NULL, "
        "updated_at = ? WHERE id = ?",
        {now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    auto del = tx.Exec("DELETE FROM account_recovery_codes WHERE account_id = ?", {account_id});
    if (!del.ok()) return std::move(del).error();
    return impl_->Audit(tx, ctx, "account.totp_disable", head->pseudonym, "", now_ms,
                        head->pseudonym);
  });
}

Result<std::string> AccountStore::TotpSecret(int64_t account_id) {
  std::string secret;
  Status s = impl_->db.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "SELECT totp_secret_enc FROM accounts WHERE id = ? AND totp_enabled = 1 AND "
        "totp_secret_enc IS NOT NULL",
        {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) {
      return MakeError(ErrorCode::kNotFound, "error.not_found", "TOTP is not enabled");
    }
    auto key = impl_->DataKey(tx, account_id);
    if (!key.ok()) return std::move(key).error();
    auto plain = crypto::Open(*key, (*rows)[0].Bytes(0), internal::FieldAd(account_id, "totp"));
    if (!plain.ok()) {
      return MakeError(ErrorCode::kInternal, "error.internal", "TOTP secret does not open");
    }
    secret = std::move(plain).value();
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return secret;
}

Result<bool> AccountStore::UseTotpStep(int64_t account_id, int64_t step) {
  bool fresh = false;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    // One statement decides: a step already recorded inserts nothing (also under races).
    auto n = tx.Exec(
        "INSERT INTO account_totp_steps (account_id, step) VALUES (?, ?) "
        "ON CONFLICT (account_id, step) DO NOTHING",
        {account_id, step});
    if (!n.ok()) return std::move(n).error();
    fresh = *n == 1;
    auto prune = tx.Exec("DELETE FROM account_totp_steps WHERE account_id = ? AND step < ?",
                         {account_id, step - internal::kTotpStepsKept});
    if (!prune.ok()) return std::move(prune).error();
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return fresh;
}

Result<bool> AccountStore::UseRecoveryCode(int64_t account_id, std::string_view code,
                                           const AuditContext& ctx, int64_t now_ms) {
  const std::string hash = impl_->CodeHash("recovery", account_id, CanonicalRecoveryCode(code));
  bool used = false;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE account_recovery_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? "
        "AND used_at IS NULL",
        {now_ms, account_id, hash});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Ok();
    used = true;
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    auto left = tx.Query(
        "SELECT count(*) FROM account_recovery_codes WHERE account_id = ? AND used_at IS NULL",
        {account_id});
    if (!left.ok()) return std::move(left).error();
    return impl_->Audit(tx, ctx, "account.recovery_code_used", head->pseudonym,
                        "remaining=" + std::to_string((*left)[0].Int(0)), now_ms, head->pseudonym);
  });
  if (!s.ok()) return std::move(s).error();
  return used;
}

Result<AccountStore::SecondFactorState> AccountStore::SecondFactor(int64_t account_id) {
  auto rows = impl_->db.Query("SELECT mfa_failures, mfa_blocked_until FROM accounts WHERE id = ?",
                              {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return internal::NotFound();
  return SecondFactorState{static_cast<int>((*rows)[0].Int(0)), (*rows)[0].Int(1), false};
}

Result<AccountStore::SecondFactorState> AccountStore::SecondFactorFailed(int64_t account_id,
                                                                         const AuditContext& ctx,
                                                                         int64_t now_ms) {
  SecondFactorState state;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    // One statement counts, also when two wrong codes arrive at once.
    auto rows = tx.Query(
        "UPDATE accounts SET mfa_failures = mfa_failures + 1 WHERE id = ? "
        "RETURNING mfa_failures, pseudonym",
        {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return internal::NotFound();
    state.failures = static_cast<int>((*rows)[0].Int(0));
    const std::string pseudonym = (*rows)[0].Text(1);
    if (state.failures % kSecondFactorRound != 0) return Ok();
    const int round = state.failures / kSecondFactorRound;
    constexpr int64_t kMinuteMs = 60'000;
    constexpr int64_t kDayMs = 24 * 60 * kMinuteMs;
    const int64_t block = round > 11 ? kDayMs : std::min(kDayMs, kMinuteMs << (round - 1));
    state.blocked_until = now_ms + block;
    state.round_ended = true;
    auto upd = tx.Exec("UPDATE accounts SET mfa_blocked_until = ? WHERE id = ?",
                       {state.blocked_until, account_id});
    if (!upd.ok()) return std::move(upd).error();
    // Sessions waiting for the second factor end: the password must be given again.
    auto del =
        tx.Exec("DELETE FROM sessions WHERE account_id = ? AND mfa_satisfied = 0", {account_id});
    if (!del.ok()) return std::move(del).error();
    return impl_->Audit(tx, ctx, "account.mfa_failures", pseudonym,
                        "failures=" + std::to_string(state.failures) +
                            ";blocked_minutes=" + std::to_string(block / kMinuteMs),
                        now_ms, pseudonym);
  });
  if (!s.ok()) return std::move(s).error();
  return state;
}

Status AccountStore::SecondFactorPassed(int64_t account_id) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE accounts SET mfa_failures = 0, mfa_blocked_until = 0 WHERE id = ? AND "
        "(mfa_failures <> 0 OR mfa_blocked_until <> 0)",
        {account_id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
}

Status AccountStore::ResetSecondFactor(int64_t account_id, const AuditContext& ctx,
                                       int64_t now_ms) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    auto n = tx.Exec("UPDATE accounts SET mfa_failures = 0, mfa_blocked_until = 0 WHERE id = ?",
                     {account_id});
    if (!n.ok()) return std::move(n).error();
    return impl_->Audit(tx, ctx, "account.mfa_reset", head->pseudonym, "", now_ms);
  });
}

Result<std::string> AccountStore::IssueResetCode(
    int64_t account_id, int64_t now_ms, const AuditContext& ctx,
    const std::function<Status(db::Tx&, const std::string& code)>& deliver) {
  const std::string code = internal::RandomDigits(internal::kResetCodeDigits);
  const std::string hash = impl_->CodeHash("reset", account_id, code);
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    if (head->status != AccountStatus::kActive) return internal::NotFound();
    // One statement decides, also under concurrent requests (the conflicting row is locked): a
    // window older than a day starts afresh; inside it, a code is issued only below the daily
    // cap, and the count of wrong guesses carries over to the new code.
    const int64_t day_ago = now_ms - internal::kResetWindowMs;
    auto n = tx.Exec(
        "INSERT INTO account_reset_codes (account_id, code_hash, created_at, expires_at, "
        "used_at, attempts, window_start, issued) VALUES (?, ?, ?, ?, NULL, 0, ?, 1) "
        "ON CONFLICT (account_id) DO UPDATE SET "
        "code_hash = excluded.code_hash, created_at = excluded.created_at, "
        "expires_at = excluded.expires_at, used_at = NULL, "
        "attempts = CASE WHEN account_reset_codes.window_start <= ? THEN 0 "
        "ELSE account_reset_codes.attempts END, "
        "issued = CASE WHEN account_reset_codes.window_start <= ? THEN 1 "
        "ELSE account_reset_codes.issued + 1 END, "
        "window_start = CASE WHEN account_reset_codes.window_start <= ? THEN excluded.window_start "
        "ELSE account_reset_codes.window_start END "
        "WHERE account_reset_codes.window_start <= ? OR account_reset_codes.issued < ?",
        {account_id, hash, now_ms, now_ms + internal::kResetCodeLifetimeMs, now_ms, day_ago,
         day_ago, day_ago, day_ago, int64_t{kResetCodesPerDay}});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      return MakeError(ErrorCode::kConflict, "identity.reset_code.daily_limit",
                       "reset codes for this account are used up for today");
    }
    if (deliver) {
      if (Status d = deliver(tx, code); !d.ok()) return d;
    }
    return impl_->Audit(tx, ctx, "account.reset_code", head->pseudonym, "", now_ms,
                        head->pseudonym);
  });
  if (!s.ok()) return std::move(s).error();
  return code;
}

Result<bool> AccountStore::ConsumeResetCode(int64_t account_id, std::string_view code,
                                            int64_t now_ms, const AuditContext& ctx) {
  const std::string digits = internal::FoldDigits(code);
  // A malformed code still counts as a guess.
  // The same statements run for an unknown login (account 0, which matches no row), so that
  // the answer costs the same either way.
  const std::string hash = digits.size() == static_cast<size_t>(internal::kResetCodeDigits)
                               ? impl_->CodeHash("reset", account_id, digits)
                               : std::string("-");
  bool consumed = false;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE account_reset_codes SET used_at = ? WHERE account_id = ? AND code_hash = ? AND "
        "used_at IS NULL AND expires_at > ? AND attempts < ?",
        {now_ms, account_id, hash, now_ms, int64_t{internal::kResetCodeMaxAttempts}});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      // Wrong guesses count across the day's codes: a new code does not reset them.
      auto miss = tx.Exec(
          "UPDATE account_reset_codes SET attempts = attempts + 1 WHERE account_id = ? AND "
          "used_at IS NULL",
          {account_id});
      if (!miss.ok()) return std::move(miss).error();
      return Ok();
    }
    consumed = true;
    auto head = Head(tx, account_id);
    if (!head.ok()) return std::move(head).error();
    return impl_->Audit(tx, ctx, "account.reset_code_used", head->pseudonym, "", now_ms,
                        head->pseudonym);
  });
  if (!s.ok()) return std::move(s).error();
  return consumed;
}

}  // namespace baladiya::identity
