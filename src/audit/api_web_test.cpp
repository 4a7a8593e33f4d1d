// The audit log's public API over HTTP, on the web harness (platform/testing) with the audit module
// alone: signed checkpoints, inclusion proofs and consistency proofs, each exchange checked
// against the OpenAPI document, every response audit's fragment documents exercised; and the
// golden files in src/audit/golden/ (README.md there).
#include <boost/json.hpp>

#include "audit/audit.h"
#include "platform/crypto/crypto.h"
#include "platform/http/test_client.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"
#include "platform/testing/web_harness.h"

namespace baladiya::audit {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;
using baladiya::testing::Exchange;
using baladiya::testing::HarnessOptions;
using http::testing::RawClient;

class AuditWebTest : public baladiya::testing::WebTest {
 protected:
  HarnessOptions Options() override {
    HarnessOptions o;
    o.modules = {Module()};
    return o;
  }
  AuditLog& log() { return web().Part<AuditLog>(); }
  // Appends one entry, as a module does with its change.
  void Append(const std::string& action, int64_t at = 0) {
    EntryInput e;
    e.time_ms = at ? at : Now();
    e.actor = "system";
    e.action = action;
    e.object = "test:1";
    e.request_id = "req-test";
    e.details = "n=1";
    auto appended = log().Append(e);
    ASSERT_TRUE(appended.ok()) << appended.error().detail;
  }
};

TEST_F(AuditWebTest, AuditApiServesSignedCheckpointsAndProofs) {
  auto json = [&](const std::string& target) { return RawClient::Get(port(), target); };
  EXPECT_EQ(RawClient::Status(json("/api/v1/audit/checkpoint")), 404);  // none yet
  Append("account.register");
  ASSERT_TRUE(log().WriteCheckpoint(Now()).ok());
  std::string cp = json("/api/v1/audit/checkpoint");
  EXPECT_EQ(RawClient::Status(cp), 200);
  EXPECT_EQ(RawClient::Header(cp, "content-type"), "application/json");
  EXPECT_NE(RawClient::Body(cp).find("\"signature\":\""), std::string::npos) << cp;
  EXPECT_NE(RawClient::Body(cp).find("\"format\":\"baladiya-audit-checkpoint/v1\""),
            std::string::npos);
  std::string proof = json("/api/v1/audit/proof?index=0");
  EXPECT_EQ(RawClient::Status(proof), 200) << proof;
  EXPECT_NE(RawClient::Body(proof).find("\"path\""), std::string::npos) << proof;
  struct Case {
    const char* target;
    int status;
    const char* code;
  } bad[] = {{"/api/v1/audit/proof", 400, "bad_request"},
             {"/api/v1/audit/proof?index=abc", 400, "bad_request"},
             {"/api/v1/audit/proof?index=-1", 400, "bad_request"},
             {"/api/v1/audit/proof?index=99999999", 404, "not_found"}};
  EXPECT_NE(RawClient::Body(json("/api/v1/audit/proof?index=x&lang=en"))
                .find("\"message\":\"index must be a non-negative integer.\""),
            std::string::npos);
  for (const auto& c : bad) {
    std::string res = json(c.target);
    EXPECT_EQ(RawClient::Status(res), c.status) << c.target;
    EXPECT_NE(RawClient::Body(res).find(std::string("\"code\":\"") + c.code + "\""),
              std::string::npos)
        << c.target << " " << res;
  }
}

TEST_F(AuditWebTest, AuditConsistencyProofsAreServed) {
  Append("account.register");
  auto first = log().WriteCheckpoint(Now());
  ASSERT_TRUE(first.ok());
  Append("session.login");
  Append("session.logout");
  auto second = log().WriteCheckpoint(Now());
  ASSERT_TRUE(second.ok());
  ASSERT_GT(second->tree_size, first->tree_size);
  std::string target = "/api/v1/audit/consistency?first=" + std::to_string(first->tree_size) +
                       "&second=" + std::to_string(second->tree_size);
  std::string res = RawClient::Get(port(), target);
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  auto body = json::parse(RawClient::Body(res)).as_object();
  ConsistencyProof proof{body["first"].as_int64(), body["second"].as_int64(), {}};
  for (const auto& h : body["path"].as_array()) {
    proof.path.push_back(*crypto::FromHex(std::string(h.as_string())));
  }
  EXPECT_TRUE(VerifyConsistency(proof, first->root_hash, second->root_hash));
  for (const char* bad :
       {"?first=2&second=1", "?first=-1&second=2", "?first=x&second=2", "?second=2"}) {
    EXPECT_EQ(
        RawClient::Status(RawClient::Get(port(), std::string("/api/v1/audit/consistency") + bad)),
        400)
        << bad;
  }
  EXPECT_EQ(
      RawClient::Status(RawClient::Get(port(), "/api/v1/audit/consistency?first=1&second=100000")),
      404);
}

// The API held against the OpenAPI document the program serves.
class AuditApiTest : public AuditWebTest {
 protected:
  void SetUp() override {
    AuditWebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }
  // No checkpoint yet, then one; proofs of entries it covers; consistency between two sizes.
  void CheckpointsAndProofs() {
    Exchange none = api_->Get("/api/v1/audit/checkpoint?lang=en");
    ASSERT_EQ(none.status, 404);
    EXPECT_EQ(none.json.at("error").at("code"), "not_found");
    EXPECT_EQ(api_->Get("/api/v1/audit/proof?index=0").status, 404);  // no checkpoint covers it
    Append("account.register");                                       // something to log
    ASSERT_TRUE(log().WriteCheckpoint(Now()).ok());
    Exchange checkpoint = api_->Get("/api/v1/audit/checkpoint");
    ASSERT_EQ(checkpoint.status, 200);
    EXPECT_GE(checkpoint.json.at("tree_size").as_int64(), 1);
    EXPECT_EQ(checkpoint.json.at("format"), "baladiya-audit-checkpoint/v1");
    Exchange proof = api_->Get("/api/v1/audit/proof?index=0");
    ASSERT_EQ(proof.status, 200);
    EXPECT_EQ(proof.json.at("index"), 0);
    EXPECT_EQ(api_->Get("/api/v1/audit/proof?index=-1").status, 400);
    EXPECT_EQ(api_->Get("/api/v1/audit/proof?index=x").status, 400);
    EXPECT_EQ(api_->Get("/api/v1/audit/proof?index=100000").status, 404);
    // Consistency between two sizes the latest checkpoint covers (RFC 9162 2.1.4).
    const int64_t size = checkpoint.json.at("tree_size").as_int64();
    Exchange consistency =
        api_->Get("/api/v1/audit/consistency?first=1&second=" + std::to_string(size));
    ASSERT_EQ(consistency.status, 200);
    EXPECT_EQ(consistency.json.at("second"), size);
    EXPECT_EQ(api_->Get("/api/v1/audit/consistency?first=2&second=1").status, 400);
    EXPECT_EQ(api_->Get("/api/v1/audit/consistency?first=1&second=100000").status, 404);
  }
  std::unique_ptr<ApiClient> api_;
};

TEST_F(AuditApiTest, AuditCheckpointsAndProofs) { CheckpointsAndProofs(); }

// Statuses no test can provoke from outside: storage failures.
constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};

