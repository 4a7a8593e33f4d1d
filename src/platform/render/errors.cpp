#include "platform/render/errors.h"

#include "platform/render/page.h"

namespace baladiya::render {

http::Response ApiError(const i18n::Catalog& catalog, const http::Request& req, int status,
                        std::string_view code, std::string_view message_key,
                        const std::map<std::string, std::string>& field_keys) {
  const i18n::Lang lang = RequestLang(req);
  std::map<std::string, std::string> fields;
  for (const auto& [name, key] : field_keys) fields[name] = catalog.Get(lang, key);
  return http::JsonError(status, code, catalog.Get(lang, message_key), fields);
}

http::Response ApiError(const i18n::Catalog& catalog, const http::Request& req, const Error& e) {
  const int status = http::StatusOf(e.code);
  switch (e.code) {
    case ErrorCode::kNotFound:
      return ApiError(catalog, req, status, ErrorCodeName(e.code), "api.not_found");
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return ApiError(catalog, req, status, ErrorCodeName(e.code), "error.busy");
    default:
      return ApiError(catalog, req, status, ErrorCodeName(e.code), e.message_key, e.fields);
  }
}

}  // namespace baladiya::render
