// Open311 on the web harness (web_test_fixture.h): each kind of bad input the issue names is
// refused with the specification's error list and the right status, and nothing is stored; and what
// good input becomes (a case filed as the key's integration account, sealed contact details, no log
// line with personal data).
#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

namespace json = boost::json;
using baladiya::testing::Browser;
using identity::testing::Register;
using testing::kOpen311Now;

class Open311InputTest : public testing::Open311Test {
 protected:
  // The errors of a JSON error body, as (code, description) pairs.
  static std::vector<std::pair<int64_t, std::string>> Errors(const std::string& body) {
    std::vector<std::pair<int64_t, std::string>> out;
    json::error_code ec;
    json::value v = json::parse(body, ec);
    if (ec || !v.is_array()) return out;
    for (const auto& e : v.as_array()) {
      const auto* code = e.as_object().if_contains("code");
      const auto* text = e.as_object().if_contains("description");
      if (code && text && code->is_int64() && text->is_string())
        out.emplace_back(code->as_int64(), std::string(text->as_string()));
    }
    return out;
  }

  // Files the street-light report with the fixture's key; returns its service_request_id.
  std::string FileLightReport() {
    Reply filed = Post("/open311/v2/requests.json", LightReport());
    EXPECT_EQ(filed.status, 200) << filed.body;
    if (filed.status != 200) return "";
    return std::string(
        json::parse(filed.body).as_array()[0].as_object().at("service_request_id").as_string());
  }

  // An update to the request with the fixture's key, at 10:00 Hebron time on the fixture's day.
  std::vector<std::pair<std::string, std::string>> UpdateOf(const std::string& tracking,
                                                            const std::string& update_id,
                                                            const std::string& description) {
    return {{"api_key", key_},
            {"jurisdiction_id", "hebron"},
            {"service_request_id", tracking},
            {"update_id", update_id},
            {"status", "OPEN"},
            {"updated_datetime", "2026-03-15T10:00:00+02:00"},
            {"description", description}};
  }

  // Posts the report and expects it refused with `status`, one error whose description holds
  // `says`, and nothing stored.
  void ExpectRefused(const std::vector<std::pair<std::string, std::string>>& fields, int status,
                     const std::string& says) {
    const int64_t cases = CasesFiled();
    const int64_t published = web().Count("open311_requests");
    Reply r = Post("/open311/v2/requests.json?lang=en", fields);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    auto errors = Errors(r.body);
    ASSERT_FALSE(errors.empty()) << r.body;
    bool found = false;
    for (const auto& [code, text] : errors) {
      EXPECT_EQ(code, status);
      found = found || text.find(says) != std::string::npos;
    }
    EXPECT_TRUE(found) << "no error says '" << says << "': " << r.body;
    EXPECT_EQ(CasesFiled(), cases) << "a refused report stores no case";
    EXPECT_EQ(web().Count("open311_requests"), published);
  }
};

TEST_F(Open311InputTest, AGoodReportBecomesACaseFiledAsTheKeysAccount) {
  Reply r = Post("/open311/v2/requests.json",
                 With(With(LightReport(), "email", "salma@example.org"), "phone", "0599123456"));
  ASSERT_EQ(r.status, 200) << r.body;
  json::value v = json::parse(r.body);
  const std::string tracking(v.as_array()[0].as_object().at("service_request_id").as_string());
  auto c = cases().FindByTracking(tracking);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->channel, "api");
  EXPECT_EQ(c->answers.at("location"), std::vector<std::string>{"31.5326,35.0998"});
  EXPECT_EQ(c->answers.at("problem"), std::vector<std::string>{"not_working"});
  auto issued = keys().OfMunicipality(hebron_.id);
  ASSERT_EQ(issued->size(), 1u);
  EXPECT_EQ(c->applicant_id, issued->front().account_id);
  EXPECT_EQ(c->filed_by, issued->front().account_id);
  // The integration account is told nothing: no notification was queued for the report.
  EXPECT_TRUE(Outboxed().empty());
  auto contact = records().ContactOf(hebron_.id, tracking);
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->email, "salma@example.org");
  EXPECT_EQ(contact->phone, "0599123456");
  // Published: location and description; never the contact details.
  Reply one = Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=hebron");
  EXPECT_EQ(one.status, 200);
  EXPECT_NE(one.body.find("31.5326"), std::string::npos);
  EXPECT_EQ(one.body.find("salma@"), std::string::npos);
  EXPECT_EQ(one.body.find("0599123456"), std::string::npos);
}

