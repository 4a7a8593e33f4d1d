// The outbox on both engines: transactional enqueue, sealing, claiming, retries, receipts, inbox.
#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <set>
#include <thread>

#include "notify/notify.h"
#include "notify/test_support.h"
#include "platform/db/test_support.h"

namespace baladiya::notify {
namespace {

using testing::Catalogue;
using testing::kNow;

class OutboxTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto m = db::Migrate(db(), Migrations());
    ASSERT_TRUE(m.ok()) << m.error().detail;
    std::string raw = crypto::RandomBytes(32);
    std::memcpy(master_.data(), raw.data(), 32);
    templates_ = std::make_unique<CatalogTemplates>(Catalogue());
    outbox_ = std::make_unique<Outbox>(db(), master_, *templates_);
  }

  Notification Code(Channel channel, int64_t account = 7) {
    Notification n;
    n.channel = channel;
    n.account_id = account;
    n.municipality_id = 1;
    n.lang = "ar";
    n.template_key = "account.reset_code";
    n.params = {{"code", "48213377"}, {"minutes", "10"}};
    return n;
  }

  int64_t Count(const std::string& sql, const db::Params& p = {}) {
    auto r = db().Query(sql, p);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().detail);
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  crypto::Key32 master_{};
  std::unique_ptr<CatalogTemplates> templates_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_P(OutboxTest, EnqueueIsPartOfTheCallersTransaction) {
  // The change fails after the notification was written: neither stays.
  Status s = db().Write([&](db::Tx& tx) -> Status {
    auto id = outbox_->Enqueue(tx, Code(Channel::kSms), kNow);
    EXPECT_TRUE(id.ok());
    return MakeError(ErrorCode::kConflict, "error.conflict", "the change itself failed");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox"), 0);

  s = db().Write([&](db::Tx& tx) -> Status {
    auto id = outbox_->Enqueue(tx, Code(Channel::kSms), kNow);
    if (!id.ok()) return std::move(id).error();
    return Ok();
  });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox WHERE state = 'queued'"), 1);
}

TEST_P(OutboxTest, TheStoredTextIsSealedAndErasedOnceSent) {
  Notification n = Code(Channel::kEmail, 0);
  n.address = "resident@example.org";
  auto id = outbox_->Enqueue(n, kNow);
  ASSERT_TRUE(id.ok()) << id.error().detail;
  auto raw = db().Query("SELECT sealed FROM notify_outbox WHERE id = ?", {*id});
  ASSERT_TRUE(raw.ok());
  const std::string sealed = (*raw)[0].Bytes(0);
  EXPECT_EQ(sealed.find("48213377"), std::string::npos);
  EXPECT_EQ(sealed.find("resident@example.org"), std::string::npos);

  auto claimed = outbox_->Claim(10, kNow);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  const Delivery& d = (*claimed)[0];
  EXPECT_EQ(d.address, "resident@example.org");
  EXPECT_NE(d.message.text.find("48213377"), std::string::npos);
  EXPECT_NE(d.message.subject.find("رمز"), std::string::npos);  // Arabic template
  EXPECT_EQ(outbox_->Get(*id)->state, State::kSending);

  ASSERT_TRUE(outbox_->MarkSent(d.id, kNow + 5).ok());
  auto rec = outbox_->Get(*id);
  EXPECT_EQ(rec->state, State::kSent);
  EXPECT_EQ(rec->sent_at, kNow + 5);
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox WHERE sealed IS NULL"), 1);
}

TEST_P(OutboxTest, ARowMovedToAnotherReferenceDoesNotOpen) {
  auto a = outbox_->Enqueue(Code(Channel::kSms, 1), kNow);
  auto b = outbox_->Enqueue(Code(Channel::kSms, 2), kNow);
  ASSERT_TRUE(a.ok() && b.ok());
  // Copy a's sealed text onto b: it was sealed for a's reference, so b cannot be opened and is
  // failed rather than sent with someone else's text.
  ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                    auto n = tx.Exec(
                        "UPDATE notify_outbox SET sealed = (SELECT sealed FROM notify_outbox "
                        "WHERE id = ?) WHERE id = ?",
                        {*a, *b});
                    if (!n.ok()) return std::move(n).error();
                    return Ok();
                  })
                  .ok());
  auto claimed = outbox_->Claim(10, kNow);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, *a);
  EXPECT_EQ(outbox_->Get(*b)->state, State::kFailed);
}

