// analytics: the KPI ledger and what is read from it. The ledger counts, per municipality,
// service, channel and day (and month), the applications started, submitted, completed, rejected
// and merged, those finished within their SLA, reopenings and ratings, and the processing times
// in working days; it is computed from cases' event feed and feed of drafts begun
// (cases::CaseStore::Feed, DraftFeed), never from other modules' tables. A background worker
// folds new entries in (CatchUp), advancing each feed's cursor in the transaction that writes
// the rows, so a crash never counts an entry twice nor skips one; Rebuild folds everything again
// from the start and gives the same figures. Pages, open data and metrics read only the ledger
// and the master data kept here (population, cost per channel, licence).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cases/cases.h"
#include "catalog/services.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"
#include "workflow/workflow.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::analytics {

// The channels the ledger counts, in display order: "web", "api", "open311" (digital), then
// "counter" and "phone" (assisted).
const std::vector<std::string>& Channels();
bool IsDigital(std::string_view channel);

// What one cell of the ledger holds, or the sum of several.
struct Counts {
  int64_t started = 0;     // drafts begun, and applications filed without a draft
  int64_t submitted = 0;   // cases filed (the transactions)
  int64_t completed = 0;   // reached a final state whose outcome is "completed"
  int64_t rejected = 0;    // reached a final state whose outcome is "rejected"
  int64_t merged = 0;      // closed as a duplicate of another report (outcome "merged")
  int64_t withdrawn = 0;   // reached a final state whose outcome is "withdrawn"
  int64_t within_sla = 0;  // completed or rejected within the service's SLA (waiting excluded)
  int64_t reopened = 0;    // reopenings by the applicant
  int64_t rated = 0;       // ratings given
  std::array<int64_t, 5> scores{};  // ratings 1..5

  Counts& operator+=(const Counts& o);
  bool operator==(const Counts&) const = default;
  bool Zero() const { return *this == Counts{}; }
};

struct Cell {
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  std::string channel;
  int64_t period = 0;  // a day (1970-01-01 = 0) or a month (year * 100 + month)
  Counts counts;
  bool operator==(const Cell&) const = default;
};

// Cases completed or rejected in a month, by whole working days from submission to the final
// state.
struct Duration {
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  std::string channel;
  int64_t month = 0;
  int days = 0;
  int64_t cases = 0;
  bool operator==(const Duration&) const = default;
};

// Open cases now, and those of them past their due date.
struct Backlog {
  int64_t service_id = 0;
  int64_t open = 0;
  int64_t overdue = 0;
  int64_t due_this_week = 0;  // open, not overdue, due within seven days
};

// What the ledger needs to know of a service: which states end a case and with which outcome
// (workflow::OutcomeOf: "completed", "rejected", "withdrawn", "merged"), in which the case waits
// for the applicant (its SLA clock stops), the SLA, and whether it is a report (a complaint)
// rather than an application. The feed's own FeedEntry::outcome wins over these outcomes; they
// serve events written before the feed carried outcomes.
struct ServiceFacts {
  bool report = false;
  int sla_days = 0;
  std::map<std::string, std::string> outcomes;  // final state -> outcome
  std::set<std::string> waiting_states;
};

// One fact of another module's event feed that the ledger counts (participation's, joined in the
// shell): its position in that feed, the municipality, the kind ("participant", "rec_accepted",
// "rec_unaccepted" (an accepted recommendation revised to rejected), "rec_done", "rec_overdue")
// and when.
struct FeedFact {
  int64_t position = 0;
  int64_t municipality_id = 0;
  std::string kind;
  int64_t at = 0;
};
// Reads the facts after `after`, oldest first, at most `limit`, inside the ledger's transaction.
using FactFeed = std::function<Result<std::vector<FeedFact>>(db::Tx& tx, int64_t after, int limit)>;

// One entry of payments' event feed (payments::FeedEntry, joined in the shell): an invoice raised
// or voided, a payment posted, voided or refunded, with its channel ("counter", "bank", "card"),
// amount (minor units) and currency, and when its invoice was raised and the payment posted.
struct PaymentFact {
  int64_t position = 0;
  int64_t at = 0;
  std::string kind;  // "invoice_raised", "invoice_voided", "payment_posted", "payment_voided",
                     // "payment_refunded"
  int64_t municipality_id = 0;
  std::string channel;
  int64_t amount_minor = 0;
  std::string currency;
  int64_t invoice_at = 0;
  int64_t paid_at = 0;
};
using PaymentFeed =
    std::function<Result<std::vector<PaymentFact>>(db::Tx& tx, int64_t after, int limit)>;

