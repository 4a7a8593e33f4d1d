// AccountStore (identity.h): registration, staff creation, lookups, the data export, closure and
// unmask auditing. Grants, status, passwords, TOTP and reset codes are in account_security.cpp.
#include <boost/json.hpp>
#include <cstring>
#include <optional>
#include <span>

#include "identity/credentials.h"
#include "identity/identity_internal.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> IdentityMigrationFiles();

namespace baladiya::identity {

namespace {

// A counter lookup's or an unmasking's audit entry. Showing a field in full records it as a
// change (masked -> shown), so that the entry's details, which name the field and never its
// value, are kept in clear for the auditor and the resident's "who looked at my data" page.
Status UnmaskAudit(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx,
                   std::string_view action, std::string_view object, const std::string& details,
                   std::string_view field, int64_t now_ms) {
  std::vector<audit::Change> changes;
  if (!field.empty()) changes.push_back({std::string(field), "masked", "shown"});
  return internal::AuditChanges(log, tx, ctx, action, object, ctx.municipality_id, details, now_ms,
                                "system", std::move(changes));
}

}  // namespace

namespace {

// Seals the non-empty personal fields of an account under its data key; empty ones stay NULL.
db::Value SealField(const crypto::Key32& data_key, int64_t id, std::string_view field,
                    const std::string& value) {
  if (value.empty()) return nullptr;
  return db::Blob{crypto::Seal(data_key, value, internal::FieldAd(id, field))};
}

crypto::Key32 NewDataKey() {
  crypto::Key32 key{};
  std::string raw = crypto::RandomBytes(key.size());
  std::memcpy(key.data(), raw.data(), key.size());
  return key;
}

// Opens the sealed personal columns (in kPersonalFields order, starting at column `first`).
Result<PersonalData> OpenPersonal(const crypto::Key32& key, int64_t id, const db::Row& r,
                                  size_t first) {
  std::string* out[4];
  PersonalData p;
  out[0] = &p.national_id;
  out[1] = &p.phone;
  out[2] = &p.email;
  out[3] = &p.birth_date;
  for (size_t i = 0; i < 4; ++i) {
    if (r.IsNull(first + i)) continue;
    auto plain =
        crypto::Open(key, r.Bytes(first + i), internal::FieldAd(id, internal::kPersonalFields[i]));
    if (!plain.ok()) {
      return MakeError(ErrorCode::kInternal, "error.internal",
                       "a personal field of an account does not open under its data key");
    }
    *out[i] = std::move(plain).value();
  }
  return p;
}

}  // namespace

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(IdentityMigrationFiles()); }

AccountStore::AccountStore(db::Database& db, const crypto::KeyFile& keys, audit::AuditLog* audit)
    : impl_(std::make_shared<Impl>(internal::StoreImpl{db, keys, audit})) {}

namespace {

// Adds the name fields' errors (trimmed names) to a validation error.
void CheckNames(const std::string& name_ar, const std::string& name_en, Error& invalid) {
  if (std::string bad = internal::CheckFullNameAr(name_ar); !bad.empty()) {
    invalid.fields["full_name_ar"] = bad;
  }
  if (std::string bad = internal::CheckFullNameEn(name_en); !bad.empty()) {
    invalid.fields["full_name_en"] = bad;
  }
}

}  // namespace

Result<int64_t> AccountStore::RegisterResident(const ResidentRegistration& r,
                                               PasswordHasher& hasher, const AuditContext& ctx,
                                               int64_t now_ms) {
  return AddResident(r, &hasher, ctx, now_ms, {});
}

Result<int64_t> AccountStore::OpenAtCounter(const ResidentRegistration& r, const AuditContext& ctx,
                                            int64_t now_ms, const OpenedHook& in_tx) {
  return AddResident(r, nullptr, ctx, now_ms, in_tx);
}

