// Peers, the transfer outbox and webhooks' delivery log on both engines: a peer pinned once per
// key (audited), found by key id only in its municipality, nonces spent once; a transfer queued
// once while it waits; webhook events queued per subscription and replayed.
#include <gtest/gtest.h>

#include <cstring>

#include "audit/testing.h"
#include "interop/exchange.h"
#include "interop/peers.h"
#include "interop/webhooks.h"
#include "platform/db/test_support.h"

namespace baladiya::interop {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01

class PeerStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    std::string raw = crypto::RandomBytes(64);
    std::memcpy(seed_.data(), raw.data(), 32);
    crypto::Key32 audit_seed{};
    std::memcpy(audit_seed.data(), raw.data() + 32, 32);
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(audit_seed));
    peers_ = std::make_unique<PeerStore>(db(), audit_.get());
  }
  PeerKey KeyOf(const std::string& slug, int64_t id) {
    const crypto::SigningKey k = MunicipalityKey(seed_, id);
    return {slug, KeyId(slug, k.public_key), k.public_key};
  }
  crypto::Key32 seed_{};
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<PeerStore> peers_;
};

TEST_P(PeerStoreTest, APeerIsPinnedOnceAndItsNoncesSpentOnce) {
  const PeerKey nablus = KeyOf("nablus", 2);
  EXPECT_NE(nablus.keyid, KeyOf("nablus", 3).keyid) << "each municipality its own key";
  auto p = peers_->Add(1, "https://nablus.example/", nablus, {"admin", "r"}, kNow);
  ASSERT_TRUE(p.ok()) << p.error().detail;
  EXPECT_EQ(p->base_url, "https://nablus.example");
  EXPECT_EQ(peers_->Add(1, "https://other.example", nablus, {"admin", "r"}, kNow).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ(peers_->Add(1, "ftp://x", KeyOf("jenin", 4), {"admin", "r"}, kNow).error().message_key,
            "interop.peer.url_invalid");
  EXPECT_TRUE(peers_->ByKeyId(1, nablus.keyid).ok());
  EXPECT_EQ(peers_->ByKeyId(9, nablus.keyid).error().code, ErrorCode::kNotFound);
  auto got = peers_->ByKeyId(1, nablus.keyid);
  EXPECT_EQ(got->public_key, nablus.public_key);

  auto spend = [&](const std::string& nonce, int64_t at) {
    return db().Write([&](db::Tx& tx) { return peers_->SpendNonce(tx, p->id, nonce, at); });
  };
  EXPECT_TRUE(spend("n1", kNow).ok());
  Status again = spend("n1", kNow + 1000);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message_key, "interop.peer.replayed");
  EXPECT_TRUE(spend("n2", kNow + 1000).ok());
  // Past twice the skew a nonce is forgotten (its message would be stale anyway).
  EXPECT_TRUE(spend("n1", kNow + 2 * kPeerSkewSeconds * 1000 + 1).ok());

  ExchangeStore out(db(), *peers_, audit_.get(), seed_);
  CaseDocument doc;
  doc.tracking = "HEB-26-000001-1";
  doc.service = "street-light-report";
  auto t = out.Queue(1, "hebron", *p, doc, {"head", "r"}, kNow);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(out.Queue(1, "hebron", *p, doc, {"head", "r"}, kNow).error().message_key,
            "interop.transfer.pending");
  auto body = ParseTransfer(t->body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(body->from, "hebron");
  EXPECT_EQ(body->to, "nablus");
  EXPECT_EQ(body->doc.tracking, doc.tracking);
  EXPECT_FALSE(ParseTransfer("{\"transfer\":\"x\"}").ok());

  ASSERT_TRUE(peers_->Remove(1, p->id, {"admin", "r"}, kNow).ok());
  EXPECT_EQ(peers_->Remove(1, p->id, {"admin", "r"}, kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit::testing::Count(*audit_, "peer.add"), 1);
  EXPECT_EQ(audit::testing::Count(*audit_, "peer.remove"), 1);
  EXPECT_EQ(audit::testing::Count(*audit_, "peer.transfer"), 1);
}

TEST_P(PeerStoreTest, WebhookEventsAreQueuedPerSubscriptionAndReplayed) {
  WebhookStore hooks(db(), audit_.get(), seed_);
  ASSERT_TRUE(hooks.Subscribe(1, "http://127.0.0.1:9/all", "", {"admin", "r"}, kNow).ok());
  ASSERT_TRUE(
      hooks.Subscribe(1, "http://127.0.0.1:9/filed", "case.filed", {"admin", "r"}, kNow).ok());
  EXPECT_EQ(hooks.Subscribe(1, "http://127.0.0.1:9/x", "case.deleted", {"a", "r"}, kNow)
                .error()
                .message_key,
            "interop.webhook.event_unknown");
  ASSERT_TRUE(hooks.Subscribe(2, "http://127.0.0.1:9/other", "", {"admin", "r"}, kNow).ok());
  for (const char* event : {"case.filed", "case.moved"}) {
    Status s = db().Write([&](db::Tx& tx) {
      return hooks.Enqueue(tx, {1, "hebron", event, "HEB-26-000001-1", "s", "", "x", kNow});
    });
    ASSERT_TRUE(s.ok());
  }
  auto log = hooks.Deliveries(1);
  ASSERT_EQ(log->size(), 3u);  // filed to both, moved to the first
  EXPECT_TRUE(hooks.Deliveries(2)->empty());
  EXPECT_EQ(log->front().state, "pending");
  ASSERT_TRUE(hooks.Replay(1, log->back().id, {"admin", "r"}, kNow).ok());
  EXPECT_EQ(hooks.Deliveries(1)->size(), 4u);
  EXPECT_EQ(hooks.Replay(2, log->back().id, {"admin", "r"}, kNow).error().code,
            ErrorCode::kNotFound);
  auto list = hooks.List(1);
  ASSERT_EQ(list->size(), 2u);
  ASSERT_TRUE(hooks.Unsubscribe(1, list->front().id, {"admin", "r"}, kNow).ok());
  EXPECT_EQ(hooks.List(1)->size(), 1u);
  EXPECT_EQ(audit::testing::Count(*audit_, "webhook.subscribe"), 3);
}

BALADIYA_INSTANTIATE_ENGINES(PeerStoreTest);

}  // namespace
}  // namespace baladiya::interop
