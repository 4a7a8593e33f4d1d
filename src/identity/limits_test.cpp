// The limits identity keeps (issue 12), on SQLite and PostgreSQL where they are stored: login
// keys that every spelling shares, device tokens, second-factor failures with no forgiving window,
// reset codes capped per account per day, the counter's scoped, audited and limited lookups, API
// token expiry, and the in-memory Quota.
#include <gtest/gtest.h>

#include <set>

#include "identity/store_test_fixture.h"

namespace baladiya::identity {
namespace {

using testing::kNow;
using testing::NationalId;
using testing::Resident;

constexpr int64_t kMinute = 60'000;
constexpr int64_t kDay = 24 * 60 * kMinute;

class LimitsTest : public testing::IdentityStoreTest {};

// The finding: "4.01234562", a no-break space, LRM/RLM/ALM marks and other digit forms each
// opened the same account with a fresh limit. Every spelling FindForLogin resolves alike now
// shares one key, and FindForLogin does resolve every one of them to the account.
TEST_P(LimitsTest, EverySpellingOfALoginSharesOneLimitKey) {
  ResidentRegistration r = Resident(1);
  r.national_id = "401234562";
  r.phone = "0599123456";
  const int64_t id = MustRegister(r);
  MustCreateStaff("hebron.clerk", 1, {{Role::kClerk, 1, 0}});
  const std::vector<std::vector<std::string>> groups = {
      {"401234562", "4.01234562", "4 0123 4562", "401-234-562", "(401)234562", " 401234562 ",
       "401\u00a0234\u00a0562", "\u200e401234562\u200f", "\u061c401234562",
       "\u0664\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0662",
       "\u06f4\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f2"},
      {"0599123456", "+970599123456", "00970 599 123 456", "+970 (0)599-123-456", "599123456",
       "\u0660\u0665\u0669\u0669\u0661\u0662\u0663\u0664\u0665\u0666", "972599123456"},
      {"hebron.clerk", "Hebron.Clerk", "  HEBRON.CLERK "},
  };
  std::set<std::string> seen;
  for (const auto& spellings : groups) {
    const std::string key = store().LoginLimitKey(spellings[0]);
    EXPECT_TRUE(seen.insert(key).second) << spellings[0];
    EXPECT_EQ(key.rfind("login:", 0), 0u);
    EXPECT_EQ(key.find(spellings[0]), std::string::npos);  // keyed, not the login itself
    for (const auto& s : spellings) {
      EXPECT_EQ(store().LoginLimitKey(s), key) << s;
      auto found = store().FindForLogin(s);
      if (&spellings != &groups.back()) {
        ASSERT_TRUE(found.ok()) << s;
        EXPECT_EQ(found->account_id, id) << s;
      }
    }
  }
  // Text that can name no account shares one key: spelling variants of garbage multiply nothing.
  EXPECT_EQ(store().LoginLimitKey("<script>"), store().LoginLimitKey("!!! ???"));
  EXPECT_EQ(store().LoginLimitKey("user@example.org"), store().LoginLimitKey("\u200e"));
  EXPECT_NE(store().LoginLimitKey("401234562"), store().LoginLimitKey("401234570"));
}

TEST_P(LimitsTest, DeviceTokensBelongToOneAccount) {
  const int64_t a = MustRegister(Resident(1));
  const int64_t b = MustRegister(Resident(2));
  const std::string token = store().NewDeviceToken(a);
  EXPECT_TRUE(store().DeviceTokenValid(a, token));
  EXPECT_FALSE(store().DeviceTokenValid(b, token));
  EXPECT_NE(store().NewDeviceToken(a), token);
  std::string forged = token;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_FALSE(store().DeviceTokenValid(a, forged));
  EXPECT_FALSE(store().DeviceTokenValid(a, ""));
  EXPECT_FALSE(store().DeviceTokenValid(a, token.substr(token.find('.'))));
  EXPECT_FALSE(store().DeviceTokenValid(0, token));
}

// The finding: the second factor forgave after 60 s (5 codes every 61 s, never blocked). Now
// failures count with no window; every fifth ends the sessions waiting for the second factor and
// blocks codes for a time that doubles, at most a day; only a good code or an admin clears them.
TEST_P(LimitsTest, SecondFactorFailuresHaveNoForgivingWindow) {
  const int64_t id = MustCreateStaff("nablus.head", 2, {{Role::kDepartmentHead, 2, 0}});
  AuditContext ctx{"", "req", 2};
  int64_t t = kNow;
  for (int i = 1; i <= 4; ++i) {
    auto s = store().SecondFactorFailed(id, ctx, t);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->failures, i);
    EXPECT_FALSE(s->round_ended);
    t += 10 * kMinute;  // long past any window: nothing is forgiven
  }
  SessionStore sessions(db(), {});
  auto waiting = sessions.Create(id, true, false, t);
  auto elevated = sessions.Create(id, true, true, t);
  ASSERT_TRUE(waiting.ok() && elevated.ok());
  auto fifth = store().SecondFactorFailed(id, ctx, t);
  ASSERT_TRUE(fifth.ok());
  EXPECT_TRUE(fifth->round_ended);
  EXPECT_EQ(fifth->blocked_until, t + kMinute);
  EXPECT_FALSE(sessions.Resolve(*waiting, t).ok());  // the password must be given again
  EXPECT_TRUE(sessions.Resolve(*elevated, t).ok());  // a session that gave the code stays
  EXPECT_EQ(store().SecondFactor(id)->failures, 5);
  // Rounds double the block: 1, 2, 4, ... minutes, never more than a day.
  int64_t block = kMinute;
  for (int round = 2; round <= 14; ++round) {
    block = std::min(block * 2, kDay);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(store().SecondFactorFailed(id, ctx, t).ok());
    auto last = store().SecondFactorFailed(id, ctx, t);
    ASSERT_TRUE(last.ok());
    EXPECT_TRUE(last->round_ended) << round;
    EXPECT_EQ(last->blocked_until - t, block) << round;
  }
  EXPECT_EQ(Entries("account.mfa_failures").size(), 14u);
  // A good code clears the count.
  ASSERT_TRUE(store().SecondFactorPassed(id).ok());
  EXPECT_EQ(store().SecondFactor(id)->failures, 0);
  EXPECT_EQ(store().SecondFactor(id)->blocked_until, 0);
  // So does an administrator, by enabling the account or by a reset (audited).
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store().SecondFactorFailed(id, ctx, t).ok());
  ASSERT_GT(store().SecondFactor(id)->blocked_until, t);
  ASSERT_TRUE(store().SetStatus(id, AccountStatus::kActive, {"admin", "r", 2}, t).ok());
  EXPECT_EQ(store().SecondFactor(id)->blocked_until, 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store().SecondFactorFailed(id, ctx, t).ok());
  ASSERT_TRUE(store().ResetSecondFactor(id, {"admin", "r", 2}, t).ok());
  EXPECT_EQ(store().SecondFactor(id)->failures, 0);
  EXPECT_EQ(Entries("account.mfa_reset").size(), 1u);
}

