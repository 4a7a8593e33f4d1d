// Identity: accounts (residents and staff), roles and permissions, sessions, rate limits, and
// residents' personal data encrypted at rest. The HTTP pages and middleware live in
// identity/web.h; this header is storage and rules only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"

namespace baladiya::audit {
class AuditLog;
}

namespace baladiya::module {
struct Module;
}

namespace baladiya::identity {

class PasswordHasher;  // identity/credentials.h

// ---------------------------------------------------------------------------------------------
// Roles and permissions. Deny by default: a permission is granted only by a role that lists it,
// and only within the grant's scope.

enum class Role {
  kResident,
  kPlatformAdmin,
  kMunicipalAdmin,
  kDepartmentHead,
  kClerk,
  kCounterClerk,
  kAuditor,
  kMinistryObserver,
  kCashier,
  kParticipationOfficer,
};
std::string_view RoleName(Role role);  // "resident", "platform-admin", "municipal-admin", ...
std::optional<Role> ParseRole(std::string_view name);
// Every role, in the order above.
const std::vector<Role>& AllRoles();

enum class Permission {
  kOwnAccount,                // see and change one's own account, export one's data, close it
  kFileOnBehalf,              // counter clerk: file for a resident who is present or on the phone
  kWorkCases,                 // clerk / department head: work a department queue
  kManageDepartment,          // department head: assign, escalate
  kManageStaff,               // municipal admin (platform admin: everywhere): staff and roles
  kManageCatalog,             // municipal admin: services, forms, fees
  kUnmaskPersonalData,        // head, clerk, counter clerk: see personal data unmasked (audited)
  kReadAuditLog,              // auditor: the municipality's audit log
  kReadAcrossMunicipalities,  // ministry observer (read-only)
  kAdministerPlatform,        // platform admin: municipalities, platform settings
  kTakePayments,              // cashier: a cashier session at the counter, payments, receipts
  kRunParticipation,          // participation officer, municipal admin: processes, answers, votes
};
std::string_view PermissionName(Permission p);
const std::vector<Permission>& AllPermissions();

// A role held within a scope. municipality_id 0 means the platform/ministry scope;
// department_id 0 means every department of the municipality.
struct Grant {
  Role role = Role::kResident;
  int64_t municipality_id = 0;
  int64_t department_id = 0;
};

// Who is acting: resolved from the session for every request.
struct Principal {
  int64_t account_id = 0;  // 0 = anonymous
  std::string pseudonym;   // random opaque id; what the audit log records as the actor
  bool staff = false;
  bool mfa_satisfied = false;  // TOTP given in this session (mandatory for staff)
  std::vector<Grant> grants;

