// Shared by the identity store tests: a scratch database on either engine with the audit and
// identity migrations, random keys, an audit log, an account store and a fast password hasher.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "platform/db/test_support.h"

namespace baladiya::identity::testing {

inline constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
inline constexpr char kPassword[] = "Qalqilya-orchard-1987";

// A valid national ID from an 8-digit body (Luhn-style check digit, weights 1,2,1,2,...).
inline std::string NationalId(int body) {
  std::string id = std::to_string(body);
  id = std::string(8 - id.size(), '0') + id;
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    int d = (id[i] - '0') * (i % 2 == 0 ? 1 : 2);
    sum += d / 10 + d % 10;
  }
  return id + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// A Palestinian mobile number, local form "0599xxxxxx", and its E.164 form.
inline std::string LocalPhone(int n) {
  std::string digits = std::to_string(n % 1000000);
  return "0599" + std::string(6 - digits.size(), '0') + digits;
}
inline std::string E164(int n) { return "+970" + LocalPhone(n).substr(1); }

inline ResidentRegistration Resident(int n) {
  ResidentRegistration r;
  r.national_id = NationalId(40000000 + n);
  r.full_name_ar = "محمد أحمد الخطيب";
  r.full_name_en = "Mohammad Ahmad Al-Khatib";
  r.phone = LocalPhone(n);
  r.email = "resident" + std::to_string(n) + "@Example.org";
  r.birth_date = "1990-05-12";
  r.password = kPassword;
  return r;
}

class IdentityStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    auto m = db::Migrate(db(), all);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    for (crypto::Key32* k : {&keys_.master, &keys_.blind_index, &keys_.signing_seed}) {
      std::string raw = crypto::RandomBytes(k->size());
      std::memcpy(k->data(), raw.data(), k->size());
    }
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(keys_.signing_seed));
    store_ = std::make_unique<AccountStore>(db(), keys_, audit_.get());
  }

  // libsodium's minimum argon2id cost keeps the tests fast.
  static PasswordHasher& Hasher() {
    static PasswordHasher hasher(HashParams{8192, 1}, 2, 256);
    return hasher;
  }

  AccountStore& store() { return *store_; }
  audit::AuditLog& log() { return *audit_; }

  int64_t MustRegister(const ResidentRegistration& r) {
    auto id = store_->RegisterResident(r, Hasher(), {"", "req-1", 1}, kNow);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message_key + " " + id.error().detail);
    return id.ok() ? *id : 0;
  }

  int64_t MustCreateStaff(const std::string& username, int64_t municipality,
                          std::vector<Grant> grants) {
    StaffInput s;
    s.username = username;
    s.full_name_ar = "سعاد حسن";
    s.full_name_en = "Suad Hasan";
    s.email = username + "@hebron.ps";
    s.password = kPassword;
    s.municipality_id = municipality;
    s.grants = std::move(grants);
    auto id = store_->CreateStaff(s, Hasher(), {"system", "req-2", municipality}, kNow);
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message_key + " " + id.error().detail);
    return id.ok() ? *id : 0;
  }

  // Audit entries whose action starts with prefix, oldest first.
  std::vector<audit::Entry> Entries(const std::string& prefix = "") {
    audit::AuditLog::Filter f;
    f.action_prefix = prefix;
    f.limit = 1000;
    auto list = audit_->List(f);
    EXPECT_TRUE(list.ok());
    if (!list.ok()) return {};
    return std::vector<audit::Entry>(list->rbegin(), list->rend());
  }

  int64_t Count(const std::string& sql, const db::Params& params = {}) {
    auto rows = db().Query(sql, params);
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().detail);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  crypto::KeyFile keys_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<AccountStore> store_;
};

}  // namespace baladiya::identity::testing
