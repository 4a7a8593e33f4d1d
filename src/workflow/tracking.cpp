// Tracking numbers (workflow.h): "HEB-26-000123-3".
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "platform/i18n/arabic.h"
#include "workflow/workflow.h"

namespace baladiya::workflow {
namespace {

constexpr std::size_t kMinSequenceDigits = 6;
constexpr std::size_t kMaxSequenceDigits = 18;  // fits int64_t
// Longer than any well-formed number written with Arabic-Indic digits and spaces.
constexpr std::size_t kMaxInputBytes = 80;

// The Damm algorithm: the running interim digit starts at 0 and each digit d makes it
// kDamm[interim][d]; the check digit is the final interim, so the digits followed by their check
// digit run to 0. The table is a weakly totally anti-symmetric quasigroup of order 10, which is
// why every single-digit error and every swap of two adjacent digits changes the result.
constexpr int kDamm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3}, {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
    {1, 7, 5, 0, 9, 8, 3, 4, 2, 6}, {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7}, {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
    {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

int CheckDigit(std::string_view digits) {
  int interim = 0;
  for (char c : digits) interim = kDamm[interim][c - '0'];
  return interim;
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string ZeroPadded(uint64_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

// Splits on single dashes or spaces; empty parts (doubled separators) are kept so they fail.
std::vector<std::string_view> SplitParts(std::string_view text) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '-' || text[i] == ' ') {
      parts.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return parts;
}

}  // namespace

// The prefix comes from validated municipality settings and the sequence from a database
// sequence; the year may be given in full (2026 -> "26").
std::string TrackingNumber(std::string_view prefix, int year, int64_t sequence) {
  std::string digits =
      ZeroPadded(static_cast<uint64_t>(((year % 100) + 100) % 100), 2) +
      ZeroPadded(static_cast<uint64_t>(std::max<int64_t>(sequence, 0)), kMinSequenceDigits);
  return std::string(prefix) + "-" + digits.substr(0, 2) + "-" + digits.substr(2) + "-" +
         std::to_string(CheckDigit(digits));
}

std::optional<TrackingParts> ParseTrackingNumber(std::string_view text) {
  if (text.size() > kMaxInputBytes) return std::nullopt;
  std::string western = i18n::ToWesternDigits(text);
  std::string_view s = western;
  const std::string_view blank = " \t\r\n";
  std::size_t first = s.find_first_not_of(blank);
  if (first == std::string_view::npos) return std::nullopt;
  s = s.substr(first, s.find_last_not_of(blank) - first + 1);

  std::vector<std::string_view> parts = SplitParts(s);
  if (parts.size() != 4) return std::nullopt;
  std::string_view prefix = parts[0];
  std::string_view year = parts[1];
  std::string_view sequence = parts[2];
  std::string_view check = parts[3];
  if (prefix.size() < 2 || prefix.size() > 5) return std::nullopt;
  TrackingParts out;
  for (char c : prefix) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return std::nullopt;
    out.prefix += c;
  }
  if (year.size() != 2 || !AllDigits(year)) return std::nullopt;
  // Only the zero padding up to six digits is written; "0000123" is not a number we issue.
  if (sequence.size() < kMinSequenceDigits || sequence.size() > kMaxSequenceDigits ||
      !AllDigits(sequence) || (sequence.size() > kMinSequenceDigits && sequence[0] == '0')) {
    return std::nullopt;
  }
  if (check.size() != 1 || !AllDigits(check)) return std::nullopt;
  std::string digits = std::string(year) + std::string(sequence);
  if (CheckDigit(digits) != check[0] - '0') return std::nullopt;
  out.year = (year[0] - '0') * 10 + (year[1] - '0');
  for (char c : sequence) out.sequence = out.sequence * 10 + (c - '0');
  return out;
}

}  // namespace baladiya::workflow