// The channels payments come through, in display order; "card" is paying online.
const std::vector<std::string>& PaymentChannels();

// What the ledger counts of payments in a month: invoices raised and voided (channel ""),
// payments posted and not voided, the money they brought in net of voids and refunds, and the
// refunds. A voided payment is taken away in the month it was posted; a refund in its own month.
struct PaymentCounts {
  int64_t raised = 0;
  int64_t voided = 0;
  int64_t paid = 0;
  int64_t collected_minor = 0;
  int64_t refunded_minor = 0;
  PaymentCounts& operator+=(const PaymentCounts& o);
  bool operator==(const PaymentCounts&) const = default;
  bool Zero() const { return *this == PaymentCounts{}; }
};

struct PaymentCell {
  int64_t municipality_id = 0;
  int64_t month = 0;
  std::string channel;  // "" for the invoices' counts
  std::string currency;
  PaymentCounts counts;
  bool operator==(const PaymentCell&) const = default;
};

// Payments posted in a month by whole days (the municipality's local days) from the invoice.
struct PaymentDelay {
  int64_t municipality_id = 0;
  int64_t month = 0;
  int days = 0;
  int64_t payments = 0;
  bool operator==(const PaymentDelay&) const = default;
};

// Participation's figures of a municipality over some days: people who took part (each once per
// process), recommendations accepted, done, and milestones overdue.
struct ParticipationFigures {
  int64_t participants = 0;
  int64_t accepted = 0;
  int64_t done = 0;
  int64_t overdue = 0;
  bool Zero() const { return participants == 0 && accepted == 0 && done == 0 && overdue == 0; }
};

// Where the ledger reads from. The functions are called from the worker's thread and from
// commands; they must be thread-safe.
struct Sources {
  cases::CaseStore* cases = nullptr;
  // kNotFound: a service the catalogue no longer has (then the default workflow's facts apply).
  std::function<Result<ServiceFacts>(int64_t service_id)> service;
  std::function<Result<workflow::Calendar>(int64_t municipality_id)> calendar;
  // Participation's feed (feed "participation"); unset: nothing to fold.
  FactFeed participation;
  // Payments' feed (feed "payments"); unset: nothing to fold.
  PaymentFeed payments;
};

// The sources as the program has them: services and calendars from the catalogue (cached there),
// workflows read from each service (cached here per service version), each final state with
// its outcome as the workflow gives it.
Sources CatalogSources(cases::CaseStore& cases, catalog::ServiceStore& services,
                       const i18n::Catalog& messages);

// A month (year * 100 + month) of a day number, and back and forth.
int64_t MonthOfDay(int64_t day);
int64_t FirstDayOfMonth(int64_t month);
int64_t AddMonths(int64_t month, int n);

// How long a position of a feed may stay missing below positions already read before it is
// taken as a rolled-back transaction (PostgreSQL's sequences leave gaps; its transactions may
// also commit a lower position after a higher one). See Ledger::CatchUp.
inline constexpr int64_t kGapWaitMs = 60'000;

// The ledger. Thread-safe: folds are serialised by the cursor rows (two programs on one
// PostgreSQL database fold one after the other).
class Ledger {
 public:
  Ledger(db::Database& db, Sources sources);

  // Folds what both feeds hold past their cursors, `batch` entries per transaction, until the
  // feeds are read or max_batches transactions ran; returns how many entries were folded. Each
  // transaction locks the feed's cursor row, reads the feed from the cursor, folds the entries
  // not yet seen, writes the ledger's rows and advances the cursor, so a crash between
  // transactions loses nothing and counts nothing twice.
  //
  // Out of order (PostgreSQL): the cursor is a low-water mark: every position at or below it is
  // folded. Positions folded above it are kept (kpi_seen) and skipped when read again; each call
  // reads again from the mark, so a transaction that commits a lower position late is still
  // folded. A missing position is waited for until an entry above it is kGapWaitMs older than
  // now_ms; then it is taken as rolled back and the mark passes it. Every fold is a sum of
  // per-case contributions, so the order in which cases are folded does not change the figures.
  Result<int64_t> CatchUp(int64_t now_ms, int batch = 2000, int max_batches = 50);

