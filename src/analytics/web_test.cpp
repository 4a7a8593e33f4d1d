// analytics over HTTP on the web harness, with the modules it uses: the performance pages (a
// municipality's and a service's, in both languages, charts beside their tables), the master
// data page (a refused form changes nothing), open data (small counts suppressed, bad months
// refused, the DCAT-AP catalogue), the JSON API against its OpenAPI description, the comparison
// (public and the ministry's), the department head's dashboard and the metrics.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "analytics/analytics.h"
#include "analytics/web_internal.h"
#include "cases/web_test_fixture.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::analytics {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::Role;

// 2026-11-20T09:00:00Z, a Friday... the figures' months end in November 2026.
constexpr int64_t kNow = 1'795'165'200'000;
constexpr int64_t kDay = 86'400'000;
constexpr char kMetricsToken[] = "metrics-token-for-kpi-tests";

class KpiWebTest : public cases::testing::CasesWebTest {
 protected:
  std::vector<module::Module> Above() override { return {analytics::Module()}; }
  baladiya::testing::HarnessOptions Options() override {
    auto o = CasesWebTest::Options();
    o.settings["public-url"] = "https://baladiya.example.ps";
    o.web.metrics_token = kMetricsToken;
    return o;
  }

  void SetUp() override {
    CasesWebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kNow);
    hebron_ = MunicipalityId("hebron");
    light_ = *services().Find(hebron_, "street-light-report");
    wf_ = workflow::DefaultWorkflow(texts());
  }

  std::string Get(const std::string& target) { return RawClient::Get(port(), target); }
  Ledger& ledger() { return web().Part<Ledger>(); }
  MasterData& master() { return web().Part<MasterData>(); }

  // Files n street-light reports in Hebron on the channel, `days_ago`, and completes `done`.
  void File(int n, const std::string& channel, int days_ago, int done = 0) {
    for (int i = 0; i < n; ++i) {
      cases::CaseStore::DirectSubmission in;
      in.applicant_id = 700 + i;
      in.channel = channel == "open311" ? "api" : channel;
      in.filed_by = channel == "counter" ? 1 : 0;
      in.answers = {{"location", {"31.5326,35.0998"}},
                    {"problem", {"not_working"}},
                    {"description", {"العمود مطفأ"}}};
      const int64_t at = kNow - days_ago * kDay;
      cases::Actor a{700 + i, "r", {"resident"}, channel, "t"};
      auto c = cases().SubmitAnswers(in, a, light_, wf_, workflow::Calendar{}, "HEB", at);
      ASSERT_TRUE(c.ok()) << c.error().detail;
      if (i < done) {
        cases::Actor head{999, "h", {"department-head"}, "web", "t"};
        cases::Case cur = *c;
        for (const char* action : {"start_review", "approve", "complete"}) {
          auto next = cases().Transition(cur.id, cur.version, action, "", head, wf_,
                                         workflow::Calendar{}, light_, at + kDay);
          ASSERT_TRUE(next.ok()) << next.error().detail;
          cur = *next;
        }
      }
    }
  }
  void Fold() {
    auto n = ledger().CatchUp(kNow);
    ASSERT_TRUE(n.ok()) << n.error().detail;
  }

  int64_t hebron_ = 0;
  catalog::Service light_;
  workflow::Workflow wf_;
};

TEST_F(KpiWebTest, ThePerformancePageShowsTheLedgerInBothLanguages) {
  File(6, "web", 3, 4);
  File(2, "counter", 3);
  Fold();
  const std::string ar = RawClient::Body(Get("/m/hebron/performance"));
  EXPECT_EQ(RawClient::Status(Get("/m/hebron/performance")), 200);
  EXPECT_NE(ar.find("<svg"), std::string::npos);
  EXPECT_NE(ar.find("<caption"), std::string::npos);
  // 6 of 8 online: Arabic-Indic digits and the Arabic percent sign.
  EXPECT_NE(ar.find("٧٥٪ من الطلبات قُدّمت إلكترونيًا في تشرين الثاني ٢٠٢٦"), std::string::npos);
  const std::string en = RawClient::Body(Get("/m/hebron/performance?lang=en"));
  EXPECT_NE(en.find("75% of applications were submitted online in November 2026"),
            std::string::npos);
  EXPECT_NE(en.find("8 applications were submitted in November 2026, and 4 were completed"),
            std::string::npos);
  // One service, and refusals.
  EXPECT_EQ(RawClient::Status(Get("/m/hebron/performance/street-light-report?lang=en")), 200);
  EXPECT_EQ(RawClient::Status(Get("/m/hebron/performance/no-such-service")), 404);
  EXPECT_EQ(RawClient::Status(Get("/m/nowhere/performance")), 404);
  // New events show once folded (the page reads only the ledger).
  File(2, "phone", 1);
  Fold();
  EXPECT_NE(RawClient::Body(Get("/m/hebron/performance?lang=en"))
                .find("10 applications were submitted in November 2026"),
            std::string::npos);
}