// A list is answered as rendered for at most a second (clients poll the default one): a report
// filed after it appears once that second is over, and the single request page at once.
TEST_F(Open311InputTest, ListsShowNewReportsWithinASecond) {
  const std::string list = "/open311/v2/requests.json?jurisdiction_id=hebron";
  Reply before = Get(list);
  ASSERT_EQ(before.status, 200) << before.body;
  Reply r = Post("/open311/v2/requests.json", LightReport());
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string tracking(
      json::parse(r.body).as_array()[0].as_object().at("service_request_id").as_string());
  EXPECT_EQ(before.body.find(tracking), std::string::npos);
  EXPECT_EQ(Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=hebron").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  Reply after = Get(list);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.body.find(tracking), std::string::npos) << after.body;
}

// Lists render on the request pool, one rendering per list at a time: clients asking for the
// same list at once wait for it and all get it whole; other lists render alongside.
TEST_F(Open311InputTest, ListsAskedForAtOnceAllGetThemWhole) {
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(Post("/open311/v2/requests.json", LightReport()).status, 200);
  const std::string lists[] = {"/open311/v2/requests.json?jurisdiction_id=hebron",
                               "/open311/v2/requests.xml?jurisdiction_id=hebron",
                               "/open311/v2/servicerequestupdates.json?jurisdiction_id=hebron"};
  constexpr int kThreads = 8;
  std::vector<Reply> replies(kThreads * 3);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) replies[static_cast<size_t>(t * 3 + i)] = Get(lists[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 3; ++i) {
    const Reply& first = replies[static_cast<size_t>(i)];
    ASSERT_EQ(first.status, 200) << lists[i] << " " << first.body;
    for (int t = 1; t < kThreads; ++t) {
      const Reply& r = replies[static_cast<size_t>(t * 3 + i)];
      EXPECT_EQ(r.status, 200) << lists[i];
      EXPECT_EQ(r.body, first.body) << lists[i];
    }
  }
  EXPECT_EQ(json::parse(replies[0].body).as_array().size(), 3u);
}

TEST_F(Open311InputTest, MissingServiceCode) {
  ExpectRefused(Without(LightReport(), "service_code"), 400, "service_code was not provided");
  ExpectRefused(With(LightReport(), "service_code", ""), 400, "service_code was not provided");
}

TEST_F(Open311InputTest, UnknownServiceCode) {
  ExpectRefused(With(LightReport(), "service_code", "pothole"), 404,
                "No service has the service_code \"pothole\"");
  // A service that exists but is no report (Open311 does not offer it).
  ExpectRefused(With(LightReport(), "service_code", "building-permit"), 404, "building-permit");
}

TEST_F(Open311InputTest, NoLocation) {
  ExpectRefused(Without(Without(LightReport(), "lat"), "long"), 400,
                "Give the location: lat and long, address_string, or address_id");
  // Blank alternatives are no location either (an empty optional argument is an absent one).
  ExpectRefused(With(Without(Without(LightReport(), "lat"), "long"), "address_string", ""), 400,
                "Give the location");
}

TEST_F(Open311InputTest, CoordinatesOutOfRangeOrMalformed) {
  const std::pair<std::string, std::string> bad[][2] = {
      {{"lat", "90.0001"}, {"long", "35.1"}}, {{"lat", "-91"}, {"long", "35.1"}},
      {{"lat", "31.5"}, {"long", "180.5"}},   {{"lat", "31.5"}, {"long", "-181"}},
      {{"lat", "31,5"}, {"long", "35.1"}},    {{"lat", "1e1"}, {"long", "35.1"}},
      {{"lat", "31.5"}, {"long", "east"}},    {{"lat", ".5"}, {"long", "35.1"}},
      {{"lat", "31.5"}, {"long", ""}},        {{"lat", "NaN"}, {"long", "35.1"}},
  };
  for (const auto& pair : bad) {
    SCOPED_TRACE(pair[0].second + " " + pair[1].second);
    ExpectRefused(With(With(LightReport(), "lat", pair[0].second), "long", pair[1].second), 400,
                  "lat and long must both be given");
  }
  // Arabic-Indic digits and the Arabic decimal separator are coordinates too.
  Reply r = Post("/open311/v2/requests.json",
                 With(With(LightReport(), "lat", "٣١٫٥٣٢٦"), "long", "+035.0998"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto found =
      records().Find({.municipality_id = hebron_.id, .from_ms = kOpen311Now, .to_ms = kOpen311Now});
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ(found->front().lat, "31.5326");
  EXPECT_EQ(found->front().lng, "35.0998");
}

TEST_F(Open311InputTest, RequiredAttributeMissing) {
  ExpectRefused(Without(LightReport(), "attribute[problem]"), 400,
                "attribute[problem]: This field is required.");
}

TEST_F(Open311InputTest, ValueNotInASingleValueList) {
  ExpectRefused(With(LightReport(), "attribute[problem]", "pothole"), 400,
                "attribute[problem]: Choose one of the answers shown.");
  // Two values for a single-value list are refused the same way.
  auto two = LightReport();
  two.emplace_back("attribute[problem][]", "flickering");
  ExpectRefused(two, 400, "attribute[problem]");
}

TEST_F(Open311InputTest, OversizedDescription) {
  std::string text;
  for (int i = 0; i < 4001; ++i) text += "ع";  // 4,001 characters (8,002 bytes)
  ExpectRefused(With(LightReport(), "description", text), 400,
                "description may not be longer than 4,000 characters");
  // Within the specification's limit, the service's own limit (2,000 here) still holds.
  ExpectRefused(With(LightReport(), "description", text.substr(0, 2 * 2001)), 400,
                "description: This is longer than allowed.");
}

TEST_F(Open311InputTest, ControlCharactersInTheDescription) {
  ExpectRefused(With(LightReport(), "description", "bell \x07 here"), 400,
                "description is too long or contains characters that are not accepted");
}

TEST_F(Open311InputTest, HtmlInTheDescriptionIsStoredAsTextAndNeverRendered) {
  const std::string html = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"done\"";
  Reply r = Post("/open311/v2/requests.xml", With(LightReport(), "description", html));
  ASSERT_EQ(r.status, 200) << r.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.body, m, std::regex("<service_request_id>([^<]+)<")));
  const std::string tracking = m[1].str();
  auto c = cases().FindByTracking(tracking);
  EXPECT_EQ(c->answers.at("description"), std::vector<std::string>{html}) << "kept as typed";
  Reply xml = Get("/open311/v2/requests/" + tracking + ".xml?jurisdiction_id=hebron");
  EXPECT_EQ(xml.status, 200);
  EXPECT_NE(xml.body.find("<description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x "
                          "onerror=alert(2)&gt; &amp; \"done\"</description>"),
            std::string::npos)
      << xml.body;
  EXPECT_EQ(xml.body.find("<script>"), std::string::npos);
  EXPECT_EQ(xml.body.find("<img"), std::string::npos);
  Reply js = Get("/open311/v2/requests/" + tracking + ".json?jurisdiction_id=hebron");
  json::value v = json::parse(js.body);
  EXPECT_EQ(v.as_array()[0].as_object().at("description").as_string(), html);
  EXPECT_EQ(js.content_type, "application/json; charset=utf-8") << "never served as HTML";
}

TEST_F(Open311InputTest, BadApiKey) {
  const std::string refused = "Invalid api_key received -- can't proceed with create_request.";
  ExpectRefused(Without(LightReport(), "api_key"), 403, refused);
  ExpectRefused(With(LightReport(), "api_key", ""), 403, refused);
  ExpectRefused(With(LightReport(), "api_key", "xyz"), 403, refused);
  ExpectRefused(With(LightReport(), "api_key", key_ + "x"), 403, refused);
  // A key of another municipality.
  auto nablus = tenancy().FindMunicipality("nablus");
  auto other = keys().Issue(nablus->id, "Nablus app", hasher(), texts(), {}, kOpen311Now);
  ASSERT_TRUE(other.ok());
  ExpectRefused(With(LightReport(), "api_key", other->key), 403, refused);
  // A revoked key.
  auto issued = keys().OfMunicipality(hebron_.id);
  ASSERT_TRUE(keys().Revoke(issued->front().id, hebron_.id, {}, kOpen311Now).ok());
  ExpectRefused(LightReport(), 403, refused);
  // Updates need the key too.
  Reply u = Post("/open311/v2/servicerequestupdates.json?lang=en",
                 {{"api_key", key_},
                  {"jurisdiction_id", "hebron"},
                  {"service_request_id", "HEB-26-000001-9"},
                  {"update_id", "1"},
                  {"status", "OPEN"},
                  {"updated_datetime", "2026-03-15T09:00:00Z"},
                  {"description", "x"}});
  EXPECT_EQ(u.status, 403);
  EXPECT_EQ(web().Count("open311_received_updates"), 0);
}

TEST_F(Open311InputTest, DateRangeOverNinetyDays) {
  Reply r =
      Get("/open311/v2/requests.json?jurisdiction_id=hebron&lang=en&start_date=2026-01-01T00:00:00Z"
          "&end_date=2026-04-02T00:00:00Z");
  EXPECT_EQ(r.status, 400);
  auto errors = Errors(r.body);
  ASSERT_EQ(errors.size(), 1u) << r.body;
  EXPECT_EQ(errors[0].second, "start_date and end_date may not be more than 90 days apart.");
  // Exactly 90 days is allowed; an end before the start is not.
  EXPECT_EQ(Get("/open311/v2/requests.json?jurisdiction_id=hebron&start_date=2026-01-01T00:00:"
                "00Z&end_date=2026-04-01T00:00:00Z")
                .status,
            200);
  r =
      Get("/open311/v2/requests.json?jurisdiction_id=hebron&lang=en&start_date=2026-03-02T00:00:00Z"
          "&end_date=2026-03-01T00:00:00Z");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("end_date must not be earlier than start_date"), std::string::npos);
  // The same rule for the updates extension.
  EXPECT_EQ(Get("/open311/v2/servicerequestupdates.json?jurisdiction_id=hebron&start_date=2025-"
                "01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z")
                .status,
            400);
}

