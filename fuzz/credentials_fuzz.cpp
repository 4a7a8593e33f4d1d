// What residents type to identify themselves: national IDs, phones, emails, passwords, TOTP and
// recovery codes, and passwords checked against the person's own words. Nothing may crash; an
// accepted national ID is 9 digits, a phone E.164.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "identity/credentials.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  using namespace baladiya::identity;
  if (auto id = NormalizeNationalId(in); id.ok()) {
    if (id->size() != 9 || id->find_first_not_of("0123456789") != std::string::npos) std::abort();
  }
  if (auto phone = NormalizeMobilePhone(in); phone.ok()) {
    if (phone->size() != 13 || (*phone)[0] != '+') std::abort();
  }
  (void)NormalizeEmail(in);
  (void)CheckPasswordPolicy(in);
  // The context-word rule folds what was typed as search does and takes words out of it.
  (void)CheckPasswordPolicy(in, PasswordContextWords(in, in, in));
  (void)CheckPasswordPolicy(in.substr(0, size / 2),
                            PasswordContextWords(in.substr(size / 2), "", ""));
  (void)CanonicalRecoveryCode(in);
  (void)Totp::Check("12345678901234567890", in, 1795000000);
  return 0;
}
