// Header values the shell interprets: Cookie, Accept-Language, Accept-Encoding, form bodies.
#include <cstdint>
#include <string>

#include "platform/http/http.h"
#include "platform/http/middleware.h"
#include "platform/i18n/locale.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  baladiya::http::Request r;
  r.headers.Set("cookie", in);
  r.headers.Set("content-type", "application/x-www-form-urlencoded");
  r.body = in;
  (void)r.Cookie("lang");
  (void)r.Form();
  (void)baladiya::i18n::NegotiateLang(in);
  (void)baladiya::i18n::ParseLang(in);
  (void)baladiya::http::AcceptsGzip(in);
  return 0;
}
