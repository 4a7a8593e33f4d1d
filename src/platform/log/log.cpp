#include "platform/log/log.h"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <string>

namespace baladiya::log {
namespace {

std::shared_ptr<spdlog::logger> AccessLogger() {
  static auto logger = [] {
    auto l = spdlog::stdout_logger_mt("access");
    l->set_pattern("%v");
    l->set_level(spdlog::level::info);
    return l;
  }();
  return logger;
}

}  // namespace

Status Init(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return MakeError(ErrorCode::kInvalid, "error.invalid",
                     "unknown log level '" + std::string(level) + "'");
  }
  static bool once = [] {
    auto err = spdlog::stderr_logger_mt("baladiya");
    err->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(err);
    return true;
  }();
  (void)once;
  spdlog::set_level(parsed);
  AccessLogger()->set_level(parsed <= spdlog::level::info ? spdlog::level::info : parsed);
  return Ok();
}

bool AccessEnabled() { return AccessLogger()->should_log(spdlog::level::info); }

void Access(std::string_view json_line) { AccessLogger()->info("{}", json_line); }

namespace {
// JSON string content: quotes, backslashes and control characters escaped.
std::string Escaped(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
    } else if (c < 0x20) {
      out += fmt::format("\\u{:04x}", c);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}
}  // namespace

void Security(std::string_view event, std::string_view path, std::string_view request_id) {
  AccessLogger()->warn(R"({{"security":"{}","path":"{}","request_id":"{}"}})", Escaped(event),
                       Escaped(path), Escaped(request_id));
}

}  // namespace baladiya::log
