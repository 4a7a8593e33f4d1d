// Issuing on completion, the case panels and document pages, /verify and its API, revocation,
// the clearance rule, key rotation and the bad codes of issue 14, over HTTP.
#include <openssl/cms.h>

#include <boost/json.hpp>
#include <regex>

#include "documents/pdf.h"
#include "documents/web_test_fixture.h"
#include "platform/http/url.h"

namespace baladiya::documents::testing {
namespace {

namespace json = boost::json;
using identity::Role;

std::string Encoded(const std::string& code) { return http::PercentEncode(code); }

json::value JsonOf(const baladiya::testing::Reply& r) {
  json::error_code ec;
  json::value v = json::parse(r.body, ec);
  EXPECT_FALSE(ec) << r.body;
  return v;
}

TEST_F(DocumentsWebTest, ACompletedBuildingPermitIsIssuedNumberedAndSigned) {
  cases::Case c = BuildingPermit();
  auto approved = Act(c, "start_review");
  ASSERT_TRUE(approved.ok());
  ASSERT_TRUE(Act(c, "approve").ok());
  EXPECT_EQ(documents().OfCase(c.id).error().code, ErrorCode::kNotFound)
      << "approved is not the issuing state";
  ASSERT_TRUE(Act(c, "complete").ok());

  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok()) << d.error().detail;
  EXPECT_EQ(d->number.rfind("HEBD-26-000001-", 0), 0u) << d->number;
  EXPECT_EQ(d->kind, "permit");
  EXPECT_EQ(d->holder.ar, "سلمى خليل الجعبري");
  EXPECT_EQ(d->holder.en, "Salma al-Jabari");
  EXPECT_EQ(d->holder_id, identity::Mask("401234562"));
  EXPECT_EQ(d->issued_at, kDocumentsNow);
  EXPECT_EQ(d->expires_at, kDocumentsNow + int64_t{730} * 86'400'000);
  EXPECT_NE(d->body.ar.find("سلمى خليل الجعبري"), std::string::npos) << d->body.ar;
  EXPECT_NE(d->body.ar.find("حوض 34 قطعة 112"), std::string::npos);
  EXPECT_NE(d->body.en.find("3 floor(s), 420 m²"), std::string::npos) << d->body.en;
  EXPECT_EQ(d->body.en.find('{'), std::string::npos) << "every placeholder filled";
  EXPECT_NE(d->office.en.find("Engineering and Planning"), std::string::npos) << d->office.en;
  ASSERT_EQ(d->facts.size(), 5u);
  EXPECT_EQ(d->facts[1].field, "permit_type");
  EXPECT_EQ(d->facts[1].raw, "new_building");
  EXPECT_EQ(d->facts[4].value.en, "Residential") << "a choice shows its label";

  // The code verifies against the published key set, and says what the document says.
  auto keyset = web().Get("/.well-known/baladiya/document-keys.json");
  ASSERT_EQ(keyset.status, 200);
  auto keys = ParseKeySet(keyset.body);
  ASSERT_TRUE(keys.ok());
  Check check = CheckCode(d->code, *keys, Now());
  EXPECT_EQ(check.outcome, "valid");
  EXPECT_EQ(check.claims.number, d->number);
  EXPECT_EQ(check.claims.issuer, "hebron");
  EXPECT_EQ(check.claims.holder, d->holder.ar);

  // Numbers run per municipality and year.
  cases::Case second = BuildingPermit();
  ASSERT_TRUE(Complete(second).ok());
  auto d2 = documents().OfCase(second.id);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->number.rfind("HEBD-26-000002-", 0), 0u) << d2->number;
  EXPECT_EQ(web().Count("documents"), 2);
}

