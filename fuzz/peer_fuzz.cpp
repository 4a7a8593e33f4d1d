// What a peer server sends (interop's exchange between municipalities): a transfer's JSON body, a
// key set, and the RFC 9421 fields of its signature. Parsing must never crash; a transfer that
// parses, written again, parses to the same transfer.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "interop/exchange.h"
#include "interop/peers.h"
#include "platform/crypto/http_signature.h"

using namespace baladiya;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)interop::KeyFromSet(in, "nablus");
  const size_t cut = in.find('\n');
  if (cut != std::string_view::npos) {
    (void)crypto::httpsig::Parse(in.substr(0, cut), in.substr(cut + 1), "f");
  }
  auto t = interop::ParseTransfer(in);
  if (!t.ok()) return 0;
  auto again =
      interop::ParseTransfer(interop::TransferJson(t->transfer_id, t->from, t->to, t->doc));
  if (!again.ok() || again->transfer_id != t->transfer_id ||
      again->doc.tracking != t->doc.tracking || again->doc.answers != t->doc.answers ||
      again->doc.history.size() != t->doc.history.size()) {
    std::abort();
  }
  return 0;
}
