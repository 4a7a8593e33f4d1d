// A service's workflow and its municipality's calendar and tracking prefix, as cases, the editor
// and Open311 all need them (workflow.h holds the rules themselves).
#pragma once

#include <string>
#include <string_view>

#include "catalog/services.h"
#include "platform/i18n/locale.h"
#include "workflow/workflow.h"

namespace baladiya::workflow {

// The service's own workflow, or the default one with the catalogue's wording. kInvalid when the
// stored workflow cannot be read (the editor refuses such a workflow, so a bug or a hand edit).
Result<Workflow> ForService(const catalog::Service& service, const i18n::Catalog& messages);

// The label of a state of the service's workflow in the language; the key itself when the
// workflow does not name it (or cannot be read).
std::string StateLabel(const catalog::Service& service, const std::string& state,
                       const i18n::Catalog& messages, i18n::Lang lang);

// The municipality's working calendar as stored (ServiceStore caches it).
Result<Calendar> CalendarOf(catalog::ServiceStore& services, int64_t municipality_id);

// The municipality's tracking-number prefix: the first three letters of its slug, in capitals
// ("hebron" -> "HEB"); padded with X to two letters at least.
std::string TrackingPrefix(std::string_view slug);

}  // namespace baladiya::workflow
