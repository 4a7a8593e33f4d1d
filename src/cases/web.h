// cases on the web: the public service catalogue and its search, applying one question page at a
// time without JavaScript (drafts, "check your answers", declaration, confirmation with a
// tracking number), the resident's applications, the public status lookup, and the back office
// (department queues and the case page with its allowed actions).
#pragma once

#include <functional>

#include "cases/cases.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::cases {

// An open report of the same service near a place, as the duplicate check shows it (from the
// public record of reports, never the case's sealed answers).
struct NearbyReport {
  std::string tracking;
  std::string state;  // the workflow state
  int64_t submitted_at = 0;
  std::string description;  // as published
  double distance_m = 0;
};

// The duplicate check (wired by the app to Open311's public record, open311/web.h): the open
// reports of the service within 50 m of a location answer ("lat,lng"), nearest first, at most
// ten, leaving out the case exclude_case_id (0: none); empty for a location that is not
// coordinates.
using NearbyFinder = std::function<Result<std::vector<NearbyReport>>(
    const catalog::Service& service, const std::string& location, int64_t exclude_case_id)>;

// What later modules add to the cases pages while the program is assembled (in their open
// phase; cases reads them when it adds its routes).
struct Extensions {
  // The duplicate check before filing a report and the nearby list when merging (Open311's
  // public record); unset: neither.
  NearbyFinder nearby;
};

struct WebOptions {
  CaseStore* cases = nullptr;
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  // Reports filed at a point inside another municipality's area go there (catalog::RouteReport);
  // null: reports stay where they are filed.
  const catalog::BoundaryStore* boundaries = nullptr;
  identity::AccountStore* accounts = nullptr;
  db::Database* db = nullptr;                     // the working calendars
  identity::RateLimiter* track_limits = nullptr;  // wrong status lookups per IP
  int reopen_days = 30;              // how long after closing an applicant may reopen a case
  audit::AuditLog* audit = nullptr;  // catalogue changes are audited
  const render::Site* site = nullptr;
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
  // Unset: no duplicate check before filing a report, and no nearby list when merging.
  NearbyFinder nearby;
};

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options);
// The JSON API (/api/v1/...) and its OpenAPI document (/api/v1/openapi.json).
void AddApiRoutes(identity::GuardedRoutes& routes, WebOptions options);

// Transfer between municipalities (transfer_web.cpp): the page /m/{slug}/cases/{tracking}/transfer
// (GET, POST), added by AddRoutes.
void AddTransferRoutes(identity::GuardedRoutes& routes, WebOptions options);
// Department heads of the case's department and the municipality's admins may transfer a report.
bool MayTransfer(const identity::Principal& who, int64_t municipality_id, int64_t department_id);
// Where a report of `filed` with these answers goes by its location (catalog::RouteReport with
// the options' stores); nullopt when it stays, or when no boundaries are wired.
Result<std::optional<catalog::ReportRoute>> ReportRouteOf(const WebOptions& o,
                                                          const catalog::Service& filed,
                                                          const catalog::Answers& answers,
                                                          std::string_view channel);
// "This location is in {area}: your report will go to (done: went to) {municipality}".
std::string RoutedNotice(const i18n::Catalog& cat, i18n::Lang lang,
                         const catalog::ReportRoute& route, bool done);

// The confirmation's "This location is in {area}: your report went to {municipality}" for a case
// now in municipality_id.
std::string RoutedHereNotice(const WebOptions& o, i18n::Lang lang, int64_t municipality_id);
// A "transferred" event as history shows it (its comment is "<from slug>><to slug>").
std::string TransferredText(const WebOptions& o, i18n::Lang lang, std::string_view comment);

// The departments whose queues someone works in a municipality: empty when a grant lets them
// work the whole municipality's cases. Only grants whose role may work cases count.
std::vector<int64_t> WorkDepartments(const identity::Principal& who, int64_t municipality_id);

// The roles someone acts in on a case of this municipality and department: only grants that
// cover it (platform grants, the whole municipality, or that department).
std::vector<std::string> RolesFor(const identity::Principal& who, int64_t municipality_id,
                                  int64_t department_id);

// A service's workflow (its own, or the default one with the catalogue's labels).
Result<workflow::Workflow> WorkflowFor(const catalog::Service& s, const i18n::Catalog& catalog);
// The label of a state of the service's workflow in the language; the key itself when the
// workflow does not name it (or cannot be read).
std::string StateLabel(const catalog::Service& s, const std::string& state,
                       const i18n::Catalog& catalog, i18n::Lang lang);
// A municipality's working calendar as stored.
Result<workflow::Calendar> CalendarFor(catalog::ServiceStore& services, int64_t municipality_id);
// A stored file as a download (pages and API alike): never shown in our origin, the name as an
// RFC 5987 UTF-8 value, not cached, not sniffed.
http::Response FileDownload(Attachment a);

// The municipality's tracking-number prefix: the first three letters of its slug, in capitals.
std::string TrackingPrefix(std::string_view slug);

}  // namespace baladiya::cases
