#include "app/modules.h"

#include "analytics/analytics.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "documents/documents.h"
#include "editor/editor.h"
#include "identity/identity.h"
#include "interop/interop.h"
#include "notify/delivery.h"
#include "open311/open311.h"
#include "participation/participation.h"
#include "payments/payments.h"
#include "workflow/workflow.h"

namespace baladiya::app {

std::vector<module::Module> Modules() {
  return {
      audit::Module(),         identity::Module(),
      notify::Module(),        catalog::Module(),
      workflow::Module(),      cases::Module(),
      editor::Module(),        open311::Module(),
      payments::Module(),      documents::Module(),
      analytics::Module(),     interop::Module(),
      participation::Module(), Shell(),
  };
}

module::HostOptions HostOptionsFor(const Config& c) {
  module::HostOptions o;
  o.database.url = c.database;
  o.database.synchronous = c.synchronous;
  o.database.read_pool_size = c.db_pool;
  o.key_file = c.key_file;
  o.settings = SettingsOf(c);
  return o;
}

module::WebOptions WebOptionsFor(const Config& c) {
  module::WebOptions o;
  o.hsts = c.hsts;
  o.trust_proxy = c.trust_proxy;
  o.trusted_proxies = *http::TrustedProxies::Parse(c.trusted_proxies);  // checked when loaded
  o.metrics_token = c.metrics_token;
  o.map = {c.map_tiles_url, c.map_attribution, {}};
  render::ParseCentres(c.map_centres, &o.map.centres);  // checked when the settings were loaded
  return o;
}

}  // namespace baladiya::app
