// The program's modules, in dependency order: `baladiya serve`, the other commands and the app's
// HTTP tests are all built from this one list (module::Host). Adding a module is one folder under
// src/ and one line in modules.cpp (docs/DEVELOPING.md, "Adding a module").
#pragma once

#include <vector>

#include "app/config.h"
#include "platform/module/host.h"
#include "platform/module/module.h"

namespace baladiya::app {

std::vector<module::Module> Modules();

// The app's own module, last in the list: the home page and municipality pages, the back-office
// pages that join modules (staff and roles, residents, the audit log), the demo staff.
module::Module Shell();

// What a host needs from the configuration: the database, the key file, every setting by name.
module::HostOptions HostOptionsFor(const Config& config);
// The web side's settings: TLS, the trusted proxy, the map.
module::WebOptions WebOptionsFor(const Config& config);

}  // namespace baladiya::app
