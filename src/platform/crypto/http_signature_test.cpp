// RFC 9421 signatures and RFC 9530 digests: a signature verifies over the same components and
// fails when any covered value, the parameters or the signature bytes change; malformed fields are
// refused with the caller's keys.
#include "platform/crypto/http_signature.h"

#include <gtest/gtest.h>

#include <map>

namespace baladiya::crypto::httpsig {
namespace {

SigningKey TestKey() {
  Key32 seed{};
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i + 1);
  return SigningKeyFromSeed(seed);
}

TEST(HttpSignature, ContentDigestIsSha256InBase64) {
  // RFC 9530 section 2's example body {"hello": "world"}.
  EXPECT_EQ(ContentDigest("{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:");
  EXPECT_TRUE(
      DigestMatches("sha-512=:AA==:, sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                    "{\"hello\": \"world\"}"));
  EXPECT_FALSE(DigestMatches(ContentDigest("a"), "b"));
  EXPECT_FALSE(DigestMatches("", "b"));
}

TEST(HttpSignature, SignsAndVerifiesAndRefusesAnyChange) {
  const SigningKey key = TestKey();
  std::map<std::string, std::string> values = {
      {"@method", "POST"}, {"@path", "/api/v1/peer/transfers"}, {"content-digest", "sha-256=:x:"}};
  const Signed s = Sign({{"@method", values["@method"]},
                         {"@path", values["@path"]},
                         {"content-digest", values["content-digest"]}},
                        "hebron-1", key, 1773565200, "n-1");
  auto sig = Parse(s.signature_input, s.signature, "t");
  ASSERT_TRUE(sig.ok()) << sig.error().detail;
  EXPECT_EQ(sig->keyid, "hebron-1");
  EXPECT_EQ(sig->nonce, "n-1");
  EXPECT_EQ(sig->created, 1773565200);
  EXPECT_TRUE(sig->Covers("content-digest"));
  auto resolve = [&values](std::string_view c) -> std::optional<std::string> {
    auto it = values.find(std::string(c));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
  auto base = Base(*sig, resolve, "t");
  ASSERT_TRUE(base.ok());
  EXPECT_TRUE(Verify(*sig, *base, key.public_key));
  // Each covered value changed by one character: the signature no longer verifies.
  for (const char* c : {"@method", "@path", "content-digest"}) {
    auto saved = values[c];
    values[c] += "x";
    EXPECT_FALSE(Verify(*sig, *Base(*sig, resolve, "t"), key.public_key)) << c;
    values[c] = saved;
  }
  // Another key, or another created time in the parameters.
  Key32 other{};
  EXPECT_FALSE(Verify(*sig, *base, SigningKeyFromSeed(other).public_key));
  std::string input = s.signature_input;
  input.replace(input.find("1773565200"), 10, "1773565201");
  auto moved = Parse(input, s.signature, "t");
  ASSERT_TRUE(moved.ok());
  EXPECT_FALSE(Verify(*moved, *Base(*moved, resolve, "t"), key.public_key));
  // A component the caller does not resolve is refused.
  values.erase("content-digest");
  auto missing = Base(*sig, resolve, "t");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message_key, "t.signature_malformed");
}

TEST(HttpSignature, RefusesMalformedFields) {
  const Signed s = Sign({{"@method", "GET"}}, "k", TestKey(), 10, "n");
  struct Case {
    std::string input, signature, key;
  } cases[] = {
      {"", s.signature, "p.signature_missing"},
      {s.signature_input, "", "p.signature_missing"},
      {"sig1=\"@method\";created=10", s.signature, "p.signature_malformed"},
      {"sig1=(\"@method\");created=x;keyid=\"k\";nonce=\"n\"", s.signature,
       "p.signature_malformed"},
      {"sig1=(\"@method\");keyid=\"k\";nonce=\"n\"", s.signature, "p.signature_malformed"},
      {"sig1=(\"@method\");created=10;nonce=\"n\"", s.signature, "p.signature_malformed"},
      {"sig1=(\"@method\");created=10;keyid=\"k\"", s.signature, "p.signature_malformed"},
      {"sig1=(\"@method\");created=10;keyid=\"k\";nonce=\"n\";alg=\"rsa-pss-sha512\"", s.signature,
       "p.signature_malformed"},
      {s.signature_input, "sig1=:AAAA:", "p.signature_malformed"},
      {s.signature_input, "sig2=" + s.signature.substr(5), "p.signature_malformed"},
  };
  for (const Case& c : cases) {
    auto r = Parse(c.input, c.signature, "p");
    ASSERT_FALSE(r.ok()) << c.input << " " << c.signature;
    EXPECT_EQ(r.error().message_key, c.key) << c.input;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
  }
}

}  // namespace
}  // namespace baladiya::crypto::httpsig
