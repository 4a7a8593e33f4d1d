// The biller API over HTTP with a real signing client on loopback (biller.h's SignRequest, the
// code a bank's integration would run): what a reference owes, a payment posted once however
// often it is sent, its reversal; every refused signature (missing, wrong, unknown key, bad
// digest, stale, replayed) is a 401 that changes nothing; the case moves on when a bank pays;
// every documented response is answered; and the golden files (golden/README.md).
#include <sodium.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/testing.h"
#include "payments/biller.h"
#include "payments/web_test_fixture.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::payments {
namespace {

namespace json = boost::json;
using baladiya::testing::ApiClient;
using baladiya::testing::Browser;
using baladiya::testing::Exchange;
using http::testing::RawClient;
using identity::Role;

// 2026-12-07T09:00:00Z, the time of the golden data set.
constexpr int64_t kGoldenNow = 1'796'634'000'000;

// A bank's key pair from a fixed seed, so that signatures are the same on every run.
struct BankKey {
  std::array<uint8_t, 64> secret{};
  std::array<uint8_t, 32> public_key{};
  explicit BankKey(uint8_t fill) {
    std::array<uint8_t, 32> seed{};
    seed.fill(fill);
    crypto_sign_seed_keypair(public_key.data(), secret.data(), seed.data());
  }
  std::string PublicBase64() const {
    return ToBase64(std::string_view(reinterpret_cast<const char*>(public_key.data()), 32));
  }
};

// How a test request is signed (the defaults: as the test bank, now, a fresh nonce).
struct Signing {
  const BankKey* key = nullptr;  // null: the test bank's
  std::string keyid = "bop";
  std::string nonce;             // empty: a fresh one
  int64_t created_offset_s = 0;  // from the server's clock
  std::string signed_body;       // what the signature covers, when not the body sent
  std::string digest;            // a Content-Digest to send instead of the right one
  bool sign = true;
};

class BillerWebTest : public testing::PaymentsWebTest {
 protected:
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = PaymentsWebTest::Options();
    o.clock_ms = kGoldenNow;
    return o;
  }
  void SetUp() override {
    PaymentsWebTest::SetUp();
    if (HasFatalFailure()) return;
    api_ = std::make_unique<ApiClient>(port());
    ASSERT_TRUE(api_->Load());
    ASSERT_TRUE(web()
                    .Part<BankStore>()
                    .Register("bop", "Bank of Palestine", bank_.PublicBase64(), Now())
                    .ok());
  }

