// Votes over HTTP: the officer creates a participatory budget through the admin page; residents
// vote on the web, at the counter (a clerk records the paper ballot) and by SMS (the gateway posts
// the message it received); one person votes once whatever the channel, also when the web and SMS
// ballots arrive at the same moment; bad ballots change nothing; the published results show
// counts, never who voted for what.
#include <gtest/gtest.h>

#include <thread>

#include "audit/testing.h"
#include "catalog/catalog.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "participation/participation.h"
#include "participation/web.h"
#include "participation/web_test_fixture.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::participation {
namespace {

using http::testing::RawClient;
using identity::Role;

using testing::kNow;
constexpr char kToken[] = "gateway-token-for-tests";

class VoteWebTest : public testing::WebFixture {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    if (!gateway_) gateway_ = std::make_unique<notify::testing::SmsGateway>();
    return HarnessFor(gateway_->url(), kToken);
  }

  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
    officer_ = std::make_unique<baladiya::testing::Browser>(
        Staff("hebron.participation", Role::kParticipationOfficer));
    officer_->Get("/m/hebron/admin/participation");
    std::string res =
        officer_->Post("/m/hebron/admin/participation", {{"title_ar", "الموازنة التشاركية"},
                                                         {"title_en", "Participatory budget"},
                                                         {"summary_ar", "ملخص"},
                                                         {"summary_en", "Summary"},
                                                         {"threshold", "10"},
                                                         {"answer_days", "30"},
                                                         {"voting_from", "2026-03-10"},
                                                         {"voting_to", "2026-03-31"}});
    ASSERT_EQ(RawClient::Status(res), 303) << res;
    std::string location = RawClient::Header(res, "location");
    admin_ = location.substr(0, location.find('?'));
    process_ = "/m/hebron/participate/" + admin_.substr(admin_.rfind('/') + 1);
  }

  // A resident registered through the pages; verified at the counter unless told otherwise.
  baladiya::testing::Browser Resident(const std::string& national_id, const std::string& phone,
                                      bool verified = true) {
    return WebFixture::Resident(national_id, phone, verified);
  }

  // The officer's budget vote: 1,000 ILS; a park (600), lights (500), benches (300).
  Vote CreateVote() {
    officer_->Get(admin_);
    std::string res =
        officer_->Post(admin_ + "/votes?lang=en", {{"vote_title_ar", "مشاريع ٢٠٢٦"},
                                                   {"vote_title_en", "Projects 2026"},
                                                   {"rule", "budget"},
                                                   {"budget", "1000"},
                                                   {"options",
                                                    "حديقة | Park | 600\r\nإنارة | Lights | 500\r\n"
                                                    "مقاعد | Benches | 300\r\n"}});
    EXPECT_EQ(RawClient::Status(res), 200) << res;
    EXPECT_NE(res.find("The vote was created."), std::string::npos);
    auto p = store().GetProcess(MunicipalityId("hebron"), process_.substr(process_.rfind('/') + 1));
    auto votes = store().Votes(p->id);
    EXPECT_EQ(votes->size(), 1u);
    return votes->empty() ? Vote{} : votes->front();
  }

  baladiya::testing::Reply Sms(const std::string& from, const std::string& text,
                               const std::string& token = kToken) {
    return web().Send("POST", std::string(kSmsInboundPath),
                      "Authorization: Bearer " + token + "\r\n",
                      R"({"from":")" + from + R"(","text":")" + text + R"("})", "application/json");
  }

  std::unique_ptr<notify::testing::SmsGateway> gateway_;
  std::unique_ptr<baladiya::testing::Browser> officer_;
  std::string admin_, process_;
};