TEST_F(Open311InputTest, RefusesBodiesThatAreNoForm) {
  const int64_t cases = CasesFiled();
  Reply r = Exchange("POST", "/open311/v2/requests.json?lang=en",
                     {{"Content-Type", "application/json"}}, R"({"service_code":"x"})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("application/x-www-form-urlencoded"), std::string::npos);
  r = Exchange("POST", "/open311/v2/requests.json?lang=en",
               {{"Content-Type", "application/x-www-form-urlencoded"}}, "api_key=%zz");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(CasesFiled(), cases);
}

TEST_F(Open311InputTest, ASignedInBrowserNeedsNoFormTokenButStillTheKey) {
  // Open311 never acts on a session, so it needs no anti-forgery token; the key decides.
  Browser b(port());
  Register(b, "123456782", "0599111222");
  ASSERT_TRUE(b.HasCookie("sid"));
  std::string body;
  for (const auto& [k, v] : LightReport()) {
    body += (body.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  const std::string head =
      "POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n";
  EXPECT_NE(b.Raw(head, body).find("HTTP/1.1 200"), std::string::npos);
  std::string without_key;
  for (const auto& [k, v] : Without(LightReport(), "api_key")) {
    without_key +=
        (without_key.empty() ? "" : "&") + http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  const std::string head2 =
      "POST /open311/v2/requests.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(without_key.size()) + "\r\n";
  EXPECT_NE(b.Raw(head2, without_key).find("HTTP/1.1 403"), std::string::npos);
}

TEST_F(Open311InputTest, UpdatesArePostedOnceAndReachTheCaseAsANote) {
  const std::string tracking = FileLightReport();
  ASSERT_FALSE(tracking.empty());
  auto update = UpdateOf(tracking, "fms-77", "ما زال العمود مطفأً الليلة.");
  update.push_back({"email", "reporter@example.org"});
  update.push_back({"media_url[]", "https://media.example.org/u/1.jpg"});
  Reply first = Post("/open311/v2/servicerequestupdates.json", update);
  ASSERT_EQ(first.status, 200) << first.body;
  Reply again = Post("/open311/v2/servicerequestupdates.json", update);
  ASSERT_EQ(again.status, 200);
  EXPECT_EQ(first.body, again.body) << "a retry gets the same update_id";
  auto c = cases().FindByTracking(tracking);
  auto history = cases().History(c->id, true);
  int notes = 0;
  for (const auto& e : *history) {
    if (e.kind == "note") {
      ++notes;
      EXPECT_NE(e.comment.find("ما زال العمود مطفأً الليلة."), std::string::npos);
      EXPECT_NE(e.comment.find("OPEN"), std::string::npos);
      EXPECT_TRUE(e.internal);
    }
  }
  EXPECT_EQ(notes, 1);
  // Bad updates: an unknown request, a status outside the list, a missing field.
  Reply unknown = Post("/open311/v2/servicerequestupdates.json?lang=en",
                       With(update, "service_request_id", "HEB-26-999999-0"));
  EXPECT_EQ(unknown.status, 404);
  Reply status = Post("/open311/v2/servicerequestupdates.json?lang=en",
                      With(With(update, "status", "SOLVED"), "update_id", "fms-78"));
  EXPECT_EQ(status.status, 400);
  EXPECT_NE(status.body.find("status must be one of OPEN"), std::string::npos);
  Reply missing = Post("/open311/v2/servicerequestupdates.json?lang=en",
                       Without(With(update, "update_id", "fms-79"), "description"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("description was not provided"), std::string::npos);
  EXPECT_EQ(web().Count("open311_received_updates"), 1);
}

// Finding (issue 12): any key could add notes to every report of its municipality, and keys never
// expired. A key now updates only the reports filed with it unless issued for all of them, and
// is refused from its expiry on, with its own message.
TEST_F(Open311InputTest, AKeyUpdatesItsOwnReportsAndExpires) {
  const std::string tracking = FileLightReport();
  ASSERT_FALSE(tracking.empty());
  const auto update = UpdateOf(tracking, "app-1", "x");
  auto app = keys().Issue(hebron_.id, "Another app", hasher(), texts(), {}, kOpen311Now);
  auto utility =
      keys().Issue(hebron_.id, "Water utility", hasher(), texts(), {}, kOpen311Now, {90, true});
  ASSERT_TRUE(app.ok() && utility.ok());
  Reply other =
      Post("/open311/v2/servicerequestupdates.json?lang=en", With(update, "api_key", app->key));
  EXPECT_EQ(other.status, 403);
  EXPECT_NE(other.body.find("only to the requests filed with it"), std::string::npos) << other.body;
  EXPECT_EQ(web().Count("open311_received_updates"), 0) << "nothing stored";
  Reply partner = Post("/open311/v2/servicerequestupdates.json?lang=en",
                       With(With(update, "api_key", utility->key), "update_id", "w-1"));
  EXPECT_EQ(partner.status, 200) << partner.body;
  Reply own = Post("/open311/v2/servicerequestupdates.json?lang=en", update);
  EXPECT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(web().Count("open311_received_updates"), 2);
  // 90 days on, the utility's key is refused and says why; the default key lives a year.
  web().clock().Set(kOpen311Now + 90LL * 86'400'000);
  Reply late = Post("/open311/v2/servicerequestupdates.json?lang=en",
                    With(With(update, "api_key", utility->key), "update_id", "w-2"));
  EXPECT_EQ(late.status, 403);
  EXPECT_NE(late.body.find("has expired"), std::string::npos) << late.body;
  EXPECT_EQ(Post("/open311/v2/requests.json", LightReport()).status, 200);
  EXPECT_EQ(web().Count("open311_received_updates"), 2);
}

// Finding (issue 12): discovery echoed the request's Host, so anyone could make it (and a cache
// in front of it) name their own server. Without a public address it names the path alone.
class Open311NoPublicUrlTest : public testing::Open311WebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = Open311WebTest::Options();
    o.settings["public-url"] = "";
    return o;
  }
};

TEST_F(Open311NoPublicUrlTest, DiscoveryNeverEchoesTheHost) {
  for (const char* format : {"json", "xml"}) {
    http::testing::RawClient c(port());
    c.Send(std::string("GET /open311/v2/discovery.") + format +
           " HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
    const std::string res = c.ReadResponse();
    ASSERT_EQ(http::testing::RawClient::Status(res), 200) << res;
    const std::string body = http::testing::RawClient::Body(res);
    EXPECT_EQ(body.find("evil.example"), std::string::npos) << body;
    EXPECT_NE(body.find("/open311/v2"), std::string::npos) << body;
  }
}

}  // namespace
}  // namespace baladiya::open311
