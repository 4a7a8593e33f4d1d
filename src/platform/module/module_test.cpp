#include "platform/module/module.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace baladiya::module {
namespace {

struct Part {
  explicit Part(std::vector<std::string>* log, std::string name)
      : log(log), name(std::move(name)) {}
  ~Part() { log->push_back("~" + name); }
  std::vector<std::string>* log;
  std::string name;
};
struct Other {
  int value = 0;
};

TEST(RegistryTest, GivesWhatWasProvidedAndDestroysInReverseOrder) {
  std::vector<std::string> log;
  {
    Registry r;
    EXPECT_EQ(r.Find<Part>(), nullptr);
    Part& first = r.Own(std::make_unique<Part>(&log, "first"));
    r.Keep(std::make_unique<Part>(&log, "kept"));
    Other other{7};
    r.Provide(&other);
    EXPECT_EQ(&r.Get<Part>(), &first);
    EXPECT_EQ(r.Get<Other>().value, 7);
  }
  EXPECT_EQ(log, (std::vector<std::string>{"~kept", "~first"}));
}

TEST(RegistryDeathTest, AWiringBugAbortsNamingTheType) {
  Registry r;
  EXPECT_DEATH(r.Get<Other>(), "wiring bug: .*Other.* not provided");
  Other a, b;
  r.Provide(&a);
  EXPECT_DEATH(r.Provide(&b), "provided twice");
}

TEST(SettingsTest, ReadsTextNumbersAndFlags) {
  Settings s(std::map<std::string, std::string, std::less<>>{
      {"port", "8080"}, {"hsts", "true"}, {"name", "x"}});
  EXPECT_EQ(s.Int("port"), 8080);
  EXPECT_TRUE(s.Bool("hsts"));
  EXPECT_EQ(s.Text("name"), "x");
  EXPECT_FALSE(s.Has("other"));
  s.Set("other", "false");
  EXPECT_FALSE(s.Bool("other"));
}

TEST(SettingsDeathTest, AnUnknownOrMalformedSettingIsAWiringBug) {
  Settings s(std::map<std::string, std::string, std::less<>>{{"port", "eighty"}});
  EXPECT_DEATH(s.Text("nope"), "setting 'nope' is not in the settings table");
  EXPECT_DEATH(s.Int("port"), "setting 'port' is not a number");
}

TEST(EveryTest, RunsUntilDestroyedThenOnceMoreAtStop) {
  std::atomic<int> runs{0};
  std::atomic<int> stops{0};
  auto w = Every(
      "test", std::chrono::milliseconds(1), [&] { ++runs; }, [&] { ++stops; });
  while (runs.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  w.reset();
  const int after = runs.load();
  EXPECT_GE(after, 3);
  EXPECT_EQ(stops.load(), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(runs.load(), after);  // stopped for good
}

}  // namespace
}  // namespace baladiya::module
