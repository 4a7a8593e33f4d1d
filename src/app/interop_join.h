// What the app joins into interop (interop::Providers): payments answers whether a person owes
// anything, cases the status of a case by its tracking number. interop knows neither.
#pragma once

#include "platform/module/module.h"

namespace baladiya::app {

// Fills the interop::Providers part from payments, cases and catalog (the open phase).
Status JoinInterop(module::Context& ctx);

}  // namespace baladiya::app
