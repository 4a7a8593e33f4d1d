// What the app joins into interop's exchange between municipalities (interop::CaseExchange):
// cases gives a case to send and files one received, and tells the applicant where theirs went;
// interop's transfer panel is added to cases' staff case page. interop knows no cases.
#pragma once

#include "platform/module/module.h"

namespace baladiya::app {

// Fills interop::CaseExchange from cases, catalog, notify and identity, and adds interop's panel
// to the staff case page (the open phase, after cases and interop are open).
Status JoinInteropExchange(module::Context& ctx);

}  // namespace baladiya::app
