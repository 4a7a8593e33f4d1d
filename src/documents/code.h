// The signed code a document's QR carries, in the layout of the EU digital COVID certificate so
// that standard tools read it: the document's key facts as a CWT claim set (RFC 8392) in a
// COSE_Sign1 structure (RFC 9052, tag 18) signed with Ed25519 (EdDSA, alg -8, its key id in the
// protected header), zlib-deflated, Base45-encoded (RFC 9285), behind the prefix "BL1:".
// Pure functions; the keys are the caller's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/result.h"

namespace baladiya::documents {

inline constexpr std::string_view kCodePrefix = "BL1:";
// The private CWT claim holding the document itself (a map, keys in Claims' comments).
inline constexpr int64_t kDocumentClaim = -70001;
// Longest code text read (a QR code holds less).
inline constexpr size_t kMaxCodeText = 4096;

std::string Base45Encode(std::string_view bytes);
// kInvalid "documents.code_malformed" for a character outside the alphabet, a dangling
// character or a group past its range.
Result<std::string> Base45Decode(std::string_view text);

// zlib (RFC 1950) at the best compression, and back; Inflate refuses output past max_bytes.
std::string Deflate(std::string_view bytes);
Result<std::string> Inflate(std::string_view bytes, size_t max_bytes);

// What the code says of a document.
struct Claims {
  std::string issuer;      // CWT iss (1): the municipality's slug
  std::string number;      // CWT sub (2): the document's number
  int64_t expires_at = 0;  // CWT exp (4): seconds since the epoch
  int64_t issued_at = 0;   // CWT iat (6): seconds since the epoch
  // kDocumentClaim, kept short for the QR: {1: kind (1 certificate, 2 permit, 3 licence),
  // 2: the holder's name as the civil registry writes it (Arabic), 3: the holder's national ID,
  // masked, 4: [the facts' answers, in the document's order]} (the document names them; the
  // names are left out to keep the QR small)
  std::string kind;  // "certificate", "permit", "licence"
  std::string holder;
  std::string holder_id;
  std::vector<std::string> facts;
  bool operator==(const Claims&) const = default;
};

// The 8-byte key id of a public key (the start of its SHA-256, as the EU certificates do).
std::string KeyIdOf(const std::array<uint8_t, 32>& public_key);

// The code text ("BL1:...") of claims signed with key.
std::string EncodeCode(const Claims& claims, const crypto::SigningKey& key);

// A code taken apart, its signature not yet checked.
struct Decoded {
  Claims claims;
  std::string kid;             // raw bytes
  std::string signed_message;  // the COSE Sig_structure the signature covers
  std::string signature;       // 64 bytes
};
// Reads a code text (white space around it and line breaks within ignored; the prefix required).
// kInvalid "documents.code_malformed" when it is not a well-formed code: the wrong prefix, bad
// Base45, not zlib, not a COSE_Sign1 of EdDSA with a key id, or claims of the wrong shape.
Result<Decoded> DecodeCode(std::string_view text);
// Whether the decoded code's signature is public_key's.
bool SignatureValid(const Decoded& d, const std::array<uint8_t, 32>& public_key);

}  // namespace baladiya::documents
