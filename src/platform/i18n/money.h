// Money as people type it and as the platform keeps it: integer minor units of an ISO 4217
// currency (agorot of ILS, fils of JOD). FormatMoney (arabic.h) shows an amount in a language;
// ParseMoney reads one typed in either language.
#pragma once

#include <cstdint>
#include <string_view>

#include "platform/result.h"

namespace baladiya::i18n {

// Digits after the decimal point of the currency's minor unit: 2 for ILS, 3 for JOD (ICU's
// table); 2 for a code ICU does not know.
int CurrencyFractionDigits(std::string_view currency);

// The largest amount ParseMoney accepts, in major units (a municipality's single payment).
inline constexpr int64_t kMaxMoneyMajorUnits = 1'000'000'000;

// An amount typed by a person, in minor units of `currency`: Western or Arabic-Indic digits
// ("١٢٥٫٥٠" and "125.50" are 12550 agorot), the decimal point "." or the Arabic "٫", grouping
// by "," or the Arabic "٬" in the whole part only, white space around, and the currency's code or
// sign (₪) around the number ignored. Errors (kInvalid, with the message key): "money.invalid"
// (empty, a sign, letters, two decimal points, grouping in the wrong place), "money.too_precise"
// (more decimals than the currency has), "money.too_large" (over kMaxMoneyMajorUnits). Zero is
// accepted; whether it is allowed is the caller's rule.
Result<int64_t> ParseMoney(std::string_view text, std::string_view currency);

}  // namespace baladiya::i18n
