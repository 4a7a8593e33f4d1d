// Open311 GeoReport v2 on the web, under /open311/v2/, in XML and JSON (the format is the
// resource's extension):
//   GET  discovery.{fmt}                     endpoints, formats, how to get a key
//   GET  services.{fmt}                      the services Open311 offers (open311.h)
//   GET  services/{service_code}.{fmt}       a service's attributes, from its form
//   POST requests.{fmt}                      a report, filed as a case (api_key required)
//   GET  requests.{fmt}                      reports by id list, service, dates, status; paging
//   GET  requests/{service_request_id}.{fmt} one report
//   GET  tokens/{token}.{fmt}                404: requests get their id at once (type realtime)
//   GET  servicerequestupdates.{fmt}         state changes (mySociety's extension)
//   POST servicerequestupdates.{fmt}         a client's update to a report (api_key required)
// jurisdiction_id is a municipality's slug; it may be left out only while the platform holds one
// municipality. Names and messages come in the request's language: ?lang=, else
// Accept-Language, else Arabic. Errors are the specification's list of {code, description} with
// status 400, 403 (api_key) or 404. Every route is public: writes authenticate by api_key, and no
// handler acts on a session.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cases/cases.h"
#include "cases/filing.h"
#include "cases/web.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "open311/open311.h"
#include "platform/http/http.h"
#include "platform/i18n/locale.h"

namespace baladiya::open311 {

struct WebOptions {
  Store* store = nullptr;
  KeyStore* keys = nullptr;
  cases::CaseStore* cases = nullptr;
  const cases::Filing* filing = nullptr;  // reports are filed through it
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  // A report at a point inside another municipality's area is filed there (catalog::RouteReport);
  // null: where its jurisdiction_id says.
  const catalog::BoundaryStore* boundaries = nullptr;
  db::Database* db = nullptr;  // the working calendars
  const i18n::Catalog* messages = nullptr;
  // Where clients reach the platform ("https://baladiya.example.ps"), for discovery's endpoint
  // URL; empty: the path alone (the request's Host is never echoed).
  std::string public_url;
  std::function<int64_t()> now_ms;
};

inline constexpr std::string_view kBasePath = "/open311/v2";

// Whether the path is one of the lists (GET requests and servicerequestupdates), which take
// long enough to render (up to 1,000 records) to belong on the request pool, not the I/O thread.
bool RendersLists(std::string_view path);

// Adds the routes above (all with Access::Public()).
void AddRoutes(identity::GuardedRoutes& routes, WebOptions options);

// The duplicate check cases' pages run before a report is filed and when staff merge one
// (cases::WebOptions::nearby): the open reports of the service in its municipality within
// kDuplicateRadiusMetres of a "lat,lng" location answer, nearest first, at most kDuplicateLimit,
// read from the public record (duplicates.cpp). store must outlive the function.
cases::NearbyFinder DuplicateCheck(Store& store);

}  // namespace baladiya::open311
