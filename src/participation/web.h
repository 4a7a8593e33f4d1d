// participation on the web: the public pages of a municipality's processes and proposals, the
// residents' proposals, supports and comments, the admin and participation officer's pages that
// create and run a process, and the counter's identity check (pages.cpp, admin_pages.cpp).
#pragma once

#include <functional>
#include <memory>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "participation/participation.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::participation {

struct WebOptions {
  Store* store = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  identity::AccountStore* accounts = nullptr;
  const identity::WebServices* ids = nullptr;
  const render::Site* site = nullptr;
  std::function<http::Response(int, const http::Request&)> error_page;
  std::function<int64_t()> now_ms;
  std::function<void()> notified;  // after a transaction that queued notifications commits
  // Comments per account: a flood from one account is refused (429), the others unaffected.
  std::shared_ptr<identity::Quota> comment_quota;
};

// Public:     GET /m/{slug}/participate, /m/{slug}/participate/{process},
//             /m/{slug}/participate/{process}/proposals/{proposal}
// Signed in:  POST .../proposals (propose), .../proposals/{proposal}/support, .../comments
void AddPublicRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// kRunParticipation: /m/{slug}/admin/participation (list, create), /m/{slug}/admin/participation/
// {process} (phases, official answers). kFileOnBehalf: /m/{slug}/participation/verify (the
// counter proves a resident's identity from their ID card). /participation/admin and
// /participation/verify send staff to their municipality's page (the account page links them).
void AddStaffRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// Days since the epoch of a YYYY-MM-DD date, as UTC midnight in ms; nullopt when malformed.
std::optional<int64_t> ParseDay(std::string_view ymd);
// The YYYY-MM-DD of a UTC time.
std::string FormatDay(int64_t ms);

}  // namespace baladiya::participation
