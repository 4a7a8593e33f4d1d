// Accounts opened at the counter for a caller who has none (AccountStore::OpenAtCounter), on
// SQLite and PostgreSQL: validated as registration validates, personal data encrypted, no
// password, marked and audited with the clerk as actor, the caller's SMS queued in the same
// transaction, one ID one account, and taken over by the first password set.
#include <gtest/gtest.h>

#include "identity/store_test_fixture.h"

namespace baladiya::identity {
namespace {

using testing::E164;
using testing::kNow;
using testing::Resident;

class CounterAccountsTest : public testing::IdentityStoreTest {
 protected:
  static constexpr int64_t kHebron = 7;
  static AuditContext Clerk() { return {"clerk-pseudonym", "req-counter", kHebron}; }
  static ResidentRegistration Caller(int n) {
    ResidentRegistration r = Resident(n);
    r.password.clear();  // the clerk types none
    r.email.clear();
    r.birth_date.clear();
    return r;
  }
};

TEST_P(CounterAccountsTest, OpensAnAccountWithoutPasswordMarkedAndAudited) {
  int64_t hooked = 0;
  auto id = store().OpenAtCounter(Caller(1), Clerk(), kNow, [&](db::Tx& tx, int64_t account) {
    hooked = account;
    // The hook runs inside the transaction: the account is already there.
    auto rows = tx.Query("SELECT COUNT(*) FROM accounts WHERE id = ?", {account});
    if (!rows.ok()) return Status(std::move(rows).error());
    EXPECT_EQ((*rows)[0].Int(0), 1);
    return Ok();
  });
  ASSERT_TRUE(id.ok()) << id.error().detail;
  EXPECT_EQ(hooked, *id);
  auto full = store().Get(*id, true);
  ASSERT_TRUE(full.ok());
  EXPECT_EQ(full->kind, AccountKind::kResident);
  EXPECT_EQ(full->personal.phone, E164(1));
  EXPECT_EQ(full->personal.national_id, Caller(1).national_id);
  // Personal data sealed as for every account: nothing readable in the row.
  auto raw = db().Query(
      "SELECT national_id_enc, phone_enc, password_hash FROM accounts WHERE id = ?", {*id});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(std::get<db::Blob>((*raw)[0].at(0)).bytes.find(Caller(1).national_id),
            std::string::npos);
  EXPECT_EQ((*raw)[0].Text(2), "");
  // Nobody signs in with it: no password to match.
  auto creds = store().FindForLogin(Caller(1).national_id);
  ASSERT_TRUE(creds.ok());
  EXPECT_EQ(creds->account_id, *id);
  EXPECT_TRUE(creds->password_hash.empty());
  EXPECT_TRUE(*store().AwaitingTakeOver(*id));
  auto entries = Entries("account.opened_at_counter");
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].actor, "clerk-pseudonym");
  EXPECT_EQ(entries[0].object, full->pseudonym);
  EXPECT_EQ(entries[0].municipality_id, kHebron);
  EXPECT_TRUE(Entries("account.register").empty());
}

TEST_P(CounterAccountsTest, ChecksAsRegistrationDoesAndChangesNothingWhenRefused) {
  ResidentRegistration bad = Caller(2);
  bad.national_id = "123456789";  // wrong check digit
  bad.phone = "0571234567";       // unassigned prefix
  bad.full_name_ar.clear();
  auto refused = store().OpenAtCounter(bad, Clerk(), kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(refused.error().fields.at("national_id"), "identity.national_id.check_digit");
  EXPECT_EQ(refused.error().fields.at("phone"), "identity.phone.format");
  EXPECT_TRUE(refused.error().fields.contains("full_name_ar"));
  EXPECT_FALSE(refused.error().fields.contains("password"));
  // One ID, one account: an ID already registered is refused, and so is one opened before.
  MustRegister(Resident(3));
  auto taken = store().OpenAtCounter(Caller(3), Clerk(), kNow);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(store().OpenAtCounter(Caller(4), Clerk(), kNow).ok());
  EXPECT_EQ(store().OpenAtCounter(Caller(4), Clerk(), kNow).error().code, ErrorCode::kConflict);
  // A failing hook (the SMS could not be queued) leaves no account behind.
  auto hook_failed = store().OpenAtCounter(Caller(5), Clerk(), kNow, [](db::Tx&, int64_t) {
    return Status(MakeError(ErrorCode::kUnavailable, "error.busy", "outbox down"));
  });
  ASSERT_FALSE(hook_failed.ok());
  EXPECT_EQ(store().FindForLogin(Caller(5).national_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM accounts_opened_at_counter"), 1);
  EXPECT_EQ(Entries("account.opened_at_counter").size(), 1u);
}

TEST_P(CounterAccountsTest, TheFirstPasswordTakesTheAccountOver) {
  auto id = store().OpenAtCounter(Caller(6), Clerk(), kNow);
  ASSERT_TRUE(id.ok());
  auto code = store().IssueResetCode(*id, kNow + 1000);
  ASSERT_TRUE(code.ok());
  ASSERT_TRUE(*store().ConsumeResetCode(*id, *code, kNow + 2000));
  auto hash = Hasher().Hash("a-password-of-my-own");
  ASSERT_TRUE(hash.ok());
  ASSERT_TRUE(store().SetPassword(*id, *hash, {"", "req-take", 0}, kNow + 3000).ok());
  EXPECT_FALSE(*store().AwaitingTakeOver(*id));
  EXPECT_EQ(Entries("account.taken_over").size(), 1u);
  // A later change of password is no second take-over.
  ASSERT_TRUE(store().SetPassword(*id, *hash, {"", "req-again", 0}, kNow + 4000).ok());
  EXPECT_EQ(Entries("account.taken_over").size(), 1u);
  // A registered account was never awaiting.
  EXPECT_FALSE(*store().AwaitingTakeOver(MustRegister(Resident(7))));
}

// A caller who once closed an account leaving open applications gets them back on the account
// the counter opens, as registering again would.
TEST_P(CounterAccountsTest, AnAccountOpenedAtTheCounterReclaimsAClosedOnesApplications) {
  const int64_t old = MustRegister(Resident(8));
  ASSERT_TRUE(store().Close(old, {"", "req-close", 0}, kNow, /*keep_claim=*/true).ok());
  std::pair<int64_t, int64_t> moved{0, 0};
  store().AddReclaimObserver([&](db::Tx&, int64_t from, int64_t to) {
    moved = {from, to};
    return Ok();
  });
  auto id = store().OpenAtCounter(Caller(8), Clerk(), kNow + 1000);
  ASSERT_TRUE(id.ok()) << id.error().detail;
  EXPECT_EQ(moved.first, old);
  EXPECT_EQ(moved.second, *id);
  EXPECT_EQ(Entries("account.reclaimed").size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM account_reclaims"), 0);
}

BALADIYA_INSTANTIATE_ENGINES(CounterAccountsTest);

}  // namespace
}  // namespace baladiya::identity
