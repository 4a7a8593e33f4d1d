// Master data of the figures (analytics.h MasterData): population, cost per channel, licence.
#include <algorithm>

#include "analytics/analytics.h"
#include "platform/i18n/money.h"

namespace baladiya::analytics {

const std::vector<std::string>& Licences() {
  static const std::vector<std::string> kLicences = {"CC-BY-4.0", "CC0-1.0", "ODbL-1.0",
                                                     "CC-BY-SA-4.0"};
  return kLicences;
}

std::string LicenceUrl(std::string_view spdx) {
  if (spdx == "CC-BY-4.0") return "https://creativecommons.org/licenses/by/4.0/";
  if (spdx == "CC0-1.0") return "https://creativecommons.org/publicdomain/zero/1.0/";
  if (spdx == "ODbL-1.0") return "https://opendatacommons.org/licenses/odbl/1-0/";
  if (spdx == "CC-BY-SA-4.0") return "https://creativecommons.org/licenses/by-sa/4.0/";
  return "";
}

std::string LicenceKey(std::string_view spdx) {
  if (spdx == "CC0-1.0") return "kpi.licence.cc0_1";
  if (spdx == "ODbL-1.0") return "kpi.licence.odbl_1";
  if (spdx == "CC-BY-SA-4.0") return "kpi.licence.cc_by_sa_4";
  return "kpi.licence.cc_by_4";
}

namespace {

Result<std::vector<MunicipalityFacts>> Load(db::Database& db, int64_t municipality_id) {
  auto rows = db.Query(
      "SELECT municipality_id, population, population_source, population_year, currency, "
      "licence, updated_at FROM kpi_municipality WHERE (? = 0 OR municipality_id = ?) "
      "ORDER BY municipality_id",
      {municipality_id, municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  auto costs = db.Query(
      "SELECT municipality_id, channel, cost_minor FROM kpi_channel_costs "
      "WHERE (? = 0 OR municipality_id = ?)",
      {municipality_id, municipality_id});
  if (!costs.ok()) return std::move(costs).error();
  std::vector<MunicipalityFacts> out;
  for (const auto& r : *rows) {
    MunicipalityFacts f;
    f.municipality_id = r.Int(0);
    f.population = r.Int(1);
    f.population_source = r.Text(2);
    f.population_year = static_cast<int>(r.Int(3));
    f.currency = r.Text(4);
    f.licence = r.Text(5);
    f.updated_at = r.Int(6);
    for (const auto& c : *costs) {
      if (c.Int(0) == f.municipality_id) f.cost_minor[c.Text(1)] = c.Int(2);
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

Result<MunicipalityFacts> MasterData::Get(int64_t municipality_id) {
  auto all = Load(db_, municipality_id);
  if (!all.ok()) return std::move(all).error();
  if (all->empty()) {
    MunicipalityFacts f;
    f.municipality_id = municipality_id;
    return f;
  }
  return std::move(all->front());
}

Result<std::vector<MunicipalityFacts>> MasterData::All() { return Load(db_, 0); }

Status MasterData::Set(const MunicipalityFacts& f, int64_t now_ms) {
  std::vector<Problem> problems;
  if (f.population < 0 || f.population > 100'000'000) {
    problems.push_back({{"population"}, "kpi.problem.population", {}});
  }
  if (f.population > 0 && f.population_source.empty()) {
    problems.push_back({{"population_source"}, "kpi.problem.population_source", {}});
  }
  if (f.population_source.size() > 200) {
    problems.push_back({{"population_source"}, "kpi.problem.too_long", {{"max", "200"}}});
  }
  if (f.population > 0 && (f.population_year < 1900 || f.population_year > 2100)) {
    problems.push_back({{"population_year"}, "kpi.problem.population_year", {}});
  }
  if (std::find(Licences().begin(), Licences().end(), f.licence) == Licences().end()) {
    problems.push_back({{"licence"}, "kpi.problem.licence", {}});
  }
  if (f.currency != "ILS" && f.currency != "JOD") {
    problems.push_back({{"currency"}, "kpi.problem.currency", {}});
  }
  for (const auto& [channel, cost] : f.cost_minor) {
    if (std::find(Channels().begin(), Channels().end(), channel) == Channels().end()) {
      problems.push_back({{"cost", channel}, "kpi.problem.channel", {{"channel", channel}}});
    } else if (cost < 0 || cost > 100'000'000) {
      problems.push_back({{"cost", channel}, "kpi.problem.cost", {{"channel", channel}}});
    }
  }
  if (!problems.empty()) {
    Error e = MakeError(ErrorCode::kInvalid, "kpi.invalid", "master data refused");
    e.problems = std::move(problems);
    return e;
  }
  return db_.Write([&](db::Tx& tx) -> Status {
    auto up = tx.Exec(
        "INSERT INTO kpi_municipality (municipality_id, population, population_source, "
        "population_year, currency, licence, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (municipality_id) DO UPDATE SET population = excluded.population, "
        "population_source = excluded.population_source, population_year = "
        "excluded.population_year, currency = excluded.currency, licence = excluded.licence, "
        "updated_at = excluded.updated_at",
        {f.municipality_id, f.population, f.population_source, int64_t{f.population_year},
         f.currency, f.licence, now_ms});
    if (!up.ok()) return std::move(up).error();
    auto gone =
        tx.Exec("DELETE FROM kpi_channel_costs WHERE municipality_id = ?", {f.municipality_id});
    if (!gone.ok()) return std::move(gone).error();
    for (const auto& [channel, cost] : f.cost_minor) {
      auto in = tx.Exec(
          "INSERT INTO kpi_channel_costs (municipality_id, channel, cost_minor) VALUES (?, ?, ?)",
          {f.municipality_id, channel, cost});
      if (!in.ok()) return std::move(in).error();
    }
    return Ok();
  });
}

}  // namespace baladiya::analytics

#include "workflow/services.h"

namespace baladiya::analytics {

Sources CatalogSources(cases::CaseStore& cases, catalog::ServiceStore& services,
                       const i18n::Catalog& messages) {
  struct Cache {
    std::mutex mu;
    std::map<int64_t, std::pair<int64_t, ServiceFacts>> by_service;  // version, facts
  };
  auto cache = std::make_shared<Cache>();
  Sources s;
  s.cases = &cases;
  s.service = [&services, &messages, cache](int64_t id) -> Result<ServiceFacts> {
    auto svc = services.Get(id);
    if (!svc.ok()) return std::move(svc).error();
    {
      std::lock_guard lock(cache->mu);
      auto it = cache->by_service.find(id);
      if (it != cache->by_service.end() && it->second.first == svc->version) {
        return it->second.second;
      }
    }
    auto wf = workflow::ForService(*svc, messages);
    if (!wf.ok()) return MakeError(ErrorCode::kNotFound, "error.not_found", "workflow unreadable");
    ServiceFacts f;
    f.report = svc->kind == catalog::ServiceKind::kReport;
    f.sla_days = svc->sla_days;
    for (const auto& st : wf->states) {
      if (st.final) f.outcomes[st.key] = workflow::OutcomeOf(st);
      if (!st.municipality_acts) f.waiting_states.insert(st.key);
    }
    std::lock_guard lock(cache->mu);
    cache->by_service[id] = {svc->version, f};
    return f;
  };
  s.calendar = [&services](int64_t municipality_id) {
    return workflow::CalendarOf(services, municipality_id);
  };
  return s;
}

}  // namespace baladiya::analytics
