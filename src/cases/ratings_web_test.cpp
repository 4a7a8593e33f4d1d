// The ratings pages over HTTP (ratings_web.cpp): a department head reads the ratings of their
// department's services (/m/{slug}/ratings), one service's distribution and latest comments, and
// each case's rating on its page; the municipal admin reads every service's
// (/m/{slug}/admin/ratings); figures in the page's language and digits; others are refused.
#include "cases/ratings.h"
#include "cases/web_test_fixture.h"

namespace baladiya::cases {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using testing::CasesWebTest;

class RatingsWebTest : public CasesWebTest {
 protected:
  // A closed clearance-certificate case of a new applicant (the n-th), rated `score` with
  // `comment`.
  Case RatedCase(int n, int score, const std::string& comment) {
    std::string id = std::to_string(40700000 + n);
    int sum = 0;
    for (int i = 0; i < 8; ++i) {
      int d = (id[i] - '0') * (i % 2 == 0 ? 1 : 2);
      sum += d / 10 + d % 10;
    }
    id += static_cast<char>('0' + (10 - sum % 10) % 10);
    identity::ResidentRegistration reg;
    reg.national_id = id;
    reg.full_name_ar = "مواطن";
    reg.phone = "059970000" + std::to_string(n);
    reg.password = "olive-harvest-season";
    auto account = accounts().RegisterResident(reg, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(account.ok()) << account.error().message_key;
    const int64_t applicant = account.ok() ? *account : 0;
    const int64_t hebron = MunicipalityId("hebron");
    auto service = services().Find(hebron, "clearance-certificate");
    EXPECT_TRUE(service.ok());
    const workflow::Workflow wf = workflow::DefaultWorkflow(texts());
    workflow::Calendar calendar;
    CaseStore::DirectSubmission in;
    in.applicant_id = applicant;
    in.answers = {{"purpose", {"bank"}}, {"delivery", {"counter"}}};
    Actor me{applicant, "me-" + std::to_string(applicant), {"resident"}, "api", "r1"};
    auto c = cases().SubmitAnswers(in, me, *service, wf, calendar, "HEB", Now());
    EXPECT_TRUE(c.ok()) << c.error().detail;
    Actor clerk{999999, "clerk", {"clerk"}, "web", "r2"};
    auto r = cases().Transition(c->id, c->version, "start_review", "", clerk, wf, calendar,
                                *service, Now());
    auto done = cases().Transition(r->id, r->version, "reject", "ناقص", clerk, wf, calendar,
                                   *service, Now());
    EXPECT_TRUE(done.ok());
    EXPECT_TRUE(cases().Rate(c->id, score, comment, me, Now()).ok());
    return *c;
  }
};

TEST_F(RatingsWebTest, HeadsAndAdminsReadTheRatingsOfTheirServices) {
  const Case a = RatedCase(1, 5, "سريع وواضح");
  RatedCase(2, 4, "");
  RatedCase(3, 3, "Slow at the counter");
  Browser head = Staff("hebron.rev.head", identity::Role::kDepartmentHead, "hebron", "revenue");
  // The list: the department's services with their count and average, Arabic digits.
  std::string list = RawClient::Body(head.Get("/m/hebron/ratings"));
  ASSERT_NE(list.find("href=\"/m/hebron/ratings/clearance-certificate\""), std::string::npos)
      << list;
  EXPECT_NE(list.find("<td>٣</td>"), std::string::npos);
  EXPECT_NE(list.find("٤"), std::string::npos);
  // Only their department's services.
  EXPECT_EQ(list.find("/m/hebron/ratings/building-permit"), std::string::npos);
  // One service: the summary, the spread and the comments, newest first, in English too.
  std::string one = RawClient::Body(head.Get("/m/hebron/ratings/clearance-certificate?lang=en"));
  EXPECT_NE(one.find("Average 4 out of 5, from 3 ratings."), std::string::npos) << one;
  const size_t slow = one.find("Slow at the counter"), quick = one.find("سريع وواضح");
  ASSERT_NE(slow, std::string::npos);
  ASSERT_NE(quick, std::string::npos);
  EXPECT_LT(slow, quick);
  EXPECT_NE(one.find("href=\"/m/hebron/ratings\""), std::string::npos);  // back to the list
  // Another department's service is not theirs to read.
  EXPECT_EQ(RawClient::Status(head.Get("/m/hebron/ratings/building-permit")), 404);
  // The case page shows the case's own rating.
  std::string page = RawClient::Body(head.Get("/m/hebron/cases/" + a.tracking + "?lang=en"));
  EXPECT_NE(page.find("5 out of 5"), std::string::npos);
  // The municipal admin reads every service.
  Browser admin = Staff("hebron.boss", identity::Role::kMunicipalAdmin, "hebron");
  std::string every = RawClient::Body(admin.Get("/m/hebron/admin/ratings"));
  EXPECT_NE(every.find("/m/hebron/admin/ratings/building-permit"), std::string::npos);
  EXPECT_NE(every.find("/m/hebron/admin/ratings/clearance-certificate"), std::string::npos);
  EXPECT_EQ(RawClient::Status(admin.Get("/m/hebron/admin/ratings/clearance-certificate")), 200);
  // Others are refused; another municipality's pages show none of Hebron's.
  Browser clerk = Staff("hebron.rev.clerk", identity::Role::kClerk, "hebron", "revenue");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/ratings")), 403);
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/ratings")), 403);
  EXPECT_EQ(RawClient::Status(head.Get("/m/nablus/ratings")), 403);
  Browser nablus = Staff("nablus.boss", identity::Role::kMunicipalAdmin, "nablus");
  EXPECT_EQ(RawClient::Body(nablus.Get("/m/nablus/admin/ratings/clearance-certificate"))
                .find("سريع وواضح"),
            std::string::npos);
}

}  // namespace
}  // namespace baladiya::cases
