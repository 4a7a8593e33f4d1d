// Identity on the web: the authentication middleware (session cookie -> Principal, CSRF check)
// and the residents' pages: register, log in (with TOTP when enrolled), log out, the account
// page, data export, TOTP enrolment, closing the account.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
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
};

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
