// Arabic text helpers on ICU: search normalisation, digit conversion, number and date formatting
// per language. All functions take and return UTF-8 and are thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/i18n/locale.h"

namespace baladiya::i18n {

// True when text is well-formed UTF-8 (no overlongs, no surrogates, no code points > U+10FFFF).
bool IsValidUtf8(std::string_view text);

// Folds text for search indexing and querying: NFKC; strips tashkeel (U+064B..U+065F, U+0670)
// and tatweel (U+0640); unifies alef forms (آ أ إ ٱ -> ا); ى -> ي; ة -> ه; Arabic-Indic and
// Eastern Arabic-Indic digits -> 0-9; lower-cases Latin; collapses runs of white space to one
// space and trims. Invalid UTF-8 is replaced with U+FFFD first.
std::string NormalizeForSearch(std::string_view text);

// ٠-٩ and ۰-۹ -> 0-9; other characters unchanged.
std::string ToWesternDigits(std::string_view text);
// 0-9 -> ٠-٩; other characters unchanged.
std::string ToArabicIndicDigits(std::string_view text);

// Formats an integer with grouping in the language's convention: Arabic uses Arabic-Indic digits
// and the Arabic separators (١٢٬٣٤٥), English Western digits (12,345).
std::string FormatNumber(int64_t value, Lang lang);
// Money in minor units with its ISO currency ("ILS", "JOD"), e.g. 1250 ILS -> "12.50 ₪" style per
// locale.
std::string FormatMoney(int64_t minor_units, std::string_view currency, Lang lang);
// A date (UTC milliseconds, shown in the given IANA zone, default Asia/Hebron) as a long date:
// Arabic with Levantine month names ("٣ تشرين الثاني ٢٠٢٦"), English "3 November 2026".
std::string FormatDate(int64_t epoch_ms, Lang lang, std::string_view time_zone = "Asia/Hebron");
// The instant as ISO 8601 in UTC, to the second: "2026-11-28T19:05:00Z" (for <time datetime>
// and JSON).
std::string FormatIsoUtc(int64_t epoch_ms);
// The time of day in the given zone, short, in the language's convention ("٢:٠٥ م", "2:05 PM").
std::string FormatTime(int64_t epoch_ms, Lang lang, std::string_view time_zone = "Asia/Hebron");
// The instant in the given zone as "YYYY-MM-DD HH:MM:SS" (Western digits; for exports).
std::string FormatLocalIso(int64_t epoch_ms, std::string_view time_zone = "Asia/Hebron");
// The first instant (UTC ms) of day "YYYY-MM-DD" in the given zone; nullopt when the text is not
// such a date (Arabic-Indic digits are read too).
std::optional<int64_t> LocalDayStart(std::string_view date,
                                     std::string_view time_zone = "Asia/Hebron");
// The same day in the Islamic (Umm al-Qura) calendar.
std::string FormatHijriDate(int64_t epoch_ms, Lang lang,
                            std::string_view time_zone = "Asia/Hebron");

}  // namespace baladiya::i18n
