// interop's store on both engines: client ids, grants (denied by default, per client and service,
// per municipality, audited) and the message log (audited, found by subject, nothing personal in
// the audit entry).
#include <gtest/gtest.h>

#include <cstring>

#include "audit/testing.h"
#include "interop/interop.h"
#include "platform/db/test_support.h"

namespace baladiya::interop {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01

TEST(ClientIdTest, FourPartsOfASubsystemOrNothing) {
  struct Case {
    const char* text;
    bool ok;
  } cases[] = {
      {"PS/GOV/MOI/civil-registry", true},
      {"PS-TEST/COM/12345678/billing_v2", true},
      {"PS/GOV/MOI", false},  // a member without its subsystem
      {"PS/GOV/MOI/civil-registry/extra", false},
      {"PS//MOI/x", false},
      {"", false},
      {"PS/GOV/MOI/civil registry", false},
      {"PS/GOV/MOI/\xd8\xb3\xd8\xac\xd9\x84", false},
  };
  for (const Case& c : cases) {
    auto id = ParseClientId(c.text);
    EXPECT_EQ(id.ok(), c.ok) << c.text;
    if (c.ok) {
      EXPECT_EQ(id->Text(), c.text);
    } else {
      EXPECT_EQ(id.error().message_key, "interop.client_malformed");
    }
  }
}

class InteropStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    crypto::Key32 seed{}, blind{};
    std::string raw = crypto::RandomBytes(64);
    std::memcpy(seed.data(), raw.data(), 32);
    std::memcpy(blind.data(), raw.data() + 32, 32);
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(seed));
    store_ = std::make_unique<Store>(db(), blind, audit_.get());
  }
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<Store> store_;
};

TEST_P(InteropStoreTest, AccessIsDeniedUntilGrantedPerClientServiceAndMunicipality) {
  const std::string moi = "PS/GOV/MOI/civil-registry";
  EXPECT_FALSE(*store_->Allowed(1, moi, kClearanceService));
  auto g = store_->Grant(1, moi, kClearanceService, {"admin-1", "r1"}, kNow);
  ASSERT_TRUE(g.ok()) << g.error().detail;
  EXPECT_TRUE(*store_->Allowed(1, moi, kClearanceService));
  EXPECT_FALSE(*store_->Allowed(1, moi, kCaseStatusService));
  EXPECT_FALSE(*store_->Allowed(2, moi, kClearanceService));
  EXPECT_FALSE(*store_->Allowed(1, "PS/GOV/MOI/other", kClearanceService));
  // Granting again is the same grant, audited once.
  auto again = store_->Grant(1, moi, kClearanceService, {"admin-2", "r2"}, kNow + 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->id, g->id);
  EXPECT_EQ(again->granted_by, "admin-1");
  EXPECT_EQ(audit::testing::Count(*audit_, "xroad.grant"), 1);
  EXPECT_EQ(store_->Grants(1)->size(), 1u);
  // Bad input changes nothing.
  EXPECT_EQ(store_->Grant(1, "PS/GOV/MOI", kClearanceService, {"a", "r"}, kNow).error().message_key,
            "interop.client_malformed");
  EXPECT_EQ(store_->Grant(1, moi, "payroll", {"a", "r"}, kNow).error().message_key,
            "interop.service_unknown");
  EXPECT_EQ(store_->Grants(1)->size(), 1u);
  EXPECT_EQ(store_->Revoke(1, moi, kCaseStatusService, {"a", "r"}, kNow).error().code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(store_->Revoke(1, moi, kClearanceService, {"a", "r"}, kNow).ok());
  EXPECT_FALSE(*store_->Allowed(1, moi, kClearanceService));
  EXPECT_EQ(audit::testing::Count(*audit_, "xroad.revoke"), 1);
}

TEST_P(InteropStoreTest, TheMessageLogIsAuditedAndFoundBySubject) {
  const std::string subject = store_->SubjectKey("401234562");
  EXPECT_EQ(subject, store_->SubjectKey("٤٠١٢٣٤٥٦٢"));  // the same person in Arabic digits
  EXPECT_NE(subject, store_->SubjectKey("401234570"));
  EXPECT_EQ(subject.find("401234562"), std::string::npos);
  Message m;
  m.municipality_id = 1;
  m.client = "PS/GOV/MOI/civil-registry";
  m.service = std::string(kClearanceService);
  m.xroad_id = "abc-1";
  m.user_id = "PS12345";
  m.subject = subject;
  m.status = 200;
  m.request_hash = std::string(64, 'a');
  m.response_hash = std::string(64, 'b');
  m.at = kNow;
  ASSERT_TRUE(store_->Log(m, "req-1").ok());
  m.subject = "";
  m.at = kNow + 5;
  ASSERT_TRUE(store_->Log(m, "req-2").ok());
  auto about = store_->About(subject);
  ASSERT_TRUE(about.ok());
  ASSERT_EQ(about->size(), 1u);
  EXPECT_EQ((*about)[0].user_id, "PS12345");
  EXPECT_EQ((*about)[0].at, kNow);
  EXPECT_TRUE(store_->About("")->empty());
  EXPECT_EQ(store_->Recent(1)->size(), 2u);
  EXPECT_TRUE(store_->Recent(2)->empty());
  auto entries = audit::testing::Entries(*audit_);
  ASSERT_EQ(entries.size(), 2u);
  for (const audit::Entry& e : entries) {
    EXPECT_EQ(e.action, "xroad.exchange");
    EXPECT_EQ(e.actor, "xroad:PS/GOV/MOI/civil-registry");
    EXPECT_EQ(e.object, "clearance");
    EXPECT_TRUE(e.request_id == "req-1" || e.request_id == "req-2") << e.request_id;
  }
}

BALADIYA_INSTANTIATE_ENGINES(InteropStoreTest);

}  // namespace
}  // namespace baladiya::interop
