// editor: the municipal admin's no-code service editor, server-rendered and working without
// JavaScript: the list of a municipality's services with what each still lacks and publishing
// (services.cpp); a service's bilingual details, fee and documents (service.cpp); its form's
// pages and fields (form.cpp); its workflow's states and transitions (workflow.cpp); what they
// share (editor.cpp, internal.h). Every change is one POST checked against the service's version
// (a stale page gets 409), validated with the catalogue's and the workflow's own rules (a refused
// change is shown with the validators' problems in the admin's language, linked to the input at
// fault, 422, and nothing is stored), and saved in one transaction with its audit entry. Every
// route needs Permission::kManageCatalog.
//
// The editor sits beside cases (it edits catalog::Service, checked by catalog and workflow) and
// needs one thing of the cases filed against a service; it says what through OpenCases, which
// the program fills in when it is assembled.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "platform/db/database.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::editor {

// What the editor needs of the cases filed against a service.
struct OpenCases {
  // How many open cases of the service are in any of `states`, in the caller's transaction (a
  // changed workflow may not drop a state open cases are in, and the check commits with the
  // change). Unset: none are (a program without cases).
  std::function<Result<int64_t>(db::Tx& tx, int64_t service_id,
                                const std::vector<std::string>& states)>
      in_states;
};

// Links other modules add to the services list page (Open311's API keys, ...): a message key for
// the link's text and the path after /m/{slug}/ it leads to.
struct AdminLink {
  std::string label_key;
  std::string path;  // "admin/open311-keys"
};

// What other modules add to the editor while the program is assembled (in their open phase).
struct Extensions {
  OpenCases open_cases;
  std::vector<AdminLink> links;
};

struct Options {
  catalog::ServiceStore* services = nullptr;
  catalog::TenancyStore* tenancy = nullptr;
  audit::AuditLog* audit = nullptr;  // every change is audited
  const OpenCases* open_cases = nullptr;
  // The municipality's disabled departments (catalog/departments.h), left out of the choice of a
  // service's department; unset: none.
  std::function<std::set<int64_t>(int64_t municipality_id)> disabled_departments;
  std::vector<AdminLink> links;
  const render::Site* site = nullptr;
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
  // The name of a member of the municipality's staff by pseudonym, in the language (empty when
  // unknown or unset): who started and published a version.
  std::function<std::string(int64_t municipality_id, const std::string& pseudonym, i18n::Lang)>
      staff_name;
};

// Adds the editor's routes under /m/{slug}/admin/services.
void AddRoutes(identity::GuardedRoutes& routes, const Options& options);

// The editor module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::editor
