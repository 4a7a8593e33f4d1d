// documents' web tests: the modules cases' tests serve and documents above them, on the web
// harness, the clock fixed on a working day in Hebron, a resident with a national ID, and helpers
// to file a building permit or a clearance and take it to its end.
#pragma once

#include <string>

#include "cases/web_test_fixture.h"
#include "documents/documents.h"
#include "documents/web.h"

namespace baladiya::documents::testing {

// 2026-03-15T09:00:00Z, a Sunday.
inline constexpr int64_t kDocumentsNow = 1'773'565'200'000;
inline constexpr char kPublicUrl[] = "https://baladiya.example.ps";

class DocumentsWebTest : public cases::testing::CasesWebTest {
 protected:
  std::vector<module::Module> Above() override { return {documents::Module()}; }
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = CasesWebTest::Options();
    o.settings["public-url"] = kPublicUrl;
    return o;
  }
  void SetUp() override {
    CasesWebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kDocumentsNow);
    hebron_ = MunicipalityId("hebron");
    identity::ResidentRegistration r{
        "401234562", "سلمى خليل الجعبري",   "Salma al-Jabari", "0599123456", "",
        "",          "olive-harvest-season"};
    auto id = accounts().RegisterResident(r, hasher(), {"t", "t", 0}, Now());
    ASSERT_TRUE(id.ok()) << id.error().detail;
    salma_ = *id;
  }

  DocumentStore& documents() { return web().Part<DocumentStore>(); }
  KeyStore& keys() { return web().Part<KeyStore>(); }
  Extensions& extensions() { return web().Part<Extensions>(); }

  // A browser signed in as the resident.
  baladiya::testing::Browser AsSalma() {
    baladiya::testing::Browser b(port());
    b.SetCookie("sid", Session(salma_, false));
    return b;
  }

  // Files the service's application for the resident with the answers, at the clock's time.
  cases::Case File(const std::string& code, catalog::Answers answers) {
    auto s = services().Find(hebron_, code);
    EXPECT_TRUE(s.ok());
    auto wf = workflow::ForService(*s, texts());
    auto calendar = workflow::CalendarOf(services(), hebron_);
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = salma_;
    in.channel = "web";
    in.answers = std::move(answers);
    cases::Actor actor{salma_, "p-salma", {"resident"}, "web", "req-test"};
    auto c = cases().SubmitAnswers(in, actor, *s, *wf, *calendar, "HEB", Now());
    EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
    return c.ok() ? *c : cases::Case{};
  }

  cases::Case BuildingPermit() {
    auto plans = cases().AddUpload(salma_, hebron_, "plans.pdf", "%PDF-1.7\n%%EOF\n", Now());
    EXPECT_TRUE(plans.ok());
    return File("building-permit", {{"applying_as", {"owner"}},
                                    {"basin_parcel", {"حوض 34 قطعة 112"}},
                                    {"permit_type", {"new_building"}},
                                    {"floors", {"3"}},
                                    {"building_area", {"420"}},
                                    {"building_use", {"residential"}},
                                    {"plans", {plans.ok() ? plans->id : ""}}});
  }

  cases::Case Clearance() {
    return File(
        "clearance-certificate",
        {{"purpose", {"bank"}}, {"addressed_to", {"بنك فلسطين"}}, {"delivery", {"counter"}}});
  }

  // Takes an action on the case as a municipal administrator; the refusal when there is one.
  Result<cases::Case> Act(const cases::Case& c, const std::string& action) {
    auto s = services().Get(c.service_id);
    auto wf = workflow::ForService(*s, texts());
    auto calendar = workflow::CalendarOf(services(), hebron_);
    auto now = cases().Get(c.id);
    cases::Actor admin{999'999, "p-admin", {"municipal-admin"}, "web", "req-act"};
    return cases().Transition(c.id, now->version, action, "", admin, *wf, *calendar, *s, Now());
  }

  // Approves the case and completes it: the document is issued on completion.
  Result<cases::Case> Complete(const cases::Case& c) {
    for (const char* action : {"start_review", "approve"}) {
      auto r = Act(c, action);
      if (!r.ok()) return r;
    }
    return Act(c, "complete");
  }

  int64_t hebron_ = 0;
  int64_t salma_ = 0;
};

}  // namespace baladiya::documents::testing
