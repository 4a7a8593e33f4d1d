// identity's web tests: the audit and identity modules served by the web harness
// (platform/testing/web_harness.h), with a small module of the tests' own standing in for the
// modules above identity: it names two municipalities for the guard (catalog does in the
// program), records the reset codes identity asks to send (notify does), and serves two probe
// routes guarded like the pages and API of the modules above.
#pragma once

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::identity::testing {

inline constexpr int64_t kHebron = 1;
inline constexpr int64_t kNablus = 2;

// The reset codes identity asked to send, in order.
struct ResetCodes {
  std::mutex mu;
  std::vector<std::pair<int64_t, std::string>> sent;  // (account, code)
  std::vector<int64_t> password_changed;              // accounts told "your password was changed"
  size_t size() {
    std::lock_guard lock(mu);
    return sent.size();
  }
};

// The tests' own module, after identity:
//   GET /m/{slug}/probe                       kManageStaff in the municipality: "probe page"
//   GET /api/v1/municipalities/{slug}/probe   kWorkCases in the municipality: {"ok":true}
inline module::Module Places(ResetCodes* codes) {
  module::Module m;
  m.name = "places";
  m.open = [codes](module::Context& ctx) {
    Directory& directory = ctx.parts.Get<Directory>();
    directory.municipality_id = [](std::string_view slug) -> Result<int64_t> {
      if (slug == "hebron") return kHebron;
      if (slug == "nablus") return kNablus;
      return MakeError(ErrorCode::kNotFound, "error.not_found");
    };
    WebServices& ws = ctx.parts.Get<WebServices>();
    ws.send_reset_code = [codes](db::Tx&, const Account& a, const std::string& code, int64_t) {
      std::lock_guard lock(codes->mu);
      codes->sent.emplace_back(a.id, code);
      return Ok();
    };
    ws.send_password_changed = [codes](db::Tx&, const Account& a, int64_t) {
      std::lock_guard lock(codes->mu);
      codes->password_changed.push_back(a.id);
      return Ok();
    };
    return Ok();
  };
  m.routes = [](module::Context& ctx) {
    GuardedRoutes& routes = ctx.parts.Get<GuardedRoutes>();
    routes.Get("/m/{slug}/probe", Access::Requires(Permission::kManageStaff),
               [](http::Request&) { return http::Response::Text(200, "probe page"); });
    routes.Get("/api/v1/municipalities/{slug}/probe", Access::Requires(Permission::kWorkCases),
               [](http::Request&) { return http::Response::Json(200, R"({"ok":true})"); });
    return Ok();
  };
  return m;
}

class IdentityWebTest : public baladiya::testing::WebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o;
    o.modules = {audit::Module(), identity::Module(), Places(&codes_)};
    o.settings = Settings();
    o.web.extra_middleware.push_back(principals_.Middleware());
    return o;
  }

  AccountStore& accounts() { return web().Part<AccountStore>(); }
  SessionStore& sessions() { return web().Part<SessionStore>(); }
  PasswordHasher& hasher() { return web().Part<PasswordHasher>(); }
  ApiTokenStore& api_tokens() { return web().Part<ApiTokenStore>(); }
  audit::AuditLog& audit() { return web().Part<audit::AuditLog>(); }

  // A staff account of the grant's municipality holding that one grant; returns its id.
  int64_t Staff(const std::string& username, const Grant& grant,
                const std::string& password = "a-long-staff-password") {
    StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = password;
    in.municipality_id = grant.municipality_id;
    in.grants = {grant};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return id.ok() ? *id : 0;
  }
  // The cookie header line of a new session of the account (second factor given by default).
  std::string SessionCookie(int64_t account, bool staff, bool mfa = true) {
    auto token = sessions().Create(account, staff, mfa, Now());
    EXPECT_TRUE(token.ok());
    return "Cookie: sid=" + (token.ok() ? *token : std::string()) + "\r\n";
  }

  ResetCodes codes_;
  Principals principals_;
};

}  // namespace baladiya::identity::testing
