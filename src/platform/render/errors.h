// Errors in the user's language: the API's JSON error with its message (and each field's) from
// the catalogue in the request's language (see http/errors.h for the envelope and statuses).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "platform/http/errors.h"
#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::render {

// message_key and the fields' values are catalogue keys.
http::Response ApiError(const i18n::Catalog& catalog, const http::Request& req, int status,
                        std::string_view code, std::string_view message_key,
                        const std::map<std::string, std::string>& field_keys = {});

// The error of a failed call: status from http::StatusOf, code ErrorCodeName, the error's message
// and field keys. A kNotFound says only "api.not_found" (the key may name what was looked for);
// kUnavailable and kInternal say "error.busy" (their keys and details are for operators).
http::Response ApiError(const i18n::Catalog& catalog, const http::Request& req, const Error& e);

}  // namespace baladiya::render
