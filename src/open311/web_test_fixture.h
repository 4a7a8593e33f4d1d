// open311's web tests: the modules cases' tests serve (cases/web_test_fixture.h) and open311 above
// them, on the web harness, with Open311's clock fixed once the demo catalogue is in place, an
// Open311 API key for Hebron, and a client that speaks Open311's form posts.
#pragma once

#include <regex>
#include <string>
#include <utility>
#include <vector>

#include "cases/web_test_fixture.h"
#include "open311/open311.h"
#include "platform/http/url.h"

namespace baladiya::open311::testing {

// 2026-03-15T09:00:00Z, a Sunday: a working day in Hebron.
inline constexpr int64_t kOpen311Now = 1'773'565'200'000;

// open311's settings for the web harness: where clients reach the platform from outside.
inline std::map<std::string, std::string> Settings() {
  return {{"public-url", "https://baladiya.example.ps"}};
}

// open311 and the modules it uses, on the system clock.
class Open311WebTest : public cases::testing::CasesWebTest {
 protected:
  std::vector<module::Module> Above() override { return {open311::Module()}; }
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = CasesWebTest::Options();
    o.settings.merge(Settings());
    return o;
  }
  KeyStore& keys() { return web().Part<KeyStore>(); }
  Store& records() { return web().Part<Store>(); }
};

// The same with the clock fixed at kOpen311Now once the demo catalogue is in place, an API key
// for Hebron ("FixMyStreet"), and a client that speaks Open311.
class Open311Test : public Open311WebTest {
 protected:
  void SetUp() override {
    Open311WebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kOpen311Now);
    auto m = tenancy().FindMunicipality("hebron");
    ASSERT_TRUE(m.ok());
    hebron_ = *m;
    auto k = keys().Issue(hebron_.id, "FixMyStreet", hasher(), texts(),
                          {"system", "test", hebron_.id}, kOpen311Now);
    ASSERT_TRUE(k.ok()) << k.error().detail;
    key_ = k->key;
  }

  struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
  };

  // Sends one request (headers as name/value pairs).
  Reply Exchange(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) {
    std::string head;
    std::string type;
    for (const auto& [k, v] : headers) {
      if (k == "Content-Type") {
        type = v;
      } else {
        head += k + ": " + v + "\r\n";
      }
    }
    baladiya::testing::Reply r = web().Send(method, target, head, body, type);
    return {r.status, r.Header("content-type"), r.body};
  }

  Reply Get(const std::string& target) { return Exchange("GET", target, {}, ""); }

  // A form post with the fields percent-encoded (names too: attribute[code] arrives as itself).
  Reply Post(const std::string& target,
             const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string body;
    for (const auto& [k, v] : fields) {
      if (!body.empty()) body += '&';
      body += http::PercentEncode(k) + "=" + http::PercentEncode(v);
    }
    return Exchange("POST", target,
                    {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}}, body);
  }

  // A street-light report's fields with every required answer; tests change or drop some.
  std::vector<std::pair<std::string, std::string>> LightReport() const {
    return {{"api_key", key_},
            {"jurisdiction_id", "hebron"},
            {"service_code", "street-light-report"},
            {"lat", "31.5326"},
            {"long", "35.0998"},
            {"description", "عمود الإنارة مطفأ منذ ثلاثة أيام."},
            {"attribute[problem]", "not_working"}};
  }

  static std::vector<std::pair<std::string, std::string>> Without(
      std::vector<std::pair<std::string, std::string>> fields, const std::string& name) {
    std::erase_if(fields, [&](const auto& f) { return f.first == name; });
    return fields;
  }
  static std::vector<std::pair<std::string, std::string>> With(
      std::vector<std::pair<std::string, std::string>> fields, const std::string& name,
      const std::string& value) {
    fields = Without(std::move(fields), name);
    fields.emplace_back(name, value);
    return fields;
  }

  // Files a report of the service as Open311 would, at `at`, straight through the stores.
  cases::Case FileReport(const std::string& code, int64_t at, catalog::Answers answers,
                         const Submission& details, int64_t applicant, const std::string& channel) {
    auto s = services().Find(hebron_.id, code);
    EXPECT_TRUE(s.ok());
    auto wf = workflow::ForService(*s, texts());
    auto calendar = workflow::CalendarOf(services(), hebron_.id);
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = applicant;
    in.channel = channel;
    in.filed_by = channel == "api" ? applicant : 0;
    in.answers = std::move(answers);
    if (channel == "api") {
      in.in_tx = [&](db::Tx& tx, const cases::StateChange& change) {
        return records().RecordSubmission(tx, change, details, {});
      };
    }
    cases::Actor actor{applicant, "p-test", {"resident"}, channel, "req-test"};
    auto c = cases().SubmitAnswers(in, actor, *s, *wf, *calendar, "HEB", at);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : cases::Case{};
  }

  // Moves a case through its workflow as a municipal administrator, at `at`.
  void Act(const cases::Case& c, const std::string& action, int64_t at,
           const std::string& comment = "") {
    auto s = services().Get(c.service_id);
    auto wf = workflow::ForService(*s, texts());
    auto calendar = workflow::CalendarOf(services(), hebron_.id);
    auto now = cases().Get(c.id);
    cases::Actor admin{999'999, "p-admin", {"municipal-admin"}, "web", "req-act"};
    auto moved =
        cases().Transition(c.id, now->version, action, comment, admin, *wf, *calendar, *s, at);
    EXPECT_TRUE(moved.ok()) << (moved.ok() ? "" : moved.error().detail);
  }

  catalog::Municipality hebron_;
  std::string key_;
};

}  // namespace baladiya::open311::testing
