// The auditor's reading of the audit log (/m/{slug}/audit): entries in the reader's language with
// the date and time in the municipality's zone, staff named (residents stay pseudonymous), whole
// subjects linked to their records, before/after values, filters by date range, person, case,
// service and action (a GET form), paging, and the filtered view as CSV (/m/{slug}/audit/export).
// Joins audit, identity (staff names) and catalog (services, the municipality's time zone).
#pragma once

#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/web.h"

namespace baladiya::app {

// Adds GET /m/{slug}/audit and /m/{slug}/audit/export (both kReadAuditLog).
void AddAuditPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                   catalog::TenancyStore& tenancy, catalog::ServiceStore& services);

// A CSV cell: quoted, inner quotes doubled, and a leading '=', '+', '-', '@', tab or carriage
// return defused with an apostrophe so that spreadsheets do not run it as a formula.
std::string CsvCell(std::string_view value);

}  // namespace baladiya::app
