// Document codes as /verify and `baladiya document verify` read them (Base45, zlib, CBOR,
// COSE_Sign1, the CWT claims): reading must never crash; whatever reads as a code must encode
// back to the same claims; a Base45 text that decodes must encode back to itself; and CBOR that
// decodes must not be longer than its input allows.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "documents/cbor.h"
#include "documents/code.h"

using namespace baladiya::documents;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)cbor::Decode(in);
  if (auto b = Base45Decode(in); b.ok()) {
    if (Base45Encode(*b) != in) std::abort();
  }
  (void)Inflate(in, 16 * 1024);
  // As a code: the prefix, then the bytes as Base45 of themselves deflated.
  static const baladiya::crypto::SigningKey key = [] {
    baladiya::crypto::Key32 seed{};
    seed.fill(1);
    return baladiya::crypto::SigningKeyFromSeed(seed);
  }();
  for (const std::string& text :
       {std::string(in), std::string(kCodePrefix) + Base45Encode(Deflate(in))}) {
    auto d = DecodeCode(text);
    if (!d.ok()) continue;
    auto again = DecodeCode(EncodeCode(d->claims, key));
    if (!again.ok() || !(again->claims == d->claims)) std::abort();
  }
  return 0;
}
