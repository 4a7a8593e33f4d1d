// The figures (figures.h).
#include "analytics/figures.h"

#include <algorithm>
#include <cmath>

namespace baladiya::analytics {

std::vector<int64_t> Period::Months() const {
  std::vector<int64_t> out;
  for (int64_t m = first_month; m <= last_month && out.size() < 240; m = AddMonths(m, 1)) {
    out.push_back(m);
  }
  return out;
}

Period LastTwelveMonths(int64_t now_ms, const workflow::Calendar& calendar) {
  const int64_t month = MonthOfDay(workflow::LocalDayOf(calendar, now_ms));
  return {AddMonths(month, -11), month};
}

std::optional<double> Quantile(const std::map<int, int64_t>& histogram, double q) {
  int64_t total = 0;
  for (const auto& [d, n] : histogram) total += n;
  if (total <= 0) return std::nullopt;
  const auto rank = static_cast<int64_t>(std::ceil(q * static_cast<double>(total)));
  int64_t seen = 0;
  for (const auto& [d, n] : histogram) {
    seen += n;
    if (seen >= std::max<int64_t>(rank, 1)) return static_cast<double>(d);
  }
  return static_cast<double>(histogram.rbegin()->first);
}

namespace {

std::optional<double> Share(int64_t part, int64_t whole) {
  if (whole <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

PaymentFigures ComputePayments(const std::vector<PaymentCell>& cells,
                               const std::vector<PaymentDelay>& delays,
                               const std::vector<int64_t>& months, const std::string& currency) {
  auto wanted = [&](int64_t month) {
    return months.empty() || std::find(months.begin(), months.end(), month) != months.end();
  };
  PaymentFigures f;
  for (const auto& c : cells) {
    if (!wanted(c.month)) continue;
    f.raised += c.counts.raised;
    f.voided += c.counts.voided;
    f.paid += c.counts.paid;
    if (!c.channel.empty()) f.paid_by_channel[c.channel] += c.counts.paid;
    if (c.currency == currency && !c.channel.empty()) {
      f.collected_minor[c.channel] += c.counts.collected_minor;
      f.collected_total_minor += c.counts.collected_minor;
      f.refunded_minor += c.counts.refunded_minor;
    }
  }
  f.online = Share(f.paid_by_channel["card"], f.paid);
  std::map<int, int64_t> histogram;
  for (const auto& d : delays) {
    if (wanted(d.month)) histogram[d.days] += d.payments;
  }
  f.median_days = Quantile(histogram, 0.5);
  f.p90_days = Quantile(histogram, 0.9);
  return f;
}

Figures Compute(const std::vector<Cell>& cells, const std::vector<Duration>& durations,
                const MunicipalityFacts* facts) {
  Figures f;
  for (const auto& c : cells) {
    f.counts += c.counts;
    f.by_channel[c.channel] += c.counts;
  }
  const Counts& n = f.counts;
  int64_t digital = 0;
  for (const auto& [ch, c] : f.by_channel) {
    if (IsDigital(ch)) digital += c.submitted;
  }
  f.take_up = Share(digital, n.submitted);
  f.completion = Share(n.submitted, n.started);
  if (f.completion && *f.completion > 1.0) f.completion = 1.0;
  f.within_sla = Share(n.within_sla, n.completed + n.rejected);
  f.satisfied = Share(n.scores[3] + n.scores[4], n.rated);
  f.response_rate = Share(n.rated, n.completed + n.rejected);
  std::map<int, int64_t> histogram;
  for (const auto& d : durations) histogram[d.days] += d.cases;
  for (const auto& [d, c] : histogram) f.timed += c;
  f.median_days = Quantile(histogram, 0.5);
  f.p90_days = Quantile(histogram, 0.9);
  if (facts && n.submitted > 0) {
    int64_t total = 0;
    bool any = false;
    for (const auto& [ch, c] : f.by_channel) {
      auto it = facts->cost_minor.find(ch);
      if (it == facts->cost_minor.end()) continue;
      total += it->second * c.submitted;
      any = true;
    }
    if (any) f.cost_per_transaction = (total + n.submitted / 2) / n.submitted;
    if (facts->population > 0) {
      f.per_thousand =
          static_cast<double>(n.submitted) * 1000.0 / static_cast<double>(facts->population);
    }
  }
  return f;
}

std::vector<Cell> OfMonth(const std::vector<Cell>& cells, int64_t month) {
  std::vector<Cell> out;
  for (const auto& c : cells) {
    if (c.period == month) out.push_back(c);
  }
  return out;
}

std::vector<Duration> OfMonth(const std::vector<Duration>& durations, int64_t month) {
  std::vector<Duration> out;
  for (const auto& d : durations) {
    if (d.month == month) out.push_back(d);
  }
  return out;
}

std::string Suppressed(int64_t count) {
  if (count > 0 && count < kSuppressBelow) return "<5";
  return std::to_string(count);
}

}  // namespace baladiya::analytics
