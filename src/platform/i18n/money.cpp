#include "platform/i18n/money.h"

#include <unicode/ucurr.h>
#include <unicode/unistr.h>

#include <string>

#include "platform/i18n/arabic.h"

namespace baladiya::i18n {

int CurrencyFractionDigits(std::string_view currency) {
  if (currency.size() != 3) return 2;
  std::string code(currency);
  for (char& c : code) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString iso = icu::UnicodeString::fromUTF8(code);
  int32_t digits = ucurr_getDefaultFractionDigits(iso.getTerminatedBuffer(), &status);
  return U_SUCCESS(status) && digits >= 0 && digits <= 6 ? digits : 2;
}

namespace {

Error Invalid(const char* key) { return MakeError(ErrorCode::kInvalid, key, key); }

// text without `prefix`/`suffix` (and the spaces next to them) when it has them.
std::string_view Strip(std::string_view text, std::string_view word) {
  auto trim = [](std::string_view t) {
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    return t;
  };
  text = trim(text);
  if (word.empty()) return text;
  if (text.starts_with(word)) text = trim(text.substr(word.size()));
  if (text.ends_with(word)) text = trim(text.substr(0, text.size() - word.size()));
  return text;
}

}  // namespace

Result<int64_t> ParseMoney(std::string_view text, std::string_view currency) {
  // Western digits and ASCII separators first: "٫" (U+066B) is a decimal point, "٬" (U+066C) a
  // group separator, and no-break spaces are spaces.
  std::string s = ToWesternDigits(text);
  auto replace = [&s](std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  };
  replace("\u066B", ".");
  replace("\u066C", ",");
  replace("\u00A0", " ");
  replace("\u202F", " ");
  std::string_view v = s;
  v = Strip(v, currency);
  v = Strip(v, "\u20AA");  // ₪
  if (v.empty()) return Invalid("money.invalid");
  const size_t point = v.find('.');
  std::string_view whole = v.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : v.substr(point + 1);
  if (point != std::string_view::npos && fraction.empty()) return Invalid("money.invalid");
  // The whole part: digits, grouped by threes when grouped at all.
  std::string digits;
  const size_t comma = whole.find(',');
  if (comma != std::string_view::npos) {
    if (comma == 0 || comma > 3) return Invalid("money.invalid");
    for (size_t i = comma; i < whole.size(); i += 4) {
      if (whole[i] != ',' || i + 4 > whole.size()) return Invalid("money.invalid");
    }
  }
  for (char c : whole) {
    if (c == ',') continue;
    if (c < '0' || c > '9') return Invalid("money.invalid");
    digits.push_back(c);
  }
  if (digits.empty()) return Invalid("money.invalid");
  for (char c : fraction) {
    if (c < '0' || c > '9') return Invalid("money.invalid");
  }
  const int places = CurrencyFractionDigits(currency);
  // Trailing zeros beyond the currency's places say nothing ("12.500" ILS is 12.50).
  while (fraction.size() > static_cast<size_t>(places) && fraction.back() == '0') {
    fraction.remove_suffix(1);
  }
  if (fraction.size() > static_cast<size_t>(places)) return Invalid("money.too_precise");
  size_t first = digits.find_first_not_of('0');
  std::string_view significant =
      first == std::string::npos ? std::string_view() : std::string_view(digits).substr(first);
  if (significant.size() > 10) return Invalid("money.too_large");
  int64_t major = 0;
  for (char c : significant) major = major * 10 + (c - '0');
  if (major > kMaxMoneyMajorUnits) return Invalid("money.too_large");
  int64_t minor = major;
  for (int i = 0; i < places; ++i) {
    minor = minor * 10 + (static_cast<size_t>(i) < fraction.size() ? fraction[i] - '0' : 0);
  }
  return minor;
}

}  // namespace baladiya::i18n
