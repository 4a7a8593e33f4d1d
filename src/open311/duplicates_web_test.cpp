// The 50 m duplicate check over HTTP on the web harness (web_test_fixture.h): "check your answers"
// of a report lists the open reports of the same service near its place; a resident follows one
// instead of filing (the draft is discarded, the report's changes reach them); staff merge a
// duplicate into another report, with every refusal explained and nothing stored.
#include "audit/testing.h"
#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;

constexpr char kHere[] = "31.5326,35.0998";
constexpr char kFifteenMetres[] = "31.5327,35.0999";  // about 15 m from kHere
constexpr char kFarAway[] = "31.5336,35.0998";        // about 111 m from kHere

class DuplicatesWebTest : public testing::Open311WebTest {
 protected:
  // Starts a street-light report at the place and answers it up to "check your answers";
  // returns the check page's path.
  std::string StartReport(Browser& b, const std::string& location,
                          const std::string& description = "العمود مطفأ منذ ثلاث ليالٍ") {
    b.Get("/m/hebron/services/street-light-report");
    std::string res = b.Post("/m/hebron/services/street-light-report/apply", {});
    const std::string draft = RawClient::Header(res, "location");
    EXPECT_EQ(draft.rfind("/applications/", 0), 0u) << res;
    b.Get(draft);
    res = b.Post(
        draft, {{"location", location}, {"problem", "not_working"}, {"description", description}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    return RawClient::Header(res, "location");
  }

  // Files it; returns the tracking number.
  std::string File(Browser& b, const std::string& location) {
    const std::string check = StartReport(b, location);
    b.Get(check);
    std::string res = b.Post(check, {{"declaration", "yes"}});
    const std::string mine = RawClient::Header(res, "location");
    EXPECT_EQ(mine.rfind("/account/cases/HEB-", 0), 0u) << res;
    return mine.substr(15, mine.find('?') - 15);
  }

  int64_t Hebron() { return catalog::TenancyStore(db()).FindMunicipality("hebron")->id; }

  // A clerk of the department street-light reports go to, signed in with their second factor.
  Browser Clerk(const std::string& username = "lights.clerk") {
    const int64_t hebron = Hebron();
    auto service = services().Find(hebron, "street-light-report");
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{identity::Role::kClerk, hebron, service->department_id}};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok());
    Browser b(port());
    b.SetCookie("sid", *sessions().Create(*id, true, true, Now()));
    return b;
  }

  std::string Message(i18n::Lang lang, const std::string& key) { return texts().Get(lang, key); }

  int64_t AccountOf(const std::string& login) {
    auto creds = accounts().FindForLogin(login);
    EXPECT_TRUE(creds.ok()) << login;
    return creds.ok() ? creds->account_id : 0;
  }
  // How many in-app messages of the template the account received.
  int64_t Received(int64_t account, const std::string& template_key) {
    auto inbox = outbox().Inbox(account, 1000);
    EXPECT_TRUE(inbox.ok());
    int64_t n = 0;
    for (const auto& item : inbox.ok() ? *inbox : std::vector<notify::InboxItem>{}) {
      n += item.template_key == template_key;
    }
    return n;
  }
  // How many reports the account follows.
  int64_t Following(int64_t account) {
    auto followed = cases().Followed(account);
    EXPECT_TRUE(followed.ok());
    return followed.ok() ? static_cast<int64_t>(followed->size()) : -1;
  }
  int64_t DraftsOf(int64_t account) {
    auto drafts = cases().Drafts(account);
    EXPECT_TRUE(drafts.ok());
    return drafts.ok() ? static_cast<int64_t>(drafts->size()) : -1;
  }
};

