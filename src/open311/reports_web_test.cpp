// open311's pages over HTTP (src/open311/pages.h) on the web harness (web_test_fixture.h): the
// public list of a municipality's reports and one report's page (filters, paging, 404s, no
// personal data, user text escaped), and the admin's Open311 API key pages (issue, list, revoke,
// access).
#include "audit/testing.h"
#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;
using testing::kOpen311Now;

constexpr int64_t kMinute = 60'000;
constexpr char kList[] = "/m/hebron/reports";
constexpr char kKeys[] = "/m/hebron/admin/open311-keys";

// What a reporter sends Open311 about themselves: none of it may reach a public page.
const std::vector<std::pair<std::string, std::string>> kContact = {
    {"email", "salma.reporter@example.org"},
    {"first_name", "Salma"},
    {"last_name", "Reporterson"},
    {"phone", "+970599123456"},
    {"device_id", "device-7f3a9c"},
    {"account_id", "fms-account-4711"}};

class ReportsWebTest : public testing::Open311Test {
 protected:
  // A street-light report filed through the stores at `at` (through Open311's key account).
  cases::Case Light(int64_t at, const std::string& description, const std::string& address = "") {
    open311::Submission details{0, "31.5326", "35.0998", address, "", description, ""};
    return FileReport("street-light-report", at,
                      {{"location", {"31.5326,35.0998"}},
                       {"problem", {"not_working"}},
                       {"description", {description}}},
                      details, KeyAccount(), "api");
  }
  cases::Case Waste(int64_t at) {
    return FileReport("waste-collection-report", at,
                      {{"location", {"حي الشيخ"}},
                       {"issues", {"not_collected"}},
                       {"days_uncollected", {"3"}},
                       {"description", {"لم تُجمع النفايات."}}},
                      {}, 0, "web");
  }
  int64_t KeyAccount() {
    auto k = keys().Resolve(key_, hebron_.id, kOpen311Now);
    EXPECT_TRUE(k.ok());
    return k.ok() ? k->account_id : 0;
  }

