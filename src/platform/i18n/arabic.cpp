#include "platform/i18n/arabic.h"

#include <unicode/calendar.h>
#include <unicode/curramt.h>
#include <unicode/datefmt.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/timezone.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/ucurr.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

namespace baladiya::i18n {
namespace {

// ICU locales. ar_PS gives Arabic-Indic digits and Levantine month names.
constexpr const char* kArLocale = "ar_PS";
constexpr const char* kEnLocale = "en_GB";
constexpr const char* kArHijriLocale = "ar_PS@calendar=islamic-umalqura";
constexpr const char* kEnHijriLocale = "en_GB@calendar=islamic-umalqura";

// Per-thread formatter caches are cleared when they grow past this (keys are time zones and
// currencies, a handful in practice).
constexpr size_t kMaxCachedFormatters = 32;

// NFKC, then the Arabic search folding. Digits, case and white space are handled afterwards.
constexpr char16_t kSearchRules[] =
    u"::NFKC;"
    u"[\\u064B-\\u065F\\u0670\\u0640] > ;"
    u"[\\u0622\\u0623\\u0625\\u0671] > \\u0627;"
    u"\\u0649 > \\u064A;"
    u"\\u0629 > \\u0647;";

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

// The search transliterator, parsed once per process; null if ICU rejected the rules.
const icu::Transliterator* SearchPrototype() {
  static const icu::Transliterator* const prototype = [] {
    UParseError parse_error;
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t = icu::Transliterator::createFromRules(
        u"baladiya-search", icu::UnicodeString(kSearchRules), UTRANS_FORWARD, parse_error, status);
    if (U_FAILURE(status)) {
      delete t;
      return static_cast<icu::Transliterator*>(nullptr);
    }
    return t;
  }();
  return prototype;
}

// This thread's clone of the search transliterator (ICU transliterators must not be shared
// between threads while transliterating).
icu::Transliterator* SearchTransliterator() {
  thread_local std::unique_ptr<icu::Transliterator> clone = [] {
    const icu::Transliterator* prototype = SearchPrototype();
    return std::unique_ptr<icu::Transliterator>(prototype ? prototype->clone() : nullptr);
  }();
  return clone.get();
}

// Zero-width and bidirectional formatting characters that pasted Arabic text often carries and
// that must not split or change a search term.
bool IsInvisibleFormat(UChar32 c) {
  return c == 0x061C || (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) ||
         c == 0x2060 || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// Western value of an Arabic-Indic (U+0660..) or Eastern Arabic-Indic (U+06F0..) digit, or -1.
int ArabicDigitValue(UChar32 c) {
  if (c >= 0x0660 && c <= 0x0669) return c - 0x0660;
  if (c >= 0x06F0 && c <= 0x06F9) return c - 0x06F0;
  return -1;
}

// Decimal string "-12.50" for minor units and a number of fraction digits, without going through
// floating point.
std::string MinorUnitsToDecimal(int64_t minor_units, int fraction_digits) {
  uint64_t magnitude =
      minor_units < 0 ? 0 - static_cast<uint64_t>(minor_units) : static_cast<uint64_t>(minor_units);
  std::string digits = std::to_string(magnitude);
  if (fraction_digits > 0) {
    auto width = static_cast<size_t>(fraction_digits);
    if (digits.size() <= width) digits.insert(0, width + 1 - digits.size(), '0');
    digits.insert(digits.size() - width, 1, '.');
  }
  return minor_units < 0 ? "-" + digits : digits;
}

bool IsIsoCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

// Plain number formatters are immutable and thread-safe in ICU, so one per language suffices.
const icu::number::LocalizedNumberFormatter& NumberFormatterFor(Lang lang) {
  static const icu::number::LocalizedNumberFormatter ar =
      icu::number::NumberFormatter::withLocale(icu::Locale(kArLocale));
  static const icu::number::LocalizedNumberFormatter en =
      icu::number::NumberFormatter::withLocale(icu::Locale(kEnLocale));
  return lang == Lang::kEn ? en : ar;
}

// A currency formatter per (language, upper-case ISO code), cached per thread.
const icu::number::LocalizedNumberFormatter* MoneyFormatterFor(Lang lang, const std::string& code) {
  using Key = std::pair<Lang, std::string>;
  thread_local std::map<Key, icu::number::LocalizedNumberFormatter> cache;
  Key key{lang, code};
  auto it = cache.find(key);
  if (it != cache.end()) return &it->second;
  UErrorCode status = U_ZERO_ERROR;
  icu::CurrencyUnit unit(icu::UnicodeString::fromUTF8(code).getTerminatedBuffer(), status);
  if (U_FAILURE(status)) return nullptr;
  if (cache.size() >= kMaxCachedFormatters) cache.clear();
  auto formatter = icu::number::NumberFormatter::withLocale(
                       icu::Locale(lang == Lang::kEn ? kEnLocale : kArLocale))
                       .unit(unit);
  return &cache.emplace(std::move(key), std::move(formatter)).first->second;
}

// A long-date formatter per (language, calendar, time zone), cached per thread (DateFormat is
// not safe for concurrent use). Null when ICU cannot build one.
icu::DateFormat* DateFormatterFor(Lang lang, bool hijri, std::string_view time_zone) {
  using Key = std::tuple<Lang, bool, std::string>;
  thread_local std::map<Key, std::unique_ptr<icu::DateFormat>> cache;
  Key key{lang, hijri, std::string(time_zone)};
  auto it = cache.find(key);
  if (it != cache.end()) return it->second.get();

  const char* locale = hijri ? (lang == Lang::kEn ? kEnHijriLocale : kArHijriLocale)
                             : (lang == Lang::kEn ? kEnLocale : kArLocale);
  std::unique_ptr<icu::DateFormat> format(
      icu::DateFormat::createDateInstance(icu::DateFormat::kLong, icu::Locale(locale)));
  if (format == nullptr) return nullptr;
  // An unknown zone id yields ICU's "Etc/Unknown", which behaves as UTC.
  format->adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
      icu::StringPiece(time_zone.data(), static_cast<int32_t>(time_zone.size())))));
  if (cache.size() >= kMaxCachedFormatters) cache.clear();
  return cache.emplace(std::move(key), std::move(format)).first->second.get();
}

