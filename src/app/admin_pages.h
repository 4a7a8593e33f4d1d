// The municipality's back-office pages that join modules: staff and roles (identity + catalog's
// departments) and the audit log browser (audit + catalog). Each route is guarded by a
// permission in the municipality of its {slug}.
#pragma once

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds /m/{slug}/staff (kManageStaff) and /m/{slug}/residents (kFileOnBehalf); the audit log
// is in audit_page.h.
void AddAdminRoutes(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                    catalog::TenancyStore& tenancy, db::Database& db);

}  // namespace baladiya::app
