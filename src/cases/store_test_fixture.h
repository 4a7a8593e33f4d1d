// The case store's test fixture on both engines: every migration the store needs, the demo
// catalogue, a random master key, the audit log and the outbox, then the store with the
// dependencies each test suite adds (Configure: reachable channels, hooks, heads). Also Count,
// the number a one-value query on cases' own tables reads, and what the store wrote to the audit
// log and the outbox, read through their own interfaces.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "audit/testing.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "notify/test_support.h"
#include "platform/db/test_support.h"

namespace baladiya::cases::testing {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01 (a Thursday)

class CaseStoreFixture : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::vector<db::Migration> all =
        db::MigrationsOf({catalog::Migrations, audit::Migrations, notify::Migrations, Migrations});
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    ASSERT_TRUE(catalog::SeedDemo(db(), kNow).ok());
    std::string raw = crypto::RandomBytes(32);
    std::memcpy(master_.data(), raw.data(), 32);
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(master_));
    templates_ = std::make_unique<notify::CatalogTemplates>(notify::testing::Catalogue());
    outbox_ = std::make_unique<notify::Outbox>(db(), master_, *templates_);
    Dependencies deps;
    deps.db = &db();
    deps.master = &master_;
    deps.audit = audit_.get();
    deps.outbox = outbox_.get();
    Configure(deps);
    store_ = std::make_unique<CaseStore>(deps);
    Observe(*store_);
  }

  // What the suite adds to the store's dependencies before it is built.
  virtual void Configure(Dependencies& deps) = 0;
  // The observers the suite adds to the store once built.
  virtual void Observe(CaseStore&) {}

  // The number a one-value query on cases' own tables reads.
  int64_t Count(const std::string& sql) {
    auto r = db().Query(sql);
    EXPECT_TRUE(r.ok()) << sql;
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
  // Audit entries with this action (and this object, when given), read through the log's own
  // interface.
  int64_t Audited(const std::string& action, const std::string& object = "") {
    audit::AuditLog::Filter f;
    f.action_prefix = action;
    int64_t n = 0;
    for (const auto& e : audit::testing::Entries(*audit_, f)) {
      n += e.action == action && (object.empty() || e.object == object);
    }
    return n;
  }
  // Messages queued with this template (for this account and in this language, when given),
  // read through the outbox's own interface.
  int64_t Queued(const std::string& template_key = "", int64_t account_id = 0,
                 const std::string& lang = "") {
    auto records = outbox_->Recent(0, 100000);
    EXPECT_TRUE(records.ok());
    int64_t n = 0;
    for (const auto& r : records.ok() ? *records : std::vector<notify::Record>{}) {
      n += (template_key.empty() || r.template_key == template_key) &&
           (account_id == 0 || r.account_id == account_id) && (lang.empty() || r.lang == lang);
    }
    return n;
  }

  crypto::Key32 master_{};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<notify::CatalogTemplates> templates_;
  std::unique_ptr<notify::Outbox> outbox_;
  std::unique_ptr<CaseStore> store_;
};

}  // namespace baladiya::cases::testing
