// The test support itself: the harness (a module of the test's own served on port 0 with its seed,
// clock, settings and extra middleware, then cleaned up), the browser, the golden-file runner
// (which must report a difference) and the schema validator (which must be able to say no, or the
// API conformance tests prove nothing).
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"
#include "platform/testing/web_harness.h"

namespace baladiya::testing {
namespace {

namespace json = boost::json;

// A module of the test's own: a table of notes, a seedable row, a page that shows the notes, the
// clock and a setting, a form that adds a note, and middleware that marks the request.
module::Module Notes() {
  module::Module m;
  m.name = "notes";
  m.migrations = [] {
    return std::vector<db::Migration>{
        {9001, "9001_notes", "CREATE TABLE notes (id ${ID}, text TEXT NOT NULL);"}};
  };
  m.routes = [](module::Context& ctx) {
    db::Database& db = ctx.db;
    auto now = ctx.now_ms;
    const std::string greeting = ctx.settings.Text("greeting");
    ctx.web->router.Get("/notes", [&db, now, greeting](http::Request& req) {
      std::string body = greeting + " at " + std::to_string(now()) + ":";
      auto rows = db.Query("SELECT text FROM notes ORDER BY id");
      if (rows.ok()) {
        for (const auto& row : *rows) body += " " + row.Text(0);
      }
      body += " seen-by=" + req.attributes["seen"];
      return http::Response::Text(200, body);
    });
    ctx.web->router.Post("/notes", [&db](http::Request& req) {
      const http::Params form = req.Form();
      const std::string text(form.Get("text").value_or(""));
      Status st = db.Write([&](db::Tx& tx) -> Status {
        auto r = tx.Exec("INSERT INTO notes (text) VALUES (?)", {text});
        if (!r.ok()) return std::move(r).error();
        return Ok();
      });
      if (!st.ok()) return http::Response::Text(503, "no");
      http::Response res = http::Response::Redirect("/notes");
      res.headers.Add("set-cookie", "last=" + text + "; Path=/");
      return res;
    });
    ctx.web->middleware.push_back([](http::Request& req, const http::Handler& next) {
      req.attributes["seen"] = "module";
      return next(req);
    });
    return Ok();
  };
  return m;
}

class HarnessTest : public WebTest {
 protected:
  HarnessOptions Options() override {
    HarnessOptions o;
    o.modules = {Notes()};
    o.settings = {{"greeting", "hello"}};
    o.clock_ms = 1'773'565'200'000;
    o.seed = [](module::Host& host) {
      return host.db().Write([](db::Tx& tx) -> Status {
        auto r = tx.Exec("INSERT INTO notes (text) VALUES ('seeded')");
        if (!r.ok()) return std::move(r).error();
        return Ok();
      });
    };
    // After the module's own: it sees (and may override) what the module's middleware did.
    o.web.extra_middleware.push_back([](http::Request& req, const http::Handler& next) {
      req.attributes["seen"] += "+test";
      return next(req);
    });
    return o;
  }
};

TEST_F(HarnessTest, ServesTheModulesWithTheSeedTheClockTheSettingsAndTheExtraMiddleware) {
  Reply r = web().Get("/notes");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body, "hello at 1773565200000: seeded seen-by=module+test");
  web().clock().Advance(60'000);
  EXPECT_EQ(web().Get("/notes").body, "hello at 1773565260000: seeded seen-by=module+test");
  web().clock().Set(5);
  EXPECT_NE(web().Get("/notes").body.find("at 5:"), std::string::npos);
  // The host's own routes and error pages come with it.
  EXPECT_EQ(web().Get("/healthz").body, "ok\n");
  EXPECT_EQ(web().Get("/no-such-page").status, 404);
  EXPECT_EQ(web().Count("notes"), 1);
}

TEST_F(HarnessTest, TheBrowserKeepsCookiesAndSendsItsHeaders) {
  Browser b(port());
  std::string res = b.Post("/notes", {{"text", "second"}}, false);
  EXPECT_EQ(http::testing::RawClient::Status(res), 303) << res;
  EXPECT_EQ(b.Cookie("last"), "second");
  EXPECT_TRUE(b.HasCookie("last"));
  EXPECT_NE(b.Get("/notes").find("seeded second"), std::string::npos);
  b.SetHeader("X-Any", "1");
  EXPECT_EQ(http::testing::RawClient::Status(b.Get("/notes")), 200);
}

TEST_F(HarnessTest, RestartsAndServesAnotherNodeOnTheSameDatabase) {
  http::ServerOptions o;
  o.max_body_bytes = 10;
  ASSERT_TRUE(web().Restart(o).ok());
  EXPECT_NE(port(), 0);
  EXPECT_EQ(
      web()
          .Send("POST", "/notes", "", std::string(100, 'x'), "application/x-www-form-urlencoded")
          .status,
      413);
  auto node = web().AnotherNode({});
  ASSERT_TRUE(node.ok()) << node.error().detail;
  ASSERT_EQ(Send((*node)->port(), "POST", "/notes", "", "text=elsewhere",
                 "application/x-www-form-urlencoded")
                .status,
            303);
  EXPECT_NE(web().Get("/notes").body.find("seeded elsewhere"), std::string::npos);
}

TEST(Harness, CleansUpAndSaysWhichStepFailed) {
  HarnessOptions o;
  o.modules = {Notes()};
  o.settings = {{"greeting", "hi"}};
  o.name = "cleanup";
  std::filesystem::path dir;
  {
    auto h = WebHarness::Start(o);
    ASSERT_TRUE(h.ok()) << h.error().detail;
    dir = (*h)->dir();
    EXPECT_TRUE(std::filesystem::exists(dir / "t.db"));
    EXPECT_TRUE(std::filesystem::exists(dir / "keys"));
    EXPECT_FALSE((*h)->clock().fixed());  // no clock_ms: the system clock
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  o.seed = [](module::Host&) -> Status {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "no seed today");
  };
  auto failed = WebHarness::Start(o);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().detail, "seeding: no seed today");
}

TEST(Clock, FollowsTheSystemClockUntilSetThenStandsStill) {
  Clock c;
  const int64_t before = Clock::SystemNow();
  EXPECT_GE(c.Now(), before);
  EXPECT_FALSE(c.fixed());
  c.Set(1000);
  EXPECT_EQ(c.Now(), 1000);
  c.Advance(500);
  EXPECT_EQ(c.Now(), 1500);
  Clock d;
  d.Advance(1);
  EXPECT_TRUE(d.fixed());
  EXPECT_GE(d.Now(), before + 1);
}

TEST(GoldenFiles, ParseTheRequestAndTheExpectedAnswer) {
  GoldenFile g;
  std::string why;
  ASSERT_TRUE(ParseGolden(
      "# a comment\nPOST /x?y=1\nContent-Type: a/b\nX-K: v\n\nbody=1\n=== response\n201 "
      "application/json\n{\"a\": 1}\n",
      g, why))
      << why;
  EXPECT_EQ(g.comments, "# a comment\n");
  EXPECT_EQ(g.method, "POST");
  EXPECT_EQ(g.target, "/x?y=1");
  ASSERT_EQ(g.headers.size(), 2u);
  EXPECT_EQ(g.headers[1].second, "v");
  EXPECT_EQ(g.body, "body=1");
  EXPECT_EQ(g.status, 201);
  EXPECT_EQ(g.content_type, "application/json");
  EXPECT_EQ(g.expected, "{\"a\": 1}\n");
  struct Bad {
    const char* text;
    const char* why;
  } bad[] = {{"GET /\n", "no '=== response' line"},
             {"# only\n=== response\n200 text/plain\n", "no request line"},
             {"GET /\nNoColon\n\n=== response\n200 x\n", "bad header line: NoColon"},
             {"GET /\n=== response\nok\n", "no status after the response marker"}};
  for (const auto& b : bad) {
    GoldenFile x;
    EXPECT_FALSE(ParseGolden(b.text, x, why)) << b.text;
    EXPECT_EQ(why, b.why);
  }
  // A new file holds its request alone until its answer is written.
  GoldenFile fresh;
  EXPECT_TRUE(ParseGolden("# new\nGET /y\n", fresh, why, true)) << why;
  EXPECT_EQ(fresh.target, "/y");
  EXPECT_EQ(fresh.request_text, "# new\nGET /y\n");
  EXPECT_FALSE(ParseGolden("# new\nGET /y\n", fresh, why));
  EXPECT_EQ(PrettyJson(R"({"a":[1,{}],"b":"x,{y}"})"),
            "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": \"x,{y}\"\n}");
}

class GoldenRunnerTest : public HarnessTest {
 protected:
  void SetUp() override {
    HarnessTest::SetUp();
    folder_ = web().dir() / "golden";
    std::filesystem::create_directories(folder_);
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(folder_ / name, std::ios::binary) << text;
  }
  std::filesystem::path folder_;
};

TEST_F(GoldenRunnerTest, RunsEachFileSubstitutesMasksAndReportsDifferences) {
  Write("010-add.golden",
        "POST /notes\nContent-Type: application/x-www-form-urlencoded\n\ntext={{word}}\n"
        "=== response\n303 \n");
  Write("020-list.golden",
        "GET /notes\n=== response\n200 text/plain; charset=utf-8\n"
        "hello at {{time}}: seeded golden seen-by=module+test");
  GoldenOptions o;
  o.folder = folder_.string();  // absolute: the source folder is not prepended
  o.at_least = 2;
  o.values = {{"word", "golden"}};
  o.masks = {{"at [0-9]+:", "at {{time}}:"}};
  std::vector<int> statuses;
  o.observe = [&](const GoldenFile&, const Reply& r, std::map<std::string, std::string>& values) {
    statuses.push_back(r.status);
    values["learned"] = "x";
  };
  EXPECT_EQ(RunGoldenFiles(port(), o), 2u);
  EXPECT_EQ(statuses, (std::vector<int>{303, 200}));
  std::filesystem::remove(folder_ / "010-add.golden");  // one note is enough
  // A file that no longer matches is a failure naming what differs.
  Write("030-wrong.golden", "GET /notes\n=== response\n200 text/plain; charset=utf-8\nbye");
  EXPECT_NONFATAL_FAILURE(RunGoldenFiles(port(), o), "bye");
  Write("030-wrong.golden", "GET /healthz\n=== response\n404 text/plain; charset=utf-8\nok\n");
  EXPECT_NONFATAL_FAILURE(RunGoldenFiles(port(), o), "404");
  std::filesystem::remove(folder_ / "030-wrong.golden");
  o.at_least = 10;
  EXPECT_NONFATAL_FAILURE(RunGoldenFiles(port(), o), "golden files missing");
}

TEST_F(GoldenRunnerTest, UpdatingRewritesTheAnswersAndKeepsTheRequests) {
  Write("010-list.golden", "# what it shows\nGET /notes\n=== response\n500 text/plain\nold\n");
  GoldenOptions o;
  o.folder = folder_.string();
  o.masks = {{"at [0-9]+:", "at {{time}}:"}};
  ASSERT_EQ(::setenv("BALADIYA_GOLDEN_UPDATE", "1", 1), 0);
  RunGoldenFiles(port(), o);
  ::unsetenv("BALADIYA_GOLDEN_UPDATE");
  std::ifstream in(folder_ / "010-list.golden");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text,
            "# what it shows\nGET /notes\n=== response\n200 text/plain; charset=utf-8\n"
            "hello at {{time}}: seeded seen-by=module+test");
  RunGoldenFiles(port(), o);  // and now it passes
}