std::string FormatLongDate(int64_t epoch_ms, Lang lang, bool hijri, std::string_view time_zone) {
  icu::DateFormat* format = DateFormatterFor(lang, hijri, time_zone);
  if (format == nullptr) return {};
  icu::UnicodeString out;
  format->format(static_cast<UDate>(epoch_ms), out);
  return ToUtf8(out);
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  // Well-formed byte sequences per Unicode 15, table 3-7.
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  auto continuation = [](unsigned char b, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return b >= lo && b <= hi;
  };
  while (p < end) {
    unsigned char b = *p;
    size_t left = static_cast<size_t>(end - p);
    if (b < 0x80) {
      p += 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      if (left < 2 || !continuation(p[1])) return false;
      p += 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      unsigned char lo = b == 0xE0 ? 0xA0 : 0x80;  // no overlongs
      unsigned char hi = b == 0xED ? 0x9F : 0xBF;  // no surrogates
      if (left < 3 || !continuation(p[1], lo, hi) || !continuation(p[2])) return false;
      p += 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      unsigned char lo = b == 0xF0 ? 0x90 : 0x80;  // no overlongs
      unsigned char hi = b == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
      if (left < 4 || !continuation(p[1], lo, hi) || !continuation(p[2]) || !continuation(p[3])) {
        return false;
      }
      p += 4;
    } else {
      return false;  // stray continuation byte, C0/C1 overlong lead, or F5..FF
    }
  }
  return true;
}

std::string NormalizeForSearch(std::string_view text) {
  // fromUTF8 replaces each maximal ill-formed subsequence with U+FFFD.
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (icu::Transliterator* t = SearchTransliterator()) t->transliterate(s);
  s.foldCase();

  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (IsInvisibleFormat(c)) continue;
    if (pending_space) {
      out.append(static_cast<char16_t>(u' '));
      pending_space = false;
    }
    int digit = ArabicDigitValue(c);
    out.append(digit >= 0 ? static_cast<UChar32>(u'0' + digit) : c);
  }
  return ToUtf8(out);
}

