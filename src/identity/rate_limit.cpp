// RateLimiter (identity.h): failures counted per key in a sliding window; past the burst, each
// further failure blocks the key for a back-off that doubles (first_backoff, 2x, 4x, ... capped at
// max_backoff). The back-off level is forgotten after a quiet window following the last block, or
// at once on Success.
#include <algorithm>

#include "identity/identity.h"

namespace baladiya::identity {
namespace {

constexpr int64_t kMsPerSecond = 1000;
// Every this many calls to Failure, keys with nothing left to remember are dropped, so that a
// flood of distinct keys (IP addresses) does not grow the map without bound.
constexpr uint64_t kSweepEvery = 1024;

int64_t Ms(std::chrono::seconds s) { return static_cast<int64_t>(s.count()) * kMsPerSecond; }

}  // namespace

int64_t RateLimiter::RetryAfter(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_.find(key);
  if (it == state_.end() || it->second.blocked_until <= now_ms) return 0;
  // Whole seconds, rounded up, so that retrying after the answer is always allowed.
  return (it->second.blocked_until - now_ms + kMsPerSecond - 1) / kMsPerSecond;
}

void RateLimiter::Failure(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t window = Ms(rule_.window);
  if (++calls_ % kSweepEvery == 0) {
    for (auto it = state_.begin(); it != state_.end();) {
      const State& s = it->second;
      bool quiet = s.failures.empty() || s.failures.back() <= now_ms - window;
      if (quiet && s.blocked_until + window <= now_ms) {
        it = state_.erase(it);
      } else {
        ++it;
      }
    }
  }
  State& s = state_[key];
  // A quiet window after the last block (and after the last failure) forgets everything.
  bool quiet = s.failures.empty() || s.failures.back() <= now_ms - window;
  if (quiet && s.blocked_until + window <= now_ms) {
    s.level = 0;
    s.blocked_until = 0;
  }
  s.failures.erase(std::remove_if(s.failures.begin(), s.failures.end(),
                                  [&](int64_t t) { return t <= now_ms - window; }),
                   s.failures.end());
  s.failures.push_back(now_ms);
  if (s.level == 0 && static_cast<int>(s.failures.size()) <= rule_.burst) return;
  // Past the burst (or already backing off): block, doubling with each further failure.
  int64_t backoff = Ms(rule_.first_backoff);
  const int64_t max_backoff = Ms(rule_.max_backoff);
  for (int i = 0; i < s.level && backoff < max_backoff; ++i) backoff *= 2;
  backoff = std::min(backoff, max_backoff);
  ++s.level;
  s.blocked_until = std::max(s.blocked_until, now_ms + backoff);
  // Only the failures inside the window matter; keep the vector small.
  if (static_cast<int>(s.failures.size()) > rule_.burst + 1) {
    s.failures.erase(s.failures.begin(),
                     s.failures.end() - (static_cast<std::ptrdiff_t>(rule_.burst) + 1));
  }
}

void RateLimiter::Success(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  state_.erase(key);
}

size_t RateLimiter::TrackedKeys() {
  std::lock_guard<std::mutex> lock(mu_);
  return state_.size();
}

}  // namespace baladiya::identity

namespace baladiya::identity {

int64_t Quota::Take(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t window = static_cast<int64_t>(window_.count()) * 1000;
  auto forget_old = [&](std::vector<int64_t>& times) {
    times.erase(times.begin(), std::find_if(times.begin(), times.end(),
                                            [&](int64_t t) { return t > now_ms - window; }));
  };
  if (++calls_ % 1024 == 0) {
    for (auto it = events_.begin(); it != events_.end();) {
      forget_old(it->second);
      it = it->second.empty() ? events_.erase(it) : std::next(it);
    }
  }
  std::vector<int64_t>& times = events_[key];
  forget_old(times);
  if (static_cast<int>(times.size()) >= limit_) {
    // Allowed again once the oldest event in the window leaves it.
    return (times.front() + window - now_ms + 999) / 1000;
  }
  times.push_back(now_ms);
  return 0;
}

size_t Quota::TrackedKeys() {
  std::lock_guard<std::mutex> lock(mu_);
  return events_.size();
}

}  // namespace baladiya::identity
