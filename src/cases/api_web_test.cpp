// cases' JSON API against the OpenAPI document the program serves (src/cases/openapi.json merged
// into /api/v1/openapi.json), on the web harness (web_test_fixture.h): every operation exercised
// for real, every response checked against the schema the document declares for its path,
// method, status and media type (platform/testing/openapi_check.h), and every response cases'
// fragment documents exercised.
#include <boost/json.hpp>
#include <regex>

#include "cases/web_test_fixture.h"
#include "platform/crypto/crypto.h"
#include "platform/http/url.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::cases {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;
using baladiya::testing::Browser;
using baladiya::testing::Exchange;
using http::testing::RawClient;
using identity::testing::Register;

bool Is(const json::value& v, std::string_view s) { return v.is_string() && v.get_string() == s; }

constexpr char kApply[] =
    "/api/v1/municipalities/hebron/services/clearance-certificate/applications";

json::object ClearanceAnswers() {
  return {{"purpose", "bank"}, {"delivery", "counter"}, {"addressed_to", "بنك فلسطين"}};
}

// `baladiya serve`'s body limit (max-body-kb, 5,120 KiB; the server's own default is 1 MiB), so
// that files up to the attachment limit reach the API as they do in production.
constexpr size_t kServeMaxBody = 5120 * 1024;

class CasesApiTest : public testing::CasesWebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = CasesWebTest::Options();
    o.server.max_body_bytes = kServeMaxBody;
    return o;
  }
  void SetUp() override {
    CasesWebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }

  // Sends one request (extra headers end in \r\n) and checks the exchange against the document.
  Exchange Call(const std::string& method, const std::string& target,
                const std::string& headers = "", const std::string& body = "",
                const std::string& type = "application/json") {
    return api_->Call(method, target, headers, body, type);
  }
  Exchange Get(const std::string& target, const std::string& headers = "") {
    return api_->Get(target, headers);
  }
  Exchange Post(const std::string& target, const json::value& body, const std::string& headers) {
    return api_->Post(target, body, headers);
  }
  // Sends a file as the body of an upload to a municipality.
  Exchange Upload(const std::string& slug, const std::string& bytes, const std::string& type,
                  const std::string& headers, const std::string& query = "") {
    return Call("POST", "/api/v1/municipalities/" + slug + "/uploads" + query, headers, bytes,
                type);
  }

  // A resident registered through the web forms: their session and its anti-forgery token.
  struct Resident {
    std::string sid;
    std::string csrf;
    std::string Cookie() const { return "Cookie: sid=" + sid + "\r\n"; }
    std::string Auth() const { return Cookie() + "X-CSRF-Token: " + csrf + "\r\n"; }
  };
  Resident SignUp(const std::string& national_id, const std::string& phone) {
    Browser b(port());
    std::string res = Register(b, national_id, phone);
    EXPECT_EQ(RawClient::Status(res), 303) << res;
    std::smatch m;
    static const std::regex kSid("set-cookie: sid=([^;\r]+)", std::regex::icase);
    EXPECT_TRUE(std::regex_search(res, m, kSid)) << res;
    EXPECT_EQ(RawClient::Status(b.Get("/account")), 200);  // a page whose forms carry the token
    EXPECT_FALSE(b.token().empty());
    return {m.size() > 1 ? m[1].str() : "", b.token()};
  }

  int64_t Municipality(const std::string& slug) { return MunicipalityId(slug); }
  // A staff account holding one grant; returns its id.
  int64_t Staff(const std::string& username, const identity::Grant& grant) {
    return StaffAccount(username, grant);
  }
  // An API token for a new staff account with that one grant, as an Authorization header.
  std::string Token(const std::string& username, identity::Role role,
                    const std::string& municipality, const std::string& department = "") {
    identity::Grant g{role, Municipality(municipality),
                      department.empty() ? 0 : DepartmentId(municipality, department)};
    auto token = api_tokens().Issue(Staff(username, g), g, "test", {"t", "t", 0}, Now());
    EXPECT_TRUE(token.ok()) << token.error().detail;
    EXPECT_EQ(token->rfind("bt_", 0), 0u);
    return "Authorization: Bearer " + *token + "\r\n";
  }

  // The scenarios. Each uses its own residents and staff, so they can run in one database.
  void Catalogue();
  void ResidentApplies();
  void StaffWorkTheQueue();
  void CounterFilesOnBehalfOfAResident();
  void FilesAreUploadedThenNamedInAnApplication();
  void UploadsAreRefusedForWhatTheyAre();
  void UploadIdsAreSpentOnceByTheirOwner();

  std::unique_ptr<ApiClient> api_;
};

