// analytics on the web: the public performance pages (a municipality's and a service's), the
// public and the ministry's comparison of municipalities, the department heads' dashboard, the
// municipal administrator's page of master data, the open data files and their catalogue, the
// JSON API of the monthly figures, and the metrics of the headline figures.
#pragma once

#include <functional>
#include <string>

#include "analytics/analytics.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "platform/module/module.h"
#include "platform/render/page.h"

namespace baladiya::analytics {

struct WebOptions {
  Ledger* ledger = nullptr;
  MasterData* master = nullptr;
  cases::CaseStore* cases = nullptr;  // the dashboard's cases at risk and load per clerk
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  identity::AccountStore* accounts = nullptr;
  const render::Site* site = nullptr;
  std::string public_url;  // for the open data catalogue's absolute addresses
  std::function<int64_t()> now_ms;
  std::function<http::Response(int status, const http::Request&)> error_page;
};

// Adds every page and file route; web (may be null in tests of rules) gets the metrics gauges.
void AddRoutes(identity::GuardedRoutes& routes, module::Web* web, WebOptions options);

// `baladiya seed --demo`: the population, costs and licence of Hebron, Nablus and Ramallah, and a
// year of cases filed and worked through the case store's public functions, then folded.
Status SeedDemo(module::Context& ctx);

}  // namespace baladiya::analytics
