// Baladiya as an X-Road consumer: identity proofing against the civil registry through the
// municipality's security server. A check is one X-Road REST call
//   POST {security-server}/r1/{INSTANCE}/{CLASS}/{MEMBER}/{SUBSYSTEM}/{SERVICE}
// with X-Road-Client (our subsystem), X-Road-Id (fresh) and X-Road-UserId (the account's
// pseudonym), and the body {"nationalId","name","birthDate"}: the registry compares and answers
// {"found": bool, "nameMatches": bool, "birthDateMatches": bool}; it is never asked for any
// datum it holds. Each attempt has a time limit; a timeout, a refused connection or a 5xx is
// retried with doubling back-off; consecutive failures open a circuit breaker (calls fail fast
// until it half-opens); answers are cached for a set time. A malformed or oversized answer is a
// failure, never a verdict.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "interop/interop.h"

namespace baladiya::interop {

struct RegistryOptions {
  std::string security_server;  // "http://127.0.0.1:8080"; empty: no registry (always degraded)
  std::string client;           // our subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM
  std::string service;          // INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE of the registry
  std::string legal_basis;      // recorded with every query
  int timeout_ms = 1500;        // per attempt
  int retries = 2;              // after the first attempt
  int backoff_ms = 100;         // before the first retry; doubles
  int breaker_failures = 3;     // consecutive failed checks that open the breaker
  int breaker_open_ms = 30'000;
  int64_t cache_ms = 24LL * 3600 * 1000;
  size_t max_answer_bytes = 16 * 1024;
};

enum class Verdict {
  kVerified,     // found, and name and birth date match
  kMismatch,     // found, but the name or the birth date does not match
  kNotFound,     // no such national ID in the registry
  kUnavailable,  // no answer to rely on (down, slow, malformed, breaker open): the counter
};
std::string_view VerdictName(Verdict v);

struct PersonQuery {
  std::string national_id;  // 9 digits
  std::string name;
  std::string birth_date;  // YYYY-MM-DD
  std::string user_id;     // X-Road-UserId: the pseudonym of who asks
};

struct RegistryAnswer {
  Verdict verdict = Verdict::kUnavailable;
  std::string mismatch;  // "name", "birth_date" or "name,birth_date" for kMismatch
  bool cached = false;
  bool short_circuited = false;  // the breaker was open: no call was made
  int attempts = 0;
  int http_status = 0;  // of the last attempt (0: no answer)
  std::string xroad_id;
  std::string request_hash;
  std::string response_hash;
};

// Thread-safe.
class RegistryClient {
 public:
  explicit RegistryClient(RegistryOptions options, std::function<int64_t()> now_ms = nullptr);
  const RegistryOptions& options() const { return o_; }
  bool configured() const { return !o_.security_server.empty(); }
  RegistryAnswer Check(const PersonQuery& q);
  bool BreakerOpen();

 private:
  RegistryAnswer Call(const PersonQuery& q);
  int64_t Now() const;

  RegistryOptions o_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  int failures_ = 0;
  int64_t open_until_ = 0;
  struct Cached {
    RegistryAnswer answer;
    int64_t until = 0;
  };
  std::map<std::string, Cached> cache_;
};

}  // namespace baladiya::interop
