// The staff home (/staff): where staff land after signing in, with links to the tools their
// roles open, municipality by municipality (the queue, the counter, the service admin, the staff
// page, the audit log, the KPI pages, the cashier...). It joins modules that do not know each
// other, so it lives in the app.
#pragma once

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds GET /staff (signed in; a resident gets 404, the page being of no use to them).
void AddStaffHome(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                  catalog::TenancyStore& tenancy);

}  // namespace baladiya::app
