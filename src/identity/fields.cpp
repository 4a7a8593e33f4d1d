// Field checks, masking, names of kinds and statuses, and the key handling shared by the stores.
#include <algorithm>
#include <cstring>
#include <optional>
#include <tuple>
#include <vector>

#include "identity/identity_internal.h"

namespace baladiya::identity {
namespace internal {
namespace {

constexpr size_t kMaxNameCodePoints = 200;

// Decodes UTF-8 strictly (no overlong forms, no surrogates, nothing past U+10FFFF).
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view s) {
  std::vector<char32_t> out;
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if ((b & 0xE0) == 0xC0) {
      cp = b & 0x1F;
      len = 2;
    } else if ((b & 0xF0) == 0xE0) {
      cp = b & 0x0F;
      len = 3;
    } else if ((b & 0xF8) == 0xF0) {
      cp = b & 0x07;
      len = 4;
    } else {
      return std::nullopt;
    }
    if (i + len > s.size()) return std::nullopt;
    for (size_t k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinForLength[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return std::nullopt;
    }
    out.push_back(cp);
    i += len;
  }
  return out;
}

void EncodeUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Control characters and bidirectional overrides (which can disguise a name on screen).
bool Forbidden(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0xFEFF;
}

bool ArabicLetter(char32_t cp) {
  return (cp >= 0x0621 && cp <= 0x064A) || (cp >= 0x0671 && cp <= 0x06D3) ||
         (cp >= 0x06FA && cp <= 0x06FC) || (cp >= 0x0750 && cp <= 0x077F) ||
         (cp >= 0x08A0 && cp <= 0x08C9) || (cp >= 0xFB50 && cp <= 0xFDFB) ||
         (cp >= 0xFE70 && cp <= 0xFEFC);
}

// Common checks of a name; "" when fine, else the suffix of the message key.
std::string CheckName(std::string_view name, bool required, bool arabic) {
  if (name.empty()) return required ? "required" : "";
  auto cps = DecodeUtf8(name);
  if (!cps) return "invalid";
  if (cps->size() > kMaxNameCodePoints) return "too_long";
  if (std::any_of(cps->begin(), cps->end(), Forbidden)) return "invalid";
  if (arabic && std::none_of(cps->begin(), cps->end(), ArabicLetter)) return "not_arabic";
  return "";
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm).
void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2 ? 1 : 0));
}

}  // namespace

bool IsPersonalField(std::string_view field) {
  return std::find(std::begin(kPersonalFields), std::end(kPersonalFields), field) !=
         std::end(kPersonalFields);
}

std::string_view KindName(AccountKind kind) {
  return kind == AccountKind::kStaff ? "staff" : "resident";
}
AccountKind ParseKind(std::string_view name) {
  return name == "staff" ? AccountKind::kStaff : AccountKind::kResident;
}
std::string_view StatusName(AccountStatus status) {
  switch (status) {
    case AccountStatus::kActive:
      return "active";
    case AccountStatus::kDisabled:
      return "disabled";
    case AccountStatus::kClosed:
      return "closed";
  }
  return "closed";
}
AccountStatus ParseStatus(std::string_view name) {
  if (name == "active") return AccountStatus::kActive;
  if (name == "disabled") return AccountStatus::kDisabled;
  return AccountStatus::kClosed;  // anything unexpected is treated as the most restrictive
}

std::string NewPseudonym() { return crypto::ToHex(crypto::RandomBytes(16)); }

std::string CheckFullNameAr(std::string_view name) {
  std::string bad = CheckName(name, /*required=*/true, /*arabic=*/true);
  return bad.empty() ? "" : "identity.full_name_ar." + bad;
}

std::string CheckFullNameEn(std::string_view name) {
  std::string bad = CheckName(name, /*required=*/false, /*arabic=*/false);
  return bad.empty() ? "" : "identity.full_name_en." + bad;
}

std::string CheckUsername(std::string_view username) {
  bool ok =
      username.size() >= 3 && username.size() <= 40 &&
      std::all_of(username.begin(), username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
      });
  return ok ? "" : "identity.username.format";
}

std::string CheckBirthDate(std::string_view date, int64_t now_ms) {
  std::string format = "identity.birth_date.format";
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return format;
  int parts[3] = {0, 0, 0};
  const size_t starts[3] = {0, 5, 8};
  const size_t lengths[3] = {4, 2, 2};
  for (int k = 0; k < 3; ++k) {
    for (size_t i = starts[k]; i < starts[k] + lengths[k]; ++i) {
      if (date[i] < '0' || date[i] > '9') return format;
      parts[k] = parts[k] * 10 + (date[i] - '0');
    }
  }
  const int y = parts[0], m = parts[1], d = parts[2];
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12) return format;
  const int month_days = kDays[m - 1] + (m == 2 && IsLeap(y) ? 1 : 0);
  if (d < 1 || d > month_days) return format;
  int ny = 0, nm = 0, nd = 0;
  const int64_t day_ms = 86400000;
  CivilFromDays(now_ms >= 0 ? now_ms / day_ms : (now_ms - day_ms + 1) / day_ms, ny, nm, nd);
  if (y < 1900 || std::make_tuple(y, m, d) > std::make_tuple(ny, nm, nd)) {
    return "identity.birth_date.range";
  }
  return "";
}

std::string Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

