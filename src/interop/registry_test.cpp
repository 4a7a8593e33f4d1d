// The civil registry client against a registry of the tests' own on loopback: what it sends
// (only the fields needed, the X-Road headers), its verdicts, and its failures: slow (time limit,
// retries), down (retries with back-off, then the circuit breaker), malformed, wrong and
// oversized answers (never a verdict), and the cache.
#include "interop/registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "interop/registry_test_support.h"

namespace baladiya::interop {
namespace {

using testing::CivilRegistry;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.Add("401234570", {"سلمى خليل", "1990-04-21"});
    o_.security_server = registry_.url();
    o_.client = testing::kOurClient;
    o_.service = testing::kRegistryService;
    o_.legal_basis = "test";
    o_.timeout_ms = 300;
    o_.retries = 2;
    o_.backoff_ms = 20;
    o_.breaker_failures = 2;
    o_.breaker_open_ms = 60'000;
  }
  PersonQuery Salma(std::string birth = "1990-04-21") {
    return {"401234570", "سلمى خليل", birth, "acct-salma"};
  }
  // The client's clock: a test moves it to half-open the breaker or expire the cache.
  int64_t now_ = 1'000'000;
  RegistryClient Client() {
    return RegistryClient(o_, [this] { return now_; });
  }
  CivilRegistry registry_;
  RegistryOptions o_;
};

TEST_F(RegistryTest, AMatchIsVerifiedAndOnlyTheNeededFieldsAreSent) {
  RegistryClient c = Client();
  RegistryAnswer a = c.Check(Salma());
  EXPECT_EQ(a.verdict, Verdict::kVerified);
  EXPECT_EQ(a.attempts, 1);
  EXPECT_EQ(a.http_status, 200);
  EXPECT_EQ(a.request_hash.size(), 64u);
  EXPECT_EQ(a.response_hash.size(), 64u);
  auto got = registry_.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].client, testing::kOurClient);
  EXPECT_EQ(got[0].user_id, "acct-salma");
  EXPECT_EQ(got[0].xroad_id, a.xroad_id);
  EXPECT_EQ(got[0].fields, (std::vector<std::string>{"nationalId", "name", "birthDate"}));
}

TEST_F(RegistryTest, ANameThatMatchesWithABirthDateThatDoesNotIsAMismatch) {
  RegistryClient c = Client();
  RegistryAnswer a = c.Check(Salma("1990-04-22"));
  EXPECT_EQ(a.verdict, Verdict::kMismatch);
  EXPECT_EQ(a.mismatch, "birth_date");
  PersonQuery other = Salma();
  other.name = "سلمى أحمد";
  EXPECT_EQ(c.Check(other).mismatch, "name");
  other.national_id = "900000019";
  EXPECT_EQ(c.Check(other).verdict, Verdict::kNotFound);
}

TEST_F(RegistryTest, AnswersAreCachedForTheSetTime) {
  RegistryClient c = Client();
  EXPECT_FALSE(c.Check(Salma()).cached);
  RegistryAnswer again = c.Check(Salma());
  EXPECT_TRUE(again.cached);
  EXPECT_EQ(again.verdict, Verdict::kVerified);
  EXPECT_EQ(registry_.calls(), 1);
  now_ += o_.cache_ms + 1;
  EXPECT_FALSE(c.Check(Salma()).cached);
  EXPECT_EQ(registry_.calls(), 2);
}

TEST_F(RegistryTest, ARegistryThatNeverAnswersInTimeIsRetriedThenUnavailable) {
  registry_.SetMode(CivilRegistry::Mode::kSlow, 1500);
  RegistryClient c = Client();
  const auto start = std::chrono::steady_clock::now();
  RegistryAnswer a = c.Check(Salma());
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(a.verdict, Verdict::kUnavailable);
  EXPECT_EQ(a.attempts, 3);
  // Three attempts of at most 300 ms and the back-off (20 + 40 ms), never the registry's 1.5 s.
  EXPECT_LT(took, std::chrono::milliseconds(1400));
  EXPECT_GE(took, std::chrono::milliseconds(900));
}

