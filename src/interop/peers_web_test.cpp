// Peers between two real servers on loopback (two harnesses, each its own database and key
// file): each publishes its municipalities' keys at the well-known address; Hebron's admin
// registers Nablus on the other server, whose key is fetched and pinned; bad input is refused
// with the field's error and nothing stored; removing; other staff refused; both audited.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "audit/testing.h"
#include "interop/peers.h"
#include "interop/web_test_fixture.h"

namespace baladiya::interop {
namespace {

using http::testing::RawClient;
using identity::Role;

class PeerPagesTest : public testing::InteropWebTest {
 protected:
  void SetUp() override {
    InteropWebTest::SetUp();
    if (HasFatalFailure()) return;
    baladiya::testing::HarnessOptions o = Options();
    o.name = "peer-server";
    auto other = baladiya::testing::WebHarness::Start(std::move(o));
    ASSERT_TRUE(other.ok()) << other.error().detail;
    other_ = std::move(*other);
  }
  void TearDown() override {
    other_.reset();
    InteropWebTest::TearDown();
  }
  std::string OtherUrl() { return "http://127.0.0.1:" + std::to_string(other_->port()); }
  PeerStore& peers() { return web().Part<PeerStore>(); }
  std::unique_ptr<baladiya::testing::WebHarness> other_;
};

TEST_F(PeerPagesTest, EachServerPublishesItsMunicipalitiesKeys) {
  auto r = other_->Get(std::string(kKeySetPath));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.MediaType(), "application/jwk-set+json");
  auto nablus = KeyFromSet(r.body, "nablus");
  ASSERT_TRUE(nablus.ok()) << nablus.error().detail;
  EXPECT_TRUE(nablus->keyid.starts_with("nablus-"));
  auto hebron = KeyFromSet(r.body, "hebron");
  ASSERT_TRUE(hebron.ok());
  EXPECT_NE(hebron->keyid, nablus->keyid);
  // The other server's keys are its own: its key file differs from this one's.
  auto ours = KeyFromSet(web().Get(std::string(kKeySetPath)).body, "nablus");
  ASSERT_TRUE(ours.ok());
  EXPECT_NE(ours->keyid, nablus->keyid);
  // A key set whose kid does not name its key is refused.
  std::string forged = r.body;
  forged.replace(forged.find(nablus->keyid), nablus->keyid.size(), ours->keyid);
  auto bad = KeyFromSet(forged, "nablus");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message_key, "interop.peer.keyset_malformed");
  EXPECT_EQ(KeyFromSet("[]", "nablus").error().message_key, "interop.peer.keyset_malformed");
  EXPECT_EQ(KeyFromSet(r.body, "jenin").error().code, ErrorCode::kNotFound);
}

TEST_F(PeerPagesTest, TheAdminRegistersAPeerWhoseKeyIsFetchedAndPinned) {
  auto admin = Staff("hebron.admin", Role::kMunicipalAdmin, "hebron");
  std::string res = admin.Get("/m/hebron/admin/xroad?lang=en");
  EXPECT_NE(res.find("/m/hebron/admin/peers"), std::string::npos) << "linked from X-Road page";
  res = admin.Get("/m/hebron/admin/peers?lang=en");
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(res.find("No peer municipality is registered."), std::string::npos) << res;

  struct Bad {
    std::string url, municipality;
    int status;
    std::string text;
  } cases[] = {
      {"ftp://127.0.0.1", "nablus", 422, "starting with http:// or https://"},
      {OtherUrl() + "/?x=1", "nablus", 422, "starting with http:// or https://"},
      {OtherUrl(), "Nablus!", 422, "lower-case letters"},
      {OtherUrl(), "jenin", 422, "has no key for this municipality code"},
      {"http://127.0.0.1:9", "nablus", 502, "did not answer with its key set"},
  };
  for (const Bad& c : cases) {
    res = admin.Post("/m/hebron/admin/peers?lang=en",
                     {{"url", c.url}, {"municipality", c.municipality}});
    EXPECT_EQ(RawClient::Status(res), c.status) << c.url << " " << c.municipality;
    EXPECT_NE(res.find(c.text), std::string::npos) << c.url << " " << c.municipality;
  }
  EXPECT_TRUE(peers().List(Hebron())->empty());

  res = admin.Post("/m/hebron/admin/peers?lang=en",
                   {{"url", OtherUrl() + "/"}, {"municipality", "nablus"}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  auto list = peers().List(Hebron());
  ASSERT_EQ(list->size(), 1u);
  const Peer& p = list->front();
  EXPECT_EQ(p.base_url, OtherUrl());
  EXPECT_EQ(p.municipality, "nablus");
  auto theirs = KeyFromSet(other_->Get(std::string(kKeySetPath)).body, "nablus");
  EXPECT_EQ(p.keyid, theirs->keyid);
  EXPECT_EQ(p.public_key, theirs->public_key);
  EXPECT_NE(res.find("nablus is registered with key " + p.keyid), std::string::npos);
  // The same again: a conflict, nothing more stored.
  res = admin.Post("/m/hebron/admin/peers?lang=en",
                   {{"url", OtherUrl()}, {"municipality", "nablus"}});
  EXPECT_EQ(RawClient::Status(res), 409);
  EXPECT_EQ(peers().List(Hebron())->size(), 1u);
  // In Arabic.
  res = admin.Get("/m/hebron/admin/peers?lang=ar");
  EXPECT_NE(res.find("البلديات الشريكة"), std::string::npos);
  EXPECT_NE(res.find(p.keyid), std::string::npos);

  res = admin.Post("/m/hebron/admin/peers/remove?lang=en", {{"peer", std::to_string(p.id)}});
  EXPECT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_TRUE(peers().List(Hebron())->empty());
  EXPECT_EQ(RawClient::Status(admin.Post("/m/hebron/admin/peers/remove", {{"peer", "999"}})), 404);
  EXPECT_EQ(audit::testing::Count(audit(), "peer.add"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "peer.remove"), 1);
}

TEST_F(PeerPagesTest, OnlyTheMunicipalitysAdminManagesPeers) {
  auto clerk = Staff("hebron.clerk", Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/peers")), 403);
  auto nablus = Staff("nablus.admin", Role::kMunicipalAdmin, "nablus");
  EXPECT_EQ(RawClient::Status(nablus.Post("/m/hebron/admin/peers",
                                          {{"url", OtherUrl()}, {"municipality", "nablus"}})),
            403);
  EXPECT_TRUE(peers().List(Hebron())->empty());
}

}  // namespace
}  // namespace baladiya::interop