std::string FoldDigits(std::string_view s) {
  auto cps = DecodeUtf8(s);
  if (!cps) return "";
  std::string out;
  for (char32_t cp : *cps) {
    if (cp >= '0' && cp <= '9') {
      out += static_cast<char>(cp);
    } else if (cp >= 0x0660 && cp <= 0x0669) {
      out += static_cast<char>('0' + (cp - 0x0660));
    } else if (cp >= 0x06F0 && cp <= 0x06F9) {
      out += static_cast<char>('0' + (cp - 0x06F0));
    } else if (cp != ' ' && cp != '-') {
      return "";
    }
  }
  return out;
}

Account ReadAccount(const db::Row& r) {
  Account a;
  a.id = r.Int(0);
  a.pseudonym = r.Text(1);
  a.kind = ParseKind(r.Text(2));
  a.status = ParseStatus(r.Text(3));
  a.full_name_ar = r.Text(4);
  a.full_name_en = r.Text(5);
  a.username = r.Text(6);
  a.lang = r.Text(7);
  a.home_municipality_id = r.Int(8);
  a.totp_enabled = r.Int(9) != 0;
  a.created_at = r.Int(10);
  return a;
}

std::string FieldAd(int64_t account_id, std::string_view field) {
  return "account:" + std::to_string(account_id) + ":" + std::string(field);
}

Error NotFound() { return MakeError(ErrorCode::kNotFound, "error.not_found", "no such account"); }
Error Closed() {
  return MakeError(ErrorCode::kConflict, "identity.account.closed", "the account is closed");
}

std::string StoreImpl::BlindIndex(std::string_view kind, std::string_view value) const {
  std::string data(kind);
  data += ':';
  data += value;
  return crypto::ToHex(crypto::HmacSha256(keys.blind_index, data));
}

std::string StoreImpl::CodeHash(std::string_view purpose, int64_t account_id,
                                std::string_view code) const {
  std::string data(purpose);
  data += ':' + std::to_string(account_id) + ':';
  data += code;
  return crypto::ToHex(crypto::HmacSha256(keys.blind_index, data));
}

std::string StoreImpl::WrapKey(int64_t account_id, const crypto::Key32& data_key) const {
  std::string_view raw(reinterpret_cast<const char*>(data_key.data()), data_key.size());
  return crypto::Seal(keys.master, raw, "account-key:" + std::to_string(account_id));
}

Result<crypto::Key32> StoreImpl::UnwrapKey(int64_t account_id, std::string_view wrapped) const {
  auto raw = crypto::Open(keys.master, wrapped, "account-key:" + std::to_string(account_id));
  if (!raw.ok() || raw->size() != 32) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     "account data key does not open under the master key");
  }
  crypto::Key32 key{};
  std::memcpy(key.data(), raw->data(), key.size());
  return key;
}

Result<crypto::Key32> StoreImpl::DataKey(db::Tx& tx, int64_t account_id) const {
  auto rows = tx.Query("SELECT wrapped_key FROM account_keys WHERE account_id = ?", {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "identity.personal_data.destroyed",
                     "the account's data key is gone");
  }
  return UnwrapKey(account_id, (*rows)[0].Bytes(0));
}

Status StoreImpl::Audit(db::Tx& tx, const AuditContext& ctx, std::string_view action,
                        std::string_view object, std::string details, int64_t now_ms,
                        std::string_view default_actor) const {
  return AuditChange(audit, tx, ctx, action, object, ctx.municipality_id, std::move(details),
                     now_ms, default_actor);
}

}  // namespace internal

Status AuditChange(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx,
                   std::string_view action, std::string_view object, int64_t municipality_id,
                   std::string details, int64_t now_ms, std::string_view default_actor) {
  return internal::AuditChanges(log, tx, ctx, action, object, municipality_id, std::move(details),
                                now_ms, default_actor, {});
}

namespace internal {

Status AuditChanges(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx,
                    std::string_view action, std::string_view object, int64_t municipality_id,
                    std::string details, int64_t now_ms, std::string_view default_actor,
                    std::vector<audit::Change> changes) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = ctx.actor.empty() ? std::string(default_actor) : ctx.actor;
  in.action = std::string(action);
  in.object = std::string(object);
  in.municipality_id = municipality_id;
  in.request_id = ctx.request_id;
  in.details = std::move(details);
  in.changes = std::move(changes);
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

}  // namespace internal

std::string Mask(std::string_view value) {
  auto cps = internal::DecodeUtf8(value);
  if (!cps) return std::string(value.size(), '*');  // not text: show nothing of it
  const size_t n = cps->size();
  std::string out;
  auto keep = [&](size_t from, size_t to) {
    for (size_t i = from; i < to; ++i) internal::EncodeUtf8((*cps)[i], out);
  };
  auto at = std::find(cps->begin(), cps->end(), U'@');
  if (at != cps->end()) {
    // Email: the first character of the local part, "***", then the domain.
    const auto local = static_cast<size_t>(at - cps->begin());
    if (local > 0) keep(0, 1);
    out += "***";
    keep(local, n);
    return out;
  }
  // Phone numbers keep their country and network prefix ("+97059"); others their first character.
  const size_t head = (n >= 12 && (*cps)[0] == U'+') ? 6 : 1;
  const size_t tail = 3;
  if (n <= head + tail) return std::string(n, '*');
  keep(0, head);
  out.append(n - head - tail, '*');
  keep(n - tail, n);
  return out;
}

}  // namespace baladiya::identity
