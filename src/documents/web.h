// The documents module on the web: the holder's and staff's document pages with the QR and the
// PDF, revocation by a department head, the panels on the case pages, /verify (a page and the
// JSON API), and the published key set and revocation list.
#pragma once

#include <functional>
#include <string>

#include "catalog/catalog.h"
#include "catalog/services.h"
#include "documents/documents.h"
#include "identity/access.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::documents {

struct WebOptions {
  DocumentStore* store = nullptr;
  KeyStore* keys = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  catalog::ServiceStore* services = nullptr;
  const render::Site* site = nullptr;
  std::string public_url;  // "https://baladiya.example": the QR's address; empty: relative
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
};

void AddRoutes(identity::GuardedRoutes& routes, const WebOptions& o);

// The address a document's QR opens: {public_url}/verify?code=<the code>, its Base45 characters
// kept as they are but for space ("+"), "%" and "+" (escaped).
std::string VerifyAddress(const std::string& public_url, const std::string& code);

// The case-page panel: the case's document, its standing and links (the holder's pages or
// staff's), empty when the case has none.
std::string Panel(const WebOptions& o, const Document& d, const http::Request& req, bool staff,
                  i18n::Lang lang);

}  // namespace baladiya::documents