TEST_F(AuditApiTest, EveryDocumentedResponseIsExercised) {
  CheckpointsAndProofs();
  const json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object()) << "audit has no OpenAPI fragment";
  for (const auto& missing : api_->Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

// 2026-03-15T09:00:00Z, the time the golden data set is written at.
constexpr int64_t kGoldenNow = 1'773'565'200'000;

// The golden files (src/audit/golden/README.md): five entries and a checkpoint of them, written
// at a fixed time, so that every hash is the same on every run; the checkpoint's signature and
// the public key, made with the key file each run creates, are masked.
class AuditGoldenTest : public AuditApiTest {
 protected:
  HarnessOptions Options() override {
    HarnessOptions o = AuditWebTest::Options();
    o.clock_ms = kGoldenNow;
    o.seed = [](module::Host& host) -> Status {
      AuditLog& log = host.parts().Get<AuditLog>();
      const char* actions[] = {"account.register", "session.login", "case.submitted",
                               "case.transition", "session.logout"};
      int64_t at = kGoldenNow - 5 * 60'000;
      for (const char* action : actions) {
        EntryInput e{at, "p-golden", action, "object:1", 1, "req-golden", "golden=1"};
        auto appended = log.Append(e);
        if (!appended.ok()) return std::move(appended).error();
        at += 60'000;
      }
      auto checkpoint = log.WriteCheckpoint(kGoldenNow);
      if (!checkpoint.ok()) return std::move(checkpoint).error();
      return Ok();
    };
    return o;
  }
};

TEST_F(AuditGoldenTest, ExchangesMatchTheGoldenFiles) {
  baladiya::testing::GoldenOptions o;
  o.folder = "src/audit/golden";
  o.at_least = 10;
  o.masks = {{"\"signature\":\"[0-9a-f]{128}\"", "\"signature\":\"{{signature}}\""},
             {"\"public_key\":\"[0-9a-f]{64}\"", "\"public_key\":\"{{public_key}}\""}};
  o.observe = [this](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api_->RecordGolden(g, r, values);
  };
  baladiya::testing::RunGoldenFiles(port(), o);
}

}  // namespace
}  // namespace baladiya::audit
