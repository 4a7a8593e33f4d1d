// The duplicate check, following and merging on the web (follow_web.cpp), as web.cpp's pages use
// them: the "open reports near this place" list on "check your answers", following one of them
// instead of filing, the merge form on the staff case page, and the follower's own pages.
// Internal to the cases module's web pages.
#pragma once

#include <string>

#include "cases/web.h"

namespace baladiya::cases::follow {

// The answer to the form's first location field, or empty.
std::string LocationAnswer(const catalog::FormSchema& form, const catalog::Answers& answers);

// On "check your answers" of a report whose location is coordinates: fills NEARBY with the open
// reports of the same service within 50 m, each with a "follow this report instead" form
// posting to the draft's /follow; error_key (when set) is shown in the page's error summary.
// A report the boundaries route to another municipality (routed_to: that municipality's
// matching service; null: it stays with `filed`) is checked against the reports there.
void AddNearby(render::Dict& body, const WebOptions& o, const http::Request& req,
               const Draft& draft, const catalog::Service& filed, const catalog::Service* routed_to,
               const std::string& error_key);

// POST /applications/{draft}/follow (tracking = the report): the draft's applicant follows an open
// report near the draft's place and the draft is deleted. Answers the confirmation (a redirect
// to the followed report's page for a resident; the page itself for a counter clerk), or the
// refusal (kInvalid "cases.follow_not_nearby" for a report not in the nearby list, and
// CaseStore::Follow's errors) for the caller to show on the check page.
Result<http::Response> FollowInstead(const WebOptions& o, const http::Request& req,
                                     const Draft& draft, const catalog::Service& filed,
                                     const catalog::Service* routed_to,
                                     const catalog::Municipality& m);

// On the staff case page of an open report, for staff who may work it: fills MERGE with the
// form that merges it into another open report (by tracking number), and the open reports of
// the service within 50 m as one-click choices.
void AddMergeForm(render::Dict& body, const WebOptions& o, const http::Request& req, const Case& c,
                  const catalog::Service& service, const std::string& href);

// POST /m/{slug}/cases/{tracking}/merge (version, into): CaseStore::Merge as the signed-in staff
// member; the merged case on success, the refusal for the caller to show on the case page.
Result<Case> MergeCase(const WebOptions& o, const http::Request& req, const Case& c);

// GET /account/followed (the reports the signed-in person follows) and
// GET /account/followed/{tracking} (one of them: what the public record shows).
void AddFollowerRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

}  // namespace baladiya::cases::follow