// The validator must be able to say no, or the conformance tests prove nothing.
TEST(ApiSchemaValidator, AcceptsWhatTheSchemaAllowsAndRefusesTheRest) {
  const json::value doc = json::parse(R"({"components": {"schemas": {
      "Text": {"type": "object", "required": ["ar", "en"], "additionalProperties": false,
               "properties": {"ar": {"type": "string"}, "en": {"type": "string"}}}}}})");
  SchemaValidator v(doc);
  struct Case {
    const char* schema;
    const char* instance;
    bool valid;
  } cases[] = {
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "نص", "en": "text"})", true},
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "نص"})", false},
      {R"({"$ref": "#/components/schemas/Text"})", R"({"ar": "", "en": "", "fr": ""})", false},
      {R"({"$ref": "#/components/schemas/Nope"})", R"({})", false},
      {R"({"type": "integer", "minimum": 1, "maximum": 3})", "2", true},
      {R"({"type": "integer", "minimum": 1})", "0", false},
      {R"({"type": "integer", "maximum": 3})", "4", false},
      {R"({"type": "integer"})", "2.5", false},
      {R"({"type": "integer"})", R"("2")", false},
      {R"({"type": ["string", "null"], "format": "date-time"})", "null", true},
      {R"({"type": ["string", "null"], "format": "date-time"})", R"("2026-03-01T08:00:00Z")", true},
      {R"({"type": "string", "format": "date-time"})", R"("2026-03-01 08:00")", false},
      {R"({"type": "string", "format": "email"})", R"("a@b.ps")", false},
      {R"({"enum": ["web", "api"]})", R"("api")", true},
      {R"({"enum": ["web", "api"]})", R"("fax")", false},
      {R"({"const": "invalid"})", R"("conflict")", false},
      {R"({"type": "string", "pattern": "^[A-Z]{3}$"})", R"("ILS")", true},
      {R"({"type": "string", "pattern": "^[A-Z]{3}$"})", R"("ils")", false},
      {R"({"type": "string", "maxLength": 3})", R"("نصوص")", false},
      {R"({"type": "string", "maxLength": 4})", R"("نصوص")", true},
      {R"({"type": "array", "items": {"type": "string"}, "minItems": 1})", R"(["a", 1])", false},
      {R"({"type": "array", "minItems": 1})", "[]", false},
      {R"({"type": "array", "maxItems": 1})", "[1, 2]", false},
      {R"({"type": "object", "additionalProperties": {"type": "string"}})", R"({"a": "x"})", true},
      {R"({"type": "object", "additionalProperties": {"type": "string"}})", R"({"a": 1})", false},
      {R"({"anyOf": [{"type": "string"}, {"type": "boolean"}]})", "true", true},
      {R"({"anyOf": [{"type": "string"}, {"type": "boolean"}]})", "1", false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "number"}]})", "1", false},
      {R"({"oneOf": [{"type": "integer"}, {"type": "string"}]})", "1", true},
      {R"({"allOf": [{"type": "object"}, {"required": ["x"]}]})", R"({"y": 1})", false},
      {R"({"not": {"required": ["fields"]}})", R"({"fields": {}})", false},
      {R"({"type": "string", "nullable": true})", R"("x")", false},  // an unknown keyword
  };
  for (const auto& c : cases) {
    auto problems = v.Validate(json::parse(c.schema), json::parse(c.instance));
    EXPECT_EQ(problems.empty(), c.valid) << c.schema << " " << c.instance << "\n"
                                         << (problems.empty() ? "" : problems[0]);
  }
}

}  // namespace
}  // namespace baladiya::testing
