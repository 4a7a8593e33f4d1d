// Identity on the web: the authentication middleware (session cookie -> Principal, CSRF check)
// and the residents' pages: register, log in (with TOTP when enrolled), log out, the account
// page, data export, TOTP enrolment, closing the account.
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

#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "platform/http/http.h"
#include "platform/i18n/locale.h"
#include "platform/render/page.h"

namespace baladiya::audit {
class AuditLog;
}

namespace baladiya::identity {

// access.denied entries, aggregated so that refused requests cannot flood the audit log: the
// first refusal of a (principal, route, municipality) in a window is written, the others in that
// window only counted (and reported as "suppressed=N" in that key's next entry); and at most
// per_principal entries per principal per window, whatever the routes. In memory; thread-safe.
class DenialLog {
 public:
  explicit DenialLog(std::chrono::seconds window = std::chrono::seconds(60), int per_principal = 10)
      : window_(window), per_principal_(per_principal) {}
  // Whether this refusal gets an entry; when it does, *suppressed holds the refusals of the key
  // that got none since its last entry.
  bool ShouldWrite(const std::string& principal, const std::string& route, int64_t municipality,
                   int64_t now_ms, int64_t* suppressed);

 private:
  struct Key {
    int64_t window_start = 0;
    int64_t suppressed = 0;
  };
  struct Actor {
    int64_t window_start = 0;
    int written = 0;
  };
  std::chrono::seconds window_;
  int per_principal_;
  std::mutex mu_;
  std::unordered_map<std::string, Key> keys_;
  std::unordered_map<std::string, Actor> actors_;
  uint64_t calls_ = 0;
};

// Sessions that gave their password again a moment ago ("sudo mode" for the data export): by the
// hash of the session token, for `window`. In memory, per process; thread-safe.
class RecentPasswords {
 public:
  explicit RecentPasswords(std::chrono::seconds window = std::chrono::minutes(5))
      : window_ms_(static_cast<int64_t>(window.count()) * 1000) {}
  void Mark(const std::string& session, int64_t now_ms);
  bool Fresh(const std::string& session, int64_t now_ms);

 private:
  int64_t window_ms_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> at_;
};

// The identity pages' own limits, beside those WebServices names; the defaults suit a
// municipality's platform, and a test may replace them.
struct WebLimits {
  // Registrations hash a password whether or not they succeed: every attempt counts, per client
  // address and per network (the address's /64 for IPv6; the address itself for IPv4).
  Quota registrations_per_address{10, std::chrono::hours(1)};
  Quota registrations_per_network{30, std::chrono::hours(1)};
  // Wrong passwords given by a signed-in session (closing the account asks for it), per account:
  // a stolen session is not a password oracle.
  RateLimiter reauth{{3, std::chrono::minutes(15), std::chrono::minutes(1), std::chrono::hours(1)}};
  // The data export asks for the password again, then shows for 5 minutes without asking.
  RecentPasswords recent;
  DenialLog denials;
};

// The plain fields of forms posted after their session had ended (it expired, or was signed out
// elsewhere), kept so that the person signs in again and finds their answers: in memory, each
// under a random token (the "resume" cookie of that browser) and the path it was posted to, for
// `ttl` and at most `capacity` forms of at most max_bytes each (the oldest go first). Taken once.
// Thread-safe.
class FormStash {
 public:
  explicit FormStash(std::chrono::minutes ttl = std::chrono::minutes(30), size_t capacity = 1000,
                     size_t max_bytes = 64 * 1024)
      : ttl_ms_(std::chrono::milliseconds(ttl).count()),
        capacity_(capacity),
        max_bytes_(max_bytes) {}
  // The token, or empty when the form is too large to keep.
  std::string Put(const std::string& path, std::string encoded_fields, int64_t now_ms);
  // The fields kept under token for this path (urlencoded), removed; nullopt when none.
  std::optional<std::string> Take(const std::string& token, const std::string& path,
                                  int64_t now_ms);