TEST_F(DocumentsWebTest, TheHolderAndTheDepartmentSeeItOthersDoNot) {
  cases::Case c = BuildingPermit();
  ASSERT_TRUE(Complete(c).ok());
  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok());

  baladiya::testing::Browser salma = AsSalma();
  std::string casepage = salma.Get("/account/cases/" + c.tracking);
  EXPECT_EQ(http::testing::RawClient::Status(casepage), 200);
  EXPECT_NE(casepage.find("/account/documents/" + d->number), std::string::npos)
      << "the applicant's case page links the document";
  std::string page = salma.Get("/account/documents/" + d->number);
  ASSERT_EQ(http::testing::RawClient::Status(page), 200);
  EXPECT_NE(page.find("رخصة بناء"), std::string::npos);
  EXPECT_NE(page.find("<svg"), std::string::npos) << "the QR is drawn on the page";
  EXPECT_NE(page.find(std::string(kPublicUrl) + "/verify?code=BL1:"), std::string::npos);
  std::string account = salma.Get("/account");
  EXPECT_NE(account.find("href=\"/account/documents\""), std::string::npos)
      << "the account page links the resident's documents";
  std::string mine = salma.Get("/account/documents");
  EXPECT_NE(mine.find("/account/documents/" + d->number), std::string::npos);
  std::string english = salma.Get("/account/documents/" + d->number + "?lang=en");
  EXPECT_NE(english.find("Building permit"), std::string::npos);
  EXPECT_NE(english.find("Salma al-Jabari"), std::string::npos);

  // Someone else's document is as if it did not exist.
  identity::ResidentRegistration r{"401234588",           "رامي", "", "0599123458", "", "",
                                   "olive-harvest-season"};
  auto rami = accounts().RegisterResident(r, hasher(), {"t", "t", 0}, Now());
  ASSERT_TRUE(rami.ok());
  baladiya::testing::Browser other(port());
  other.SetCookie("sid", Session(*rami, false));
  EXPECT_EQ(http::testing::RawClient::Status(other.Get("/account/documents/" + d->number)), 404);
  EXPECT_EQ(http::testing::RawClient::Status(salma.Get("/account/documents/HEBD-26-999999-0")),
            404);

  // The engineering department's clerk sees it from the case page; another department's not.
  baladiya::testing::Browser clerk = Staff("eng.clerk", Role::kClerk, "hebron", "engineering");
  std::string staffcase = clerk.Get("/m/hebron/cases/" + c.tracking);
  EXPECT_NE(staffcase.find("/m/hebron/documents/" + d->number), std::string::npos);
  std::string staffpage = clerk.Get("/m/hebron/documents/" + d->number);
  EXPECT_EQ(http::testing::RawClient::Status(staffpage), 200);
  EXPECT_EQ(staffpage.find("name=\"reason\""), std::string::npos) << "a clerk cannot revoke";
  baladiya::testing::Browser water = Staff("water.clerk", Role::kClerk, "hebron", "water");
  EXPECT_EQ(http::testing::RawClient::Status(water.Get("/m/hebron/documents/" + d->number)), 404);
  baladiya::testing::Browser nablus = Staff("nablus.clerk", Role::kClerk, "nablus", "engineering");
  EXPECT_EQ(http::testing::RawClient::Status(nablus.Get("/m/nablus/documents/" + d->number)), 404);
}

