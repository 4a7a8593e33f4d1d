// The error policy's HTTP side (docs/DEVELOPING.md "Errors"): one mapping from an error code to a
// status, and one JSON error envelope for the API. Pages show the same errors as pages
// (render::Site's error page) in the user's language.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::http {

// The status for an error code: kInvalid 422 (the request was understood, its content is wrong;
// malformed HTTP or JSON is a 400 the caller sends itself), kNotFound 404, kForbidden 403,
// kConflict 409, kTooLarge 413, kUnavailable 503 (a database or gateway outage: never a 404),
// kInternal 500.
int StatusOf(ErrorCode code);

// {"error":{"code":code,"message":message,"fields":{name: message}}} ("fields" only when not
// empty), not cached. A 503 carries Retry-After.
Response JsonError(int status, std::string_view code, std::string_view message,
                   const std::map<std::string, std::string>& fields = {});

}  // namespace baladiya::http
