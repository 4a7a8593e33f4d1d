#include "documents/code.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <utility>

#include "documents/cbor.h"
#include "documents/documents.h"

namespace baladiya::documents {
namespace {

crypto::SigningKey KeyOf(uint8_t n) {
  crypto::Key32 seed{};
  seed.fill(n);
  return crypto::SigningKeyFromSeed(seed);
}

Claims Sample() {
  Claims c;
  c.issuer = "hebron";
  c.number = "HEBD-26-000001-4";
  c.issued_at = 1'796'000'000;
  c.expires_at = 1'803'776'000;
  c.kind = "certificate";
  c.holder = "سلمى خليل الجعبري";
  c.holder_id = "4*****015";
  c.facts = {"property_transfer", "34 / 112"};
  return c;
}

PublicKey Published(const crypto::SigningKey& k, std::string issuer = "hebron") {
  PublicKey p;
  p.key = k.public_key;
  p.kid = KeyIdOf(k.public_key);
  p.issuer = std::move(issuer);
  return p;
}

TEST(Base45Test, RfcExamples) {
  // RFC 9285, section 4.
  const std::pair<std::string, std::string> kCases[] = {{"AB", "BB8"},
                                                        {"Hello!!", "%69 VD92EX0"},
                                                        {"base-45", "UJCLQE7W581"},
                                                        {"ietf!", "QED8WEX0"},
                                                        {"", ""}};
  for (const auto& [bytes, text] : kCases) {
    EXPECT_EQ(Base45Encode(bytes), text);
    auto back = Base45Decode(text);
    ASSERT_TRUE(back.ok()) << text;
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Base45Test, RefusesWhatIsNotBase45) {
  for (std::string_view bad : {"GGW", "ZZZ", "a", "ab", "BB", "BB8B", "QED8WEX0~"}) {
    auto r = Base45Decode(bad);
    // "BB" is one byte (n = 11 + 11*45 = 506 > 255): refused as past its range.
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(CborTest, EncodesThePreferredFormAndReadsItBack) {
  std::string out;
  cbor::Int(out, 0);
  cbor::Int(out, 23);
  cbor::Int(out, 24);
  cbor::Int(out, -1);
  cbor::Int(out, -8);
  cbor::Int(out, -70001);
  cbor::Uint(out, 1'000'000'000'000);
  EXPECT_EQ(crypto::ToHex(out),
            "001718182027"
            "3a00011170"
            "1b000000e8d4a51000");
  std::string m;
  cbor::Map(m, 2);
  cbor::Int(m, 1);
  cbor::Text(m, "ب");
  cbor::Text(m, "k");
  cbor::Bytes(m, std::string("\x00\x01", 2));
  auto item = cbor::Decode(m);
  ASSERT_TRUE(item.ok());
  ASSERT_NE(item->At(1), nullptr);
  EXPECT_EQ(item->At(1)->bytes, "ب");
  ASSERT_NE(item->At("k"), nullptr);
  EXPECT_EQ(item->At("k")->bytes.size(), 2u);
}

TEST(CborTest, RefusesWhatItDoesNotKnow) {
  const std::string kBad[] = {
      std::string("\x9f\x01\xff", 3),                          // indefinite array
      std::string("\xfb\x3f\xf0\x00\x00\x00\x00\x00\x00", 9),  // a float
      std::string("\x62\x61", 2),                              // text past the end
      std::string("\x01\x02", 2),                              // bytes after the item
      std::string("\x85\x01", 2),                              // array past the end
      std::string("\x1b\xff\xff\xff\xff\xff\xff\xff\xff", 9),  // integer past int64
      std::string(40, '\x81'),                                 // nested too deep
      std::string(),
  };
  for (const auto& b : kBad) EXPECT_FALSE(cbor::Decode(b).ok()) << crypto::ToHex(b);
}

TEST(CodeTest, RoundTripsAndVerifies) {
  const crypto::SigningKey key = KeyOf(7);
  const std::string text = EncodeCode(Sample(), key);
  EXPECT_TRUE(text.starts_with("BL1:"));
  EXPECT_LT(text.size(), 400u) << text;
  auto d = DecodeCode("  " + text + "\n");
  ASSERT_TRUE(d.ok()) << d.error().detail;
  EXPECT_EQ(d->claims, Sample());
  EXPECT_EQ(d->kid, KeyIdOf(key.public_key));
  EXPECT_TRUE(SignatureValid(*d, key.public_key));
  EXPECT_FALSE(SignatureValid(*d, KeyOf(8).public_key));
  // A pasted code wrapped over lines reads the same.
  std::string wrapped = text;
  wrapped.insert(60, "\r\n");
  wrapped.insert(30, "\n");
  auto w = DecodeCode(wrapped);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->claims, Sample());
  // Deterministic: the same claims and key give the same code.
  EXPECT_EQ(EncodeCode(Sample(), key), text);
}

TEST(CodeTest, CheckSaysValidExpiredRevoked) {
  const crypto::SigningKey key = KeyOf(7);
  const std::string text = EncodeCode(Sample(), key);
  const std::vector<PublicKey> keys = {Published(KeyOf(9)), Published(key)};
  const int64_t before = (Sample().expires_at - 10) * 1000;
  const int64_t after = Sample().expires_at * 1000;
  EXPECT_EQ(CheckCode(text, keys, before).outcome, "valid");
  EXPECT_EQ(CheckCode(text, keys, before).claims.number, Sample().number);
  EXPECT_EQ(CheckCode(text, keys, after).outcome, "expired");
  EXPECT_EQ(
      CheckCode(text, keys, before, [](const std::string& n) { return n == "HEBD-26-000001-4"; })
          .outcome,
      "revoked");
}

TEST(CodeTest, RefusesUnknownKeysOtherIssuersAndAlteredCodes) {
  const crypto::SigningKey key = KeyOf(7);
  const std::string text = EncodeCode(Sample(), key);
  const int64_t now = (Sample().issued_at + 10) * 1000;
  // Signed by a key that is not published.
  EXPECT_EQ(CheckCode(text, {Published(KeyOf(9))}, now).outcome, "unknown_key");
  // Nablus's key cannot vouch for a document that names Hebron.
  EXPECT_EQ(CheckCode(text, {Published(key, "nablus")}, now).outcome, "bad_signature");
  // A code signed by an impostor who copied Hebron's key id: the signature fails.
  {
    const std::vector<PublicKey> keys = {Published(key)};
    Claims forged = Sample();
    forged.holder = "شخص آخر";
    crypto::SigningKey impostor = KeyOf(11);
    std::string made = EncodeCode(forged, impostor);
    auto d = DecodeCode(made);
    ASSERT_TRUE(d.ok());
    EXPECT_FALSE(SignatureValid(*d, key.public_key));
  }
  // Every single character of the Base45 text changed: never valid.
  const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  int malformed = 0, bad = 0;
  for (size_t i = 4; i < text.size(); ++i) {
    std::string altered = text;
    altered[i] = alphabet[(alphabet.find(text[i]) + 1) % alphabet.size()];
    const std::string outcome = CheckCode(altered, {Published(key)}, now).outcome;
    EXPECT_NE(outcome, "valid") << "position " << i;
    malformed += outcome == "malformed";
    bad += outcome == "bad_signature" || outcome == "unknown_key";
  }
  EXPECT_GT(malformed, 0);
  // Inside the compressed COSE structure one byte changed: the bytes are re-deflated, so the
  // change reaches the signature check.
  {
    auto zipped = Base45Decode(text.substr(4));
    ASSERT_TRUE(zipped.ok());
    auto cose = Inflate(*zipped, 4096);
    ASSERT_TRUE(cose.ok());
    const size_t at = cose->find("34 / 112");
    ASSERT_NE(at, std::string::npos);
    std::string altered = *cose;
    altered[at] = '5';
    const std::string recoded = std::string(kCodePrefix) + Base45Encode(Deflate(altered));
    EXPECT_EQ(CheckCode(recoded, {Published(key)}, now).outcome, "bad_signature");
  }
  for (std::string_view bad_text : {"", "HC1:6BFOXN", "BL1:", "BL1:QED8WEX0", "BL1:!!!"}) {
    EXPECT_EQ(CheckCode(bad_text, {Published(key)}, now).outcome, "malformed") << bad_text;
  }
}

TEST(CodeTest, KeySetRoundTrips) {
  PublicKey a = Published(KeyOf(1));
  a.generation = 1;
  a.retired_at = 1000;
  PublicKey b = Published(KeyOf(2), "nablus");
  b.generation = 2;
  auto back = ParseKeySet(KeySetJson({a, b}));
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].kid, a.kid);
  EXPECT_EQ((*back)[0].key, a.key);
  EXPECT_EQ((*back)[1].issuer, "nablus");
  EXPECT_EQ((*back)[1].generation, 2);
  EXPECT_FALSE(ParseKeySet("{\"keys\":3}").ok());
  EXPECT_FALSE(ParseKeySet("[").ok());
}

// What a command prints (stdout) and how it ended.
std::pair<std::string, int> RunCommand(const std::string& command) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (!p) return {out, -1};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  return {out, pclose(p)};
}

// A standard CBOR library and Ed25519 from Debian (python3-cbor2, python3-cryptography) read and
// verify the code: nothing of ours is needed to check a document.
TEST(CodeTest, AStandardCoseReaderVerifiesIt) {
  const crypto::SigningKey key = KeyOf(7);
  const std::string text = EncodeCode(Sample(), key);
  const std::string hex =
      crypto::ToHex(std::string_view(reinterpret_cast<const char*>(key.public_key.data()), 32));
  const std::string script = std::string(DOCUMENTS_TESTDATA) + "/verify_code.py";
  auto [out, status] =
      RunCommand("/usr/bin/python3 " + script + " '" + text + "' " + hex + " 2>&1");
  EXPECT_EQ(status, 0) << out;
  EXPECT_EQ(out, "hebron\nHEBD-26-000001-4\nسلمى خليل الجعبري\n");
  const std::string other = crypto::ToHex(
      std::string_view(reinterpret_cast<const char*>(KeyOf(8).public_key.data()), 32));
  auto [refused, bad] =
      RunCommand("/usr/bin/python3 " + script + " '" + text + "' " + other + " 2>&1");
  EXPECT_NE(bad, 0);
  EXPECT_NE(refused.find("bad signature"), std::string::npos) << refused;
}

// And the other way: a code made by a standard CBOR library and Ed25519 reads and verifies here.
TEST(CodeTest, ACodeMadeByAStandardCoseWriterVerifiesHere) {
  const crypto::SigningKey key = KeyOf(1);
  std::string seed;
  for (int i = 0; i < 32; ++i) seed += "01";  // KeyOf(1)'s seed
  auto [out, status] = RunCommand("/usr/bin/python3 " + std::string(DOCUMENTS_TESTDATA) +
                                  "/make_code.py " + seed + " 2>&1");
  ASSERT_EQ(status, 0) << out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  Check c = CheckCode(out, {Published(key)}, int64_t{1'800'000'000} * 1000);
  EXPECT_EQ(c.outcome, "valid") << out;
  EXPECT_EQ(c.claims.number, "HEBD-26-000001-9");
  EXPECT_EQ(c.claims.kind, "permit");
  EXPECT_EQ(c.claims.holder, "سلمى خليل");
  EXPECT_EQ(c.claims.facts, (std::vector<std::string>{"حوض 34 قطعة 112", "new_building"}));
}

}  // namespace
}  // namespace baladiya::documents
