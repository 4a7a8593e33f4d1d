// The municipality's departments for its administrator (/m/{slug}/departments): listed, added and
// renamed with their contacts (audited, with names before and after). Joins catalog (the
// departments) and identity.
#pragma once

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds GET and POST /m/{slug}/departments and GET and POST /m/{slug}/departments/{dept}
// (kManageCatalog).
void AddDepartmentPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                        catalog::TenancyStore& tenancy, db::Database& db);

}  // namespace baladiya::app
