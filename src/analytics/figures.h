// The figures people read, computed from the ledger's cells (analytics.h): per month of a period,
// and over the whole period, for one municipality (and one service, or all). Pure functions of
// the cells, the durations, the backlog and the master data, so the pages, the open data, the
// ministry's comparison and the metrics all say the same.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analytics/analytics.h"

namespace baladiya::analytics {

// Shares and times are nullopt when there is nothing to divide by.
struct Figures {
  Counts counts;
  std::map<std::string, Counts> by_channel;
  std::optional<double> take_up;        // digital submitted / submitted
  std::optional<double> completion;     // submitted / started
  std::optional<double> within_sla;     // within SLA / (completed + rejected)
  std::optional<double> satisfied;      // ratings 4 and 5 / ratings
  std::optional<double> response_rate;  // ratings / (completed + rejected)
  std::optional<double> median_days;    // working days, submission to final state
  std::optional<double> p90_days;
  int64_t timed = 0;                            // cases the times are of
  std::optional<int64_t> cost_per_transaction;  // minor units, from the cost per channel
  std::optional<double> per_thousand;           // submitted per 1,000 inhabitants
};

// Complaints: the same counts over report services only.
struct Complaints {
  int64_t received = 0;
  int64_t resolved = 0;  // completed or rejected
  int64_t merged = 0;
  int64_t reopened = 0;
  int64_t open = 0;  // now
  std::optional<double> median_days;
};

// Payments' figures over some months (PaymentCell, PaymentDelay): counts over every currency,
// amounts in one currency (the municipality's).
struct PaymentFigures {
  int64_t raised = 0;
  int64_t voided = 0;
  int64_t paid = 0;
  std::map<std::string, int64_t> paid_by_channel;
  std::map<std::string, int64_t> collected_minor;  // per channel, in the currency asked for
  int64_t collected_total_minor = 0;
  int64_t refunded_minor = 0;
  std::optional<double> online;       // paid by card (online) / paid
  std::optional<double> median_days;  // days from the invoice to its payment
  std::optional<double> p90_days;
  bool Zero() const { return raised == 0 && voided == 0 && paid == 0 && refunded_minor == 0; }
};

// The payments' figures of the months given (empty: every month of the cells).
PaymentFigures ComputePayments(const std::vector<PaymentCell>& cells,
                               const std::vector<PaymentDelay>& delays,
                               const std::vector<int64_t>& months, const std::string& currency);

struct Period {
  int64_t first_month = 0;  // year * 100 + month
  int64_t last_month = 0;
  std::vector<int64_t> Months() const;
};

// The twelve months up to and including the month of now (in the calendar's time zone).
Period LastTwelveMonths(int64_t now_ms, const workflow::Calendar& calendar);

// The q-quantile (0..1) of whole working days from a histogram (days -> cases), nearest rank.
std::optional<double> Quantile(const std::map<int, int64_t>& histogram, double q);

// Figures of the cells and durations given (already narrowed to what is wanted); facts give the
// cost per channel and the population (population figures only when population > 0).
Figures Compute(const std::vector<Cell>& cells, const std::vector<Duration>& durations,
                const MunicipalityFacts* facts);

// The cells and durations of one month.
std::vector<Cell> OfMonth(const std::vector<Cell>& cells, int64_t month);
std::vector<Duration> OfMonth(const std::vector<Duration>& durations, int64_t month);

// A count as open data shows it: "<5" under five (zero stays 0), so that no one can be singled
// out; the number otherwise.
std::string Suppressed(int64_t count);
inline constexpr int64_t kSuppressBelow = 5;

}  // namespace baladiya::analytics
