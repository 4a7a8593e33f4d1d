// The whole program's OpenAPI document (/api/v1/openapi.json, assembled from every module's
// fragment) against the routes the program serves: every API route of every module is documented
// and every documented operation is served, with the right security; the document is OpenAPI 3.1
// and uses only schema keywords the checks can verify (platform/testing/openapi_check.h). Each
// module's API tests (in its folder) exercise every response its own fragment documents.
#include <boost/json.hpp>
#include <functional>
#include <set>

#include "app/app_fixture.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::app {
namespace {

namespace json = boost::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class WholeApiTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<baladiya::testing::ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }
  std::unique_ptr<baladiya::testing::ApiClient> api_;
};

// Calls fn(key, value, where) for every member of every object in v, depth first.
void EachMember(
    const json::value& v, const std::string& at,
    const std::function<void(std::string_view, const json::value&, const std::string&)>& fn) {
  if (const json::array* a = v.if_array()) {
    for (size_t i = 0; i < a->size(); ++i) EachMember((*a)[i], at + "/" + std::to_string(i), fn);
  }
  if (!v.is_object()) return;
  for (const auto& [k, sub] : v.as_object()) {
    fn(k, sub, at + "/" + std::string(k));
    EachMember(sub, at + "/" + std::string(k), fn);
  }
}

TEST_F(WholeApiTest, TheDocumentIsOpenApi31AndEverySchemaIsOneTheTestCanCheck) {
  const json::value& root = api_->document().root();
  EXPECT_EQ(root.at("openapi"), "3.1.0");
  for (const char* scheme : {"sessionCookie", "csrfHeader", "apiToken"}) {
    EXPECT_TRUE(root.at("components").at("securitySchemes").as_object().contains(scheme)) << scheme;
  }
  // Every reference resolves, and every schema (components, parameters, bodies, responses,
  // headers) uses only keywords the validator checks.
  std::vector<std::string> problems;
  int schemas = 0;
  EachMember(root, "#", [&](std::string_view key, const json::value& v, const std::string& at) {
    if (key == "$ref" && !(v.is_string() && api_->document().schemas().Resolve(v.as_string())))
      problems.push_back(at + ": does not resolve");
    if (key == "schema" || at.substr(0, at.rfind('/')) == "#/components/schemas") {
      ++schemas;
      api_->document().schemas().Lint(v, at, problems);
    }
  });
  EXPECT_GT(schemas, 40);
  EXPECT_TRUE(problems.empty()) << problems.size() << " problems, the first: " << problems[0];
}

TEST_F(WholeApiTest, EveryApiRouteIsDocumentedAndEveryDocumentedOperationIsARoute) {
  // Every route the program serves, of every module and the host's own: those added without an
  // access rule (the host's, and audit's below identity) are served to everyone.
  std::set<std::string> routes;
  for (const auto& [method, pattern] : host_->Routes()) {
    if (!pattern.starts_with("/api/")) continue;
    const std::string m = Lower(std::string(http::MethodName(method)));
    routes.insert(m + " " + pattern);
    const json::value* item = api_->document().Paths().if_contains(pattern);
    EXPECT_TRUE(item && item->as_object().contains(m)) << "undocumented: " << m << " " << pattern;
    // Public routes say so; the others name how to authenticate.
    const identity::Access* rule = web_->routes().RuleFor(method, pattern);
    const bool open = !rule || rule->kind == identity::Access::Kind::kPublic;
    if (item && item->as_object().contains(m)) {
      const json::array& security = item->at(m).at("security").as_array();
      bool anyone = security.empty();
      // A route that checks its own credential (the SMS gateway's token) is public to the guard.
      if (!anyone && open) {
        for (const auto& s : security) anyone |= !s.as_object().contains("sessionCookie");
      }
      EXPECT_EQ(anyone, open) << pattern;
    }
  }
  EXPECT_GE(routes.size(), 12u);
  std::set<std::string> operation_ids;
  for (const auto& [tmpl, item] : api_->document().Paths()) {
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(operation_ids.insert(std::string(op.at("operationId").as_string())).second);
      EXPECT_TRUE(routes.count(std::string(method) + " " + std::string(tmpl)))
          << "documented but not served: " << method << " " << tmpl;
    }
  }
}

}  // namespace
}  // namespace baladiya::app