void CasesApiTest::Catalogue() {
  Exchange list = Get("/api/v1/municipalities/hebron/services");
  ASSERT_EQ(list.status, 200);
  bool found = false;
  for (const auto& s : list.json.at("services").as_array()) {
    if (s.at("code") != "clearance-certificate") continue;
    found = true;
    EXPECT_EQ(s.at("name").at("ar"), "براءة ذمة");
    EXPECT_EQ(s.at("name").at("en"), "Clearance certificate");
    EXPECT_EQ(s.at("fee").at("base_minor"), 2000);
  }
  EXPECT_TRUE(found);
  // Search ignores Arabic spelling variants, in either language.
  for (const char* q : {"%D8%A8%D8%B1%D8%A7%D8%A1%D9%87%20%D8%B0%D9%85%D9%87", "clearance"}) {
    Exchange hits = Get(std::string("/api/v1/municipalities/hebron/services?q=") + q + "&lang=en");
    ASSERT_EQ(hits.status, 200) << q;
    ASSERT_FALSE(hits.json.at("services").as_array().empty()) << q;
    EXPECT_EQ(hits.json.at("services").at(0).at("code"), "clearance-certificate") << q;
  }
  EXPECT_TRUE(
      Get("/api/v1/municipalities/hebron/services?q=zzzz").json.at("services").as_array().empty());
  // A service carries both languages whatever the request's language.
  const std::string detail = "/api/v1/municipalities/hebron/services/clearance-certificate";
  Exchange ar = Get(detail);
  ASSERT_EQ(ar.status, 200);
  EXPECT_EQ(Get(detail + "?lang=en").body, ar.body);
  EXPECT_EQ(Get(detail, "Accept-Language: en\r\n").body, ar.body);
  const auto& purpose = ar.json.at("form").at("pages").at(0).at("fields").at(0);
  EXPECT_EQ(purpose.at("name"), "purpose");
  EXPECT_EQ(purpose.at("options").as_array().size(), 5u);
  // Errors speak the request's language: Arabic unless ?lang=en or the lang cookie says English.
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/services").Str({"error", "message"}),
            "غير موجود.");
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/services?lang=en").Str({"error", "message"}),
            "Not found.");
  EXPECT_EQ(Get(detail + "-nope", "Cookie: lang=en\r\n").Str({"error", "message"}), "Not found.");
  EXPECT_EQ(Get(detail + "-nope", "Accept-Language: en\r\n").Str({"error", "code"}), "not_found");
  Exchange self = Get("/api/v1/openapi.json");
  EXPECT_EQ(self.status, 200);
}

