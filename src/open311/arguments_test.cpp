// Reading Open311 arguments: coordinates, lists, URLs, dates ranges and paging, table-driven.
#include "open311/arguments.h"

#include <gtest/gtest.h>

#include "notify/test_support.h"

namespace baladiya::open311 {
namespace {

TEST(Open311ArgumentsTest, CoordinatesBecomeCanonicalLiterals) {
  struct Case {
    std::string_view typed;
    double limit;
    std::string_view literal;  // empty: refused
  } cases[] = {
      {"31.5326", 90, "31.5326"},
      {"+35.0998", 180, "35.0998"},
      {"-122.4212043", 180, "-122.4212043"},
      {"007.5", 90, "7.5"},
      {"0", 90, "0"},
      {"-0.0", 90, "0.0"},
      {" 31.5 ", 90, "31.5"},
      {"٣١٫٥٣٢٦", 90, "31.5326"},
      {"90", 90, "90"},
      {"-180", 180, "-180"},
      {"90.0000001", 90, ""},
      {"180.5", 180, ""},
      {"1e1", 90, ""},
      {".5", 90, ""},
      {"5.", 90, ""},
      {"31,5", 90, ""},
      {"", 90, ""},
      {"-", 90, ""},
      {"NaN", 90, ""},
      {"inf", 90, ""},
      {"1234", 180, ""},
      {"1.0000000000001", 90, ""},
      {"--1", 90, ""},
      {"0x1A", 90, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Coordinate(c.typed, c.limit), c.literal) << c.typed;
}

TEST(Open311ArgumentsTest, SplitsCommaListsAndChecksUrls) {
  EXPECT_EQ(SplitCommas(" open , closed,,"), (std::vector<std::string_view>{"open", "closed"}));
  EXPECT_TRUE(SplitCommas("").empty());
  EXPECT_TRUE(MediaUrl("https://media.example.org/a.jpg"));
  EXPECT_TRUE(MediaUrl("http://x.example/p?q=1"));
  for (std::string_view bad : {"ftp://x/a.jpg", "javascript:alert(1)", "https://x/a b.jpg",
                               "https://x/\"onload=\"", "https://x/<script>", "//x/a.jpg"}) {
    EXPECT_FALSE(MediaUrl(bad)) << bad;
  }
  EXPECT_FALSE(MediaUrl("https://x/" + std::string(kMaxMediaUrl, 'a')));
}

Call CallWith(std::vector<std::pair<std::string, std::string>> params) {
  Call c;
  c.lang = i18n::Lang::kEn;
  c.messages = &notify::testing::Catalogue();
  for (auto& [k, v] : params) c.params.Add(k, v);
  return c;
}

TEST(Open311ArgumentsTest, DateRangesDefaultToNinetyDaysAndMayNotExceedThem) {
  constexpr int64_t kNow = 1'773'565'200'000;    // 2026-03-15T09:00:00Z
  constexpr int64_t kStart = 1'772'323'200'000;  // 2026-03-01T00:00:00Z
  struct Case {
    std::vector<std::pair<std::string, std::string>> params;
    int64_t from, to;
    size_t problems;
  } cases[] = {
      {{}, kNow - kMaxRangeMs, kNow, 0},
      {{{"start_date", "2026-03-01T00:00:00Z"}}, kStart, kStart + kMaxRangeMs, 0},
      {{{"end_date", "2026-03-01T00:00:00Z"}}, kStart - kMaxRangeMs, kStart, 0},
      {{{"start_date", "2026-03-01T00:00:00Z"}, {"end_date", "2026-03-01T02:00:00+02:00"}},
       kStart,
       kStart,
       0},
      {{{"start_date", ""}, {"end_date", ""}}, kNow - kMaxRangeMs, kNow, 0},  // empty = absent
      {{{"start_date", "2026-01-01T00:00:00Z"}, {"end_date", "2026-04-02T00:00:00Z"}}, 0, 0, 1},
      {{{"start_date", "2026-03-02T00:00:00Z"}, {"end_date", "2026-03-01T00:00:00Z"}}, 0, 0, 1},
      {{{"start_date", "March"}, {"end_date", "2026-13-01T00:00:00Z"}}, 0, 0, 2},
  };
  for (const auto& c : cases) {
    std::vector<Problem> problems;
    int64_t from = 0, to = 0;
    ReadRange(CallWith(c.params), kNow, from, to, problems);
    EXPECT_EQ(problems.size(), c.problems) << (c.params.empty() ? "" : c.params[0].second);
    if (c.problems == 0) {
      EXPECT_EQ(from, c.from);
      EXPECT_EQ(to, c.to);
    }
  }
}

TEST(Open311ArgumentsTest, PagingIsOneBasedUpToAThousand) {
  struct Case {
    std::vector<std::pair<std::string, std::string>> params;
    int offset, limit;
    bool ok;
  } cases[] = {
      {{}, 0, 1000, true},
      {{{"page", "3"}, {"page_size", "50"}}, 100, 50, true},
      {{{"page_size", "1000"}}, 0, 1000, true},
      {{{"page", "0"}}, 0, 0, false},
      {{{"page_size", "1001"}}, 0, 0, false},
      {{{"page", "two"}}, 0, 0, false},
      {{{"page", "-1"}}, 0, 0, false},
  };
  for (const auto& c : cases) {
    std::vector<Problem> problems;
    int offset = -1, limit = -1;
    ReadPaging(CallWith(c.params), offset, limit, problems);
    EXPECT_EQ(problems.empty(), c.ok);
    if (c.ok) {
      EXPECT_EQ(offset, c.offset);
      EXPECT_EQ(limit, c.limit);
    }
  }
}

}  // namespace
}  // namespace baladiya::open311
