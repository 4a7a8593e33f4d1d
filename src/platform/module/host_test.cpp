// module::Host with two small modules of the test's own: migrations, message fragments,
// templates, OpenAPI fragments, the phases in order, routes served with error pages, commands.
#include "platform/module/host.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "platform/http/test_client.h"
#include "platform/render/page.h"

namespace baladiya::module {
namespace {

using http::testing::RawClient;

constexpr EmbeddedFile kNotesMessages[] = {
    {"ar.json", R"({"notes": {"title": "ملاحظات", "empty": "لا ملاحظات"}})"},
    {"en.json", R"({"notes": {"title": "Notes", "empty": "No notes"}})"},
};
constexpr EmbeddedFile kNotesTemplates[] = {
    {"notes-list.tpl",
     "{{%AUTOESCAPE context=\"HTML\"}}<h1>{{t_notes__title}}</h1>{{#NOTE}}<p>{{TEXT}}</p>"
     "{{/NOTE}}"},
};
constexpr EmbeddedFile kNotesOpenApi[] = {
    {"openapi.json",
     R"({"paths": {"/api/v1/notes": {"get": {"responses": {"200": {"description": "ok"}}}}},
         "components": {"schemas": {"Note": {"type": "string"}}}})"},
};
constexpr EmbeddedFile kTagsMessages[] = {
    {"ar.json", R"({"tags": {"title": "وسوم"}})"},
    {"en.json", R"({"tags": {"title": "Tags"}})"},
};
// Describes the notes' path again, differently.
constexpr EmbeddedFile kClashingOpenApi[] = {
    {"openapi.json",
     R"({"paths": {"/api/v1/notes": {"post": {"responses": {"200": {"description": "x"}}}}}})"},
};
// Holds a key of the notes' fragment.
constexpr EmbeddedFile kClashingMessages[] = {
    {"ar.json", R"({"notes": {"title": "غير ذلك"}})"},
    {"en.json", R"({"notes": {"title": "Other"}})"},
};

struct NoteStore {
  explicit NoteStore(db::Database& db) : db(db) {}
  db::Database& db;
};

class HostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("baladiya-host-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  HostOptions Options() {
    HostOptions o;
    o.database.url = (dir_ / "t.db").string();
    o.key_file = (dir_ / "keys").string();
    o.settings = Settings(std::map<std::string, std::string, std::less<>>{{"greeting", "hello"}});
    o.now_ms = [] { return int64_t{1'700'000'000'000}; };
    return o;
  }

  // A module keeping notes: a table, a page, an API route described in its fragment.
  Module Notes() {
    Module m;
    m.name = "notes";
    m.migrations = [] {
      return std::vector<db::Migration>{
          {9001, "9001_notes", "CREATE TABLE notes (id ${ID}, text TEXT NOT NULL);"}};
    };
    m.messages = [] { return std::span<const EmbeddedFile>(kNotesMessages); };
    m.templates = [] { return std::span<const EmbeddedFile>(kNotesTemplates); };
    m.openapi = [] { return std::span<const EmbeddedFile>(kNotesOpenApi); };
    m.open = [this](Context& ctx) {
      phases_.push_back("notes.open");
      ctx.parts.Own(std::make_unique<NoteStore>(ctx.db));
      return Ok();
    };
    m.routes = [this](Context& ctx) {
      phases_.push_back("notes.routes");
      const render::Site& site = ctx.site;
      NoteStore& store = ctx.parts.Get<NoteStore>();
      ctx.web->router.Get("/notes", [&site, &store](http::Request& req) {
        render::Page page(site, req, "notes-list.tpl");
        auto rows = store.db.Query("SELECT text FROM notes ORDER BY id");
        if (rows.ok()) {
          for (const auto& row : *rows) {
            page.body().AddSectionDictionary("NOTE")->SetValue("TEXT", row.Text(0));
          }
        }
        return page.Finish(200);
      });
      ctx.web->middleware.push_back([](http::Request& req, const http::Handler& next) {
        http::Response res = next(req);
        res.headers.Set("x-notes", "seen");
        return res;
      });
      return Ok();
    };
    m.workers = [this](Context&) -> Result<std::vector<std::unique_ptr<Worker>>> {
      phases_.push_back("notes.workers");
      std::vector<std::unique_ptr<Worker>> out;
      out.push_back(Every(
          "notes", std::chrono::hours(1), [] {}, [this] { phases_.push_back("notes.stopped"); }));
      return out;
    };
    m.seed_demo = [](Context& ctx) {
      return ctx.db.Write([](db::Tx& tx) -> Status {
        auto r = tx.Exec("INSERT INTO notes (text) VALUES (?)", {std::string("<first & only>")});
        if (!r.ok()) return std::move(r).error();
        return Ok();
      });
    };
    m.commands = {{"notes", "  notes count              how many notes\n",
                   [](Context& ctx, const std::vector<std::string>& args) {
                     auto rows = ctx.db.Query("SELECT count(*) FROM notes");
                     return rows.ok() && args.size() == 1 ? static_cast<int>((*rows)[0].Int(0))
                                                          : 99;
                   }}};
    return m;
  }

