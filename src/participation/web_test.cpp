// participation over HTTP with the modules it uses (audit, identity, notify, catalog) on the web
// harness: the officer creates a process through the admin page (bad input refused), a resident
// who registered through the real pages is refused until the counter verifies their identity,
// then proposes, supports (once), comments (a flood refused, others unaffected), and the official
// answer is published and its author told; the pages refuse other staff and municipalities.
#include "identity/web.h"

#include <gtest/gtest.h>

#include "audit/testing.h"
#include "catalog/catalog.h"
#include "identity/testing.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "participation/participation.h"
#include "participation/web_test_fixture.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::participation {
namespace {

using http::testing::RawClient;
using identity::Role;

// 2026-03-15T09:00:00Z.
using testing::kNow;

class ParticipationWebTest : public testing::WebFixture {
 protected:
  baladiya::testing::HarnessOptions Options() override { return HarnessFor(); }

  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
  }

  // A resident registered through the real pages, signed in, not verified.
  baladiya::testing::Browser Resident(const std::string& national_id, const std::string& phone) {
    return WebFixture::Resident(national_id, phone, false);
  }

  // The officer creates Hebron's process, open for proposals today; returns its public path.
  std::string CreateProcess(baladiya::testing::Browser& officer, const std::string& threshold) {
    officer.Get("/m/hebron/admin/participation");
    std::string res =
        officer.Post("/m/hebron/admin/participation", {{"title_ar", "الخطة الاستراتيجية"},
                                                       {"title_en", "Strategic plan"},
                                                       {"summary_ar", "ملخص"},
                                                       {"summary_en", "Summary"},
                                                       {"threshold", threshold},
                                                       {"answer_days", "30"},
                                                       {"proposals_from", "2026-03-01"},
                                                       {"proposals_to", "2026-04-30"},
                                                       {"debate_from", "2026-05-01"},
                                                       {"debate_to", "2026-05-31"}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    const std::string location =
        RawClient::Header(res, "location").substr(0, RawClient::Header(res, "location").find('?'));
    const std::string prefix = "/m/hebron/admin/participation/";
    EXPECT_EQ(location.rfind(prefix, 0), 0u) << location;
    return "/m/hebron/participate/" + location.substr(prefix.size());
  }

  static std::string ProposalPath(const std::string& res) {
    return RawClient::Header(res, "location");
  }
};

TEST_F(ParticipationWebTest, TheOfficerCreatesAProcessAndBadInputChangesNothing) {
  auto officer = Staff("hebron.participation", Role::kParticipationOfficer, "hebron");
  std::string res = officer.Get("/m/hebron/admin/participation?lang=en");
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("No process yet."), std::string::npos);
  res = officer.Post("/m/hebron/admin/participation?lang=en", {{"title_ar", "عنوان"},
                                                               {"title_en", "Title \xe2\x80\xae"},
                                                               {"summary_ar", "ملخص"},
                                                               {"summary_en", "Summary"},
                                                               {"threshold", "0"},
                                                               {"answer_days", "30"},
                                                               {"proposals_from", "2026-04-30"},
                                                               {"proposals_to", "2026-03-01"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("invisible direction-override characters"), std::string::npos) << res;
  EXPECT_NE(res.find("from 1 to 1,000,000"), std::string::npos);
  EXPECT_NE(res.find("must end on or after"), std::string::npos);
  EXPECT_TRUE(store().Processes(MunicipalityId("hebron"))->empty());

  const std::string path = CreateProcess(officer, "2");
  res = web().Get(path + "?lang=en").body;
  EXPECT_NE(res.find("Strategic plan"), std::string::npos) << res;
  EXPECT_NE(res.find("reaches 2 supporters"), std::string::npos);
  EXPECT_NE(web().Get("/m/hebron/participate?lang=en").body.find(path), std::string::npos);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.process.create"), 1);

  // Other staff and other municipalities are refused; the municipal admin may.
  auto clerk = Staff("hebron.counter", Role::kCounterClerk, "hebron");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/participation")), 403);
  auto nablus = Staff("nablus.participation", Role::kParticipationOfficer, "nablus");
  EXPECT_EQ(RawClient::Status(nablus.Get("/m/hebron/admin/participation")), 403);
  auto admin = Staff("hebron.admin", Role::kMunicipalAdmin, "hebron");
  EXPECT_EQ(RawClient::Status(admin.Get("/m/hebron/admin/participation")), 200);
  // The account page's link leads to the officer's municipality.
  res = officer.Get("/participation/admin");
  EXPECT_EQ(RawClient::Status(res), 303);
  EXPECT_EQ(RawClient::Header(res, "location").rfind("/m/hebron/admin/participation", 0), 0u);
}

TEST_F(ParticipationWebTest, AResidentProposesSupportsAndCommentsOnceVerifiedAtTheCounter) {
  auto officer = Staff("hebron.participation", Role::kParticipationOfficer, "hebron");
  const std::string process = CreateProcess(officer, "1");
  auto salma = Resident("401234562", "0599123456");
  std::string res = salma.Get(process + "?lang=en");
  EXPECT_NE(res.find("Publish the proposal"), std::string::npos) << res;
  res = salma.Post(process + "/proposals?lang=en",
                   {{"title", "Safe crossings <script>x</script>"}, {"body", "Near schools"}});
  EXPECT_EQ(RawClient::Status(res), 403) << res;
  EXPECT_NE(res.find("Only residents whose identity has been verified"), std::string::npos);
  const int64_t hebron = MunicipalityId("hebron");
  EXPECT_TRUE(store().Proposals(store().Processes(hebron)->front().id)->empty());

  // The counter checks the ID card.
  auto counter = Staff("hebron.counter", Role::kCounterClerk, "hebron");
  counter.Get("/m/hebron/participation/verify");
  res = counter.Post("/m/hebron/participation/verify?lang=en", {{"national_id", "123456782"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = counter.Post("/m/hebron/participation/verify?lang=en", {{"national_id", "401234562"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("is verified"), std::string::npos);

  salma.Get(process);
  res = salma.Post(process + "/proposals?lang=en",
                   {{"title", std::string(151, 'x')}, {"body", "Near schools"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("This text is too long."), std::string::npos);
  res = salma.Post(process + "/proposals?lang=en",
                   {{"title", "Safe crossings <script>x</script>"}, {"body", "Near schools"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string proposal =
      RawClient::Header(res, "location").substr(0, RawClient::Header(res, "location").find('?'));
  res = web().Get(proposal + "?lang=en").body;
  EXPECT_NE(res.find("Safe crossings &lt;script&gt;x&lt;/script&gt;"), std::string::npos) << res;
  EXPECT_EQ(res.find("<script>x"), std::string::npos);

  // A neighbour, verified, supports it once: the threshold (1) is reached and an answer is due.
  auto yousef = Resident("123456782", "0599765432");
  counter.Get("/m/hebron/participation/verify");
  counter.Post("/m/hebron/participation/verify", {{"national_id", "123456782"}});
  yousef.Get(proposal);
  res = yousef.Post(proposal + "/support", {});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  res = yousef.Post(proposal + "/support?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("one support per person"), std::string::npos);
  res = web().Get(proposal + "?lang=en").body;
  EXPECT_NE(res.find("1 supporters of the 1"), std::string::npos) << res;
  EXPECT_NE(res.find("Official answer due by"), std::string::npos);

  // Comments: threaded, with a stance; a flood from one account refused, the other unaffected.
  yousef.Get(proposal);
  res = yousef.Post(proposal + "/comments", {{"stance", "for"}, {"body", "Yes, please"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = yousef.Post(proposal + "/comments", {{"stance", "maybe"}, {"body", "x"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(RawClient::Status(
                  yousef.Post(proposal + "/comments", {{"stance", "neutral"}, {"body", "again"}})),
              303);
  }
  res = yousef.Post(proposal + "/comments?lang=en", {{"stance", "neutral"}, {"body", "flood"}});
  EXPECT_EQ(RawClient::Status(res), 429) << res;
  auto comments =
      store().Comments(store().Proposals(store().Processes(hebron)->front().id)->front().id);
  ASSERT_EQ(comments->size(), 4u);
  salma.Get(proposal);
  res = salma.Post(proposal + "/comments", {{"stance", "neutral"},
                                            {"body", "Thank you"},
                                            {"parent", std::to_string(comments->front().id)}});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  res = web().Get(proposal + "?lang=en").body;
  EXPECT_NE(res.find("In reply to"), std::string::npos);
  EXPECT_NE(res.find("For"), std::string::npos);

  // The official answer: on the admin page, then public, and the author is told in-app.
  const std::string slug = process.substr(process.rfind('/') + 1);
  const std::string token = proposal.substr(proposal.rfind('/') + 1);
  res = officer.Get("/m/hebron/admin/participation/" + slug + "?lang=en");
  EXPECT_NE(res.find("Due by"), std::string::npos) << res;
  res = officer.Post(
      "/m/hebron/admin/participation/" + slug + "/proposals/" + token + "/answer?lang=en",
      {{"answer", "Accepted: in the 2027 budget."}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  res = officer.Post(
      "/m/hebron/admin/participation/" + slug + "/proposals/" + token + "/answer?lang=en",
      {{"answer", "Again"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  res = web().Get(proposal + "?lang=en").body;
  EXPECT_NE(res.find("Accepted: in the 2027 budget."), std::string::npos);
  auto inbox = web().Part<notify::Outbox>().Recent(0, 100);
  ASSERT_TRUE(inbox.ok());
  bool told = false;
  for (const notify::Record& r : *inbox) told |= r.template_key == "participation.answered";
  EXPECT_TRUE(told);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.support"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.answer"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "account.verified"), 2);
}

TEST_F(ParticipationWebTest, OutsideThePhaseNothingIsOffered) {
  auto officer = Staff("hebron.participation", Role::kParticipationOfficer, "hebron");
  const std::string process = CreateProcess(officer, "5");
  web().clock().Set(kNow + 100LL * 86'400'000);  // after the debate
  auto salma = Resident("401234562", "0599123456");
  std::string res = salma.Get(process + "?lang=en");
  EXPECT_EQ(res.find("Publish the proposal"), std::string::npos);
  EXPECT_NE(res.find("Not running"), std::string::npos);
  // Verified, with the session's anti-forgery token from the account page: still refused.
  auto id = accounts().FindForLogin("401234562");
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(accounts().MarkVerified(id->account_id, "counter", {"t", "t", 0}, Now()).ok());
  salma.Get("/account");
  res = salma.Post(process + "/proposals?lang=en", {{"title", "t"}, {"body", "b"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("current phase"), std::string::npos);
  EXPECT_TRUE(store().Proposals(store().Processes(MunicipalityId("hebron"))->front().id)->empty());
  EXPECT_EQ(web().Get("/m/hebron/participate/nope").status, 404);
  EXPECT_EQ(web().Get("/m/nowhere/participate").status, 404);
}

}  // namespace
}  // namespace baladiya::participation
