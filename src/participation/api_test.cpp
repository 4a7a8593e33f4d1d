// participation's API against the served OpenAPI document (platform/testing/openapi_check.h): a
// process read by a program (proposals, the answer owed, a vote's published results, nothing
// about who took part), and the SMS gateway's inbound messages with their errors; every response
// the fragment documents is exercised.
#include <gtest/gtest.h>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "identity/credentials.h"
#include "identity/testing.h"
#include "notify/delivery.h"
#include "notify/test_support.h"
#include "participation/participation.h"
#include "participation/web.h"
#include "platform/testing/openapi_check.h"
#include "platform/testing/web_harness.h"

namespace baladiya::participation {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;
using baladiya::testing::Exchange;

constexpr int64_t kNow = 1'773'565'200'000;  // 2026-03-15T09:00:00Z
constexpr int64_t kDay = 86'400'000;
constexpr char kToken[] = "gateway-token-for-tests";

class ParticipationApiTest : public baladiya::testing::WebTest {
 protected:
  virtual std::string Token() const { return kToken; }
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o;
    o.modules = {audit::Module(), identity::Module(), notify::Module(), catalog::Module(),
                 participation::Module()};
    o.settings = identity::testing::Settings();
    o.settings.merge(notify::testing::Settings("", Token()));
    o.settings["sms-token"] = Token();
    o.seed = [](module::Host& host) -> Status {
      auto seeded = catalog::SeedDemo(host.db(), host.context().now_ms());
      if (!seeded.ok()) return std::move(seeded).error();
      return Ok();
    };
    o.clock_ms = kNow;
    return o;
  }
  void SetUp() override {
    WebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
  }

  Store& store() { return web().Part<Store>(); }

  // A verified resident with this phone.
  int64_t Resident(int n) {
    identity::ResidentRegistration r;
    r.national_id = std::to_string(20000000 + n);
    int sum = 0;
    for (int i = 0; i < 8; ++i) {
      int d = (r.national_id[i] - '0') * (i % 2 == 0 ? 1 : 2);
      sum += d / 10 + d % 10;
    }
    r.national_id += static_cast<char>('0' + (10 - sum % 10) % 10);
    r.full_name_ar = "مواطن";
    r.phone = "059900000" + std::to_string(n);
    r.password = "olive-harvest-season";
    auto& accounts = web().Part<identity::AccountStore>();
    auto id =
        accounts.RegisterResident(r, web().Part<identity::PasswordHasher>(), {"t", "t", 0}, kNow);
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(accounts.MarkVerified(*id, "counter", {"t", "t", 0}, kNow).ok());
    return *id;
  }

  // Hebron's process: proposals then voting, with a proposal past its threshold and a vote.
  void MakeProcess() {
    const int64_t hebron = web().Part<catalog::TenancyStore>().FindMunicipality("hebron")->id;
    ProcessInput in;
    in.title_ar = "الموازنة";
    in.title_en = "Budget";
    in.summary_ar = "ملخص";
    in.summary_en = "Summary";
    in.threshold = 1;
    in.answer_days = 30;
    in.phases = {{Phase::kProposals, kNow - 10 * kDay, kNow},
                 {Phase::kVoting, kNow, kNow + 10 * kDay}};
    process_ = *store().CreateProcess(hebron, in, {}, kNow - 5 * kDay);
    const int64_t a = Resident(1), b = Resident(2);
    auto x = store().Propose(process_, {a, "a", "r"}, "حديقة", "نص", kNow - 5 * kDay);
    ASSERT_TRUE(x.ok());
    ASSERT_TRUE(store().Support(process_, x->token, {b, "b", "r"}, kNow - 4 * kDay).ok());
    VoteInput v;
    v.title_ar = "مشاريع";
    v.title_en = "Projects";
    v.budget = 100'000;
    v.options = {{0, 0, "حديقة", "Park", 60'000}, {0, 0, "إنارة", "Lights", 50'000}};
    vote_ = *store().CreateVote(process_, v, {}, kNow);
  }

  Exchange Sms(const json::object& body, const std::string& token = kToken) {
    return api_->Post(std::string(kSmsInboundPath), body,
                      token.empty() ? "" : "Authorization: Bearer " + token + "\r\n");
  }

