// cases on the web: the public service catalogue and its search, applying one question page at a
// time without JavaScript (drafts, "check your answers", declaration, confirmation with a
// tracking number), the resident's applications, the public status lookup, and the back office
// (department queues and the case page with its allowed actions).
#pragma once

#include <functional>

#include "cases/cases.h"
#include "cases/filing.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "identity/web.h"
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

// A section another module adds to a case page (an invoice to pay, a certificate to download,
// the public record of a report): HTML it rendered from its own template, shown below the case's
// details; empty to show nothing for this case. An error (its store cannot be read) makes the
// page a 503, as the case's own reads would.
struct PanelRequest {
  const Case& c;
  const catalog::Service& service;
  const http::Request& req;  // the viewer (identity::PrincipalOf) and their anti-forgery token
  i18n::Lang lang;
};
using Panel = std::function<Result<std::string>(const PanelRequest&)>;

// What later modules add to the cases pages while the program is assembled (in their open
// phase; cases reads them when it adds its routes).
struct Extensions {
  // The duplicate check before filing a report and the nearby list when merging (Open311's
  // public record); unset: neither.
  NearbyFinder nearby;
  // Panels of the staff case page (/m/{slug}/cases/{tracking}) and of the applicant's
  // (/account/cases/{tracking}), in the order added.
  std::vector<Panel> staff_panels;
  std::vector<Panel> applicant_panels;
};

struct WebOptions {
  CaseStore* cases = nullptr;
  const Filing* filing = nullptr;  // every submission goes through it
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  // Reports filed at a point inside another municipality's area go there (catalog::RouteReport);
  // null: reports stay where they are filed.
  const catalog::BoundaryStore* boundaries = nullptr;
  identity::AccountStore* accounts = nullptr;
  db::Database* db = nullptr;                     // the working calendars
  identity::RateLimiter* track_limits = nullptr;  // wrong status lookups per IP
  int reopen_days = 30;              // how long after closing an applicant may reopen a case
  int draft_days = 30;               // how long a draft is kept after its last change
  audit::AuditLog* audit = nullptr;  // catalogue changes are audited
  const render::Site* site = nullptr;
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
  // Unset: no duplicate check before filing a report, and no nearby list when merging.
  NearbyFinder nearby;
  std::vector<Panel> staff_panels;      // Extensions::staff_panels
  std::vector<Panel> applicant_panels;  // Extensions::applicant_panels
  // Queues, inside the transaction that opens it, the SMS telling a caller that the counter
  // opened an account for them and how to take it over (set by the module from notify's outbox).
  // Unset: nothing is sent.
  std::function<Status(db::Tx&, int64_t account_id, int64_t municipality_id,
                       const std::string& lang)>
      tell_counter_opened;
};

// The pages: the public catalogue and status lookup, applying, the resident's cases, the
// counter, the back office, transfers and followed reports (web.cpp lists them by file).
void AddRoutes(identity::GuardedRoutes& routes, WebOptions options);
// The person's applications and followed reports in their data export, and their open
// applications on the account-closing page (identity::WebServices exporters, open_matters).
void AddExports(identity::WebServices& ids, WebOptions options);
// The JSON API (/api/v1/...), described by this module's OpenAPI fragment (openapi.json).
void AddApiRoutes(identity::GuardedRoutes& routes, WebOptions options);

}  // namespace baladiya::cases
