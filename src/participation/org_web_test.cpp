// Organisations over HTTP: a resident registers an organisation from the public list (linked from
// the participation page), the officer verifies it from the admin page, its administrator adds a
// member by ID, and a member's proposal made "as" the organisation is shown under its name.
#include <gtest/gtest.h>

#include "audit/testing.h"
#include "identity/testing.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/web_test_fixture.h"
#include "platform/http/test_client.h"

namespace baladiya::participation {
namespace {

using http::testing::RawClient;
using identity::Role;
using testing::kNow;

class OrganisationWebTest : public testing::WebFixture {
 protected:
  baladiya::testing::HarnessOptions Options() override { return HarnessFor(); }
  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
  }
};

TEST_F(OrganisationWebTest, RegisterVerifyAddAMemberAndPostAsTheOrganisation) {
  auto officer = Staff("hebron.participation", Role::kParticipationOfficer, "hebron");
  officer.Get("/m/hebron/admin/participation");
  std::string res = officer.Post("/m/hebron/admin/participation", {{"title_ar", "الخطة"},
                                                                   {"title_en", "Plan"},
                                                                   {"summary_ar", "ملخص"},
                                                                   {"summary_en", "Summary"},
                                                                   {"threshold", "5"},
                                                                   {"answer_days", "30"},
                                                                   {"proposals_from", "2026-03-01"},
                                                                   {"proposals_to", "2026-04-30"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  std::string admin = RawClient::Header(res, "location");
  admin = admin.substr(0, admin.find('?'));
  const std::string process = "/m/hebron/participate/" + admin.substr(admin.rfind('/') + 1);
  const std::string list = "/m/hebron/participate/organisations";
  EXPECT_NE(web().Get("/m/hebron/participate?lang=en").body.find(list), std::string::npos);

  auto salma = Resident("401234562", "0599123456", true);
  res = salma.Get(list + "?lang=en");
  EXPECT_NE(res.find("Register an organisation"), std::string::npos) << res;
  res =
      salma.Post(list + "?lang=en", {{"name", ""}, {"kind", "ngo"}, {"registration_number", "X"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = salma.Post(list, {{"name", "جمعية أصدقاء البلدة القديمة"},
                          {"kind", "ngo"},
                          {"registration_number", "HE-1234"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  std::string org = RawClient::Header(res, "location");
  org = org.substr(0, org.find('?'));
  res = salma.Get(org + "?lang=en");
  EXPECT_NE(res.find("Waiting for verification"), std::string::npos) << res;
  // Not verified: no "post as" on the proposal form.
  EXPECT_EQ(salma.Get(process).find("name=\"organisation\""), std::string::npos);

  // The officer verifies it from the admin page.
  res = officer.Get("/m/hebron/admin/participation?lang=en");
  EXPECT_NE(res.find("جمعية أصدقاء البلدة القديمة"), std::string::npos) << res;
  const std::string verify =
      "/m/hebron/admin/participation/organisations/" + org.substr(org.rfind('/') + 1) + "/verify";
  res = officer.Post(verify + "?lang=en", {{"documents", ""}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer.Post(verify + "?lang=en", {{"documents", "شهادة التسجيل"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("The organisation is verified."), std::string::npos);
  EXPECT_NE(web().Get(list).body.find("جمعية أصدقاء البلدة القديمة"), std::string::npos);

  // The administrator adds Yousef; Yousef posts for the organisation.
  auto yousef = Resident("123456782", "0599765432", true);
  salma.Get(org);
  res = salma.Post(org + "/members?lang=en", {{"national_id", "123456782"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("The member was added."), std::string::npos);
  yousef.Get(org);
  res = yousef.Post(org + "/members?lang=en", {{"national_id", "401234562"}});
  EXPECT_EQ(RawClient::Status(res), 403) << res;
  res = yousef.Get(process + "?lang=en");
  EXPECT_NE(res.find("name=\"organisation\""), std::string::npos) << res;
  res = yousef.Post(process + "/proposals", {{"title", "مقاعد في الساحة"},
                                             {"body", "مقاعد وظل"},
                                             {"organisation", org.substr(org.rfind('/') + 1)}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = web().Get(process).body;
  EXPECT_NE(res.find("جمعية أصدقاء البلدة القديمة ("), std::string::npos) << res;
  auto clerk = Staff("hebron.clerk", Role::kCounterClerk, "hebron");
  clerk.Get("/account");
  EXPECT_EQ(RawClient::Status(clerk.Post(verify, {{"documents", "x"}})), 403);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.org.verify"), 1);
}

}  // namespace
}  // namespace baladiya::participation
