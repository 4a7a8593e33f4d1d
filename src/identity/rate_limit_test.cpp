// RateLimiter with explicit times (no sleeping).
#include <gtest/gtest.h>

#include <string>

#include "identity/identity.h"

namespace baladiya::identity {
namespace {

using std::chrono::seconds;

constexpr int64_t kT0 = 1'700'000'000'000;  // an arbitrary start, in ms
constexpr int64_t kSec = 1000;

RateLimiter::Rule TestRule() {
  RateLimiter::Rule r;
  r.burst = 3;
  r.window = seconds(60);
  r.first_backoff = seconds(10);
  r.max_backoff = seconds(80);
  return r;
}

TEST(RateLimiter, AllowsTheBurstThenBacksOffDoubling) {
  RateLimiter limiter(TestRule());
  const std::string key = "ip:10.0.0.1";
  EXPECT_EQ(limiter.RetryAfter(key, kT0), 0);
  for (int i = 0; i < 3; ++i) {
    limiter.Failure(key, kT0 + i * kSec);
    EXPECT_EQ(limiter.RetryAfter(key, kT0 + i * kSec), 0) << "failure " << i + 1;
  }
  // The fourth failure within the window blocks for first_backoff.
  limiter.Failure(key, kT0 + 3 * kSec);
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 3 * kSec), 10);
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 3 * kSec + 500), 10);  // rounded up
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 12 * kSec + 1), 1);
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 13 * kSec), 0);
  // Each further failure doubles: 20, 40, 80, then capped at 80.
  int64_t t = kT0 + 13 * kSec;
  for (int64_t expected : {20, 40, 80, 80}) {
    limiter.Failure(key, t);
    EXPECT_EQ(limiter.RetryAfter(key, t), expected);
    t += expected * kSec;
    EXPECT_EQ(limiter.RetryAfter(key, t), 0);
  }
}

TEST(RateLimiter, KeysAreIndependent) {
  RateLimiter limiter(TestRule());
  for (int i = 0; i < 4; ++i) limiter.Failure("account:1", kT0);
  EXPECT_GT(limiter.RetryAfter("account:1", kT0), 0);
  EXPECT_EQ(limiter.RetryAfter("account:2", kT0), 0);
  EXPECT_EQ(limiter.RetryAfter("ip:10.0.0.1", kT0), 0);
}

TEST(RateLimiter, FailuresOutsideTheWindowAreForgotten) {
  RateLimiter limiter(TestRule());
  const std::string key = "login:abc";
  // Three failures, then a quiet minute, then three more: never blocked.
  for (int i = 0; i < 3; ++i) limiter.Failure(key, kT0 + i * kSec);
  for (int i = 0; i < 3; ++i) {
    const int64_t t = kT0 + 70 * kSec + i * kSec;
    limiter.Failure(key, t);
    EXPECT_EQ(limiter.RetryAfter(key, t), 0);
  }
  limiter.Failure(key, kT0 + 74 * kSec);
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 74 * kSec), 10);
}

TEST(RateLimiter, BackOffLevelIsForgottenAfterAQuietWindow) {
  RateLimiter limiter(TestRule());
  const std::string key = "ip:10.0.0.2";
  for (int i = 0; i < 5; ++i) limiter.Failure(key, kT0);  // blocked 10 s, then 20 s
  EXPECT_EQ(limiter.RetryAfter(key, kT0), 20);
  // Right after the block a failure escalates again (40 s)...
  limiter.Failure(key, kT0 + 21 * kSec);
  EXPECT_EQ(limiter.RetryAfter(key, kT0 + 21 * kSec), 40);
  // ...but a window of quiet after the block ends starts afresh: the burst is allowed again.
  const int64_t later = kT0 + (21 + 40 + 61) * kSec;
  for (int i = 0; i < 3; ++i) limiter.Failure(key, later);
  EXPECT_EQ(limiter.RetryAfter(key, later), 0);
}

TEST(RateLimiter, SuccessClearsTheKey) {
  RateLimiter limiter(TestRule());
  const std::string key = "account:9";
  for (int i = 0; i < 4; ++i) limiter.Failure(key, kT0);
  EXPECT_GT(limiter.RetryAfter(key, kT0), 0);
  limiter.Success(key);
  EXPECT_EQ(limiter.RetryAfter(key, kT0), 0);
  for (int i = 0; i < 3; ++i) limiter.Failure(key, kT0);
  EXPECT_EQ(limiter.RetryAfter(key, kT0), 0);
}

TEST(RateLimiter, ForgottenKeysAreSweptAway) {
  RateLimiter limiter(TestRule());
  for (int i = 0; i < 2000; ++i) limiter.Failure("ip:" + std::to_string(i), kT0);
  EXPECT_EQ(limiter.TrackedKeys(), 2000u);
  // Much later, new failures sweep the stale keys (every 1024 calls).
  const int64_t later = kT0 + 3600 * kSec;
  for (int i = 0; i < 1100; ++i) limiter.Failure("ip:new" + std::to_string(i), later);
  EXPECT_LE(limiter.TrackedKeys(), 1100u);
}

TEST(RateLimiter, ZeroBurstBlocksAtTheFirstFailure) {
  RateLimiter::Rule rule = TestRule();
  rule.burst = 0;
  RateLimiter limiter(rule);
  EXPECT_EQ(limiter.RetryAfter("k", kT0), 0);
  limiter.Failure("k", kT0);
  EXPECT_EQ(limiter.RetryAfter("k", kT0), 10);
}

}  // namespace
}  // namespace baladiya::identity