 private:
  struct Kept {
    std::string path;
    std::string fields;
    int64_t at_ms = 0;
  };
  int64_t ttl_ms_;
  size_t capacity_;
  size_t max_bytes_;
  std::mutex mu_;
  std::unordered_map<std::string, Kept> kept_;
};

// The request attribute holding a form's fields (urlencoded, csrf left out) posted to this path
// after its session had ended, once the person has signed in again and comes back to the page
// (Authenticate sets it on that GET): the page shows them, unsaved, for the person to check.
inline constexpr std::string_view kResumedForm = "identity.resumed_form";

// A module's part of a person's data export ("everything held about me", /account/export): a
// readable page in their language and a JSON download. Keys are for the JSON, labels and titles
// for the page, both in the person's language where they are words.
struct ExportField {
  std::string key;    // "tracking"
  std::string label;  // "Tracking number"
  std::string value;  // as the person reads it
};
struct ExportGroup {  // a list inside a record: a case's history, its files
  std::string key;
  std::string title;
  std::vector<std::vector<ExportField>> rows;
};
struct ExportRecord {  // one application, one message
  std::string title;
  std::vector<ExportField> fields;
  std::vector<ExportGroup> groups;
};
struct ExportSection {
  std::string key;    // "applications"
  std::string title;  // "Your applications"
  std::vector<ExportRecord> records;
};
using Exporter = std::function<Result<ExportSection>(int64_t account_id, i18n::Lang lang)>;

// Something still open that closing the account would leave behind (an open application): what
// the closing page lists, with a link to it.
struct OpenMatter {
  std::string label;
  std::string href;
};

// What the identity pages use. All pointers must outlive the routes.
struct WebServices {
  AccountStore* accounts = nullptr;
  SessionStore* sessions = nullptr;
  PasswordHasher* hasher = nullptr;
  audit::AuditLog* audit = nullptr;
  RateLimiter* login_limits = nullptr;     // failed logins per IP and per login name
  RateLimiter* register_limits = nullptr;  // registrations per IP
  RateLimiter* code_limits = nullptr;      // reset-code requests and guesses, per IP and login
  ApiTokenStore* api_tokens = nullptr;     // "Authorization: Bearer bt_..." (optional)
  const render::Site* site = nullptr;
  bool secure_cookies = false;  // add Secure to cookies (served over TLS)
  std::function<int64_t()> now_ms;
  // The app's error page (status, request) in the request's language.
  std::function<http::Response(int, const http::Request&)> error_page;
  // "Forgot password": queues the reset code for the account (SMS to its phone, email when it has
  // one) inside the transaction that issues the code. Unset: the pages answer 404.
  std::function<Status(db::Tx&, const Account&, const std::string& code, int64_t now_ms)>
      send_reset_code;
  // Queues "your password was changed" inside the change's transaction (optional).
  std::function<Status(db::Tx&, const Account&, int64_t now_ms)> send_password_changed;
  // Tells the account's owner of a sign-in with the password from a browser that had not signed
  // in to the account before (no valid device token): in-app and by email, with the browser in
  // words in the owner's language (optional; a failure never stops the sign-in).
  std::function<Status(const Account&, const std::string& browser, int64_t now_ms)> send_new_signin;
  // Called after a transaction that queued notifications commits (wakes the dispatcher).
  std::function<void()> notified;
  // Path prefixes whose handlers authenticate every unsafe request themselves and never act on
  // a session (Open311's "/open311/", where writes carry an api_key): no anti-forgery check
  // there, since a forged cross-site request would carry no credential they accept.
  std::vector<std::string> self_authenticating_paths;
  // Links other modules add to the account page (a resident's applications, the inbox, a clerk's
  // queue, ...), shown in the order added before the account's own (second factor, export,
  // closing): each to those `shown` lets see (null: everyone signed in).
  struct AccountLink {
    std::string label_key;  // a message key of the module that adds it
    std::string href;
    std::function<bool(const Principal&)> shown;
  };
  std::vector<AccountLink> account_links;
  // Where staff land after signing in when they asked for no particular page, and where the
  // recovery codes page sends them on (empty: /account, as residents).
  std::string staff_home;
  std::shared_ptr<WebLimits> limits = std::make_shared<WebLimits>();
  std::shared_ptr<FormStash> stash = std::make_shared<FormStash>();
  // The other modules' parts of the data export, in the order added (after the account's own).
  std::vector<Exporter> exporters;
  // What is still open for an account (its open applications), listed before it is closed; each
  // module's in the order added.
  std::vector<std::function<Result<std::vector<OpenMatter>>(int64_t account_id, i18n::Lang lang)>>
      open_matters;
};

// Appends the access.denied entry of a signed-in principal refused a route (anonymous refusals
// are not recorded: anyone could fill the log with them), aggregated by services.limits->denials.
// An error when the entry could not be written: the caller fails the request (503); the failure
// is logged here.
Status AuditDenied(const WebServices& services, const http::Request& req, int64_t municipality_id);

// Logs that an audit entry could not be written for a request (the request then fails).
void LogAuditFailure(const http::Request& req, const Error& error);

// The 429 page of a limit: message_key (with {minutes}) in the request's language, Retry-After,
// and a security event in the log.
http::Response TooManyPage(const WebServices& services, const http::Request& req,
                           int64_t wait_seconds, std::string_view message_key = "limits.body");

// Resolves the "sid" cookie (or, without one, an "Authorization: Bearer" API token) into the
// request's Principal; on POST, PUT, PATCH and DELETE
// checks the anti-forgery token (form field "csrf" or header X-CSRF-Token) against the
// session's, or, without a session, against the "csrf" cookie (double submit). A mismatch
// answers 403 and nothing runs, except when the request carried a session cookie that no longer
// resolves (the session expired or was ended; SameSite=Lax keeps that cookie off cross-site
// posts): then nothing runs either, the form's plain fields go to services.stash, and the answer
// is a redirect to /login?next=<the page>&ended=1 (saying why) with the "resume" cookie, so that
// after signing in the page's GET finds them in the attribute kResumedForm.
http::Middleware Authenticate(const WebServices& services);

// The anti-forgery token to put in a form: the session's, or the anonymous "csrf" cookie's.
// fresh is true when the request had neither: the caller sets the cookie with CsrfCookie.
struct FormToken {
  std::string value;
  bool fresh = false;
};
FormToken TokenFor(const http::Request& req);
// The Set-Cookie value of the anonymous form token; over_tls (http::ServedOverTls of the request)
// names it "__Host-csrf" and adds Secure, as TokenFor and Authenticate then read it.
std::string CsrfCookie(const std::string& token, bool over_tls);

// What the account security page shows of a browser: "<browser>/<system>" from a User-Agent,
// each a key of identity's messages ("security.browser.firefox", "security.os.windows"; "other"
// when unknown), so that no User-Agent is stored and the words follow the reader's language.
std::string DescribeAgent(std::string_view user_agent);
// A client address shortened to its network, as the security page shows it: IPv4 with its last
// part hidden ("203.0.113.x"), IPv6 as its /64 ("2001:db8:1:2::/64"); "" for anything else.
std::string ShortNetwork(std::string_view address);

// Adds the identity pages to routes. The request's language comes from the "lang" attribute.
void AddRoutes(GuardedRoutes& routes, const WebServices& services);

}  // namespace baladiya::identity
