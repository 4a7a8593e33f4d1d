// SessionStore on SQLite and PostgreSQL: hashed tokens, idle and absolute timeouts for staff and
// residents, touching at most once a minute, rotation on elevation, revocation.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "identity/store_test_fixture.h"

namespace baladiya::identity {
namespace {

using testing::kNow;
using testing::Resident;

constexpr int64_t kMinute = int64_t{60} * 1000;
constexpr int64_t kHour = 60 * kMinute;

class SessionStoreTest : public testing::IdentityStoreTest {
 protected:
  void SetUp() override {
    IdentityStoreTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    resident_ = MustRegister(Resident(1));
    staff_ = MustCreateStaff("clerk.s", 1, {{Role::kClerk, 1, 0}});
    sessions_ = std::make_unique<SessionStore>(db(), SessionPolicy{});
  }

  int64_t LastSeen(const std::string& token) {
    return Count("SELECT last_seen_at FROM sessions WHERE id_hash = ?", {crypto::Sha256Hex(token)});
  }

  SessionStore& sessions() { return *sessions_; }

  int64_t resident_ = 0;
  int64_t staff_ = 0;
  std::unique_ptr<SessionStore> sessions_;
};

// The account security page's store: live sessions listed (expired ones left out) with what
// they keep of their browser, which elevation keeps; ended one by one or all but one, never
// another account's.
TEST_P(SessionStoreTest, LiveSessionsAreListedAndEndedPerAccount) {
  auto a = sessions().Create(resident_, false, false, kNow, {}, {"firefox/windows", "203.0.113.x"});
  auto b = sessions().Create(resident_, false, true, kNow + kMinute, {}, {"chrome/android", ""});
  auto old = sessions().Create(resident_, false, true, kNow - 2 * kHour);  // idle too long
  auto theirs = sessions().Create(staff_, true, true, kNow);
  ASSERT_TRUE(a.ok() && b.ok() && old.ok() && theirs.ok());
  auto elevated = sessions().Elevate(*a, kNow + 2 * kMinute);
  ASSERT_TRUE(elevated.ok());

  auto live = sessions().Live(resident_, kNow + 2 * kMinute);
  ASSERT_TRUE(live.ok());
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ((*live)[0].id_hash, crypto::Sha256Hex(*elevated));  // the most recently seen first
  EXPECT_EQ((*live)[0].client.agent, "firefox/windows");
  EXPECT_EQ((*live)[0].client.network, "203.0.113.x");
  EXPECT_EQ((*live)[0].created_at, kNow);
  EXPECT_TRUE((*live)[0].csrf_token.empty());
  EXPECT_EQ((*live)[1].client.agent, "chrome/android");

  // Another account's session is not this account's to end.
  EXPECT_FALSE(*sessions().End(resident_, crypto::Sha256Hex(*theirs)));
  EXPECT_FALSE(*sessions().End(resident_, "not a hash"));
  int hooked = 0;
  auto ended = sessions().End(resident_, crypto::Sha256Hex(*b), [&](db::Tx&) {
    ++hooked;
    return Ok();
  });
  ASSERT_TRUE(ended.ok());
  EXPECT_TRUE(*ended);
  EXPECT_EQ(hooked, 1);
  EXPECT_FALSE(sessions().Resolve(*b, kNow + 2 * kMinute).ok());

  auto c = sessions().Create(resident_, false, true, kNow + 2 * kMinute);
  ASSERT_TRUE(c.ok());
  auto others = sessions().EndOthers(resident_, *elevated);
  ASSERT_TRUE(others.ok());
  EXPECT_EQ(*others, 2);  // c and the idle one
  EXPECT_TRUE(sessions().Resolve(*elevated, kNow + 2 * kMinute).ok());
  EXPECT_TRUE(sessions().Resolve(*theirs, kNow + 2 * kMinute).ok());
  EXPECT_EQ(*sessions().CountLive(resident_, kNow + 2 * kMinute), 1);
}

TEST_P(SessionStoreTest, TokensAreRandomAndStoredOnlyAsHashes) {
  auto token = sessions().Create(resident_, false, false, kNow);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 43u);  // 32 bytes, base64url
  auto other = sessions().Create(resident_, false, false, kNow);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(*token, *other);