  // Forgets the ledger and folds the feeds from the beginning (in memory, from one snapshot),
  // then replaces the ledger's tables and cursors in one transaction; the worker carries on
  // from the new cursors. Returns how many entries were folded.
  Result<int64_t> Rebuild(int64_t now_ms);

  // ---- reads -------------------------------------------------------------------------------
  // Cells of one municipality (0: every municipality) and service (0: every service), periods
  // in [from, to], ordered by municipality, service, channel, period.
  Result<std::vector<Cell>> Daily(int64_t municipality_id, int64_t service_id, int64_t from_day,
                                  int64_t to_day);
  Result<std::vector<Cell>> Monthly(int64_t municipality_id, int64_t service_id, int64_t from_month,
                                    int64_t to_month);
  Result<std::vector<Duration>> Durations(int64_t municipality_id, int64_t service_id,
                                          int64_t from_month, int64_t to_month);
  // Open cases by service of a municipality (0: every municipality, summed by service) now.
  Result<std::vector<Backlog>> BacklogNow(int64_t municipality_id, int64_t now_ms);
  // Participation's figures of a municipality (0: all) over the days [from_day, to_day] (each
  // fact on its local day in the municipality's calendar).
  Result<ParticipationFigures> Participation(int64_t municipality_id, int64_t from_day,
                                             int64_t to_day);
  // Payments' cells of a municipality (0: every one) over the months, ordered by municipality,
  // month, channel, currency; and the days from invoice to payment.
  Result<std::vector<PaymentCell>> Payments(int64_t municipality_id, int64_t from_month,
                                            int64_t to_month);
  Result<std::vector<PaymentDelay>> PaymentDelays(int64_t municipality_id, int64_t from_month,
                                                  int64_t to_month);
  // Joins participation's and payments' feeds (the shell does, before the worker starts).
  void JoinParticipation(FactFeed feed) { src_.participation = std::move(feed); }
  void JoinPayments(PaymentFeed feed) { src_.payments = std::move(feed); }
  // Position each feed's cursor has reached ("cases", "drafts", "participation", "payments"),
  // for the metrics and tests.
  Result<std::map<std::string, int64_t>> Cursors();
  // A number that changes whenever the ledger does (for caches of pages that read it).
  uint64_t Generation() const { return generation_.load(); }

 private:
  struct Impl;
  db::Database& db_;
  Sources src_;
  std::atomic<uint64_t> generation_{1};
  std::mutex fold_mu_;  // one fold of this process at a time (the cursor rows order programs)
};

// ---- master data -------------------------------------------------------------------------------

// The licences a municipality may publish its open data under (SPDX ids).
const std::vector<std::string>& Licences();
std::string LicenceUrl(std::string_view spdx);
// The message key naming the licence ("kpi.licence.cc_by_4").
std::string LicenceKey(std::string_view spdx);

struct MunicipalityFacts {
  int64_t municipality_id = 0;
  int64_t population = 0;  // 0: unknown
  std::string population_source;
  int population_year = 0;
  std::string currency = "ILS";
  std::string licence = "CC-BY-4.0";
  std::map<std::string, int64_t> cost_minor;  // per channel, minor units of currency
  int64_t updated_at = 0;
};

class MasterData {
 public:
  explicit MasterData(db::Database& db) : db_(db) {}
  // The municipality's facts (defaults when none were set).
  Result<MunicipalityFacts> Get(int64_t municipality_id);
  Result<std::vector<MunicipalityFacts>> All();
  // Validates and stores; kInvalid with problems (population.* / cost.* / licence.*) otherwise.
  // Problems' paths: {"population"}, {"population_source"}, {"population_year"}, {"licence"},
  // {"currency"}, {"cost", channel}.
  Status Set(const MunicipalityFacts& f, int64_t now_ms);

 private:
  db::Database& db_;
};

std::vector<db::Migration> Migrations();

// The analytics module as the program is built from it (module.cpp).
module::Module Module();

}  // namespace baladiya::analytics