Result<bool> AccountStore::AwaitingTakeOver(int64_t account_id) {
  auto rows = impl_->db.Query(
      "SELECT 1 FROM accounts_opened_at_counter WHERE account_id = ? AND taken_over_at IS NULL",
      {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

Result<int64_t> AccountStore::AddResident(const ResidentRegistration& r, PasswordHasher* hasher,
                                          const AuditContext& ctx, int64_t now_ms,
                                          const OpenedHook& in_tx) {
  // Validate and normalise every field, collecting one message key per bad field.
  Error invalid = MakeError(ErrorCode::kInvalid, "error.invalid", "registration refused");
  PersonalData p;
  if (auto id = NormalizeNationalId(r.national_id); id.ok()) {
    p.national_id = *id;
  } else {
    invalid.fields["national_id"] = id.error().message_key;
  }
  if (auto phone = NormalizeMobilePhone(r.phone); phone.ok()) {
    p.phone = *phone;
  } else {
    invalid.fields["phone"] = phone.error().message_key;
  }
  if (std::string email = internal::Trim(r.email); !email.empty()) {
    if (auto e = NormalizeEmail(email); e.ok()) {
      p.email = *e;
    } else {
      invalid.fields["email"] = e.error().message_key;
    }
  }
  if (std::string date = internal::Trim(r.birth_date); !date.empty()) {
    if (std::string bad = internal::CheckBirthDate(date, now_ms); bad.empty()) {
      p.birth_date = date;
    } else {
      invalid.fields["birth_date"] = bad;
    }
  }
  const std::string name_ar = internal::Trim(r.full_name_ar);
  const std::string name_en = internal::Trim(r.full_name_en);
  CheckNames(name_ar, name_en, invalid);
  if (hasher) {
    if (auto pw = CheckPasswordPolicy(r.password, PasswordContextWords(r.national_id, r.phone, ""));
        !pw.ok()) {
      invalid.fields["password"] = pw.error().message_key;
    }
  }
  if (r.lang != "ar" && r.lang != "en") invalid.fields["lang"] = "identity.lang.invalid";
  if (!invalid.fields.empty()) return invalid;

  const std::string id_index = impl_->BlindIndex("national_id", p.national_id);
  const std::string phone_index = impl_->BlindIndex("phone", p.phone);
  auto taken = [](std::string_view field) {
    Error e = MakeError(ErrorCode::kConflict, "identity." + std::string(field) + ".taken",
                        std::string(field) + " already registered");
    e.fields[std::string(field)] = e.message_key;
    return e;
  };
  // A cheap early answer before spending a hash; the UNIQUE index below is what decides.
  auto existing = impl_->db.Query(
      "SELECT kind FROM account_lookup WHERE (kind = 'national_id' AND hmac = ?) OR "
      "(kind = 'phone' AND hmac = ?) ORDER BY kind DESC",
      {id_index, phone_index});
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->empty()) return taken((*existing)[0].Text(0));

  // A counter account has no password: an empty hash matches no password at sign-in.
  std::string hash;
  if (hasher) {
    auto hashed = hasher->Hash(r.password);
    if (!hashed.ok()) return std::move(hashed).error();
    hash = std::move(*hashed);
  }
  const std::string pseudonym = internal::NewPseudonym();
  const crypto::Key32 data_key = NewDataKey();
  int64_t id = 0;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    auto ins = tx.Query(
        "INSERT INTO accounts (pseudonym, kind, status, full_name_ar, full_name_en, lang, "
        "home_municipality_id, password_hash, password_changed_at, created_at, updated_at) "
        "VALUES (?, 'resident', 'active', ?, ?, ?, 0, ?, ?, ?, ?) RETURNING id",
        {pseudonym, name_ar, name_en, r.lang, hash, hasher ? now_ms : int64_t{0}, now_ms, now_ms});
    if (!ins.ok()) return std::move(ins).error();
    id = (*ins)[0].Int(0);
    auto upd = tx.Exec(
        "UPDATE accounts SET national_id_enc = ?, phone_enc = ?, email_enc = ?, "
        "birth_date_enc = ? WHERE id = ?",
        {SealField(data_key, id, "national_id", p.national_id),
         SealField(data_key, id, "phone", p.phone), SealField(data_key, id, "email", p.email),
         SealField(data_key, id, "birth_date", p.birth_date), id});
    if (!upd.ok()) return std::move(upd).error();
    auto key =
        tx.Exec("INSERT INTO account_keys (account_id, wrapped_key, created_at) VALUES (?, ?, ?)",
                {id, db::Blob{impl_->WrapKey(id, data_key)}, now_ms});
    if (!key.ok()) return std::move(key).error();
    // ON CONFLICT DO NOTHING: a concurrent registration of the same ID waits for the other
    // transaction and then inserts nothing, without spoiling this transaction.
    const std::pair<std::string_view, std::string> lookups[] = {{"national_id", id_index},
                                                                {"phone", phone_index}};
    for (const auto& [field, index] : lookups) {
      auto n = tx.Exec(
          "INSERT INTO account_lookup (kind, hmac, account_id) VALUES (?, ?, ?) "
          "ON CONFLICT (kind, hmac) DO NOTHING",
          {std::string(field), index, id});
      if (!n.ok()) return std::move(n).error();
      if (*n == 0) return taken(field);
    }
    if (!hasher) {
      // Opened at the counter: marked, audited with the clerk as actor, the person told.
      auto mark = tx.Exec(
          "INSERT INTO accounts_opened_at_counter (account_id, municipality_id, opened_at) "
          "VALUES (?, ?, ?)",
          {id, ctx.municipality_id, now_ms});
      if (!mark.ok()) return std::move(mark).error();
      if (Status a = impl_->Audit(tx, ctx, "account.opened_at_counter", pseudonym,
                                  "kind=resident;lang=" + r.lang, now_ms);
          !a.ok())
        return a;
      if (in_tx) {
        if (Status h = in_tx(tx, id); !h.ok()) return h;
      }
    } else if (Status a = impl_->Audit(tx, ctx, "account.register", pseudonym,
                                       "kind=resident;lang=" + r.lang, now_ms,
                                       /*default_actor=*/pseudonym);
               !a.ok()) {
      return a;
    }
    // The ID number of a closed account that left open applications: they come back (also to an
    // account opened for the person at the counter).
    auto claim = tx.Query(
        "SELECT r.account_id, a.pseudonym FROM account_reclaims r JOIN accounts a "
        "ON a.id = r.account_id WHERE r.id_hmac = ?",
        {id_index});
    if (!claim.ok()) return std::move(claim).error();
    if (claim->empty()) return Ok();
    const int64_t old_id = (*claim)[0].Int(0);
    for (const auto& reclaim : impl_->reclaimers) {
      if (Status st = reclaim(tx, old_id, id); !st.ok()) return st;
    }
    auto gone = tx.Exec("DELETE FROM account_reclaims WHERE id_hmac = ?", {id_index});
    if (!gone.ok()) return std::move(gone).error();
    return impl_->Audit(tx, ctx, "account.reclaimed", pseudonym, "from=" + (*claim)[0].Text(1),
                        now_ms, /*default_actor=*/pseudonym);
  });
  if (!s.ok()) return std::move(s).error();
  return id;
}

