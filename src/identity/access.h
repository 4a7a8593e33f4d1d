// Access rules for routes: every route declares one when it is added, and GuardedRoutes checks it
// (Decide) before the route's handler runs. A module's routes can only be added with a rule, so
// nothing is reachable by accident.
#pragma once

#include <functional>
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

// What identity needs to know of municipalities and departments, which live above it: catalog
// fills this in when it opens. Unset functions mean no municipality is known (kNotFound).
struct Directory {
  // The municipality a slug names; kNotFound for none, kUnavailable when it cannot be read.
  std::function<Result<int64_t>(std::string_view slug)> municipality_id;
  // A department of a municipality by its slug.
  std::function<Result<int64_t>(int64_t municipality_id, std::string_view slug)> department_id;
};

// How GuardedRoutes enforces the rules.
struct Guard {
  // The municipality whose permissions apply to a route with a {slug} (null: none known).
  const Directory* directory = nullptr;
  // The answer to a refused request: sign in (a redirect, or 401 for the API), the second factor,
  // or 403. Unset: a bare status.
  std::function<http::Response(Decision, const http::Request&, int64_t scope)> refuse;
  // The page for a {slug} that names no municipality (404) or cannot be looked up (503).
  std::function<http::Response(int status, const http::Request&)> error_page;
};

// A router wrapper that records each route's access rule and checks it before the handler runs.
class GuardedRoutes {
 public:
  // guard must outlive the routes; null checks the rules with bare refusals (tests of rules).
  explicit GuardedRoutes(http::Router& router, const Guard* guard = nullptr)
      : router_(router), guard_(guard) {}
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
  const Guard* guard_;
  std::map<std::pair<http::Method, std::string>, Access> rules_;
};

}  // namespace baladiya::identity