// The finding: 300 reset SMS to one victim in 0.7 s, and every new code reset the guess count,
// so a code was guessed. Now: at most kResetCodesPerDay codes a day per account, and wrong
// guesses count across them.
TEST_P(LimitsTest, ResetCodesAreCappedPerDayAndNewCodesKeepTheGuessCount) {
  const int64_t id = MustRegister(Resident(1));
  int delivered = 0;
  auto deliver = [&](db::Tx&, const std::string&) -> Status {
    ++delivered;
    return Ok();
  };
  std::string last;
  for (int i = 0; i < AccountStore::kResetCodesPerDay; ++i) {
    auto code = store().IssueResetCode(id, kNow + i * kMinute, {}, deliver);
    ASSERT_TRUE(code.ok()) << i;
    last = *code;
  }
  auto over = store().IssueResetCode(id, kNow + 10 * kMinute, {}, deliver);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kConflict);
  EXPECT_EQ(over.error().message_key, "identity.reset_code.daily_limit");
  EXPECT_EQ(delivered, AccountStore::kResetCodesPerDay);
  // The last code is still good (the refused request changed nothing).
  EXPECT_TRUE(*store().ConsumeResetCode(id, last, kNow + 11 * kMinute));
  // A day after the window opened, codes come again.
  const int64_t next_day = kNow + kDay + kMinute;
  auto fresh = store().IssueResetCode(id, next_day, {}, deliver);
  ASSERT_TRUE(fresh.ok());
  // Wrong guesses: five across two codes spend the day, and the new code does not reset them.
  std::string wrong = *fresh;
  wrong[0] = wrong[0] == '9' ? '0' : static_cast<char>(wrong[0] + 1);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(*store().ConsumeResetCode(id, wrong, next_day + 1));
  auto second = store().IssueResetCode(id, next_day + 2, {}, deliver);
  ASSERT_TRUE(second.ok());
  std::string wrong2 = *second;
  wrong2[0] = wrong2[0] == '9' ? '0' : static_cast<char>(wrong2[0] + 1);
  for (int i = 0; i < 2; ++i) EXPECT_FALSE(*store().ConsumeResetCode(id, wrong2, next_day + 3));
  EXPECT_FALSE(*store().ConsumeResetCode(id, *second, next_day + 4));  // right, but too late
  auto third = store().IssueResetCode(id, next_day + 5, {}, deliver);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(*store().ConsumeResetCode(id, *third, next_day + 6));
  // An unknown login runs the same statements and matches nothing.
  EXPECT_FALSE(*store().ConsumeResetCode(0, *third, next_day + 6));
}

