// The municipal admin's no-code service editor, server-rendered and working without JavaScript:
// a service's bilingual details, fee and documents, what it still lacks in either language and
// publishing (editor_service.cpp); its form's pages and fields (editor_form.cpp); its
// workflow's states and transitions (editor_workflow.cpp); what they share (editor.cpp). Every
// change is one POST checked against the service's version (a stale page gets 409), validated
// with the catalogue's and the workflow's own rules (a refused change is shown with its reason,
// 422, and nothing is stored), and saved in one transaction with its audit entry. Every route
// needs Permission::kManageCatalog.
#pragma once

#include "cases/web.h"
#include "identity/access.h"

namespace baladiya::cases {

// Adds the editor's routes under /m/{slug}/admin/services/.
void AddEditorRoutes(identity::GuardedRoutes& routes, const WebOptions& options);

}  // namespace baladiya::cases
