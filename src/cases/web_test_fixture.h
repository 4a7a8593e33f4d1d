// cases' web tests (and those of the modules above cases, which extend the fixture): audit,
// identity, notify, catalog, workflow and cases served by the web harness
// (platform/testing/web_harness.h) on a fresh database with the demo catalogue, SMS going to a
// real gateway on loopback, and helpers to act as residents and staff.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "cases/cases.h"
#include "cases/filing.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"
#include "workflow/services.h"
#include "workflow/workflow.h"

namespace baladiya::cases::testing {

// cases' settings for the web harness, at `baladiya serve`'s defaults.
inline std::map<std::string, std::string> Settings() {
  return {{"reopen-days", "30"},
          {"draft-days", "30"},
          {"checkpoint-seconds", "60"},
          {"public-url", "https://baladiya.example.ps"}};
}

class CasesWebTest : public baladiya::testing::WebTest {
 protected:
  static constexpr char kSmsToken[] = "gateway-token-for-tests";

  // The modules above cases a test suite adds (open311's tests add open311).
  virtual std::vector<module::Module> Above() { return {}; }

  baladiya::testing::HarnessOptions Options() override {
    if (!gateway_) gateway_ = std::make_unique<notify::testing::SmsGateway>();
    baladiya::testing::HarnessOptions o;
    o.modules = {audit::Module(),   identity::Module(), notify::Module(),
                 catalog::Module(), workflow::Module(), cases::Module()};
    for (auto& m : Above()) o.modules.push_back(std::move(m));
    o.settings = identity::testing::Settings();
    // `baladiya serve`'s body limits (max-body-kb, max-upload-mb).
    o.server.max_body_bytes = 5120 * 1024;
    o.server.max_upload_bytes = 64 * 1024 * 1024;
    o.settings.merge(notify::testing::Settings(gateway_->url(), kSmsToken));
    o.settings.merge(Settings());
    o.seed = [](module::Host& host) -> Status {
      auto seeded = catalog::SeedDemo(host.db(), host.context().now_ms());
      if (!seeded.ok()) return std::move(seeded).error();
      return Ok();
    };
    o.web.map = map_;
    return o;
  }

  db::Database& db() { return web().db(); }
  audit::AuditLog& audit() { return web().Part<audit::AuditLog>(); }
  identity::AccountStore& accounts() { return web().Part<identity::AccountStore>(); }
  identity::SessionStore& sessions() { return web().Part<identity::SessionStore>(); }
  identity::PasswordHasher& hasher() { return web().Part<identity::PasswordHasher>(); }
  identity::ApiTokenStore& api_tokens() { return web().Part<identity::ApiTokenStore>(); }
  identity::GuardedRoutes& routes() { return web().Part<identity::GuardedRoutes>(); }
  notify::Outbox& outbox() { return web().Part<notify::Outbox>(); }
  notify::Dispatcher& dispatcher() { return web().Part<notify::Dispatcher>(); }
  catalog::TenancyStore& tenancy() { return web().Part<catalog::TenancyStore>(); }
  catalog::ServiceStore& services() { return web().Part<catalog::ServiceStore>(); }
  catalog::BoundaryStore& boundaries() { return web().Part<catalog::BoundaryStore>(); }
  CaseStore& cases() { return web().Part<CaseStore>(); }
  // The message catalogue pages and messages are written from.
  const i18n::Catalog& texts() { return *web().site().catalog; }
  const render::Assets& assets() { return *web().site().assets; }

  int64_t MunicipalityId(const std::string& slug) {
    auto m = tenancy().FindMunicipality(slug);
    EXPECT_TRUE(m.ok()) << slug;
    return m.ok() ? m->id : 0;
  }
  int64_t DepartmentId(const std::string& slug, const std::string& department) {
    auto departments = tenancy().Departments(MunicipalityId(slug));
    if (!departments.ok()) {
      ADD_FAILURE() << departments.error().detail;
      return 0;
    }
    for (const auto& d : *departments) {
      if (d.slug == department) return d.id;
    }
    ADD_FAILURE() << "no department " << department;
    return 0;
  }
  // A staff account holding one grant, of the grant's municipality; returns its id.
  int64_t StaffAccount(const std::string& username, const identity::Grant& grant,
                       const std::string& full_name_ar = "موظف") {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = full_name_ar;
    in.password = "a-long-staff-password";
    in.municipality_id = grant.municipality_id;
    in.grants = {grant};
    auto id = accounts().CreateStaff(in, hasher(), {"t", "t", 0}, Now());
    EXPECT_TRUE(id.ok()) << id.error().detail;
    return id.ok() ? *id : 0;
  }
  // The session token of a new session of the account, second factor given.
  std::string Session(int64_t account, bool staff = true) {
    auto token = sessions().Create(account, staff, true, Now());
    EXPECT_TRUE(token.ok());
    return token.ok() ? *token : "";
  }
  // A signed-in staff browser holding one grant (department by slug, or the whole
  // municipality).
  baladiya::testing::Browser Staff(const std::string& username, identity::Role role,
                                   const std::string& slug, const std::string& department = "") {
    const int64_t m = MunicipalityId(slug);
    const int64_t id =
        StaffAccount(username, {role, m, department.empty() ? 0 : DepartmentId(slug, department)});
    baladiya::testing::Browser b(port());
    b.SetCookie("sid", Session(id));
    return b;
  }

  // How many cases were filed (each has one "submitted" event in the feed).
  int64_t CasesFiled() {
    int64_t n = 0;
    for (const FeedEntry& e : Feed()) n += e.kind == "submitted";
    return n;
  }
  // Every event of every case, oldest first (cases' event feed).
  std::vector<FeedEntry> Feed() {
    std::vector<FeedEntry> out;
    for (int64_t after = 0;;) {
      auto batch = cases().Feed(after, kMaxFeedBatch);
      if (!batch.ok()) {
        ADD_FAILURE() << batch.error().detail;
        return out;
      }
      out.insert(out.end(), batch->begin(), batch->end());
      if (batch->size() < static_cast<size_t>(kMaxFeedBatch)) return out;
      after = batch->back().position;
    }
  }
  // The messages queued in the outbox (newest first), as the back office reads them.
  std::vector<notify::Record> Outboxed() {
    auto r = outbox().Recent(0, 100000);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<notify::Record>{};
  }

  // Names a tile server (nothing listens there: pages only link to it) and Hebron's map centre;
  // for a test's constructor.
  static constexpr char kTestTiles[] = "http://127.0.0.1:9/{z}/{x}/{y}.png";
  void UseTestMap() {
    map_.tiles_url = kTestTiles;
    map_.attribution = "© Test tiles <contributors>";
    map_.centres = {{"hebron", "31.532600,35.099800"}};
  }
  // Registers a resident and opens the first page of a street-light report (its location
  // question); href, when given, receives the draft's address.
  std::string LocationQuestion(baladiya::testing::Browser& resident, std::string* href = nullptr) {
    identity::testing::Register(resident, "401234562", "0599123456");
    resident.Get("/m/hebron/services/street-light-report");
    std::string res = resident.Post("/m/hebron/services/street-light-report/apply", {});
    std::string draft = http::testing::RawClient::Header(res, "location");
    if (href) *href = draft;
    return resident.Get(draft);
  }

  std::unique_ptr<notify::testing::SmsGateway> gateway_;
  render::MapConfig map_;  // no map; a test's constructor may name a tile server (UseTestMap)
};

}  // namespace baladiya::cases::testing