  // An invoice of `amount` in Hebron, raised as a case would raise it.
  Invoice RaiseInvoice(int64_t amount) {
    InvoiceRequest in;
    in.municipality_id = MunicipalityId("hebron");
    in.prefix = "HEB";
    in.case_id = 0;
    in.account_id = 0;
    in.currency = "ILS";
    in.lines = {{{"رسم الخدمة", "Service fee"}, amount}};
    Result<Invoice> out = MakeError(ErrorCode::kInternal, "x");
    EXPECT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                      out = store().Raise(tx, in, Now());
                      return out.ok() ? Ok() : Status(out.error());
                    })
                    .ok());
    return out.ok() ? *out : Invoice{};
  }

  // Sends a request signed as a bank does, checked against the OpenAPI document.
  Exchange Signed(const std::string& method, const std::string& target, const std::string& body,
                  const Signing& s = {}) {
    std::string headers;
    if (s.sign) {
      const size_t q = target.find('?');
      const std::string path = target.substr(0, q);
      const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
      const std::string nonce = s.nonce.empty() ? crypto::RandomToken(16) : s.nonce;
      const SignedHeaders h =
          SignRequest(method, path, query, s.signed_body.empty() ? body : s.signed_body, s.keyid,
                      (s.key ? *s.key : bank_).secret, Now() / 1000 + s.created_offset_s, nonce);
      headers += "Signature-Input: " + h.signature_input + "\r\n";
      headers += "Signature: " + h.signature + "\r\n";
      if (!body.empty()) {
        headers += "Content-Digest: " + (s.digest.empty() ? h.content_digest : s.digest) + "\r\n";
      }
    }
    return api_->Call(method, target, headers, body);
  }

  std::string PayBody(const Invoice& inv, const std::string& txid, int64_t amount = -1) {
    return json::serialize(json::object{{"reference", inv.reference},
                                        {"amount_minor", amount < 0 ? inv.total_minor : amount},
                                        {"currency", inv.currency},
                                        {"transaction_id", txid}});
  }

  int64_t Ledger() {
    auto r = db().Query("SELECT COUNT(*) FROM payment_ledger");
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  // Every exchange the API's documented responses need.
  void Walk() {
    const Invoice inv = RaiseInvoice(2000);
    const std::string ref = "/api/v1/biller/references/" + inv.reference;
    Exchange e = Signed("GET", ref, "");
    ASSERT_EQ(e.status, 200) << e.raw;
    EXPECT_EQ(e.Str({"status"}), "open");
    EXPECT_EQ(e.json.at("amount_minor"), 2000);
    EXPECT_EQ(Signed("GET", "/api/v1/biller/references/" + CreditorReference("HEB99"), "").status,
              404);
    const std::string pay = "/api/v1/biller/payments";
    EXPECT_EQ(Signed("POST", pay, "{not json").status, 400);
    EXPECT_EQ(Signed("POST", pay, PayBody(inv, "T-1", 1999)).status, 422);
    EXPECT_EQ(Signed("POST", pay, "{}").status, 422);
    Exchange first = Signed("POST", pay, PayBody(inv, "T-1"));
    ASSERT_EQ(first.status, 201) << first.raw;
    EXPECT_EQ(first.Str({"receipt_number"}), "RCP-HEB-2026-000001");
    Exchange again = Signed("POST", pay, PayBody(inv, "T-1"));
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(again.Str({"receipt_number"}), "RCP-HEB-2026-000001");
    EXPECT_EQ(Signed("POST", pay, PayBody(inv, "T-2")).status, 409);  // already paid
    EXPECT_EQ(Signed("POST", pay, PayBody(inv, "T-3")).status, 409);
    Exchange unknown =
        Signed("POST", pay,
               json::serialize(json::object{{"reference", CreditorReference("HEB99")},
                                            {"amount_minor", 1},
                                            {"currency", "ILS"},
                                            {"transaction_id", "T-9"}}));
    EXPECT_EQ(unknown.status, 404);
    EXPECT_EQ(Signed("GET", ref, "", {.sign = false}).status, 401);
    EXPECT_EQ(Signed("POST", pay, PayBody(inv, "T-8"), {.sign = false}).status, 401);
    Exchange back = Signed("POST", pay + "/T-1/reversal", "");
    ASSERT_EQ(back.status, 200) << back.raw;
    EXPECT_EQ(back.Str({"status"}), "voided");
    EXPECT_EQ(Signed("POST", pay + "/T-1/reversal", "").status, 200);
    EXPECT_EQ(Signed("POST", pay + "/T-404/reversal", "").status, 404);
    EXPECT_EQ(Signed("POST", pay + "/T-1/reversal", "", {.sign = false}).status, 401);
    // A refunded payment cannot be reversed (refunds are the municipality's, through the
    // channel): here, a payment voided by staff and paid again is posted under a new id.
    Exchange second = Signed("POST", pay, PayBody(inv, "T-4"));
    ASSERT_EQ(second.status, 201);
    ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                      auto n = tx.Exec(
                          "UPDATE payment_payments SET status = 'refunded' WHERE channel_key = ?",
                          {std::string("bank:bop:T-4")});
                      return n.ok() ? Ok() : Status(n.error());
                    })
                    .ok());
    EXPECT_EQ(Signed("POST", pay + "/T-4/reversal", "").status, 409);
  }

  BankKey bank_{7};
  std::unique_ptr<ApiClient> api_;
};

TEST_F(BillerWebTest, RefusedSignaturesChangeNothing) {
  const Invoice inv = RaiseInvoice(5000);
  const std::string pay = "/api/v1/biller/payments";
  const BankKey stranger(9);
  const int64_t entries = Ledger();
  struct Case {
    const char* name;
    Signing signing;
    const char* message;
  };
  const Case cases[] = {
      {"missing", {.sign = false}, "not signed"},
      {"another key", {.key = &stranger}, "does not verify"},
      {"unknown key id", {.keyid = "nobank"}, "No bank"},
      {"another body signed",
       {.signed_body = PayBody(inv, "X-0", 1), .digest = ContentDigest(PayBody(inv, "X-1"))},
       "does not verify"},
      {"wrong digest", {.digest = ContentDigest("something else")}, "Content-Digest"},
      {"stale", {.created_offset_s = -(kSignatureWindowSeconds + 1)}, "clock"},
      {"from the future", {.created_offset_s = kSignatureWindowSeconds + 60}, "clock"},
  };
  for (const Case& c : cases) {
    Exchange e = Signed("POST", pay + "?lang=en", PayBody(inv, "X-1"), c.signing);
    EXPECT_EQ(e.status, 401) << c.name << e.raw;
    EXPECT_EQ(e.Str({"error", "code"}), "unauthorized") << c.name;
    EXPECT_NE(e.Str({"error", "message"}).find(c.message), std::string::npos)
        << c.name << ": " << e.Str({"error", "message"});
  }
  // Malformed signature fields.
  for (const char* input : {"sig1=", "sig1=(\"@method\"", "sig1=(\"@method\" \"@path\");created=x",
                            "sig1=(\"@method\" \"@path\");keyid=\"bop\""}) {
    Exchange e =
        api_->Call("GET", "/api/v1/biller/references/" + inv.reference,
                   std::string("Signature-Input: ") + input + "\r\nSignature: sig1=:AAAA:\r\n");
    EXPECT_EQ(e.status, 401) << input;
  }
  // The same nonce twice: the second is a replay.
  Exchange first =
      Signed("GET", "/api/v1/biller/references/" + inv.reference, "", {.nonce = "n-once"});
  EXPECT_EQ(first.status, 200);
  Exchange replay = Signed("POST", pay + "?lang=en", PayBody(inv, "X-2"), {.nonce = "n-once"});
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.Str({"error", "message"}).find("replay"), std::string::npos);
  EXPECT_EQ(Ledger(), entries);
  EXPECT_EQ(store().Get(inv.id)->status, InvoiceStatus::kOpen);
}

