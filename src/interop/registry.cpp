// The civil registry client (registry.h), over libcurl.
#include "interop/registry.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <memory>
#include <thread>

#include "interop/curl_handles.h"
#include "platform/crypto/crypto.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;

using internal::CurlFree;
using internal::SlistFree;

struct Sink {
  std::string body;
  size_t limit = 0;
  bool oversized = false;
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  if (s->body.size() + size * n > s->limit) {
    s->oversized = true;
    return 0;  // abort the transfer
  }
  s->body.append(data, size * n);
  return size * n;
}

// A JSON string of text (quotes and escapes).
std::string Quoted(std::string_view text) { return json::serialize(json::string(text)); }

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kVerified:
      return "verified";
    case Verdict::kMismatch:
      return "mismatch";
    case Verdict::kNotFound:
      return "not_found";
    case Verdict::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

RegistryClient::RegistryClient(RegistryOptions options, std::function<int64_t()> now_ms)
    : o_(std::move(options)), now_ms_(std::move(now_ms)) {}

int64_t RegistryClient::Now() const {
  if (now_ms_) return now_ms_();
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool RegistryClient::BreakerOpen() {
  std::lock_guard lock(mu_);
  return Now() < open_until_;
}

RegistryAnswer RegistryClient::Check(const PersonQuery& q) {
  const std::string key = crypto::Sha256Hex(q.national_id + "\n" + q.name + "\n" + q.birth_date);
  {
    std::lock_guard lock(mu_);
    const int64_t now = Now();
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      if (it->second.until > now) {
        RegistryAnswer a = it->second.answer;
        a.cached = true;
        return a;
      }
      cache_.erase(it);
    }
    if (now < open_until_) {
      RegistryAnswer a;
      a.short_circuited = true;
      return a;
    }
  }
  if (!configured()) return RegistryAnswer{};
  RegistryAnswer a = Call(q);
  std::lock_guard lock(mu_);
  if (a.verdict == Verdict::kUnavailable) {
    if (++failures_ >= o_.breaker_failures) open_until_ = Now() + o_.breaker_open_ms;
  } else {
    failures_ = 0;
    open_until_ = 0;
    if (cache_.size() > 10'000) cache_.clear();  // bounded: an attacker cannot grow it forever
    cache_[key] = {a, Now() + o_.cache_ms};
  }
  return a;
}

RegistryAnswer RegistryClient::Call(const PersonQuery& q) {
  RegistryAnswer a;
  a.xroad_id = crypto::RandomToken(16);
  const std::string body = "{\"nationalId\":" + Quoted(q.national_id) +
                           ",\"name\":" + Quoted(q.name) +
                           ",\"birthDate\":" + Quoted(q.birth_date) + "}";
  const std::string url = o_.security_server + "/r1/" + o_.service;
  a.request_hash = crypto::Sha256Hex("POST " + url + "\nx-road-client: " + o_.client +
                                     "\nx-road-id: " + a.xroad_id +
                                     "\nx-road-userid: " + q.user_id + "\n\n" + body);
  int backoff = o_.backoff_ms;
  for (int attempt = 0; attempt <= o_.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
      backoff *= 2;
    }
    ++a.attempts;
    std::unique_ptr<CURL, CurlFree> h(curl_easy_init());
    if (!h) return a;
    std::unique_ptr<curl_slist, SlistFree> headers;
    for (const std::string& line :
         {std::string("Content-Type: application/json"), std::string("Accept: application/json"),
          "X-Road-Client: " + o_.client, "X-Road-Id: " + a.xroad_id,
          "X-Road-UserId: " + q.user_id}) {
      headers.reset(curl_slist_append(headers.release(), line.c_str()));
    }
    Sink sink;
    sink.limit = o_.max_answer_bytes;
    curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o_.timeout_ms));
    curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    const CURLcode rc = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    a.http_status = static_cast<int>(status);
    if (sink.oversized) return a;                   // no retry: the registry would answer the same
    if (rc != CURLE_OK || status >= 500) continue;  // slow, down or failing: again, later
    a.response_hash = crypto::Sha256Hex(std::to_string(status) + "\n" + sink.body);
    if (status == 404) {
      a.verdict = Verdict::kNotFound;
      return a;
    }
    if (status != 200) return a;  // the registry refused us: not the resident's doing
    std::error_code ec;
    json::value v = json::parse(sink.body, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    auto flag = [&](const char* name) -> const json::value* {
      const json::value* f = o ? o->if_contains(name) : nullptr;
      return f && f->is_bool() ? f : nullptr;
    };
    const json::value* found = flag("found");
    if (!found) return a;  // malformed
    if (!found->as_bool()) {
      a.verdict = Verdict::kNotFound;
      return a;
    }
    const json::value* name = flag("nameMatches");
    const json::value* birth = flag("birthDateMatches");
    if (!name || !birth) return a;  // malformed
    if (name->as_bool() && birth->as_bool()) {
      a.verdict = Verdict::kVerified;
    } else {
      a.verdict = Verdict::kMismatch;
      a.mismatch =
          !name->as_bool() ? (!birth->as_bool() ? "name,birth_date" : "name") : "birth_date";
    }
    return a;
  }
  return a;
}

}  // namespace baladiya::interop
