#include "platform/http/router.h"

#include <gtest/gtest.h>

namespace baladiya::http {
namespace {

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

std::string Call(const Router::Match& m) {
  Request r;
  return m.handler ? (*m.handler)(r).body : "";
}

Router Sample() {
  Router r;
  r.Get("/", Named("home"));
  r.Get("/m/{slug}", Named("municipality"));
  r.Get("/m/new", Named("new"));
  r.Post("/m/{slug}", Named("update"));
  r.Get("/api/v1/cases/{id:int}", Named("case"));
  r.Get("/assets/{file:path}", Named("asset"));
  r.Get("/m/{slug}/departments/{dept}", Named("dept"));
  return r;
}

TEST(Router, MatchesAndExtractsTypedParameters) {
  Router r = Sample();
  struct Case {
    Method method;
    const char* path;
    Router::Outcome outcome;
    const char* handler;
    std::vector<std::pair<std::string, std::string>> params;
  } cases[] = {
      {Method::kGet, "/", Router::Outcome::kFound, "home", {}},
      {Method::kGet, "/m/hebron", Router::Outcome::kFound, "municipality", {{"slug", "hebron"}}},
      {Method::kGet, "/m/new", Router::Outcome::kFound, "new", {}},
      {Method::kPost, "/m/nablus", Router::Outcome::kFound, "update", {{"slug", "nablus"}}},
      {Method::kHead, "/m/nablus", Router::Outcome::kFound, "municipality", {{"slug", "nablus"}}},
      {Method::kDelete, "/m/nablus", Router::Outcome::kMethodNotAllowed, "", {}},
      {Method::kGet, "/api/v1/cases/42", Router::Outcome::kFound, "case", {{"id", "42"}}},
      {Method::kGet, "/api/v1/cases/4x2", Router::Outcome::kNotFound, "", {}},
      {Method::kGet, "/api/v1/cases/99999999999999999999", Router::Outcome::kNotFound, "", {}},
      {Method::kGet,
       "/assets/fonts/a.woff2",
       Router::Outcome::kFound,
       "asset",
       {{"file", "fonts/a.woff2"}}},
      {Method::kGet, "/assets/", Router::Outcome::kNotFound, "", {}},
      {Method::kGet, "/m/", Router::Outcome::kNotFound, "", {}},
      {Method::kGet, "/m/hebron/", Router::Outcome::kNotFound, "", {}},
      {Method::kGet,
       "/m/hebron/departments/roads",
       Router::Outcome::kFound,
       "dept",
       {{"slug", "hebron"}, {"dept", "roads"}}},
      {Method::kGet, "/nothing", Router::Outcome::kNotFound, "", {}},
      {Method::kGet, "", Router::Outcome::kNotFound, "", {}},
      {Method::kGet, "//", Router::Outcome::kNotFound, "", {}},
  };
  for (const auto& c : cases) {
    auto m = r.Find(c.method, c.path);
    EXPECT_EQ(m.outcome, c.outcome) << c.path;
    EXPECT_EQ(Call(m), c.handler) << c.path;
    if (c.outcome == Router::Outcome::kFound) {
      EXPECT_EQ(m.params, c.params) << c.path;
    }
  }
}

TEST(Router, MethodNotAllowedListsAllowedMethods) {
  Router r = Sample();
  auto m = r.Find(Method::kPut, "/m/hebron");
  ASSERT_EQ(m.outcome, Router::Outcome::kMethodNotAllowed);
  EXPECT_EQ(AllowHeader(m.allowed), "GET, POST, HEAD");
  EXPECT_EQ(m.pattern, "/m/{slug}");
}

TEST(Router, ListsRoutes) {
  Router r = Sample();
  EXPECT_EQ(r.Routes().size(), 7u);
}

TEST(RouterDeathTest, RejectsDuplicatesAndBadPatterns) {
  EXPECT_DEATH(
      {
        Router r;
        r.Get("/a", Named("a"));
        r.Get("/a", Named("b"));
      },
      "duplicate");
  EXPECT_DEATH(
      {
        Router r;
        r.Get("/a/{x:path}/b", Named("a"));
      },
      "must be last");
  EXPECT_DEATH(
      {
        Router r;
        r.Get("no-slash", Named("a"));
      },
      "must start");
}

}  // namespace
}  // namespace baladiya::http