  void ReadAndVote() {
    MakeProcess();
    const std::string path =
        "/api/v1/municipalities/hebron/participation/processes/" + process_.slug;
    Exchange e = api_->Get(path);
    ASSERT_EQ(e.status, 200) << e.body;
    EXPECT_EQ(e.Str({"phase"}), "voting");
    ASSERT_EQ(e.json.at("proposals").as_array().size(), 1u);
    EXPECT_EQ(e.json.at("proposals").at(0).at("supports"), 1);
    EXPECT_FALSE(e.json.at("proposals").at(0).at("answer_due_at").is_null());
    EXPECT_TRUE(e.json.at("votes").at(0).at("published_at").is_null());
    EXPECT_FALSE(e.json.at("votes").at(0).at("options").at(0).as_object().contains("votes"));
    EXPECT_EQ(api_->Get(path + "x").status, 404);

    EXPECT_EQ(Sms({{"from", "+970599000001"}, {"text", vote_.sms_code + " 1"}}, "wrong").status,
              401);
    EXPECT_EQ(Sms({{"from", "+970599000001"}}).status, 400);
    Exchange ok = Sms({{"from", "+970599000001"}, {"text", vote_.sms_code + " 1"}});
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(ok.Str({"status"}), "accepted");
    Exchange again = Sms({{"from", "+970599000001"}, {"text", vote_.sms_code + " 2"}});
    EXPECT_EQ(again.Str({"status"}), "refused");
    EXPECT_EQ(again.Str({"reason"}), "vote_already");

    ASSERT_TRUE(
        store().Publish(process_, *store().GetVote(process_.id, vote_.slug), {}, kNow).ok());
    e = api_->Get(path);
    ASSERT_EQ(e.status, 200);
    EXPECT_EQ(e.json.at("votes").at(0).at("options").at(0).at("votes"), 1);
    EXPECT_EQ(e.json.at("votes").at(0).at("options").at(0).at("selected"), true);
    EXPECT_EQ(e.body.find("+970"), std::string::npos);
    EXPECT_EQ(e.json.at("recommendations").at("total"), 0);

    // The figures of the recommendations: the winning park, accepted, its milestone overdue.
    auto rec = store().Recommend(process_, {Source::kProject, vote_.slug + "#1", "حديقة", "Park"},
                                 {}, kNow);
    ASSERT_TRUE(rec.ok()) << rec.error().message_key;
    ASSERT_TRUE(
        store().Respond(process_, rec->token, Response::kAccepted, "Funded", 1, {}, kNow).ok());
    ASSERT_TRUE(store().AddMilestone(process_, rec->token, "Design", kNow - 1, {}, kNow).ok());
    e = api_->Get(path);
    ASSERT_EQ(e.status, 200);
    EXPECT_EQ(e.json.at("recommendations").at("total"), 1);
    EXPECT_EQ(e.json.at("recommendations").at("accepted"), 1);
    EXPECT_EQ(e.json.at("recommendations").at("done"), 0);
    EXPECT_EQ(e.json.at("recommendations").at("overdue"), 1);
  }

  std::unique_ptr<ApiClient> api_;
  Process process_;
  Vote vote_;
};

TEST_F(ParticipationApiTest, AProcessAndItsResultsAndTheSmsGateway) { ReadAndVote(); }

// Without a gateway token, the inbound path does not exist.
class NoGatewayTest : public ParticipationApiTest {
 protected:
  std::string Token() const override { return ""; }
};

TEST_F(NoGatewayTest, InboundSmsIsNotFound) {
  EXPECT_EQ(Sms({{"from", "+970599000001"}, {"text", "ABCDE 1"}}, "").status, 404);
}

// Storage failures cannot be provoked from outside; the gateway's 404 is NoGatewayTest's.
constexpr baladiya::testing::Unreachable kUnreachable[] = {
    {"", 503}, {"post /api/v1/participation/sms-inbound", 404}};

TEST_F(ParticipationApiTest, EveryDocumentedResponseIsExercised) {
  ReadAndVote();
  const json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object());
  for (const auto& missing : api_->Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

}  // namespace
}  // namespace baladiya::participation
