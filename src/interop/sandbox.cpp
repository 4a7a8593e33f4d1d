// `baladiya registry-sandbox`: a civil registry behind a security server's /r1/ path on
// loopback, for the demo (make run): it knows the demo residents (tests/browser/people.mjs) and
// answers the protocol of registry.h. Never for real data.
#include "interop/sandbox.h"

#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <string>

#include "platform/http/router.h"
#include "platform/http/server.h"

namespace baladiya::interop {

int RunRegistrySandbox(uint16_t port, const std::string& service) {
  struct Person {
    const char* name;
    const char* birth_date;
  };
  static const std::map<std::string, Person> kPeople = {
      {"401234562", {"سلمى الخليلي", "1990-04-21"}},
      {"123456782", {"يوسف النتشة", "1985-09-12"}},
  };
  http::Router router;
  router.Post("/r1/" + service, [](http::Request& r) {
    if (!r.headers.Has("x-road-client")) {
      return http::Response::Json(400, R"({"type":"Client.MissingClient"})");
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(r.body, ec);
    if (ec || !v.is_object()) return http::Response::Json(400, R"({"type":"Client.BadRequest"})");
    const auto& o = v.as_object();
    auto text = [&](const char* k) {
      const auto* f = o.if_contains(k);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    auto it = kPeople.find(text("nationalId"));
    if (it == kPeople.end()) return http::Response::Json(200, R"({"found":false})");
    boost::json::object a{{"found", true},
                          {"nameMatches", text("name") == it->second.name},
                          {"birthDateMatches", text("birthDate") == it->second.birth_date}};
    return http::Response::Json(200, boost::json::serialize(a));
  });
  http::ServerOptions o;
  o.address = "127.0.0.1";
  o.port = port;
  o.threads = 1;
  o.offload_threads = 0;
  http::Server server(o, [&router](http::Request& r) {
    auto m = router.Find(r.method, r.path);
    if (m.outcome != http::Router::Outcome::kFound) {
      return http::Response::Json(404, R"({"type":"Server.ServerProxy.UnknownService"})");
    }
    return (*m.handler)(r);
  });
  if (Status s = server.Listen(); !s.ok()) {
    std::fprintf(stderr, "baladiya: the registry sandbox cannot listen: %s\n",
                 s.error().detail.c_str());
    return 1;
  }
  std::printf("civil registry sandbox on http://127.0.0.1:%u (demo data only)\n",
              static_cast<unsigned>(server.port()));
  std::fflush(stdout);
  server.Run(true);
  return 0;
}

}  // namespace baladiya::interop
