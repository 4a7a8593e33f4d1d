// What the analytics pages share (web.h): the figures of a municipality for a period as the
// ledger has them, and how numbers, shares and months are written in each language.
#pragma once

#include <condition_variable>
#include <memory>
#include <set>

#include "analytics/chart.h"
#include "analytics/figures.h"
#include "analytics/web.h"
#include "platform/i18n/arabic.h"

namespace baladiya::analytics::internal {

// One municipality's (or one service's) ledger over a period.
struct Report {
  catalog::Municipality municipality;
  Period period;
  std::vector<Cell> cells;  // monthly
  std::vector<Duration> durations;
  std::vector<Backlog> backlog;
  std::set<int64_t> report_services;  // complaints
  MunicipalityFacts facts;
  // Payments' (the municipality's page only: payments are not per service).
  std::vector<PaymentCell> payments;
  std::vector<PaymentDelay> payment_delays;

  Figures Total() const { return Compute(cells, durations, &facts); }
  Figures Month(int64_t month) const {
    return Compute(OfMonth(cells, month), OfMonth(durations, month), &facts);
  }
  Complaints ComplaintsOf(const std::vector<int64_t>& months) const;
};

class Common {
 public:
  explicit Common(WebOptions o) : o_(std::move(o)) {}

  // service_id 0: every service.
  Result<Report> Load(const catalog::Municipality& m, int64_t service_id, int64_t now_ms) const;

  const i18n::Catalog& Msg() const { return *o_.site->catalog; }
  std::string Number(int64_t n, i18n::Lang lang) const { return i18n::FormatNumber(n, lang); }
  // "78%" / "٧٨٪"; the dash of "no data" when empty.
  std::string Percent(std::optional<double> share, i18n::Lang lang) const;
  std::string Days(std::optional<double> days, i18n::Lang lang) const;
  std::string Money(std::optional<int64_t> minor, const std::string& currency,
                    i18n::Lang lang) const;
  // "November 2026" / "تشرين الثاني ٢٠٢٦", and the short label under a chart's bar.
  std::string MonthName(int64_t month, i18n::Lang lang) const;
  std::string MonthShort(int64_t month, i18n::Lang lang) const;
  std::string Year(int64_t year, i18n::Lang lang) const;

  const WebOptions& o() const { return o_; }

 protected:
  WebOptions o_;
};

// Rendered bodies of pages that read only the ledger, reused until the ledger changes (and for
// at most ten seconds, for changes other programs folded).
uint64_t LedgerVersion(const Ledger& ledger, int64_t now_ms);

// Rendered bodies by key and version. When the version moved on, one request renders the new
// body while the others are answered with the previous one meanwhile (a render of a page over
// every municipality takes far longer than serving it), so no crowd of requests renders at once.
// Thread-safe.
class StaleWhileRendering {
 public:
  // The body for (key, version): the current one, else the previous one while another request
  // renders, else what render gives (stored when it succeeds).
  Result<std::shared_ptr<const std::string>> Get(
      const std::string& key, uint64_t version,
      const std::function<Result<std::shared_ptr<const std::string>>()>& render);

 private:
  struct Entry {
    uint64_t version = 0;
    std::shared_ptr<const std::string> body;
    bool rendering = false;
  };
  std::mutex mu_;
  std::condition_variable rendered_;  // a render finished
  std::map<std::string, Entry> entries_;
};

// Whether a request's path is one of the pages that render from the ledger (they run on the
// request pool, so that a render never holds the I/O thread).
bool RendersFromLedger(std::string_view path);

void AddPerformanceRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common);
void AddCompareRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common);
void AddStaffRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common);
void AddOpenDataRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common);
void AddMetrics(module::Web& web, std::shared_ptr<Common> common);

}  // namespace baladiya::analytics::internal