  bool anonymous() const { return account_id == 0; }
};

// The one permission check every route goes through. municipality_id / department_id name the
// object's scope (0 when the object is platform-wide). Staff without mfa_satisfied hold no
// permission but kOwnAccount. Scopes:
//   - platform roles (platform-admin, ministry-observer) are granted at municipality 0 and apply
//     to objects of every municipality; the ministry observer holds only read permissions;
//   - municipal roles apply only to objects of their grant's municipality; a grant with a
//     department applies department-level permissions (kWorkCases, kManageDepartment,
//     kUnmaskPersonalData) only to objects of that department (not to department 0), and
//     municipality-level permissions to the whole municipality;
//   - kOwnAccount is held by every signed-in account.
bool Allowed(const Principal& who, Permission what, int64_t municipality_id,
             int64_t department_id = 0);

// Allowed for some object of the municipality: for a department-level permission, in at least
// one department the account's grants cover. What a route rule checks (the handler then checks
// the object's own department with Allowed).
bool AllowedSomewhere(const Principal& who, Permission what, int64_t municipality_id);

// True when the role's permissions depend on the object's department.
bool IsDepartmentLevel(Permission p);
// True for roles granted platform-wide (municipality 0): platform admin, ministry observer.
bool IsPlatformRole(Role role);

// Whether `who` may give (or take away) grant g to someone: platform roles only by a platform
// admin; municipal roles by whoever is Allowed kManageStaff in g's municipality. The staff pages
// check this for every grant added or removed, so no one hands out more than they administer.
bool MayGrant(const Principal& who, const Grant& g);

// ---------------------------------------------------------------------------------------------
// Accounts.

enum class AccountKind { kResident, kStaff };
enum class AccountStatus { kActive, kDisabled, kClosed };

// Personal fields, decrypted. Empty when absent (or destroyed by account closure).
struct PersonalData {
  std::string national_id;  // 9 digits
  std::string phone;        // E.164
  std::string email;
  std::string birth_date;  // YYYY-MM-DD
};

struct Account {
  int64_t id = 0;
  std::string pseudonym;
  AccountKind kind = AccountKind::kResident;
  AccountStatus status = AccountStatus::kActive;
  std::string full_name_ar;
  std::string full_name_en;
  std::string username;              // staff login name (empty for residents)
  std::string lang = "ar";           // preferred language for notifications
  int64_t home_municipality_id = 0;  // staff: the municipality (0 = ministry/platform)
  bool totp_enabled = false;
  int64_t created_at = 0;
  PersonalData personal;  // filled only by calls that say so
};

// Masks a value for staff screens: first and last characters kept ("9*****123",
// "+97059****567", "a***@example.org").
std::string Mask(std::string_view value);

struct ResidentRegistration {
  std::string national_id;  // as typed; normalised and validated by Register
  std::string full_name_ar;
  std::string full_name_en;  // optional
  std::string phone;         // as typed
  std::string email;         // optional
  std::string birth_date;    // optional, YYYY-MM-DD
  std::string password;
  std::string lang = "ar";
};

struct StaffInput {
  std::string username;  // 3..40 of [a-z0-9._-]
  std::string full_name_ar;
  std::string full_name_en;
  std::string email;
  std::string password;
  int64_t municipality_id = 0;
  std::vector<Grant> grants;
};

// What a login or a lookup needs, without decrypting anything else.
struct Credentials {
  int64_t account_id = 0;
  AccountStatus status = AccountStatus::kActive;
  AccountKind kind = AccountKind::kResident;
  std::string password_hash;
  bool totp_enabled = false;
};

// Every call that changes state appends an audit entry in the same transaction (actor
// pseudonym, action, object pseudonym, municipality, request id; never personal data).
struct AuditContext {
  std::string actor;  // pseudonym of who acts ("system" for the command line)
  std::string request_id;
  int64_t municipality_id = 0;
};

// Appends the audit entry of a change to `object` (a pseudonymous name such as "api-token:7")
// made under ctx, inside tx; nothing when log is null. The actor is ctx's, or default_actor.
Status AuditChange(audit::AuditLog* log, db::Tx& tx, const AuditContext& ctx,
                   std::string_view action, std::string_view object, int64_t municipality_id,
                   std::string details, int64_t now_ms, std::string_view default_actor = "system");

// Work a caller adds to a store's transaction (e.g. queueing the notification of the change).
using TxHook = std::function<Status(db::Tx&)>;

class AccountStore {
 public:
  // keys: the master key wraps each resident's data key; blind_index keys lookups.
  AccountStore(db::Database& db, const crypto::KeyFile& keys, audit::AuditLog* audit);

  // Validates every field (errors carry per-field message keys in Error::fields), hashes the
  // password (on the hasher), encrypts personal fields under a fresh data key. One national ID
  // is one account: kConflict "identity.national_id.taken", enforced by a UNIQUE blind index,
  // also under concurrent registrations.
  Result<int64_t> RegisterResident(const ResidentRegistration& r, class PasswordHasher& hasher,
                                   const AuditContext& ctx, int64_t now_ms);
  Result<int64_t> CreateStaff(const StaffInput& s, PasswordHasher& hasher, const AuditContext& ctx,
                              int64_t now_ms);
  // A resident account opened by counter staff for a caller who has none (ctx names the clerk
  // and the municipality): validated as RegisterResident validates (the password aside), personal
  // fields encrypted the same way, but no password, so nobody can sign in with it until the
  // person takes it over with a one-time code to the phone on file (forgot password, or
  // registering again with the same ID). Marked opened at the counter and audited
  // "account.opened_at_counter". in_tx, when given, runs in the same transaction with the new
  // account's id (the SMS telling the person is queued with the account, or neither happens).
  // kConflict "identity.national_id.taken" / "identity.phone.taken" as for registration.
  using OpenedHook = std::function<Status(db::Tx&, int64_t account_id)>;
  Result<int64_t> OpenAtCounter(const ResidentRegistration& r, const AuditContext& ctx,
                                int64_t now_ms, const OpenedHook& in_tx = {});
  // Whether the account was opened at the counter and has no password yet (not taken over).
  Result<bool> AwaitingTakeOver(int64_t account_id);