TEST_F(VoteWebTest, OnePersonOneVoteOnTheWebAtTheCounterAndBySms) {
  const Vote v = CreateVote();
  const std::string page = process_ + "/votes/" + v.slug;
  EXPECT_NE(web().Get(process_ + "?lang=en").body.find(page), std::string::npos);

  // The web: a ballot over the budget is refused, then one within it is taken, once.
  auto salma = Resident("401234562", "0599123456");
  std::string res = salma.Get(page + "?lang=en");
  EXPECT_NE(res.find("Cast my vote"), std::string::npos) << res;
  EXPECT_NE(res.find(v.sms_code), std::string::npos);
  res = salma.Post(page + "?lang=en", {{"option", "1"}, {"option", "2"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("cost more than the budget"), std::string::npos);
  EXPECT_EQ(store().TurnoutOf(v.id)->total(), 0);
  res = salma.Post(page, {{"option", "2"}, {"option", "3"}});
  EXPECT_EQ(RawClient::Status(res), 303) << res;
  res = salma.Get(page + "?lang=en");
  EXPECT_NE(res.find("You have voted."), std::string::npos);
  EXPECT_EQ(res.find("Cast my vote"), std::string::npos);

  // SMS: the same person again is refused; unknown numbers, wrong codes, a bad token, unverified.
  auto r = Sms("+970599123456", v.sms_code + " 1");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("vote_already"), std::string::npos) << r.body;
  r = Sms("+970599000001", v.sms_code + " 1");
  EXPECT_NE(r.body.find("unknown_sender"), std::string::npos) << r.body;
  auto yousef = Resident("123456782", "0599765432");
  r = Sms("+970599765432", "ZZZZZ 1");
  EXPECT_NE(r.body.find("unknown_code"), std::string::npos) << r.body;
  r = Sms("+970599765432", v.sms_code + " 1 x");
  EXPECT_NE(r.body.find("choice"), std::string::npos) << r.body;
  EXPECT_EQ(Sms("+970599765432", v.sms_code + " 1", "wrong").status, 401);
  auto stranger = Resident("200000008", "0599200008", /*verified=*/false);
  r = Sms("+970599200008", v.sms_code + " 1");
  EXPECT_NE(r.body.find("unverified"), std::string::npos) << r.body;
  EXPECT_EQ(store().TurnoutOf(v.id)->total(), 1);
  // Arabic-Indic digits and a lower-case code are understood.
  r = Sms("+970599765432", std::string(1, static_cast<char>(std::tolower(v.sms_code[0]))) +
                               v.sms_code.substr(1) + " \xd9\xa1");
  EXPECT_EQ(r.body, R"({"status":"accepted"})");

  // The counter: the clerk records the paper ballot of a third resident; not twice.
  auto layla = Resident("300000007", "0599300007");
  auto clerk = Staff("hebron.counter", Role::kCounterClerk);
  clerk.Get("/m/hebron/participation/verify");
  res = clerk.Post("/m/hebron/participation/counter-vote?lang=en",
                   {{"national_id", "300000007"}, {"code", v.sms_code}, {"options", "1 3"}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("The ballot was recorded."), std::string::npos);
  res = clerk.Post("/m/hebron/participation/counter-vote?lang=en",
                   {{"national_id", "300000007"}, {"code", v.sms_code}, {"options", "1"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  res = clerk.Post("/m/hebron/participation/counter-vote?lang=en",
                   {{"national_id", "401234562"}, {"code", v.sms_code}, {"options", "1"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  Turnout t = *store().TurnoutOf(v.id);
  EXPECT_EQ(t.web, 1);
  EXPECT_EQ(t.sms, 1);
  EXPECT_EQ(t.counter, 1);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.vote.cast"), 3);

  // The SMS senders were answered by SMS (never the unknown number).
  int replies = 0;
  auto outboxed = web().Part<notify::Outbox>().Recent(0, 100);
  ASSERT_TRUE(outboxed.ok());
  for (const notify::Record& rec : *outboxed) {
    if (rec.template_key.rfind("participation.sms_", 0) == 0) {
      ++replies;
      EXPECT_EQ(rec.channel, notify::Channel::kSms);
    }
  }
  EXPECT_EQ(replies, 5);  // salma's refusal, yousef's two refusals and acceptance, the stranger's

  // Results: published by the officer, counts only, without the voters' names.
  res = officer_->Post(admin_ + "/votes/" + v.slug + "/publish?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  res = officer_->Post(admin_ + "/votes/" + v.slug + "/publish?lang=en", {});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  res = web().Get(page + "?lang=en").body;
  EXPECT_NE(res.find("Results"), std::string::npos) << res;
  EXPECT_NE(res.find("Selected"), std::string::npos);
  EXPECT_EQ(res.find("سلمى"), std::string::npos);
  auto published = store().GetVote(v.process_id, v.slug);
  EXPECT_EQ(published->options[0].votes, 2);  // park: yousef, layla
  EXPECT_TRUE(published->options[0].selected);
  EXPECT_EQ(published->options[1].votes, 1);  // lights: salma; 500 > 400 left
  EXPECT_FALSE(published->options[1].selected);
  EXPECT_EQ(published->options[2].votes, 2);  // benches: salma, layla
  EXPECT_TRUE(published->options[2].selected);
}

TEST_F(VoteWebTest, TheWebAndSmsAtTheSameMomentGiveExactlyOneVote) {
  const Vote v = CreateVote();
  const std::string page = process_ + "/votes/" + v.slug;
  auto salma = Resident("401234562", "0599123456");
  salma.Get(page);
  std::string web_res;
  baladiya::testing::Reply sms_res;
  std::thread a([&] { web_res = salma.Post(page, {{"option", "1"}}); });
  std::thread b([&] { sms_res = Sms("+970599123456", v.sms_code + " 2"); });
  a.join();
  b.join();
  const bool web_ok = RawClient::Status(web_res) == 303;
  const bool sms_ok = sms_res.body == R"({"status":"accepted"})";
  EXPECT_NE(web_ok, sms_ok) << web_res << "\n" << sms_res.body;
  if (!web_ok) {
    EXPECT_EQ(RawClient::Status(web_res), 409);
  }
  if (!sms_ok) {
    EXPECT_NE(sms_res.body.find("vote_already"), std::string::npos);
  }
  EXPECT_EQ(store().TurnoutOf(v.id)->total(), 1);
}

TEST_F(VoteWebTest, OutsideTheVotingPhaseNoBallotIsTaken) {
  const Vote v = CreateVote();
  web().clock().Set(kNow + 30LL * 86'400'000);  // April 14: voting closed
  auto salma = Resident("401234562", "0599123456");
  const std::string page = process_ + "/votes/" + v.slug;
  std::string res = salma.Get(page + "?lang=en");
  EXPECT_NE(res.find("Voting is not open."), std::string::npos);
  salma.Get("/account");
  res = salma.Post(page + "?lang=en", {{"option", "1"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(Sms("+970599123456", v.sms_code + " 1").body.find("phase_closed"), std::string::npos);
  EXPECT_EQ(store().TurnoutOf(v.id)->total(), 0);
}

// Recommendations: the officer makes one from the winning project, responds with a department,
// adds a milestone and its progress; a resident follows it on the public page and is told of each
// change; bad input changes nothing; an overdue milestone is flagged on the staff page and its
// department head emailed once.
TEST_F(VoteWebTest, AWinningProjectIsFollowedToTheEnd) {
  const Vote v = CreateVote();
  auto salma = Resident("401234562", "0599123456");
  salma.Get(process_ + "/votes/" + v.slug);
  ASSERT_EQ(RawClient::Status(
                salma.Post(process_ + "/votes/" + v.slug, {{"option", "1"}, {"option", "3"}})),
            303);
  officer_->Get(admin_);
  ASSERT_EQ(RawClient::Status(officer_->Post(admin_ + "/votes/" + v.slug + "/publish", {})), 200);
  const std::string recs = admin_ + "/recommendations?lang=en";
  // Lights did not win: refused, nothing stored.
  std::string res = officer_->Post(recs, {{"source", "project"},
                                          {"source_ref", v.slug + "#2"},
                                          {"title", "Lights"},
                                          {"body", "Street lights"}});
  EXPECT_EQ(RawClient::Status(res), 409) << res;
  EXPECT_NE(res.find("did not win"), std::string::npos);
  res = officer_->Post(recs, {{"source", "project"},
                              {"source_ref", v.slug + "#1"},
                              {"title", "حديقة الحي"},
                              {"body", "\xe2\x80\xae"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_TRUE(store().Recommendations(v.process_id)->empty());
  res = officer_->Post(recs, {{"source", "project"},
                              {"source_ref", v.slug + "#1"},
                              {"title", "حديقة الحي"},
                              {"body", "إنشاء الحديقة الفائزة"}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("The recommendation was recorded."), std::string::npos);
  auto made = store().Recommendations(v.process_id);
  ASSERT_EQ(made->size(), 1u);
  const std::string token = (*made)[0].token;

  // Salma follows it from the public page.
  res = salma.Get(process_ + "?lang=en");
  EXPECT_NE(res.find("Awaiting a response"), std::string::npos) << res;
  res = salma.Post(process_ + "/recommendations/" + token + "/follow?lang=en", {{"follow", "1"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_NE(salma.Get(process_ + "?lang=en").find("You follow this recommendation"),
            std::string::npos);
  EXPECT_EQ(web().Get(process_ + "?lang=en").body.find("Stop following"), std::string::npos);

  // Accepting without a department is refused; with one, Salma is told.
  const auto departments =
      web().Part<catalog::TenancyStore>().Departments(MunicipalityId("hebron"));
  ASSERT_FALSE(departments->empty());
  catalog::Department dep = departments->front();
  dep.email = "works@hebron.example";  // its head's address, emailed when a milestone is overdue
  ASSERT_TRUE(web().Part<catalog::TenancyStore>().UpsertDepartment(dep, Now()).ok());
  const std::string rec = admin_ + "/recommendations/" + token;
  res =
      officer_->Post(rec + "/respond?lang=en",
                     {{"response", "accepted"}, {"department", ""}, {"reasons", "Funded in 2026"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_FALSE((*store().Recommendations(v.process_id))[0].response.has_value());
  res = officer_->Post(rec + "/respond?lang=en", {{"response", "accepted"},
                                                  {"department", std::to_string(dep.id)},
                                                  {"reasons", "Funded in 2026"}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  res = officer_->Post(rec + "/milestones?lang=en", {{"title", "Design"}, {"due", "2026-04-01"}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  auto with_m = store().Recommendations(v.process_id);
  ASSERT_EQ((*with_m)[0].milestones.size(), 1u);
  const std::string mid = std::to_string((*with_m)[0].milestones[0].id);
  res = officer_->Post(rec + "/milestones/" + mid + "?lang=en", {{"progress", "150"}});
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  res = officer_->Post(rec + "/milestones/" + mid + "?lang=en", {{"progress", "40"}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  res = salma.Get(process_ + "?lang=en");
  EXPECT_NE(res.find("In progress"), std::string::npos);
  EXPECT_NE(res.find(dep.name.en), std::string::npos);
  EXPECT_NE(res.find("Funded in 2026"), std::string::npos);
  int told = 0;
  const auto sent = web().Part<notify::Outbox>().Recent(0, 100);
  for (const notify::Record& r : *sent) {
    told += r.template_key.rfind("participation.rec_", 0) == 0;
  }
  EXPECT_EQ(told, 3);  // responded, milestone, progress

  // April 2nd: the milestone is overdue, flagged on the staff page, the head told once.
  web().clock().Set(kNow + 18LL * 86'400'000);
  auto officer = Staff("hebron.participation2", Role::kParticipationOfficer);  // a fresh session
  res = officer.Get(admin_ + "?lang=en");
  EXPECT_NE(res.find("A milestone is overdue"), std::string::npos) << res;
  officer.Get(admin_ + "?lang=en");
  int heads = 0;
  const auto all = web().Part<notify::Outbox>().Recent(0, 100);
  for (const notify::Record& r : *all) {
    heads += r.template_key == "participation.rec_overdue";
  }
  EXPECT_EQ(heads, 1);
  EXPECT_NE(salma.Get(process_ + "?lang=en").find("Overdue"), std::string::npos);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.rec.create"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "participation.rec.follow"), 1);
}

}  // namespace
}  // namespace baladiya::participation
