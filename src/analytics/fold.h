// The fold of feed entries into the ledger (analytics.h), apart from storage: a case's record as
// its events describe it, what a record contributes to the ledger's cells, and the cursor of a
// feed whose positions may commit out of order. Every cell is a sum of contributions, so folding
// an entry is: take away what the case's record contributed, change the record, add what it
// contributes now. Cases are independent of each other, so cases may be folded in any order.
#pragma once

#include <compare>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "analytics/analytics.h"

namespace baladiya::analytics::internal {

// A case as its events describe it (the row of kpi_cases).
struct CaseRecord {
  int64_t case_id = 0;
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  int64_t department_id = 0;
  std::string channel;
  bool report = false;
  int64_t draft_day = -1;  // -1: filed without a draft
  int64_t draft_municipality_id = 0;
  int64_t draft_service_id = 0;
  int64_t submitted_at = 0;
  std::string state;
  std::string outcome;  // "" open, "completed", "rejected", "withdrawn", "merged"
  int64_t closed_at = 0;
  int64_t paused_since = 0;
  int paused_days = 0;
  int64_t due_at = 0;
  int reopened = 0;
  int64_t reopened_at = 0;
  int score = 0;
  int64_t rated_at = 0;

  bool open() const { return outcome.empty(); }
  bool operator==(const CaseRecord&) const = default;
};

struct CellKey {
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  std::string channel;
  int64_t period = 0;
  auto operator<=>(const CellKey&) const = default;
};

struct DurationKey {
  CellKey cell;  // period: the month
  int days = 0;
  auto operator<=>(const DurationKey&) const = default;
};

// Additions to the ledger's cells.
struct Deltas {
  std::map<CellKey, Counts> daily;
  std::map<CellKey, Counts> monthly;
  std::map<DurationKey, int64_t> durations;
  // Participation: (municipality, local day, kind) -> facts.
  std::map<std::tuple<int64_t, int64_t, std::string>, int64_t> facts;
  // Payments: (municipality, month, channel, currency) -> counts; (municipality, month, days)
  // -> payments.
  std::map<std::tuple<int64_t, int64_t, std::string, std::string>, PaymentCounts> payments;
  std::map<std::tuple<int64_t, int64_t, int>, int64_t> payment_delays;
  bool empty() const {
    return daily.empty() && monthly.empty() && durations.empty() && facts.empty() &&
           payments.empty() && payment_delays.empty();
  }
};

// Folds entries into records (which the caller loads beforehand, or starts empty for a rebuild)
// and deltas. Looks services and calendars up through the sources, once each.
class Folder {
 public:
  explicit Folder(const Sources& sources) : src_(sources) {}

  Status FoldCase(const cases::FeedEntry& e);
  Status FoldDraft(const cases::DraftStart& d);
  // A fact of participation's feed, on its local day.
  Status FoldFact(const FeedFact& f);
  // An entry of payments' feed; kinds the ledger does not know add nothing.
  Status FoldPayment(const PaymentFact& p);

  std::unordered_map<int64_t, CaseRecord> records;
  std::set<int64_t> touched;  // records changed by this fold
  Deltas deltas;

 private:
  Status Contribute(const CaseRecord& r, int sign);
  Result<const ServiceFacts*> Facts(int64_t service_id);
  Result<const workflow::Calendar*> Calendar(int64_t municipality_id);
  Counts& Cell(int64_t municipality_id, int64_t service_id, const std::string& channel, int64_t day,
               Counts*& monthly);

  const Sources& src_;
  std::map<int64_t, ServiceFacts> facts_;
  std::map<int64_t, workflow::Calendar> calendars_;
};

// A feed's cursor: every position at or below `position` is done; `seen` holds the positions
// above it already folded, with their entries' times.
struct Cursor {
  int64_t position = 0;
  std::map<int64_t, int64_t> seen;
  std::map<int64_t, int64_t> added;  // marked since loaded (to store)

  bool Seen(int64_t p) const { return p <= position || seen.contains(p); }
  void Mark(int64_t p, int64_t at) {
    seen[p] = at;
    added[p] = at;
  }
  // Moves `position` over the seen positions that follow it, and over a gap once the entry
  // above it is kGapWaitMs older than now_ms.
  void Advance(int64_t now_ms);
};

}  // namespace baladiya::analytics::internal
