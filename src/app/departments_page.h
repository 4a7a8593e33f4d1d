// The municipality's departments for its administrator (/m/{slug}/departments): listed, added and
// renamed with their contacts (audited, with names before and after). Joins catalog (the
// departments) and identity.
#pragma once

#include "cases/cases.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds GET and POST /m/{slug}/departments and GET and POST /m/{slug}/departments/{dept}
// (kManageCatalog).
// services and cases: what keeps a department from being disabled (its live services, its open
// cases), named and linked on the refusal.
void AddDepartmentPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                        catalog::TenancyStore& tenancy, db::Database& db,
                        catalog::ServiceStore& services, cases::CaseStore& cases);

}  // namespace baladiya::app
