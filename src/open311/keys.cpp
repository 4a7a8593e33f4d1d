// KeyStore (open311.h): Open311 API keys, stored hashed, each with its integration account.
#include <cctype>

#include "open311/open311.h"

namespace baladiya::open311 {
namespace {

constexpr std::string_view kPrefix = "o311_";
constexpr size_t kMaxLabel = 100;

std::string HashOf(std::string_view key) { return crypto::Sha256Hex(key); }

Error BadKey() { return MakeError(ErrorCode::kForbidden, "open311.bad_api_key"); }

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

Status AuditKey(audit::AuditLog* log, db::Tx& tx, const identity::AuditContext& ctx,
                const char* action, int64_t key_id, int64_t municipality_id,
                const std::string& details, int64_t now_ms) {
  return identity::AuditChange(log, tx, ctx, action, "open311-key:" + std::to_string(key_id),
                               municipality_id, details, now_ms);
}

ApiKey ReadKey(const db::Row& r) {
  ApiKey k;
  k.id = r.Int(0);
  k.municipality_id = r.Int(1);
  k.account_id = r.Int(2);
  k.label = r.Text(3);
  k.created_at = r.Int(4);
  k.last_used_at = r.Int(5);
  k.revoked_at = r.Int(6);
  k.expires_at = r.Int(7);
  k.notes_on_all = r.Int(8) != 0;
  return k;
}

constexpr std::string_view kKeyColumns =
    "id, municipality_id, account_id, label, created_at, last_used_at, revoked_at, expires_at, "
    "notes_on_all";
constexpr int64_t kDayMs = 86'400'000;

}  // namespace

Result<IssuedKey> KeyStore::Issue(int64_t municipality_id, const std::string& label,
                                  identity::PasswordHasher& hasher, const i18n::Catalog& messages,
                                  const identity::AuditContext& ctx, int64_t now_ms,
                                  const KeyTerms& terms) {
  const bool blank = label.find_first_not_of(" \t") == std::string::npos;
  bool printable = true;
  for (char c : label) printable = printable && static_cast<unsigned char>(c) >= 0x20;
  if (blank || !printable || CodePoints(label) > kMaxLabel)
    return MakeError(ErrorCode::kInvalid, "open311.label_invalid", "label: 1 to 100 characters");
  if (terms.days < 1 || terms.days > kMaxKeyDays) {
    return MakeError(ErrorCode::kInvalid, "open311.key_days_invalid", "days: 1 to 730");
  }
  if (municipality_id <= 0)
    return MakeError(ErrorCode::kInvalid, "error.invalid", "municipality required");
  // The integration account: a staff account of the municipality with no role. Its password is
  // random and never shown, so nobody can sign in as it; disabling it stops the key.
  identity::StaffInput account;
  account.username = "open311-" + crypto::ToHex(crypto::RandomBytes(5));
  account.full_name_ar =
      messages.Format(i18n::Lang::kAr, "open311.account_name", {{"label", label}});
  account.full_name_en =
      messages.Format(i18n::Lang::kEn, "open311.account_name", {{"label", label}});
  account.password = crypto::RandomToken(24);
  account.municipality_id = municipality_id;
  auto account_id = accounts_.CreateStaff(account, hasher, ctx, now_ms);
  if (!account_id.ok()) return std::move(account_id).error();

  const int64_t expires_at = now_ms + terms.days * kDayMs;
  IssuedKey out;
  out.key = std::string(kPrefix) + crypto::RandomToken(32);
  out.username = account.username;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto id = tx.Query(
        "INSERT INTO open311_keys (key_hash, municipality_id, account_id, label, created_at, "
        "expires_at, notes_on_all) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {HashOf(out.key), municipality_id, *account_id, label, now_ms, expires_at,
         int64_t{terms.notes_on_all}});
    if (!id.ok()) return std::move(id).error();
    out.record.id = (*id)[0].Int(0);
    return AuditKey(audit_, tx, ctx, "open311_key.issued", out.record.id, municipality_id,
                    "account=" + std::to_string(*account_id) +
                        " days=" + std::to_string(terms.days) +
                        " notes=" + (terms.notes_on_all ? "all" : "own"),
                    now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  out.record.municipality_id = municipality_id;
  out.record.account_id = *account_id;
  out.record.label = label;
  out.record.created_at = now_ms;
  out.record.expires_at = expires_at;
  out.record.notes_on_all = terms.notes_on_all;
  return out;
}

Result<ApiKey> KeyStore::Resolve(std::string_view key, int64_t municipality_id, int64_t now_ms) {
  if (key.size() < 10 || key.size() > 100 || !key.starts_with(kPrefix)) return BadKey();
  auto rows = db_.Query("SELECT " + std::string(kKeyColumns) +
                            " FROM open311_keys WHERE key_hash = ? AND revoked_at = 0",
                        {HashOf(key)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return BadKey();
  ApiKey k = ReadKey((*rows)[0]);
  if (k.municipality_id != municipality_id) return BadKey();
  if (k.expires_at != 0 && now_ms >= k.expires_at) {
    return MakeError(ErrorCode::kForbidden, "open311.api_key_expired");
  }
  auto account = accounts_.Get(k.account_id, false);
  if (!account.ok() || account->status != identity::AccountStatus::kActive) return BadKey();
  k.account_pseudonym = account->pseudonym;
  // Last use is kept to the minute, so a busy client does not write on every request.
  if (now_ms - k.last_used_at > 60'000) {
    (void)db_.Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec("UPDATE open311_keys SET last_used_at = ? WHERE id = ?", {now_ms, k.id});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
    k.last_used_at = now_ms;
  }
  return k;
}

Status KeyStore::Revoke(int64_t key_id, int64_t municipality_id, const identity::AuditContext& ctx,
                        int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE open311_keys SET revoked_at = ? WHERE id = ? AND municipality_id = ? AND "
        "revoked_at = 0",
        {now_ms, key_id, municipality_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kNotFound, "error.not_found");
    return AuditKey(audit_, tx, ctx, "open311_key.revoked", key_id, municipality_id, "", now_ms);
  });
}

Result<std::vector<ApiKey>> KeyStore::OfMunicipality(int64_t municipality_id) {
  auto rows = db_.Query("SELECT " + std::string(kKeyColumns) +
                            " FROM open311_keys WHERE municipality_id = ? "
                            "ORDER BY id",
                        {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<ApiKey> out;
  for (const auto& r : *rows) out.push_back(ReadKey(r));
  return out;
}

Result<bool> KeyStore::IsIntegrationAccount(int64_t account_id) {
  auto rows = db_.Query("SELECT 1 FROM open311_keys WHERE account_id = ? LIMIT 1", {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

}  // namespace baladiya::open311
