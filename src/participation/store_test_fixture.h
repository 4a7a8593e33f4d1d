// The store tests' fixture (meetings, moderation): a scratch database on either engine with every
// migration the participation store stands on (audit, identity, notify, participation, or those up
// to a number), random keys, the audit log, the account store, an outbox with the real catalogue's
// templates, and helpers for residents and a process open for proposals.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "audit/testing.h"
#include "identity/store_test_fixture.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "participation/participation.h"

namespace baladiya::participation::testing {

using identity::testing::kNow;
inline constexpr int64_t kDay = 86'400'000;

class StoreFixture : public identity::testing::IdentityStoreTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (crypto::Key32* k : {&keys_.master, &keys_.blind_index, &keys_.signing_seed}) {
      std::string raw = crypto::RandomBytes(k->size());
      std::memcpy(k->data(), raw.data(), k->size());
    }
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(keys_.signing_seed));
    store_ = std::make_unique<identity::AccountStore>(db(), keys_, audit_.get());
    templates_ = std::make_unique<notify::CatalogTemplates>(notify::testing::Catalogue());
    outbox_ = std::make_unique<notify::Outbox>(db(), keys_.master, *templates_);
    participation_ = std::make_unique<Store>(db(), *store_, audit_.get(), outbox_.get());
  }

  // Every migration (numbers up to `upto`).
  void MigrateAll(int upto = 1 << 30) {
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : identity::Migrations()) all.push_back(std::move(m));
    for (auto& m : notify::Migrations()) all.push_back(std::move(m));
    for (auto& m : Migrations()) {
      if (m.number <= upto) all.push_back(std::move(m));
    }
    auto migrated = db::Migrate(db(), all);
    ASSERT_TRUE(migrated.ok()) << migrated.error().detail;
  }

  Actor Resident(int n) {
    return {MustRegister(identity::testing::Resident(n)), "resident-" + std::to_string(n), "r"};
  }

  Process MustCreateProcess() {
    ProcessInput in;
    in.title_ar = "الخطة الاستراتيجية";
    in.title_en = "Strategic plan";
    in.summary_ar = "ملخص";
    in.summary_en = "Summary";
    in.threshold = 3;
    in.answer_days = 30;
    in.phases = {{Phase::kProposals, kNow, kNow + 30 * kDay}};
    auto p = participation_->CreateProcess(1, in, officer_, kNow);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : Process{};
  }

  int Told(int64_t account_id, const std::string& key) {
    int n = 0;
    auto recent = outbox_->Recent(0, 1000);
    if (!recent.ok()) ADD_FAILURE() << recent.error().detail;
    for (const notify::Record& r : *recent)
      n += r.account_id == account_id && r.template_key == key;
    return n;
  }

  const Actor officer_{0, "officer", "r"};
  std::unique_ptr<notify::CatalogTemplates> templates_;
  std::unique_ptr<notify::Outbox> outbox_;
  std::unique_ptr<Store> participation_;
};

}  // namespace baladiya::participation::testing
