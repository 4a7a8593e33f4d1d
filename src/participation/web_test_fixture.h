// The harness the participation module's HTTP tests share: the module with what it stands on
// (audit, identity, notify, the catalogue's demo municipalities), the test clock at kNow, and
// signed-in staff and residents.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "notify/test_support.h"
#include "participation/participation.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::participation::testing {

inline constexpr int64_t kNow = 1'773'565'200'000;  // 2026-03-15T09:00:00Z

class WebFixture : public baladiya::testing::WebTest {
 protected:
  // Messages go to the outbox; SMS to `sms_url` (a gateway) with `sms_token` when given.
  static baladiya::testing::HarnessOptions HarnessFor(const std::string& sms_url = "",
                                                      const std::string& sms_token = "") {
    baladiya::testing::HarnessOptions o;
    o.modules = {audit::Module(), identity::Module(), notify::Module(), catalog::Module(),
                 participation::Module()};
    o.settings = identity::testing::Settings();
    o.settings.merge(notify::testing::Settings(sms_url, sms_token));
    o.seed = [](module::Host& host) -> Status {
      auto seeded = catalog::SeedDemo(host.db(), host.context().now_ms());
      if (!seeded.ok()) return std::move(seeded).error();
      return Ok();
    };
    return o;
  }

  identity::AccountStore& accounts() { return web().Part<identity::AccountStore>(); }
  audit::AuditLog& audit() { return web().Part<audit::AuditLog>(); }
  Store& store() { return web().Part<Store>(); }

  int64_t MunicipalityId(const std::string& slug) {
    auto m = web().Part<catalog::TenancyStore>().FindMunicipality(slug);
    EXPECT_TRUE(m.ok());
    return m.ok() ? m->id : 0;
  }

  // A signed-in staff browser holding one municipality-wide grant.
  baladiya::testing::Browser Staff(const std::string& username, identity::Role role,
                                   const std::string& slug = "hebron") {
    const int64_t m = MunicipalityId(slug);
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = m;
    in.grants = {{role, m, 0}};
    auto id =
        accounts().CreateStaff(in, web().Part<identity::PasswordHasher>(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok());
    auto token = web().Part<identity::SessionStore>().Create(id.ok() ? *id : 0, true, true, Now());
    EXPECT_TRUE(token.ok());
    baladiya::testing::Browser b(port());
    b.SetCookie("sid", token.ok() ? *token : "");
    return b;
  }

  // A resident registered through the real pages, signed in; verified at the counter when asked.
  baladiya::testing::Browser Resident(const std::string& national_id, const std::string& phone,
                                      bool verified) {
    baladiya::testing::Browser b(port());
    std::string res = identity::testing::Register(b, national_id, phone);
    EXPECT_EQ(http::testing::RawClient::Status(res), 303) << res;
    if (verified) {
      auto c = accounts().FindForLogin(national_id);
      EXPECT_TRUE(c.ok());
      EXPECT_TRUE(accounts().MarkVerified(c->account_id, "counter", {"t", "t", 0}, Now()).ok());
    }
    return b;
  }
};

}  // namespace baladiya::participation::testing
