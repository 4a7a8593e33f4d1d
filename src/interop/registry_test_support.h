// A civil registry of the tests' own, on loopback, speaking the protocol of registry.h behind a
// security server's /r1/ path: it keeps a few people, checks X-Road-Client, answers whether a
// national ID, name and birth date match, and can be told to fail: slow (answers after a delay),
// down (503), malformed (not JSON), wrong (the flags are not booleans), oversized (a huge body).
#pragma once

#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "platform/http/router.h"
#include "platform/http/server.h"

namespace baladiya::interop::testing {

inline constexpr char kRegistryService[] = "PS/GOV/MOI/civil-registry/verifyPerson";
inline constexpr char kOurClient[] = "PS/GOV/HEBRON/e-services";

class CivilRegistry {
 public:
  enum class Mode { kNormal, kSlow, kDown, kMalformed, kWrong, kOversized };
  struct Person {
    std::string name;
    std::string birth_date;
  };
  struct Received {
    std::string client;
    std::string xroad_id;
    std::string user_id;
    std::vector<std::string> fields;  // the body's keys, in order
  };

  CivilRegistry() {
    router_.Post(std::string("/r1/") + kRegistryService,
                 [this](http::Request& r) { return Answer(r); });
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 4;
    o.offload_threads = 0;
    server_ = std::make_unique<http::Server>(o, [this](http::Request& r) {
      auto m = router_.Find(r.method, r.path);
      if (m.outcome != http::Router::Outcome::kFound) {
        return http::Response::Json(404, R"({"type":"Server.ServerProxy.UnknownService"})");
      }
      return (*m.handler)(r);
    });
    if (!server_->Listen().ok()) throw std::runtime_error("the registry cannot listen");
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~CivilRegistry() {
    server_->Stop();
    thread_.join();
  }

  // The security server's base URL.
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }
  void Add(const std::string& national_id, Person p) {
    std::lock_guard lock(mu_);
    people_[national_id] = std::move(p);
  }
  void SetMode(Mode m, int delay_ms = 0) {
    mode_ = m;
    delay_ms_ = delay_ms;
  }
  int calls() const { return calls_; }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  http::Response Answer(http::Request& r) {
    ++calls_;
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    Received got{std::string(r.headers.Get("x-road-client")),
                 std::string(r.headers.Get("x-road-id")),
                 std::string(r.headers.Get("x-road-userid")),
                 {}};
    if (!ec && v.is_object()) {
      for (const auto& kv : v.as_object()) got.fields.push_back(std::string(kv.key()));
    }
    {
      std::lock_guard lock(mu_);
      received_.push_back(got);
    }
    if (got.client != kOurClient) {
      return http::Response::Json(403, R"({"type":"Server.ServerProxy.AccessDenied"})");
    }
    switch (mode_.load()) {
      case Mode::kDown:
        return http::Response::Json(503, R"({"type":"Server.ServerProxy.ServiceFailed"})");
      case Mode::kSlow:
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
        break;
      case Mode::kMalformed:
        return http::Response::Text(200, "<html>gateway error</html>");
      case Mode::kWrong:
        return http::Response::Json(200, R"({"found":"yes","nameMatches":1})");
      case Mode::kOversized:
        return http::Response::Json(
            200, R"({"found":true,"nameMatches":true,"birthDateMatches":true,"pad":")" +
                     std::string(200'000, 'x') + "\"}");
      case Mode::kNormal:
        break;
    }
    if (ec || !v.is_object()) return http::Response::Json(400, R"({"type":"BadRequest"})");
    const auto& o = v.as_object();
    auto text = [&](const char* k) {
      const auto* f = o.if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    std::lock_guard lock(mu_);
    auto it = people_.find(text("nationalId"));
    if (it == people_.end()) return http::Response::Json(200, R"({"found":false})");
    boost::json::object a{{"found", true},
                          {"nameMatches", it->second.name == text("name")},
                          {"birthDateMatches", it->second.birth_date == text("birthDate")}};
    return http::Response::Json(200, boost::json::serialize(a));
  }

  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Person> people_;
  std::vector<Received> received_;
  std::atomic<Mode> mode_{Mode::kNormal};
  std::atomic<int> delay_ms_{0};
  std::atomic<int> calls_{0};
};

}  // namespace baladiya::interop::testing
