// The biller API's clients and their signatures: banks and e-wallets that collect payments by
// reference. Each bank is registered with an Ed25519 public key (`baladiya bank add`), and every
// request it sends carries an RFC 9421 HTTP message signature over
//   "@method" "@path" ["@query"] ["content-digest"]   (content-digest when there is a body)
// with the parameters created (Unix seconds), nonce (one use per bank), keyid (the bank's code)
// and alg "ed25519"; a body carries an RFC 9530 Content-Digest (sha-256). A request whose
// signature is missing, malformed or wrong, whose key is unknown, whose digest does not match,
// whose created time is more than kSignatureWindowSeconds from the server's clock, or whose nonce
// was seen before, is refused before anything else is read.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/crypto/http_signature.h"
#include "platform/db/database.h"
#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::payments {

inline constexpr int64_t kSignatureWindowSeconds = 300;

struct Bank {
  int64_t id = 0;
  std::string code;  // [a-z0-9-]{2,32}: the keyid its signatures name
  std::string name;
  std::array<uint8_t, 32> public_key{};
  int64_t created_at = 0;
  int64_t disabled_at = 0;
};

// Standard base64 (RFC 4648 section 4, with padding), as structured fields' byte sequences use.
std::string ToBase64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

// "sha-256=:<base64 of SHA-256(body)>:".
std::string ContentDigest(std::string_view body);

// One signature as the Signature-Input and Signature fields give it (shared with every signed
// exchange: platform/crypto/http_signature.h).
using SignatureInput = crypto::httpsig::Signature;

// Parses the first signature of the request's Signature-Input and the one of the same label in
// Signature; kForbidden "payments.biller.signature_missing" /
// "payments.biller.signature_malformed".
Result<SignatureInput> ParseSignature(const http::Request& req);

// The RFC 9421 signature base of the request for the signature's components (kForbidden
// "payments.biller.signature_malformed" for a component this server does not sign, or one the
// request lacks).
Result<std::string> SignatureBase(const http::Request& req, const SignatureInput& sig);

// What a bank sends, signed: the headers to add to a request (a test client and a bank's
// integration use the same code).
struct SignedHeaders {
  std::string content_digest;  // empty without a body
  std::string signature_input;
  std::string signature;
};
SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view keyid,
                          const std::array<uint8_t, 64>& secret_key, int64_t created,
                          std::string_view nonce);

class BankStore {
 public:
  explicit BankStore(db::Database& db) : db_(db) {}

  // Registers a bank (or replaces the key of one with this code). kInvalid
  // "payments.biller.bad_code" / "payments.biller.bad_key".
  Result<Bank> Register(std::string_view code, std::string_view name,
                        std::string_view public_key_base64, int64_t now_ms);
  Result<std::vector<Bank>> List();

  // Verifies the request's signature and digest, and spends its nonce (in its own transaction);
  // returns the bank. kForbidden with "payments.biller.signature_missing",
  // "payments.biller.signature_malformed", "payments.biller.unknown_key",
  // "payments.biller.bad_signature", "payments.biller.bad_digest", "payments.biller.stale",
  // "payments.biller.replayed".
  Result<Bank> Authenticate(const http::Request& req, int64_t now_ms);

 private:
  db::Database& db_;
};

}  // namespace baladiya::payments