  auto rows = db().Query("SELECT id_hash, csrf_token FROM sessions");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  for (const auto& r : *rows) {
    EXPECT_NE(r.Text(0), *token);
    EXPECT_NE(r.Text(0), *other);
    EXPECT_EQ(r.Text(0).size(), 64u);
  }
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE id_hash = ?", {crypto::Sha256Hex(*token)}),
            1);

  auto s = sessions().Resolve(*token, kNow);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->account_id, resident_);
  EXPECT_FALSE(s->mfa_satisfied);
  EXPECT_EQ(s->id_hash, crypto::Sha256Hex(*token));
  EXPECT_EQ(s->csrf_token.size(), 43u);
  EXPECT_NE(s->csrf_token, sessions().Resolve(*other, kNow)->csrf_token);
  EXPECT_EQ(s->created_at, kNow);

  for (const std::string& bad :
       {std::string(), std::string("x"), std::string(500, 'a'), crypto::Sha256Hex(*token)}) {
    auto r = sessions().Resolve(bad, kNow);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  }
}

TEST_P(SessionStoreTest, TouchesAtMostOnceAMinute) {
  auto token = sessions().Create(resident_, false, false, kNow);
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(sessions().Resolve(*token, kNow + 30 * 1000).ok());
  EXPECT_EQ(LastSeen(*token), kNow);
  ASSERT_TRUE(sessions().Resolve(*token, kNow + 59 * 1000).ok());
  EXPECT_EQ(LastSeen(*token), kNow);
  auto s = sessions().Resolve(*token, kNow + kMinute);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->last_seen_at, kNow + kMinute);
  EXPECT_EQ(LastSeen(*token), kNow + kMinute);
  ASSERT_TRUE(sessions().Resolve(*token, kNow + kMinute + 1000).ok());
  EXPECT_EQ(LastSeen(*token), kNow + kMinute);
}

