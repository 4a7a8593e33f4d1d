// Identity on the web: the authentication middleware (session cookie -> Principal, CSRF check)
// and the residents' pages: register, log in (with TOTP when enrolled), log out, the account
// page, data export, TOTP enrolment, closing the account.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "platform/http/http.h"
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
  DenialLog denials;
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
// answers 403 and nothing runs.
http::Middleware Authenticate(const WebServices& services);

// The anti-forgery token to put in a form: the session's, or the anonymous "csrf" cookie's.
// fresh is true when the request had neither: the caller sets the cookie with CsrfCookie.
struct FormToken {
  std::string value;
  bool fresh = false;
};
FormToken TokenFor(const http::Request& req);
std::string CsrfCookie(const std::string& token, bool secure_cookies);

// Adds the identity pages to routes. The request's language comes from the "lang" attribute.
void AddRoutes(GuardedRoutes& routes, const WebServices& services);

}  // namespace baladiya::identity