void CasesApiTest::ResidentApplies() {
  json::object submission{{"answers", ClearanceAnswers()}, {"idempotency_key", "resident-1"}};
  // No session: an anonymous POST fails the anti-forgery check before the API (an HTML page);
  // one that passes it (a double-submitted cookie, or an Authorization header) is 401.
  Exchange anon = Post(kApply, submission, "");
  EXPECT_EQ(anon.status, 403);
  EXPECT_EQ(anon.Header("content-type").rfind("text/html", 0), 0u);
  const std::string cookie(43, 'c');
  Exchange signed_out = Post(kApply + std::string("?lang=en"), submission,
                             "Cookie: csrf=" + cookie + "\r\nX-CSRF-Token: " + cookie + "\r\n");
  EXPECT_EQ(signed_out.status, 401);
  EXPECT_EQ(signed_out.Str({"error", "message"}), "Sign in first.");
  EXPECT_EQ(Post(kApply, submission, "Authorization: Bearer bt_unknown\r\n").status, 401);

  Resident salma = SignUp("401234562", "0599123456");
  EXPECT_EQ(Post(kApply, submission, salma.Cookie()).status, 403);  // no X-CSRF-Token
  const int64_t before = web().Count("cases");
  Exchange made = Post(kApply, submission, salma.Auth());
  ASSERT_EQ(made.status, 201) << made.raw;
  const std::string tracking = made.Str({"tracking"});
  EXPECT_EQ(made.Header("location"), "/api/v1/cases/" + tracking);
  EXPECT_EQ(made.Str({"channel"}), "api");
  EXPECT_EQ(made.Str({"state"}), "submitted");
  EXPECT_EQ(made.json.at("version"), 1);
  EXPECT_EQ(made.json.at("answers").at("addressed_to").at(0), "بنك فلسطين");
  Exchange again = Post(kApply, submission, salma.Auth());
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.Str({"tracking"}), tracking);
  EXPECT_EQ(web().Count("cases"), before + 1);

  // Wrong answers: 422 naming each field; malformed bodies: 400.
  Exchange wrong = Post(kApply + std::string("?lang=en"),
                        json::object{{"answers", {{"purpose", "lottery"}}}}, salma.Auth());
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.Str({"error", "code"}), "invalid");
  EXPECT_FALSE(wrong.Str({"error", "fields", "purpose"}).empty()) << wrong.body;
  EXPECT_FALSE(wrong.Str({"error", "fields", "delivery"}).empty()) << wrong.body;
  for (const char* bad : {"not json", "[]", R"({"answers": 5})", R"({"answers": {"purpose": {}}})",
                          R"({"answers": {"purpose": [1]}})"}) {
    EXPECT_EQ(Call("POST", kApply, salma.Auth(), bad).status, 400) << bad;
  }
  json::object long_key{{"answers", ClearanceAnswers()},
                        {"idempotency_key", std::string(101, 'k')}};
  EXPECT_EQ(Post(kApply, long_key, salma.Auth()).status, 422);
  json::object for_someone{{"answers", ClearanceAnswers()}, {"applicant_national_id", "401234570"}};
  EXPECT_EQ(Post(kApply, for_someone, salma.Auth()).status, 403);
  EXPECT_EQ(
      Post("/api/v1/municipalities/hebron/services/no-such/applications", submission, salma.Auth())
          .status,
      404);

  // The case and its history, for its applicant only.
  const std::string url = "/api/v1/cases/" + tracking;
  Exchange mine = Get(url, salma.Cookie());
  EXPECT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Str({"tracking"}), tracking);
  Exchange events = Get(url + "/events", salma.Cookie());
  ASSERT_EQ(events.status, 200);
  ASSERT_EQ(events.json.at("events").as_array().size(), 1u);
  EXPECT_EQ(events.json.at("events").at(0).at("kind"), "submitted");
  EXPECT_EQ(events.json.at("events").at(0).at("channel"), "api");
  EXPECT_EQ(Get(url).status, 401);
  EXPECT_EQ(Get(url + "/events").status, 401);
  Resident other = SignUp("401234570", "0599123457");
  EXPECT_EQ(Get(url, other.Cookie()).status, 404);
  EXPECT_EQ(Get(url + "/events", other.Cookie()).status, 404);
  EXPECT_EQ(Get("/api/v1/cases/HEB-26-999999-0", salma.Cookie()).status, 404);

  // A resident cannot take staff actions, nor read a queue.
  json::object review{{"action", "start_review"}, {"version", 1}};
  Exchange refused = Post(url + "/transitions", review, salma.Auth());
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Str({"error", "code"}), "forbidden");
  EXPECT_EQ(Post(url + "/transitions", review, salma.Cookie()).status, 403);  // no token: HTML
  EXPECT_EQ(Post(url + "/transitions", review, other.Auth()).status, 404);
  EXPECT_EQ(Post(url + "/transitions", review, "Authorization: Bearer bt_x\r\n").status, 401);
  EXPECT_EQ(Get("/api/v1/municipalities/hebron/cases", salma.Cookie()).status, 403);
}

