// Test-only: the whole platform on the real server (app_fixture.h) with Open311's clock fixed and
// an Open311 API key for Hebron, and a client that speaks Open311's form posts.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "app/app_fixture.h"
#include "cases/web.h"
#include "workflow/services.h"

namespace baladiya::app::testing {

// 2026-03-15T09:00:00Z, a Sunday: a working day in Hebron.
inline constexpr int64_t kOpen311Now = 1'773'565'200'000;

class Open311Test : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    SetClock(kOpen311Now);
    auto m = web_->tenancy().FindMunicipality("hebron");
    ASSERT_TRUE(m.ok());
    hebron_ = *m;
    auto k = services_->open311_keys->Issue(hebron_.id, "FixMyStreet", *services_->hasher,
                                            *resources_->catalog, {"system", "test", hebron_.id},
                                            kOpen311Now);
    ASSERT_TRUE(k.ok()) << k.error().detail;
    key_ = k->key;
  }

  struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
  };

  // Sends one request (head: request line and header lines, each ending in CRLF).
  Reply Exchange(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) {
    std::string head = method + " " + target + " HTTP/1.1\r\nHost: baladiya.test\r\n";
    for (const auto& [k, v] : headers) head += k + ": " + v + "\r\n";
    if (method == "POST") head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    http::testing::RawClient client(server_->port());
    client.Send(head + "Connection: close\r\n\r\n" + body);
    const std::string raw = client.ReadResponse();
    Reply r;
    if (raw.size() > 12) r.status = std::atoi(raw.substr(9, 3).c_str());
    const size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return r;
    static const std::regex kType("\r\ncontent-type: ([^\r]*)", std::regex::icase);
    std::smatch m;
    const std::string headers_text = raw.substr(0, end + 2);
    if (std::regex_search(headers_text, m, kType)) r.content_type = m[1].str();
    r.body = raw.substr(end + 4);
    return r;
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
                         const open311::Submission& details, int64_t applicant,
                         const std::string& channel) {
    auto s = services_->catalog->Find(hebron_.id, code);
    EXPECT_TRUE(s.ok());
    auto wf = workflow::ForService(*s, *resources_->catalog);
    auto calendar = workflow::CalendarOf(*services_->catalog, hebron_.id);
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = applicant;
    in.channel = channel;
    in.filed_by = channel == "api" ? applicant : 0;
    in.answers = std::move(answers);
    if (channel == "api") {
      in.in_tx = [&](db::Tx& tx, const cases::StateChange& change) {
        return services_->open311->RecordSubmission(tx, change, details, {});
      };
    }
    cases::Actor actor{applicant, "p-test", {"resident"}, channel, "req-test"};
    auto c = services_->cases->SubmitAnswers(in, actor, *s, *wf, *calendar, "HEB", at);
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : cases::Case{};
  }

  // Moves a case through its workflow as a municipal administrator, at `at`.
  void Act(const cases::Case& c, const std::string& action, int64_t at,
           const std::string& comment = "") {
    auto s = services_->catalog->Get(c.service_id);
    auto wf = workflow::ForService(*s, *resources_->catalog);
    auto calendar = workflow::CalendarOf(*services_->catalog, hebron_.id);
    auto now = services_->cases->Get(c.id);
    cases::Actor admin{999'999, "p-admin", {"municipal-admin"}, "web", "req-act"};
    auto moved = services_->cases->Transition(c.id, now->version, action, comment, admin, *wf,
                                              *calendar, *s, at);
    EXPECT_TRUE(moved.ok()) << (moved.ok() ? "" : moved.error().detail);
  }

  catalog::Municipality hebron_;
  std::string key_;
};

}  // namespace baladiya::app::testing