Result<int64_t> AccountStore::CreateStaff(const StaffInput& in, PasswordHasher& hasher,
                                          const AuditContext& ctx, int64_t now_ms) {
  Error invalid = MakeError(ErrorCode::kInvalid, "error.invalid", "staff account refused");
  const std::string username = internal::Trim(in.username);
  if (std::string bad = internal::CheckUsername(username); !bad.empty()) {
    invalid.fields["username"] = bad;
  }
  const std::string name_ar = internal::Trim(in.full_name_ar);
  const std::string name_en = internal::Trim(in.full_name_en);
  CheckNames(name_ar, name_en, invalid);
  std::string email;
  if (std::string typed = internal::Trim(in.email); !typed.empty()) {
    if (auto e = NormalizeEmail(typed); e.ok()) {
      email = *e;
    } else {
      invalid.fields["email"] = e.error().message_key;
    }
  }
  if (auto pw = CheckPasswordPolicy(in.password, PasswordContextWords("", "", in.username));
      !pw.ok()) {
    invalid.fields["password"] = pw.error().message_key;
  }
  if (in.municipality_id < 0) invalid.fields["municipality"] = "identity.municipality.invalid";
  if (std::string bad = internal::CheckGrants(in.grants, in.municipality_id); !bad.empty()) {
    invalid.fields["grants"] = bad;
  }
  if (!invalid.fields.empty()) return invalid;

  Error taken = MakeError(ErrorCode::kConflict, "identity.username.taken", "username in use");
  taken.fields["username"] = taken.message_key;
  auto existing = impl_->db.Query("SELECT 1 FROM accounts WHERE username = ?", {username});
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->empty()) return taken;

  auto hash = hasher.Hash(in.password);
  if (!hash.ok()) return std::move(hash).error();
  const std::string pseudonym = internal::NewPseudonym();
  const crypto::Key32 data_key = NewDataKey();
  int64_t id = 0;
  Status s = impl_->db.Write([&](db::Tx& tx) -> Status {
    auto ins = tx.Query(
        "INSERT INTO accounts (pseudonym, kind, status, full_name_ar, full_name_en, username, "
        "lang, home_municipality_id, password_hash, password_changed_at, created_at, updated_at) "
        "VALUES (?, 'staff', 'active', ?, ?, ?, 'ar', ?, ?, ?, ?, ?) "
        "ON CONFLICT (username) DO NOTHING RETURNING id",
        {pseudonym, name_ar, name_en, username, in.municipality_id, *hash, now_ms, now_ms, now_ms});
    if (!ins.ok()) return std::move(ins).error();
    if (ins->empty()) return taken;
    id = (*ins)[0].Int(0);
    auto upd = tx.Exec("UPDATE accounts SET email_enc = ? WHERE id = ?",
                       {SealField(data_key, id, "email", email), id});
    if (!upd.ok()) return std::move(upd).error();
    auto key =
        tx.Exec("INSERT INTO account_keys (account_id, wrapped_key, created_at) VALUES (?, ?, ?)",
                {id, db::Blob{impl_->WrapKey(id, data_key)}, now_ms});
    if (!key.ok()) return std::move(key).error();
    if (Status g = internal::InsertGrants(tx, id, in.grants); !g.ok()) return g;
    return impl_->Audit(tx, ctx, "account.staff_create", pseudonym,
                        "kind=staff;municipality=" + std::to_string(in.municipality_id) +
                            ";grants=" + internal::GrantsText(in.grants),
                        now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return id;
}

namespace {

// Columns: id, status, kind, password_hash, totp_enabled.
Credentials ReadCredentials(const db::Row& r) {
  Credentials c;
  c.account_id = r.Int(0);
  c.status = internal::ParseStatus(r.Text(1));
  c.kind = internal::ParseKind(r.Text(2));
  c.password_hash = r.Text(3);
  c.totp_enabled = r.Int(4) != 0;
  return c;
}

}  // namespace

Result<Credentials> AccountStore::FindForLogin(std::string_view login) {
  const std::string typed = internal::Trim(login);
  // One statement of one shape whatever was typed and whether or not anyone matches, so that a
  // lookup costs the same for known and unknown logins: the national ID's blind index, the
  // phone's, and the staff login name (stored in lower case), in that order of preference. A
  // form that does not apply is looked up as a value no row holds.
  std::string id_index = "-";
  if (auto id = NormalizeNationalId(typed); id.ok()) {
    id_index = impl_->BlindIndex("national_id", *id);
  }
  std::string phone_index = "-";
  if (auto phone = NormalizeMobilePhone(typed); phone.ok()) {
    phone_index = impl_->BlindIndex("phone", *phone);
  }
  std::string username = typed;
  for (char& c : username) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!internal::CheckUsername(username).empty()) username.clear();
  auto rows = impl_->db.Query(
      "SELECT a.id, a.status, a.kind, a.password_hash, a.totp_enabled, "
      "CASE l.kind WHEN 'national_id' THEN 0 ELSE 1 END AS preference "
      "FROM account_lookup l JOIN accounts a ON a.id = l.account_id "
      "WHERE (l.kind = 'national_id' AND l.hmac = ?) OR (l.kind = 'phone' AND l.hmac = ?) "
      "UNION ALL "
      "SELECT id, status, kind, password_hash, totp_enabled, 2 AS preference FROM accounts "
      "WHERE username = ? AND kind = 'staff' "
      "ORDER BY 6 LIMIT 1",
      {id_index, phone_index, username});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return internal::NotFound();
  return ReadCredentials((*rows)[0]);
}

std::string AccountStore::LoginLimitKey(std::string_view typed) const {
  const std::string trimmed = internal::Trim(typed);
  // Digits, whatever their form: FoldDigits drops the separators and marks people (and phones)
  // put between them; '+' goes too, so +970..., 00970... and 0... meet in the last nine digits.
  std::string digits;
  for (char c : FoldTypedDigits(trimmed)) {
    if (c != '+') digits.push_back(c);
  }
  std::string canonical;
  if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
    canonical = "digits:" + (digits.size() > 9 ? digits.substr(digits.size() - 9) : digits);
  } else {
    std::string username = trimmed;
    for (char& c : username) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    // What FindForLogin could not resolve to any account shares one key.
    canonical = internal::CheckUsername(username).empty() ? "username:" + username : "none";
  }
  return "login:" + impl_->BlindIndex("login-limit", canonical);
}

