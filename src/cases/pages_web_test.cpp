// cases' pages over HTTP on the web harness (web_test_fixture.h): a resident applies and a clerk
// works the case; the catalogue search; photos checked by their content; ratings and reopening;
// a counter clerk files for a resident; publishing a service; assigning several cases at once;
// API tokens on the cases API.
#include <boost/json.hpp>
#include <regex>

#include "audit/testing.h"
#include "cases/web_test_fixture.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"

namespace baladiya::cases {
namespace {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;
using testing::CasesWebTest;

// The whole e-service path over HTTP: a resident applies for a clearance certificate one page
// at a time, checks the answers and submits; a revenue clerk finds it in the queue and takes it
// into review; a stale second action is a conflict; anyone with the number and the phone sees
// the status.
TEST_F(CasesWebTest, ResidentAppliesAndAClerkWorksTheCase) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  std::string page = RawClient::Body(resident.Get("/m/hebron/services/clearance-certificate"));
  ASSERT_NE(page.find("action=\"/m/hebron/services/clearance-certificate/apply\""),
            std::string::npos);
  std::string res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string draft = RawClient::Header(res, "location");  // /applications/N/page/1
  ASSERT_EQ(draft.rfind("/applications/", 0), 0u) << draft;
  resident.Get(draft);
  // "other" reveals a required field on the same page: asked with a notice, not marked as an
  // error (the resident never saw it), nothing lost.
  res = resident.Post(
      draft, {{"purpose", "other"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(res.find("id=\"purpose_other\""), std::string::npos);
  EXPECT_NE(res.find("value=\"other\" checked"), std::string::npos);
  EXPECT_NE(res.find("class=\"notice\" role=\"status\""), std::string::npos);
  EXPECT_EQ(res.find("error-summary"), std::string::npos);
  EXPECT_EQ(res.find("aria-invalid"), std::string::npos);
  // Once seen, it is required like any other question.
  res = resident.Post(
      draft, {{"purpose", "other"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("id=\"purpose_other-error\""), std::string::npos);
  res = resident.Post(
      draft, {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  ASSERT_NE(check.find("/check"), std::string::npos);
  std::string summary = RawClient::Body(resident.Get(check));
  EXPECT_NE(summary.find("بنك فلسطين"), std::string::npos);
  EXPECT_EQ(RawClient::Status(resident.Post(check, {})), 422);  // no declaration
  res = resident.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string mine = RawClient::Header(res, "location");
  ASSERT_EQ(mine.rfind("/account/cases/HEB-", 0), 0u) << mine;
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  ASSERT_TRUE(workflow::ParseTrackingNumber(tracking).has_value()) << tracking;
  EXPECT_NE(RawClient::Body(resident.Get(mine)).find(tracking), std::string::npos);
  // Submitting the same draft again changes nothing.
  resident.Get(check);
  EXPECT_EQ(RawClient::Header(resident.Post(check, {{"declaration", "yes"}}), "location"),
            "/account/cases/" + tracking + "?submitted=1");
  EXPECT_EQ(web().Count("cases"), 1);

  // A clerk of the revenue department (where clearance certificates go).
  catalog::TenancyStore tenancy(db());
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  int64_t revenue = 0, water = 0;
  auto departments = tenancy.Departments(hebron);
  ASSERT_TRUE(departments.ok());
  for (const auto& d : *departments) {
    if (d.slug == "revenue") revenue = d.id;
    if (d.slug == "water") water = d.id;
  }
  auto staff = [&](const std::string& username, int64_t department) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{identity::Role::kClerk, hebron, department}};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok());
    return "Cookie: sid=" + *sessions().Create(*id, true, true, Now()) + "\r\n";
  };
  const std::string clerk = staff("rev.clerk", revenue);
  std::string queue = RawClient::Body(RawClient::Get(port(), "/m/hebron/queue", clerk));
  EXPECT_NE(queue.find(tracking), std::string::npos);
  std::string case_page = RawClient::Get(port(), "/m/hebron/cases/" + tracking, clerk);
  ASSERT_EQ(RawClient::Status(case_page), 200);
  EXPECT_NE(case_page.find("بنك فلسطين"), std::string::npos);
  std::smatch token;
  ASSERT_TRUE(std::regex_search(case_page, token, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  auto act = [&](const std::string& version) {
    std::string body = "csrf=" + token[1].str() + "&version=" + version + "&action=start_review";
    return RawClient::Status(RawClient::Exchange(
        port(), "POST /m/hebron/cases/" + tracking + "/act HTTP/1.1\r\nHost: x\r\n" + clerk +
                    "Content-Type: application/x-www-form-urlencoded\r\n" + "Content-Length: " +
                    std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body));
  };
  EXPECT_EQ(act("1"), 303);
  EXPECT_EQ(act("1"), 409);  // the same form sent twice: the second is stale
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "in_review");

  // Another department's clerk does not see it; another municipality's URL does not show it.
  const std::string water_clerk = staff("water.clerk", water);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/hebron/cases/" + tracking, water_clerk)),
            404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/nablus/cases/" + tracking, clerk)), 403);

  // The status lookup: number and phone, no personal data; a wrong phone says nothing.
  Browser anon(port());
  anon.Get("/track");
  std::string found = anon.Post("/track", {{"tracking", tracking}, {"phone", "0599 123 456"}});
  EXPECT_EQ(RawClient::Status(found), 200);
  EXPECT_EQ(found.find("401234562"), std::string::npos);
  EXPECT_EQ(
      RawClient::Status(anon.Post("/track", {{"tracking", tracking}, {"phone", "0599000000"}})),
      404);
  // Issue 13: Arabic-Indic digits in both fields; the expected date and the next step; a
  // check-digit typo is told apart from a wrong phone, and a malformed number too.
  std::string indic =
      anon.Post("/track?lang=ar",
                {{"tracking", i18n::ToArabicIndicDigits(tracking)}, {"phone", "٠٥٩٩ ١٢٣ ٤٥٦"}});
  EXPECT_EQ(RawClient::Status(indic), 200) << indic;
  EXPECT_NE(indic.find("الخطوة التالية"), std::string::npos);
  EXPECT_NE(indic.find("تعمل البلدية على طلبك"), std::string::npos);
  EXPECT_NE(indic.find("متوقع"), std::string::npos) << indic;
  std::string typo = tracking;
  typo.back() = static_cast<char>('0' + (typo.back() - '0' + 1) % 10);
  std::string bad = anon.Post("/track?lang=en", {{"tracking", typo}, {"phone", "0599 123 456"}});
  EXPECT_EQ(RawClient::Status(bad), 422);
  EXPECT_NE(bad.find("not a valid tracking number: check its last digit"), std::string::npos);
  bad = anon.Post("/track?lang=en", {{"tracking", "HEB-26"}, {"phone", "0599 123 456"}});
  EXPECT_EQ(RawClient::Status(bad), 422);
  EXPECT_NE(bad.find("Enter the tracking number as it was sent to you"), std::string::npos);
  // The resident was told: submitted, then in review (in-app at once, SMS through the
  // dispatcher).
  EXPECT_EQ(dispatcher().RunOnce(Now())->claimed, 2);
  std::string inbox = RawClient::Body(resident.Get("/account/notifications"));
  EXPECT_NE(inbox.find(tracking), std::string::npos) << inbox;
}

TEST_F(CasesWebTest, TheCatalogueSearchFindsArabicSpellingVariants) {
  for (const char* q : {"براءة ذمة", "براءه ذمه", "CLEARANCE"}) {
    std::string res = RawClient::Get(port(), "/m/hebron/services?q=" + http::PercentEncode(q));
    EXPECT_EQ(RawClient::Status(res), 200) << q;
    EXPECT_NE(res.find("/m/hebron/services/clearance-certificate"), std::string::npos) << q;
  }
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/hebron/services/no-such")), 404);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/m/atlantis/services")), 404);
}

// Issue 13: the article, prefixes and the hamza misspelling find the service; the demo synonyms
// turn "ماء" and "تسريب مياه" into the water services; a search that finds nothing suggests the
// closest services and links back to the whole list, in both languages.
TEST_F(CasesWebTest, TheCatalogueSearchHandlesPrefixesMisspellingsAndSynonyms) {
  auto search = [&](const std::string& q, const char* lang = "ar") {
    return RawClient::Get(
        port(), "/m/hebron/services?lang=" + std::string(lang) + "&q=" + http::PercentEncode(q));
  };
  for (const char* q : {"براءة الذمة", "برائة ذمة", "البراءة", "للذمة"}) {
    std::string res = search(q);
    EXPECT_EQ(RawClient::Status(res), 200) << q;
    EXPECT_NE(res.find("/m/hebron/services/clearance-certificate\""), std::string::npos) << q;
    EXPECT_EQ(res.find("/m/hebron/services/building-permit\""), std::string::npos) << q;
  }
  for (const char* q : {"ماء", "تسريب مياه", "بالماء"}) {
    std::string res = search(q);
    EXPECT_NE(res.find("/m/hebron/services/water-leak-report\""), std::string::npos) << q;
  }
  EXPECT_NE(search("ماء").find("/m/hebron/services/water-connection\""), std::string::npos);
  // Nothing matches: the closest services and the full list.
  std::string none = search("براءت ذمم");
  EXPECT_EQ(RawClient::Status(none), 200);
  EXPECT_NE(none.find("لم نجد خدمة"), std::string::npos) << none;
  EXPECT_NE(none.find("هل تقصد"), std::string::npos);
  EXPECT_NE(none.find("<li><a href=\"/m/hebron/services/clearance-certificate\">"),
            std::string::npos);
  EXPECT_NE(none.find("<a href=\"/m/hebron/services\">"), std::string::npos);
  std::string en = search("clearence", "en");
  EXPECT_NE(en.find("Did you mean"), std::string::npos) << en;
  EXPECT_NE(en.find("<li><a href=\"/m/hebron/services/clearance-certificate\">"),
            std::string::npos);
  EXPECT_NE(en.find("See all services"), std::string::npos);
  // Far from everything: no suggestion, still the way back.
  std::string far = search("zzzz", "en");
  EXPECT_EQ(far.find("Did you mean"), std::string::npos);
  EXPECT_NE(far.find("See all services"), std::string::npos);
}

// A photo with a report: uploads are typed by their content, sealed at rest, linked to the case
// on submission, and downloadable by the applicant and the department's staff only.
TEST_F(CasesWebTest, ReportsCarryPhotosCheckedByContent) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  resident.Get("/m/hebron/services/street-light-report");
  std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
  const std::string draft = RawClient::Header(res, "location");
  std::string form = resident.Get(draft);
  ASSERT_NE(form.find("enctype=\"multipart/form-data\""), std::string::npos);
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR-a-tiny-test-image", 30);
  auto multipart = [&](const std::string& file_name, const std::string& bytes) {
    const std::string b = "----BaladiyaTestBoundary7MA4YWxk";
    std::string body;
    auto field = [&](const std::string& name, const std::string& value) {
      body += "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
              value + "\r\n";
    };
    field("csrf", resident.token());
    field("location", "31.5326,35.0998");
    field("problem", "not_working");
    field("description", "العمود مطفأ منذ ثلاث ليالٍ");
    body += "--" + b + "\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"" +
            file_name + "\"\r\nContent-Type: application/pdf\r\n\r\n" + bytes + "\r\n";
    body += "--" + b + "--\r\n";
    return resident.Raw("POST " + draft + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
                            "Content-Type: multipart/form-data; boundary=" + b +
                            "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n",
                        body);
  };
  // The field states the limit before any upload.
  EXPECT_NE(form.find("حتى ٤ ميغابايت"), std::string::npos) << form;
  EXPECT_NE(form.find("aria-describedby=\"photos-limit\""), std::string::npos);
  // A file over the limit, and one far over the server's body limit (read and trimmed, not
  // refused whole): each is an error by its field on the same form, the answers kept.
  for (size_t mb : {5, 12}) {
    SCOPED_TRACE(mb);
    res = multipart("big.png", png + std::string(mb << 20, 'p'));
    EXPECT_EQ(RawClient::Status(res), 422) << res.substr(0, 300);
    const std::string again = RawClient::Body(res);
    EXPECT_NE(again.find("<a href=\"#photos\">"), std::string::npos);
    EXPECT_NE(again.find("الملف أكبر من ٤ ميغابايت"), std::string::npos);
    EXPECT_NE(again.find("العمود مطفأ منذ ثلاث ليالٍ"), std::string::npos);
    EXPECT_EQ(web().Count("case_attachments"), 0);
  }
  // A text file that claims to be a PDF is refused, and nothing is stored.
  res = multipart("plans.pdf", "this is not a PDF at all");
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_EQ(web().Count("case_attachments"), 0);
  res = multipart("عمود-الإنارة.png", png);
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string check = RawClient::Header(res, "location");
  EXPECT_NE(RawClient::Body(resident.Get(check)).find("عمود-الإنارة.png"), std::string::npos);
  auto raw = db().Query("SELECT content, sha256, content_type FROM case_attachments");
  ASSERT_EQ(raw->size(), 1u);
  EXPECT_EQ((*raw)[0].Bytes(0).find("IHDR"), std::string::npos);  // sealed at rest
  EXPECT_EQ((*raw)[0].Text(2), "image/png");
  res = resident.Post(check, {{"declaration", "yes"}});
  const std::string mine = RawClient::Header(res, "location");
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  std::string page = RawClient::Body(resident.Get("/account/cases/" + tracking));
  std::smatch link;
  ASSERT_TRUE(
      std::regex_search(page, link, std::regex("href=\"(/account/cases/[^\"]+/files/[0-9]+)\"")));
  std::string file = resident.Get(link[1].str());
  EXPECT_EQ(RawClient::Status(file), 200);
  EXPECT_EQ(RawClient::Body(file), png);
  EXPECT_EQ(RawClient::Header(file, "content-type"), "image/png");
  EXPECT_NE(RawClient::Header(file, "content-disposition").find("attachment"), std::string::npos);
  // Someone else cannot fetch it.
  Browser other(port());
  Register(other, "000000018", "0599000001");
  EXPECT_EQ(RawClient::Status(other.Get(link[1].str())), 404);
}

// A session that ends while a question page is open: the answers posted then are not lost and
// nothing is saved without the person; they are sent to sign in again (told why), then back to
// the page with what they typed, once.
TEST_F(CasesWebTest, AnswersPostedAfterTheSessionEndedComeBackAfterSigningIn) {
  Browser resident(port());
  std::string draft;
  LocationQuestion(resident, &draft);
  web().clock().Advance(int64_t{61} * 60 * 1000);  // past a resident's hour without activity
  std::string res = resident.Post(draft, {{"location", "31.5326,35.0998"},
                                          {"problem", "flickering"},
                                          {"description", "يومض طوال الليل"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 400);
  const std::string login = RawClient::Header(res, "location");
  EXPECT_EQ(login, "/login?next=" + http::PercentEncode(draft) + "&ended=1");
  ASSERT_FALSE(resident.Cookie("resume").empty());
  auto saved = db().Query("SELECT answers FROM case_drafts");
  ASSERT_EQ(saved->size(), 1u);
  std::string page = RawClient::Body(resident.Get(login));
  EXPECT_NE(page.find("انتهت جلستك"), std::string::npos) << page;
  res = resident.Post(
      "/login", {{"login", "401234562"}, {"password", "olive-harvest-season"}, {"next", draft}});
  ASSERT_EQ(RawClient::Header(res, "location"), draft) << res.substr(0, 400);
  page = RawClient::Body(resident.Get(draft));
  EXPECT_NE(page.find("احتفظنا بما كتبته"), std::string::npos) << page;
  EXPECT_NE(page.find("يومض طوال الليل"), std::string::npos);
  EXPECT_NE(page.find("value=\"flickering\" checked"), std::string::npos);
  EXPECT_TRUE(resident.Cookie("resume").empty());
  // Not saved until the person continues; and shown once only.
  EXPECT_EQ((*db().Query("SELECT answers FROM case_drafts"))[0].Bytes(0), (*saved)[0].Bytes(0));
  page = RawClient::Body(resident.Get(draft));
  EXPECT_EQ(page.find("احتفظنا بما كتبته"), std::string::npos);
  EXPECT_EQ(page.find("يومض طوال الليل"), std::string::npos);
  // A post with no session cookie at all is still refused as a forgery.
  Browser stranger(port());
  stranger.Get("/");
  EXPECT_EQ(RawClient::Status(stranger.Post(draft, {{"description", "x"}}, false)), 403);
}

// The SMS and the email about a case name the municipality and link to the case's page; in
// Arabic the Latin runs (tracking number, link) are isolated.
TEST_F(CasesWebTest, MessagesAboutACaseNameTheMunicipalityAndLinkToIt) {
  Browser resident(port());
  std::string draft;
  LocationQuestion(resident, &draft);
  std::string res = resident.Post(draft, {{"location", "31.5326,35.0998"},
                                          {"problem", "not_working"},
                                          {"description", "العمود مطفأ"}});
  const std::string check = RawClient::Header(res, "location");
  ASSERT_TRUE(check.ends_with("/check")) << res.substr(0, 400);
  resident.Get(check);
  res = resident.Post(check, {{"declaration", "yes"}});
  const std::string mine = RawClient::Header(res, "location");
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  ASSERT_FALSE(tracking.empty()) << res.substr(0, 400);
  const std::string link = "https://baladiya.example.ps/account/cases/" + tracking;
  auto sent = web().Part<notify::Outbox>().Claim(50, web().clock().Now() + 1);
  ASSERT_TRUE(sent.ok());
  int seen = 0;
  for (const auto& d : *sent) {
    if (d.template_key != "case.submitted") continue;
    ++seen;
    SCOPED_TRACE(notify::ChannelName(d.channel));
    EXPECT_NE(d.message.text.find("بلدية الخليل"), std::string::npos) << d.message.text;
    EXPECT_NE(d.message.text.find("\u2068" + link + "\u2069"), std::string::npos) << d.message.text;
    EXPECT_NE(d.message.text.find("\u2068" + tracking + "\u2069"), std::string::npos);
    if (d.channel == notify::Channel::kSms) {
      EXPECT_TRUE(d.message.text.starts_with("بلدية الخليل: ")) << d.message.text;
    }
  }
  EXPECT_GE(seen, 1);
  // The in-app copy in the inbox says the same.
  std::string inbox = RawClient::Body(resident.Get("/account/notifications"));
  EXPECT_NE(inbox.find("بلدية الخليل"), std::string::npos);
  EXPECT_NE(inbox.find(link), std::string::npos);
}

// The data export holds the applications (answers, history), the messages; closing an account
// with an open application lists it first; staff still reach the case; registering again with
// the same ID number brings it back, audited.
TEST_F(CasesWebTest, ExportCloseAndRegisterAgainKeepTheApplications) {
  Browser resident(port());
  std::string draft;
  LocationQuestion(resident, &draft);
  std::string res = resident.Post(draft, {{"location", "31.5326,35.0998"},
                                          {"problem", "flickering"},
                                          {"description", "يومض طوال الليل"}});
  const std::string check = RawClient::Header(res, "location");
  resident.Get(check);
  res = resident.Post(check, {{"declaration", "yes"}});
  const std::string mine = RawClient::Header(res, "location");
  const std::string tracking = mine.substr(15, mine.find('?') - 15);
  ASSERT_FALSE(tracking.empty()) << res.substr(0, 300);

  resident.Get("/account/export");  // the password is asked again first
  resident.Post("/account/export", {{"password", "olive-harvest-season"}});
  std::string page = RawClient::Body(resident.Get("/account/export"));
  for (const char* want : {"طلباتك", "يومض طوال الليل", "الإنارة تومض", "401234562", "رسائلي",
                           "href=\"/account/export.json\""})
    EXPECT_NE(page.find(want), std::string::npos) << want << "\n" << page;
  EXPECT_NE(page.find(tracking), std::string::npos);
  res = resident.Get("/account/export.json?lang=en");
  EXPECT_NE(RawClient::Header(res, "content-disposition").find("attachment"), std::string::npos);
  boost::system::error_code ec;
  auto doc = boost::json::parse(RawClient::Body(res), ec);
  ASSERT_FALSE(ec) << RawClient::Body(res);
  const auto& apps = doc.at("applications").as_array();
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0].at("tracking").as_string(), tracking);
  EXPECT_EQ(apps[0].at("answers").as_array()[2].at("description").as_string(), "يومض طوال الليل");
  EXPECT_FALSE(apps[0].at("history").as_array().empty());
  EXPECT_FALSE(doc.at("messages").as_array().empty());
  EXPECT_EQ(doc.at("personal_data").at("national_id").as_string(), "401234562");

  // Closing lists the open application and says what becomes of it.
  page = RawClient::Body(resident.Get("/account/close?lang=ar"));
  EXPECT_NE(page.find("لديك طلب مفتوح"), std::string::npos) << page;
  EXPECT_NE(page.find("href=\"/account/cases/" + tracking + "\""), std::string::npos);
  res = resident.Post("/account/close", {{"password", "olive-harvest-season"}});
  ASSERT_EQ(RawClient::Status(res), 200);

  // Staff still open the case.
  Browser clerk = Staff("close.clerk", identity::Role::kClerk, "hebron");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/cases/" + tracking)), 200);

  // The same ID registers again and finds the application back, audited.
  Browser again(port());
  ASSERT_EQ(RawClient::Status(Register(again, "401234562", "0599123456")), 303);
  page = RawClient::Body(again.Get("/account/cases"));
  EXPECT_NE(page.find(tracking), std::string::npos) << page;
  EXPECT_EQ(RawClient::Status(again.Get("/account/cases/" + tracking)), 200);
  EXPECT_EQ(web().Count("account_reclaims"), 0);
  EXPECT_EQ(audit::testing::Count(audit(), "account.reclaimed"), 1);
}

// An abandoned draft is deleted with its files, after a confirmation; someone else's cannot be.
// Staff set a report's priority; the queue sorts by it.
// Finding (issue 12): an account could hold any number of unfinished applications. Past
// kMaxOpenDrafts, "start" lands on the list of them with the reason, and nothing is stored.
TEST_F(CasesWebTest, StartingPastTheCapOfUnfinishedApplicationsSaysWhy) {
  Browser resident(port());
  Register(resident, "000000026", "0599000026");
  resident.Get("/m/hebron/services/street-light-report");
  for (int i = 0; i < kMaxOpenDrafts; ++i) {
    std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
    ASSERT_EQ(RawClient::Header(res, "location").rfind("/applications/", 0), 0u) << res;
  }
  std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/cases?full=1");
  EXPECT_EQ(web().Count("case_drafts"), kMaxOpenDrafts);
  const std::string page = RawClient::Body(resident.Get("/account/cases?full=1"));
  EXPECT_NE(page.find("أقصى عدد من الطلبات غير المكتملة"), std::string::npos) << page;
  EXPECT_NE(page.find("/delete\""), std::string::npos) << "each one can be deleted from there";
}

TEST_F(CasesWebTest, DraftsAreDeletedAndReportsGetAPriority) {
  Browser resident(port());
  std::string draft;
  LocationQuestion(resident, &draft);
  std::string page = RawClient::Body(resident.Get("/account/cases"));
  EXPECT_NE(page.find("href=\"" + draft.substr(0, draft.rfind("/page")) + "/delete\""),
            std::string::npos)
      << page;
  const std::string del = draft.substr(0, draft.rfind("/page")) + "/delete";
  page = RawClient::Body(resident.Get(del));
  EXPECT_NE(page.find("لا يمكن التراجع"), std::string::npos) << page;
  Browser other(port());
  Register(other, "000000018", "0599000001");
  other.Get("/account");
  EXPECT_EQ(RawClient::Status(other.Post(del, {})), 404);
  EXPECT_EQ(web().Count("case_drafts"), 1);
  std::string res = resident.Post(del, {});
  EXPECT_EQ(RawClient::Header(res, "location"), "/account/cases?deleted=1");
  EXPECT_EQ(web().Count("case_drafts"), 0);
  EXPECT_NE(RawClient::Body(resident.Get("/account/cases?deleted=1")).find("حُذفت المسودة"),
            std::string::npos);

  // Two reports; the later one is made urgent and leads the queue sorted by priority.
  std::vector<std::string> filed;
  for (const char* problem : {"not_working", "flickering"}) {
    resident.Get("/m/hebron/services/street-light-report");
    res = resident.Post("/m/hebron/services/street-light-report/apply", {});
    const std::string d = RawClient::Header(res, "location");
    resident.Get(d);
    res = resident.Post(
        d,
        {{"location", "31.5326,35.0998"}, {"problem", problem}, {"description", "العمود رقم ١٢"}});
    const std::string check = RawClient::Header(res, "location");
    resident.Get(check);
    res = resident.Post(check, {{"declaration", "yes"}});
    const std::string mine = RawClient::Header(res, "location");
    filed.push_back(mine.substr(15, mine.find('?') - 15));
  }
  Browser clerk = Staff("prio.clerk", identity::Role::kClerk, "hebron");
  const std::string href = "/m/hebron/cases/" + filed[1];
  page = RawClient::Body(clerk.Get(href));
  EXPECT_NE(page.find("action=\"" + href + "/priority\""), std::string::npos) << page;
  auto c = cases().FindByTracking(filed[1]);
  res =
      clerk.Post(href + "/priority", {{"version", std::to_string(c->version)}, {"priority", "7"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  clerk.Get(href);
  res =
      clerk.Post(href + "/priority", {{"version", std::to_string(c->version)}, {"priority", "2"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res.substr(0, 300);
  EXPECT_EQ(cases().FindByTracking(filed[1])->priority, 2);
  EXPECT_EQ(audit::testing::Count(audit(), "case.priority"), 1);
  page = RawClient::Body(clerk.Get("/m/hebron/queue?sort=priority"));
  const size_t urgent = page.find(filed[1]), normal = page.find(filed[0]);
  ASSERT_NE(urgent, std::string::npos) << page;
  ASSERT_NE(normal, std::string::npos);
  EXPECT_LT(urgent, normal);
  EXPECT_NE(page.find("<strong>عاجلة</strong>"), std::string::npos);
  page = RawClient::Body(clerk.Get("/m/hebron/queue?sort=due"));
  EXPECT_LT(page.find(filed[0]), page.find(filed[1]));
}

// After the final state the applicant rates the service once, and may reopen the case.
TEST_F(CasesWebTest, ApplicantsRateClosedCasesAndMayReopenThem) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  auto account = accounts().FindForLogin("401234562");
  catalog::TenancyStore tenancy(db());
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  auto service = services().Find(hebron, "clearance-certificate");
  ASSERT_TRUE(service.ok());
  const workflow::Workflow wf = workflow::DefaultWorkflow(texts());
  workflow::Calendar calendar;
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = account->account_id;
  in.answers = {{"purpose", {"bank"}}, {"delivery", {"counter"}}};
  cases::Actor me{account->account_id, "me", {"resident"}, "api", "r1"};
  auto c = cases().SubmitAnswers(in, me, *service, wf, calendar, "HEB", Now());
  ASSERT_TRUE(c.ok()) << c.error().detail;
  cases::Actor clerk{999999, "clerk", {"clerk"}, "web", "r2"};
  auto r = cases().Transition(c->id, c->version, "start_review", "", clerk, wf, calendar, *service,
                              Now());
  auto done = cases().Transition(r->id, r->version, "reject", "الرقم غير مكتمل", clerk, wf,
                                 calendar, *service, Now());
  ASSERT_TRUE(done.ok());
  const std::string href = "/account/cases/" + c->tracking;
  std::string page = RawClient::Body(resident.Get(href));
  ASSERT_NE(page.find("action=\"" + href + "/rate\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(resident.Post(href + "/rate", {{"score", "9"}})), 422);
  EXPECT_EQ(RawClient::Status(resident.Post(href + "/rate", {{"score", "2"}, {"comment", "بطيء"}})),
            303);
  EXPECT_EQ(*cases().RatingOf(c->id), 2);
  page = RawClient::Body(resident.Get(href));
  EXPECT_EQ(page.find("action=\"" + href + "/rate\""), std::string::npos);  // once
  EXPECT_EQ(RawClient::Status(
                resident.Post(href + "/reopen", {{"version", std::to_string(done->version)}})),
            303);
  EXPECT_EQ(cases().Get(c->id)->state, "in_review");
}

// Assisted digital: a counter clerk files for a resident at the counter; the case records the
// channel and who filed it, and the resident sees it as their own.
TEST_F(CasesWebTest, ACounterClerkFilesForAResidentWhoIsPresent) {
  Browser resident(port());
  Register(resident, "401234562", "0599123456");
  catalog::TenancyStore tenancy(db());
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  identity::StaffInput in;
  in.username = "hebron.desk";
  in.full_name_ar = "موظفة الشباك";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kCounterClerk, hebron, 0}};
  auto clerk_id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(clerk_id.ok());
  Browser clerk(port());
  clerk.SetCookie("sid", *sessions().Create(*clerk_id, true, true, Now()));
  ASSERT_EQ(RawClient::Status(clerk.Get("/m/hebron/counter")), 200);
  EXPECT_EQ(RawClient::Status(clerk.Post("/m/hebron/counter", {{"resident", "0599999999"},
                                                               {"service", "clearance-certificate"},
                                                               {"channel", "phone"}})),
            422);
  clerk.Get("/m/hebron/counter");
  // Clearance certificates are not taken by phone.
  EXPECT_EQ(RawClient::Status(clerk.Post("/m/hebron/counter", {{"resident", "401234562"},
                                                               {"service", "clearance-certificate"},
                                                               {"channel", "phone"}})),
            422);
  clerk.Get("/m/hebron/counter");
  std::string res = clerk.Post(
      "/m/hebron/counter",
      {{"resident", "401234562"}, {"service", "clearance-certificate"}, {"channel", "counter"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string draft = RawClient::Header(res, "location");
  // Whom the clerk files for, on every page of the form, and words for the clerk.
  std::string page = RawClient::Body(clerk.Get(draft));
  EXPECT_NE(page.find("تقدّم هذا الطلب باسم سلمى خليل (رقم الهوية \u2068"), std::string::npos)
      << page;
  res = clerk.Post(draft, {{"purpose", "trade_licence"}, {"delivery", "counter"}});
  const std::string check = RawClient::Header(res, "location");
  page = RawClient::Body(clerk.Get(check));
  EXPECT_NE(page.find("تقدّم هذا الطلب باسم سلمى خليل"), std::string::npos);
  EXPECT_NE(page.find("يُقرّ المواطن، بعد أن قرأت عليه"), std::string::npos);
  // The resident filing themself sees neither.
  EXPECT_EQ(RawClient::Body(resident.Get("/m/hebron/services/clearance-certificate"))
                .find("تقدّم هذا الطلب باسم"),
            std::string::npos);
  res = clerk.Post(check, {{"declaration", "yes"}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  const std::string done = RawClient::Header(res, "location");
  ASSERT_EQ(done.rfind("/m/hebron/counter?filed=HEB-", 0), 0u) << done;
  const std::string tracking = done.substr(done.find('=') + 1);
  EXPECT_NE(RawClient::Body(clerk.Get(done)).find(tracking), std::string::npos);
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->channel, "counter");
  EXPECT_EQ(c->filed_by, *clerk_id);
  EXPECT_EQ(c->applicant_id, accounts().FindForLogin("401234562")->account_id);
  EXPECT_NE(RawClient::Body(resident.Get("/account/cases")).find(tracking), std::string::npos);
  // A resident cannot reach the counter.
  EXPECT_EQ(RawClient::Status(resident.Get("/m/hebron/counter")), 403);
}

// A department head assigns several cases at once; a case that changed meanwhile is left alone.
TEST_F(CasesWebTest, ADepartmentHeadAssignsSeveralCasesAtOnce) {
  catalog::TenancyStore tenancy(db());
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  int64_t engineering = 0;
  auto departments = tenancy.Departments(hebron);
  ASSERT_TRUE(departments.ok());
  for (const auto& d : *departments) {
    if (d.slug == "engineering") engineering = d.id;
  }
  auto staff = [&](const std::string& username, identity::Role role) {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = hebron;
    in.grants = {{role, hebron, engineering}};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok());
    return *id;
  };
  const int64_t head = staff("eng.head", identity::Role::kDepartmentHead);
  const int64_t clerk = staff("eng.clerk", identity::Role::kClerk);
  auto service = services().Find(hebron, "street-light-report");
  const workflow::Workflow wf = workflow::DefaultWorkflow(texts());
  std::vector<cases::Case> made;
  for (int i = 0; i < 3; ++i) {
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 500 + i;
    in.answers = {{"location", {"دوار ابن رشد"}},
                  {"problem", {"not_working"}},
                  {"description", {"الإنارة مطفأة"}}};
    auto c = cases().SubmitAnswers(in, {500 + i, "r", {"resident"}, "api", "r"}, *service, wf, {},
                                   "HEB", Now());
    ASSERT_TRUE(c.ok()) << c.error().detail;
    made.push_back(*c);
  }
  Browser browser(port());
  browser.SetCookie("sid", *sessions().Create(head, true, true, Now()));
  std::string queue = browser.Get("/m/hebron/queue");
  ASSERT_NE(queue.find("action=\"/m/hebron/queue/assign\""), std::string::npos);
  EXPECT_NE(queue.find("(eng.clerk)"), std::string::npos);
  // The third case is changed by someone else after the page was shown.
  ASSERT_TRUE(
      cases().AddNote(made[2].id, made[2].version, "ملاحظة", {1, "x", {}, "web", "r"}, Now()).ok());
  std::string res =
      browser.Post("/m/hebron/queue/assign",
                   {{"assignee", std::to_string(clerk)},
                    {"case", made[0].tracking + ":" + std::to_string(made[0].version)},
                    {"case", made[1].tracking + ":" + std::to_string(made[1].version)},
                    {"case", made[2].tracking + ":" + std::to_string(made[2].version)}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  EXPECT_EQ(RawClient::Header(res, "location"), "/m/hebron/queue?assigned=2&conflicts=1");
  EXPECT_EQ(cases().Get(made[0].id)->assigned_to, clerk);
  EXPECT_EQ(cases().Get(made[1].id)->assigned_to, clerk);
  EXPECT_EQ(cases().Get(made[2].id)->assigned_to, 0);
  // A clerk cannot assign.
  Browser other(port());
  other.SetCookie("sid", *sessions().Create(clerk, true, true, Now()));
  other.Get("/m/hebron/queue");
  EXPECT_EQ(RawClient::Status(
                other.Post("/m/hebron/queue/assign", {{"assignee", std::to_string(clerk)}})),
            403);
}

// An API token works only on the API, and only while its account still holds its grant.
TEST_F(CasesWebTest, ApiTokensStayOnTheApiAndFollowTheirGrant) {
  catalog::TenancyStore tenancy(db());
  int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  identity::StaffInput in;
  in.username = "api.clerk";
  in.full_name_ar = "موظف";
  in.password = "a-long-staff-password";
  in.municipality_id = hebron;
  in.grants = {{identity::Role::kClerk, hebron, 0}};
  auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(id.ok());
  auto token = api_tokens().Issue(*id, in.grants[0], "test", {"t", "t", hebron}, Now());
  ASSERT_TRUE(token.ok());
  const std::string auth = "Authorization: Bearer " + *token + "\r\n";
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/api/v1/municipalities/hebron/cases", auth)),
            200);
  // Not a key to account pages: there it is as if nobody signed in.
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/account/export", auth)), 303);
  // The grant taken away, the token stops working.
  ASSERT_TRUE(
      accounts()
          .SetGrants(*id, {{identity::Role::kAuditor, hebron, 0}}, {"t", "t", hebron}, Now())
          .ok());
  EXPECT_EQ(RawClient::Status(RawClient::Get(port(), "/api/v1/municipalities/hebron/cases", auth)),
            401);
}

}  // namespace
}  // namespace baladiya::cases
