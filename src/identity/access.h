// Access rules for routes: every route declares one when it is added, and the application checks
// it centrally (app/web.cpp Dispatch) with Allowed() before any handler runs. A route cannot be
// added without a rule, so nothing is reachable by accident.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "identity/identity.h"
#include "platform/http/http.h"
#include "platform/http/router.h"

namespace baladiya::identity {

struct Access {
  // kSignedIn and kPermission also need the session's second factor when the account has one
  // (always, for staff); kBeforeSecondFactor routes are the few a half-signed-in session may use
  // to give or set up its second factor, or to log out.
  enum class Kind { kPublic, kBeforeSecondFactor, kSignedIn, kPermission };
  Kind kind = Kind::kPublic;
  Permission permission = Permission::kOwnAccount;

  static Access Public() { return {Kind::kPublic, Permission::kOwnAccount}; }
  static Access SignedIn() { return {Kind::kSignedIn, Permission::kOwnAccount}; }
  static Access BeforeSecondFactor() {
    return {Kind::kBeforeSecondFactor, Permission::kOwnAccount};
  }
  // The permission is checked in the scope of the route's {slug} municipality (0 without one).
  static Access Requires(Permission p) { return {Kind::kPermission, p}; }
};

enum class Decision {
  kAllow,
  kSignIn,    // anonymous: send to the login page (401 for the API)
  kTotp,      // staff who have not given their TOTP code in this session
  kForbidden  // signed in, but not allowed (403)
};

// The one decision every request goes through.
Decision Decide(const Principal& who, const Access& rule, int64_t municipality_id);

// The request's principal (an anonymous one when the middleware set none).
const Principal& PrincipalOf(const http::Request& req);
void SetPrincipal(http::Request& req, std::shared_ptr<const Principal> principal);

// A router wrapper that records each route's access rule.
class GuardedRoutes {
 public:
  explicit GuardedRoutes(http::Router& router) : router_(router) {}
  void Add(http::Method method, std::string_view pattern, Access rule, http::Handler handler);
  void Get(std::string_view pattern, Access rule, http::Handler handler) {
    Add(http::Method::kGet, pattern, rule, std::move(handler));
  }
  void Post(std::string_view pattern, Access rule, http::Handler handler) {
    Add(http::Method::kPost, pattern, rule, std::move(handler));
  }
  // The rule of a route (HEAD uses GET's). Null for a route added without one (a bug).
  const Access* RuleFor(http::Method method, const std::string& pattern) const;
  // Every (method, pattern, rule), for the test that walks all routes with all roles.
  std::vector<std::tuple<http::Method, std::string, Access>> All() const;

 private:
  http::Router& router_;
  std::map<std::pair<http::Method, std::string>, Access> rules_;
};

}  // namespace baladiya::identity
