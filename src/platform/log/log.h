// Process-wide logging on spdlog: application messages go to stderr, the JSON access log to
// stdout. Never log personal data or secrets; log opaque ids.
#pragma once

#include <string_view>

#include "platform/result.h"

namespace baladiya::log {

// Sets the level ("trace", "debug", "info", "warn", "error", "off"). kInvalid on an unknown name.
Status Init(std::string_view level);

// True when access-log lines are written (level info or more verbose); lets callers skip
// building a line nobody reads.
bool AccessEnabled();

// Writes one line (already JSON) to the access log.
void Access(std::string_view json_line);

// A security event that is not a state change (and so not in the audit log): a request refused by
// a rate limit, a failed anti-forgery check. One JSON line in the access log stream:
// {"security":"<event>","path":"...","request_id":"..."}. Never personal data: the path only,
// no query, no address.
void Security(std::string_view event, std::string_view path, std::string_view request_id);

}  // namespace baladiya::log