TEST_P(OutboxTest, TemplatesInTheRecipientsLanguageAndNoMissingPlaceholder) {
  Notification n = Code(Channel::kEmail);
  n.lang = "en";
  ASSERT_TRUE(outbox_->Enqueue(n, kNow).ok());
  auto claimed = outbox_->Claim(10, kNow);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message.subject, "Your password reset code");

  Notification missing = Code(Channel::kSms);
  missing.params.erase("code");
  auto r = outbox_->Enqueue(missing, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().detail.find("{code}"), std::string::npos);

  Notification unknown = Code(Channel::kSms);
  unknown.template_key = "no.such.template";
  EXPECT_EQ(outbox_->Enqueue(unknown, kNow).error().message_key, "notify.template_missing");

  Notification nobody = Code(Channel::kSms, 0);
  EXPECT_EQ(outbox_->Enqueue(nobody, kNow).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox"), 1);
}

TEST_P(OutboxTest, SmsUsesItsShortTemplate) {
  ASSERT_TRUE(outbox_->Enqueue(Code(Channel::kSms), kNow).ok());
  auto claimed = outbox_->Claim(10, kNow);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_TRUE((*claimed)[0].message.subject.empty());
  EXPECT_EQ((*claimed)[0].message.text,
            "بلدية: رمز استعادة كلمة المرور \u206848213377\u2069، صالح ١٠ دقائق.");
}

TEST_P(OutboxTest, DedupeKeyMakesOneMessage) {
  Notification n = Code(Channel::kSms);
  n.dedupe_key = "case:17:submitted:sms";
  auto a = outbox_->Enqueue(n, kNow);
  auto b = outbox_->Enqueue(n, kNow + 1);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox"), 1);
}

TEST_P(OutboxTest, FailedAttemptsBackOffThenFail) {
  auto id = outbox_->Enqueue(Code(Channel::kSms), kNow);
  ASSERT_TRUE(id.ok());
  int64_t now = kNow;
  const RetryPolicy& p = outbox_->policy();
  for (int attempt = 1; attempt < p.max_attempts; ++attempt) {
    auto claimed = outbox_->Claim(10, now);
    ASSERT_EQ(claimed->size(), 1u) << "attempt " << attempt;
    EXPECT_EQ((*claimed)[0].attempts, attempt - 1);
    ASSERT_TRUE(outbox_->MarkAttemptFailed(*id, "gateway answered 503", false, now).ok());
    auto rec = outbox_->Get(*id);
    EXPECT_EQ(rec->state, State::kQueued);
    EXPECT_EQ(rec->attempts, attempt);
    EXPECT_EQ(rec->next_attempt_at, now + BackoffMs(p, attempt));
    EXPECT_EQ(rec->last_error, "gateway answered 503");
    // Not due before its time.
    EXPECT_TRUE(outbox_->Claim(10, rec->next_attempt_at - 1)->empty());
    now = rec->next_attempt_at;
  }
  auto last = outbox_->Claim(10, now);
  ASSERT_EQ(last->size(), 1u);
  ASSERT_TRUE(outbox_->MarkAttemptFailed(*id, "gateway answered 503", false, now).ok());
  EXPECT_EQ(outbox_->Get(*id)->state, State::kFailed);
  EXPECT_EQ(Count("SELECT count(*) FROM notify_outbox WHERE sealed IS NULL"), 1);
  EXPECT_TRUE(outbox_->Claim(10, now + 86'400'000)->empty());
}

