// payments' store tests: a scratch database on either engine (db::testing::EngineTest) with the
// audit log's and payments' migrations, a fresh master key, the audit log and the payment store.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "audit/audit.h"
#include "payments/payments.h"
#include "platform/crypto/crypto.h"
#include "platform/db/migrate.h"
#include "platform/db/test_support.h"

namespace baladiya::payments::testing {

class PaymentsStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    std::string raw = crypto::RandomBytes(32);
    std::memcpy(key_.data(), raw.data(), 32);
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(key_));
    store_ = std::make_unique<PaymentStore>(db(), key_, audit_.get());
  }

  crypto::Key32 key_{};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<PaymentStore> store_;
};

}  // namespace baladiya::payments::testing