void CasesApiTest::StaffWorkTheQueue() {
  Resident rami = SignUp("401234588", "0599123458");
  Exchange made = Post(kApply, json::object{{"answers", ClearanceAnswers()}}, rami.Auth());
  ASSERT_EQ(made.status, 201);
  const std::string tracking = made.Str({"tracking"});
  const std::string url = "/api/v1/cases/" + tracking;
  const std::string clerk = Token("api.revenue", identity::Role::kClerk, "hebron", "revenue");
  const std::string queue = "/api/v1/municipalities/hebron/cases";
  auto listed = [&](const Exchange& page) {
    if (page.status != 200) return false;
    for (const auto& c : page.json.at("cases").as_array()) {
      if (Is(c.at("tracking"), tracking)) return true;
    }
    return false;
  };
  EXPECT_TRUE(listed(Get(queue, clerk)));
  Exchange filtered = Get(queue +
                              "?state=submitted&service=clearance-certificate&sla=on_time"
                              "&channel=api&sort=-submitted&offset=0&limit=10",
                          clerk);
  EXPECT_TRUE(listed(filtered));
  EXPECT_EQ(filtered.json.at("limit"), 10);
  EXPECT_FALSE(listed(Get(queue + "?state=closed&sort=submitted", clerk)));
  EXPECT_FALSE(listed(Get(queue + "?sla=overdue&sort=due", clerk)));
  for (const char* bad : {"?limit=0", "?limit=201", "?offset=-1", "?limit=abc", "?service=no-such"})
    EXPECT_EQ(Get(queue + bad, clerk).status, 422) << bad;
  EXPECT_EQ(Get(queue).status, 401);
  EXPECT_EQ(Get("/api/v1/municipalities/atlantis/cases", clerk).status, 404);  // an HTML page
  EXPECT_EQ(Get(queue, Token("api.nablus", identity::Role::kClerk, "nablus", "revenue")).status,
            403);

  // The clerk reads the case and moves it; a stale version and a wrong action change nothing.
  EXPECT_EQ(Get(url, clerk).status, 200);
  EXPECT_EQ(Get(url + "/events", clerk).status, 200);
  Exchange review =
      Post(url + "/transitions", json::object{{"action", "start_review"}, {"version", 1}}, clerk);
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_EQ(review.Str({"state"}), "in_review");
  EXPECT_EQ(review.json.at("version"), 2);
  Exchange stale =
      Post(url + "/transitions", json::object{{"action", "approve"}, {"version", 1}}, clerk);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(Post(url + "/transitions", json::object{{"action", "complete"}, {"version", 2}}, clerk)
                .status,
            403);
  Exchange uncommented = Post(url + "/transitions?lang=en",
                              json::object{{"action", "ask_info"}, {"version", 2}}, clerk);
  EXPECT_EQ(uncommented.status, 422);
  EXPECT_FALSE(uncommented.Str({"error", "fields", "comment"}).empty()) << uncommented.body;
  for (const char* bad :
       {"{}", R"({"action": "approve"})", R"({"action": "approve", "version": "2"})", "x"})
    EXPECT_EQ(Call("POST", url + "/transitions", clerk, bad).status, 400) << bad;
  json::object ask{{"action", "ask_info"}, {"version", 2}, {"comment", "أرفق صورة الهوية"}};
  EXPECT_EQ(Post(url + "/transitions", ask, clerk).Str({"state"}), "needs_info");
  // The applicant answers with their session.
  Exchange answered =
      Post(url + "/transitions", json::object{{"action", "answer"}, {"version", 3}}, rami.Auth());
  EXPECT_EQ(answered.status, 200);
  EXPECT_EQ(answered.Str({"state"}), "in_review");
  EXPECT_EQ(Get(url + "/events", rami.Cookie()).json.at("events").as_array().size(), 4u);

  // Another department's clerk does not see the case; a staff session without its second
  // factor reaches nothing.
  const std::string water = Token("api.water", identity::Role::kClerk, "hebron", "water");
  EXPECT_EQ(Get(url, water).status, 404);
  EXPECT_EQ(
      Post(url + "/transitions", json::object{{"action", "approve"}, {"version", 4}}, water).status,
      404);
  EXPECT_FALSE(listed(Get(queue, water)));
  const int64_t id = Staff("api.nomfa", {identity::Role::kClerk, Municipality("hebron"), 0});
  const std::string half = "Cookie: sid=" + *sessions().Create(id, true, false, Now()) + "\r\n";
  Exchange mfa = Get(url, half);
  EXPECT_EQ(mfa.status, 401);
  EXPECT_EQ(mfa.Str({"error", "code"}), "mfa_required");
}

