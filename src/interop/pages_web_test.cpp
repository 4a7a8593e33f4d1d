// The municipal admin's X-Road page: reached from the services page, granting through the form
// (bad input refused with the field's error, nothing stored), revoking, the message log's latest
// exchanges; other staff and other municipalities' admins are refused.
#include <gtest/gtest.h>

#include "audit/testing.h"
#include "interop/web_test_fixture.h"

namespace baladiya::interop {
namespace {

using http::testing::RawClient;
using identity::Role;

class InteropPagesTest : public testing::InteropWebTest {};

TEST_F(InteropPagesTest, TheAdminGrantsAndRevokesAClientsAccess) {
  auto admin = Staff("hebron.admin", Role::kMunicipalAdmin, "hebron");
  std::string res = admin.Get("/m/hebron/admin/xroad?lang=en");
  EXPECT_NE(res.find("No client has been granted any service."), std::string::npos) << res;

  // A malformed client: the form again with its error, nothing stored.
  res = admin.Post("/m/hebron/admin/xroad?lang=en",
                   {{"client", "PS/GOV/MOI"}, {"service", "clearance"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("INSTANCE/CLASS/MEMBER/SUBSYSTEM"), std::string::npos);
  EXPECT_TRUE(xroad().Grants(Hebron())->empty());
  res = admin.Post("/m/hebron/admin/xroad?lang=en",
                   {{"client", "PS/GOV/MOI/civil-registry"}, {"service", "payroll"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_TRUE(xroad().Grants(Hebron())->empty());

  res = admin.Post("/m/hebron/admin/xroad?lang=en",
                   {{"client", "PS/GOV/MOI/civil-registry"}, {"service", "clearance"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("PS/GOV/MOI/civil-registry may now call the service."), std::string::npos);
  EXPECT_TRUE(*xroad().Allowed(Hebron(), "PS/GOV/MOI/civil-registry", kClearanceService));
  EXPECT_FALSE(
      *xroad().Allowed(MunicipalityId("nablus"), "PS/GOV/MOI/civil-registry", kClearanceService));

  // The granted client is answered, and the exchange shows on the page.
  auto r = web().Send("GET", "/api/v1/xroad/hebron/clearance?nationalId=401234562",
                      "X-Road-Client: PS/GOV/MOI/civil-registry\r\nX-Road-Id: page-1\r\n", "", "");
  EXPECT_EQ(r.status, 200) << r.body;
  res = admin.Get("/m/hebron/admin/xroad?lang=en");
  EXPECT_NE(res.find("page-1"), std::string::npos);

  res = admin.Post("/m/hebron/admin/xroad/revoke?lang=en",
                   {{"client", "PS/GOV/MOI/civil-registry"}, {"service", "clearance"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_FALSE(*xroad().Allowed(Hebron(), "PS/GOV/MOI/civil-registry", kClearanceService));
  r = web().Send("GET", "/api/v1/xroad/hebron/clearance?nationalId=401234562",
                 "X-Road-Client: PS/GOV/MOI/civil-registry\r\n", "", "");
  EXPECT_EQ(r.status, 403) << r.body;
  // Revoking what is not granted is a 404 page.
  res = admin.Post("/m/hebron/admin/xroad/revoke",
                   {{"client", "PS/GOV/MOI/civil-registry"}, {"service", "clearance"}});
  EXPECT_EQ(RawClient::Status(res), 404);
  EXPECT_EQ(audit::testing::Count(audit(), "xroad.grant"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "xroad.revoke"), 1);
}

TEST_F(InteropPagesTest, OnlyTheMunicipalitysAdminReachesThePage) {
  auto clerk = Staff("hebron.clerk", Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/xroad")), 403);
  auto nablus = Staff("nablus.admin", Role::kMunicipalAdmin, "nablus");
  EXPECT_EQ(RawClient::Status(nablus.Get("/m/hebron/admin/xroad")), 403);
  EXPECT_EQ(RawClient::Status(nablus.Post("/m/hebron/admin/xroad",
                                          {{"client", "PS/GOV/X/y"}, {"service", "clearance"}})),
            403);
  EXPECT_TRUE(xroad().Grants(Hebron())->empty());
  EXPECT_EQ(RawClient::Status(nablus.Get("/m/nablus/admin/xroad")), 200);
}

}  // namespace
}  // namespace baladiya::interop
