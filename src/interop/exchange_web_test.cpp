// Cases between two real servers on loopback (two harnesses, each its own database and key file),
// joined to cases as the app joins them (app/interop_exchange_join.cpp): Hebron on server A sends
// a report to Nablus on server B, which files it as a new case with A's history beside it and
// answers, signed, with its tracking number; A shows the answer and tells the applicant. Every
// refusal (unsigned, unknown key, altered body or header, outside the skew, replayed nonce,
// unknown peer) is a JSON error that changes nothing on B; a refused answer and retries with
// back-off on A.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "app/interop_exchange_join.h"
#include "audit/testing.h"
#include "cases/filing.h"
#include "interop/exchange.h"
#include "interop/web_test_fixture.h"
#include "platform/crypto/http_signature.h"

namespace baladiya::interop {
namespace {

namespace httpsig = crypto::httpsig;
namespace json = boost::json;
using http::testing::RawClient;
using identity::Role;

module::Module ExchangeJoin() {
  module::Module m;
  m.name = "interop-exchange-join";
  m.open = app::JoinInteropExchange;
  return m;
}

class ExchangeTest : public testing::InteropWebTest {
 protected:
  std::vector<module::Module> Above() override {
    auto above = InteropWebTest::Above();
    above.push_back(ExchangeJoin());
    return above;
  }
  void SetUp() override {
    InteropWebTest::SetUp();
    if (HasFatalFailure()) return;
    baladiya::testing::HarnessOptions o = Options();
    o.name = "server-b";
    auto b = baladiya::testing::WebHarness::Start(std::move(o));
    ASSERT_TRUE(b.ok()) << b.error().detail;
    b_ = std::move(*b);
    b_->clock().Set(testing::kInteropNow);
  }
  void TearDown() override {
    b_.reset();
    InteropWebTest::TearDown();
  }
  std::string Url(const baladiya::testing::WebHarness& h) {
    return "http://127.0.0.1:" + std::to_string(h.port());
  }
  int64_t IdOn(baladiya::testing::WebHarness& h, const std::string& slug) {
    return h.Part<catalog::TenancyStore>().FindMunicipality(slug)->id;
  }
  // Registers `their` municipality of server `there` as a peer of `ours` on server `here`.
  Peer Register(baladiya::testing::WebHarness& here, const std::string& ours,
                baladiya::testing::WebHarness& there, const std::string& their) {
    auto key = FetchPeerKey(Url(there), their);
    EXPECT_TRUE(key.ok());
    auto p = here.Part<PeerStore>().Add(IdOn(here, ours), Url(there), *key, {"t", "t"},
                                        here.clock().Now());
    EXPECT_TRUE(p.ok()) << p.error().message_key;
    return *p;
  }
  // A resident's street-light report in Hebron on A; returns its tracking number.
  std::string FileReport(int64_t* applicant = nullptr) {
    baladiya::testing::Browser resident(port());
    identity::testing::Register(resident, "401234562", "0599123456");
    auto cred = accounts().FindForLogin("401234562");
    EXPECT_TRUE(cred.ok());
    if (applicant) *applicant = cred->account_id;
    auto service = services().Find(Hebron(), "street-light-report");
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = cred->account_id;
    in.applicant_lang = "en";
    in.channel = "web";
    in.answers = {{"location", {"Ibn Rushd roundabout"}},
                  {"problem", {"not_working"}},
                  {"description", {"Dark for two nights"}}};
    auto filed = web().Part<cases::Filing>().SubmitAnswers(
        in, *service, {cred->account_id, "p-res", {"resident"}, "web", "r"}, Now());
    EXPECT_TRUE(filed.ok()) << (filed.ok() ? "" : filed.error().message_key);
    return filed.ok() ? filed->filed.tracking : "";
  }
  int64_t CasesOnB() {
    int64_t n = 0;
    for (int64_t after = 0;;) {
      auto batch = b_->Part<cases::CaseStore>().Feed(after, cases::kMaxFeedBatch);
      if (!batch.ok() || batch->empty()) return n;
      for (const auto& e : *batch) n += e.kind == "submitted";
      after = batch->back().position;
    }
  }
  std::unique_ptr<baladiya::testing::WebHarness> b_;
};

TEST_F(ExchangeTest, AReportGoesToAPeerAndItsAnswerComesBack) {
  const Peer nablus = Register(web(), "hebron", *b_, "nablus");
  Register(*b_, "nablus", web(), "hebron");
  int64_t applicant = 0;
  const std::string tracking = FileReport(&applicant);
  ASSERT_FALSE(tracking.empty());

  // A clerk sees no way to send it; the department's head does, on the case page.
  auto clerk = Staff("hebron.clerk", Role::kClerk, "hebron", "engineering");
  std::string res = clerk.Get("/m/hebron/cases/" + tracking + "?lang=en");
  EXPECT_EQ(res.find("/send-to-peer"), std::string::npos);
  EXPECT_EQ(RawClient::Status(clerk.Get("/m/hebron/cases/" + tracking + "/send-to-peer")), 403);
  auto admin = Staff("hebron.head", Role::kDepartmentHead, "hebron", "engineering");
  res = admin.Get("/m/hebron/cases/" + tracking + "?lang=en");
  ASSERT_NE(res.find("/m/hebron/cases/" + tracking + "/send-to-peer"), std::string::npos) << res;
  res = admin.Get("/m/hebron/cases/" + tracking + "/send-to-peer?lang=en");
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_NE(res.find("nablus (" + Url(*b_) + ")"), std::string::npos) << res;
  // No peer chosen: the form again, nothing queued.
  res = admin.Post("/m/hebron/cases/" + tracking + "/send-to-peer?lang=en", {{"peer", "999"}});
  EXPECT_EQ(RawClient::Status(res), 422);
  EXPECT_TRUE(web().Part<ExchangeStore>().OfCase(tracking)->empty());
  res = admin.Post("/m/hebron/cases/" + tracking + "/send-to-peer?lang=en",
                   {{"peer", std::to_string(nablus.id)}});
  ASSERT_EQ(RawClient::Status(res), 303) << res;
  res = admin.Get("/m/hebron/cases/" + tracking + "?lang=en");
  EXPECT_NE(res.find("waiting for the other municipality&#39;s answer"), std::string::npos) << res;
  // Sending it again while it waits is refused.
  res = admin.Post("/m/hebron/cases/" + tracking + "/send-to-peer?lang=en",
                   {{"peer", std::to_string(nablus.id)}});
  EXPECT_EQ(RawClient::Status(res), 409);

  const int64_t before = CasesOnB();
  EXPECT_EQ(web().Part<ExchangeStore>().DeliverDue(web().Part<CaseExchange>(), Now()), 1);
  EXPECT_EQ(CasesOnB(), before + 1);
  auto sent = web().Part<ExchangeStore>().OfCase(tracking);
  ASSERT_EQ(sent->size(), 1u);
  EXPECT_EQ(sent->front().state, "accepted");
  const std::string theirs = sent->front().remote_tracking;
  EXPECT_TRUE(theirs.starts_with("NAB-")) << theirs;

  // On B: a new case of Nablus's street-light service with A's answers and history beside it.
  auto filed = b_->Part<cases::CaseStore>().FindByTracking(theirs);
  ASSERT_TRUE(filed.ok());
  EXPECT_EQ(filed->municipality_id, IdOn(*b_, "nablus"));
  EXPECT_EQ(filed->answers.at("description").at(0), "Dark for two nights");
  auto received = b_->Part<ExchangeStore>().OfCase(theirs);
  ASSERT_EQ(received->size(), 1u);
  EXPECT_EQ(received->front().direction, "in");
  EXPECT_EQ(received->front().remote_tracking, tracking);
  EXPECT_EQ(audit::testing::Count(b_->Part<audit::AuditLog>(), "peer.received"), 1);
  {
    auto& accounts_b = b_->Part<identity::AccountStore>();
    identity::StaffInput in;
    in.username = "nablus.head";
    in.full_name_ar = "موظف";
    in.password = "a-long-staff-password";
    in.municipality_id = IdOn(*b_, "nablus");
    int64_t engineering = 0;
    for (const auto& d : *b_->Part<catalog::TenancyStore>().Departments(in.municipality_id)) {
      if (d.slug == "engineering") engineering = d.id;
    }
    in.grants = {{Role::kDepartmentHead, in.municipality_id, engineering}};
    auto id = accounts_b.CreateStaff(in, b_->Part<identity::PasswordHasher>(), {"t", "t", 0},
                                     b_->clock().Now());
    ASSERT_TRUE(id.ok());
    baladiya::testing::Browser nab(b_->port());
    nab.SetCookie("sid",
                  *b_->Part<identity::SessionStore>().Create(*id, true, true, b_->clock().Now()));
    res = nab.Get("/m/nablus/cases/" + theirs + "?lang=en");
    EXPECT_EQ(RawClient::Status(res), 200) << res;
    EXPECT_NE(res.find("Received from"), std::string::npos) << res;
    EXPECT_NE(res.find(tracking), std::string::npos);
    EXPECT_NE(res.find("Its history there (read-only)"), std::string::npos);
    res = nab.Get("/m/nablus/cases/" + theirs + "?lang=ar");
    EXPECT_NE(res.find("ورد من"), std::string::npos);
  }

  // On A: the answer on the case page, and the applicant told in their language.
  res = admin.Get("/m/hebron/cases/" + tracking + "?lang=en");
  EXPECT_NE(res.find("accepted, its new tracking number is " + theirs), std::string::npos) << res;
  EXPECT_EQ(res.find("/send-to-peer\""), std::string::npos) << "no second sending";
  bool told = false;
  for (const notify::Record& r : Outboxed()) {
    told = told || (r.account_id == applicant && r.template_key == "interop.peer_accepted" &&
                    r.lang == "en");
  }
  EXPECT_TRUE(told);
  EXPECT_EQ(audit::testing::Count(audit(), "peer.transfer"), 1);
  EXPECT_EQ(audit::testing::Count(audit(), "peer.answer"), 1);
  // Nothing more is due.
  EXPECT_EQ(web().Part<ExchangeStore>().DeliverDue(web().Part<CaseExchange>(), Now()), 0);
}

// A signed transfer from Hebron on A to Nablus on B, as A's outbox would send it, and ways to
// spoil it.
struct Spoil {
  const char* name;
  std::function<void(std::string& body, std::string& digest, std::string& input,
                     std::string& signature, int64_t& created)>
      before_signing;
  std::function<void(std::string& body, std::string& digest, std::string& input,
                     std::string& signature)>
      after_signing;
  int status;
  const char* code;
  const char* message_key;
};

TEST_F(ExchangeTest, BadMessagesAreRefusedAndChangeNothing) {
  Register(*b_, "nablus", web(), "hebron");
  const int64_t hebron = Hebron();
  const crypto::SigningKey key = MunicipalityKey(web().host().context().keys.signing_seed, hebron);
  const std::string keyid = KeyId("hebron", key.public_key);
  const std::string path = "/api/v1/peer/nablus/transfers";
  CaseDocument doc;
  doc.tracking = "HEB-26-000001-1";
  doc.service = "street-light-report";
  doc.lang = "ar";
  doc.answers = R"({"location":["Rafidia"],"problem":["not_working"],"description":["Dark"]})";
  int nonce = 0;
  auto send = [&](const Spoil& s, const std::string& n = "") {
    std::string body = TransferJson("t-" + std::to_string(++nonce), "hebron", "nablus", doc);
    std::string digest = httpsig::ContentDigest(body);
    std::string input, signature;
    int64_t created = b_->clock().Now() / 1000;
    if (s.before_signing) s.before_signing(body, digest, input, signature, created);
    if (input.empty()) {
      const httpsig::Signed sig =
          httpsig::Sign({{"@method", "POST"}, {"@path", path}, {"content-digest", digest}}, keyid,
                        key, created, n.empty() ? "n-" + std::to_string(nonce) : n);
      input = sig.signature_input;
      signature = sig.signature;
    }
    if (s.after_signing) s.after_signing(body, digest, input, signature);
    std::string headers = "Content-Digest: " + digest + "\r\n";
    if (input != "-")
      headers += "Signature-Input: " + input + "\r\nSignature: " + signature + "\r\n";
    return b_->Send("POST", path + "?lang=en", headers, body, "application/json");
  };
  crypto::Key32 other_seed{};
  other_seed[0] = 7;
  const crypto::SigningKey stranger = crypto::SigningKeyFromSeed(other_seed);
  const Spoil spoils[] = {
      {"unsigned", nullptr,
       [](std::string&, std::string&, std::string& in, std::string&) { in = "-"; }, 401,
       "unauthorized", "The message is not signed"},
      {"unknown key id",
       [&](std::string& body, std::string& digest, std::string& in, std::string& sig, int64_t& c) {
         const httpsig::Signed s =
             httpsig::Sign({{"@method", "POST"}, {"@path", path}, {"content-digest", digest}},
                           KeyId("hebron", stranger.public_key), stranger, c, "n-stranger");
         in = s.signature_input;
         sig = s.signature;
         (void)body;
       },
       nullptr, 401, "unauthorized", "No peer is registered with this key id"},
      {"altered body", nullptr,
       [](std::string& body, std::string&, std::string&, std::string&) {
         body.replace(body.find("Dark"), 4, "Dorк");
       },
       401, "unauthorized", "does not match its Content-Digest"},
      {"altered body and digest header", nullptr,
       [](std::string& body, std::string& digest, std::string&, std::string&) {
         body.replace(body.find("Dark"), 4, "Dirk");
         digest = httpsig::ContentDigest(body);
       },
       401, "unauthorized", "does not verify with the peer"},
      {"created too early",
       [](std::string&, std::string&, std::string&, std::string&, int64_t& c) { c -= 301; },
       nullptr, 401, "unauthorized", "too far from this server"},
      {"created too late",
       [](std::string&, std::string&, std::string&, std::string&, int64_t& c) { c += 301; },
       nullptr, 401, "unauthorized", "too far from this server"},
      {"unknown peer",
       [](std::string& body, std::string& digest, std::string&, std::string&, int64_t&) {
         body.replace(body.find("\"from\":\"hebron\""), 15, "\"from\":\"jenin\"");
         digest = httpsig::ContentDigest(body);
       },
       nullptr, 403, "forbidden", "does not come from the peer"},
  };
  const int64_t cases_before = CasesOnB();
  for (const Spoil& s : spoils) {
    auto r = send(s);
    EXPECT_EQ(r.status, s.status) << s.name << ": " << r.body;
    EXPECT_EQ(r.MediaType(), "application/json") << s.name;
    EXPECT_NE(r.body.find(std::string("\"code\":\"") + s.code + "\""), std::string::npos)
        << s.name << ": " << r.body;
    EXPECT_NE(r.body.find(s.message_key), std::string::npos) << s.name << ": " << r.body;
    EXPECT_EQ(CasesOnB(), cases_before) << s.name;
  }
  EXPECT_EQ(b_->Count("interop_transfers"), 0);
  // To a municipality of B that has not registered Hebron: its key is unknown there.
  {
    std::string body = TransferJson("t-ramallah", "hebron", "ramallah", doc);
    const std::string digest = httpsig::ContentDigest(body);
    const std::string p = "/api/v1/peer/ramallah/transfers";
    const httpsig::Signed sig =
        httpsig::Sign({{"@method", "POST"}, {"@path", p}, {"content-digest", digest}}, keyid, key,
                      b_->clock().Now() / 1000, "n-ramallah");
    auto r = b_->Send("POST", p,
                      "Content-Digest: " + digest + "\r\nSignature-Input: " + sig.signature_input +
                          "\r\nSignature: " + sig.signature + "\r\n",
                      body, "application/json");
    EXPECT_TRUE(r.status == 401 || r.status == 404) << r.body;
  }
  // A good message is accepted once; the same nonce again is a replay.
  auto ok = send({"good", nullptr, nullptr, 0, "", ""}, "n-once");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_FALSE(ok.Header("signature").empty());
  // The answer names the municipality in both languages (to tell the applicant where it went).
  auto answer = json::parse(ok.body).as_object();
  EXPECT_EQ(answer.at("status").as_string(), "accepted");
  EXPECT_FALSE(answer.at("name").at("en").as_string().empty());
  EXPECT_FALSE(answer.at("name").at("ar").as_string().empty());
  EXPECT_EQ(CasesOnB(), cases_before + 1);
  auto again = send({"replay", nullptr, nullptr, 0, "", ""}, "n-once");
  EXPECT_EQ(again.status, 401) << again.body;
  EXPECT_NE(again.body.find("already received"), std::string::npos) << again.body;
  EXPECT_EQ(CasesOnB(), cases_before + 1);
  EXPECT_EQ(b_->Count("interop_transfers"), 1);
}

TEST_F(ExchangeTest, ARefusalComesBackSignedAndDeliveryBacksOff) {
  const Peer nablus = Register(web(), "hebron", *b_, "nablus");
  Register(*b_, "nablus", web(), "hebron");
  ExchangeStore& out = web().Part<ExchangeStore>();
  const CaseExchange& join = web().Part<CaseExchange>();
  CaseDocument doc;
  doc.tracking = "HEB-26-000009-9";
  doc.service = "no-such-service";
  doc.answers = "{}";
  ASSERT_TRUE(out.Queue(Hebron(), "hebron", nablus, doc, {"t", "t"}, Now()).ok());
  EXPECT_EQ(out.DeliverDue(join, Now()), 1);
  auto t = out.OfCase(doc.tracking);
  EXPECT_EQ(t->front().state, "refused");
  EXPECT_EQ(t->front().reason, "interop.transfer.no_service");
  EXPECT_EQ(b_->Count("interop_transfers"), 0);

  // A peer whose server does not answer: retried after 2 s, 4 s, 8 s ... then failed.
  Peer down = nablus;
  down.base_url = "http://127.0.0.1:9";
  {
    auto key = FetchPeerKey(Url(*b_), "hebron");
    ASSERT_TRUE(key.ok());
    auto p = web().Part<PeerStore>().Add(Hebron(), "http://127.0.0.1:9", *key, {"t", "t"}, Now());
    ASSERT_TRUE(p.ok());
    down = *p;
  }
  doc.tracking = "HEB-26-000010-5";
  doc.service = "street-light-report";
  ASSERT_TRUE(out.Queue(Hebron(), "hebron", down, doc, {"t", "t"}, Now()).ok());
  int64_t expected_wait = kFirstRetryMs;
  for (int attempt = 1; attempt < kMaxTransferAttempts; ++attempt) {
    EXPECT_EQ(out.DeliverDue(join, Now(), 300), 0);
    auto x = out.OfCase(doc.tracking)->front();
    EXPECT_EQ(x.state, "pending");
    EXPECT_EQ(x.attempts, attempt);
    EXPECT_EQ(x.next_at, Now() + expected_wait) << attempt;
    // Not due before its time.
    web().clock().Advance(expected_wait - 1);
    EXPECT_EQ(out.DeliverDue(join, Now(), 300), 0);
    EXPECT_EQ(out.OfCase(doc.tracking)->front().attempts, attempt);
    web().clock().Advance(1);
    expected_wait *= 2;
  }
  EXPECT_EQ(out.DeliverDue(join, Now(), 300), 1);
  EXPECT_EQ(out.OfCase(doc.tracking)->front().state, "failed");
}

}  // namespace
}  // namespace baladiya::interop
