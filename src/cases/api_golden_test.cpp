// cases' JSON API golden files (src/cases/golden/*.golden; README.md there): the catalogue,
// applications, cases and their events, the queue, transitions, uploads and attachments, each
// exchange sent in name order to the web harness (web_test_fixture.h) on a fresh database at a
// fixed time, checked against the OpenAPI document, and compared.
#include <boost/json.hpp>

#include "cases/web_test_fixture.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::cases {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;

// 2026-03-15T09:00:00Z, a Sunday: a working day in Hebron.
constexpr int64_t kGoldenNow = 1'773'565'200'000;

class CasesGoldenTest : public testing::CasesWebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = CasesWebTest::Options();
    o.clock_ms = kGoldenNow;
    o.server.max_body_bytes = 5120 * 1024;  // `baladiya serve`'s max-body-kb
    return o;
  }
  void SetUp() override {
    CasesWebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
    // Two residents with sessions (each with its anti-forgery token), a revenue clerk, an
    // engineering clerk and a counter clerk with API tokens.
    Resident("salma", "401234562", "0599123456");
    Resident("rami", "401234588", "0599123458");
    Token("revenue_clerk", "api.revenue",
          {identity::Role::kClerk, MunicipalityId("hebron"), DepartmentId("hebron", "revenue")});
    Token(
        "engineering_clerk", "api.engineering",
        {identity::Role::kClerk, MunicipalityId("hebron"), DepartmentId("hebron", "engineering")});
    Token("desk", "api.desk", {identity::Role::kCounterClerk, MunicipalityId("hebron"), 0});
  }

  void Resident(const std::string& name, const std::string& national_id, const std::string& phone) {
    identity::ResidentRegistration r{national_id, "سلمى خليل",           "", phone, "",
                                     "",          "olive-harvest-season"};
    auto id = accounts().RegisterResident(r, hasher(), {"t", "t", 0}, Now());
    ASSERT_TRUE(id.ok()) << id.error().detail;
    const std::string sid = Session(*id, false);
    auto session = sessions().Resolve(sid, Now());
    ASSERT_TRUE(session.ok());
    values_[name + "_sid"] = sid;
    values_[name + "_csrf"] = session->csrf_token;
  }
  void Token(const std::string& name, const std::string& username, const identity::Grant& g) {
    auto token = api_tokens().Issue(StaffAccount(username, g), g, "golden", {"t", "t", 0}, Now());
    ASSERT_TRUE(token.ok()) << token.error().detail;
    values_[name + "_token"] = *token;
  }

  std::unique_ptr<ApiClient> api_;
  std::map<std::string, std::string> values_;
};

TEST_F(CasesGoldenTest, ExchangesMatchTheGoldenFiles) {
  baladiya::testing::GoldenOptions o;
  o.folder = "src/cases/golden";
  o.at_least = 30;
  o.values = values_;
  // An upload's id is random: answers show it as {{upload_id}}, and the files after it name the
  // id the server gave (learned below).
  o.masks = {{"\"up_[A-Za-z0-9_-]{43}\"", "\"{{upload_id}}\""}};
  o.observe = [this](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api_->RecordGolden(g, r, values);
    if (g.target.find("/uploads") != std::string::npos && r.status == 201) {
      json::error_code ec;
      json::value v = json::parse(r.body, ec);
      if (!ec && v.is_object() && v.as_object().contains("id")) {
        values["upload_id"] = std::string(v.at("id").as_string());
      }
    }
  };
  baladiya::testing::RunGoldenFiles(port(), o);
}

}  // namespace
}  // namespace baladiya::cases