TEST_P(SessionStoreTest, IdleTimeoutIsShorterForStaff) {
  auto resident = sessions().Create(resident_, false, false, kNow);
  auto staff = sessions().Create(staff_, true, true, kNow);
  ASSERT_TRUE(resident.ok() && staff.ok());
  // 30 minutes idle: both alive (the limit itself is still inside).
  EXPECT_TRUE(sessions().Resolve(*staff, kNow + 30 * kMinute).ok());
  auto staff2 = sessions().Create(staff_, true, true, kNow);
  ASSERT_TRUE(staff2.ok());
  EXPECT_EQ(sessions().Resolve(*staff2, kNow + 30 * kMinute + 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(sessions().Resolve(*resident, kNow + 30 * kMinute + 1).ok());
  // An expired session is gone for good, even if asked about at an earlier time.
  EXPECT_FALSE(sessions().Resolve(*staff2, kNow).ok());
  // Residents: 60 minutes idle.
  EXPECT_FALSE(sessions().Resolve(*resident, kNow + 30 * kMinute + 1 + 60 * kMinute + 1).ok());
}

TEST_P(SessionStoreTest, AbsoluteTimeoutEndsEvenBusySessions) {
  auto staff = sessions().Create(staff_, true, true, kNow);
  ASSERT_TRUE(staff.ok());
  int64_t t = kNow;
  for (; t <= kNow + 12 * kHour; t += 20 * kMinute) {
    ASSERT_TRUE(sessions().Resolve(*staff, t).ok()) << (t - kNow) / kMinute << " min";
  }
  EXPECT_FALSE(sessions().Resolve(*staff, kNow + 12 * kHour + 1).ok());

  SessionPolicy policy;
  policy.resident_absolute = std::chrono::hours(2);
  SessionStore short_lived(db(), policy);
  auto resident = short_lived.Create(resident_, false, false, kNow);
  ASSERT_TRUE(resident.ok());
  for (t = kNow; t <= kNow + 2 * kHour; t += 30 * kMinute) {
    ASSERT_TRUE(short_lived.Resolve(*resident, t).ok());
  }
  EXPECT_FALSE(short_lived.Resolve(*resident, kNow + 2 * kHour + 1).ok());
}

TEST_P(SessionStoreTest, ElevateRotatesTheTokenAndKeepsTheLoginTime) {
  auto token = sessions().Create(staff_, true, false, kNow);
  ASSERT_TRUE(token.ok());
  const std::string old_csrf = sessions().Resolve(*token, kNow)->csrf_token;
  auto elevated = sessions().Elevate(*token, kNow + 5000);
  ASSERT_TRUE(elevated.ok());
  EXPECT_NE(*elevated, *token);
  EXPECT_FALSE(sessions().Resolve(*token, kNow + 5000).ok());
  auto s = sessions().Resolve(*elevated, kNow + 5000);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->mfa_satisfied);
  EXPECT_EQ(s->account_id, staff_);
  EXPECT_EQ(s->created_at, kNow);  // the absolute timeout still counts from the login
  EXPECT_EQ(s->last_seen_at, kNow + 5000);
  EXPECT_NE(s->csrf_token, old_csrf);
  EXPECT_FALSE(sessions().Elevate(*token, kNow + 6000).ok());  // the old token is spent
  EXPECT_EQ(sessions().Elevate("unknown", kNow).error().code, ErrorCode::kNotFound);
  // An expired session cannot be elevated.
  auto idle = sessions().Create(staff_, true, false, kNow);
  ASSERT_TRUE(idle.ok());
  EXPECT_FALSE(sessions().Elevate(*idle, kNow + 31 * kMinute).ok());
  EXPECT_EQ(Count("SELECT count(*) FROM sessions WHERE account_id = ?", {staff_}), 1);
}

TEST_P(SessionStoreTest, ConcurrentElevationsOfOneTokenLetOneWin) {
  auto token = sessions().Create(staff_, true, false, kNow);
  ASSERT_TRUE(token.ok());
  constexpr int kThreads = 6;
  std::atomic<int> ready{0};
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      auto r = sessions().Elevate(*token, kNow + 1);
      if (r.ok()) {
        ++won;
      } else if (r.error().code != ErrorCode::kNotFound) {
        ADD_FAILURE() << r.error().detail;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 1);
}

TEST_P(SessionStoreTest, RevokeAndRevokeAll) {
  auto a = sessions().Create(resident_, false, false, kNow);
  auto b = sessions().Create(resident_, false, false, kNow);
  auto c = sessions().Create(staff_, true, true, kNow);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_TRUE(sessions().Revoke(*a).ok());
  EXPECT_FALSE(sessions().Resolve(*a, kNow).ok());
  EXPECT_TRUE(sessions().Resolve(*b, kNow).ok());
  EXPECT_TRUE(sessions().Revoke("never-issued").ok());
  ASSERT_TRUE(sessions().RevokeAll(resident_).ok());
  EXPECT_FALSE(sessions().Resolve(*b, kNow).ok());
  EXPECT_TRUE(sessions().Resolve(*c, kNow).ok());
}

TEST_P(SessionStoreTest, SessionsOfInactiveAccountsDoNotResolve) {
  auto token = sessions().Create(resident_, false, false, kNow);
  ASSERT_TRUE(token.ok());
  // Disabled behind the session store's back (as another node would): the join sees it.
  ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                    auto n = tx.Exec("UPDATE accounts SET status = 'disabled' WHERE id = ?",
                                     {resident_});
                    return n.ok() ? Ok() : Status(std::move(n).error());
                  })
                  .ok());
  EXPECT_EQ(sessions().Resolve(*token, kNow).error().code, ErrorCode::kNotFound);
}

TEST_P(SessionStoreTest, PurgeAndCountLive) {
  auto staff = sessions().Create(staff_, true, true, kNow);
  auto resident = sessions().Create(resident_, false, false, kNow);
  auto resident2 = sessions().Create(resident_, false, false, kNow + 40 * kMinute);
  ASSERT_TRUE(staff.ok() && resident.ok() && resident2.ok());
  const int64_t later = kNow + 45 * kMinute;
  EXPECT_EQ(*sessions().CountLive(resident_, later), 2);
  EXPECT_EQ(*sessions().CountLive(staff_, later), 0);
  EXPECT_EQ(*sessions().PurgeExpired(later), 1);  // the staff session, idle past 30 minutes
  EXPECT_EQ(*sessions().PurgeExpired(later + 61 * kMinute), 2);
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
}

BALADIYA_INSTANTIATE_ENGINES(SessionStoreTest);

}  // namespace
}  // namespace baladiya::identity
