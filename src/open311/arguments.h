// Reading the arguments of an Open311 call (routes.cpp): the call's format, language and
// parameters, and the checks of each argument, each problem described in the call's language.
// Internal to open311's web part.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/form_schema.h"
#include "catalog/services.h"
#include "open311/format.h"
#include "open311/open311.h"
#include "platform/http/http.h"
#include "platform/i18n/locale.h"

namespace baladiya::open311 {

inline constexpr int64_t kMaxRangeMs = 90 * 86'400'000LL;  // a date range: 90 days at most
inline constexpr int kMaxPageSize = 1000;                  // also the default page size
inline constexpr size_t kMaxDescription = 4000;            // code points (the specification)
inline constexpr size_t kMaxIds = 100;                     // service_request_id values at once
inline constexpr size_t kMaxAddress = 500;                 // a location text in forms
inline constexpr size_t kMaxMediaUrl = 2000;

// One entry of the specification's error list.
struct Problem {
  int code = 400;
  std::string description;
};

// What every call works with: the format, the language, and the parameters (for a POST the
// form's fields first, then the query's). messages must outlive the call.
struct Call {
  Format format = Format::kXml;
  i18n::Lang lang = i18n::Lang::kAr;
  http::Params params;
  const i18n::Catalog* messages = nullptr;

  // Optional arguments: an empty value is the same as none (the specification's rule).
  std::string_view Opt(std::string_view name) const {
    auto v = params.Get(name);
    return v ? *v : std::string_view();
  }
  std::string Msg(std::string_view key) const { return messages->Get(lang, key); }
  std::string Msg(std::string_view key,
                  std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    return messages->Format(lang, key, args);
  }
};

size_t CodePoints(std::string_view s);
// Control characters (DEL included); tab and line breaks allowed when line_breaks_allowed.
bool HasControl(std::string_view s, bool line_breaks_allowed);
std::string_view Trim(std::string_view s);
// "a, b,,c" -> {"a", "b", "c"}.
std::vector<std::string_view> SplitCommas(std::string_view s);
// A coordinate as a canonical decimal literal (valid JSON: no '+', no leading zeros, digits on
// both sides of the point; Arabic-Indic digits and the Arabic decimal separator accepted),
// within [-limit, limit]; empty when it is not one.
std::string Coordinate(std::string_view typed, double limit);
int ToInt(std::string_view s, int fallback);
// An http(s) URL of at most kMaxMediaUrl characters, without white space, double quotes, angle
// brackets or control characters.
bool MediaUrl(std::string_view url);

// The location (lat and long, address_string or address_id) into details and the form's
// location field.
void ReadLocation(const Call& c, const catalog::Service& s, Submission& details,
                  catalog::Answers& answers, std::vector<Problem>& problems);
// description (at most kMaxDescription, kept as text) and media_url.
void ReadDescription(const Call& c, const catalog::Service& s, Submission& details,
                     catalog::Answers& answers, std::vector<Problem>& problems);
// email, first_name, last_name, phone, device_id, account_id.
void ReadContact(const Call& c, Contact& out, std::vector<Problem>& problems);
// attribute[code]=value and attribute[code][]=value; codes that are no attribute of the
// service (clients such as FixMyStreet send extra ones) are left out.
void ReadAttributes(const Call& c, const catalog::Service& s, catalog::Answers& answers);
// start_date / end_date: both given, at most 90 days apart; one alone spans 90 days from or to
// it; neither, the 90 days up to now_ms.
void ReadRange(const Call& c, int64_t now_ms, int64_t& from, int64_t& to,
               std::vector<Problem>& problems);
// The paging extension: page (from 1) and page_size (1 to kMaxPageSize, which is the default).
void ReadPaging(const Call& c, int& offset, int& limit, std::vector<Problem>& problems);
// "attribute[problem]: Choose one of the answers shown." for a form field's problem.
std::string FieldProblem(const Call& c, const catalog::FormSchema& form, const std::string& field,
                         const std::string& message_key);

}  // namespace baladiya::open311