namespace {

constexpr size_t kDeviceNonceBytes = 16;

std::string DeviceMac(const internal::StoreImpl& impl, int64_t account_id, std::string_view nonce) {
  return impl.CodeHash("device", account_id, nonce).substr(0, 32);
}

}  // namespace

std::string AccountStore::NewDeviceToken(int64_t account_id) const {
  std::string nonce = crypto::ToBase64Url(crypto::RandomBytes(kDeviceNonceBytes));
  return nonce + "." + DeviceMac(*impl_, account_id, nonce);
}

bool AccountStore::DeviceTokenValid(int64_t account_id, std::string_view token) const {
  size_t dot = token.find('.');
  if (account_id <= 0 || dot == std::string_view::npos || dot == 0 || token.size() > 128) {
    return false;
  }
  return crypto::ConstantTimeEquals(token.substr(dot + 1),
                                    DeviceMac(*impl_, account_id, token.substr(0, dot)));
}

Result<Account> AccountStore::LookUpResident(const Principal& who, int64_t municipality_id,
                                             std::string_view query, std::string_view unmask_field,
                                             const AuditContext& ctx, int64_t now_ms) {
  // Scope first: nothing is searched for someone who may not use the counter here.
  if (!Allowed(who, Permission::kFileOnBehalf, municipality_id) ||
      (!unmask_field.empty() && !Allowed(who, Permission::kUnmaskPersonalData, municipality_id))) {
    return MakeError(ErrorCode::kForbidden, "error.forbidden",
                     "not a counter of this municipality");
  }
  if (!unmask_field.empty() && !internal::IsPersonalField(unmask_field)) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "not a personal field");
  }
  const std::string key = "lookup:" + std::to_string(who.account_id);
  int64_t wait = impl_->lookups_short.Take(key, now_ms);
  if (wait == 0) wait = impl_->lookups_daily.Take(key, now_ms);
  if (wait > 0) {
    Error e = MakeError(ErrorCode::kUnavailable, "limits.lookups", "lookup quota spent");
    e.fields["retry_after"] = std::to_string(wait);
    return e;
  }
  auto creds = FindForLogin(query);
  std::optional<Account> found;
  if (creds.ok() && creds->kind == AccountKind::kResident &&
      creds->status == AccountStatus::kActive) {
    auto account = Get(creds->account_id, true);
    if (!account.ok()) return std::move(account).error();
    found = std::move(*account);
  } else if (!creds.ok() && creds.error().code != ErrorCode::kNotFound) {
    return std::move(creds).error();
  }
  const std::string action = unmask_field.empty() ? "account.lookup" : "account.unmask";
  const std::string details =
      std::string(unmask_field.empty() ? "found=" : "field=") +
      (unmask_field.empty() ? (found ? "yes" : "no") : std::string(unmask_field));
  Status logged = impl_->db.Write([&](db::Tx& tx) -> Status {
    return UnmaskAudit(impl_->audit, tx, ctx, action, found ? found->pseudonym : "none", details,
                       unmask_field, now_ms);
  });
  if (!logged.ok()) return std::move(logged).error();
  if (!found) return internal::NotFound();
  return std::move(*found);
}

