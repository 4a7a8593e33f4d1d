// The demo's civil registry (sandbox.cpp).
#pragma once

#include <cstdint>
#include <string>

namespace baladiya::interop {

// Serves until stopped by a signal; returns the exit status.
int RunRegistrySandbox(uint16_t port, const std::string& service);

}  // namespace baladiya::interop
