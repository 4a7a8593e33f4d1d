// Municipal boundaries over HTTP, on open311 and the modules it uses (web_test_fixture.h): a report
// filed with Hebron at a point in Nablus goes to Nablus (pages, JSON API, Open311) and the resident
// is told before and after; staff transfer a report to another municipality, and what they may not
// do is refused.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "audit/testing.h"
#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

namespace json = boost::json;
using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;

constexpr char kNablusPoint[] = "32.222,35.258";

class BoundariesWebTest : public testing::Open311Test {
 protected:
  // Fills a street-light report of Hebron through the pages up to "check your answers"; returns
  // the check page's path.
  std::string FillReport(Browser& resident, const std::string& location) {
    resident.Get("/m/hebron/services/street-light-report");
    std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
    const std::string draft = RawClient::Header(res, "location");
    resident.Get(draft);
    res = resident.Post(draft, {{"location", location},
                                {"problem", "not_working"},
                                {"description", "العمود مطفأ منذ ثلاث ليالٍ"}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    return RawClient::Header(res, "location");
  }
  // Submits the checked report; returns its tracking number.
  std::string SubmitReport(Browser& resident, const std::string& check) {
    resident.Get(check);
    std::string res = resident.Post(check, {{"declaration", "yes"}});
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    const std::string mine = RawClient::Header(res, "location");
    return mine.substr(15, mine.find('?') - 15);
  }
  void Unpublish(const std::string& slug, const std::string& code) {
    auto s = services().Find(MunicipalityId(slug), code);
    ASSERT_TRUE(s.ok());
    s->published = false;
    ASSERT_TRUE(services().Save(*s, Now()).ok());
  }
};

TEST_F(BoundariesWebTest, AReportAtANablusPointGoesToNablusAndTheResidentIsToldBeforeAndAfter) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  const std::string check = FillReport(resident, kNablusPoint);
  std::string page = RawClient::Body(resident.Get(check));
  EXPECT_NE(page.find("هذا الموقع في نابلس: سيصل بلاغك إلى بلدية نابلس."), std::string::npos)
      << page;
  page = RawClient::Body(resident.Get(check + "?lang=en"));
  EXPECT_NE(page.find("This location is in Nablus: your report will go to Nablus Municipality."),
            std::string::npos)
      << page;
  resident.Get(check + "?lang=ar");
  std::string res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string mine = RawClient::Header(res, "location");
  EXPECT_NE(mine.find("routed=1"), std::string::npos);
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  EXPECT_EQ(tracking.rfind("NAB-", 0), 0u) << tracking;  // Nablus's numbering
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  auto nablus_light = services().Find(MunicipalityId("nablus"), "street-light-report");
  EXPECT_EQ(c->municipality_id, MunicipalityId("nablus"));
  EXPECT_EQ(c->service_id, nablus_light->id);
  EXPECT_EQ(c->department_id, nablus_light->department_id);
  page = RawClient::Body(resident.Get(mine));
  EXPECT_NE(page.find("هذا الموقع في نابلس: أُرسل بلاغك إلى بلدية نابلس."), std::string::npos);
  // Nablus's staff see it in their queue; Hebron's do not.
  Browser nablus = Staff("nab.eng.head", identity::Role::kDepartmentHead, "nablus", "engineering");
  EXPECT_NE(RawClient::Body(nablus.Get("/m/nablus/queue")).find(tracking), std::string::npos);
  Browser hebron = Staff("heb.eng.head", identity::Role::kDepartmentHead, "hebron", "engineering");
  EXPECT_EQ(RawClient::Body(hebron.Get("/m/hebron/queue")).find(tracking), std::string::npos);
  EXPECT_EQ(RawClient::Status(hebron.Get("/m/hebron/cases/" + tracking)), 404);
}

// A report on its way to another municipality is checked against that municipality's open
// reports near the place (the 50 m duplicate check), and may follow one of them.
TEST_F(BoundariesWebTest, TheDuplicateCheckLooksWhereTheReportWillGo) {
  Browser first(port());
  Register(first, "401234562", "0599123456");
  const std::string filed = SubmitReport(first, FillReport(first, kNablusPoint));
  ASSERT_EQ(filed.rfind("NAB-", 0), 0u) << filed;
  Browser neighbour(port());
  Register(neighbour, "000000018", "0599000001");
  const std::string check = FillReport(neighbour, kNablusPoint);
  std::string page = RawClient::Body(neighbour.Get(check + "?lang=en"));
  EXPECT_NE(page.find("your report will go to Nablus Municipality"), std::string::npos);
  EXPECT_NE(page.find(filed), std::string::npos) << "the Nablus report nearby: " << page;
  std::string res =
      neighbour.Post(check.substr(0, check.size() - 6) + "/follow", {{"tracking", filed}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/followed/" + filed + "?followed=1");
}

TEST_F(BoundariesWebTest, ReportsStayWhereFiledInTheirOwnAreaOutsideEveryAreaOrWithoutAMatch) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  struct Case {
    const char* location;
    const char* why;
  } cases[] = {{"31.5326,35.0998", "in Hebron"},
               {"31.70,35.20", "in nobody's area"},
               {"شارع فيصل، نابلس", "an address in words"}};
  for (const Case& k : cases) {
    const std::string check = FillReport(resident, k.location);
    EXPECT_EQ(RawClient::Body(resident.Get(check)).find("نابلس: سيصل"), std::string::npos) << k.why;
    const std::string tracking = SubmitReport(resident, check);
    EXPECT_EQ(tracking.rfind("HEB-", 0), 0u) << k.why << " " << tracking;
  }
  // Nablus has no matching report service: the report stays in Hebron.
  Unpublish("nablus", "street-light-report");
  const std::string check = FillReport(resident, kNablusPoint);
  EXPECT_EQ(RawClient::Body(resident.Get(check)).find("نابلس: سيصل"), std::string::npos);
  EXPECT_EQ(SubmitReport(resident, check).rfind("HEB-", 0), 0u);
}

TEST_F(BoundariesWebTest, TheApiFilesAReportWhereItsLocationIs) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  identity::Grant g{identity::Role::kCounterClerk, MunicipalityId("hebron"), 0};
  identity::StaffInput in;
  in.username = "heb.counter";
  in.full_name_ar = "موظف";
  in.password = "a-long-staff-password";
  in.municipality_id = g.municipality_id;
  in.grants = {g};
  auto clerk = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(clerk.ok());
  auto token = api_tokens().Issue(*clerk, g, "test", {"t", "t", 0}, Now());
  ASSERT_TRUE(token.ok());
  // A client of its own: the token alone authenticates (no session cookie).
  Browser api(port());
  auto submit = [&](const std::string& location) {
    const std::string body = json::serialize(
        json::object{{"answers", json::object{{"location", location},
                                              {"problem", "not_working"},
                                              {"description", "الإنارة مطفأة في الشارع"}}},
                     {"applicant_national_id", "401234562"}});
    return api.Raw(
        "POST /api/v1/municipalities/hebron/services/street-light-report/applications "
        "HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n"
        "Authorization: Bearer " +
            *token + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n",
        body);
  };
  std::string res = submit(kNablusPoint);
  ASSERT_EQ(RawClient::Status(res), 201) << res;
  json::value v = json::parse(RawClient::Body(res));
  EXPECT_EQ(v.at("municipality"), "nablus");
  EXPECT_EQ(std::string(v.at("tracking").as_string()).rfind("NAB-", 0), 0u);
  EXPECT_EQ(v.at("channel"), "counter");
  // Arabic digits are folded before the location is placed.
  res = submit("٣٢٫٢٢٢،٣٥٫٢٥٨");
  ASSERT_EQ(RawClient::Status(res), 201) << res;
  EXPECT_EQ(json::parse(RawClient::Body(res)).at("municipality"), "nablus");
  res = submit("31.5326,35.0998");
  ASSERT_EQ(RawClient::Status(res), 201) << res;
  EXPECT_EQ(json::parse(RawClient::Body(res)).at("municipality"), "hebron");
}

TEST_F(BoundariesWebTest, Open311ReportsAtANablusPointAreFiledWithNablus) {
  Reply r = Post("/open311/v2/requests.json",
                 With(With(LightReport(), "lat", "32.222"), "long", "35.258"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  const json::object& answer = v.as_array()[0].as_object();
  const std::string tracking(answer.at("service_request_id").as_string());
  EXPECT_EQ(tracking.rfind("NAB-", 0), 0u) << tracking;
  EXPECT_NE(std::string(answer.at("service_notice").as_string()).find("بلدية نابلس"),
            std::string::npos)
      << r.body;
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->municipality_id, MunicipalityId("nablus"));
  // The public record is Nablus's, with what the client sent.
  Reply there = Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=nablus");
  EXPECT_EQ(there.status, 200) << there.body;
  EXPECT_NE(there.body.find("32.222"), std::string::npos);
  EXPECT_EQ(Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=hebron").status, 404);
  // In English, the notice says so in English.
  r = Post("/open311/v2/requests.json?lang=en",
           With(With(LightReport(), "lat", "32.222"), "long", "35.258"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("This location is in Nablus: your report went to Nablus Municipality."),
            std::string::npos)
      << r.body;
}

TEST_F(BoundariesWebTest, AHeadTransfersAReportToTheMunicipalityWhoseAreaItIsIn) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  // Filed in words, so it stayed in Hebron.
  const std::string tracking = SubmitReport(resident, FillReport(resident, "شارع فيصل، نابلس"));
  ASSERT_EQ(tracking.rfind("HEB-", 0), 0u);
  Browser head = Staff("heb.eng.head", identity::Role::kDepartmentHead, "hebron", "engineering");
  const std::string href = "/m/hebron/cases/" + tracking;
  std::string page = RawClient::Body(head.Get(href));
  ASSERT_NE(page.find("href=\"" + href + "/transfer\""), std::string::npos) << page;
  std::string form = head.Get(href + "/transfer?lang=en");
  ASSERT_EQ(RawClient::Status(form), 200) << form;
  EXPECT_NE(form.find("value=\"nablus\""), std::string::npos);
  EXPECT_NE(form.find("value=\"ramallah\""), std::string::npos);
  EXPECT_EQ(form.find("value=\"hebron\""), std::string::npos);  // not to itself
  const int64_t version = cases().FindByTracking(tracking)->version;
  std::string res = head.Post(href + "/transfer",
                              {{"municipality", "nablus"}, {"version", std::to_string(version)}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(RawClient::Body(res).find("Report " + tracking + " now goes to Nablus Municipality."),
            std::string::npos);
  auto c = cases().FindByTracking(tracking);
  EXPECT_EQ(c->tracking, tracking);  // kept: the resident already has it
  EXPECT_EQ(c->municipality_id, MunicipalityId("nablus"));
  EXPECT_EQ(c->state, "submitted");
  EXPECT_EQ(audit::testing::Count(audit(), "case.transferred"), 2);
  int64_t told = 0;
  for (const notify::Record& r : Outboxed()) told += r.template_key == "case.transferred";
  EXPECT_GE(told, 1);  // in-app, and SMS where the applicant has a phone
  // Hebron's staff no longer see it; Nablus's do, with the transfer in its history.
  EXPECT_EQ(RawClient::Status(head.Get(href)), 404);
  Browser nablus = Staff("nab.eng.head", identity::Role::kDepartmentHead, "nablus", "engineering");
  page = RawClient::Body(nablus.Get("/m/nablus/cases/" + tracking + "?lang=en"));
  EXPECT_NE(page.find("Transferred from Hebron Municipality to Nablus Municipality"),
            std::string::npos)
      << page;
  // The applicant follows it as before, and the public record moved with it.
  page = RawClient::Body(resident.Get("/account/cases/" + tracking));
  EXPECT_NE(page.find("حُوِّل من بلدية الخليل إلى بلدية نابلس"), std::string::npos);
  EXPECT_EQ(Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=nablus").status, 200);
  EXPECT_EQ(Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=hebron").status, 404);
  // The page shown before the transfer is gone: the case is no longer Hebron's.
  res = head.Post(href + "/transfer",
                  {{"municipality", "ramallah"}, {"version", std::to_string(version)}});
  EXPECT_EQ(RawClient::Status(res), 404);
}

TEST_F(BoundariesWebTest, TransfersAreRefusedToWhoeverMayNotAndForWhatCannotBe) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  const std::string tracking = SubmitReport(resident, FillReport(resident, "شارع فيصل، نابلس"));
  const std::string href = "/m/hebron/cases/" + tracking;
  const std::string version = std::to_string(cases().FindByTracking(tracking)->version);
  // A clerk works the case but may not transfer it; the case page offers no link.
  Browser clerk = Staff("heb.eng.clerk", identity::Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Body(clerk.Get(href)).find("/transfer"), std::string::npos);
  EXPECT_EQ(RawClient::Status(clerk.Get(href + "/transfer")), 403);
  EXPECT_EQ(RawClient::Status(
                clerk.Post(href + "/transfer", {{"municipality", "nablus"}, {"version", version}})),
            403);
  // Another department's head, another municipality's head and the resident do not see it.
  Browser water = Staff("heb.water.head", identity::Role::kDepartmentHead, "hebron", "water");
  EXPECT_EQ(RawClient::Status(water.Get(href + "/transfer")), 404);
  Browser nablus = Staff("nab.eng.head", identity::Role::kDepartmentHead, "nablus", "engineering");
  EXPECT_EQ(RawClient::Status(nablus.Get("/m/nablus/cases/" + tracking + "/transfer")), 404);
  EXPECT_EQ(RawClient::Status(nablus.Get(href + "/transfer")), 404);
  EXPECT_EQ(RawClient::Status(resident.Get(href + "/transfer")), 404);
  Browser anonymous(port());
  EXPECT_EQ(RawClient::Status(anonymous.Get(href + "/transfer")), 303);  // to the login page
  // The municipal admin may; bad choices are explained and change nothing.
  Browser admin = Staff("heb.admin", identity::Role::kMunicipalAdmin, "hebron");
  ASSERT_EQ(RawClient::Status(admin.Get(href + "/transfer")), 200);
  struct Refusal {
    std::string municipality, version;
    int status;
    const char* message;
  } refusals[] = {
      {"", version, 422, "اختر البلدية التي تريد تحويل البلاغ إليها."},
      {"gaza", version, 422, "اختر البلدية التي تريد تحويل البلاغ إليها."},
      {"hebron", version, 422, "البلاغ لدى هذه البلدية أصلاً: اختر بلدية أخرى."},
      {"nablus", "1000", 409, "Someone else changed this case"},
  };
  for (const Refusal& r : refusals) {
    std::string res = admin.Post(href + "/transfer" + (r.status == 409 ? "?lang=en" : ""),
                                 {{"municipality", r.municipality}, {"version", r.version}});
    EXPECT_EQ(RawClient::Status(res), r.status) << r.municipality;
    EXPECT_NE(RawClient::Body(res).find(r.message), std::string::npos) << r.municipality << res;
    admin.Get(href + "/transfer?lang=ar");
  }
  Unpublish("nablus", "street-light-report");
  std::string res =
      admin.Post(href + "/transfer", {{"municipality", "nablus"}, {"version", version}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(RawClient::Body(res).find("ليس لدى تلك البلدية خدمة بلاغات منشورة"), std::string::npos);
  EXPECT_EQ(cases().FindByTracking(tracking)->municipality_id, MunicipalityId("hebron"));
  int64_t transfers = 0;
  for (const cases::FeedEntry& e : Feed()) transfers += e.kind == "transferred";
  EXPECT_EQ(transfers, 0);
}

TEST_F(BoundariesWebTest, TheTransferPageSuggestsTheMunicipalityWhoseAreaHoldsThePoint) {
  // Nablus had no matching service when the report was filed, so it stayed in Hebron.
  Unpublish("nablus", "street-light-report");
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  const std::string tracking = SubmitReport(resident, FillReport(resident, kNablusPoint));
  ASSERT_EQ(tracking.rfind("HEB-", 0), 0u);
  auto s = services().Find(MunicipalityId("nablus"), "street-light-report");
  s->published = true;
  ASSERT_TRUE(services().Save(*s, Now()).ok());
  Browser head = Staff("heb.eng.head", identity::Role::kDepartmentHead, "hebron", "engineering");
  std::string page = RawClient::Body(head.Get("/m/hebron/cases/" + tracking + "/transfer?lang=en"));
  EXPECT_NE(page.find("This location is inside the area of Nablus."), std::string::npos) << page;
  EXPECT_NE(page.find("<option value=\"nablus\" selected>"), std::string::npos) << page;
  page = RawClient::Body(head.Get("/m/hebron/cases/" + tracking + "/transfer?lang=ar"));
  EXPECT_NE(page.find("يقع هذا الموقع داخل حدود نابلس."), std::string::npos);
}

}  // namespace
}  // namespace baladiya::open311