  // Looks a resident up by national ID or phone (through the blind index), or staff by username.
  // kNotFound when nobody matches (callers must still spend a dummy verify).
  Result<Credentials> FindForLogin(std::string_view login);
  // The rate-limit key of what was typed as a login (at login, "forgot password" and reset),
  // the same for every spelling FindForLogin treats alike: digits typed in any form (Arabic-Indic
  // or Eastern Arabic-Indic digits, spaces, dots, dashes, parentheses, a no-break space, the
  // LRM/RLM/ALM marks, a leading + or 00 and a country code) count by their last nine digits, so
  // a national ID and every spelling of a phone number each meet in one key; a login name counts
  // in lower case; text that could name no account shares one key, so spelling variants of
  // unknown logins cannot be multiplied either. "login:<hex HMAC under the blind-index key>":
  // the limiter's memory holds no national ID. No database access.
  std::string LoginLimitKey(std::string_view typed) const;
  // Device tokens (OWASP's device cookies): a browser that signed in to an account with its
  // password receives one, bound to that account by an HMAC under the blind-index key. A login
  // attempt from a browser holding a valid one for the account it names is limited per token
  // instead of per account, so that someone guessing a named staff member's password cannot
  // lock them out of a browser they have used before. Stateless; no database access.
  std::string NewDeviceToken(int64_t account_id) const;
  bool DeviceTokenValid(int64_t account_id, std::string_view token) const;

  // Shows one personal field of an account in full to staff who hold kUnmaskPersonalData for
  // the object's (municipality, department), e.g. a case's applicant on the case page: checks
  // the scope (kForbidden) and the field (kInvalid), then writes "account.unmask" as the
  // counter's lookup does, with the field and `about` (a case's tracking number) in the details.
  // Returns the account with personal data.
  Result<Account> UnmaskFor(const Principal& who, int64_t municipality_id, int64_t department_id,
                            int64_t account_id, std::string_view field, std::string_view about,
                            const AuditContext& ctx, int64_t now_ms);
  // The counter's lookup of a resident by national ID or phone, for staff of municipality
  // municipality_id. In this order: who must hold kFileOnBehalf there, and kUnmaskPersonalData
  // too when unmask_field names a personal field (kForbidden before any search); then who's
  // lookup quota (30 in 10 minutes and 300 a day per staff account; past it kUnavailable with
  // message key "limits.lookups" and the seconds to wait in Error::fields["retry_after"]); then
  // the search; then an audit entry in the municipality, whether or not someone was found
  // ("account.lookup", or "account.unmask" with the field; never what was typed). Returns the
  // active resident with personal data, or kNotFound. kInvalid for an unknown field.
  Result<Account> LookUpResident(const Principal& who, int64_t municipality_id,
                                 std::string_view query, std::string_view unmask_field,
                                 const AuditContext& ctx, int64_t now_ms);
  // The same for an account known by id (re-authentication before sensitive actions).
  Result<Credentials> CredentialsOf(int64_t account_id);
  Result<Account> Get(int64_t account_id, bool with_personal_data);
  // The same inside the caller's transaction (a module's observer of a change, which should not
  // need a second connection while the change holds one).
  Result<Account> Get(db::Tx& tx, int64_t account_id, bool with_personal_data);
  Result<std::vector<Grant>> Grants(int64_t account_id);
  Status SetGrants(int64_t account_id, const std::vector<Grant>& grants, const AuditContext& ctx,
                   int64_t now_ms);
  // Disabling ends all sessions; enabling also clears second-factor failures (an
  // administrator's reset, see SecondFactorFailed).
  Status SetStatus(int64_t account_id, AccountStatus status, const AuditContext& ctx,
                   int64_t now_ms);
  // Ends all sessions and spends any reset code. in_tx, when given, runs inside the same
  // transaction (the caller's notification goes out with the change, or neither happens).
  Status SetPassword(int64_t account_id, std::string_view new_hash, const AuditContext& ctx,
                     int64_t now_ms, const TxHook& in_tx = {});
  // Staff of a municipality (for the staff management page), closed accounts left out, by
  // username.
  Result<std::vector<Account>> Staff(int64_t municipality_id);

