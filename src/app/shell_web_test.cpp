// The app's own pages (the home page and the municipality pages of shell.cpp), served with every
// module by the web harness (platform/testing) on a fresh database with the demo data. The host's
// own routes and error pages are tested in src/platform/module/web_test.cpp.
#include <gtest/gtest.h>

#include "analytics/analytics.h"
#include "app/config.h"
#include "app/modules.h"
#include "catalog/catalog.h"
#include "documents/documents.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "participation/participation.h"
#include "payments/payments.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::app {
namespace {

using http::testing::RawClient;

class ShellWebTest : public baladiya::testing::WebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    Config c;
    c.hash_threads = 1;
    baladiya::testing::HarnessOptions o;
    o.modules = Modules();
    o.settings = SettingValues(c);
    o.seed = [](module::Host& host) -> Status {
      auto seeded = catalog::SeedDemo(host.db(), 1);
      if (!seeded.ok()) return std::move(seeded).error();
      return Ok();
    };
    return o;
  }
  std::string Get(const std::string& target, const std::string& headers = "") {
    return RawClient::Get(port(), target, headers);
  }
};

TEST_F(ShellWebTest, HomeListsTheMunicipalitiesInArabicByDefault) {
  std::string res = Get("/", "Accept-Language: en-US,en;q=0.9\r\n");
  EXPECT_EQ(RawClient::Status(res), 200);
  std::string body = RawClient::Body(res);
  EXPECT_NE(body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  for (const char* name : {"بلدية الخليل", "بلدية نابلس", "بلدية رام الله"}) {
    EXPECT_NE(body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(body.find("href=\"/m/hebron\""), std::string::npos);
  EXPECT_NE(body.find("class=\"skip-link\" href=\"#main\""), std::string::npos);
  EXPECT_NE(body.find("href=\"/?lang=en\""), std::string::npos);
  // One <main>.
  EXPECT_EQ(body.find("<main"), body.rfind("<main"));
}

TEST_F(ShellWebTest, EnglishByQueryIsRememberedInACookie) {
  std::string res = Get("/?lang=en");
  EXPECT_NE(RawClient::Body(res).find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos);
  EXPECT_NE(RawClient::Body(res).find("Hebron Municipality"), std::string::npos);
  std::string cookie = RawClient::Header(res, "set-cookie");
  EXPECT_EQ(cookie.rfind("lang=en;", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  std::string again = Get("/m/nablus", "Cookie: lang=en\r\n");
  EXPECT_NE(RawClient::Body(again).find("<html lang=\"en\""), std::string::npos);
  EXPECT_NE(RawClient::Body(again).find("Nablus Municipality"), std::string::npos);
  // An unknown ?lang= changes nothing and sets no cookie.
  std::string fr = Get("/?lang=fr");
  EXPECT_NE(RawClient::Body(fr).find("<html lang=\"ar\""), std::string::npos);
  EXPECT_EQ(RawClient::Header(fr, "set-cookie"), "");
}

TEST_F(ShellWebTest, MunicipalityHomeShowsDepartmentsAndContact) {
  std::string body = RawClient::Body(Get("/m/ramallah"));
  EXPECT_NE(body.find("<h1>بلدية رام الله</h1>"), std::string::npos) << body;
  EXPECT_NE(body.find("دائرة المياه والصرف الصحي"), std::string::npos);
  EXPECT_NE(body.find("class=\"site-name\" href=\"/m/ramallah\""), std::string::npos);
  EXPECT_NE(body.find("mailto:info@ramallah.example"), std::string::npos);
}

// The municipality's page links its public list of reports (open311's pages).
TEST_F(ShellWebTest, TheMunicipalityPageLinksItsReports) {
  std::string res = Get("/m/hebron?lang=en");
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(RawClient::Body(res).find("href=\"/m/hebron/reports\""), std::string::npos);
}

TEST_F(ShellWebTest, RenderedPagesFollowDataChanges) {
  EXPECT_NE(RawClient::Body(Get("/m/nablus")).find("+970 9 000 0002"), std::string::npos);
  catalog::TenancyStore store(web().db(), std::chrono::milliseconds(0));
  auto nablus = store.FindMunicipality("nablus");
  ASSERT_TRUE(nablus.ok());
  nablus->phone = "+970 9 123 4567";
  nablus->name.ar = "بلدية نابلس الكبرى";
  ASSERT_TRUE(store.UpsertMunicipality(*nablus, 2).ok());
  std::string body = RawClient::Body(Get("/m/nablus"));
  EXPECT_NE(body.find("+970 9 123 4567"), std::string::npos) << body;
  EXPECT_NE(RawClient::Body(Get("/")).find("بلدية نابلس الكبرى"), std::string::npos);
}

// The shell's pages answer an unknown municipality with the error page in the user's language,
// and a wrong method with 405 and the methods allowed.
TEST_F(ShellWebTest, UnknownMunicipalitiesAndWrongMethodsGetErrorPages) {
  testing::ExpectErrorPages(port(),
                            {
                                {"/m/atlantis", "Cookie: lang=en\r\n", 404, "Page not found"},
                                {"/m/NOT_A_SLUG", "", 404, "الصفحة غير موجودة"},
                            });
  testing::ExpectReadOnly(port(), "/m/hebron");
}

TEST_F(ShellWebTest, PagesHaveNoInlineScriptOrStyle) {
  for (const char* target : {"/", "/m/hebron", "/nope", "/?lang=en"}) {
    std::string body = RawClient::Body(Get(target));
    EXPECT_EQ(body.find("<script"), std::string::npos) << target;
    EXPECT_EQ(body.find("<style"), std::string::npos) << target;
    EXPECT_EQ(body.find(" style="), std::string::npos) << target;
  }
}

TEST_F(ShellWebTest, SecurityHeadersOnThePages) {
  for (const char* target : {"/", "/m/hebron"}) {
    std::string res = Get(target);
    EXPECT_NE(RawClient::Header(res, "content-security-policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << target;
    EXPECT_FALSE(RawClient::Header(res, "x-request-id").empty());
  }
}

// Pages that look a municipality up by its slug answer 503 with Retry-After when the directory
// cannot be read, never 404 (which would tell a visitor the municipality does not exist): the
// shell's, cases', Open311's and the API's alike.
TEST_F(ShellWebTest, ADatabaseOutageIsA503NeverA404) {
  web().db().Close();
  catalog::NoteCatalogChange();  // the directory snapshot must be read again
  for (const char* target :
       {"/", "/m/hebron", "/m/hebron/services", "/m/hebron/reports",
        "/m/hebron/services/building-permit", "/m/hebron/reports/HEB-26-000001-7",
        "/api/v1/municipalities/hebron/services"}) {
    std::string res = Get(target);
    EXPECT_EQ(RawClient::Status(res), 503) << target;
    EXPECT_EQ(RawClient::Header(res, "retry-after"), "1") << target;
  }
}

// The shell joins documents to payments: a clearance goes only to someone who owes nothing in
// the municipality, as an account (an open invoice) or as a national ID (dues loaded from the
// municipality's billing), read in the issuing transaction.
TEST_F(ShellWebTest, AClearanceHolderMustOweNothing) {
  baladiya::testing::Browser salma(port());
  ASSERT_EQ(RawClient::Status(identity::testing::Register(salma, "401234562", "0599123456")), 303);
  baladiya::testing::Browser omar(port());
  ASSERT_EQ(RawClient::Status(identity::testing::Register(omar, "401234570", "0599123457")), 303);
  auto& accounts = web().Part<identity::AccountStore>();
  auto salma_id = accounts.FindForLogin("401234562");
  auto omar_id = accounts.FindForLogin("401234570");
  ASSERT_TRUE(salma_id.ok() && omar_id.ok());
  auto hebron = web().Part<catalog::TenancyStore>().FindMunicipality("hebron");
  auto nablus = web().Part<catalog::TenancyStore>().FindMunicipality("nablus");
  ASSERT_TRUE(hebron.ok() && nablus.ok());
  const auto& owes = web().Part<documents::Extensions>().owes;
  ASSERT_TRUE(owes);
  auto owes_in = [&](int64_t municipality, int64_t account) {
    Result<bool> out = false;
    EXPECT_TRUE(web()
                    .db()
                    .Write([&](db::Tx& tx) -> Status {
                      out = owes(tx, municipality, account);
                      return Ok();
                    })
                    .ok());
    EXPECT_TRUE(out.ok());
    return out.ok() && *out;
  };
  EXPECT_FALSE(owes_in(hebron->id, salma_id->account_id));
  auto loaded = web().Part<payments::PaymentStore>().ImportDues(
      "municipality,bill_id,national_id,description_ar,description_en,amount,currency,due_date\n"
      "hebron,W-9,401234562,رسوم نفايات,Waste fees,120.50,ILS,2026-12-31\n",
      [&](std::string_view slug) -> Result<payments::PaymentStore::MunicipalityRef> {
        if (slug == "hebron") return payments::PaymentStore::MunicipalityRef{hebron->id, "HEB"};
        return MakeError(ErrorCode::kNotFound, "error.not_found");
      },
      Now());
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_TRUE(owes_in(hebron->id, salma_id->account_id));
  EXPECT_FALSE(owes_in(nablus->id, salma_id->account_id));  // dues are per municipality
  EXPECT_FALSE(owes_in(hebron->id, omar_id->account_id));
}

// The KPI ledger folds participation's feed (joined in the shell): a resident's first part in a
// process and a recommendation accepted reach the ledger and the municipality's performance page.
TEST_F(ShellWebTest, TheLedgerCountsParticipation) {
  baladiya::testing::Browser salma(port());
  ASSERT_EQ(RawClient::Status(identity::testing::Register(salma, "401234562", "0599123456")), 303);
  auto& accounts = web().Part<identity::AccountStore>();
  auto salma_id = accounts.FindForLogin("401234562");
  ASSERT_TRUE(salma_id.ok());
  ASSERT_TRUE(accounts.MarkVerified(salma_id->account_id, "counter", {"t", "t", 0}, Now()).ok());
  auto hebron = web().Part<catalog::TenancyStore>().FindMunicipality("hebron");
  ASSERT_TRUE(hebron.ok());
  auto& store = web().Part<participation::Store>();
  const int64_t now = Now();
  participation::ProcessInput in;
  in.title_ar = in.title_en = in.summary_ar = in.summary_en = "الخطة";
  in.threshold = 5;
  in.answer_days = 30;
  in.phases = {{participation::Phase::kProposals, now - 86'400'000, now + 86'400'000}};
  const participation::Actor officer{0, "officer", "t"};
  auto p = store.CreateProcess(hebron->id, in, officer, now);
  ASSERT_TRUE(p.ok());
  const participation::Actor resident{salma_id->account_id, "salma", "t"};
  ASSERT_TRUE(store.Propose(*p, resident, "ممرات", "آمنة", now).ok());
  ASSERT_TRUE(store.Propose(*p, resident, "حديقة", "للأطفال", now).ok());  // one participant
  auto rec = store.Recommend(*p, {participation::Source::kWorkshop, "ورشة", "ترميم", "الأسواق"},
                             officer, now);
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(  // accepting needs a department
      store.Respond(*p, rec->token, participation::Response::kAccepted, "نعم", 0, officer, now)
          .ok());
  auto departments = web().Part<catalog::TenancyStore>().Departments(hebron->id);
  ASSERT_TRUE(departments.ok() && !departments->empty());
  ASSERT_TRUE(store
                  .Respond(*p, rec->token, participation::Response::kAccepted, "نعم",
                           departments->front().id, officer, now)
                  .ok());
  auto& ledger = web().Part<analytics::Ledger>();
  ASSERT_TRUE(ledger.CatchUp(now).ok());
  const int64_t today = now / 86'400'000;
  auto f = ledger.Participation(hebron->id, today - 1, today + 1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->participants, 1);
  EXPECT_EQ(f->accepted, 1);
  EXPECT_EQ(f->done, 0);
  EXPECT_TRUE(ledger.Participation(hebron->id, today + 2, today + 9)->Zero());
  EXPECT_GT(ledger.Cursors()->at("participation"), 0);
  // Revised to rejected: no longer counted accepted; accepted again: counted once.
  ASSERT_TRUE(
      store.Respond(*p, rec->token, participation::Response::kRejected, "لا", 0, officer, now + 1)
          .ok());
  ASSERT_TRUE(ledger.CatchUp(now + 1).ok());
  EXPECT_EQ(ledger.Participation(hebron->id, today - 1, today + 1)->accepted, 0);
  ASSERT_TRUE(store
                  .Respond(*p, rec->token, participation::Response::kAccepted, "نعم",
                           departments->front().id, officer, now + 2)
                  .ok());
  ASSERT_TRUE(ledger.CatchUp(now + 2).ok());
  EXPECT_EQ(ledger.Participation(hebron->id, today - 1, today + 1)->accepted, 1);
  // A rebuild gives the same figures.
  ASSERT_TRUE(ledger.Rebuild(now).ok());
  EXPECT_EQ(ledger.Participation(hebron->id, today - 1, today + 1)->participants, 1);
  const std::string page = Get("/m/hebron/performance?lang=en");
  EXPECT_NE(page.find("Recommendations accepted"), std::string::npos) << page;
}

// The KPI ledger folds payments' feed (joined in the shell): invoices raised and paid by channel
// reach the performance page (chart, table and sentence, in both languages), the open data (with
// counts under five suppressed) and the DCAT catalogue; a rebuild gives the same figures.
TEST_F(ShellWebTest, TheLedgerCountsPayments) {
  auto hebron = web().Part<catalog::TenancyStore>().FindMunicipality("hebron");
  ASSERT_TRUE(hebron.ok());
  auto& store = web().Part<payments::PaymentStore>();
  const int64_t now = Now();
  // Raised on the 11th of this month at noon UTC, paid two days later: one month's figures.
  constexpr int64_t kDay = 86'400'000;
  const int64_t raised_at =
      (analytics::FirstDayOfMonth(analytics::MonthOfDay(now / kDay)) + 10) * kDay + kDay / 2;
  const char* channels[] = {"card", "card", "card", "card", "card", "bank", "counter"};
  for (int i = 0; i < 7; ++i) {
    payments::Invoice inv;
    ASSERT_TRUE(web()
                    .db()
                    .Write([&](db::Tx& tx) -> Status {
                      payments::InvoiceRequest in;
                      in.municipality_id = hebron->id;
                      in.prefix = "HEB";
                      in.account_id = 1000 + i;
                      in.currency = "ILS";
                      in.lines = {{{"رسوم", "Fee"}, 5000}};
                      auto raised = store.Raise(tx, in, raised_at);
                      if (!raised.ok()) return std::move(raised).error();
                      inv = *raised;
                      return Ok();
                    })
                    .ok());
    payments::PaymentInput in;
    in.reference = inv.reference;
    in.amount_minor = 5000;
    in.currency = "ILS";
    in.channel = channels[i];
    in.method = in.channel == "counter" ? "cash" : in.channel;
    if (in.channel != "counter") in.external_id = "t-" + std::to_string(i);
    in.actor = "clerk";
    ASSERT_TRUE(store.Pay(in, raised_at + 2 * kDay).ok());
  }
  auto& ledger = web().Part<analytics::Ledger>();
  ASSERT_TRUE(ledger.CatchUp(now).ok());
  EXPECT_EQ(ledger.Cursors()->at("payments"), 14);
  const std::string en = Get("/m/hebron/performance?lang=en");
  EXPECT_NE(en.find("Fees paid each month"), std::string::npos) << en;
  EXPECT_NE(en.find("7 invoices were paid in"), std::string::npos);
  EXPECT_NE(en.find("71% of them online, 2 days after the invoice at the median"),
            std::string::npos);
  const std::string ar = Get("/m/hebron/performance?lang=ar");
  EXPECT_NE(ar.find("الرسوم المدفوعة كل شهر"), std::string::npos);
  EXPECT_NE(ar.find("دُفعت ٧ فاتورة"), std::string::npos);
  // Open data: five by card is shown, one by bank and one at the counter are "<5", and their
  // amounts are left out.
  const std::string csv = RawClient::Body(Get("/m/hebron/open-data/payments-monthly.csv"));
  EXPECT_NE(csv.find("month,currency,invoices_raised,invoices_voided,invoices_paid,paid_counter,"
                     "paid_bank,paid_card,collected_counter_minor,collected_bank_minor,"
                     "collected_card_minor,refunded_minor,median_days_to_pay\n"),
            std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",ILS,7,0,7,<5,<5,5,,,25000,0,2\n"), std::string::npos) << csv;
  const std::string json = RawClient::Body(Get("/m/hebron/open-data/payments-monthly.json"));
  EXPECT_NE(json.find(R"("paid_bank":"<5")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("collected_bank_minor":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("collected_card_minor":25000)"), std::string::npos);
  const std::string catalogue = RawClient::Body(Get("/m/hebron/open-data/catalog.jsonld"));
  EXPECT_NE(catalogue.find("/m/hebron/open-data/payments-monthly.csv"), std::string::npos);
  EXPECT_NE(catalogue.find("hebron-payments-monthly"), std::string::npos);
  const std::string page = Get("/m/hebron/open-data?lang=en");
  EXPECT_NE(page.find("href=\"/m/hebron/open-data/payments-monthly.csv\""), std::string::npos);
  // A rebuild gives the same figures.
  auto before = ledger.Payments(hebron->id, 0, 999'999);
  ASSERT_TRUE(ledger.Rebuild(now).ok());
  EXPECT_EQ(*ledger.Payments(hebron->id, 0, 999'999), *before);
}

}  // namespace
}  // namespace baladiya::app