TEST_F(KpiWebTest, AMonthWithoutEventsSaysSoAndChartsAnEmptySlot) {
  File(3, "web", 60);
  Fold();
  const std::string en = RawClient::Body(Get("/m/hebron/performance?lang=en"));
  EXPECT_NE(en.find("No application was finished in September 2026"), std::string::npos) << en;
  EXPECT_NE(en.find("<th scope=\"row\">November 2026</th><td>0</td>"), std::string::npos);
}

TEST_F(KpiWebTest, TheAdministratorKeepsPopulationCostsAndLicence) {
  Browser admin = Staff("heb.admin", Role::kMunicipalAdmin, "hebron");
  const std::string form = admin.Get("/m/hebron/admin/kpi?lang=en");
  ASSERT_EQ(RawClient::Status(form), 200);
  // Refused: a population without its source, a cost that is not money.
  std::string refused = admin.Post("/m/hebron/admin/kpi?lang=en", {{"population", "215000"},
                                                                   {"population_source", ""},
                                                                   {"population_year", "2017"},
                                                                   {"licence", "CC-BY-4.0"},
                                                                   {"currency", "ILS"},
                                                                   {"cost_counter", "abc"}});
  EXPECT_EQ(RawClient::Status(refused), 422);
  EXPECT_EQ(master().Get(hebron_)->population, 0);
  std::string saved =
      admin.Post("/m/hebron/admin/kpi?lang=en", {{"population", "٢١٥٠٠٠"},
                                                 {"population_source", "PCBS census"},
                                                 {"population_year", "2017"},
                                                 {"licence", "CC0-1.0"},
                                                 {"currency", "ILS"},
                                                 {"cost_web", "1.50"},
                                                 {"cost_counter", "18"}});
  EXPECT_EQ(RawClient::Status(saved), 200);
  auto f = master().Get(hebron_);
  EXPECT_EQ(f->population, 215000);
  EXPECT_EQ(f->licence, "CC0-1.0");
  EXPECT_EQ(f->cost_minor.at("web"), 150);
  EXPECT_EQ(f->cost_minor.at("counter"), 1800);
  // Cost per transaction and transactions per 1,000 inhabitants now show.
  File(10, "web", 2);
  File(10, "counter", 2);
  Fold();
  const std::string en = RawClient::Body(Get("/m/hebron/performance?lang=en"));
  EXPECT_NE(en.find("Population 215,000 (PCBS census, 2017)."), std::string::npos);
  // (10 * 150 + 10 * 1800) / 20 = 975 agorot.
  EXPECT_NE(en.find("9.75"), std::string::npos);
  // A clerk may not.
  Browser clerk = Staff("heb.clerk", Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/kpi")), 403);
}

TEST_F(KpiWebTest, OpenDataSuppressesSmallCountsAndDescribesItself) {
  File(7, "web", 2, 3);
  File(2, "phone", 2);
  Fold();
  const std::string csv = RawClient::Body(Get("/m/hebron/open-data/kpi-monthly.csv"));
  EXPECT_NE(csv.find("2026-11,street-light-report,web,7,7,<5,0,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("2026-11,street-light-report,phone,<5,<5,0,"), std::string::npos) << csv;
  EXPECT_EQ(csv.find("700"), std::string::npos);  // no applicant
  auto api =
      RawClient::Body(Get("/api/v1/municipalities/hebron/kpi/monthly?from=2026-01&to=2026-11"));
  auto doc = boost::json::parse(api).as_object();
  EXPECT_EQ(doc.at("from").as_string(), "2026-01");
  bool suppressed = false;
  for (const auto& row : doc.at("rows").as_array()) {
    if (row.at("channel") == "phone") suppressed = row.at("submitted") == "<5";
  }
  EXPECT_TRUE(suppressed) << api;
  EXPECT_EQ(RawClient::Status(Get("/api/v1/municipalities/hebron/kpi/monthly?from=2026-13")), 422);
  EXPECT_EQ(
      RawClient::Status(Get("/api/v1/municipalities/hebron/kpi/monthly?from=2026-05&to=2026-01")),
      422);
  EXPECT_EQ(RawClient::Status(Get("/api/v1/municipalities/nowhere/kpi/monthly")), 404);
  const std::string catalog = RawClient::Body(Get("/m/hebron/open-data/catalog.jsonld"));
  auto cat = boost::json::parse(catalog).as_object();
  EXPECT_EQ(cat.at("@type"), "dcat:Catalog");
  EXPECT_EQ(cat.at("dcat:dataset").as_array().size(), 3u);  // figures, payments, reports
  EXPECT_NE(catalog.find("https://baladiya.example.ps/m/hebron/open-data/payments-monthly.csv"),
            std::string::npos);
  EXPECT_NE(
      catalog.find("https://baladiya.example.ps/open311/v2/requests.json?jurisdiction_id=hebron"),
      std::string::npos);
  EXPECT_NE(catalog.find("https://creativecommons.org/licenses/by/4.0/"), std::string::npos);
  EXPECT_EQ(RawClient::Status(Get("/m/hebron/open-data")), 200);
}

TEST_F(KpiWebTest, TheComparisonIsPublicAndTheMinistrysNeedsTheObserver) {
  File(3, "web", 5, 2);
  Fold();
  const std::string pub = RawClient::Body(Get("/performance?lang=en"));
  EXPECT_NE(pub.find("How the municipalities compare"), std::string::npos);
  EXPECT_NE(pub.find("/m/hebron/performance"), std::string::npos);
  EXPECT_NE(pub.find("The same service across municipalities"), std::string::npos);
  EXPECT_NE(RawClient::Status(Get("/ministry/performance")), 200);
  Browser observer(port());
  const int64_t id = StaffAccount("ministry.kpi", {Role::kMinistryObserver, 0, 0});
  observer.SetCookie("sid", Session(id));
  const std::string ministry = observer.Get("/ministry/performance?lang=en");
  EXPECT_EQ(RawClient::Status(ministry), 200);
  EXPECT_NE(ministry.find("Past the promised time now"), std::string::npos);
  Browser clerk = Staff("heb.clerk2", Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Status(clerk.Get("/ministry/performance")), 403);
}

TEST_F(KpiWebTest, TheDepartmentHeadSeesBacklogRiskAndLoad) {
  File(4, "web", 1);
  Fold();
  Browser head = Staff("heb.head", Role::kDepartmentHead, "hebron");
  EXPECT_NE(head.Get("/account").find("href=\"/staff/kpi\""), std::string::npos);
  const std::string entry = head.Get("/staff/kpi");
  EXPECT_EQ(RawClient::Status(entry), 303);
  EXPECT_EQ(RawClient::Header(entry, "location"), "/m/hebron/staff/kpi");
  const std::string page = head.Get("/m/hebron/staff/kpi?lang=en");
  ASSERT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("Open cases by service"), std::string::npos);
  EXPECT_NE(page.find("HEB-"), std::string::npos);  // due within the week
  EXPECT_NE(page.find("Unassigned</th><td>4</td>"), std::string::npos) << page;
  Browser resident(port());
  EXPECT_NE(RawClient::Status(resident.Get("/m/hebron/staff/kpi")), 200);
}

TEST_F(KpiWebTest, MetricsCarryTheHeadlineFigures) {
  File(5, "web", 1);
  Fold();
  auto r = web().Send("GET", "/metrics",
                      std::string("Authorization: Bearer ") + kMetricsToken + "\r\n", "", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("baladiya_kpi_backlog{municipality=\"hebron\"} 5"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("# TYPE baladiya_kpi_backlog gauge"), std::string::npos);
}

TEST(StaleWhileRendering, RendersOncePerVersionAndServesThePreviousMeanwhile) {
  internal::StaleWhileRendering cache;
  int renders = 0;
  auto render = [&](std::string text) {
    return [&renders, text]() -> Result<std::shared_ptr<const std::string>> {
      ++renders;
      return std::make_shared<const std::string>(text);
    };
  };
  EXPECT_EQ(**cache.Get("k", 1, render("one")), "one");
  EXPECT_EQ(**cache.Get("k", 1, render("again")), "one");
  EXPECT_EQ(renders, 1);
  // While a request renders version 2, others get version 1.
  auto slow = [&]() -> Result<std::shared_ptr<const std::string>> {
    EXPECT_EQ(**cache.Get("k", 2, render("not now")), "one");
    return std::make_shared<const std::string>("two");
  };
  EXPECT_EQ(**cache.Get("k", 2, slow), "two");
  EXPECT_EQ(**cache.Get("k", 2, render("again")), "two");
  EXPECT_EQ(renders, 1);
  // A failed render keeps the previous body for the next request to try again.
  auto failing = []() -> Result<std::shared_ptr<const std::string>> {
    return MakeError(ErrorCode::kUnavailable, "error.unavailable");
  };
  EXPECT_FALSE(cache.Get("k", 3, failing).ok());
  EXPECT_EQ(**cache.Get("k", 3, render("three")), "three");
}

// The first render of a page: a request that comes meanwhile waits for it instead of rendering
// the same page itself.
TEST(StaleWhileRendering, AFirstRenderIsAwaitedNotRepeated) {
  internal::StaleWhileRendering cache;
  std::atomic<int> renders{0};
  std::atomic<bool> started{false};
  auto slow = [&]() -> Result<std::shared_ptr<const std::string>> {
    ++renders;
    started = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    return std::make_shared<const std::string>("first");
  };
  std::thread first([&] { EXPECT_EQ(**cache.Get("p", 1, slow), "first"); });
  while (!started) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto again = [&]() -> Result<std::shared_ptr<const std::string>> {
    ++renders;
    return std::make_shared<const std::string>("second");
  };
  EXPECT_EQ(**cache.Get("p", 1, again), "first");
  first.join();
  EXPECT_EQ(renders.load(), 1);
}

TEST(StaleWhileRendering, OnlyLedgerPagesRunOnTheRequestPool) {
  const std::pair<const char*, bool> cases[] = {
      {"/performance", true},          {"/ministry/performance", true},
      {"/m/hebron/performance", true}, {"/m/hebron/performance/x", true},
      {"/m/hebron/open-data", true},   {"/m/hebron", false},
      {"/m/hebron/staff/kpi", false},  {"/m/hebron/services", false},
  };
  for (const auto& [path, want] : cases) EXPECT_EQ(internal::RendersFromLedger(path), want) << path;
}

// The JSON API against its OpenAPI description and the golden files (src/analytics/golden):
// cases filed at fixed times on a fixed clock, folded.
class KpiApiTest : public KpiWebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    auto o = KpiWebTest::Options();
    o.clock_ms = kNow;
    return o;
  }
  void SetUp() override {
    KpiWebTest::SetUp();
    if (HasFatalFailure()) return;
    File(9, "web", 40, 6);
    File(3, "counter", 40, 1);
    File(6, "web", 5, 5);
    File(2, "phone", 5);
    Fold();
    api_ = std::make_unique<baladiya::testing::ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }
  std::unique_ptr<baladiya::testing::ApiClient> api_;
};

TEST_F(KpiApiTest, ExchangesMatchTheGoldenFiles) {
  baladiya::testing::GoldenOptions o;
  o.folder = "src/analytics/golden";
  o.at_least = 5;
  o.observe = [this](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api_->RecordGolden(g, r, values);
  };
  baladiya::testing::RunGoldenFiles(port(), o);
  const boost::json::value fragment =
      baladiya::testing::OpenApiFragment(analytics::Module().openapi());
  ASSERT_TRUE(fragment.is_object());
  // A storage failure (503) cannot be provoked here.
  const baladiya::testing::Unreachable unreachable[] = {{"", 503}};
  for (const auto& missing : api_->Unexercised(&fragment, unreachable)) ADD_FAILURE() << missing;
}

}  // namespace
}  // namespace baladiya::analytics
