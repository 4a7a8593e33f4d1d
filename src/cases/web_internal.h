// What the cases pages share (internal to the cases module): PageBase, the base of each
// audience's pages, with the case page that staff and applicants both see (case_page.cpp) and
// the helpers every page uses (web_common.cpp); the routes of each file of pages, which web.cpp
// adds. The files and who they serve:
//   web_public.cpp    the catalogue, a service's page, the status lookup (anyone)
//   web_apply.cpp     applying question by question, checking and submitting (a resident, or a
//                     counter clerk on their behalf)
//   web_resident.cpp  the resident's cases: answering, rating, reopening, their files
//   web_counter.cpp   the counter: starting an application for a resident who is present
//   web_staff.cpp     the back office: queues, the staff case page and its actions
//   transfer_web.cpp  moving a report to another municipality (staff)
//   follow_web.cpp    the duplicate check, following reports instead, merging (follow_web.h)
// Each depends on this header and on nothing of the others but follow_web.h (applying offers
// to follow a report near) and transfer_web.cpp's texts (case_page.cpp shows them).
#pragma once

#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/web.h"
#include "catalog/page.h"
#include "identity/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/numbers.h"
#include "workflow/services.h"

namespace baladiya::cases {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;
using identity::PrincipalOf;

// A whole number, or fallback.
inline int64_t ToInt(std::string_view s, int64_t fallback = 0) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

// Department heads of the case's department and the municipality's admins may transfer a report.
bool MayTransfer(const identity::Principal& who, int64_t municipality_id, int64_t department_id);
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

// A stored file as a download (pages and API alike): never shown in our origin, the name as an
// RFC 5987 UTF-8 value, not cached, not sniffed.
http::Response FileDownload(Attachment a);

// The base of every audience's pages: the options, and what their pages share.
class PageBase {
 public:
  explicit PageBase(WebOptions o) : o_(std::move(o)) {}

 protected:
  struct DraftContext {
    Draft draft;
    catalog::Service service;
    catalog::Municipality municipality;
  };

  const i18n::Catalog& Cat() const { return *o_.site->catalog; }

  // The municipality of the {slug} path parameter: kNotFound for none, kUnavailable when the
  // directory cannot be read.
  Result<catalog::Municipality> Municipality(const Request& req) const {
    return catalog::MunicipalityOf(*o_.tenancy, req);
  }

  // The error page of a failed lookup: 404 for what is not there (or not the viewer's), 503
  // with Retry-After when storage is down (never a 404), 500 for a bug (docs/DEVELOPING.md).
  Response Fail(const Error& e, const Request& req) const {
    return o_.error_page(http::StatusOf(e.code), req);
  }
  // What a lookup of someone else's record answers: as if it did not exist.
  static Error NotYours() { return MakeError(ErrorCode::kNotFound, "error.not_found"); }

  render::Page SitePage(const Request& req, const catalog::Municipality& m, const char* tpl,
                        const std::string& href, const char* title_key) {
    return catalog::MunicipalityPage(*o_.site, req, m, tpl, href,
                                     Cat().Get(render::RequestLang(req), title_key));
  }

  std::string CategoryName(const std::string& category, i18n::Lang lang) const {
    const std::string key = "services.category." + category;
    return Cat().Has(lang, key) ? Cat().Get(lang, key) : category;
  }

  std::string FeeText(const catalog::Service& s, i18n::Lang lang) const {
    if (s.fee.base_minor == 0 && s.fee.rules.empty()) return Cat().Get(lang, "services.free");
    std::string text = i18n::FormatMoney(s.fee.base_minor, s.fee.currency, lang);
    if (!s.fee.rules.empty()) text += " " + Cat().Get(lang, "services.fee_varies");
    return text;
  }

  Result<workflow::Workflow> WorkflowOf(const catalog::Service& s) const {
    return workflow::ForService(s, Cat());
  }

  Result<workflow::Calendar> CalendarOf(int64_t municipality_id) const {
    return workflow::CalendarOf(*o_.services, municipality_id);
  }

  std::string StateLabel(const catalog::Service& s, const std::string& state,
                         i18n::Lang lang) const {
    return workflow::StateLabel(s, state, Cat(), lang);
  }

  static std::string DraftHref(const Draft& d) { return "/applications/" + std::to_string(d.id); }

  std::string SizeText(int64_t bytes, i18n::Lang lang) const {
    const int64_t kb = (bytes + 1023) / 1024;
    return Cat().Format(lang, "apply.size_kb", {{"kb", i18n::FormatNumber(kb, lang)}});
  }

  Actor ActorOf(const Request& req, int64_t municipality, int64_t department) const {
    const identity::Principal& who = PrincipalOf(req);
    return {who.account_id, who.pseudonym, RolesFor(who, municipality, department), "web",
            req.request_id};
  }

  static int StatusOf(const Error& e) { return http::StatusOf(e.code); }

  // StateLabel with the service's workflow built once per page (a queue shows many cases of
  // few services).
  std::string StateLabelCached(const catalog::Service& s, const std::string& state, i18n::Lang lang,
                               std::map<int64_t, std::optional<workflow::Workflow>>& flows) const;
  Result<DraftContext> LoadDraft(const Request& req);
  Response DraftDone(const Request&, const DraftContext& ctx);
  // File answers name attachments: shown by their file names.
  std::string AnswerText(const catalog::Field& f, const std::vector<std::string>& values,
                         i18n::Lang lang, const std::vector<Attachment>* files = nullptr) const;
  // The case of the {tracking} path parameter when the signed-in person applied for it.
  Result<Case> ApplicantCase(const Request& req);
  Result<Case> StaffCaseOf(const Request& req);
  Response SendFile(const Request& req, const Case& c);
  Response Act(Request& req, const Case& c, const std::vector<std::string>& roles, bool staff);
  // The case page; on the staff page `unmasked` (read by UnmaskFor for this request) shows its
  // `unmask_field` in full.
  Response ShowCase(Request& req, bool staff, const std::string& error_key, int status,
                    std::string_view unmask_field = {},
                    const identity::Account* unmasked = nullptr);
  // The staff case page's applicant (name; national ID and phone masked until shown; the phone
  // is the call-back number of a report) and the head's assignment forms.
  void AddApplicant(render::Dict& b, const Request& req, const Case& c, const catalog::Service& s,
                    const std::string& href, std::string_view unmask_field,
                    const identity::Account* unmasked);
  void AddAssignment(render::Dict& actions, const Request& req, const Case& c,
                     const std::string& href);
  // A member of staff by name in the page's language, with their username.
  std::string StaffName(int64_t account_id, i18n::Lang lang) const;
  // The active staff who may work cases of the department, for assigning one of them.
  Result<std::vector<identity::Account>> DepartmentStaff(int64_t municipality_id,
                                                         int64_t department_id) const;

  WebOptions o_;
};

// The routes of each file of pages (web.cpp adds them all).
void AddPublicRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
void AddApplyRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
void AddResidentRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
void AddCounterRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
void AddStaffRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
// Transfer between municipalities: /m/{slug}/cases/{tracking}/transfer (GET, POST).
void AddTransferRoutes(identity::GuardedRoutes& routes, const WebOptions& options);
// Ratings for staff (ratings_web.cpp): the pages, and the staff case page's rating panel, which
// it adds to options.
void AddRatingRoutes(identity::GuardedRoutes& routes, WebOptions& options);

}  // namespace baladiya::cases