Result<Account> AccountStore::UnmaskFor(const Principal& who, int64_t municipality_id,
                                        int64_t department_id, int64_t account_id,
                                        std::string_view field, std::string_view about,
                                        const AuditContext& ctx, int64_t now_ms) {
  if (!Allowed(who, Permission::kUnmaskPersonalData, municipality_id, department_id)) {
    return MakeError(ErrorCode::kForbidden, "error.forbidden", "may not unmask here");
  }
  if (!internal::IsPersonalField(field)) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "not a personal field");
  }
  auto account = Get(account_id, true);
  if (!account.ok()) return std::move(account).error();
  std::string details = "field=" + std::string(field);
  if (!about.empty()) details += ";about=" + std::string(about);
  Status logged = impl_->db.Write([&](db::Tx& tx) -> Status {
    return UnmaskAudit(impl_->audit, tx, ctx, "account.unmask", account->pseudonym, details, field,
                       now_ms);
  });
  if (!logged.ok()) return std::move(logged).error();
  return account;
}

Result<Credentials> AccountStore::CredentialsOf(int64_t account_id) {
  auto rows = impl_->db.Query(
      "SELECT id, status, kind, password_hash, totp_enabled FROM accounts WHERE id = ?",
      {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return internal::NotFound();
  return ReadCredentials((*rows)[0]);
}

Result<Account> AccountStore::Get(db::Tx& tx, int64_t account_id, bool with_personal_data) {
  auto rows = tx.Query("SELECT " + std::string(internal::kAccountColumns) +
                           ", national_id_enc, phone_enc, email_enc, birth_date_enc "
                           "FROM accounts WHERE id = ?",
                       {account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return internal::NotFound();
  Account a = internal::ReadAccount((*rows)[0]);
  if (!with_personal_data) return a;
  auto key = impl_->DataKey(tx, account_id);
  if (!key.ok()) {
    // A closed account's data key is gone: its personal fields read as empty.
    if (key.error().code == ErrorCode::kNotFound) return a;
    return std::move(key).error();
  }
  auto personal = OpenPersonal(*key, account_id, (*rows)[0], 11);
  if (!personal.ok()) return std::move(personal).error();
  a.personal = std::move(personal).value();
  return a;
}

Result<Account> AccountStore::Get(int64_t account_id, bool with_personal_data) {
  if (!with_personal_data) {
    // One statement: no transaction needed.
    auto rows = impl_->db.Query(
        "SELECT " + std::string(internal::kAccountColumns) + " FROM accounts WHERE id = ?",
        {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return internal::NotFound();
    return internal::ReadAccount((*rows)[0]);
  }
  Account a;
  Status s = impl_->db.Read([&](db::Tx& tx) -> Status {
    auto got = Get(tx, account_id, true);
    if (!got.ok()) return std::move(got).error();
    a = std::move(*got);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return a;
}

Result<std::vector<Account>> AccountStore::Staff(int64_t municipality_id) {
  auto rows = impl_->db.Query("SELECT " + std::string(internal::kAccountColumns) +
                                  " FROM accounts WHERE home_municipality_id = ? AND "
                                  "kind = 'staff' AND status <> 'closed' ORDER BY username",
                              {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Account> out;
  for (const auto& r : *rows) out.push_back(internal::ReadAccount(r));
  return out;
}

Result<std::string> AccountStore::ExportJson(int64_t account_id) {
  boost::json::object doc;
  Status s = impl_->db.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query("SELECT " + std::string(internal::kAccountColumns) +
                             ", national_id_enc, phone_enc, email_enc, birth_date_enc, "
                             "updated_at, closed_at, password_changed_at, totp_enabled_at "
                             "FROM accounts WHERE id = ?",
                         {account_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return internal::NotFound();
    const db::Row& r = (*rows)[0];
    const Account a = internal::ReadAccount(r);
    boost::json::object account;
    account["pseudonym"] = a.pseudonym;
    account["kind"] = internal::KindName(a.kind);
    account["status"] = internal::StatusName(a.status);
    account["full_name_ar"] = a.full_name_ar;
    account["full_name_en"] = a.full_name_en;
    if (!a.username.empty()) account["username"] = a.username;
    account["lang"] = a.lang;
    account["home_municipality_id"] = a.home_municipality_id;
    account["totp_enabled"] = a.totp_enabled;
    account["created_at"] = a.created_at;
    account["updated_at"] = r.Int(15);
    account["password_changed_at"] = r.Int(17);
    if (!r.IsNull(18)) account["totp_enabled_at"] = r.Int(18);
    if (!r.IsNull(16)) account["closed_at"] = r.Int(16);
    doc["account"] = std::move(account);

    boost::json::object personal;
    auto key = impl_->DataKey(tx, account_id);
    if (!key.ok() && key.error().code != ErrorCode::kNotFound) return std::move(key).error();
    if (key.ok()) {
      auto p = OpenPersonal(*key, account_id, r, 11);
      if (!p.ok()) return std::move(p).error();
      const std::string* values[] = {&p->national_id, &p->phone, &p->email, &p->birth_date};
      for (size_t i = 0; i < 4; ++i) {
        if (values[i]->empty()) {
          personal[internal::kPersonalFields[i]] = nullptr;
        } else {
          personal[internal::kPersonalFields[i]] = *values[i];
        }
      }
      doc["personal_data_status"] = "held";
    } else {
      for (std::string_view field : internal::kPersonalFields) personal[field] = "destroyed";
      doc["personal_data_status"] = "destroyed";
    }
    doc["personal_data"] = std::move(personal);

    auto grants = tx.Query(
        "SELECT role, municipality_id, department_id FROM account_grants WHERE account_id = ? "
        "ORDER BY municipality_id, department_id, role",
        {account_id});
    if (!grants.ok()) return std::move(grants).error();
    boost::json::array grant_list;
    for (const auto& g : *grants) {
      grant_list.push_back(boost::json::object{
          {"role", g.Text(0)}, {"municipality_id", g.Int(1)}, {"department_id", g.Int(2)}});
    }
    doc["grants"] = std::move(grant_list);

    auto counts = tx.Query(
        "SELECT (SELECT count(*) FROM sessions WHERE account_id = ?), "
        "(SELECT count(*) FROM account_recovery_codes WHERE account_id = ? AND used_at IS NULL), "
        "(SELECT count(*) FROM account_reset_codes WHERE account_id = ? AND used_at IS NULL)",
        {account_id, account_id, account_id});
    if (!counts.ok()) return std::move(counts).error();
    doc["sessions"] = boost::json::object{{"count", (*counts)[0].Int(0)}};
    doc["recovery_codes_unused"] = (*counts)[0].Int(1);
    doc["reset_codes_pending"] = (*counts)[0].Int(2);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return boost::json::serialize(doc);
}

void AccountStore::AddReclaimObserver(ReclaimObserver observer) {
  impl_->reclaimers.push_back(std::move(observer));
}

Status AccountStore::Close(int64_t account_id, const AuditContext& ctx, int64_t now_ms,
                           bool keep_claim) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto row = tx.Query("SELECT pseudonym, status FROM accounts WHERE id = ?", {account_id});
    if (!row.ok()) return std::move(row).error();
    if (row->empty()) return internal::NotFound();
    if ((*row)[0].Text(1) == "closed") return internal::Closed();
    const std::string pseudonym = (*row)[0].Text(0);
    if (keep_claim) {
      auto kept = tx.Exec(
          "INSERT INTO account_reclaims (id_hmac, account_id, closed_at) "
          "SELECT hmac, account_id, ? FROM account_lookup WHERE account_id = ? AND "
          "kind = 'national_id' ON CONFLICT (id_hmac) DO NOTHING",
          {now_ms, account_id});
      if (!kept.ok()) return std::move(kept).error();
    }
    // The row stays (pseudonymous); names, login name, secrets and ciphertexts go with the key.
    auto upd = tx.Exec(
        "UPDATE accounts SET status = 'closed', closed_at = ?, updated_at = ?, "
        "full_name_ar = '', full_name_en = '', username = NULL, password_hash = '', "
        "national_id_enc = NULL, phone_enc = NULL, email_enc = NULL, birth_date_enc = NULL, "
        "totp_enabled = 0, totp_secret_enc = NULL WHERE id = ? AND status <> 'closed'",
        {now_ms, now_ms, account_id});
    if (!upd.ok()) return std::move(upd).error();
    if (*upd == 0) return internal::Closed();  // closed concurrently
    for (const char* sql : {"DELETE FROM account_keys WHERE account_id = ?",
                            "DELETE FROM account_lookup WHERE account_id = ?",
                            "DELETE FROM sessions WHERE account_id = ?",
                            "DELETE FROM account_grants WHERE account_id = ?",
                            "DELETE FROM account_recovery_codes WHERE account_id = ?",
                            "DELETE FROM account_totp_steps WHERE account_id = ?",
                            "DELETE FROM account_reset_codes WHERE account_id = ?"}) {
      auto n = tx.Exec(sql, {account_id});
      if (!n.ok()) return std::move(n).error();
    }
    return impl_->Audit(tx, ctx, "account.close", pseudonym, "", now_ms, pseudonym);
  });
}

Status AccountStore::AuditUnmask(int64_t account_id, std::string_view field,
                                 const AuditContext& ctx, int64_t now_ms) {
  if (!internal::IsPersonalField(field)) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "not a personal field");
  }
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto row = tx.Query("SELECT pseudonym FROM accounts WHERE id = ?", {account_id});
    if (!row.ok()) return std::move(row).error();
    if (row->empty()) return internal::NotFound();
    return UnmaskAudit(impl_->audit, tx, ctx, "account.unmask", (*row)[0].Text(0),
                       "field=" + std::string(field), field, now_ms);
  });
}

Status AccountStore::MarkVerified(int64_t account_id, std::string_view how, const AuditContext& ctx,
                                  int64_t now_ms) {
  return impl_->db.Write([&](db::Tx& tx) -> Status {
    auto row = tx.Query("SELECT pseudonym FROM accounts WHERE id = ?", {account_id});
    if (!row.ok()) return std::move(row).error();
    if (row->empty()) return internal::NotFound();
    auto seen = tx.Query("SELECT 1 FROM identity_verified WHERE account_id = ?", {account_id});
    if (!seen.ok()) return std::move(seen).error();
    if (!seen->empty()) return Ok();
    auto n =
        tx.Exec("INSERT INTO identity_verified (account_id, verified_at, how) VALUES (?, ?, ?)",
                {account_id, now_ms, std::string(how)});
    if (!n.ok()) return std::move(n).error();
    return impl_->Audit(tx, ctx, "account.verified", (*row)[0].Text(0), "how=" + std::string(how),
                        now_ms);
  });
}

Result<int64_t> AccountStore::VerifiedAt(int64_t account_id) {
  auto rows = impl_->db.Query("SELECT verified_at FROM identity_verified WHERE account_id = ?",
                              {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->empty() ? int64_t{0} : (*rows)[0].Int(0);
}

}  // namespace baladiya::identity