std::string ToWesternDigits(std::string_view text) {
  // ٠-٩ are D9 A0..D9 A9 and ۰-۹ are DB B0..DB B9. D9 and DB are lead bytes, so a match never
  // starts inside another character.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    if (i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if ((b == 0xD9 && next >= 0xA0 && next <= 0xA9) ||
          (b == 0xDB && next >= 0xB0 && next <= 0xB9)) {
        out += static_cast<char>('0' + (next & 0x0F));
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::string ToArabicIndicDigits(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      out += '\xD9';
      out += static_cast<char>(0xA0 + (c - '0'));
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatNumber(int64_t value, Lang lang) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = NumberFormatterFor(lang).formatInt(value, status).toString(status);
  if (U_FAILURE(status)) {
    std::string plain = std::to_string(value);
    return lang == Lang::kAr ? ToArabicIndicDigits(plain) : plain;
  }
  return ToUtf8(out);
}

std::string FormatMoney(int64_t minor_units, std::string_view currency, Lang lang) {
  std::optional<std::string> code;
  if (IsIsoCurrencyCode(currency)) {
    code.emplace(currency);
    for (char& c : *code) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  int fraction_digits = 2;
  if (code) {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeString iso = icu::UnicodeString::fromUTF8(*code);
    int32_t digits = ucurr_getDefaultFractionDigits(iso.getTerminatedBuffer(), &status);
    if (U_SUCCESS(status) && digits >= 0 && digits <= 6) fraction_digits = digits;
  }
  std::string decimal = MinorUnitsToDecimal(minor_units, fraction_digits);
  icu::StringPiece piece(decimal.data(), static_cast<int32_t>(decimal.size()));

  const icu::number::LocalizedNumberFormatter* money =
      code ? MoneyFormatterFor(lang, *code) : nullptr;
  UErrorCode status = U_ZERO_ERROR;
  if (money != nullptr) {
    icu::UnicodeString out = money->formatDecimal(piece, status).toString(status);
    if (U_SUCCESS(status)) return ToUtf8(out);
  }
  // Not a currency ICU knows: the plain amount followed by the generic currency sign.
  status = U_ZERO_ERROR;
  icu::UnicodeString out = NumberFormatterFor(lang)
                               .precision(icu::number::Precision::fixedFraction(fraction_digits))
                               .formatDecimal(piece, status)
                               .toString(status);
  if (U_FAILURE(status)) return decimal + " \u00A4";
  return ToUtf8(out) + " \u00A4";
}

std::string FormatDate(int64_t epoch_ms, Lang lang, std::string_view time_zone) {
  return FormatLongDate(epoch_ms, lang, /*hijri=*/false, time_zone);
}

std::string FormatHijriDate(int64_t epoch_ms, Lang lang, std::string_view time_zone) {
  return FormatLongDate(epoch_ms, lang, /*hijri=*/true, time_zone);
}

std::string FormatTime(int64_t epoch_ms, Lang lang, std::string_view time_zone) {
  thread_local std::map<std::pair<Lang, std::string>, std::unique_ptr<icu::DateFormat>> cache;
  auto key = std::make_pair(lang, std::string(time_zone));
  auto it = cache.find(key);
  if (it == cache.end()) {
    std::unique_ptr<icu::DateFormat> format(icu::DateFormat::createTimeInstance(
        icu::DateFormat::kShort, icu::Locale(lang == Lang::kEn ? kEnLocale : kArLocale)));
    if (format == nullptr) return {};
    format->adoptTimeZone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
        icu::StringPiece(time_zone.data(), static_cast<int32_t>(time_zone.size())))));
    if (cache.size() >= kMaxCachedFormatters) cache.clear();
    it = cache.emplace(std::move(key), std::move(format)).first;
  }
  icu::UnicodeString out;
  it->second->format(static_cast<UDate>(epoch_ms), out);
  return ToUtf8(out);
}

namespace {
std::unique_ptr<icu::Calendar> CalendarIn(std::string_view time_zone) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Calendar> cal(icu::Calendar::createInstance(
      icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(
          icu::StringPiece(time_zone.data(), static_cast<int32_t>(time_zone.size())))),
      icu::Locale("en_US@calendar=gregorian"), status));
  if (U_FAILURE(status)) return nullptr;
  return cal;
}
}  // namespace

std::string FormatLocalIso(int64_t epoch_ms, std::string_view time_zone) {
  auto cal = CalendarIn(time_zone);
  if (!cal) return FormatIsoUtc(epoch_ms);
  UErrorCode status = U_ZERO_ERROR;
  cal->setTime(static_cast<UDate>(epoch_ms), status);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", cal->get(UCAL_YEAR, status),
                cal->get(UCAL_MONTH, status) + 1, cal->get(UCAL_DATE, status),
                cal->get(UCAL_HOUR_OF_DAY, status), cal->get(UCAL_MINUTE, status),
                cal->get(UCAL_SECOND, status));
  if (U_FAILURE(status)) return FormatIsoUtc(epoch_ms);
  return buf;
}

std::optional<int64_t> LocalDayStart(std::string_view date, std::string_view time_zone) {
  std::string d = ToWesternDigits(date);
  int y = 0, m = 0, day = 0;
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return std::nullopt;
  }
  y = std::stoi(d.substr(0, 4));
  m = std::stoi(d.substr(5, 2));
  day = std::stoi(d.substr(8, 2));
  if (y < 1970 || m < 1 || m > 12 || day < 1 || day > 31) return std::nullopt;
  auto cal = CalendarIn(time_zone);
  if (!cal) return std::nullopt;
  cal->clear();
  cal->setLenient(false);
  cal->set(y, m - 1, day, 0, 0, 0);
  UErrorCode status = U_ZERO_ERROR;
  UDate t = cal->getTime(status);
  if (U_FAILURE(status)) return std::nullopt;
  return static_cast<int64_t>(t);
}

std::string FormatIsoUtc(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace baladiya::i18n
