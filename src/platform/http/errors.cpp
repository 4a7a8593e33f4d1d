#include "platform/http/errors.h"

#include <boost/json.hpp>

namespace baladiya::http {

int StatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response JsonError(int status, std::string_view code, std::string_view message,
                   const std::map<std::string, std::string>& fields) {
  boost::json::object e;
  e["code"] = code;
  e["message"] = message;
  if (!fields.empty()) {
    boost::json::object f;
    for (const auto& [name, text] : fields) f[name] = text;
    e["fields"] = std::move(f);
  }
  Response res = Response::Json(status, boost::json::serialize(boost::json::object{{"error", e}}));
  res.headers.Set("cache-control", "no-store");
  if (status == 503) res.headers.Set("retry-after", "1");
  return res;
}

}  // namespace baladiya::http
