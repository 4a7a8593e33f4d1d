// Counts, numbers typed by people, and Latin runs inside Arabic text. Everything here takes and
// returns UTF-8 and is thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/i18n/locale.h"

namespace baladiya::i18n {

// True when a catalogue message is an ICU MessageFormat pattern with a plural or select
// argument ("{days, plural, one {...} other {...}}"), which Catalog::Format hands to
// FormatMessagePattern instead of replacing "{name}" placeholders.
bool IsMessagePattern(std::string_view text);

// Formats an ICU MessageFormat pattern in the language's locale (Arabic: all six plural
// categories, zero one two few many other, and Arabic-Indic digits for '#'; English: one and
// other, Western digits). A plural argument whose value reads as a whole number (either digits,
// with or without grouping separators: "1,250", "١٬٢٥٠") is passed as that number, so that a value
// already formatted with FormatNumber still picks the right plural form; other values are text (a
// code stays as typed). nullopt when ICU rejects the pattern (the caller shows the message some
// other way).
std::optional<std::string> FormatMessagePattern(
    Lang lang, std::string_view pattern,
    const std::vector<std::pair<std::string_view, std::string>>& args);

// A whole number as people type it: optional sign, Western, Arabic-Indic or Eastern Arabic-Indic
// digits, grouping separators (',' '٬' and the thin spaces) between digits allowed; white space
// around trimmed. nullopt when it is not one, or does not fit in int64.
std::optional<int64_t> ParseCount(std::string_view text);

// A decimal number as people type it, returned in canonical Western form ("180.5", "-3", "0.25")
// without leading zeros or trailing fraction zeros: digits of any of the three scripts, the
// decimal point '.', the Arabic decimal separator '٫' (U+066B) or a comma as the decimal point
// when no other separator is present and it is not followed by exactly three digits. nullopt when
// malformed or longer than 18 significant digits.
std::optional<std::string> ParseDecimal(std::string_view text);

// A canonical Western number ("180.5", "-12") shown in the language's digits: Arabic gives
// "١٨٠٫٥" (Arabic-Indic digits and the Arabic decimal separator, U+066B), English leaves it.
// Text that is not a canonical number is returned unchanged.
std::string LocalizeNumber(std::string_view number, Lang lang);

// Wraps text in FIRST STRONG ISOLATE (U+2068) and POP DIRECTIONAL ISOLATE (U+2069) when it holds
// a Latin letter or a Western digit, so that a tracking number or an ID inside Arabic plain text
// (SMS, email) keeps its order ("HEB-26-000001-9" never splits into "-HEB-26-000001" and "9").
// Text without them, and text already isolated, is returned unchanged.
std::string IsolateLatin(std::string_view text);

}  // namespace baladiya::i18n