  // A module that uses the notes' store.
  Module Tags() {
    Module m;
    m.name = "tags";
    m.messages = [] { return std::span<const EmbeddedFile>(kTagsMessages); };
    m.open = [this](Context& ctx) {
      phases_.push_back("tags.open");
      (void)ctx.parts.Get<NoteStore>();
      EXPECT_EQ(ctx.settings.Text("greeting"), "hello");
      EXPECT_EQ(ctx.now_ms(), 1'700'000'000'000);
      return Ok();
    };
    m.routes = [this](Context&) {
      phases_.push_back("tags.routes");
      return Ok();
    };
    return m;
  }

  std::filesystem::path dir_;
  std::vector<std::string> phases_;
};

TEST_F(HostTest, BuildsTheProgramFromItsModulesPhaseByPhase) {
  auto host = Host::Open({Notes(), Tags()}, Options());
  ASSERT_TRUE(host.ok()) << host.error().detail;
  Host& h = **host;
  EXPECT_EQ(phases_, (std::vector<std::string>{"notes.open", "tags.open"}));
  EXPECT_TRUE(h.db().Query("SELECT count(*) FROM notes").ok());  // the migration ran
  EXPECT_EQ(h.site().catalog->Get(i18n::Lang::kEn, "tags.title"), "Tags");
  EXPECT_EQ(h.site().catalog->Get(i18n::Lang::kAr, "notes.title"), "ملاحظات");
  EXPECT_EQ(h.site().catalog->Get(i18n::Lang::kEn, "error.not_found.title"),
            h.site().catalog->Get(i18n::Lang::kEn, "error.not_found.title"));
  EXPECT_TRUE(h.site().catalog->Has(i18n::Lang::kEn, "error.not_found.title"));  // the platform's

  ASSERT_TRUE(h.SeedDemo().ok());
  ASSERT_NE(h.FindCommand("notes"), nullptr);
  EXPECT_EQ(h.FindCommand("notes")->run(h.context(), {"count"}), 1);
  EXPECT_EQ(h.FindCommand("other"), nullptr);
  EXPECT_NE(CommandUsage({Notes(), Tags()}).find("notes count"), std::string::npos);

  ASSERT_TRUE(h.BuildWeb({}).ok());
  EXPECT_EQ(phases_.back(), "tags.routes");
  http::ServerOptions so;
  so.port = 0;
  http::Server server(so, h.Handler());
  h.Attach(server);
  ASSERT_TRUE(server.Listen().ok());
  std::thread t([&] { server.Run(false); });

  std::string page = RawClient::Get(server.port(), "/notes?lang=en");
  EXPECT_EQ(RawClient::Status(page), 200);
  EXPECT_NE(page.find("<h1>Notes</h1>"), std::string::npos) << page;
  EXPECT_NE(page.find("&lt;first &amp; only&gt;"), std::string::npos);
  EXPECT_EQ(RawClient::Header(page, "x-notes"), "seen");
  EXPECT_NE(page.find("lang=\"en\""), std::string::npos);

  std::string missing = RawClient::Get(server.port(), "/nothing-here");
  EXPECT_EQ(RawClient::Status(missing), 404);
  EXPECT_NE(missing.find("lang=\"ar\""), std::string::npos);
  EXPECT_EQ(RawClient::Status(RawClient::Get(server.port(), "/healthz")), 200);

  std::string doc = RawClient::Get(server.port(), "/api/v1/openapi.json");
  ASSERT_EQ(RawClient::Status(doc), 200);
  auto json = boost::json::parse(doc.substr(doc.find("\r\n\r\n") + 4));
  EXPECT_TRUE(json.at("paths").as_object().contains("/api/v1/notes"));
  EXPECT_TRUE(json.at("paths").as_object().contains("/api/v1/openapi.json"));
  EXPECT_TRUE(json.at("components").at("schemas").as_object().contains("Note"));
  EXPECT_TRUE(json.at("components").at("schemas").as_object().contains("Error"));

  ASSERT_TRUE(h.StartWorkers().ok());
  h.StopWorkers();
  EXPECT_EQ(phases_.back(), "notes.stopped");
  server.Stop();
  t.join();
}

TEST_F(HostTest, RefusesTwoModulesDescribingOnePathDifferently) {
  Module clash = Tags();
  clash.openapi = [] { return std::span<const EmbeddedFile>(kClashingOpenApi); };
  auto host = Host::Open({Notes(), clash}, Options());
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.error().detail.find("/api/v1/notes"), std::string::npos) << host.error().detail;
}

TEST_F(HostTest, RefusesAMessageKeyInTwoFragments) {
  Module clash = Tags();
  clash.messages = [] { return std::span<const EmbeddedFile>(kClashingMessages); };
  auto host = Host::Open({Notes(), clash}, Options());
  ASSERT_FALSE(host.ok());
  EXPECT_NE(host.error().detail.find("notes.title"), std::string::npos) << host.error().detail;
}

TEST_F(HostTest, AModuleThatFailsToOpenIsNamed) {
  Module broken = Tags();
  broken.open = [](Context&) -> Status {
    return MakeError(ErrorCode::kUnavailable, "error.busy", "gateway down");
  };
  auto host = Host::Open({Notes(), broken}, Options());
  ASSERT_FALSE(host.ok());
  EXPECT_EQ(host.error().detail, "tags: gateway down");
}

}  // namespace
}  // namespace baladiya::module
