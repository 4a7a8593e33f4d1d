// What a bank's request carries for its RFC 9421 signature (payments' biller API): the
// Signature-Input and Signature fields (the input's first line and the rest), with the
// Content-Digest of the body. Parsing must never crash; a parsed signature has its key, nonce,
// time and a 64-byte value, and its signature base can be asked for; base64 that decodes encodes
// back.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "payments/biller.h"
#include "platform/http/http.h"

using namespace baladiya;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  if (auto b = payments::FromBase64(in); b) {
    if (payments::FromBase64(payments::ToBase64(*b)) != *b) std::abort();
  }
  const size_t nl = in.find('\n');
  http::Request req;
  req.method = http::Method::kPost;
  req.method_name = "POST";
  req.target = "/api/v1/biller/payments";
  req.path = req.target;
  req.body = "{}";
  req.headers.Set("Signature-Input", std::string(in.substr(0, nl)));
  req.headers.Set("Signature", nl == std::string_view::npos ? "" : std::string(in.substr(nl + 1)));
  req.headers.Set("Content-Digest", payments::ContentDigest(req.body));
  req.headers.Set("Content-Type", "application/json");
  auto sig = payments::ParseSignature(req);
  if (!sig.ok()) return 0;
  if (sig->keyid.empty() || sig->nonce.empty() || sig->created == 0 ||
      sig->signature.size() != 64) {
    std::abort();
  }
  (void)payments::SignatureBase(req, *sig);
  return 0;
}