TEST_F(DuplicatesWebTest, AResidentFollowsAnOpenReportNearbyInsteadOfFilingAgain) {
  Browser first(port());
  Register(first, "401234562", "0599123456");
  const std::string tracking = File(first, kHere);
  // Filed on the web, its public record has the place and the words (never the name).
  auto record = records().Get(Hebron(), tracking);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->lat, "31.5326");
  EXPECT_EQ(record->description, "العمود مطفأ منذ ثلاث ليالٍ");

  Browser second(port());
  Register(second, "000000018", "0599000001");
  // Far away: no list, but the notice that place and description are published.
  const std::string far_check = StartReport(second, kFarAway);
  std::string page = RawClient::Body(second.Get(far_check));
  EXPECT_EQ(page.find("id=\"nearby\""), std::string::npos);
  EXPECT_NE(page.find(Message(i18n::Lang::kAr, "nearby.published")), std::string::npos);
  // Fifteen metres away: the open report is listed with a button to follow it, in both languages.
  const std::string check = StartReport(second, kFifteenMetres, "لا إنارة في الشارع");
  const std::string draft = check.substr(0, check.size() - 6);  // without "/check"
  page = RawClient::Body(second.Get(check));
  ASSERT_NE(page.find("id=\"nearby\""), std::string::npos) << page;
  EXPECT_NE(page.find(tracking), std::string::npos);
  EXPECT_NE(page.find("العمود مطفأ منذ ثلاث ليالٍ"), std::string::npos) << "its description";
  EXPECT_NE(page.find("action=\"" + draft + "/follow\""), std::string::npos);
  EXPECT_NE(page.find(Message(i18n::Lang::kAr, "nearby.follow")), std::string::npos);
  EXPECT_NE(page.find("١٥ م"), std::string::npos) << "the distance, in Arabic digits";
  std::string english = RawClient::Body(second.Get(check + "?lang=en"));
  EXPECT_NE(english.find("Follow this report instead"), std::string::npos);
  EXPECT_NE(english.find("15 m"), std::string::npos);
  EXPECT_NE(english.find("never published"), std::string::npos);
  second.Get(check + "?lang=ar");  // the language chosen sticks (a cookie): back to Arabic

  // Without the form token, or naming a report not in the list: refused, nothing changes.
  EXPECT_EQ(RawClient::Status(second.Post(draft + "/follow", {{"tracking", tracking}}, false)),
            403);
  std::string refused = second.Post(draft + "/follow", {{"tracking", "HEB-26-999999-0"}});
  EXPECT_EQ(RawClient::Status(refused), 422);
  EXPECT_NE(refused.find(Message(i18n::Lang::kAr, "cases.follow_not_nearby")), std::string::npos);
  const int64_t first_id = AccountOf("401234562"), second_id = AccountOf("000000018");
  EXPECT_EQ(Following(first_id) + Following(second_id), 0);
  const int64_t drafts = DraftsOf(second_id);

  std::string res = second.Post(draft + "/follow", {{"tracking", tracking}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string followed = RawClient::Header(res, "location");
  EXPECT_EQ(followed, "/account/followed/" + tracking + "?followed=1");
  page = RawClient::Body(second.Get(followed));
  EXPECT_NE(page.find(Message(i18n::Lang::kAr, "followed.done")), std::string::npos);
  EXPECT_EQ(page.find("العمود مطفأ"), std::string::npos) << "a follower never sees the answers";
  EXPECT_EQ(DraftsOf(second_id), drafts - 1) << "the draft was discarded";
  EXPECT_EQ(CasesFiled(), 1) << "no duplicate filed";
  EXPECT_NE(RawClient::Body(second.Get("/account/cases")).find("href=\"/account/followed\""),
            std::string::npos);
  EXPECT_NE(RawClient::Body(second.Get("/account/followed")).find(tracking), std::string::npos);
  EXPECT_EQ(RawClient::Status(second.Get("/account/cases/" + tracking)), 404)
      << "following is not applying";
  EXPECT_EQ(RawClient::Status(first.Get("/account/followed/" + tracking)), 404)
      << "only followers see the followed page";
  // The discarded draft's pages are gone.
  EXPECT_EQ(RawClient::Status(second.Get(check)), 404);

  // A change to the report reaches the follower, in the same transaction as the change.
  Browser clerk = Clerk();
  // What the follower reported is kept on the report, for staff.
  page = RawClient::Body(clerk.Get("/m/hebron/cases/" + tracking));
  EXPECT_NE(page.find("بدل تقديم بلاغه"), std::string::npos) << page;
  EXPECT_NE(page.find("لا إنارة في الشارع"), std::string::npos);
  res = clerk.Post("/m/hebron/cases/" + tracking + "/act",
                   {{"version", "1"}, {"action", "start_review"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(Received(second_id, "case.followed_changed"), 1);
  EXPECT_EQ(Received(first_id, "case.followed_changed"), 0) << "the applicant is told otherwise";
  EXPECT_NE(RawClient::Body(second.Get("/account/notifications")).find(tracking),
            std::string::npos);
  // Someone who finds their own report nearby only drops the new draft.
  const std::string own = StartReport(first, kHere);
  first.Get(own);
  res = first.Post(own.substr(0, own.size() - 6) + "/follow", {{"tracking", tracking}});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/cases/" + tracking);
  EXPECT_EQ(Following(second_id), 1);
  EXPECT_EQ(Following(first_id), 0);
}

TEST_F(DuplicatesWebTest, ACounterClerkFollowsANearbyReportForTheResident) {
  Browser first(port());
  Register(first, "401234562", "0599123456");
  const std::string tracking = File(first, kHere);
  Browser resident(port());
  Register(resident, "000000018", "0599000001");
  identity::StaffInput in;
  in.username = "hebron.desk";
  in.full_name_ar = "موظفة الشباك";
  in.password = "a-long-staff-password";
  in.municipality_id = Hebron();
  in.grants = {{identity::Role::kCounterClerk, Hebron(), 0}};
  auto clerk_id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(clerk_id.ok());
  Browser clerk(port());
  clerk.SetCookie("sid", *sessions().Create(*clerk_id, true, true, Now()));
  clerk.Get("/m/hebron/counter");
  std::string res = clerk.Post(
      "/m/hebron/counter",
      {{"resident", "000000018"}, {"service", "street-light-report"}, {"channel", "phone"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string draft = RawClient::Header(res, "location");
  clerk.Get(draft);
  res = clerk.Post(draft, {{"location", kFifteenMetres},
                           {"problem", "not_working"},
                           {"description", "اتصل المواطن: لا إنارة"}});
  const std::string check = RawClient::Header(res, "location");
  std::string page = RawClient::Body(clerk.Get(check));
  ASSERT_NE(page.find(tracking), std::string::npos) << page;
  const std::string follow = check.substr(0, check.size() - 6) + "/follow";
  res = clerk.Post(follow, {{"tracking", tracking}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(
      res.find(texts().Format(i18n::Lang::kAr, "follow_done.clerk", {{"tracking", tracking}})),
      std::string::npos)
      << "the clerk's confirmation";
  EXPECT_NE(res.find("href=\"/m/hebron/counter\""), std::string::npos);
  // The resident follows it, not the clerk; nothing was filed.
  EXPECT_NE(RawClient::Body(resident.Get("/account/followed")).find(tracking), std::string::npos);
  EXPECT_EQ(Following(*clerk_id), 0);
  EXPECT_EQ(CasesFiled(), 1);
}

TEST_F(DuplicatesWebTest, StaffMergeADuplicateReportIntoAnother) {
  Browser first(port());
  Register(first, "401234562", "0599123456");
  const std::string target = File(first, kHere);
  Browser second(port());
  Register(second, "000000018", "0599000001");
  const std::string duplicate = File(second, kFifteenMetres);  // filing anyway stays possible
  ASSERT_NE(target, duplicate);
  // A report of another service at the same place, and a closed one.
  auto waste = services().Find(Hebron(), "waste-collection-report");
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = 1;
  in.channel = "web";
  in.answers = {{"location", {kHere}},
                {"issues", {"not_collected"}},
                {"days_uncollected", {"3"}},
                {"description", {"نفايات"}}};
  auto wf = workflow::DefaultWorkflow(texts());
  auto other_service = cases().SubmitAnswers(in, {1, "p", {"resident"}, "web", "r"}, *waste, wf,
                                             workflow::Calendar{}, "HEB", Now());
  ASSERT_TRUE(other_service.ok()) << other_service.error().detail;

  Browser clerk = Clerk();
  const std::string href = "/m/hebron/cases/" + duplicate;
  std::string page = RawClient::Body(clerk.Get(href));
  ASSERT_NE(page.find("action=\"" + href + "/merge\""), std::string::npos) << page;
  EXPECT_NE(page.find("name=\"into\" value=\"" + target + "\""), std::string::npos)
      << "the nearby report offered as a choice";
  struct Refusal {
    std::string into;
    std::string version;
    int status;
    std::string key;
  } refusals[] = {
      {"", "1", 422, "cases.merge_into_required"},
      {duplicate, "1", 422, "cases.merge_self"},
      {other_service->tracking, "1", 422, "cases.merge_other_service"},
      {"HEB-26-999999-0", "1", 422, "cases.merge_unknown"},
      {target, "7", 409, "cases.conflict"},
  };
  for (const Refusal& r : refusals) {
    clerk.Get(href);
    std::string res = clerk.Post(href + "/merge", {{"version", r.version}, {"into", r.into}});
    EXPECT_EQ(RawClient::Status(res), r.status) << r.key;
    EXPECT_NE(res.find(Message(i18n::Lang::kAr, r.key)), std::string::npos) << r.key;
  }
  EXPECT_EQ(cases().FindByTracking(duplicate)->version, 1);
  EXPECT_EQ(Following(AccountOf("401234562")) + Following(AccountOf("000000018")), 0);
  // A resident may not merge at all.
  second.Get("/account/cases");
  EXPECT_EQ(RawClient::Status(second.Post(href + "/merge", {{"version", "1"}, {"into", target}})),
            403);

  clerk.Get(href);
  std::string res = clerk.Post(href + "/merge", {{"version", "1"}, {"into", target}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  auto merged = cases().FindByTracking(duplicate);
  EXPECT_NE(merged->closed_at, 0);
  page = RawClient::Body(clerk.Get(href + "?lang=en"));
  EXPECT_NE(page.find("Closed as a duplicate of another report"), std::string::npos);
  EXPECT_NE(page.find(target), std::string::npos);
  EXPECT_EQ(page.find("/merge\""), std::string::npos) << "a closed report is not merged again";
  clerk.Get(href + "?lang=ar");
  // Open311 publishes it as closed, a duplicate.
  auto record = records().Get(Hebron(), duplicate);
  EXPECT_TRUE(record->closed);
  std::string updates = RawClient::Body(
      RawClient::Get(port(), "/open311/v2/servicerequestupdates.json?jurisdiction_id=hebron"));
  EXPECT_NE(updates.find("\"duplicate\""), std::string::npos) << updates;
  // The duplicate's applicant was told, and now follows the target.
  EXPECT_EQ(Received(AccountOf("000000018"), "case.merged"), 1);
  EXPECT_EQ(Received(AccountOf("401234562"), "case.merged"), 0);
  EXPECT_NE(RawClient::Body(second.Get("/account/followed")).find(target), std::string::npos);
  EXPECT_EQ(audit::testing::Count(audit(), "case.merged"), 1);
  // Merging into a closed report is refused.
  const std::string third = File(first, kHere);
  clerk.Get("/m/hebron/cases/" + third);
  res = clerk.Post("/m/hebron/cases/" + third + "/merge", {{"version", "1"}, {"into", duplicate}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find(Message(i18n::Lang::kAr, "cases.merge_target_closed")), std::string::npos);
}

}  // namespace
}  // namespace baladiya::open311
