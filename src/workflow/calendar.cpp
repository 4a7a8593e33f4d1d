// The working calendar (workflow.h). Days are civil days numbered from 1970-01-01 (day 0) in the
// calendar's time zone; ICU's zone data maps instants to local days and back, so the days around
// a daylight saving change are 23 or 25 hours long, and a day may start at 01:00 when the clocks
// jump at midnight.
#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/ucal.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <memory>

#include "workflow/workflow.h"

namespace baladiya::workflow {
namespace {

constexpr int64_t kDayMs = 86'400'000;
// Instants are clamped to +-100 million days (JavaScript's range), far inside what ICU handles.
constexpr int64_t kMaxDay = 100'000'000;
constexpr int64_t kMaxMs = kMaxDay * kDayMs;
constexpr std::size_t kMaxCachedZones = 16;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The zone for an IANA id, cached per thread (ICU zones are cheap to read but slow to build).
// An unknown id yields ICU's "Etc/Unknown", which behaves as UTC (as i18n::FormatDate does).
const icu::TimeZone& Zone(const std::string& id) {
  thread_local std::map<std::string, std::unique_ptr<icu::TimeZone>> cache;
  auto it = cache.find(id);
  if (it != cache.end()) return *it->second;
  if (cache.size() >= kMaxCachedZones) cache.clear();
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(
      icu::UnicodeString::fromUTF8(icu::StringPiece(id.data(), static_cast<int32_t>(id.size())))));
  return *cache.emplace(id, std::move(zone)).first->second;
}

// The local day of an instant.
int64_t LocalDay(const icu::TimeZone& zone, int64_t epoch_ms) {
  epoch_ms = std::clamp(epoch_ms, -kMaxMs, kMaxMs);
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  zone.getOffset(static_cast<UDate>(epoch_ms), false, raw, dst, status);
  if (U_FAILURE(status)) raw = dst = 0;
  return FloorDiv(epoch_ms + raw + dst, kDayMs);
}

// The first instant of a local day: its midnight, or, when the clocks jump forward at midnight,
// the moment of the jump; when midnight occurs twice, the first one.
int64_t StartOfDay(const icu::TimeZone& zone, int64_t day) {
  const int64_t local_ms = day * kDayMs;
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  if (const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(&zone)) {
    basic->getOffsetFromLocal(static_cast<UDate>(local_ms), UCAL_TZ_LOCAL_FORMER,
                              UCAL_TZ_LOCAL_FORMER, raw, dst, status);
  } else {
    zone.getOffset(static_cast<UDate>(local_ms), true, raw, dst, status);
  }
  if (U_FAILURE(status)) raw = dst = 0;
  return local_ms - raw - dst;
}

int64_t EndOfDay(const icu::TimeZone& zone, int64_t day) { return StartOfDay(zone, day + 1) - 1; }

// 0 = Sunday ... 6 = Saturday.
int Weekday(int64_t day) {
  using std::chrono::days;
  using std::chrono::sys_days;
  return static_cast<int>(std::chrono::weekday(sys_days(days(day))).c_encoding());
}

// The day number of "YYYY-MM-DD", or nullopt when it is not such a date.
std::optional<int64_t> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int fields[3] = {0, 0, 0};
  std::size_t starts[3] = {0, 5, 8};
  std::size_t lengths[3] = {4, 2, 2};
  for (int f = 0; f < 3; ++f) {
    for (std::size_t i = starts[f]; i < starts[f] + lengths[f]; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      fields[f] = fields[f] * 10 + (text[i] - '0');
    }
  }
  std::chrono::year_month_day ymd{std::chrono::year(fields[0]),
                                  std::chrono::month(static_cast<unsigned>(fields[1])),
                                  std::chrono::day(static_cast<unsigned>(fields[2]))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

// The calendar in day numbers: which weekdays are worked, and the holidays that fall on them
// (a holiday on a rest day changes nothing).
struct Days {
  bool working_weekday[7] = {true, true, true, true, true, true, true};
  int per_week = 7;
  std::set<int64_t> holidays;

  explicit Days(const Calendar& c) {
    for (int w : c.rest_weekdays) {
      if (w >= 0 && w < 7 && working_weekday[w]) {
        working_weekday[w] = false;
        --per_week;
      }
    }
    for (const std::string& h : c.holidays) {
      std::optional<int64_t> day = ParseDay(h);
      if (day && working_weekday[Weekday(*day)]) holidays.insert(*day);
    }
  }

  bool Working(int64_t day) const {
    return working_weekday[Weekday(day)] && !holidays.contains(day);
  }

  // Working days in (first, last], by whole weeks then the days left over.
  int64_t CountAfter(int64_t first, int64_t last) const {
    if (last <= first) return 0;
    const int64_t span = last - first;
    int64_t count = span / 7 * per_week;
    for (int64_t day = last - span % 7 + 1; day <= last; ++day) {
      if (working_weekday[Weekday(day)]) ++count;
    }
    auto from = holidays.upper_bound(first);
    auto to = holidays.upper_bound(last);
    return count - std::distance(from, to);
  }
};

}  // namespace

int64_t LocalDayOf(const Calendar& c, int64_t epoch_ms) {
  return LocalDay(Zone(c.time_zone), epoch_ms);
}

bool IsWorkingDay(const Calendar& c, int64_t epoch_ms) {
  return Days(c).Working(LocalDay(Zone(c.time_zone), epoch_ms));
}

int64_t AddWorkingDays(const Calendar& c, int64_t start_ms, int n) {
  if (n <= 0) return start_ms;
  const Days days(c);
  // No weekday is worked: the deadline never comes.
  if (days.per_week == 0) return std::numeric_limits<int64_t>::max();
  const icu::TimeZone& zone = Zone(c.time_zone);
  int64_t day = LocalDay(zone, start_ms);
  int64_t left = n;
  while (day < kMaxDay) {
    // Whole weeks before the next holiday each hold per_week working days; skip them, keeping at
    // least one working day to find by stepping.
    auto next_holiday = days.holidays.upper_bound(day);
    int64_t weeks = (left - 1) / days.per_week;
    if (next_holiday != days.holidays.end()) weeks = std::min(weeks, (*next_holiday - day - 1) / 7);
    day += weeks * 7;
    left -= weeks * days.per_week;
    if (++day >= kMaxDay) break;
    if (days.Working(day) && --left == 0) return EndOfDay(zone, day);
  }
  return std::numeric_limits<int64_t>::max();
}

int WorkingDaysBetween(const Calendar& c, int64_t from_ms, int64_t to_ms) {
  if (to_ms <= from_ms) return 0;
  const icu::TimeZone& zone = Zone(c.time_zone);
  int64_t count = Days(c).CountAfter(LocalDay(zone, from_ms), LocalDay(zone, to_ms));
  return static_cast<int>(std::min<int64_t>(count, std::numeric_limits<int>::max()));
}

}  // namespace baladiya::workflow