TEST_P(OutboxTest, BackoffGrowsAndIsCapped) {
  RetryPolicy p;
  EXPECT_EQ(BackoffMs(p, 1), 30'000);
  EXPECT_EQ(BackoffMs(p, 2), 120'000);
  EXPECT_EQ(BackoffMs(p, 3), 480'000);
  EXPECT_EQ(BackoffMs(p, 4), 1'920'000);
  EXPECT_EQ(BackoffMs(p, 5), 3'600'000);
  EXPECT_EQ(BackoffMs(p, 50), 3'600'000);
}

TEST_P(OutboxTest, PermanentFailureIsFinalAtOnce) {
  auto id = outbox_->Enqueue(Code(Channel::kSms), kNow);
  ASSERT_EQ(outbox_->Claim(10, kNow)->size(), 1u);
  ASSERT_TRUE(outbox_->MarkAttemptFailed(*id, "not an E.164 number", true, kNow).ok());
  auto rec = outbox_->Get(*id);
  EXPECT_EQ(rec->state, State::kFailed);
  EXPECT_EQ(rec->attempts, 1);
}

TEST_P(OutboxTest, AnExpiredLeaseIsClaimedAgain) {
  auto id = outbox_->Enqueue(Code(Channel::kSms), kNow);
  ASSERT_EQ(outbox_->Claim(10, kNow)->size(), 1u);
  EXPECT_TRUE(outbox_->Claim(10, kNow + 1000)->empty());  // leased
  auto again = outbox_->Claim(10, kNow + outbox_->policy().lease_ms);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, *id);
}

TEST_P(OutboxTest, ConcurrentDispatchersClaimEachMessageOnce) {
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(outbox_->Enqueue(Code(Channel::kSms, i + 1), kNow).ok());
  std::mutex mu;
  std::multiset<int64_t> seen;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 10; ++round) {
        auto c = outbox_->Claim(7, kNow);
        ASSERT_TRUE(c.ok()) << c.error().detail;
        std::lock_guard lock(mu);
        for (const auto& d : *c) seen.insert(d.id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 60u);
}

TEST_P(OutboxTest, SmsReceiptsSettleDelivery) {
  auto id = outbox_->Enqueue(Code(Channel::kSms), kNow);
  auto c = outbox_->Claim(10, kNow);
  ASSERT_EQ(c->size(), 1u);
  const std::string ref = (*c)[0].reference;
  ASSERT_TRUE(outbox_->MarkSent(*id, kNow + 1).ok());
  EXPECT_TRUE(*outbox_->Receipt(ref, true, "", kNow + 9));
  EXPECT_TRUE(*outbox_->Receipt(ref, true, "", kNow + 10));  // repeated receipt: idempotent
  auto rec = outbox_->Get(*id);
  EXPECT_EQ(rec->state, State::kDelivered);
  EXPECT_EQ(rec->delivered_at, kNow + 9);
  EXPECT_FALSE(*outbox_->Receipt("no-such-reference", true, "", kNow));

  auto other = outbox_->Enqueue(Code(Channel::kSms), kNow);
  auto c2 = outbox_->Claim(10, kNow);
  ASSERT_TRUE(outbox_->MarkSent(*other, kNow + 1).ok());
  EXPECT_TRUE(*outbox_->Receipt((*c2)[0].reference, false, "handset unreachable", kNow + 20));
  EXPECT_EQ(outbox_->Get(*other)->state, State::kFailed);
  EXPECT_EQ(outbox_->Get(*other)->last_error, "handset unreachable");
}

// In-app messages reach the inbox in the transaction that queues them: a rolled-back change
// leaves none, a committed one needs no dispatcher pass.
TEST_P(OutboxTest, InAppMessagesReachTheInbox) {
  Notification n = Code(Channel::kInApp, 42);
  Status rolled_back = db().Write([&](db::Tx& tx) -> Status {
    if (auto id = outbox_->Enqueue(tx, n, kNow); !id.ok()) return std::move(id).error();
    return MakeError(ErrorCode::kInvalid, "error.invalid", "the change is refused");
  });
  ASSERT_FALSE(rolled_back.ok());
  EXPECT_EQ(*outbox_->Unread(42), 0);
  auto id = outbox_->Enqueue(n, kNow);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(outbox_->Get(*id)->state, State::kDelivered);
  Dispatcher dispatcher(*outbox_, nullptr, nullptr, nullptr);
  auto stats = dispatcher.RunOnce(kNow + 1);
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->claimed, 0);
  auto inbox = outbox_->Inbox(42, 10);
  ASSERT_EQ(inbox->size(), 1u);
  EXPECT_EQ((*inbox)[0].title, "رمز استعادة كلمة المرور");
  EXPECT_EQ(*outbox_->Unread(42), 1);
  EXPECT_EQ(*outbox_->Unread(43), 0);
  ASSERT_TRUE(outbox_->MarkAllRead(42, kNow + 2).ok());
  EXPECT_EQ(*outbox_->Unread(42), 0);
  EXPECT_EQ(outbox_->CountByState()->at("delivered"), 1);
}

TEST_P(OutboxTest, UnconfiguredChannelsAndMissingAddressesFailClearly) {
  auto email = outbox_->Enqueue(Code(Channel::kEmail, 5), kNow);
  auto sms = outbox_->Enqueue(Code(Channel::kSms, 6), kNow);
  AddressBook none = [](Channel, int64_t) -> Result<std::string> {
    return MakeError(ErrorCode::kNotFound, "error.not_found");
  };
  // A real gateway client aimed at a closed port: had it tried to send, the error would say so.
  SmsGatewaySender closed({"http://127.0.0.1:1/send", "t", "Baladiya", 2000});
  Dispatcher dispatcher(*outbox_, none, nullptr, &closed);
  ASSERT_TRUE(dispatcher.RunOnce(kNow).ok());
  EXPECT_EQ(outbox_->Get(*email)->state, State::kFailed);
  EXPECT_EQ(outbox_->Get(*email)->last_error, "channel not configured");
  EXPECT_EQ(outbox_->Get(*sms)->state, State::kFailed);
  EXPECT_EQ(outbox_->Get(*sms)->last_error, "recipient has no address for this channel");
}

BALADIYA_INSTANTIATE_ENGINES(OutboxTest);

}  // namespace
}  // namespace baladiya::notify