  // TOTP: the secret is stored encrypted; recovery codes hashed.
  Status EnableTotp(int64_t account_id, std::string_view secret,
                    const std::vector<std::string>& recovery_codes, const AuditContext& ctx,
                    int64_t now_ms);
  // kNotFound when TOTP is not enabled (or the account was closed).
  Result<std::string> TotpSecret(int64_t account_id);
  // Turns TOTP off and deletes the secret and recovery codes (residents only; staff must keep it:
  // kInvalid "identity.totp.required").
  Status DisableTotp(int64_t account_id, const AuditContext& ctx, int64_t now_ms);
  // Accepts a TOTP step only once (replay refused).
  Result<bool> UseTotpStep(int64_t account_id, int64_t step);
  Result<bool> UseRecoveryCode(int64_t account_id, std::string_view code, const AuditContext& ctx,
                               int64_t now_ms);

  // Second-factor failures, counted per account with no forgiving window: only an accepted code
  // (SecondFactorPassed) or an administrator (SetStatus to active, or ResetSecondFactor) clears
  // them. Every kSecondFactorRound consecutive failures end a round: the account's sessions
  // that have not given the second factor end (the password must be given again), and codes are
  // refused for 2^(round-1) minutes, at most a day. About 5 guesses a day at worst, instead of
  // thousands; audited ("account.mfa_failures", actor the account).
  static constexpr int kSecondFactorRound = 5;
  struct SecondFactorState {
    int failures = 0;           // consecutive
    int64_t blocked_until = 0;  // ms; codes are refused until then
    bool round_ended = false;   // set by SecondFactorFailed when this failure ended a round
  };
  Result<SecondFactorState> SecondFactor(int64_t account_id);
  Result<SecondFactorState> SecondFactorFailed(int64_t account_id, const AuditContext& ctx,
                                               int64_t now_ms);
  Status SecondFactorPassed(int64_t account_id);
  // Audited ("account.mfa_reset").
  Status ResetSecondFactor(int64_t account_id, const AuditContext& ctx, int64_t now_ms);

  // One-time codes for "forgot password": 8 digits, stored as a keyed hash, valid 10 minutes,
  // single use; issuing a new code replaces the previous one. Per account, in a 24-hour window
  // opened by the first code: at most kResetCodesPerDay codes (past it kConflict
  // "identity.reset_code.daily_limit", nothing sent) and at most 5 wrong guesses in all (a new
  // code never resets that count). Both are audited ("account.reset_code",
  // "account.reset_code_used"); an empty ctx.actor is recorded as the account itself.
  // deliver, when given, runs inside the transaction that stores the code and receives it: the
  // code is stored only if its delivery is queued (notify's transactional outbox).
  static constexpr int kResetCodesPerDay = 5;
  Result<std::string> IssueResetCode(
      int64_t account_id, int64_t now_ms, const AuditContext& ctx = {},
      const std::function<Status(db::Tx&, const std::string& code)>& deliver = {});
  // account_id 0 (an unknown login) runs the same statements, which match nothing: the answer
  // takes the same work whether or not the account exists.
  Result<bool> ConsumeResetCode(int64_t account_id, std::string_view code, int64_t now_ms,
                                const AuditContext& ctx = {});

