// The analytics module as the program is built from it (platform/module/module.h): the ledger
// (folded by a worker every second), the master data of the figures, the performance pages, the
// ministry's comparison, the department heads' dashboard, open data, metrics, and `baladiya kpi`.
#include "platform/module/module.h"

#include <charconv>
#include <chrono>

#include "analytics/analytics.h"
#include "analytics/web.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/web.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> AnalyticsMessageFiles();
std::span<const baladiya::EmbeddedFile> AnalyticsTemplateFiles();
std::span<const baladiya::EmbeddedFile> AnalyticsOpenApiFiles();

namespace baladiya::analytics {

namespace {

Status Open(module::Context& ctx) {
  cases::CaseStore& cases = ctx.parts.Get<cases::CaseStore>();
  catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
  ctx.parts.Own(
      std::make_unique<Ledger>(ctx.db, CatalogSources(cases, services, *ctx.site.catalog)));
  ctx.parts.Own(std::make_unique<MasterData>(ctx.db));
  return Ok();
}

Status Routes(module::Context& ctx) {
  WebOptions o;
  o.ledger = &ctx.parts.Get<Ledger>();
  o.master = &ctx.parts.Get<MasterData>();
  o.cases = &ctx.parts.Get<cases::CaseStore>();
  o.services = &ctx.parts.Get<catalog::ServiceStore>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.accounts = &ctx.parts.Get<identity::AccountStore>();
  o.site = &ctx.site;
  o.public_url = ctx.settings.Text("public-url");
  o.now_ms = ctx.now_ms;
  auto error_page = ctx.web->error_page;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.account_links.push_back(
      {"kpi.ministry.link", "/ministry/performance", [](const identity::Principal& p) {
         return identity::Allowed(p, identity::Permission::kReadAcrossMunicipalities, 0);
       }});
  // A department head's account page links the dashboard of their municipality.
  ids.account_links.push_back(
      {"kpi.dashboard.link", "/staff/kpi", [](const identity::Principal& p) {
         for (const auto& g : p.grants) {
           if (g.municipality_id != 0 &&
               identity::AllowedSomewhere(p, identity::Permission::kManageDepartment,
                                          g.municipality_id)) {
             return true;
           }
         }
         return false;
       }});
  AddRoutes(ctx.parts.Get<identity::GuardedRoutes>(), ctx.web, std::move(o));
  return Ok();
}

// Every second: fold what the feeds hold past the cursors (in batches of 2,000 entries).
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  Ledger& ledger = ctx.parts.Get<Ledger>();
  auto now = ctx.now_ms;
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(module::Every("kpi ledger", std::chrono::seconds(1), [&ledger, now] {
    auto n = ledger.CatchUp(now());
    if (!n.ok()) {
      std::fprintf(stderr, "baladiya: the KPI ledger could not fold the feeds: %s\n",
                   n.error().detail.c_str());
    }
  }));
  return out;
}

bool ParseInt(std::string_view text, int64_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && ec == std::errc() && p == text.data() + text.size();
}

constexpr const char* kUsage =
    "usage: baladiya kpi rebuild | catch-up | show --municipality SLUG | set --municipality SLUG "
    "[--population N --source TEXT --year YYYY] [--licence SPDX] [--currency ILS|JOD] "
    "[--cost CHANNEL=MINOR]...";

int KpiCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.empty()) return module::Fail(kUsage);
  Ledger& ledger = ctx.parts.Get<Ledger>();
  const std::string& action = args[0];
  if (action == "rebuild" || action == "catch-up") {
    if (args.size() != 1) return module::Fail(kUsage);
    const auto start = std::chrono::steady_clock::now();
    auto n = action == "rebuild" ? ledger.Rebuild(ctx.now_ms())
                                 : ledger.CatchUp(ctx.now_ms(), 5000, 1'000'000);
    if (!n.ok()) return module::Fail(n.error());
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("KPI ledger %s: %lld feed entries folded in %.2f s\n",
                action == "rebuild" ? "rebuilt" : "caught up", static_cast<long long>(*n), seconds);
    return 0;
  }
  if (action != "set" && action != "show") return module::Fail(kUsage);
  std::string slug;
  MunicipalityFacts changes;
  bool population = false, licence = false, currency = false;
  std::map<std::string, int64_t> costs;
  for (size_t i = 1; i < args.size(); i += 2) {
    if (i + 1 >= args.size()) return module::Fail(kUsage);
    const std::string& k = args[i];
    const std::string& v = args[i + 1];
    if (k == "--municipality") {
      slug = v;
    } else if (action == "set" && k == "--population") {
      if (!ParseInt(v, changes.population)) return module::Fail("--population needs a number");
      population = true;
    } else if (action == "set" && k == "--source") {
      changes.population_source = v;
    } else if (action == "set" && k == "--year") {
      int64_t y = 0;
      if (!ParseInt(v, y)) return module::Fail("--year needs a year");
      changes.population_year = static_cast<int>(y);
    } else if (action == "set" && k == "--licence") {
      changes.licence = v;
      licence = true;
    } else if (action == "set" && k == "--currency") {
      changes.currency = v;
      currency = true;
    } else if (action == "set" && k == "--cost") {
      const size_t eq = v.find('=');
      int64_t minor = 0;
      if (eq == std::string::npos || !ParseInt(v.substr(eq + 1), minor)) {
        return module::Fail("--cost needs CHANNEL=MINOR_UNITS (e.g. counter=1500)");
      }
      costs[v.substr(0, eq)] = minor;
    } else {
      return module::Fail(kUsage);
    }
  }
  if (slug.empty()) return module::Fail("kpi " + action + " needs --municipality");
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(slug);
  if (!m.ok()) return module::Fail("no municipality '" + slug + "'");
  MasterData& master = ctx.parts.Get<MasterData>();
  auto facts = master.Get(m->id);
  if (!facts.ok()) return module::Fail(facts.error());
  if (action == "set") {
    if (population) {
      facts->population = changes.population;
      facts->population_source = changes.population_source;
      facts->population_year = changes.population_year;
    }
    if (licence) facts->licence = changes.licence;
    if (currency) facts->currency = changes.currency;
    for (const auto& [ch, v] : costs) facts->cost_minor[ch] = v;
    if (Status st = master.Set(*facts, ctx.now_ms()); !st.ok()) {
      std::string what;
      for (const auto& p : st.error().problems) what += " " + PathText(p.path) + ": " + p.key;
      return module::Fail("refused:" + what);
    }
  }
  std::printf("%s: population %lld (%s, %d), licence %s, currency %s\n", slug.c_str(),
              static_cast<long long>(facts->population), facts->population_source.c_str(),
              facts->population_year, facts->licence.c_str(), facts->currency.c_str());
  for (const auto& [ch, v] : facts->cost_minor) {
    std::printf("  cost per transaction, %s: %lld\n", ch.c_str(), static_cast<long long>(v));
  }
  return 0;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "analytics";
  m.migrations = Migrations;
  m.messages = AnalyticsMessageFiles;
  m.templates = AnalyticsTemplateFiles;
  m.openapi = AnalyticsOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.workers = Workers;
  m.seed_demo = SeedDemo;
  m.commands = {{"kpi",
                 "  kpi rebuild                recompute the KPI ledger from every feed\n"
                 "  kpi catch-up               fold what the feeds hold past the ledger's cursors\n"
                 "  kpi show --municipality SLUG\n"
                 "                           the municipality's population, costs and licence\n"
                 "  kpi set --municipality SLUG [--population N --source TEXT --year YYYY]\n"
                 "          [--licence SPDX] [--currency ILS|JOD] [--cost CHANNEL=MINOR]...\n"
                 "                           keep the master data of the figures\n",
                 KpiCommand}};
  return m;
}

}  // namespace baladiya::analytics
