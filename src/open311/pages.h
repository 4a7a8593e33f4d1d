// open311's pages for people (the /open311/v2/ API is web.h):
//   GET  /m/{slug}/reports                          public: the municipality's reports, newest
//                                                   first, a page at a time, by category (the
//                                                   report service) and status (open, closed)
//   GET  /m/{slug}/reports/{tracking}               public: one report and its public history
//   GET  /m/{slug}/admin/open311-keys               kManageCatalog: the municipality's API keys
//   POST /m/{slug}/admin/open311-keys               issues a key (shown once)
//   GET  /m/{slug}/admin/open311-keys/{id:int}/revoke   asks to confirm a revocation
//   POST /m/{slug}/admin/open311-keys/{id:int}/revoke   revokes the key
// The public pages show only the public record (open311.h): never the sealed contact details,
// the case's answers, notes, actors or attachments.
#pragma once

#include <functional>

#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "open311/open311.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::open311 {

struct PageOptions {
  Store* store = nullptr;
  KeyStore* keys = nullptr;
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  identity::PasswordHasher* hasher = nullptr;  // for the integration account of a new key
  const render::Site* site = nullptr;
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
};

// Adds the routes above, each with its access rule.
void AddPageRoutes(identity::GuardedRoutes& routes, PageOptions options);

// The key pages alone (key_pages.cpp); AddPageRoutes adds them.
void AddKeyPageRoutes(identity::GuardedRoutes& routes, const PageOptions& options);

}  // namespace baladiya::open311