  // Every datum held about the account as JSON (personal fields decrypted).
  Result<std::string> ExportJson(int64_t account_id);
  // Closes the account: deletes its data key (crypto-shredding) and blind indexes, keeps the
  // pseudonymous row, ends sessions. The audit log is untouched.
  // keep_claim (the person leaves open applications behind): the blind index of the ID number
  // is kept apart (account_reclaims), so that registering again with it reclaims them.
  Status Close(int64_t account_id, const AuditContext& ctx, int64_t now_ms,
               bool keep_claim = false);
  // Called inside the registration's transaction when a new resident registers with the ID
  // number of a closed account kept by Close(keep_claim): the module moves what belonged to the
  // old account to the new one (an error rolls the registration back). Set while the modules
  // open, before serving.
  using ReclaimObserver = std::function<Status(db::Tx&, int64_t old_account, int64_t new_account)>;
  void AddReclaimObserver(ReclaimObserver observer);
  // Records that a staff member unmasked a field of an account (audited).
  Status AuditUnmask(int64_t account_id, std::string_view field, const AuditContext& ctx,
                     int64_t now_ms);

  // Marks the account's identity as proved (`how`: "civil-registry", "counter"); marking again
  // keeps the first. Audited "account.verified". kNotFound for no such account.
  Status MarkVerified(int64_t account_id, std::string_view how, const AuditContext& ctx,
                      int64_t now_ms);
  // When the account's identity was proved, or 0.
  Result<int64_t> VerifiedAt(int64_t account_id);

 private:
  // RegisterResident and OpenAtCounter: hasher null opens a counter account without password.
  Result<int64_t> AddResident(const ResidentRegistration& r, PasswordHasher* hasher,
                              const AuditContext& ctx, int64_t now_ms, const OpenedHook& in_tx);
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------
// Sessions: 256-bit random tokens, stored only as SHA-256 hashes.

struct SessionPolicy {
  std::chrono::minutes resident_idle{60};
  std::chrono::hours resident_absolute{24 * 7};
  std::chrono::minutes staff_idle{30};
  std::chrono::hours staff_absolute{12};
};

// What a session keeps of the browser that opened it, for the account security page: no
// User-Agent and no whole address, only what a person needs to recognise their own sessions.
struct SessionClient {
  std::string agent;    // "firefox/windows": keys of identity's messages (web.h DescribeAgent)
  std::string network;  // the address shortened: "203.0.113.x", "2001:db8:1:2::/64"
};

struct Session {
  std::string id_hash;  // hex SHA-256 of the token
  int64_t account_id = 0;
  bool mfa_satisfied = false;
  std::string csrf_token;  // per-session secret for forms
  int64_t created_at = 0;
  int64_t last_seen_at = 0;
  SessionClient client;
};

class SessionStore {
 public:
  SessionStore(db::Database& db, SessionPolicy policy);
  // A new session; returns the token (only ever returned here). in_tx, when given, runs in the
  // same transaction (the login's audit entry: no session without its entry).
  // client: what the security page shows of the browser (kept on elevation).
  Result<std::string> Create(int64_t account_id, bool staff, bool mfa_satisfied, int64_t now_ms,
                             const TxHook& in_tx = {}, const SessionClient& client = {});
  // The live session for a token, touching last_seen_at (at most once a minute). kNotFound when
  // unknown, expired (idle or absolute), or its account is not active.
  Result<Session> Resolve(std::string_view token, int64_t now_ms);
  // Marks MFA done and rotates the token (privilege change); returns the new token. in_tx runs
  // in the same transaction, only when the session was live.
  Result<std::string> Elevate(std::string_view token, int64_t now_ms, const TxHook& in_tx = {});
  // in_tx runs in the same transaction, only when a session was ended.
  Status Revoke(std::string_view token, const TxHook& in_tx = {});
  Status RevokeAll(int64_t account_id);
  // Deletes expired sessions; returns how many.
  Result<int64_t> PurgeExpired(int64_t now_ms);
  // Live sessions of an account (for "your sessions" and the data export).
  Result<int64_t> CountLive(int64_t account_id, int64_t now_ms);
  // The account's live sessions, the most recently seen first (csrf_token left empty).
  Result<std::vector<Session>> Live(int64_t account_id, int64_t now_ms);
  // Ends the account's session whose id_hash is given (another account's is never touched);
  // returns whether one ended. in_tx runs in the same transaction, only when one did.
  Result<bool> End(int64_t account_id, std::string_view id_hash, const TxHook& in_tx = {});
  // Ends every session of the account but the one of keep_token; returns how many. in_tx runs
  // in the same transaction (always: "none ended" is recorded too).
  Result<int64_t> EndOthers(int64_t account_id, std::string_view keep_token,
                            const TxHook& in_tx = {});