void CasesApiTest::CounterFilesOnBehalfOfAResident() {
  Resident huda = SignUp("401234596", "0599123459");
  const std::string desk = Token("api.desk", identity::Role::kCounterClerk, "hebron");
  json::object filing{{"answers", ClearanceAnswers()}, {"applicant_national_id", "401234596"}};
  Exchange filed = Post(kApply, filing, desk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Str({"channel"}), "counter");
  // The case is the resident's.
  Exchange theirs = Get(filed.Header("location"), huda.Cookie());
  EXPECT_EQ(theirs.status, 200);
  EXPECT_EQ(theirs.Str({"tracking"}), filed.Str({"tracking"}));
  // By phone, for a service offered by phone; numbers may be sent as numbers.
  json::object report{{"answers",
                       {{"location", "دوار ابن رشد"},
                        {"problem", "not_working"},
                        {"lights_affected", 3},
                        {"description", "الشارع مظلم منذ ليلتين"}}},
                      {"applicant_national_id", "401234596"},
                      {"channel", "phone"}};
  Exchange phoned =
      Post("/api/v1/municipalities/hebron/services/street-light-report/applications", report, desk);
  ASSERT_EQ(phoned.status, 201) << phoned.body;
  EXPECT_EQ(phoned.Str({"channel"}), "phone");
  EXPECT_EQ(phoned.json.at("answers").at("lights_affected").at(0), "3");
  filing["channel"] = "phone";  // clearance certificates are not offered by phone
  EXPECT_EQ(Post(kApply + std::string("?lang=en"), filing, desk).Str({"error", "message"}),
            "This service is not offered through this channel.");
  // Whom for: required, and a registered resident.
  for (const char* who : {"", "204567895", "api.desk"}) {
    json::object body{{"answers", ClearanceAnswers()}};
    if (*who) body["applicant_national_id"] = who;
    EXPECT_EQ(Post(kApply, body, desk).status, 422) << who;
  }
  // A clerk does not file for others; a counter clerk does not work cases.
  const std::string clerk = Token("api.filer", identity::Role::kClerk, "hebron", "revenue");
  EXPECT_EQ(Post(kApply, filing, clerk).status, 403);
  EXPECT_EQ(Get(filed.Header("location"), desk).status, 200);  // the clerk who filed it reads it
  EXPECT_EQ(Get("/api/v1/municipalities/hebron/cases", desk).status, 403);
}

// Small files that start as a PDF, a PNG and a JPEG do: what the type is read from.
const std::string kPdf = "%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);
const std::string kJpeg = std::string("\xFF\xD8\xFF\xE0\0\x10JFIF\0", 11);
constexpr char kReport[] =
    "/api/v1/municipalities/hebron/services/street-light-report/applications";

// A street-light report (its photos field takes up to 3 files), with the photos given.
json::object LightReport(json::value photos, const std::string& key = "") {
  json::object answers{{"location", "دوار المنارة"},
                       {"problem", "damaged_pole"},
                       {"lights_affected", 1},
                       {"description", "العمود مائل فوق الرصيف"}};
  if (!photos.is_null()) answers["photos"] = std::move(photos);
  json::object body{{"answers", std::move(answers)}};
  if (!key.empty()) body["idempotency_key"] = key;
  return body;
}

