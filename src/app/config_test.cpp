#include "app/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cases/web_test_fixture.h"
#include "identity/testing.h"
#include "notify/test_support.h"
#include "open311/web_test_fixture.h"

namespace baladiya::app {
namespace {

TEST(Config, FlagBeatsEnvBeatsFileBeatsDefault) {
  auto path = std::filesystem::temp_directory_path() /
              ("baladiya-config-test-" + std::to_string(::getpid()) + ".conf");
  {
    std::ofstream f(path);
    f << "# comment\nport = 7001\nthreads = 3\nlog-level = debug\n";
  }
  auto loaded = LoadConfig({"--port", "7003", "--config", path.string(), "--demo"},
                           {"BALADIYA_PORT=7002", "BALADIYA_THREADS=2", "HOME=/x"});
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->config.port, 7003);
  EXPECT_EQ(loaded->sources["port"], "flag");
  EXPECT_EQ(loaded->config.threads, 2);
  EXPECT_EQ(loaded->sources["threads"], "env");
  EXPECT_EQ(loaded->config.log_level, "debug");
  EXPECT_EQ(loaded->sources["log-level"], "file");
  EXPECT_EQ(loaded->config.address, "127.0.0.1");
  EXPECT_EQ(loaded->rest, std::vector<std::string>{"--demo"});
  std::filesystem::remove(path);
}

TEST(Config, EqualsFormAndBooleans) {
  auto loaded = LoadConfig({"--port=0", "--hsts=true", "--synchronous=full"}, {});
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->config.port, 0);
  EXPECT_TRUE(loaded->config.hsts);
  EXPECT_EQ(loaded->config.synchronous, "full");
}

TEST(Config, BadValuesAreClearErrors) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> env;
    const char* mentions;
  } cases[] = {
      {{"--port", "http"}, {}, "port"},
      {{"--port", "70000"}, {}, "port"},
      {{"--port"}, {}, "--port needs a value"},
      {{"--synchronous", "sometimes"}, {}, "synchronous"},
      {{}, {"BALADIYA_THREADS=0"}, "threads (env)"},
      {{"--log-level", "loud"}, {}, "log-level"},
      {{"--config", "/nonexistent/baladiya.conf"}, {}, "cannot read config file"},
  };
  for (const auto& c : cases) {
    auto loaded = LoadConfig(c.args, c.env);
    ASSERT_FALSE(loaded.ok()) << c.mentions;
    EXPECT_NE(loaded.error().detail.find(c.mentions), std::string::npos) << loaded.error().detail;
  }
}

TEST(Config, MapSettings) {
  auto defaults = LoadConfig({}, {});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->config.map_tiles_url, "");  // no map unless a tile server is named
  EXPECT_NE(defaults->config.map_centres.find("hebron=31.5326,35.0998"), std::string::npos);
  auto loaded = LoadConfig({"--map-tiles-url", "https://tiles.example.ps/{z}/{x}/{y}{r}.png",
                            "--map-centres=jenin=32.4607,35.2953"},
                           {"BALADIYA_MAP_ATTRIBUTION=© OpenStreetMap contributors"});
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  EXPECT_EQ(loaded->config.map_tiles_url, "https://tiles.example.ps/{z}/{x}/{y}{r}.png");
  EXPECT_EQ(loaded->config.map_attribution, "© OpenStreetMap contributors");
  EXPECT_EQ(loaded->config.map_centres, "jenin=32.4607,35.2953");
  EXPECT_EQ(loaded->sources["map-attribution"], "env");
}

TEST(Config, BadMapSettingsSayWhatIsWrong) {
  struct Case {
    std::vector<std::string> args;
    const char* mentions;
  } cases[] = {
      {{"--map-tiles-url", "tiles.example.ps/{z}/{x}/{y}.png"},
       "map-tiles-url (flag): tiles.example.ps/{z}/{x}/{y}.png — not a tile URL template the map "
       "can use: it must start with https://"},
      {{"--map-tiles-url", "https://{s}.tile.example.ps/{z}/{x}/{y}.png"},
       "the host must be written out"},
      {{"--map-tiles-url", "https://tiles.example.ps/{z}/{x}.png"},
       "{z}, {x} and {y} exactly once (e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png)"},
      {{"--map-tiles-url", "https://tiles.example.ps/{z}/{x}/{y}.png; img-src *"}, "spaces"},
      {{"--map-centres", "hebron=131,35"},
       "map-centres (flag): hebron=131,35 — 'hebron=131,35' "
       "needs a latitude within ±90"},
      {{"--map-attribution", std::string(301, 'x')}, "— at most 300 bytes"},
  };
  for (const auto& c : cases) {
    auto loaded = LoadConfig(c.args, {});
    ASSERT_FALSE(loaded.ok()) << c.mentions;
    EXPECT_NE(loaded.error().detail.find(c.mentions), std::string::npos) << loaded.error().detail;
  }
}

TEST(Config, PrintConfigMasksSecrets) {
  auto loaded = LoadConfig({"--database", "postgresql://app:s3cret@db.internal:5432/baladiya"}, {});
  ASSERT_TRUE(loaded.ok());
  std::string text = DescribeConfig(*loaded);
  EXPECT_EQ(text.find("s3cret"), std::string::npos);
  EXPECT_NE(text.find("database = postgresql://app:****@db.internal:5432/baladiya  (flag)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("port = 8080  (default)"), std::string::npos);
  EXPECT_EQ(MaskSecret("var/baladiya.db"), "var/baladiya.db");
  EXPECT_EQ(MaskSecret("postgresql://app@host/db"), "postgresql://app@host/db");
}

// The settings each module's web tests run with (their test support headers) are `baladiya
// serve`'s defaults, but for the few a test chooses on purpose.
TEST(Config, ModulesAreTestedWithTheProgramsDefaults) {
  const auto defaults = SettingValues(Config{});
  const std::map<std::string, std::string> chosen = {
      {"hash-threads", "2"},                          // two hashing threads, whatever the cores
      {"public-url", "https://baladiya.example.ps"},  // Open311's discovery names it
  };
  std::map<std::string, std::string> tested = identity::testing::Settings();
  tested.merge(notify::testing::Settings());
  tested.merge(cases::testing::Settings());
  tested.merge(open311::testing::Settings());
  EXPECT_GE(tested.size(), 15u);
  for (const auto& [name, value] : tested) {
    ASSERT_TRUE(defaults.count(name)) << name << " is not a setting of the program";
    auto it = chosen.find(name);
    EXPECT_EQ(value, it != chosen.end() ? it->second : defaults.at(name)) << name;
  }
}

}  // namespace
}  // namespace baladiya::app
