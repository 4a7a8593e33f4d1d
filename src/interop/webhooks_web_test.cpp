// Webhooks on loopback: an integrator's receiver of the tests' own (a real HTTP server) verifies
// each post's RFC 9421 signature with the key the municipality publishes at the well-known
// address and its Content-Digest; the admin subscribes it on the webhooks page (bad input
// refused, nothing stored); a report filed, moved and completed reaches it as case.filed,
// case.moved and case.completed, in order even when a delivery fails and is retried with
// back-off; the delivery log shows it, and a replay sends it again.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <mutex>
#include <thread>

#include "app/interop_exchange_join.h"
#include "audit/testing.h"
#include "cases/filing.h"
#include "interop/peers.h"
#include "interop/web_test_fixture.h"
#include "interop/webhooks.h"
#include "platform/crypto/http_signature.h"
#include "platform/http/server.h"

namespace baladiya::interop {
namespace {

namespace httpsig = crypto::httpsig;
namespace json = boost::json;
using http::testing::RawClient;
using identity::Role;

// The integrator: answers 500 to the first `fail_first` posts, then 204; keeps what it accepted
// and whether each post's signature verified with `key`.
class Receiver {
 public:
  Receiver() {
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 2;
    o.offload_threads = 0;
    server_ = std::make_unique<http::Server>(o, [this](http::Request& r) { return Take(r); });
    if (!server_->Listen().ok()) throw std::runtime_error("the receiver cannot listen");
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~Receiver() {
    server_->Stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/hooks/baladiya";
  }
  void Trust(const PeerKey& key) {
    std::lock_guard<std::mutex> l(mu_);
    key_ = key;
  }
  void FailFirst(int n) {
    std::lock_guard<std::mutex> l(mu_);
    fail_first_ = n;
  }
  struct Post {
    std::string event;
    std::string tracking;
    bool verified = false;
  };
  std::vector<Post> accepted() {
    std::lock_guard<std::mutex> l(mu_);
    return accepted_;
  }
  int refused() {
    std::lock_guard<std::mutex> l(mu_);
    return refused_;
  }

 private:
  http::Response Take(http::Request& r) {
    std::lock_guard<std::mutex> l(mu_);
    if (fail_first_ > 0) {
      --fail_first_;
      ++refused_;
      return http::Response::Json(500, "{}");
    }
    Post p;
    auto sig = httpsig::Parse(r.headers.Get("signature-input"), r.headers.Get("signature"), "t");
    if (sig.ok() && sig->keyid == key_.keyid &&
        httpsig::DigestMatches(r.headers.Get("content-digest"), r.body)) {
      auto base = httpsig::Base(
          *sig,
          [&r](std::string_view c) -> std::optional<std::string> {
            if (c == "@method") return r.method_name;
            if (c == "@path") return std::string(r.target.substr(0, r.target.find('?')));
            if (c == "content-digest") return std::string(r.headers.Get("content-digest"));
            return std::nullopt;
          },
          "t");
      p.verified = base.ok() && httpsig::Verify(*sig, *base, key_.public_key);
    }
    json::value v = json::parse(r.body);
    p.event = std::string(v.at("event").as_string());
    p.tracking = std::string(v.at("case").at("tracking").as_string());
    accepted_.push_back(p);
    return http::Response::Json(204, "");
  }

  std::mutex mu_;
  PeerKey key_;
  int fail_first_ = 0;
  int refused_ = 0;
  std::vector<Post> accepted_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
};

module::Module WebhookJoin() {
  module::Module m;
  m.name = "interop-exchange-join";
  m.open = app::JoinInteropExchange;
  return m;
}

class WebhookTest : public testing::InteropWebTest {
 protected:
  std::vector<module::Module> Above() override {
    auto above = InteropWebTest::Above();
    above.push_back(WebhookJoin());
    return above;
  }
  WebhookStore& hooks() { return web().Part<WebhookStore>(); }
  Receiver receiver_;
};

TEST_F(WebhookTest, CaseEventsArriveSignedAndInOrder) {
  auto key = FetchPeerKey("http://127.0.0.1:" + std::to_string(port()), "hebron");
  ASSERT_TRUE(key.ok());
  receiver_.Trust(*key);
  auto admin = Staff("hebron.admin", Role::kMunicipalAdmin, "hebron");
  std::string res = admin.Get("/m/hebron/admin/xroad?lang=en");
  EXPECT_NE(res.find("/m/hebron/admin/webhooks"), std::string::npos);
  res = admin.Post("/m/hebron/admin/webhooks?lang=en", {{"url", "gopher://x"}, {"events", ""}});
  EXPECT_EQ(RawClient::Status(res), 422);
  res = admin.Post("/m/hebron/admin/webhooks?lang=en",
                   {{"url", receiver_.url()}, {"events", "case.deleted"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_NE(res.find("Choose one of the events offered."), std::string::npos);
  EXPECT_TRUE(hooks().List(Hebron())->empty());
  res = admin.Post("/m/hebron/admin/webhooks?lang=en", {{"url", receiver_.url()}, {"events", ""}});
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  ASSERT_EQ(hooks().List(Hebron())->size(), 1u);

  // A report filed and worked to completion by the engineering clerk and head.
  baladiya::testing::Browser resident(port());
  identity::testing::Register(resident, "401234562", "0599123456");
  auto cred = accounts().FindForLogin("401234562");
  ASSERT_TRUE(cred.ok());
  auto service = services().Find(Hebron(), "street-light-report");
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = cred->account_id;
  in.channel = "web";
  in.answers = {{"location", {"Ibn Rushd roundabout"}},
                {"problem", {"not_working"}},
                {"description", {"Dark"}}};
  auto filed = web().Part<cases::Filing>().SubmitAnswers(
      in, *service, {cred->account_id, "p-res", {"resident"}, "web", "r"}, Now());
  ASSERT_TRUE(filed.ok());
  const std::string tracking = filed->filed.tracking;
  auto head = Staff("hebron.head", Role::kDepartmentHead, "hebron", "engineering");
  head.Get("/m/hebron/cases/" + tracking);
  int version = 1;
  for (const char* action : {"start_review", "approve", "complete"}) {
    res = head.Post("/m/hebron/cases/" + tracking + "/act",
                    {{"version", std::to_string(version++)}, {"action", action}});
    ASSERT_EQ(RawClient::Status(res), 303) << action << res;
    head.Get("/m/hebron/cases/" + tracking);
  }

  // The first post fails: nothing after it goes before it is delivered.
  receiver_.FailFirst(1);
  EXPECT_EQ(hooks().DeliverDue(Now(), 1000), 0);
  EXPECT_EQ(receiver_.refused(), 1);
  EXPECT_TRUE(receiver_.accepted().empty());
  web().clock().Advance(999);
  EXPECT_EQ(hooks().DeliverDue(Now(), 1000), 0) << "not before its back-off";
  web().clock().Advance(1);
  EXPECT_EQ(hooks().DeliverDue(Now(), 1000), 4);
  auto got = receiver_.accepted();
  ASSERT_EQ(got.size(), 4u);
  const char* expected[] = {"case.filed", "case.moved", "case.moved", "case.completed"};
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].event, expected[i]) << i;
    EXPECT_EQ(got[i].tracking, tracking);
    EXPECT_TRUE(got[i].verified) << i;
  }
  EXPECT_EQ(hooks().DeliverDue(Now(), 1000), 0);

  // The delivery log, and a replay.
  res = admin.Get("/m/hebron/admin/webhooks?lang=en");
  EXPECT_NE(res.find("A case is completed or closed"), std::string::npos) << res;
  EXPECT_NE(res.find("delivered (204)"), std::string::npos);
  auto log = hooks().Deliveries(Hebron());
  ASSERT_EQ(log->size(), 4u);
  res = admin.Post("/m/hebron/admin/webhooks/replay?lang=en",
                   {{"delivery", std::to_string(log->back().id)}});
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_EQ(hooks().DeliverDue(Now(), 1000), 1);
  EXPECT_EQ(receiver_.accepted().back().event, "case.filed");
  EXPECT_EQ(RawClient::Status(admin.Post("/m/hebron/admin/webhooks/replay", {{"delivery", "999"}})),
            404);
  res = admin.Get("/m/hebron/admin/webhooks?lang=ar");
  EXPECT_NE(res.find("سجل التسليم"), std::string::npos);
  EXPECT_EQ(audit::testing::Count(audit(), "webhook.subscribe"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "webhook.replay"), 1);
  // Other staff cannot reach the page.
  auto clerk = Staff("hebron.clerk", Role::kClerk, "hebron", "engineering");
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/admin/webhooks")), 403);
}

}  // namespace
}  // namespace baladiya::interop