void CasesApiTest::FilesAreUploadedThenNamedInAnApplication() {
  Resident noor = SignUp("401234612", "0599123460");
  const std::string name = "صورة العمود.pdf";
  Exchange pdf =
      Upload("hebron", kPdf, "application/pdf", noor.Auth(), "?name=" + http::PercentEncode(name));
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  EXPECT_EQ(pdf.Str({"file_name"}), name);
  EXPECT_EQ(pdf.Str({"content_type"}), "application/pdf");
  EXPECT_EQ(pdf.json.at("size").to_number<int64_t>(), static_cast<int64_t>(kPdf.size()));
  EXPECT_EQ(pdf.Str({"sha256"}), crypto::Sha256Hex(kPdf));
  // The content says what a file is: a PNG sent as application/octet-stream is a PNG.
  Exchange png = Upload("hebron", kPng, "application/octet-stream", noor.Auth());
  ASSERT_EQ(png.status, 201) << png.body;
  EXPECT_EQ(png.Str({"content_type"}), "image/png");
  EXPECT_EQ(png.Str({"file_name"}), "file.png");
  EXPECT_NE(png.Str({"id"}), pdf.Str({"id"}));
  EXPECT_EQ(web().Count("case_attachments WHERE upload_token IS NOT NULL"), 2);

  // Named in an application, they become the case's files in its transaction, and are spent.
  const json::object report = LightReport(
      json::array{json::string(pdf.Str({"id"})), json::string(png.Str({"id"}))}, "lights-1");
  const int64_t before = web().Count("cases");
  Exchange made = Post(kReport, report, noor.Auth());
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string tracking = made.Str({"tracking"});
  const json::array& files = made.json.at("attachments").as_array();
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(Is(files[0].at("sha256"), crypto::Sha256Hex(kPdf)));
  EXPECT_TRUE(Is(files[0].at("file_name"), name));
  EXPECT_TRUE(Is(files[1].at("content_type"), "image/png"));
  EXPECT_EQ(files[0].at("field"), "photos");
  EXPECT_EQ(made.json.at("answers").at("photos"),
            json::value(json::array{files[0].at("id"), files[1].at("id")}));
  EXPECT_EQ(web().Count("case_attachments WHERE upload_token IS NOT NULL"), 0);
  // A retry with the same idempotency key is the same case, though its uploads are spent now.
  Exchange again = Post(kReport, report, noor.Auth());
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.Str({"tracking"}), tracking);
  EXPECT_EQ(again.json.at("attachments").as_array().size(), 2u);
  EXPECT_EQ(web().Count("cases"), before + 1);
  EXPECT_EQ(Get("/api/v1/cases/" + tracking, noor.Cookie()).json.at("attachments"),
            json::value(files));

  // The applicant reads each file back as a download, with the type read from its content.
  const std::string href(files[0].at("href").as_string());
  Exchange back = Get(href, noor.Cookie());
  ASSERT_EQ(back.status, 200);
  EXPECT_EQ(back.body, kPdf);
  EXPECT_EQ(back.Header("content-type"), "application/pdf");
  EXPECT_EQ(back.Header("content-disposition"),
            "attachment; filename=\"file\"; filename*=UTF-8''" + http::PercentEncode(name));
  EXPECT_EQ(back.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(Get(std::string(files[1].at("href").as_string()), noor.Cookie()).body, kPng);
  // So do staff who work the case's department; nobody else, whatever they may do elsewhere.
  EXPECT_EQ(
      Get(href, Token("api.engineering", identity::Role::kClerk, "hebron", "engineering")).body,
      kPdf);
  EXPECT_EQ(Get(href, Token("api.water.files", identity::Role::kClerk, "hebron", "water")).status,
            404);
  EXPECT_EQ(Get(href, Token("api.nablus.files", identity::Role::kClerk, "nablus")).status, 404);
  Resident other = SignUp("401234620", "0599123461");
  EXPECT_EQ(Get(href, other.Cookie()).status, 404);
  EXPECT_EQ(Get(href).status, 401);
  const std::string mine = "/api/v1/cases/" + tracking + "/attachments/";
  for (const char* bad : {"f999999", "f0", "42", "photo.pdf"})
    EXPECT_EQ(Get(mine + bad, noor.Cookie()).status, 404) << bad;
  EXPECT_EQ(Get("/api/v1/cases/HEB-26-999999-0/attachments/f1", noor.Cookie()).status, 404);

  // A counter clerk uploads a scan and files it for the resident: the case and its files are
  // theirs; the clerk reads the case they filed but, as on the site, not its files.
  const std::string desk = Token("api.desk.files", identity::Role::kCounterClerk, "hebron");
  Exchange scan = Upload("hebron", kJpeg, "image/jpeg", desk, "?name=scan.jpg");
  ASSERT_EQ(scan.status, 201) << scan.body;
  json::object filing = LightReport(json::string(scan.Str({"id"})));
  filing["applicant_national_id"] = "401234612";
  Exchange filed = Post(kReport, filing, desk);
  ASSERT_EQ(filed.status, 201) << filed.body;
  EXPECT_EQ(filed.Str({"channel"}), "counter");
  const std::string scanned(filed.json.at("attachments").at(0).at("href").as_string());
  EXPECT_EQ(Get(scanned, noor.Cookie()).body, kJpeg);
  EXPECT_EQ(Get(filed.Header("location"), desk).status, 200);
  EXPECT_EQ(Get(scanned, desk).status, 404);
}

