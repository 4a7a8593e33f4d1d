// The cases module's pages, file by file (web_internal.h says which serves whom).
#include "cases/web.h"

#include "cases/follow_web.h"
#include "cases/web_internal.h"

namespace baladiya::cases {

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options) {
  AddRatingRoutes(routes, options);  // first: it adds a panel to the staff case page
  AddPublicRoutes(routes, options);
  AddApplyRoutes(routes, options);
  AddResidentRoutes(routes, options);
  AddCounterRoutes(routes, options);
  AddStaffRoutes(routes, options);
  AddTransferRoutes(routes, options);
  follow::AddFollowerRoutes(routes, options);
}

}  // namespace baladiya::cases
