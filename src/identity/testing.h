// Test support for the web tests of identity and of the modules above it (tests only): acting as
// a chosen identity::Principal without signing in, identity's settings for the web harness
// (platform/testing/web_harness.h), and registering a resident through the real pages.
//
// Acting as a principal: a test names principals (Principals::Set) and puts Principals::
// Middleware() in module::WebOptions::extra_middleware, after identity's own authentication; a
// request carrying the header "X-Test-Principal: NAME" then acts as that principal, whatever
// session it has or lacks. Requests without the header are untouched, so signing in through the
// real pages keeps working beside it. Unsafe requests still pass identity's anti-forgery check
// first: send the anonymous pair (the "csrf" cookie and the same token in the form or the
// X-CSRF-Token header), as testing::Browser does after any page with a form.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "identity/access.h"
#include "identity/identity.h"
#include "platform/http/http.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"

namespace baladiya::identity::testing {

inline constexpr char kPrincipalHeader[] = "X-Test-Principal";

class Principals {
 public:
  // Requests that carry "X-Test-Principal: name" act as p from now on.
  void Set(const std::string& name, Principal p) {
    std::lock_guard lock(mu_);
    by_name_[name] = std::make_shared<const Principal>(std::move(p));
  }
  // The header line (CRLF included) that makes a request act as name.
  static std::string Header(const std::string& name) {
    return std::string(kPrincipalHeader) + ": " + name + "\r\n";
  }
  // The middleware to put after identity's authentication. It must not outlive this object. A
  // name nobody set answers 500: a test bug, not a request to let through as someone else.
  http::Middleware Middleware() {
    return [this](http::Request& req, const http::Handler& next) -> http::Response {
      std::string_view name = req.headers.Get("x-test-principal");
      if (name.empty()) return next(req);
      std::shared_ptr<const Principal> p;
      {
        std::lock_guard lock(mu_);
        auto it = by_name_.find(std::string(name));
        if (it != by_name_.end()) p = it->second;
      }
      if (!p) return http::Response::Text(500, "no test principal named " + std::string(name));
      SetPrincipal(req, p);
      return next(req);
    };
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const Principal>, std::less<>> by_name_;
};

// The principal a session of the account would carry (its pseudonym, kind and grants), with or
// without its second factor.
inline Result<Principal> PrincipalOf(AccountStore& accounts, int64_t account_id,
                                     bool mfa_satisfied = true) {
  auto account = accounts.Get(account_id, false);
  if (!account.ok()) return std::move(account).error();
  auto grants = accounts.Grants(account_id);
  if (!grants.ok()) return std::move(grants).error();
  Principal p;
  p.account_id = account->id;
  p.pseudonym = account->pseudonym;
  p.staff = account->kind == AccountKind::kStaff;
  p.mfa_satisfied = mfa_satisfied;
  p.grants = std::move(*grants);
  return p;
}

// identity's settings (`baladiya serve`'s defaults, two hashing threads) for the web harness.
inline std::map<std::string, std::string> Settings() {
  return {{"hash-threads", "2"}, {"hsts", "false"}, {"checkpoint-seconds", "60"}};
}

// Registers a resident through the registration form; returns the final response (303 to
// /account when it worked).
inline std::string Register(baladiya::testing::Browser& b, const std::string& national_id,
                            const std::string& phone) {
  b.Get("/register");
  return b.Post("/register", {{"national_id", national_id},
                              {"full_name_ar", "سلمى خليل"},
                              {"phone", phone},
                              {"password", "olive-harvest-season"}});
}

}  // namespace baladiya::identity::testing