TEST_P(LimitsTest, CounterLookupsAreScopedFirstAuditedAndLimited) {
  ResidentRegistration r = Resident(1);
  const int64_t resident = MustRegister(r);
  auto staff = [](int64_t id, std::vector<Grant> grants) {
    Principal p;
    p.account_id = id;
    p.pseudonym = "staff-" + std::to_string(id);
    p.staff = true;
    p.mfa_satisfied = true;
    p.grants = std::move(grants);
    return p;
  };
  const Principal counter = staff(100, {{Role::kCounterClerk, 1, 0}});
  const Principal clerk = staff(101, {{Role::kClerk, 1, 0}});  // may unmask, not the counter
  const Principal other = staff(102, {{Role::kCounterClerk, 2, 0}});
  const size_t before = Entries().size();
  // Out of scope: refused before any search, and nothing audited.
  for (const Principal* who : {&clerk, &other}) {
    auto refused =
        store().LookUpResident(*who, 1, r.national_id, "", {who->pseudonym, "r", 1}, kNow);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kForbidden);
  }
  EXPECT_EQ(
      store().LookUpResident(clerk, 1, r.national_id, "phone", {"c", "r", 1}, kNow).error().code,
      ErrorCode::kForbidden);
  EXPECT_EQ(Entries().size(), before);
  // In scope: found (or not), and every lookup audited without what was typed.
  auto found = store().LookUpResident(counter, 1, r.national_id, "", {"counter", "r1", 1}, kNow);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, resident);
  EXPECT_EQ(found->personal.national_id, r.national_id);
  auto unmasked = store().LookUpResident(counter, 1, r.phone, "phone", {"counter", "r2", 1}, kNow);
  ASSERT_TRUE(unmasked.ok());
  auto missing = store().LookUpResident(counter, 1, NationalId(7), "", {"counter", "r3", 1}, kNow);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store()
                .LookUpResident(counter, 1, r.phone, "password", {"counter", "r", 1}, kNow)
                .error()
                .code,
            ErrorCode::kInvalid);
  auto lookups = Entries("account.lookup");
  auto unmasks = Entries("account.unmask");
  ASSERT_EQ(lookups.size(), 2u);
  ASSERT_EQ(unmasks.size(), 1u);
  EXPECT_EQ(lookups[0].actor, "counter");
  EXPECT_EQ(lookups[0].municipality_id, 1);
  EXPECT_EQ(lookups[0].object, found->pseudonym);
  EXPECT_EQ(lookups[1].object, "none");
  // The field shown (never its value), recorded as a change so that its name is kept readable.
  EXPECT_EQ(unmasks[0].details_hash, crypto::Sha256Hex(audit::DetailsWithChanges(
                                         "field=phone", {{"phone", "masked", "shown"}})));
  for (const auto& e : Entries()) {
    EXPECT_EQ(e.object.find(r.national_id), std::string::npos);
    EXPECT_EQ(e.request_id.find(r.national_id), std::string::npos);
  }
  // The finding: 1,000 lookups in 1.6 s. Now 30 in ten minutes per staff account.
  int allowed = 3;  // the lookups above that got past the scope check
  Result<Account> last = found;
  for (; allowed < 40; ++allowed) {
    last = store().LookUpResident(counter, 1, r.national_id, "", {"counter", "r", 1}, kNow + 1);
    if (!last.ok() && last.error().code == ErrorCode::kUnavailable) break;
  }
  EXPECT_EQ(allowed, 30);
  EXPECT_EQ(last.error().message_key, "limits.lookups");
  EXPECT_GT(std::stoll(last.error().fields.at("retry_after")), 0);
  // Another staff account has its own quota.
  const Principal colleague = staff(103, {{Role::kCounterClerk, 1, 0}});
  EXPECT_TRUE(store().LookUpResident(colleague, 1, r.national_id, "", {"c2", "r", 1}, kNow).ok());
  // Ten minutes on, the quota is back.
  EXPECT_TRUE(
      store()
          .LookUpResident(counter, 1, r.national_id, "", {"counter", "r", 1}, kNow + 11 * kMinute)
          .ok());
}