 private:
  db::Database& db_;
  SessionPolicy policy_;
};

// ---------------------------------------------------------------------------------------------
// API tokens: "bt_" + 43 base64url characters (256 random bits); stored as SHA-256 hex. A token
// acts as its account with exactly one grant (role, municipality, department) and counts as
// having passed the second factor (it is issued by someone who did).

struct ApiToken {
  int64_t id = 0;
  int64_t account_id = 0;
  Grant grant;
  std::string label;
  int64_t created_at = 0;
  int64_t last_used_at = 0;
  int64_t revoked_at = 0;
  int64_t expires_at = 0;  // set at issue; the token is refused from then on
};

class ApiTokenStore {
 public:
  ApiTokenStore(db::Database& db, AccountStore& accounts, audit::AuditLog* audit)
      : db_(db), accounts_(accounts), audit_(audit) {}
  // Issues a token for a staff account; the grant must be one the account holds (kForbidden
  // otherwise). It expires after lifetime (1 day to 1 year; kInvalid otherwise). Returns the
  // token (only ever returned here). Audited ("api_token.issued", with the expiry).
  static constexpr std::chrono::hours kDefaultLifetime{24 * 90};
  Result<std::string> Issue(int64_t account_id, const Grant& grant, const std::string& label,
                            const AuditContext& ctx, int64_t now_ms,
                            std::chrono::hours lifetime = kDefaultLifetime);
  // The principal a token stands for; kNotFound for an unknown, revoked or expired token, or an
  // account that is no longer active.
  Result<Principal> Resolve(std::string_view token, int64_t now_ms);
  Status Revoke(int64_t token_id, const AuditContext& ctx, int64_t now_ms);
  // The municipality's tokens with their expiry, oldest first.
  Result<std::vector<ApiToken>> OfMunicipality(int64_t municipality_id);

 private:
  db::Database& db_;
  AccountStore& accounts_;
  audit::AuditLog* audit_;
};

// ---------------------------------------------------------------------------------------------
// Rate limits with growing back-off, in memory (per process). Keys are "ip:1.2.3.4",
// "account:42", "login:<blind index>".

class RateLimiter {
 public:
  struct Rule {
    int burst = 5;                           // failures allowed before back-off
    std::chrono::seconds window{60};         // failures older than this are forgotten
    std::chrono::seconds first_backoff{30};  // doubles with each further failure
    std::chrono::seconds max_backoff{60 * 60};
  };
  explicit RateLimiter(Rule rule) : rule_(rule) {}
  // 0 when allowed now, else the seconds until the next attempt is allowed.
  int64_t RetryAfter(const std::string& key, int64_t now_ms);
  void Failure(const std::string& key, int64_t now_ms);
  void Success(const std::string& key);
  // Keys currently remembered (for tests and /metrics).
  size_t TrackedKeys();

 private:
  struct State {
    std::vector<int64_t> failures;
    int64_t blocked_until = 0;
    int level = 0;
  };
  Rule rule_;
  std::mutex mu_;
  std::unordered_map<std::string, State> state_;
  uint64_t calls_ = 0;
};

// Counts every event (not only failures) per key: at most `limit` in any sliding `window`. For
// work that costs the platform whether or not it succeeds (registrations hash a password,
// lookups read personal data). In memory, per process; thread-safe.
class Quota {
 public:
  Quota(int limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  // 0 when allowed (the event is counted), else the seconds until one is allowed (nothing
  // counted).
  int64_t Take(const std::string& key, int64_t now_ms);
  size_t TrackedKeys();

 private:
  int limit_;
  std::chrono::seconds window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::vector<int64_t>> events_;  // times, oldest first
  uint64_t calls_ = 0;
};

// Identity's migrations (numbers 200..299).
std::vector<db::Migration> Migrations();

// The identity module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::identity