TEST_F(DocumentsWebTest, VerifySaysValidThenRevokedAtOnceAndExpiredLater) {
  cases::Case c = BuildingPermit();
  ASSERT_TRUE(Complete(c).ok());
  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok());

  auto page = web().Get("/verify?code=" + Encoded(d->code));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("data-outcome=\"valid\""), std::string::npos);
  EXPECT_NE(page.body.find(d->number), std::string::npos);
  auto en = web().Get("/verify?lang=en&code=" + Encoded(d->code));
  EXPECT_NE(en.body.find("Valid: the municipality issued this document"), std::string::npos);
  // The QR's own address opens it as it is.
  const std::string address = VerifyAddress(kPublicUrl, d->code);
  auto opened = web().Get(address.substr(std::string(kPublicUrl).size()));
  EXPECT_NE(opened.body.find("data-outcome=\"valid\""), std::string::npos);

  auto api = web().Get("/api/v1/verify?code=" + Encoded(d->code));
  ASSERT_EQ(api.status, 200) << api.body;
  json::value v = JsonOf(api);
  EXPECT_EQ(v.at("status").as_string(), "valid");
  EXPECT_EQ(v.at("document").at("number").as_string(), d->number);
  EXPECT_EQ(v.at("document").at("holder").at("en").as_string(), "Salma al-Jabari");
  auto posted = web().Send("POST", "/api/v1/verify", "",
                           json::serialize(json::object{{"code", d->code}}), "application/json");
  EXPECT_EQ(posted.status, 200) << posted.body;

  // A clerk cannot revoke; the department head can, with a reason.
  baladiya::testing::Browser clerk = Staff("eng.clerk", Role::kClerk, "hebron", "engineering");
  clerk.Get("/m/hebron/documents/" + d->number);
  EXPECT_EQ(http::testing::RawClient::Status(
                clerk.Post("/m/hebron/documents/" + d->number + "/revoke", {{"reason", "خطأ"}})),
            403);
  baladiya::testing::Browser head =
      Staff("eng.head", Role::kDepartmentHead, "hebron", "engineering");
  std::string form = head.Get("/m/hebron/documents/" + d->number);
  ASSERT_NE(form.find("name=\"reason\""), std::string::npos);
  std::string empty = head.Post("/m/hebron/documents/" + d->number + "/revoke", {{"reason", " "}});
  EXPECT_EQ(http::testing::RawClient::Status(empty), 422);
  EXPECT_NE(empty.find("اكتب سبب إلغاء المستند"), std::string::npos);
  EXPECT_EQ(documents().Find(d->number)->revoked_at, 0) << "nothing changed";
  std::string done = head.Post("/m/hebron/documents/" + d->number + "/revoke",
                               {{"reason", "صدرت الرخصة على مخطط غير مصدّق"}});
  EXPECT_EQ(http::testing::RawClient::Status(done), 303);
  auto now = web().Get("/api/v1/verify?code=" + Encoded(d->code));
  json::value revoked = JsonOf(now);
  EXPECT_EQ(revoked.at("status").as_string(), "revoked");
  EXPECT_EQ(revoked.at("revoked").at("reason").as_string(), "صدرت الرخصة على مخطط غير مصدّق");
  audit::AuditLog::Filter f;
  f.action_prefix = "document.revoked";
  auto entries = audit().List(f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].object, "document:" + d->number);
  // Revoking again is refused and changes nothing.
  EXPECT_EQ(documents().Revoke(d->number, hebron_, "مرة أخرى", "p", "r", Now()).error().code,
            ErrorCode::kConflict);
  // The signed list names it, and its signature holds with the platform's published key.
  auto list = web().Get("/.well-known/baladiya/revoked-documents.json");
  ASSERT_EQ(list.status, 200);
  json::value l = JsonOf(list);
  auto payload = crypto::FromBase64Url(std::string(l.at("payload").as_string()));
  auto signature = crypto::FromBase64Url(std::string(l.at("signature").as_string()));
  auto kid = crypto::FromBase64Url(std::string(l.at("kid").as_string()));
  ASSERT_TRUE(payload.ok() && signature.ok() && kid.ok());
  EXPECT_NE(payload->find(d->number), std::string::npos);
  auto all = keys().All();
  ASSERT_TRUE(all.ok());
  bool verified = false;
  for (const auto& k : *all) {
    if (k.kid == *kid) verified = crypto::Verify(k.key, *payload, *signature);
  }
  EXPECT_TRUE(verified);

  // A valid document expires on its date.
  cases::Case other = BuildingPermit();
  ASSERT_TRUE(Complete(other).ok());
  auto d2 = documents().OfCase(other.id);
  ASSERT_TRUE(d2.ok());
  web().clock().Set(d2->expires_at + 1000);
  auto expired = JsonOf(web().Get("/api/v1/verify?code=" + Encoded(d2->code)));
  EXPECT_EQ(expired.at("status").as_string(), "expired");
}

