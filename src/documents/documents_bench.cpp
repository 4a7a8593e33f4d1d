// Not a test: measures, in one run,
//   1. a certificate PDF rendered (cairo + pango, Arabic and English, QR) and signed (the PAdES
//      incremental update with its CMS signature): p50, p99 and mean over N documents, and the
//      PDF's size;
//   2. the QR's signed code (CWT / COSE_Sign1 / zlib / Base45) of a building permit with its five
//      facts and of a clearance certificate: its length, and the QR's whole address;
//   3. signing and checking one code (us).
// Usage: documents_bench [documents (default 300)]
//        documents_bench code DATABASE KEY_FILE SLUG: prints a code signed with the municipality's
//        current document key, for scripts/bench-documents.sh to ask /verify about.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <vector>

#include "catalog/catalog.h"
#include "documents/code.h"
#include "documents/documents.h"
#include "documents/pades.h"
#include "documents/pdf.h"
#include "documents/web.h"
#include "platform/i18n/source_catalog.h"

using namespace baladiya;
using namespace baladiya::documents;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "documents_bench: {}\n", what);
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().message_key + " " + r.error().detail);
  return std::move(r).value();
}

// A building permit as the demo issues it.
Document Permit() {
  Document d;
  d.number = "HEBD-26-000123-4";
  d.issuer = "hebron";
  d.kind = "permit";
  d.tracking = "HEB-26-000456-1";
  d.service_code = "building-permit";
  d.holder = {"سلمى خليل الجعبري", "Salma Khalil al-Jabari"};
  d.holder_id = "4*****562";
  d.title = {"رخصة بناء", "Building permit"};
  d.body = {
      "تشهد بلدية الخليل بأنها رخّصت لـ سلمى خليل الجعبري، صاحب رقم الهوية \u20664*****562\u2069، "
      "البناء على القطعة حوض 34 قطعة 112 وفق المخططات المصدّقة في الطلب "
      "\u2066HEB-26-000456-1\u2069، "
      "بعدد طوابق 3 ومساحة 420 متر مربع.\nهذه الرخصة صالحة حتى ١٤ آذار ٢٠٢٨، ويجب إبرازها في موقع "
      "العمل.",
      "Hebron Municipality permits Salma Khalil al-Jabari, holder of ID number 4*****562, to build "
      "on حوض 34 قطعة 112 according to the plans approved in application HEB-26-000456-1: 3 "
      "floor(s), 420 m².\nThis permit is valid until 14 March 2028 and must be shown on the site."};
  d.facts = {
      {"basin_parcel",
       {"رقم الحوض والقطعة", "Basin and parcel number"},
       {"حوض 34 قطعة 112", "حوض 34 قطعة 112"},
       "حوض 34 قطعة 112"},
      {"permit_type",
       {"نوع الطلب", "Type of application"},
       {"بناء جديد", "New building"},
       "new_building"},
      {"floors", {"عدد الطوابق", "Number of floors"}, {"3", "3"}, "3"},
      {"building_area",
       {"مساحة البناء المطلوب ترخيصها (م²)", "Floor area to be licensed (m²)"},
       {"420", "420"},
       "420"},
      {"building_use",
       {"استعمال البناء", "Use of the building"},
       {"سكني", "Residential"},
       "residential"},
  };
  d.office = {"دائرة الهندسة والتنظيم، بلدية الخليل",
              "Engineering and Planning, Hebron Municipality"};
  d.issued_at = 1'773'565'200'000;
  d.expires_at = d.issued_at + int64_t{730} * 86'400'000;
  return d;
}

