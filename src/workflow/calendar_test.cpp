// The working calendar in Asia/Hebron. The daylight saving changes used below are history
// (tzdata): 2021-10-29 01:00 -> 00:00 (midnight occurs twice), 2022-03-27 00:00 -> 01:00
// (midnight never occurs), 2022-10-29 02:00 -> 01:00. Winter is UTC+2, summer UTC+3.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>

#include "workflow/workflow.h"

namespace baladiya::workflow {
namespace {

// Milliseconds since the epoch of a UTC date and time.
int64_t Utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int ms = 0) {
  using namespace std::chrono;
  auto date = sys_days(year(y) / month(m) / day(d));
  return duration_cast<milliseconds>(date.time_since_epoch()).count() +
         ((hh * 60 + mm) * 60 + ss) * int64_t{1000} + ms;
}

TEST(Calendar, DefaultsRestOnFridayInHebron) {
  Calendar c;
  EXPECT_EQ(c.rest_weekdays, std::set<int>{5});
  EXPECT_TRUE(c.holidays.empty());
  EXPECT_EQ(c.time_zone, "Asia/Hebron");
}

TEST(IsWorkingDay, CountsTheLocalDay) {
  Calendar c;
  struct Case {
    int64_t at;
    bool working;
    const char* what;
  };
  const Case cases[] = {
      {Utc(2022, 1, 6, 12), true, "Thursday noon"},
      {Utc(2022, 1, 6, 21, 59, 59, 999), true, "Thursday 23:59:59.999 local"},
      {Utc(2022, 1, 6, 22), false, "Friday 00:00 local, still Thursday in UTC"},
      {Utc(2022, 1, 7, 21, 59, 59, 999), false, "Friday 23:59:59.999 local"},
      {Utc(2022, 1, 7, 22), true, "Saturday 00:00 local, still Friday in UTC"},
      {Utc(2022, 1, 9, 8), true, "Sunday"},
      // Summer: UTC+3.
      {Utc(2022, 7, 7, 20, 59, 59, 999), true, "summer Thursday 23:59:59.999 local"},
      {Utc(2022, 7, 7, 21), false, "summer Friday 00:00 local"},
      // Midnight twice on Friday 2021-10-29: both hours belong to Friday.
      {Utc(2021, 10, 28, 20, 59, 59, 999), true, "Thursday's last instant before the change"},
      {Utc(2021, 10, 28, 21, 30), false, "Friday 00:30 summer time"},
      {Utc(2021, 10, 28, 22, 30), false, "Friday 00:30 again, winter time"},
  };
  for (const Case& k : cases) EXPECT_EQ(IsWorkingDay(c, k.at), k.working) << k.what;
}

TEST(IsWorkingDay, RestDaysAndHolidays) {
  Calendar c;
  c.rest_weekdays = {5, 6};
  c.holidays = {"2026-01-01", "2026-04-10"};
  EXPECT_FALSE(IsWorkingDay(c, Utc(2026, 1, 1, 10)));       // holiday (Thursday)
  EXPECT_FALSE(IsWorkingDay(c, Utc(2025, 12, 31, 22)));     // the holiday from 00:00 local...
  EXPECT_FALSE(IsWorkingDay(c, Utc(2026, 1, 1, 21, 59)));   // ... to 23:59 local
  EXPECT_FALSE(IsWorkingDay(c, Utc(2026, 1, 1, 22)));       // then Friday
  EXPECT_FALSE(IsWorkingDay(c, Utc(2026, 1, 3, 10)));       // Saturday
  EXPECT_TRUE(IsWorkingDay(c, Utc(2026, 1, 4, 10)));        // Sunday
  EXPECT_TRUE(IsWorkingDay(c, Utc(2025, 12, 31, 21, 59)));  // Wednesday
}

TEST(IsWorkingDay, SpringForwardAtMidnight) {
  Calendar c;
  c.rest_weekdays = {6};  // Saturday, to see the day change at the jump
  // Saturday 2022-03-26 ends at 23:59:59.999 UTC+2; Sunday begins at 01:00 UTC+3, the same
  // instant plus one millisecond.
  EXPECT_FALSE(IsWorkingDay(c, Utc(2022, 3, 26, 21, 59, 59, 999)));
  EXPECT_TRUE(IsWorkingDay(c, Utc(2022, 3, 26, 22)));
  EXPECT_TRUE(IsWorkingDay(c, Utc(2022, 3, 27, 20, 59, 59, 999)));  // Sunday 23:59 UTC+3
  EXPECT_TRUE(IsWorkingDay(c, Utc(2022, 3, 27, 21)));               // Monday 00:00
}

TEST(IsWorkingDay, MalformedHolidaysAreIgnored) {
  Calendar c;
  c.holidays = {"2026-1-5", "2026-01-05 ", "05-01-2026", "2026-13-05", "2026-02-30", "x"};
  EXPECT_TRUE(IsWorkingDay(c, Utc(2026, 1, 5, 10)));
  EXPECT_TRUE(IsWorkingDay(c, Utc(2026, 3, 2, 10)));  // "2026-02-30" is not March 2
}

TEST(AddWorkingDays, Table) {
  Calendar c;
  Calendar holidays;
  holidays.holidays = {"2026-01-01", "2026-01-02"};  // Thursday, and a Friday (rest anyway)
  struct Case {
    const Calendar* calendar;
    int64_t start;
    int n;
    int64_t end;
    const char* what;
  };
  const Case cases[] = {
      {&c, Utc(2022, 1, 5, 10), 1, Utc(2022, 1, 6, 21, 59, 59, 999), "Wednesday + 1 = Thursday"},
      {&c, Utc(2022, 1, 5, 10), 2, Utc(2022, 1, 8, 21, 59, 59, 999), "Friday is skipped"},
      {&c, Utc(2022, 1, 6, 22, 30), 1, Utc(2022, 1, 8, 21, 59, 59, 999),
       "from Friday 00:30 local (Thursday in UTC)"},
      {&c, Utc(2022, 1, 6, 21, 30), 1, Utc(2022, 1, 8, 21, 59, 59, 999),
       "from Thursday 23:30 local: Thursday itself never counts"},
      {&c, Utc(2022, 1, 5, 10), 6, Utc(2022, 1, 12, 21, 59, 59, 999), "a whole week"},
      {&c, Utc(2022, 1, 5, 10), 12, Utc(2022, 1, 19, 21, 59, 59, 999), "two whole weeks"},
      // Spring forward at midnight on Sunday 2022-03-27: Saturday ends at 23:59:59.999 UTC+2,
      // Sunday at 23:59:59.999 UTC+3.
      {&c, Utc(2022, 3, 24, 8), 1, Utc(2022, 3, 26, 21, 59, 59, 999), "Saturday before the jump"},
      {&c, Utc(2022, 3, 24, 8), 2, Utc(2022, 3, 27, 20, 59, 59, 999), "Sunday, a 23-hour day"},
      {&c, Utc(2022, 3, 24, 8), 3, Utc(2022, 3, 28, 20, 59, 59, 999), "Monday in summer time"},
      // Fall back 01:00 -> 00:00 on Friday 2021-10-29: Thursday still ends in summer time.
      {&c, Utc(2021, 10, 27, 9), 1, Utc(2021, 10, 28, 20, 59, 59, 999), "Thursday, summer"},
      {&c, Utc(2021, 10, 27, 9), 2, Utc(2021, 10, 30, 21, 59, 59, 999), "Saturday, winter"},
      // Fall back 02:00 -> 01:00 on Saturday 2022-10-29, a 25-hour day.
      {&c, Utc(2022, 10, 27, 9), 1, Utc(2022, 10, 29, 21, 59, 59, 999), "Saturday, 25 hours"},
      {&c, Utc(2022, 10, 27, 9), 2, Utc(2022, 10, 30, 21, 59, 59, 999), "Sunday after"},
      // Across the year with a holiday: Wednesday 2025-12-31 + 3 skips Thursday 1 January
      // (holiday) and Friday 2 January, then counts Saturday, Sunday, Monday.
      {&holidays, Utc(2025, 12, 31, 10), 1, Utc(2026, 1, 3, 21, 59, 59, 999), "over New Year"},
      {&holidays, Utc(2025, 12, 31, 10), 3, Utc(2026, 1, 5, 21, 59, 59, 999), "into January"},
      {&c, Utc(2025, 12, 31, 10), 1, Utc(2026, 1, 1, 21, 59, 59, 999), "no holiday: Thursday"},
      {&holidays, Utc(2025, 12, 30, 22, 30), 1, Utc(2026, 1, 3, 21, 59, 59, 999),
       "from 00:30 local on 31 December (30 December in UTC)"},
  };
  for (const Case& k : cases) {
    EXPECT_EQ(AddWorkingDays(*k.calendar, k.start, k.n), k.end) << k.what;
  }
}

TEST(AddWorkingDays, ZeroAndNegativeReturnTheStart) {
  Calendar c;
  const int64_t start = Utc(2026, 2, 3, 9, 15);
  EXPECT_EQ(AddWorkingDays(c, start, 0), start);
  EXPECT_EQ(AddWorkingDays(c, start, -3), start);
}

TEST(AddWorkingDays, NoWorkingWeekdayMeansNever) {
  Calendar c;
  c.rest_weekdays = {0, 1, 2, 3, 4, 5, 6};
  EXPECT_EQ(AddWorkingDays(c, Utc(2026, 2, 3), 1), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(WorkingDaysBetween(c, Utc(2026, 2, 3), Utc(2026, 3, 3)), 0);
  EXPECT_FALSE(IsWorkingDay(c, Utc(2026, 2, 3)));
}

TEST(AddWorkingDays, OutOfRangeRestDaysAreIgnored) {
  Calendar c;
  c.rest_weekdays = {5, 7, -1};
  EXPECT_EQ(AddWorkingDays(c, Utc(2022, 1, 5, 10), 2), Utc(2022, 1, 8, 21, 59, 59, 999));
}

TEST(AddWorkingDays, LargeCountsAreFastAndConsistent) {
  Calendar c;
  c.holidays = {"2026-01-01", "2026-05-01", "2027-01-01", "2030-11-15", "2031-05-01"};
  const int64_t start = Utc(2025, 12, 30, 10);
  const int64_t end = AddWorkingDays(c, start, 2000);
  EXPECT_EQ(WorkingDaysBetween(c, start, end), 2000);
  const int64_t before = AddWorkingDays(c, start, 1999);
  EXPECT_LT(before, end);
  EXPECT_EQ(WorkingDaysBetween(c, start, before), 1999);
  EXPECT_TRUE(IsWorkingDay(c, end));
  // Beyond any date ICU can place: never overdue.
  EXPECT_EQ(AddWorkingDays(c, start, std::numeric_limits<int>::max()),
            std::numeric_limits<int64_t>::max());
}

TEST(WorkingDaysBetween, Table) {
  Calendar c;
  c.holidays = {"2026-01-01"};
  struct Case {
    int64_t from;
    int64_t to;
    int days;
    const char* what;
  };
  const Case cases[] = {
      {Utc(2026, 1, 5, 8), Utc(2026, 1, 5, 20), 0, "same day"},
      {Utc(2026, 1, 5, 8), Utc(2026, 1, 5, 8), 0, "same instant"},
      {Utc(2026, 1, 6, 8), Utc(2026, 1, 5, 8), 0, "backwards"},
      {Utc(2026, 1, 5, 8), Utc(2026, 1, 6, 8), 1, "Monday to Tuesday"},
      {Utc(2026, 1, 5, 21, 59), Utc(2026, 1, 5, 22, 1), 1, "across local midnight, minutes apart"},
      {Utc(2026, 1, 8, 8), Utc(2026, 1, 9, 8), 0, "Thursday to Friday"},
      {Utc(2026, 1, 8, 8), Utc(2026, 1, 10, 8), 1, "Thursday to Saturday"},
      {Utc(2025, 12, 31, 8), Utc(2026, 1, 5, 12), 3, "over New Year with a holiday"},
      {Utc(2025, 12, 1, 8), Utc(2026, 1, 31, 8), 51, "December and January"},
      {Utc(2022, 3, 24, 8), Utc(2022, 3, 28, 8), 3, "over the spring change"},
      {Utc(2021, 10, 27, 9), Utc(2021, 10, 28, 21, 30), 1, "into the repeated midnight"},
      {Utc(2021, 10, 27, 9), Utc(2021, 10, 28, 22, 30), 1, "and its second occurrence"},
  };
  for (const Case& k : cases) EXPECT_EQ(WorkingDaysBetween(c, k.from, k.to), k.days) << k.what;
}

// Over three years of start times (every 7 hours, so every hour of the day and every weekday
// comes round) and one to twelve working days: the deadline is a working day's last instant,
// and WorkingDaysBetween counts back exactly n.
TEST(AddWorkingDays, AgreesWithWorkingDaysBetween) {
  Calendar c;
  c.holidays = {"2021-04-01", "2021-12-25", "2022-01-01", "2022-03-27",
                "2022-10-29", "2023-01-01", "2023-05-01"};
  Calendar every_day;
  every_day.rest_weekdays.clear();
  const int64_t hour = 3'600'000;
  for (int64_t start = Utc(2021, 1, 1); start < Utc(2024, 1, 1); start += 7 * hour) {
    for (int n = 1; n <= 12; ++n) {
      const int64_t end = AddWorkingDays(c, start, n);
      ASSERT_EQ(WorkingDaysBetween(c, start, end), n) << start << " + " << n;
      ASSERT_TRUE(IsWorkingDay(c, end)) << start << " + " << n;
      // One millisecond later is the next local day.
      ASSERT_EQ(WorkingDaysBetween(every_day, end, end + 1), 1) << start << " + " << n;
    }
  }
}

TEST(Calendar, OtherTimeZones) {
  Calendar utc;
  utc.time_zone = "UTC";
  EXPECT_EQ(AddWorkingDays(utc, Utc(2022, 1, 5, 10), 1), Utc(2022, 1, 6, 23, 59, 59, 999));
  Calendar tokyo;
  tokyo.time_zone = "Asia/Tokyo";  // UTC+9, no daylight saving
  EXPECT_EQ(AddWorkingDays(tokyo, Utc(2022, 1, 5, 10), 1), Utc(2022, 1, 6, 14, 59, 59, 999));
  EXPECT_FALSE(IsWorkingDay(tokyo, Utc(2022, 1, 6, 15)));  // Friday 00:00 in Tokyo
  // An unknown zone behaves as UTC, like i18n::FormatDate.
  Calendar unknown;
  unknown.time_zone = "Mars/Olympus";
  EXPECT_EQ(AddWorkingDays(unknown, Utc(2022, 1, 5, 10), 1), Utc(2022, 1, 6, 23, 59, 59, 999));
}

TEST(Calendar, ExtremeInstantsDoNotBreak) {
  Calendar c;
  const int64_t max = std::numeric_limits<int64_t>::max();
  const int64_t min = std::numeric_limits<int64_t>::min();
  EXPECT_EQ(WorkingDaysBetween(c, max, min), 0);
  EXPECT_GT(WorkingDaysBetween(c, min, max), 100'000'000);
  EXPECT_GT(AddWorkingDays(c, min, 5), min);
  (void)IsWorkingDay(c, max);
  (void)IsWorkingDay(c, min);
}

}  // namespace
}  // namespace baladiya::workflow