TEST_F(BillerWebTest, ABankPaymentMovesTheCaseOn) {
  Browser resident(port());
  testing::Register(resident, "401234562", "0599123456");
  const std::string tracking = Apply(resident);
  Browser head = Staff("hebron.revenue.head", Role::kDepartmentHead, "hebron", "revenue");
  ASSERT_EQ(RawClient::Status(Act(head, tracking, "start_review")), 303);
  ASSERT_EQ(RawClient::Status(Act(head, tracking, "approve")), 303);
  auto c = cases().FindByTracking(tracking);
  auto invoices = store().OfCase(c->id);
  ASSERT_TRUE(invoices.ok() && invoices->size() == 1);
  Exchange e = Signed("POST", "/api/v1/biller/payments", PayBody(invoices->front(), "BOP-77"));
  ASSERT_EQ(e.status, 201) << e.raw;
  EXPECT_EQ(cases().FindByTracking(tracking)->state, "approved");
  EXPECT_EQ(audit::testing::Count(audit(), "payment.posted"), 1);
}

// Finance imports the bank's camt.053 statement through the page: the bank's payment is matched,
// the rest listed, an entry marked by hand; a statement that is not well-formed changes nothing.
TEST_F(BillerWebTest, TheBanksStatementIsReconciledOnThePage) {
  const Invoice inv = RaiseInvoice(2000);
  ASSERT_EQ(Signed("POST", "/api/v1/biller/payments", PayBody(inv, "T-1")).status, 201);
  const std::string unpaid = RaiseInvoice(9900).reference;
  auto entry = [](const std::string& ref, const std::string& amount, const std::string& rf) {
    return "<Ntry><Amt Ccy=\"ILS\">" + amount +
           "</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-12-07</Dt></BookgDt><AcctSvcrRef>" +
           ref + "</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>" + rf +
           "</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>";
  };
  const std::string xml =
      "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\">"
      "<BkToCstmrStmt><Stmt><Id>BOP-2026-12-07</Id>" +
      entry("E-1", "20.00", inv.reference) + entry("E-2", "99.00", unpaid) +
      "</Stmt></BkToCstmrStmt></Document>";
  Browser head = Staff("hebron.finance", Role::kDepartmentHead, "hebron", "revenue");
  auto upload = [&](const std::string& file) {
    head.Get("/m/hebron/payments/reconciliation");
    const std::string boundary = "----baladiya-test";
    const std::string body = "--" + boundary +
                             "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" +
                             head.token() + "\r\n--" + boundary +
                             "\r\nContent-Disposition: form-data; name=\"statement\"; "
                             "filename=\"statement.xml\"\r\nContent-Type: text/xml\r\n\r\n" +
                             file + "\r\n--" + boundary + "--\r\n";
    return head.Raw(
        "POST /m/hebron/payments/reconciliation?lang=en HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: multipart/form-data; boundary=" +
            boundary + "\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\nConnection: close\r\n",
        body);
  };
  std::string res = upload("<Document><BkToCstmrStmt><Stmt>");
  EXPECT_EQ(RawClient::Status(res), 422) << res;
  EXPECT_NE(res.find("not a camt.053 bank statement"), std::string::npos);
  res = upload(xml);
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  EXPECT_NE(res.find("2 entries imported: 1 matched, 1 not matched."), std::string::npos);
  EXPECT_NE(res.find("E-2"), std::string::npos);
  EXPECT_EQ(RawClient::Status(upload(xml)), 409);  // the same statement again
  auto entries = store().StatementEntries(MunicipalityId("hebron"), "unmatched");
  ASSERT_TRUE(entries.ok() && entries->size() == 1);
  const std::string mark =
      "/m/hebron/payments/reconciliation/entries/" + std::to_string(entries->front().id) + "/mark";
  head.Get(mark);
  EXPECT_EQ(RawClient::Status(head.Post(mark, {{"note", ""}})), 422);
  head.Get(mark);
  EXPECT_EQ(RawClient::Status(head.Post(mark, {{"note", "paid at the wrong bank"}})), 303);
  EXPECT_EQ(store().StatementEntries(MunicipalityId("hebron"), "marked")->size(), 1u);
  EXPECT_EQ(audit::testing::Count(audit(), "statement.marked"), 1);
}