TEST_F(DocumentsWebTest, BadCodesGetClearErrors) {
  cases::Case c = BuildingPermit();
  ASSERT_TRUE(Complete(c).ok());
  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok());
  const int64_t before = web().Count("documents WHERE revoked_at = 0");

  // One character of the QR's text changed.
  std::string altered = d->code;
  altered[40] = altered[40] == 'A' ? 'B' : 'A';
  auto r = web().Get("/api/v1/verify?code=" + Encoded(altered));
  EXPECT_EQ(r.status, 422) << r.body;
  const std::string message(JsonOf(r).at("error").at("message").as_string());
  EXPECT_TRUE(message == texts().Get(i18n::Lang::kAr, "documents.outcome.malformed") ||
              message == texts().Get(i18n::Lang::kAr, "documents.outcome.bad_signature"))
      << message;
  auto page = web().Get("/verify?code=" + Encoded(altered));
  EXPECT_EQ(page.status, 422);
  EXPECT_NE(page.body.find("error-summary"), std::string::npos);

  // Signed by a key no municipality published.
  Claims claims = ClaimsOf(*d);
  crypto::Key32 seed{};
  seed.fill(42);
  const std::string stranger = EncodeCode(claims, crypto::SigningKeyFromSeed(seed));
  auto unknown = web().Get("/api/v1/verify?code=" + Encoded(stranger));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(JsonOf(unknown).at("error").at("message").as_string(),
            texts().Get(i18n::Lang::kAr, "documents.outcome.unknown_key"));

  // Signed with Nablus's own key but naming Hebron as the issuer.
  auto nablus = tenancy().FindMunicipality("nablus");
  auto nablus_key = keys().Current(nablus->id, "nablus", Now());
  ASSERT_TRUE(nablus_key.ok());
  const std::string borrowed = EncodeCode(claims, nablus_key->first);
  auto forged = web().Get("/api/v1/verify?code=" + Encoded(borrowed));
  EXPECT_EQ(forged.status, 422);
  EXPECT_EQ(JsonOf(forged).at("error").at("message").as_string(),
            texts().Get(i18n::Lang::kAr, "documents.outcome.bad_signature"));

  // Nothing at all, and JSON that is not JSON.
  EXPECT_EQ(web().Get("/api/v1/verify").status, 422);
  EXPECT_EQ(web().Send("POST", "/api/v1/verify", "", "{", "application/json").status, 400);
  EXPECT_EQ(web().Count("documents WHERE revoked_at = 0"), before) << "nothing changed";
}

TEST_F(DocumentsWebTest, ARotatedKeyKeepsVerifyingWhatItSigned) {
  cases::Case c = BuildingPermit();
  ASSERT_TRUE(Complete(c).ok());
  auto first = documents().OfCase(c.id);
  ASSERT_TRUE(first.ok());
  auto rotated = keys().Rotate(hebron_, "hebron", Now());
  ASSERT_TRUE(rotated.ok());
  EXPECT_EQ(rotated->generation, 2);
  cases::Case c2 = BuildingPermit();
  ASSERT_TRUE(Complete(c2).ok());
  auto second = documents().OfCase(c2.id);
  ASSERT_TRUE(second.ok());
  auto d1 = DecodeCode(first->code);
  auto d2 = DecodeCode(second->code);
  ASSERT_TRUE(d1.ok() && d2.ok());
  EXPECT_NE(d1->kid, d2->kid) << "the new key signs";
  EXPECT_EQ(d2->kid, rotated->kid);
  for (const Document* d : {&*first, &*second}) {
    auto v = JsonOf(web().Get("/api/v1/verify?code=" + Encoded(d->code)));
    EXPECT_EQ(v.at("status").as_string(), "valid") << d->number;
  }
  auto keyset = ParseKeySet(web().Get("/.well-known/baladiya/document-keys.json").body);
  ASSERT_TRUE(keyset.ok());
  int hebron_keys = 0;
  for (const auto& k : *keyset) hebron_keys += k.issuer == "hebron";
  EXPECT_EQ(hebron_keys, 2);
}