void CasesApiTest::UploadsAreRefusedForWhatTheyAre() {
  Resident rana = SignUp("401234638", "0599123462");
  const int64_t stored = web().Count("case_attachments");
  struct Refusal {
    std::string bytes;
    std::string type;
    std::string query;
    int status;
    const char* code;
  };
  const Refusal refusals[] = {
      {"plain text that says it is a PDF", "application/pdf", "", 415, "unsupported_type"},
      {kPng, "application/pdf", "", 415, "unsupported_type"},  // not what it claims to be
      {kJpeg, "image/png", "", 415, "unsupported_type"},
      {"<svg/>", "application/octet-stream", "", 415, "unsupported_type"},
      {kPdf, "text/plain", "", 415, "unsupported_type"},
      {"", "application/pdf", "", 415, "unsupported_type"},
      {"%PDF-" + std::string(cases::kMaxAttachmentBytes - 4, 'x'), "application/pdf", "", 413,
       "too_large"},
      {kPdf, "application/pdf", "?name=plans%2Fsite.pdf", 422, "invalid"},
      {kPdf, "application/pdf", "?name=site%01.pdf", 422, "invalid"},
      {kPdf, "application/pdf", "?name=" + std::string(256, 'n'), 422, "invalid"},
  };
  for (const auto& r : refusals) {
    Exchange e = Upload("hebron", r.bytes, r.type, rana.Auth(), r.query);
    EXPECT_EQ(e.status, r.status) << r.type << " " << r.query << " " << e.body;
    EXPECT_EQ(e.Str({"error", "code"}), r.code) << r.type << " " << r.query;
  }
  Exchange mismatch = Upload("hebron", kPng, "application/pdf", rana.Auth(), "?lang=en");
  EXPECT_EQ(mismatch.Str({"error", "message"}),
            "The file's content is not of the type its Content-Type header names.");
  Exchange named = Upload("hebron", kPdf, "application/pdf", rana.Auth(), "?name=a%2Fb&lang=en");
  EXPECT_FALSE(named.Str({"error", "fields", "name"}).empty()) << named.body;
  EXPECT_EQ(web().Count("case_attachments"), stored);

  // Who may upload, and where.
  EXPECT_EQ(Upload("atlantis", kPdf, "application/pdf", rana.Auth()).status, 404);
  Exchange unguarded = Upload("hebron", kPdf, "application/pdf", rana.Cookie());
  EXPECT_EQ(unguarded.status, 403);  // a session's POST without its anti-forgery token
  EXPECT_EQ(unguarded.Header("content-type").rfind("text/html", 0), 0u);
  const std::string cookie(43, 'c');
  EXPECT_EQ(Upload("hebron", kPdf, "application/pdf",
                   "Cookie: csrf=" + cookie + "\r\nX-CSRF-Token: " + cookie + "\r\n")
                .status,
            401);
  Exchange clerk = Upload("hebron", kPdf, "application/pdf",
                          Token("api.upload.clerk", identity::Role::kClerk, "hebron", "revenue"));
  EXPECT_EQ(clerk.status, 403);  // staff upload only where they file for residents
  EXPECT_EQ(clerk.Str({"error", "code"}), "forbidden");
  EXPECT_EQ(web().Count("case_attachments"), stored);

  // An account holds a bounded number of unused uploads.
  for (int i = 0; i < cases::kMaxWaitingUploads; ++i)
    ASSERT_EQ(Upload("hebron", kPdf, "application/pdf", rana.Auth()).status, 201) << i;
  Exchange full = Upload("hebron", kPdf, "application/pdf", rana.Auth());
  EXPECT_EQ(full.status, 409);
  EXPECT_EQ(full.Str({"error", "code"}), "conflict");
  EXPECT_EQ(web().Count("case_attachments"), stored + cases::kMaxWaitingUploads);
}

