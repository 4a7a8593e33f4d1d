// Message catalogues are JSON: loading arbitrary bytes must fail cleanly or load.
#include <cstdint>
#include <string_view>

#include "platform/i18n/locale.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto c = baladiya::i18n::Catalog::Load(in, R"({"a":"b"})");
  if (c.ok()) (void)c->Differences();
  return 0;
}
