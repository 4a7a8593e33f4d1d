// Municipal dues as a billing system exports them (CSV): loading any bytes must never crash; a
// file refused for any reason loads nothing, and one that loads adds exactly the lines it says.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz/payments_fixture.h"

using namespace baladiya::payments;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  fuzzing::Store& s = fuzzing::TheStore();
  const int64_t before = s.Count("payment_invoices");
  auto r = s.payments->ImportDues(
      in,
      [](std::string_view slug) -> baladiya::Result<PaymentStore::MunicipalityRef> {
        if (slug == "hebron") return PaymentStore::MunicipalityRef{1, "HEB"};
        return baladiya::MakeError(baladiya::ErrorCode::kNotFound, "x");
      },
      1'796'601'600'000);
  const int64_t after = s.Count("payment_invoices");
  if (!r.ok() && after != before) std::abort();
  if (r.ok() && after != before + *r) std::abort();
  return 0;
}