void CasesApiTest::UploadIdsAreSpentOnceByTheirOwner() {
  Resident sami = SignUp("401234646", "0599123463");
  Resident lina = SignUp("401234653", "0599123464");
  auto upload = [&](const Resident& who, const std::string& slug) {
    Exchange e = Upload(slug, kPng, "image/png", who.Auth());
    EXPECT_EQ(e.status, 201) << e.body;
    return json::string(e.Str({"id"}));
  };
  const json::string mine = upload(sami, "hebron");
  const int64_t cases_before = web().Count("cases");
  const int64_t waiting = web().Count("case_attachments WHERE upload_token IS NOT NULL");
  // An id that is not one of the caller's uploads for this municipality is refused, naming the
  // field, and nothing is stored: the caller's own upload named beside it stays unused.
  const std::string report_en = kReport + std::string("?lang=en");
  const json::string others[] = {json::string("up_" + std::string(43, 'A')), upload(lina, "hebron"),
                                 upload(sami, "nablus"), json::string("f1")};
  for (const auto& id : others) {
    Exchange refused = Post(report_en, LightReport(json::array{mine, id}), sami.Auth());
    EXPECT_EQ(refused.status, 422) << id;
    EXPECT_EQ(refused.Str({"error", "fields", "photos"}),
              "This id names no usable upload of yours in this municipality: it may have expired "
              "or been used already.")
        << id;
  }
  // More files than the field takes (photos: 3).
  Exchange crowded = Post(report_en,
                          LightReport(json::array{mine, upload(sami, "hebron"),
                                                  upload(sami, "hebron"), upload(sami, "hebron")}),
                          sami.Auth());
  EXPECT_EQ(crowded.status, 422);
  EXPECT_EQ(crowded.Str({"error", "fields", "photos"}), "You attached more files than allowed.");
  EXPECT_EQ(web().Count("cases"), cases_before);
  EXPECT_EQ(web().Count("case_attachments WHERE upload_token IS NOT NULL"), waiting + 5);
  // Used once: a second application naming the same upload is refused.
  EXPECT_EQ(Post(kReport, LightReport(mine), sami.Auth()).status, 201);
  EXPECT_EQ(Post(kReport, LightReport(mine), sami.Auth()).status, 422);
  EXPECT_EQ(web().Count("cases"), cases_before + 1);
}

TEST_F(CasesApiTest, TheCatalogueIsPublicAndBilingual) { Catalogue(); }
TEST_F(CasesApiTest, AResidentAppliesAndFollowsTheirCase) { ResidentApplies(); }
TEST_F(CasesApiTest, StaffTokensWorkTheQueueWithOptimisticConcurrency) { StaffWorkTheQueue(); }
TEST_F(CasesApiTest, ACounterClerkFilesOnBehalfOfAResident) { CounterFilesOnBehalfOfAResident(); }
TEST_F(CasesApiTest, FilesAreUploadedThenNamedInAnApplication) {
  FilesAreUploadedThenNamedInAnApplication();
}
TEST_F(CasesApiTest, UploadsAreRefusedForWhatTheyAre) { UploadsAreRefusedForWhatTheyAre(); }
TEST_F(CasesApiTest, UploadIdsAreSpentOnceByTheirOwner) { UploadIdsAreSpentOnceByTheirOwner(); }

// Statuses no test can provoke from outside: storage failures, and a storage conflict while a
// case is inserted.
constexpr baladiya::testing::Unreachable kUnreachable[] = {
    {"", 503},
    {"post /api/v1/municipalities/{slug}/services/{code}/applications", 409},
};

TEST_F(CasesApiTest, EveryDocumentedResponseIsExercised) {
  Catalogue();
  ResidentApplies();
  StaffWorkTheQueue();
  CounterFilesOnBehalfOfAResident();
  FilesAreUploadedThenNamedInAnApplication();
  UploadsAreRefusedForWhatTheyAre();
  UploadIdsAreSpentOnceByTheirOwner();
  const json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object()) << "cases has no OpenAPI fragment";
  for (const auto& missing : api_->Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

}  // namespace
}  // namespace baladiya::cases