TEST_F(DocumentsWebTest, AClearanceGoesOnlyToSomeoneWhoOwesNothing) {
  // Nothing tells what people owe: the clearance is refused, the case stays approved.
  cases::Case c = Clearance();
  ASSERT_TRUE(Act(c, "start_review").ok());
  ASSERT_TRUE(Act(c, "approve").ok());
  auto refused = Act(c, "complete");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "documents.dues_unknown");
  EXPECT_EQ(cases().Get(c.id)->state, "approved");
  EXPECT_EQ(web().Count("documents"), 0);

  // The staff page says why, in the staff's language.
  baladiya::testing::Browser head = Staff("rev.head", Role::kDepartmentHead, "hebron", "revenue");
  std::string casepage = head.Get("/m/hebron/cases/" + c.tracking + "?lang=en");
  auto current = cases().Get(c.id);
  std::string answer = head.Post(
      "/m/hebron/cases/" + c.tracking + "/act",
      {{"version", std::to_string(current->version)}, {"action", "complete"}, {"comment", ""}});
  EXPECT_EQ(http::testing::RawClient::Status(answer), 409);
  EXPECT_NE(answer.find("what the applicant owes cannot be checked"), std::string::npos);

  // Payments says the applicant owes something: still refused.
  int64_t asked = 0;
  bool owes = true;
  extensions().owes = [&](db::Tx&, int64_t municipality, int64_t account) -> Result<bool> {
    EXPECT_EQ(municipality, hebron_);
    EXPECT_EQ(account, salma_);
    ++asked;
    return owes;
  };
  auto still = Act(c, "complete");
  ASSERT_FALSE(still.ok());
  EXPECT_EQ(still.error().message_key, "documents.owes");
  EXPECT_EQ(asked, 1);

  // Once they owe nothing, it is issued.
  owes = false;
  ASSERT_TRUE(Act(c, "complete").ok());
  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->kind, "certificate");
  EXPECT_NE(d->body.ar.find("بنك فلسطين"), std::string::npos);
  extensions().owes = nullptr;
}

// What a command prints (stdout), run by the shell.
std::string Output(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

TEST_F(DocumentsWebTest, ThePdfIsA4UnderTheLimitWithItsFontsEmbeddedAndItsDigestStored) {
  cases::Case c = BuildingPermit();
  ASSERT_TRUE(Complete(c).ok());
  auto d = documents().OfCase(c.id);
  ASSERT_TRUE(d.ok());
  ASSERT_GT(d->pdf_size, 0);
  EXPECT_LT(d->pdf_size, 100 * 1024);
  baladiya::testing::Browser salma = AsSalma();
  std::string res = salma.Get("/account/documents/" + d->number + "/pdf");
  ASSERT_EQ(http::testing::RawClient::Status(res), 200);
  EXPECT_EQ(http::testing::RawClient::Header(res, "content-type"), "application/pdf");
  const std::string pdf = http::testing::RawClient::Body(res);
  EXPECT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(crypto::Sha256Hex(pdf), d->pdf_sha256);
  EXPECT_NE(salma.Get("/account/documents/" + d->number).find(d->pdf_sha256), std::string::npos);

  const std::string file = (web().dir() / "permit.pdf").string();
  FILE* f = fopen(file.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fwrite(pdf.data(), 1, pdf.size(), f);
  fclose(f);
  if (const char* keep = std::getenv("DOCUMENTS_KEEP_PDF")) Output("cp " + file + " " + keep);
  // Debian's poppler-utils read it: one A4 page, every font embedded (subset).
  const std::string info = Output("pdfinfo " + file + " 2>&1");
  EXPECT_TRUE(std::regex_search(info, std::regex("Pages: +1\\n"))) << info;
  EXPECT_NE(info.find("595.276 x 841.89 pts (A4)"), std::string::npos) << info;
  const std::string fonts = Output("pdffonts " + file + " 2>&1");
  EXPECT_NE(fonts.find("NotoNaskhArabic"), std::string::npos) << fonts;
  EXPECT_NE(fonts.find("NotoSans"), std::string::npos) << fonts;
  for (size_t at = fonts.find('\n', fonts.find("----")); at != std::string::npos;
       at = fonts.find('\n', at + 1)) {
    const std::string line = fonts.substr(at + 1, fonts.find('\n', at + 1) - at - 1);
    if (line.size() < 60) continue;
    EXPECT_NE(line.find(" yes "), std::string::npos) << "not embedded: " << line;
  }
  // Its signature holds (poppler's pdfsig checks the CMS over the byte ranges); the certificate
  // is the municipality's own, not one a reader trusts by default.
  const std::string sig = Output("pdfsig " + file + " 2>&1");
  EXPECT_NE(sig.find("Signature Validation: Signature is Valid."), std::string::npos) << sig;
  EXPECT_NE(sig.find("Hebron Municipality"), std::string::npos) << sig;
  EXPECT_NE(sig.find("ETSI.CAdES.detached"), std::string::npos) << sig;
  // PAdES baseline B-B: the CMS holds content type, message digest and the signing certificate
  // (v2) as signed attributes, and no signing time (the time is the dictionary's /M).
  {
    const size_t contents = pdf.rfind("/Contents <");
    ASSERT_NE(contents, std::string::npos);
    std::string hex = pdf.substr(contents + 11, pdf.find('>', contents) - contents - 11);
    std::string der;
    for (size_t i = 0; i + 1 < hex.size(); i += 2)
      der += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(cms, nullptr);
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    EXPECT_LT(CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_contentType, -1), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_pkcs9_messageDigest, -1), 0);
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, NID_id_smime_aa_signingCertificateV2, -1), 0);
    CMS_ContentInfo_free(cms);
  }
  // One byte of the page changed: the signature no longer holds.
  std::string altered = pdf;
  const size_t at = altered.find("/MediaBox [ 0 0 595.276");
  ASSERT_NE(at, std::string::npos);
  altered[at + 14] = '6';
  const std::string bad = (web().dir() / "altered.pdf").string();
  FILE* g = fopen(bad.c_str(), "wb");
  ASSERT_NE(g, nullptr);
  fwrite(altered.data(), 1, altered.size(), g);
  fclose(g);
  const std::string broken = Output("pdfsig " + bad + " 2>&1");
  EXPECT_EQ(broken.find("Signature is Valid."), std::string::npos) << broken;
  // The Arabic is there as text (shaped glyphs mapped back to their letters).
  const std::string text = Output("pdftotext -enc UTF-8 " + file + " - 2>&1");
  EXPECT_NE(text.find("HEBD-26-000001"), std::string::npos) << text;
  EXPECT_NE(text.find("Building permit"), std::string::npos);
  EXPECT_TRUE(text.find("رخصة بناء") != std::string::npos ||
              text.find("ءانب ةصخر") != std::string::npos)
      << text;
}

