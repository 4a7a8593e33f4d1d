// The municipality's profile for its administrator (/m/{slug}/profile: names in both languages,
// address, phone, email, opening hours, website; shown on the municipality's public page), and
// the platform administrator's list of municipalities with the form that adds one
// (/admin/municipalities). Both linked from the staff home; changes audited
// (catalog/municipalities.h).
#pragma once

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

void AddProfilePages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                     catalog::TenancyStore& tenancy, db::Database& db);

}  // namespace baladiya::app
