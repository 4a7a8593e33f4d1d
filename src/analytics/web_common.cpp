// What the analytics pages share (web_internal.h), and the module's routes (web.h).
#include <cmath>

#include "analytics/web_internal.h"
#include "platform/i18n/money.h"
#include "workflow/services.h"

namespace baladiya::analytics {
namespace internal {

Complaints Report::ComplaintsOf(const std::vector<int64_t>& months) const {
  Complaints c;
  const std::set<int64_t> wanted(months.begin(), months.end());
  for (const auto& cell : cells) {
    if (!report_services.contains(cell.service_id) || !wanted.contains(cell.period)) continue;
    c.received += cell.counts.submitted;
    c.resolved += cell.counts.completed + cell.counts.rejected;
    c.merged += cell.counts.merged;
    c.reopened += cell.counts.reopened;
  }
  std::map<int, int64_t> histogram;
  for (const auto& d : durations) {
    if (report_services.contains(d.service_id) && wanted.contains(d.month)) {
      histogram[d.days] += d.cases;
    }
  }
  c.median_days = Quantile(histogram, 0.5);
  for (const auto& b : backlog) {
    if (report_services.contains(b.service_id)) c.open += b.open;
  }
  return c;
}

Result<Report> Common::Load(const catalog::Municipality& m, int64_t service_id,
                            int64_t now_ms) const {
  Report r;
  r.municipality = m;
  auto calendar = workflow::CalendarOf(*o_.services, m.id);
  if (!calendar.ok()) return std::move(calendar).error();
  r.period = LastTwelveMonths(now_ms, *calendar);
  auto cells = o_.ledger->Monthly(m.id, service_id, r.period.first_month, r.period.last_month);
  if (!cells.ok()) return std::move(cells).error();
  r.cells = std::move(*cells);
  auto durations =
      o_.ledger->Durations(m.id, service_id, r.period.first_month, r.period.last_month);
  if (!durations.ok()) return std::move(durations).error();
  r.durations = std::move(*durations);
  auto backlog = o_.ledger->BacklogNow(m.id, now_ms);
  if (!backlog.ok()) return std::move(backlog).error();
  for (const auto& b : *backlog) {
    if (service_id == 0 || b.service_id == service_id) r.backlog.push_back(b);
  }
  auto services = o_.services->Summaries(m.id);
  if (!services.ok()) return std::move(services).error();
  for (const auto& s : *services) {
    if (s.kind == catalog::ServiceKind::kReport) r.report_services.insert(s.id);
  }
  auto facts = o_.master->Get(m.id);
  if (!facts.ok()) return std::move(facts).error();
  r.facts = std::move(*facts);
  if (service_id == 0) {
    auto paid = o_.ledger->Payments(m.id, r.period.first_month, r.period.last_month);
    if (!paid.ok()) return std::move(paid).error();
    r.payments = std::move(*paid);
    auto delays = o_.ledger->PaymentDelays(m.id, r.period.first_month, r.period.last_month);
    if (!delays.ok()) return std::move(delays).error();
    r.payment_delays = std::move(*delays);
  }
  return r;
}

std::string Common::Percent(std::optional<double> share, i18n::Lang lang) const {
  if (!share) return Msg().Get(lang, "kpi.none");
  const auto pct = static_cast<int64_t>(std::lround(*share * 100.0));
  return Msg().Format(lang, "kpi.percent", {{"n", Number(pct, lang)}});
}

std::string Common::Days(std::optional<double> days, i18n::Lang lang) const {
  if (!days) return Msg().Get(lang, "kpi.none");
  return Number(static_cast<int64_t>(std::lround(*days)), lang);
}

std::string Common::Money(std::optional<int64_t> minor, const std::string& currency,
                          i18n::Lang lang) const {
  if (!minor) return Msg().Get(lang, "kpi.none");
  return i18n::FormatMoney(*minor, currency, lang);
}

std::string Common::Year(int64_t year, i18n::Lang lang) const {
  const std::string digits = std::to_string(year);
  return lang == i18n::Lang::kAr ? i18n::ToArabicIndicDigits(digits) : digits;
}

std::string Common::MonthName(int64_t month, i18n::Lang lang) const {
  return Msg().Get(lang, "kpi.month." + std::to_string(month % 100)) + " " +
         Year(month / 100, lang);
}

std::string Common::MonthShort(int64_t month, i18n::Lang lang) const {
  return Msg().Get(lang, "kpi.month_short." + std::to_string(month % 100));
}

uint64_t LedgerVersion(const Ledger& ledger, int64_t now_ms) {
  return ledger.Generation() * 1'000'003ULL + static_cast<uint64_t>(now_ms / 10'000);
}

Result<std::shared_ptr<const std::string>> StaleWhileRendering::Get(
    const std::string& key, uint64_t version,
    const std::function<Result<std::shared_ptr<const std::string>>()>& render) {
  {
    std::unique_lock lock(mu_);
    Entry& e = entries_[key];  // std::map: the reference stays valid while others insert
    if (e.body && e.version == version) return e.body;
    if (e.body && e.rendering) return e.body;  // someone renders the new one
    // The first render of a page: the others wait for it instead of rendering it all at once
    // (32 renders of every municipality's figures at once made each slower than the next).
    if (!e.body && e.rendering) {
      rendered_.wait(lock, [&] { return !e.rendering; });
      if (e.body && e.version >= version) return e.body;
    }
    e.rendering = true;
  }
  auto fresh = render();
  std::lock_guard lock(mu_);
  Entry& e = entries_[key];
  e.rendering = false;
  rendered_.notify_all();
  if (!fresh.ok()) return fresh;
  if (!e.body || e.version <= version) {
    e.body = *fresh;
    e.version = version;
  }
  return fresh;
}

bool RendersFromLedger(std::string_view path) {
  if (path == "/performance" || path == "/ministry/performance") return true;
  if (!path.starts_with("/m/")) return false;
  const size_t slash = path.find('/', 3);
  if (slash == std::string_view::npos) return false;
  const std::string_view rest = path.substr(slash);
  return rest.starts_with("/performance") || rest.starts_with("/open-data");
}

}  // namespace internal

void AddRoutes(identity::GuardedRoutes& routes, module::Web* web, WebOptions options) {
  auto common = std::make_shared<internal::Common>(std::move(options));
  internal::AddPerformanceRoutes(routes, common);
  internal::AddCompareRoutes(routes, common);
  internal::AddStaffRoutes(routes, common);
  internal::AddOpenDataRoutes(routes, common);
  if (web) {
    internal::AddMetrics(*web, common);
    web->offload.push_back(
        [](const http::Request& r) { return internal::RendersFromLedger(r.path); });
  }
}

}  // namespace baladiya::analytics