TEST_F(RegistryTest, ADownRegistryOpensTheBreakerWhichFailsFastThenHalfOpens) {
  registry_.SetMode(CivilRegistry::Mode::kDown);
  RegistryClient c = Client();
  RegistryAnswer a = c.Check(Salma());
  EXPECT_EQ(a.verdict, Verdict::kUnavailable);
  EXPECT_EQ(a.attempts, 3);
  EXPECT_EQ(a.http_status, 503);
  EXPECT_FALSE(c.BreakerOpen());
  EXPECT_EQ(c.Check(Salma()).verdict, Verdict::kUnavailable);
  EXPECT_TRUE(c.BreakerOpen());  // two failed checks in a row
  EXPECT_EQ(registry_.calls(), 6);
  RegistryAnswer fast = c.Check(Salma());
  EXPECT_TRUE(fast.short_circuited);
  EXPECT_EQ(fast.attempts, 0);
  EXPECT_EQ(registry_.calls(), 6);  // not asked
  // Back up, and the breaker's time over: one trial call closes it.
  registry_.SetMode(CivilRegistry::Mode::kNormal);
  now_ += o_.breaker_open_ms;
  EXPECT_EQ(c.Check(Salma()).verdict, Verdict::kVerified);
  EXPECT_FALSE(c.BreakerOpen());
}

TEST_F(RegistryTest, MalformedWrongAndOversizedAnswersAreNeverAVerdict) {
  for (auto mode : {CivilRegistry::Mode::kMalformed, CivilRegistry::Mode::kWrong,
                    CivilRegistry::Mode::kOversized}) {
    registry_.SetMode(mode);
    RegistryClient c = Client();
    const int before = registry_.calls();
    RegistryAnswer a = c.Check(Salma());
    EXPECT_EQ(a.verdict, Verdict::kUnavailable) << static_cast<int>(mode);
    EXPECT_EQ(a.attempts, 1) << "the registry would answer the same: no retry";
    EXPECT_EQ(registry_.calls(), before + 1);
    EXPECT_FALSE(c.Check(Salma()).cached) << "a failure is never cached";
  }
}

// What a check adds on loopback (a new connection and one exchange each; uncached): printed for
// docs/PERFORMANCE.md, and bounded far above it so a regression to seconds fails.
TEST_F(RegistryTest, ACheckOnLoopbackTakesAboutAMillisecond) {
  RegistryClient c = Client();
  constexpr int kChecks = 200;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kChecks; ++i) {
    PersonQuery q = Salma();
    q.name += std::to_string(i);  // never cached
    ASSERT_EQ(c.Check(q).verdict, Verdict::kMismatch);
  }
  const double us =
      std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
      kChecks;
  std::printf("registry check on loopback: %.0f us each (%d checks)\n", us, kChecks);
  EXPECT_LT(us, 50'000);
}

TEST_F(RegistryTest, NoRegistryConfiguredIsUnavailableWithoutACall) {
  o_.security_server = "";
  RegistryClient c = Client();
  RegistryAnswer a = c.Check(Salma());
  EXPECT_EQ(a.verdict, Verdict::kUnavailable);
  EXPECT_EQ(a.attempts, 0);
  EXPECT_EQ(registry_.calls(), 0);
}

TEST_F(RegistryTest, ARegistryThatIsNotListeningIsUnavailable) {
  o_.security_server = "http://127.0.0.1:1";
  RegistryClient c = Client();
  RegistryAnswer a = c.Check(Salma());
  EXPECT_EQ(a.verdict, Verdict::kUnavailable);
  EXPECT_EQ(a.attempts, 3);
  EXPECT_EQ(a.http_status, 0);
}

}  // namespace
}  // namespace baladiya::interop
