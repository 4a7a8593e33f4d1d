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
#include "notify/notify.h"
#include "participation/participation.h"
#include "platform/http/http.h"
#include "platform/render/form.h"
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
  notify::Outbox* outbox = nullptr;  // SMS replies to ballots cast by SMS
  std::string sms_token;             // the gateway's bearer token (notify's sms-token)
  // Set by AddStaffRoutes: the admin's process page and the counter's page with a message (a
  // notice below 300, an alert otherwise) and status.
  std::function<http::Response(const http::Request&, const std::string& key, int status)>
      admin_process;
  std::function<http::Response(const http::Request&, const std::string& key, int status)>
      counter_page;
  // The participation admin page (the processes, organisations to verify) with a message.
  std::function<http::Response(const http::Request&, const std::string& key, int status)>
      admin_list;
};

// Where the SMS gateway posts the messages residents send (votes: "CODE 1 3").
inline constexpr std::string_view kSmsInboundPath = "/api/v1/participation/sms-inbound";

// Public:     GET /m/{slug}/participate, /m/{slug}/participate/{process},
//             /m/{slug}/participate/{process}/proposals/{proposal}
// Signed in:  POST .../proposals (propose), .../proposals/{proposal}/support, .../comments
void AddPublicRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// kRunParticipation: /m/{slug}/admin/participation (list, create), /m/{slug}/admin/participation/
// {process} (phases, official answers). kFileOnBehalf: /m/{slug}/participation/verify (the
// counter proves a resident's identity from their ID card). /participation/admin and
// /participation/verify send staff to their municipality's page (the account page links them).
// Fills options.admin_process and options.counter_page.
void AddStaffRoutes(identity::GuardedRoutes& routes, WebOptions& options);

// The vote page (GET; POST casts a ballot on the web), the counter's paper ballot
// (/m/{slug}/participation/counter-vote, kFileOnBehalf), creating a vote and publishing its
// results (kRunParticipation), and the SMS gateway's inbound messages (kSmsInboundPath, its
// bearer token). After AddStaffRoutes.
void AddVoteRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// GET /api/v1/municipalities/{slug}/participation/processes/{process} (api.cpp): public.
void AddApiRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// Recommendations (rec_pages.cpp): the public list on a process's page (with follow buttons for
// the signed in), the staff's forms on its admin page (flagging overdue milestones, the department
// head told once by email), and the routes: POST /m/{slug}/participate/{process}/
// recommendations/{rec}/follow (signed in); kRunParticipation: POST /m/{slug}/admin/participation/
// {process}/recommendations, .../{rec}/respond, .../{rec}/milestones, .../{rec}/milestones/{id}.
// After AddStaffRoutes.
Status FillPublicRecommendations(render::Dict& b, const WebOptions& o, const http::Request& req,
                                 const catalog::Municipality& m, const Process& p,
                                 const std::string& base);
Status FillAdminRecommendations(render::Dict& b, const WebOptions& o, const http::Request& req,
                                const catalog::Municipality& m, const Process& p,
                                const std::string& href);
void AddRecommendationRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// Meetings (meeting_pages.cpp): the list on a process's public page and on its admin page (with
// the form that makes one), and the routes: GET /m/{slug}/participate/{process}/meetings/{meeting}
// (public); POST .../register, .../cancel (signed in); kRunParticipation: POST /m/{slug}/admin/
// participation/{process}/meetings, GET .../meetings/{meeting} (the register), POST
// .../{meeting}/checkin/{registration}, .../walkin, .../minutes, .../recommendations.
Status FillPublicMeetings(render::Dict& b, const WebOptions& o, const http::Request& req,
                          const Process& p, const std::string& base);
Status FillAdminMeetings(render::Dict& b, const WebOptions& o, const http::Request& req,
                         const Process& p, const std::string& href);
void AddMeetingRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// Organisations (org_pages.cpp): GET /m/{slug}/participate/organisations (public; the register
// form for the signed in), POST the same (register), GET .../organisations/{org}, POST
// .../{org}/members (its administrators); kRunParticipation: POST /m/{slug}/admin/participation/
// organisations/{org}/verify. FillAdminOrganisations lists those to verify on the admin page;
// PostAsField adds "post as" (oneself or a verified organisation of one's) to a form. After
// AddStaffRoutes.
Status FillAdminOrganisations(render::Dict& b, const WebOptions& o, const http::Request& req,
                              const catalog::Municipality& m);
Status PostAsField(render::Form& form, const WebOptions& o, const http::Request& req,
                   const Process& p, const http::Params& values);
void AddOrganisationRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

// Days since the epoch of a YYYY-MM-DD date, as UTC midnight in ms; nullopt when malformed.
std::optional<int64_t> ParseDay(std::string_view ymd);
// The YYYY-MM-DD of a UTC time.
std::string FormatDay(int64_t ms);

}  // namespace baladiya::participation
