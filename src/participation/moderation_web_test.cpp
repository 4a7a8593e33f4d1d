// Moderation over HTTP: residents report a proposal and a comment from its page (once each, not
// their own, a reason from the list), at the process's threshold (set by the officer) the proposal
// is hidden; the officer keeps or removes it from the process's admin page, the author is told,
// reads the reasons and asks for a review once.
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

class ModerationWebTest : public testing::WebFixture {
 protected:
  baladiya::testing::HarnessOptions Options() override { return HarnessFor(); }
  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
  }
  int Told(const std::string& key) {
    auto inbox = web().Part<notify::Outbox>().Recent(0, 100);
    EXPECT_TRUE(inbox.ok());
    int n = 0;
    for (const notify::Record& r : *inbox) n += r.template_key == key;
    return n;
  }
};

TEST_F(ModerationWebTest, ReportHideDecideAndReview) {
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
  const std::string slug = admin.substr(admin.rfind('/') + 1);
  const std::string process = "/m/hebron/participate/" + slug;
  // The officer sets the threshold: two reports hide.
  officer.Get(admin);
  res = officer.Post(admin + "/report-threshold?lang=en", {{"report_threshold", "0"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer.Post(admin + "/report-threshold?lang=en", {{"report_threshold", "٢"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("Nothing is waiting for a moderator."), std::string::npos);

  auto salma = Resident("401234562", "0599123456", true);
  salma.Get(process);
  res = salma.Post(process + "/proposals", {{"title", "إعلان: محل للبيع"}, {"body", "اتصلوا بنا"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string proposal =
      RawClient::Header(res, "location").substr(0, RawClient::Header(res, "location").find('?'));
  // The author is offered no report form on her own text.
  EXPECT_EQ(salma.Get(proposal).find(proposal + "/report"), std::string::npos);
  auto yousef = Resident("123456782", "0599765432", true);
  auto rana = Resident("600000004", "0599111222", false);  // reporting needs only an account
  res = yousef.Get(proposal + "?lang=en");
  EXPECT_NE(res.find("Report this proposal"), std::string::npos) << res;
  res = yousef.Post(proposal + "/comments", {{"stance", "against"}, {"body", "هذا إعلان"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = yousef.Post(proposal + "/report?lang=en", {{"reason", "boring"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = yousef.Post(proposal + "/report?lang=en", {{"reason", "spam"}});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  yousef.Get(proposal);
  res = yousef.Post(proposal + "/report?lang=en", {{"reason", "spam"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("You have already reported it."), std::string::npos);
  // Salma reports Yousef's comment (not hidden at one report).
  const Process p = store().Processes(MunicipalityId("hebron"))->front();
  const auto x = store().GetProposal(p.id, proposal.substr(proposal.rfind('/') + 1));
  const int64_t comment = store().Comments(x->id)->front().id;
  salma.Get(proposal);
  res = salma.Post(proposal + "/report",
                   {{"reason", "offensive"}, {"comment", std::to_string(comment)}});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  rana.Get(proposal);
  EXPECT_EQ(RawClient::Status(rana.Post(proposal + "/report", {{"reason", "spam"}})), 303);

  // Hidden: the public pages show neither its title nor its text.
  res = web().Get(proposal + "?lang=en").body;
  EXPECT_EQ(res.find("محل للبيع"), std::string::npos) << res;
  EXPECT_NE(res.find("hidden until a moderator reviews it"), std::string::npos);
  EXPECT_EQ(web().Get(process).body.find("محل للبيع"), std::string::npos);
  EXPECT_NE(web().Get(proposal).body.find("هذا إعلان"), std::string::npos);  // one report: shown

  // The officer removes it; the author is told and reads why, then asks for a review once.
  res = officer.Get(admin + "?lang=en");
  EXPECT_NE(res.find("محل للبيع"), std::string::npos) << res;
  EXPECT_NE(res.find("2 reports"), std::string::npos);
  res = officer.Post(admin + "/moderation?lang=en", {{"kind", "proposal"},
                                                     {"id", std::to_string(x->id)},
                                                     {"decision", "remove"},
                                                     {"reason", ""}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer.Post(admin + "/moderation?lang=en", {{"kind", "proposal"},
                                                     {"id", std::to_string(x->id)},
                                                     {"decision", "remove"},
                                                     {"reason", "إعلان تجاري"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_EQ(Told("participation.moderation_removed"), 1);
  res = salma.Get(proposal + "?lang=en");
  EXPECT_NE(res.find("Reasons: إعلان تجاري"), std::string::npos) << res;
  EXPECT_NE(res.find(proposal + "/review"), std::string::npos);
  EXPECT_EQ(web().Get(proposal).body.find("إعلان تجاري"), std::string::npos);  // only the author
  EXPECT_EQ(RawClient::Status(salma.Post(proposal + "/review", {})), 303);
  salma.Get(proposal);
  res = salma.Post(proposal + "/review?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  res = officer.Get(admin + "?lang=en");
  EXPECT_NE(res.find("The author asked for a review"), std::string::npos) << res;
  res = officer.Post(admin + "/moderation?lang=en", {{"kind", "proposal"},
                                                     {"id", std::to_string(x->id)},
                                                     {"decision", "keep"},
                                                     {"reason", "بعد المراجعة"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(web().Get(proposal).body.find("محل للبيع"), std::string::npos);
  EXPECT_EQ(Told("participation.moderation_kept"), 1);

  // Other staff cannot moderate.
  auto clerk = Staff("hebron.clerk", Role::kCounterClerk, "hebron");
  clerk.Get("/account");
  EXPECT_EQ(RawClient::Status(clerk.Post(admin + "/moderation", {{"kind", "proposal"},
                                                                 {"id", std::to_string(x->id)},
                                                                 {"decision", "remove"},
                                                                 {"reason", "x"}})),
            403);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.report"), 3);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.moderation.decide"), 2);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.process.report_threshold"), 1);
}

}  // namespace
}  // namespace baladiya::participation
