// HTTP message signatures (RFC 9421) with Ed25519 and content digests (RFC 9530 sha-256): the
// parts shared by every signed exchange (payments' biller API, interop's exchange between
// municipalities). Independent of the HTTP layer: a caller resolves each covered component's
// value ("@method", "@path", "@status", "content-digest", ...) from its request or response.
//
// Refusals are kForbidden with the message key "<prefix>.signature_missing" or
// "<prefix>.signature_malformed", where prefix is the caller's (e.g. "payments.biller"), so each
// module keeps its own messages.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/result.h"

namespace baladiya::crypto::httpsig {

// Standard base64 (RFC 4648 section 4, with padding), as structured fields' byte sequences use.
std::string ToBase64(std::string_view bytes);
std::optional<std::string> FromBase64(std::string_view text);

// "sha-256=:<base64 of SHA-256(body)>:".
std::string ContentDigest(std::string_view body);
// Whether a Content-Digest field's sha-256 member matches body (other algorithms are ignored;
// a field without sha-256 does not match).
bool DigestMatches(std::string_view content_digest, std::string_view body);

// The value of the dictionary member `label` (the first member when label is empty) of a
// structured-field dictionary, with its key.
std::optional<std::pair<std::string, std::string>> Member(std::string_view header,
                                                          std::string_view label);

// One signature as the Signature-Input and Signature fields give it.
struct Signature {
  std::string label;                    // "sig1"
  std::vector<std::string> components;  // "@method", "@path", "content-digest", ...
  std::string params;                   // the serialised parameters after the inner list
  int64_t created = 0;
  std::string keyid;
  std::string nonce;
  std::string alg;
  std::string signature;  // the raw 64 bytes
  bool Covers(std::string_view component) const;
};

// Parses the first signature of Signature-Input and the one of the same label in Signature.
// keyid, nonce and created are required; alg, when given, must be "ed25519".
Result<Signature> Parse(std::string_view signature_input, std::string_view signature,
                        std::string_view key_prefix);

// A covered component's value, or nullopt when the message lacks it or the caller does not sign
// it.
using Resolver = std::function<std::optional<std::string>(std::string_view component)>;

// The signature base (RFC 9421 section 2.5) of the signature's components.
Result<std::string> Base(const Signature& sig, const Resolver& value, std::string_view key_prefix);

// Verifies sig over the base of its components with public_key.
bool Verify(const Signature& sig, std::string_view base, const std::array<uint8_t, 32>& public_key);

// What a signer adds to a message.
struct Signed {
  std::string signature_input;  // sig1=(...);created=...;keyid="...";nonce="...";alg="ed25519"
  std::string signature;        // sig1=:...:
};
// Signs the components (name and value, in order) with key.
Signed Sign(const std::vector<std::pair<std::string, std::string>>& components,
            std::string_view keyid, const SigningKey& key, int64_t created, std::string_view nonce);

}  // namespace baladiya::crypto::httpsig
