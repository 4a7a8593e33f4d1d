// Bank statements (ISO 20022 camt.053) as the finance office uploads them: importing any bytes
// must never crash, and a statement refused for any reason leaves no entry behind (all or
// nothing). Statements that import are fine too: their entries are simply added.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/payments_fixture.h"

using namespace baladiya::payments;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fuzzing::Store& s = fuzzing::TheStore();
  const int64_t before = s.Count("payment_statement_entries");
  auto r = s.payments->ImportStatement(1, in, "fuzz", "", 1'796'601'600'000);
  const int64_t after = s.Count("payment_statement_entries");
  if (!r.ok() && after != before) std::abort();
  if (r.ok() && after != before + r->entries) std::abort();
  return 0;
}