TEST_P(LimitsTest, ApiTokensExpire) {
  const int64_t id = MustCreateStaff("hebron.api", 1, {{Role::kClerk, 1, 0}});
  ApiTokenStore tokens(db(), store(), &log());
  const Grant g{Role::kClerk, 1, 0};
  auto token = tokens.Issue(id, g, "integration", {"system", "r", 1}, kNow);
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(tokens.Resolve(*token, kNow + 89 * kDay).ok());
  EXPECT_FALSE(tokens.Resolve(*token, kNow + 90 * kDay).ok());
  auto list = tokens.OfMunicipality(1);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].expires_at, kNow + 90 * kDay);
  auto week = tokens.Issue(id, g, "short", {"system", "r", 1}, kNow, std::chrono::hours(24 * 7));
  ASSERT_TRUE(week.ok());
  EXPECT_FALSE(tokens.Resolve(*week, kNow + 8 * kDay).ok());
  EXPECT_EQ(tokens.Issue(id, g, "x", {"system", "r", 1}, kNow, std::chrono::hours(1)).error().code,
            ErrorCode::kInvalid);
  EXPECT_FALSE(
      tokens.Issue(id, g, "x", {"system", "r", 1}, kNow, std::chrono::hours(24 * 400)).ok());
}

TEST_P(LimitsTest, AHookThatFailsLeavesNoSession) {
  const int64_t id = MustRegister(Resident(1));
  SessionStore sessions(db(), {});
  auto refused = sessions.Create(id, false, true, kNow, [](db::Tx&) -> Status {
    return MakeError(ErrorCode::kUnavailable, "error.unavailable", "audit append failed");
  });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM sessions"), 0);
  auto token = sessions.Create(id, false, false, kNow);
  ASSERT_TRUE(token.ok());
  auto elevated = sessions.Elevate(*token, kNow, [](db::Tx&) -> Status {
    return MakeError(ErrorCode::kUnavailable, "error.unavailable", "audit append failed");
  });
  EXPECT_FALSE(elevated.ok());
  EXPECT_TRUE(sessions.Resolve(*token, kNow).ok());  // the old session is untouched
  EXPECT_FALSE(sessions
                   .Revoke(*token,
                           [](db::Tx&) -> Status {
                             return MakeError(ErrorCode::kUnavailable, "error.unavailable", "x");
                           })
                   .ok());
  EXPECT_TRUE(sessions.Resolve(*token, kNow).ok());
}

BALADIYA_INSTANTIATE_ENGINES(LimitsTest);

TEST(Quota, CountsEveryEventInASlidingWindow) {
  Quota q(3, std::chrono::seconds(60));
  EXPECT_EQ(q.Take("a", kNow), 0);
  EXPECT_EQ(q.Take("a", kNow + 10'000), 0);
  EXPECT_EQ(q.Take("a", kNow + 20'000), 0);
  EXPECT_EQ(q.Take("a", kNow + 30'000), 30);  // the first leaves the window at kNow + 60 s
  EXPECT_EQ(q.Take("b", kNow + 30'000), 0);   // keys apart
  EXPECT_EQ(q.Take("a", kNow + 60'000), 0);
  EXPECT_EQ(q.Take("a", kNow + 60'001), 10);
  EXPECT_EQ(q.TrackedKeys(), 2u);
}

}  // namespace
}  // namespace baladiya::identity
