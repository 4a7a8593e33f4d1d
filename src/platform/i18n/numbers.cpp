#include "platform/i18n/numbers.h"

#include <unicode/locid.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <memory>

#include "platform/i18n/arabic.h"

namespace baladiya::i18n {
namespace {

constexpr const char* kArLocale = "ar_PS";  // Arabic-Indic digits, as FormatNumber
constexpr const char* kEnLocale = "en_GB";

constexpr char kFsi[] = "\xE2\x81\xA8";  // U+2068
constexpr char kPdi[] = "\xE2\x81\xA9";  // U+2069

// Decodes one UTF-8 code point at text[i] (text already valid or not: a bad byte is U+FFFD) and
// advances i.
char32_t NextCodePoint(std::string_view text, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(i);
  size_t length = b < 0x80           ? 1
                  : (b >> 5) == 0x6  ? 2
                  : (b >> 4) == 0xE  ? 3
                  : (b >> 3) == 0x1E ? 4
                                     : 0;
  if (length == 0 || i + length > text.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
  for (size_t k = 1; k < length; ++k) c = (c << 6) | (byte(i + k) & 0x3F);
  i += length;
  return c;
}

// The value of a decimal digit of any of the three scripts, or -1.
int DigitValue(char32_t c) {
  if (c >= U'0' && c <= U'9') return static_cast<int>(c - U'0');
  if (c >= 0x0660 && c <= 0x0669) return static_cast<int>(c - 0x0660);
  if (c >= 0x06F0 && c <= 0x06F9) return static_cast<int>(c - 0x06F0);
  return -1;
}

bool IsGrouping(char32_t c) {
  return c == U',' || c == 0x066C || c == 0x2009 || c == 0x202F || c == 0x00A0;
}

bool IsSpace(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r'; }

// The text as code points, trimmed of white space and bidirectional marks people paste.
std::u32string CodePointsTrimmed(std::string_view text) {
  std::u32string out;
  for (size_t i = 0; i < text.size();) {
    char32_t c = NextCodePoint(text, i);
    if (c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x2066 && c <= 0x2069)) continue;
    out.push_back(c);
  }
  size_t begin = 0;
  while (begin < out.size() && IsSpace(out[begin])) ++begin;
  size_t end = out.size();
  while (end > begin && IsSpace(out[end - 1])) --end;
  return out.substr(begin, end - begin);
}

}  // namespace

bool IsMessagePattern(std::string_view text) {
  for (std::string_view kind : {std::string_view(", plural,"), std::string_view(",plural,"),
                                std::string_view(", select,"), std::string_view(",select,")}) {
    if (text.find(kind) != std::string_view::npos) return true;
  }
  return false;
}

std::optional<std::string> FormatMessagePattern(
    Lang lang, std::string_view pattern,
    const std::vector<std::pair<std::string_view, std::string>>& args) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;
  icu::MessageFormat format(icu::UnicodeString::fromUTF8(pattern),
                            icu::Locale(lang == Lang::kEn ? kEnLocale : kArLocale), parse_error,
                            status);
  if (U_FAILURE(status)) return std::nullopt;
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  names.reserve(args.size());
  values.reserve(args.size());
  for (const auto& [name, value] : args) {
    names.push_back(icu::UnicodeString::fromUTF8(name));
    // Only a plural argument is a number: a code or an ID in the same message stays as typed.
    const std::string plural_of = "{" + std::string(name) + ", plural";
    const std::string plural_tight = "{" + std::string(name) + ",plural";
    const bool counted = pattern.find(plural_of) != std::string_view::npos ||
                         pattern.find(plural_tight) != std::string_view::npos;
    if (auto n = counted ? ParseCount(value) : std::nullopt) {
      values.emplace_back(static_cast<int64_t>(*n));
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(value));
    }
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(values.size()), out, status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string utf8;
  out.toUTF8String(utf8);
  return utf8;
}

std::optional<int64_t> ParseCount(std::string_view text) {
  std::u32string s = CodePointsTrimmed(text);
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (s[0] == U'-' || s[0] == 0x2212 || s[0] == U'+') {
    negative = s[0] != U'+';
    ++i;
  }
  if (i >= s.size() || DigitValue(s[i]) < 0) return std::nullopt;
  uint64_t magnitude = 0;
  for (; i < s.size(); ++i) {
    int d = DigitValue(s[i]);
    if (d < 0) {
      // A grouping separator must sit between digits.
      if (!IsGrouping(s[i]) || i + 1 >= s.size() || DigitValue(s[i + 1]) < 0) return std::nullopt;
      continue;
    }
    if (magnitude > (uint64_t{1} << 63) / 10) return std::nullopt;
    magnitude = magnitude * 10 + static_cast<uint64_t>(d);
    if (magnitude > (uint64_t{1} << 63)) return std::nullopt;
  }
  if (!negative && magnitude > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::optional<std::string> ParseDecimal(std::string_view text) {
  std::u32string s = CodePointsTrimmed(text);
  if (s.empty()) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (s[0] == U'-' || s[0] == 0x2212 || s[0] == U'+') {
    negative = s[0] != U'+';
    ++i;
  }
  // Which character is the decimal point: '.' or '٫' when present; a lone comma only when it is
  // not a thousands separator (not followed by exactly three digits).
  size_t point = std::u32string::npos;
  size_t commas = 0;
  for (size_t k = i; k < s.size(); ++k) {
    if (s[k] == U'.' || s[k] == 0x066B) {
      if (point != std::u32string::npos) return std::nullopt;
      point = k;
    } else if (s[k] == U',') {
      ++commas;
    }
  }
  if (point == std::u32string::npos && commas == 1) {
    size_t comma = s.find(U',', i);
    if (s.size() - comma - 1 != 3) point = comma;
  }
  std::string whole;
  std::string fraction;
  for (size_t k = i; k < s.size(); ++k) {
    if (k == point) continue;
    int d = DigitValue(s[k]);
    if (d >= 0) {
      (point != std::u32string::npos && k > point ? fraction : whole)
          .push_back(static_cast<char>('0' + d));
      continue;
    }
    // Grouping only in the whole part, between digits.
    bool between =
        k > i && k + 1 < s.size() && DigitValue(s[k - 1]) >= 0 && DigitValue(s[k + 1]) >= 0;
    if (!IsGrouping(s[k]) || !between || (point != std::u32string::npos && k > point))
      return std::nullopt;
  }
  if (whole.empty() && fraction.empty()) return std::nullopt;
  if (point != std::u32string::npos && fraction.empty()) return std::nullopt;
  size_t lead = whole.find_first_not_of('0');
  whole = lead == std::string::npos ? "0" : whole.substr(lead);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  if (whole.size() + fraction.size() > 18) return std::nullopt;
  std::string out = whole;
  if (!fraction.empty()) out += "." + fraction;
  if (negative && out != "0") out.insert(0, "-");
  return out;
}

std::string LocalizeNumber(std::string_view number, Lang lang) {
  if (lang == Lang::kEn) return std::string(number);
  auto canonical = ParseDecimal(number);
  if (!canonical || *canonical != number) return std::string(number);
  std::string out;
  for (char c : *canonical) {
    if (c == '.') {
      out += "\xD9\xAB";  // U+066B ARABIC DECIMAL SEPARATOR
    } else if (c == '-') {
      out += "\xD8\x9C-";  // ARABIC LETTER MARK keeps the sign before the digits
    } else {
      out += ToArabicIndicDigits(std::string_view(&c, 1));
    }
  }
  return out;
}

std::string IsolateLatin(std::string_view text) {
  if (text.size() >= 6 && text.substr(0, 3) == kFsi && text.substr(text.size() - 3) == kPdi)
    return std::string(text);
  bool latin = false;
  for (char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      latin = true;
      break;
    }
  }
  if (!latin) return std::string(text);
  return std::string(kFsi) + std::string(text) + kPdi;
}

}  // namespace baladiya::i18n
