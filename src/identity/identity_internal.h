// Shared by the identity store sources; not part of the module's public interface.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "identity/identity.h"

namespace baladiya::identity::internal {

// The personal fields held encrypted, as named in column names ("<field>_enc"), in the AD of
// their ciphertexts, in Error::fields and in the data export.
inline constexpr std::string_view kPersonalFields[] = {"national_id", "phone", "email",
                                                       "birth_date"};
bool IsPersonalField(std::string_view field);

std::string_view KindName(AccountKind kind);
AccountKind ParseKind(std::string_view name);
std::string_view StatusName(AccountStatus status);
AccountStatus ParseStatus(std::string_view name);

// A fresh pseudonym: 16 random bytes in hex.
std::string NewPseudonym();

// Field checks; each returns an empty string when the value is acceptable, else a message key.
std::string CheckFullNameAr(std::string_view name);  // required, Arabic letters, <= 200
std::string CheckFullNameEn(std::string_view name);  // optional, <= 200
std::string CheckUsername(std::string_view username);
// YYYY-MM-DD, a real calendar date, from 1900-01-01 to the day of now_ms.
std::string CheckBirthDate(std::string_view date, int64_t now_ms);
// Leading and trailing ASCII white space removed.
std::string Trim(std::string_view s);
// Digits only: Arabic-Indic digits folded to ASCII, spaces and dashes dropped; empty when any
// other character appears.
std::string FoldDigits(std::string_view s);

// Account columns read by ReadAccount, in order.
inline constexpr std::string_view kAccountColumns =
    "id, pseudonym, kind, status, full_name_ar, full_name_en, username, lang, "
    "home_municipality_id, totp_enabled, created_at";
Account ReadAccount(const db::Row& r);

struct StoreImpl {
  db::Database& db;
  crypto::KeyFile keys;
  audit::AuditLog* audit;  // nullptr: nothing is logged (tests that do not look at the log)

  // Hex HMAC of "<kind>:<value>" under the blind-index key.
  std::string BlindIndex(std::string_view kind, std::string_view value) const;
  // Keyed hash of a secret code bound to an account ("recovery", "reset").
  std::string CodeHash(std::string_view purpose, int64_t account_id, std::string_view code) const;
  // Wraps / unwraps an account's data key with the master key.
  std::string WrapKey(int64_t account_id, const crypto::Key32& data_key) const;
  Result<crypto::Key32> UnwrapKey(int64_t account_id, std::string_view wrapped) const;
  // The account's data key inside tx; kNotFound when it was destroyed (closed account).
  Result<crypto::Key32> DataKey(db::Tx& tx, int64_t account_id) const;

  // Appends an audit entry inside tx. An empty ctx.actor is recorded as default_actor.
  Status Audit(db::Tx& tx, const AuditContext& ctx, std::string_view action,
               std::string_view object, std::string details, int64_t now_ms,
               std::string_view default_actor = "system") const;
};

// AuditChange with before/after values (audit::EntryInput::changes; no personal data in them).
Status AuditChanges(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx,
                    std::string_view action, std::string_view object, int64_t municipality_id,
                    std::string details, int64_t now_ms, std::string_view default_actor,
                    std::vector<audit::Change> changes);

// Checks grants for a staff account of home municipality `home`: no resident role, platform roles
// only at municipality 0 for ministry/platform staff (home 0), municipal roles only in `home`,
// departments only for department-level roles. "" when fine, else a message key.
std::string CheckGrants(const std::vector<Grant>& grants, int64_t home);
// Inserts grants (duplicates collapsed) for an account inside tx.
Status InsertGrants(db::Tx& tx, int64_t account_id, const std::vector<Grant>& grants);
// "clerk@3/5,auditor@3/0": grants as audit details (no personal data).
std::string GrantsText(const std::vector<Grant>& grants);

// "account:<id>:<field>", the AD of a sealed personal field.
std::string FieldAd(int64_t account_id, std::string_view field);

Error NotFound();
Error Closed();  // kConflict "identity.account.closed"

}  // namespace baladiya::identity::internal

namespace baladiya::identity {
struct AccountStore::Impl : internal::StoreImpl {
  // Spelled out: clang 14 (the fuzz build) has no aggregate initialisation from parentheses.
  explicit Impl(internal::StoreImpl base) : internal::StoreImpl(std::move(base)) {}
  // Counter lookups per staff account (LookUpResident).
  Quota lookups_short{30, std::chrono::minutes(10)};
  Quota lookups_daily{300, std::chrono::hours(24)};
  std::vector<AccountStore::ReclaimObserver> reclaimers;
};
}  // namespace baladiya::identity
