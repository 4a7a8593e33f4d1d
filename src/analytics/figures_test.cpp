// The figures computed from ledger cells (figures.h), table-driven.
#include "analytics/figures.h"

#include <gtest/gtest.h>

namespace baladiya::analytics {
namespace {

TEST(Figures, QuantilesOfWorkingDays) {
  struct Case {
    std::map<int, int64_t> histogram;
    double q;
    std::optional<double> want;
  };
  const Case cases[] = {
      {{}, 0.5, std::nullopt},
      {{{3, 1}}, 0.5, 3},
      {{{1, 1}, {2, 1}, {9, 1}}, 0.5, 2},
      {{{1, 5}, {4, 4}, {20, 1}}, 0.5, 1},
      {{{1, 5}, {4, 4}, {20, 1}}, 0.9, 4},
      {{{1, 5}, {4, 4}, {20, 1}}, 1.0, 20},
      {{{0, 10}}, 0.9, 0},
  };
  for (const auto& c : cases) EXPECT_EQ(Quantile(c.histogram, c.q), c.want) << c.q;
}

TEST(Figures, SmallCountsAreSuppressed) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0"}, {1, "<5"}, {4, "<5"}, {5, "5"}, {1234, "1234"}};
  for (const auto& [n, want] : cases) EXPECT_EQ(Suppressed(n), want) << n;
}

TEST(Figures, TakeUpCompletionCostAndPopulation) {
  std::vector<Cell> cells = {
      {1, 10, "web", 202611, {.started = 40, .submitted = 30, .completed = 20}},
      {1, 10, "open311", 202611, {.started = 10, .submitted = 10}},
      {1, 11, "counter", 202611, {.started = 10, .submitted = 10, .rejected = 2, .within_sla = 1}},
  };
  cells[0].counts.rated = 4;
  cells[0].counts.scores = {1, 0, 0, 1, 2};
  MunicipalityFacts facts;
  facts.population = 20'000;
  facts.cost_minor = {{"web", 100}, {"open311", 100}, {"counter", 1000}};
  const Figures f = Compute(cells, {{1, 10, "web", 202611, 3, 20}}, &facts);
  EXPECT_EQ(f.counts.submitted, 50);
  EXPECT_DOUBLE_EQ(*f.take_up, 40.0 / 50.0);
  EXPECT_DOUBLE_EQ(*f.completion, 50.0 / 60.0);
  EXPECT_DOUBLE_EQ(*f.satisfied, 3.0 / 4.0);
  EXPECT_DOUBLE_EQ(*f.response_rate, 4.0 / 22.0);
  EXPECT_DOUBLE_EQ(*f.within_sla, 1.0 / 22.0);
  EXPECT_EQ(*f.median_days, 3);
  EXPECT_EQ(*f.cost_per_transaction, (40 * 100 + 10 * 1000) / 50);
  EXPECT_DOUBLE_EQ(*f.per_thousand, 50 * 1000.0 / 20'000);
  // Nothing to divide by: no figure rather than zero.
  const Figures none = Compute({}, {}, nullptr);
  EXPECT_FALSE(none.take_up || none.completion || none.median_days || none.cost_per_transaction);
}

TEST(Figures, MonthsAndPeriods) {
  EXPECT_EQ(MonthOfDay(0), 197001);
  EXPECT_EQ(FirstDayOfMonth(197002), 31);
  EXPECT_EQ(AddMonths(202611, 2), 202701);
  EXPECT_EQ(AddMonths(202601, -1), 202512);
  Period p{202512, 202603};
  EXPECT_EQ(p.Months(), (std::vector<int64_t>{202512, 202601, 202602, 202603}));
}

}  // namespace
}  // namespace baladiya::analytics