// Records other modules print in the municipality's name (payments' receipts) are one A4 page,
// both languages, signed as documents are; an unknown municipality prints nothing.
TEST_F(DocumentsWebTest, ARecordIsPrintedOnOnePageAndSignedByTheMunicipality) {
  const RecordPrinter& printer = web().Part<RecordPrinter>();
  RecordPdf r;
  r.municipality_id = tenancy().FindMunicipality("hebron")->id;
  r.title = {"إيصال دفع", "Payment receipt"};
  r.number = "RCP-HEB-2026-000042";
  r.rows.push_back({{"المبلغ", "Amount"}, {"١٥٠٫٠٠ ₪", "₪150.00"}});
  r.rows.push_back({{"طريقة الدفع", "Method"}, {"نقدًا", "Cash"}});
  r.note = {"موقَّع إلكترونيًا من البلدية.", "Signed electronically by the municipality."};
  r.at_ms = Now();
  auto pdf = printer.Print(r);
  ASSERT_TRUE(pdf.ok()) << pdf.error().detail;
  EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
  EXPECT_LT(pdf->size(), 100u * 1024);
  const std::string file = (web().dir() / "receipt.pdf").string();
  FILE* f = fopen(file.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  fwrite(pdf->data(), 1, pdf->size(), f);
  fclose(f);
  if (const char* keep = std::getenv("DOCUMENTS_KEEP_RECEIPT")) Output("cp " + file + " " + keep);
  const std::string info = Output("pdfinfo " + file + " 2>&1");
  EXPECT_TRUE(std::regex_search(info, std::regex("Pages: +1\\n"))) << info;
  const std::string sig = Output("pdfsig " + file + " 2>&1");
  EXPECT_NE(sig.find("Signature Validation: Signature is Valid."), std::string::npos) << sig;
  EXPECT_NE(sig.find("Hebron Municipality"), std::string::npos) << sig;
  const std::string text = Output("pdftotext -enc UTF-8 " + file + " - 2>&1");
  EXPECT_NE(text.find("RCP-HEB-2026-000042"), std::string::npos) << text;
  EXPECT_NE(text.find("Payment receipt"), std::string::npos) << text;
  EXPECT_NE(text.find("150.00"), std::string::npos) << text;
  r.municipality_id = 987654;
  auto none = printer.Print(r);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace baladiya::documents::testing