Document Clearance() {
  Document d = Permit();
  d.number = "HEBD-26-000124-1";
  d.kind = "certificate";
  d.service_code = "clearance-certificate";
  d.title = {"شهادة براءة ذمة", "Clearance certificate"};
  d.facts = {{"purpose",
              {"غرض الشهادة", "Purpose of the certificate"},
              {"معاملة بنكية", "Bank procedure"},
              "bank"},
             {"addressed_to",
              {"الجهة الموجهة إليها", "Addressed to"},
              {"بنك فلسطين", "بنك فلسطين"},
              "بنك فلسطين"}};
  d.expires_at = d.issued_at + int64_t{90} * 86'400'000;
  return d;
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int PrintCode(int argc, char** argv) {
  if (argc != 5) Die("usage: documents_bench code DATABASE KEY_FILE SLUG");
  auto keys = Must(crypto::LoadOrCreateKeyFile(argv[3]), "key file");
  db::DatabaseOptions o;
  o.url = argv[2];
  auto db = Must(db::Open(o), "database");
  catalog::TenancyStore tenancy(*db);
  auto m = Must(tenancy.FindMunicipality(argv[4]), "municipality");
  KeyStore store(*db, keys.signing_seed);
  auto key = Must(store.Current(m.id, m.slug, 0), "document key");
  Document d = Permit();
  d.issuer = m.slug;
  d.issued_at = static_cast<int64_t>(std::time(nullptr)) * 1000;
  d.expires_at = d.issued_at + int64_t{730} * 86'400'000;
  fmt::print("{}\n", EncodeCode(ClaimsOf(d), key.first));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  (void)crypto::InitCrypto();
  if (argc > 1 && std::string(argv[1]) == "code") return PrintCode(argc, argv);
  const int n = argc > 1 ? std::atoi(argv[1]) : 300;
  const char* src = std::getenv("BALADIYA_SOURCE_DIR");
  auto messages = Must(i18n::LoadSourceCatalog(src ? src : "."),
                       "catalogue (set "
                       "BALADIYA_SOURCE_DIR)");
  crypto::Key32 seed{};
  seed.fill(3);
  const crypto::SigningKey key = crypto::SigningKeyFromSeed(seed);
  auto signer = Must(PdfSigner::Generate("Hebron Municipality", 1'773'565'200'000), "signer");
  const std::string public_url = "https://baladiya.example.ps";

  Document permit = Permit();
  permit.code = EncodeCode(ClaimsOf(permit), key);
  Document clearance = Clearance();
  clearance.code = EncodeCode(ClaimsOf(clearance), key);

  // 1. PDF rendered and signed.
  std::vector<double> times;
  size_t size = 0;
  const PdfInputs in{
      {"بلدية الخليل", "Hebron Municipality"}, VerifyAddress(public_url, permit.code), &messages};
  for (int i = 0; i < n + 5; ++i) {
    const auto t0 = Clock::now();
    std::string pdf = Must(RenderPdf(permit, in), "render");
    std::string signed_pdf =
        Must(signer->Sign(pdf, permit.issued_at, "Hebron Municipality", "Building permit"), "sign");
    const auto t1 = Clock::now();
    if (i >= 5) times.push_back(Ms(t1 - t0));  // the first few warm the font caches
    size = signed_pdf.size();
  }
  std::sort(times.begin(), times.end());
  double sum = 0;
  for (double t : times) sum += t;
  // Rendering alone, to see where the time goes.
  std::vector<double> render_only;
  for (int i = 0; i < std::min(n, 100); ++i) {
    const auto t0 = Clock::now();
    (void)Must(RenderPdf(permit, in), "render");
    render_only.push_back(Ms(Clock::now() - t0));
  }
  std::sort(render_only.begin(), render_only.end());

  // 3. One code signed, and checked.
  const std::vector<PublicKey> keyset = {{KeyIdOf(key.public_key), 1, "hebron", 1, key.public_key}};
  const int codes = 2000;
  auto t0 = Clock::now();
  for (int i = 0; i < codes; ++i) (void)EncodeCode(ClaimsOf(permit), key);
  const double sign_us = Ms(Clock::now() - t0) * 1000 / codes;
  t0 = Clock::now();
  for (int i = 0; i < codes; ++i) {
    if (CheckCode(permit.code, keyset, permit.issued_at).outcome != "valid") Die("check failed");
  }
  const double check_us = Ms(Clock::now() - t0) * 1000 / codes;

  fmt::print("| figure | value |\n|---|---|\n");
  fmt::print(
      "| certificate PDF rendered and signed (A4, Arabic + English, QR, PAdES), {} runs | "
      "p50 {:.2f} ms, p99 {:.2f} ms, mean {:.2f} ms |\n",
      times.size(), times[times.size() / 2], times[times.size() * 99 / 100], sum / times.size());
  fmt::print("| of which rendering alone (cairo + pango) | p50 {:.2f} ms |\n",
             render_only[render_only.size() / 2]);
  fmt::print("| signed PDF size | {} bytes ({:.1f} KB) |\n", size, size / 1024.0);
  fmt::print(
      "| QR code text, building permit (5 facts) | {} characters (the QR's address {} "
      "characters) |\n",
      permit.code.size(), VerifyAddress(public_url, permit.code).size());
  fmt::print("| QR code text, clearance certificate (2 facts) | {} characters (address {}) |\n",
             clearance.code.size(), VerifyAddress(public_url, clearance.code).size());
  fmt::print("| code signed (CBOR + COSE_Sign1 + Ed25519 + zlib + Base45) | {:.1f} us |\n",
             sign_us);
  fmt::print("| code checked (Base45 + inflate + CBOR + Ed25519 verify) | {:.1f} us |\n", check_us);
  return 0;
}
