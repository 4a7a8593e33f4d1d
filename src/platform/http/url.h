// Decoding of the parts of a URL and of form bodies. Every function refuses bad input (bad
// percent-escapes, invalid UTF-8, NUL bytes) instead of passing it on.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "platform/http/http.h"

namespace baladiya::http {

// Decodes %XX escapes; when plus_as_space, '+' becomes ' ' (query strings and forms). Returns
// nullopt on a malformed escape, a decoded NUL, or a result that is not valid UTF-8.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Encodes everything but unreserved characters (RFC 3986) for use in a query value or path segment.
std::string PercentEncode(std::string_view text);

// Parses "a=1&b=%D8%A8&c" into params. Returns nullopt if any part fails to decode.
std::optional<Params> ParseQuery(std::string_view query);

struct Target {
  std::string path;  // decoded
  Params query;
};

// Splits an origin-form request target ("/path?query") and decodes both parts. Returns nullopt
// when the target is not origin-form, is malformed, or decodes to an invalid path (contains
// "/../" style traversal after decoding is allowed to reach the router, which simply won't match).
std::optional<Target> ParseTarget(std::string_view target);

}  // namespace baladiya::http