  // A signed-in member of Hebron's staff (second factor done) with one grant.
  Browser Staff(const std::string& username, identity::Role role) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron_.id;
    in.grants = {{role, hebron_.id, 0}};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    Browser b(port());
    b.SetCookie("sid", *sessions().Create(*id, true, true, Now()));
    return b;
  }

  static std::string Page(const std::string& target) {
    return target + (target.find('?') == std::string::npos ? "?" : "&") + "lang=en";
  }
  // The body of an anonymous GET, after checking its status.
  std::string Body(const std::string& target, int status = 200) {
    auto r = Get(target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body;
    return r.body;
  }

  // The accounts of Hebron's staff (an API key comes with an integration account among them).
  int64_t StaffCount() {
    auto staff = accounts().Staff(hebron_.id);
    EXPECT_TRUE(staff.ok());
    return staff.ok() ? static_cast<int64_t>(staff->size()) : -1;
  }

  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

// (The municipality's page, the app's, links the list: src/app/shell_web_test.cpp.)
TEST_F(ReportsWebTest, TheListShowsReportsNewestFirst) {
  EXPECT_TRUE(Has(Body(Page(kList)), "No problems have been reported here yet."));

  cases::Case old = Light(kOpen311Now - 60 * kMinute, "العمود مطفأ", "شارع عين سارة");
  cases::Case recent = Waste(kOpen311Now - 5 * kMinute);
  Act(old, "start_review", kOpen311Now - 30 * kMinute);
  std::string list = Body(Page(kList));
  const size_t at_recent = list.find(recent.tracking), at_old = list.find(old.tracking);
  ASSERT_NE(at_recent, std::string::npos) << list;
  ASSERT_NE(at_old, std::string::npos) << list;
  EXPECT_LT(at_recent, at_old) << "newest first";
  EXPECT_TRUE(Has(list, "href=\"/m/hebron/reports/" + old.tracking + "\""));
  EXPECT_TRUE(Has(list, "Street light")) << "the service's name in English";
  EXPECT_TRUE(Has(list, "Open: In review")) << "status with the state's label";
  EXPECT_TRUE(Has(list, "<bdi>شارع عين سارة</bdi>")) << "the address as the location";
  EXPECT_TRUE(Has(list, "dir=\"auto\">العمود مطفأ</p>")) << "the description's excerpt";
  // A report that published neither location nor text says so (its answers stay in the case).
  FileReport("street-light-report", kOpen311Now - 2 * kMinute,
             {{"location", {"31.5326,35.0998"}},
              {"problem", {"not_working"}},
              {"description", {"sealed-answer-text"}}},
             {}, KeyAccount(), "api");
  list = Body(Page(kList));
  EXPECT_TRUE(Has(list, "Not given"));
  EXPECT_TRUE(Has(list, "No description given"));
  EXPECT_FALSE(Has(list, "sealed-answer-text"));
  // Arabic is the default language.
  std::string ar = Body(kList);
  EXPECT_TRUE(Has(ar, "lang=\"ar\""));
  EXPECT_TRUE(Has(ar, "مفتوح"));
}

TEST_F(ReportsWebTest, FiltersByCategoryAndStatusAndExplainsBadValues) {
  cases::Case light = Light(kOpen311Now - 3 * kMinute, "مطفأ");
  cases::Case closed = Light(kOpen311Now - 2 * kMinute, "مطفأ أيضًا");
  cases::Case waste = Waste(kOpen311Now - kMinute);
  Act(closed, "start_review", kOpen311Now - 90'000);
  Act(closed, "reject", kOpen311Now - 80'000, "ليس من اختصاص البلدية");

  std::string lights = Body(Page(std::string(kList) + "?category=street-light-report"));
  EXPECT_TRUE(Has(lights, light.tracking));
  EXPECT_TRUE(Has(lights, closed.tracking));
  EXPECT_FALSE(Has(lights, waste.tracking));
  EXPECT_TRUE(Has(lights, "value=\"street-light-report\" selected"));

  std::string open = Body(Page(std::string(kList) + "?status=open"));
  EXPECT_TRUE(Has(open, light.tracking));
  EXPECT_TRUE(Has(open, waste.tracking));
  EXPECT_FALSE(Has(open, closed.tracking));
  std::string shut = Body(Page(std::string(kList) + "?category=street-light-report&status=closed"));
  EXPECT_EQ(shut.find(light.tracking), std::string::npos);
  EXPECT_TRUE(Has(shut, closed.tracking));
  EXPECT_TRUE(Has(shut, "Closed: Rejected"));
  std::string none =
      Body(Page(std::string(kList) + "?category=waste-collection-report&status=closed"));
  EXPECT_TRUE(Has(none, "No reports match these filters."));

  // Values that are no filter: said so, and left out; never an error.
  std::string unknown = Body(Page(std::string(kList) + "?category=%3Cb%3Ebuilding%3C%2Fb%3E"));
  EXPECT_TRUE(Has(unknown, "is not a report category of this municipality"));
  EXPECT_TRUE(Has(unknown, "&lt;b&gt;building&lt;/b&gt;")) << "the value is escaped";
  EXPECT_TRUE(Has(unknown, waste.tracking) && Has(unknown, light.tracking));
  // Bytes that are not UTF-8 are refused by the server with its 400 page, never a 500; a long
  // value is cut short in the notice.
  EXPECT_EQ(Get(Page(std::string(kList) + "?category=%FF%FE")).status, 400);
  std::string longer = Body(Page(std::string(kList) + "?category=" + std::string(300, 'x')));
  EXPECT_TRUE(Has(longer, "is not a report category"));
  EXPECT_TRUE(Has(longer, std::string(40, 'x') + "…"));
  EXPECT_FALSE(Has(longer, std::string(41, 'x')));
  std::string permit = Body(Page(std::string(kList) + "?category=building-permit"));
  EXPECT_TRUE(Has(permit, "is not a report category")) << "an application service is no category";
  std::string status = Body(Page(std::string(kList) + "?status=pending"));
  EXPECT_TRUE(Has(status, "The status can be open, closed or all"));
  EXPECT_TRUE(Has(status, closed.tracking));
  for (const char* bad : {"0", "-3", "abc", "2x", "99999999999999999999", ""}) {
    std::string page = Body(Page(std::string(kList) + "?page=" + bad));
    EXPECT_TRUE(Has(page, light.tracking)) << bad;
    if (*bad) {
      EXPECT_TRUE(Has(page, "The page number is not valid")) << bad;
    }
  }
}

TEST_F(ReportsWebTest, PagesFiftyAtATimeWithPreviousAndNextLinks) {
  std::vector<cases::Case> filed;
  filed.reserve(53);
  for (int i = 0; i < 53; ++i) filed.push_back(Light(kOpen311Now - (60 - i) * kMinute, "مطفأ"));
  std::string first = Body(Page(std::string(kList) + "?status=open"));
  EXPECT_TRUE(Has(first, filed[52].tracking));
  EXPECT_TRUE(Has(first, filed[3].tracking));
  EXPECT_FALSE(Has(first, ">" + filed[2].tracking + "<")) << "the 51st is on page 2";
  EXPECT_TRUE(Has(first, "href=\"/m/hebron/reports?page=2&amp;status=open\""));
  EXPECT_FALSE(Has(first, "rel=\"prev\""));
  std::string second = Body(Page(std::string(kList) + "?page=2&status=open"));
  for (int i : {0, 1, 2}) EXPECT_TRUE(Has(second, filed[i].tracking)) << i;
  EXPECT_FALSE(Has(second, filed[3].tracking));
  EXPECT_TRUE(Has(second, "href=\"/m/hebron/reports?page=1&amp;status=open\" rel=\"prev\""));
  EXPECT_FALSE(Has(second, "rel=\"next\""));
  EXPECT_TRUE(Has(second, "(page 2)"));
  std::string beyond = Body(Page(std::string(kList) + "?page=9"));
  EXPECT_TRUE(Has(beyond, "There are no reports on this page."));
  EXPECT_TRUE(Has(beyond, "href=\"/m/hebron/reports?page=1\""));
}

TEST_F(ReportsWebTest, AReportPageShowsItsPublicHistoryAndNothingPersonal) {
  // Filed through Open311 with every contact detail a client can send.
  auto fields = LightReport();
  fields.emplace_back("address_string", "دوار ابن رشد");
  fields.emplace_back("media_url", "https://media.example.org/lamp.jpg");
  for (const auto& f : kContact) fields.push_back(f);
  auto filed = Post("/open311/v2/requests.json", fields);
  ASSERT_EQ(filed.status, 200) << filed.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(filed.body, m, std::regex("\"service_request_id\":\"([^\"]+)\"")));
  const std::string tracking = m[1].str();
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  Act(*c, "start_review", kOpen311Now + 10 * kMinute, "staff-comment-not-public");
  ASSERT_TRUE(cases()
                  .AddNote(c->id, cases().Get(c->id)->version, "internal-note-secret",
                           {999'999, "p-admin", {"municipal-admin"}, "web", "req-note"},
                           kOpen311Now + 11 * kMinute)
                  .ok());

  const std::string href = std::string(kList) + "/" + tracking;
  EXPECT_TRUE(Has(Body(Page(kList)), "href=\"" + href + "\""));
  // The case page links the report's public page.
  Browser clerk = Staff("hebron.clerk", identity::Role::kClerk);
  std::string case_page = clerk.Get("/m/hebron/cases/" + tracking + "?lang=en");
  EXPECT_EQ(RawClient::Status(case_page), 200);
  EXPECT_TRUE(Has(case_page, "href=\"" + href + "\"")) << case_page;
  std::string page = Body(Page(href));
  EXPECT_TRUE(Has(page, "<h1>Report <bdi dir=\"ltr\">" + tracking + "</bdi></h1>"));
  EXPECT_TRUE(Has(page, "Open: In review"));
  EXPECT_TRUE(Has(page, "<bdi>دوار ابن رشد</bdi>"));
  EXPECT_TRUE(Has(page, "31.5326, 35.0998"));
  EXPECT_TRUE(Has(page, "عمود الإنارة مطفأ منذ ثلاثة أيام."));
  EXPECT_TRUE(Has(page, "href=\"https://media.example.org/lamp.jpg\""));
  EXPECT_TRUE(Has(page, "Expected by"));
  EXPECT_TRUE(Has(page, "Reported; status: Submitted"));
  EXPECT_TRUE(Has(page, "Status became: In review"));
  EXPECT_TRUE(Has(page, "datetime=\"2026-03-15T09:10:00Z\""));
  // Lower case names the same report.
  std::string lower = tracking;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(ch));
  EXPECT_TRUE(Has(Body(Page(std::string(kList) + "/" + lower)), "Status became: In review"));

  for (const std::string& html : {page, Body(Page(kList)), Body(href)}) {
    for (const auto& [name, value] : kContact) EXPECT_FALSE(Has(html, value)) << name;
    EXPECT_FALSE(Has(html, "0599123456"));
    EXPECT_FALSE(Has(html, "staff-comment-not-public"));
    EXPECT_FALSE(Has(html, "internal-note-secret"));
    EXPECT_FALSE(Has(html, "open311-")) << "the integration account's name";
    EXPECT_FALSE(Has(html, "FixMyStreet")) << "the key's label";
  }
}

TEST_F(ReportsWebTest, DescriptionsAreTextNeverMarkup) {
  const std::string evil = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quoted\"";
  cases::Case c = Light(kOpen311Now - kMinute, evil, "<b>street</b>");
  for (const std::string& html :
       {Body(Page(kList)), Body(Page(std::string(kList) + "/" + c.tracking))}) {
    EXPECT_FALSE(Has(html, "<script>alert")) << html;
    EXPECT_FALSE(Has(html, "<img src=x"));
    EXPECT_FALSE(Has(html, "<b>street</b>"));
    EXPECT_TRUE(Has(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_TRUE(Has(html, "&lt;b&gt;street&lt;/b&gt;"));
    EXPECT_TRUE(Has(html, "dir=\"auto\""));
  }
}

TEST_F(ReportsWebTest, UnknownAndOtherMunicipalitiesReportsAre404InTheUsersLanguage) {
  cases::Case c = Light(kOpen311Now - kMinute, "مطفأ");
  for (const std::string& target :
       {std::string("/m/nablus/reports/") + c.tracking, std::string(kList) + "/HEB-26-999999-0",
        std::string(kList) + "/not-a-number", std::string("/m/nowhere/reports"),
        std::string("/m/nowhere/reports/") + c.tracking}) {
    auto en = Get(Page(target));
    EXPECT_EQ(en.status, 404) << target;
    EXPECT_TRUE(Has(en.body, "lang=\"en\"")) << target;
    auto ar = Get(target);
    EXPECT_EQ(ar.status, 404) << target;
    EXPECT_TRUE(Has(ar.body, "lang=\"ar\"")) << target;
  }
  EXPECT_FALSE(Has(Body("/m/nablus/reports"), c.tracking)) << "Nablus lists only its own";
}

TEST_F(ReportsWebTest, TheAdminIssuesListsAndRevokesKeys) {
  Browser admin = Staff("hebron.boss", identity::Role::kMunicipalAdmin);
  admin.Get("/m/hebron?lang=en");  // English from here on
  std::string list = admin.Get(Page(kKeys));
  ASSERT_EQ(RawClient::Status(list), 200) << list;
  EXPECT_TRUE(Has(list, "<bdi>FixMyStreet</bdi>")) << "the fixture's key";
  EXPECT_TRUE(Has(list, "Active"));
  EXPECT_EQ(RawClient::Header(list, "cache-control"), "no-store");

  // A bad label: the form again with the error, nothing created.
  const int64_t keys_before = web().Count("open311_keys"), accounts_before = StaffCount();
  for (const std::string& bad :
       {std::string(""), std::string("   "), std::string(101, 'x'), std::string("tab\there")}) {
    std::string refused = admin.Post(Page(kKeys), {{"label", bad}});
    EXPECT_EQ(RawClient::Status(refused), 422) << bad;
    EXPECT_TRUE(Has(refused, "Give the key a label of 1 to 100 characters")) << bad;
    EXPECT_TRUE(Has(refused, "aria-invalid=\"true\"")) << bad;
  }
  // A lifetime the form does not offer: refused on its field, nothing created.
  std::string too_long =
      admin.Post(Page(kKeys), {{"label", "Utility"}, {"days", "1000"}, {"notes", "all"}});
  EXPECT_EQ(RawClient::Status(too_long), 422);
  EXPECT_TRUE(Has(too_long, "Choose how long the key stays valid (up to two years)."));
  EXPECT_EQ(web().Count("open311_keys"), keys_before);
  EXPECT_EQ(StaffCount(), accounts_before);
  // The terms chosen on the form: 90 days, updates to every report; listed with both.
  std::string utility =
      admin.Post(Page(kKeys), {{"label", "Utility"}, {"days", "90"}, {"notes", "all"}});
  ASSERT_EQ(RawClient::Status(utility), 201) << utility;
  auto terms = db().Query(
      "SELECT expires_at - created_at, notes_on_all FROM open311_keys "
      "WHERE label = 'Utility'");
  ASSERT_TRUE(terms.ok() && terms->size() == 1);
  EXPECT_EQ((*terms)[0].Int(0), 90LL * 86'400'000);
  EXPECT_EQ((*terms)[0].Int(1), 1);
  EXPECT_TRUE(Has(utility, "<td>Every report</td>"));
  EXPECT_TRUE(Has(utility, "<td>Its own reports</td>")) << "the fixture's key";

  // Issued: shown once, stored hashed, audited.
  const int64_t audited = audit::testing::CountAll(audit());
  std::string issued = admin.Post(Page(kKeys), {{"label", "تطبيق <بلدي>"}});
  ASSERT_EQ(RawClient::Status(issued), 201) << issued;
  EXPECT_EQ(RawClient::Header(issued, "cache-control"), "no-store");
  EXPECT_TRUE(Has(issued, "Copy it now"));
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(issued, m, std::regex("<code dir=\"ltr\">(o311_[A-Za-z0-9_-]{43})<")));
  const std::string key = m[1].str();
  EXPECT_TRUE(Has(issued, "تطبيق &lt;بلدي&gt;"));
  auto stored = db().Query("SELECT key_hash FROM open311_keys WHERE label = ?",
                           {std::string("تطبيق <بلدي>")});
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].Text(0), crypto::Sha256Hex(key));
  EXPECT_GT(audit::testing::CountAll(audit()), audited);
  EXPECT_EQ(audit::testing::Count(audit(), "open311_key.issued"), 3)
      << "the fixture's key, the utility's and this one";
  std::string again = admin.Get(Page(kKeys));
  EXPECT_FALSE(Has(again, key)) << "never shown again";
  EXPECT_TRUE(Has(again, "تطبيق &lt;بلدي&gt;"));

  // The key files reports until it is revoked.
  auto report = LightReport();
  report = With(report, "api_key", key);
  EXPECT_EQ(Post("/open311/v2/requests.json", report).status, 200);
  auto id =
      db().Query("SELECT id FROM open311_keys WHERE label = ?", {std::string("تطبيق <بلدي>")});
  const std::string revoke = std::string(kKeys) + "/" + std::to_string((*id)[0].Int(0)) + "/revoke";
  EXPECT_TRUE(Has(again, "href=\"" + revoke + "\""));
  std::string confirm = admin.Get(Page(revoke));
  ASSERT_EQ(RawClient::Status(confirm), 200) << confirm;
  EXPECT_TRUE(Has(confirm, "Revoke this key?"));
  EXPECT_TRUE(Has(confirm, "name=\"confirm\" value=\"yes\""));
  // Without the confirmation's yes, nothing happens: back to the question.
  std::string unconfirmed = admin.Post(revoke, {});
  EXPECT_EQ(RawClient::Status(unconfirmed), 303);
  EXPECT_EQ(Post("/open311/v2/requests.json", report).status, 200) << "still live";
  // Without the form token, refused.
  EXPECT_EQ(RawClient::Status(admin.Post(revoke, {{"confirm", "yes"}}, false)), 403);
  std::string done = admin.Post(Page(revoke), {{"confirm", "yes"}});
  ASSERT_EQ(RawClient::Status(done), 200) << done;
  EXPECT_TRUE(Has(done, "was revoked"));
  EXPECT_TRUE(Has(done, "Revoked on"));
  EXPECT_EQ(audit::testing::Count(audit(), "open311_key.revoked"), 1);
  auto refused = Post("/open311/v2/requests.json", report);
  EXPECT_EQ(refused.status, 403) << refused.body;
  auto update =
      Post("/open311/v2/servicerequestupdates.json", {{"api_key", key},
                                                      {"jurisdiction_id", "hebron"},
                                                      {"service_request_id", "HEB-26-000001-0"},
                                                      {"update_id", "u-1"},
                                                      {"status", "OPEN"},
                                                      {"updated_datetime", "2026-03-15T09:00:00Z"},
                                                      {"description", "x"}});
  EXPECT_EQ(update.status, 403) << update.body;
  // A revoked key cannot be revoked again, nor an unknown one.
  EXPECT_EQ(RawClient::Status(admin.Get(revoke)), 404);
  EXPECT_EQ(RawClient::Status(admin.Post(revoke, {{"confirm", "yes"}})), 404);
  EXPECT_EQ(RawClient::Status(admin.Get(std::string(kKeys) + "/999999/revoke")), 404);
  // The fixture's key still works.
  EXPECT_EQ(Post("/open311/v2/requests.json", LightReport()).status, 200);
}

TEST_F(ReportsWebTest, OnlyCatalogueManagersReachTheKeyPages) {
  auto fixture_key = db().Query("SELECT id FROM open311_keys");
  const std::string revoke =
      std::string(kKeys) + "/" + std::to_string((*fixture_key)[0].Int(0)) + "/revoke";
  // Anonymous visitors are sent to sign in.
  EXPECT_EQ(Get(kKeys).status, 303);
  // A resident, a clerk, and another municipality's admin are refused.
  Browser resident(port());
  ASSERT_EQ(RawClient::Status(Register(resident, "000000018", "0599000001")), 303);
  Browser clerk = Staff("hebron.clerk", identity::Role::kClerk);
  identity::StaffInput in;
  in.username = "nablus.boss";
  in.full_name_ar = "مدير";
  in.password = "a-long-staff-password";
  auto nablus = tenancy().FindMunicipality("nablus");
  in.municipality_id = nablus->id;
  in.grants = {{identity::Role::kMunicipalAdmin, nablus->id, 0}};
  auto other_id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(other_id.ok());
  Browser other(port());
  other.SetCookie("sid", *sessions().Create(*other_id, true, true, Now()));
  for (Browser* b : {&resident, &clerk, &other}) {
    EXPECT_EQ(RawClient::Status(b->Get(kKeys)), 403);
    EXPECT_EQ(RawClient::Status(b->Get(revoke)), 403);
    EXPECT_EQ(RawClient::Status(b->Post(kKeys, {{"label", "sneaky"}})), 403);
    EXPECT_EQ(RawClient::Status(b->Post(revoke, {{"confirm", "yes"}})), 403);
  }
  EXPECT_EQ(web().Count("open311_keys"), 1);
  EXPECT_EQ(Post("/open311/v2/requests.json", LightReport()).status, 200) << "not revoked";
  // Nablus's admin manages Nablus's keys, and sees none of Hebron's.
  std::string own = other.Get("/m/nablus/admin/open311-keys?lang=en");
  EXPECT_EQ(RawClient::Status(own), 200);
  EXPECT_FALSE(Has(own, "<bdi>FixMyStreet</bdi>"));
  EXPECT_TRUE(Has(own, "No key has been issued yet."));
}

}  // namespace
}  // namespace baladiya::open311
