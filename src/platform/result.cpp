#include "platform/result.h"

namespace baladiya {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid:
      return "invalid";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string PathText(const Path& path) {
  std::string out;
  for (const PathStep& step : path) {
    if (const std::size_t* index = std::get_if<std::size_t>(&step)) {
      out += "[" + std::to_string(*index) + "]";
    } else {
      if (!out.empty()) out += ".";
      out += std::get<std::string>(step);
    }
  }
  return out;
}

}  // namespace baladiya
