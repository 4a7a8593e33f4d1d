// The X-Road-Client header as a security server passes it on (interop's provider services):
// parsing must never crash, and an identifier that parses writes back to a text that parses to
// the same identifier.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "interop/interop.h"

using namespace baladiya;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  auto id = interop::ParseClientId(in);
  if (!id.ok()) return 0;
  if (id->instance.empty() || id->member_class.empty() || id->member_code.empty() ||
      id->subsystem.empty()) {
    std::abort();
  }
  auto again = interop::ParseClientId(id->Text());
  if (!again.ok() || again->Text() != id->Text()) std::abort();
  return 0;
}
