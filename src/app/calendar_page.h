// The municipality's working calendar for its administrator (/m/{slug}/calendar): the public
// holidays SLAs skip, added and removed (audited). Joins catalog (the holidays) and identity.
#pragma once

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds GET and POST /m/{slug}/calendar and POST /m/{slug}/calendar/{day}/remove
// (kManageCatalog).
void AddCalendarPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                      catalog::TenancyStore& tenancy, db::Database& db);

}  // namespace baladiya::app