TEST_F(BillerWebTest, TheSignatureBaseIsRfc9421s) {
  // The base a bank signs: one line per component, then the parameters, no final newline.
  http::Request req;
  req.method_name = "POST";
  req.target = "/api/v1/biller/payments?x=1";
  req.headers.Set("content-digest", ContentDigest("{}"));
  SignatureInput sig;
  sig.components = {"@method", "@path", "@query", "content-digest"};
  sig.params = ";created=1618884473;keyid=\"bop\";nonce=\"abc\"";
  auto base = SignatureBase(req, sig);
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(*base,
            "\"@method\": POST\n\"@path\": /api/v1/biller/payments\n\"@query\": ?x=1\n"
            "\"content-digest\": sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:\n"
            "\"@signature-params\": (\"@method\" \"@path\" \"@query\" "
            "\"content-digest\");created=1618884473;keyid=\"bop\";nonce=\"abc\"");
  // RFC 9530's own example digest of {"hello": "world"}.
  EXPECT_EQ(ContentDigest("{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
}

// Statuses no test can provoke from outside: storage failures.
constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};

TEST_F(BillerWebTest, EveryDocumentedResponseIsExercised) {
  Walk();
  json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object());
  // The biller's paths here; card_web_test.cpp holds the card provider's.
  json::object& paths = fragment.as_object()["paths"].as_object();
  for (auto it = paths.begin(); it != paths.end();) {
    it = it->key().starts_with("/api/v1/biller/") ? std::next(it) : paths.erase(it);
  }
  for (const auto& missing : api_->Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

// The golden files (golden/README.md): each request is signed by the test bank when sent; a
// file's "# sign:" comment says how (nonce=..., created=<offset s>, keyid=..., none).
TEST_F(BillerWebTest, ExchangesMatchTheGoldenFiles) {
  const Invoice first = RaiseInvoice(2000);
  const Invoice second = RaiseInvoice(150000);
  baladiya::testing::GoldenOptions o;
  o.folder = "src/payments/golden";
  o.at_least = 8;
  o.values = {{"reference", first.reference}, {"reference2", second.reference}};
  const std::filesystem::path dir =
      std::filesystem::path(baladiya::testing::SourceDir()) / o.folder;
  std::vector<std::filesystem::path> files;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    if (f.path().extension() == ".golden") files.push_back(f.path());
  }
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    baladiya::testing::GoldenFile g;
    std::string why;
    ASSERT_TRUE(baladiya::testing::ParseGolden(text.str(), g, why, true)) << path << why;
    const std::string stem = path.stem().string();
    Signing s;
    s.nonce = stem;
    std::istringstream lines(g.comments);
    for (std::string line; std::getline(lines, line);) {
      if (!line.starts_with("# sign:")) continue;
      std::istringstream words(line.substr(7));
      for (std::string w; words >> w;) {
        if (w == "none") s.sign = false;
        if (w.starts_with("nonce=")) s.nonce = w.substr(6);
        if (w.starts_with("keyid=")) s.keyid = w.substr(6);
        if (w.starts_with("created=")) s.created_offset_s = std::stoll(w.substr(8));
      }
    }
    const std::string target = baladiya::testing::Substitute(g.target, o.values);
    const std::string body = baladiya::testing::Substitute(g.body, o.values);
    const size_t q = target.find('?');
    const SignedHeaders h = SignRequest(
        g.method, target.substr(0, q), q == std::string::npos ? "" : target.substr(q + 1), body,
        s.keyid, bank_.secret, Now() / 1000 + s.created_offset_s, s.nonce);
    o.values["input:" + stem] = s.sign ? h.signature_input : "";
    o.values["signature:" + stem] = s.sign ? h.signature : "";
    o.values["digest:" + stem] = h.content_digest;
  }
  o.observe = [this](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api_->RecordGolden(g, r, values);
  };
  baladiya::testing::RunGoldenFiles(port(), o);
}

}  // namespace
}  // namespace baladiya::payments
