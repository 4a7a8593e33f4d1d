#include "catalog/form_schema.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <exception>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <set>
#include <system_error>
#include <utility>

#include "identity/credentials.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/numbers.h"

namespace baladiya::catalog {

namespace {

// 128-bit arithmetic for a decimal answer times a fee or a bound, which may pass 64 bits before
// it is checked (a GCC and Clang extension, marked as one for -Wpedantic).
__extension__ typedef __int128 Wide;

namespace json = boost::json;

constexpr int64_t kDefaultTextMax = 200;
constexpr int64_t kDefaultLongTextMax = 4000;
// The largest max_length a schema may set, so that one answer stays a reasonable row.
constexpr int64_t kLengthCap = 100000;
constexpr int kMaxFilesCap = 20;
constexpr int kMaxDecimals = 6;  // digits after the decimal point of a number answer
constexpr int64_t kLocationTextMax = 500;
constexpr size_t kFileIdMax = 128;
// Deep enough for root > pages > page > fields > field > options > option > label, and no more.
constexpr unsigned kMaxJsonDepth = 10;

constexpr std::pair<FieldType, std::string_view> kTypeNames[] = {
    {FieldType::kText, "text"},
    {FieldType::kLongText, "long_text"},
    {FieldType::kNumber, "number"},
    {FieldType::kDate, "date"},
    {FieldType::kSingleChoice, "single_choice"},
    {FieldType::kMultipleChoice, "multiple_choice"},
    {FieldType::kYesNo, "yes_no"},
    {FieldType::kNationalId, "national_id"},
    {FieldType::kPhone, "phone"},
    {FieldType::kEmail, "email"},
    {FieldType::kLocation, "location"},
    {FieldType::kFile, "file"},
};

bool IsTextType(FieldType t) { return t == FieldType::kText || t == FieldType::kLongText; }
bool IsChoiceType(FieldType t) {
  return t == FieldType::kSingleChoice || t == FieldType::kMultipleChoice;
}
bool IsMultiValued(FieldType t) { return t == FieldType::kMultipleChoice || t == FieldType::kFile; }

// ---- UTF-8 and text helpers --------------------------------------------------------------------

// The code point starting at s[i] of valid UTF-8, and its length in bytes. A truncated sequence
// (only possible when the precondition is broken) yields U+FFFD of length 1.
char32_t DecodeAt(std::string_view s, size_t i, size_t& len) {
  auto byte = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  char32_t lead = byte(0);
  len = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (i + len > s.size()) {
    len = 1;
    return 0xFFFD;
  }
  switch (len) {
    case 1:
      return lead;
    case 2:
      return ((lead & 0x1F) << 6) | (byte(1) & 0x3F);
    case 3:
      return ((lead & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
    default:
      return ((lead & 0x07) << 18) | ((byte(1) & 0x3F) << 12) | ((byte(2) & 0x3F) << 6) |
             (byte(3) & 0x3F);
  }
}

int64_t CodePoints(std::string_view s) {
  return std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; });
}

// White space and invisible marks that people paste around an answer: ASCII white space,
// no-break and typographic spaces, zero-width space, bidi marks and the byte-order mark.
bool IsTrimmable(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x061C ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x200E || c == 0x200F || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Precondition: s is valid UTF-8.
std::string_view Trim(std::string_view s) {
  size_t len = 0;
  while (!s.empty() && IsTrimmable(DecodeAt(s, 0, len))) s.remove_prefix(len);
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (!IsTrimmable(DecodeAt(s, start, len))) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

// Whether a value counts as no answer at all.
bool IsBlank(std::string_view s) { return i18n::IsValidUtf8(s) && Trim(s).empty(); }

// Copies valid UTF-8 text, refusing control characters. With multiline, "\n" and "\r\n" are line
// breaks (stored as "\n"); a lone "\r" is refused.
bool CleanText(std::string_view s, bool multiline, std::string& out) {
  out.clear();
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t len = 0;
    char32_t c = DecodeAt(s, i, len);
    if (multiline && c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (IsControl(c) && !(multiline && c == '\n')) return false;
    out.append(s.substr(i, len));
    i += len;
  }
  return true;
}

// A key or name quoted in a detail: printable ASCII only, at most 40 characters.
std::string Printable(std::string_view s) {
  std::string out = "'";
  for (char c : s.substr(0, 40)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out + (s.size() > 40 ? "...'" : "'");
}

// [a-z][a-z0-9_]{0,39}
bool ValidFieldName(std::string_view s) {
  if (s.empty() || s.size() > 40 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// [a-z0-9_-]{1,40}
bool ValidOptionValue(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// [A-Za-z0-9_.-]{1,128}: the shape of an attachment id, whatever the file store makes them.
bool ValidFileId(std::string_view s) {
  if (s.empty() || s.size() > kFileIdMax) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- Answer values -----------------------------------------------------------------------------

enum class IntParse { kOk, kNotANumber, kTooLarge, kTooSmall };

// An optional sign and Western digits, within int64.
IntParse ParseInteger(std::string_view s, int64_t& out) {
  bool negative = !s.empty() && s[0] == '-';
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (!AllDigits(s)) return IntParse::kNotANumber;
  // Accumulate the magnitude; the negative range is one larger than the positive one.
  const uint64_t limit = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + negative;
  uint64_t magnitude = 0;
  for (char c : s) {
    auto digit = static_cast<uint64_t>(c - '0');
    if (magnitude > (limit - digit) / 10) {
      return negative ? IntParse::kTooSmall : IntParse::kTooLarge;
    }
    magnitude = magnitude * 10 + digit;
  }
  out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return IntParse::kOk;
}

bool IsLeapYear(int y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// YYYY-MM-DD, a day that exists in the Gregorian calendar (years 0001-9999).
bool ValidDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  std::string_view ys = s.substr(0, 4), ms = s.substr(5, 2), ds = s.substr(8, 2);
  if (!AllDigits(ys) || !AllDigits(ms) || !AllDigits(ds)) return false;
  int y = std::stoi(std::string(ys)), m = std::stoi(std::string(ms)),
      d = std::stoi(std::string(ds));
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  int days = kDays[m - 1] + (m == 2 && IsLeapYear(y) ? 1 : 0);
  return d <= days;
}

// [+-]digits[.digits]
bool DecimalShape(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return AllDigits(s);
  return AllDigits(s.substr(0, dot)) && AllDigits(s.substr(dot + 1));
}

std::string_view TrimAsciiSpaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// "lat,lng" with digits folded (Arabic comma and decimal separator accepted, spaces around the
// comma allowed): true with the coordinates set when the text has that shape.
bool SplitCoordinates(std::string_view text, std::string& lat, std::string& lng) {
  if (text.size() > 100) return false;
  std::string s = ReplaceAll(ReplaceAll(i18n::ToWesternDigits(text), "،", ","), "٫", ".");
  size_t comma = s.find(',');
  if (comma == std::string::npos || s.find(',', comma + 1) != std::string::npos) return false;
  std::string_view view = s;
  std::string_view a = TrimAsciiSpaces(view.substr(0, comma));
  std::string_view b = TrimAsciiSpaces(view.substr(comma + 1));
  if (!DecimalShape(a) || !DecimalShape(b)) return false;
  if (a[0] == '+') a.remove_prefix(1);
  if (b[0] == '+') b.remove_prefix(1);
  lat = a;
  lng = b;
  return true;
}

bool InRange(const std::string& decimal, double bound) {
  double v = 0;
  auto [end, ec] = std::from_chars(decimal.data(), decimal.data() + decimal.size(), v);
  return ec == std::errc() && end == decimal.data() + decimal.size() && v >= -bound && v <= bound;
}

std::string CheckLocation(std::string_view v, std::string& out) {
  std::string lat, lng;
  if (SplitCoordinates(v, lat, lng)) {
    if (!InRange(lat, 90) || !InRange(lng, 180)) return "form.bad_location";
    out = lat + "," + lng;
    return {};
  }
  if (!CleanText(v, false, out)) return "form.bad_text";
  if (CodePoints(out) > kLocationTextMax) return "form.bad_location";
  return {};
}

std::string CheckTextValue(const Field& f, std::string_view v, std::string& out) {
  bool multiline = f.type == FieldType::kLongText;
  if (!CleanText(v, multiline, out)) return "form.bad_text";
  int64_t max = f.max_length > 0 ? f.max_length : multiline ? kDefaultLongTextMax : kDefaultTextMax;
  int64_t length = CodePoints(out);
  if (length > max) return "form.too_long";
  if (length < f.min_length) return "form.too_short";
  return {};
}

// A canonical decimal ("-180.5") as an integer scaled by 10^decimals, when it has at most that
// many fraction digits and fits; nullopt otherwise.
std::optional<int64_t> Scaled(std::string_view canonical, int decimals) {
  bool negative = !canonical.empty() && canonical[0] == '-';
  if (negative) canonical.remove_prefix(1);
  size_t point = canonical.find('.');
  std::string_view whole = canonical.substr(0, point);
  std::string_view fraction =
      point == std::string_view::npos ? std::string_view() : canonical.substr(point + 1);
  if (fraction.size() > static_cast<size_t>(decimals)) return std::nullopt;
  std::string digits(whole);
  digits.append(fraction);
  digits.append(static_cast<size_t>(decimals) - fraction.size(), '0');
  int64_t n = 0;
  if (ParseInteger(digits, n) != IntParse::kOk) return std::nullopt;
  return negative ? -n : n;
}

int64_t PowerOfTen(int decimals) {
  int64_t p = 1;
  for (int i = 0; i < decimals; ++i) p *= 10;
  return p;
}

std::string CheckDecimal(const Field& f, std::string_view v, std::string& out) {
  auto canonical = i18n::ParseDecimal(v);
  if (!canonical) return "form.not_a_decimal";
  auto scaled = Scaled(*canonical, f.decimals);
  if (!scaled) {
    return canonical->find('.') != std::string::npos &&
                   canonical->size() - canonical->find('.') - 1 > static_cast<size_t>(f.decimals)
               ? "form.too_precise"
               : "form.too_large";
  }
  const int64_t unit = PowerOfTen(f.decimals);
  if (f.min && static_cast<Wide>(*scaled) < static_cast<Wide>(*f.min) * unit)
    return "form.too_small";
  if (f.max && static_cast<Wide>(*scaled) > static_cast<Wide>(*f.max) * unit)
    return "form.too_large";
  out = *canonical;
  return {};
}

std::string CheckNumber(const Field& f, std::string_view v, std::string& out) {
  if (f.decimals > 0) return CheckDecimal(f, v, out);
  int64_t n = 0;
  switch (ParseInteger(i18n::ToWesternDigits(v), n)) {
    case IntParse::kNotANumber:
      // Grouped thousands ("1,250", "١٬٢٥٠") are a whole number too.
      if (auto grouped = i18n::ParseCount(v)) {
        n = *grouped;
        break;
      }
      return "form.not_a_number";
    case IntParse::kTooLarge:
      return "form.too_large";
    case IntParse::kTooSmall:
      return "form.too_small";
    case IntParse::kOk:
      break;
  }
  if (f.min && n < *f.min) return "form.too_small";
  if (f.max && n > *f.max) return "form.too_large";
  out = std::to_string(n);
  return {};
}

std::string FromIdentity(Result<std::string> normalised, std::string& out) {
  if (!normalised.ok()) return normalised.error().message_key;
  out = std::move(normalised).value();
  return {};
}

// Checks one value of a field (one of the values, for multi-valued types) and sets out to its
// normalised form. Returns the message key of the problem, empty when it is fine.
std::string CheckValue(const Field& f, std::string_view raw, std::string& out) {
  if (!i18n::IsValidUtf8(raw)) return "form.bad_text";
  std::string_view v = Trim(raw);
  switch (f.type) {
    case FieldType::kText:
    case FieldType::kLongText:
      return CheckTextValue(f, v, out);
    case FieldType::kNumber:
      return CheckNumber(f, v, out);
    case FieldType::kDate:
      out = i18n::ToWesternDigits(v);
      return ValidDate(out) ? "" : "form.bad_date";
    case FieldType::kSingleChoice:
    case FieldType::kMultipleChoice: {
      bool known = std::any_of(f.options.begin(), f.options.end(),
                               [&](const Option& o) { return o.value == v; });
      out = v;
      return known ? "" : "form.bad_choice";
    }
    case FieldType::kYesNo: {
      out = v;
      std::transform(out.begin(), out.end(), out.begin(),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
      return out == "yes" || out == "no" ? "" : "form.bad_yes_no";
    }
    case FieldType::kNationalId:
      return FromIdentity(identity::NormalizeNationalId(v), out);
    case FieldType::kPhone:
      return FromIdentity(identity::NormalizeMobilePhone(v), out);
    case FieldType::kEmail:
      return FromIdentity(identity::NormalizeEmail(v), out);
    case FieldType::kLocation:
      return CheckLocation(v, out);
    case FieldType::kFile:
      out = v;
      return ValidFileId(out) ? "" : "form.invalid";
  }
  return "form.invalid";
}

// Validates the answer to one visible field. On success returns empty and replaces values with
// their normalised form (empty when unanswered); on a problem returns its key and leaves them.
std::string CheckField(const Field& f, std::vector<std::string>& values) {
  std::vector<std::string_view> given;
  for (const std::string& v : values) {
    if (!IsBlank(v)) given.push_back(v);
  }
  if (given.empty()) {
    if (f.required) return "form.required";
    values.clear();
    return {};
  }
  if (!IsMultiValued(f.type) && given.size() > 1) return "form.invalid";
  std::vector<std::string> normalised;
  for (std::string_view v : given) {
    std::string out;
    std::string problem = CheckValue(f, v, out);
    if (!problem.empty()) return problem;
    if (std::find(normalised.begin(), normalised.end(), out) == normalised.end()) {
      normalised.push_back(std::move(out));
    }
    // Checked as we go, so that a flood of values stays linear.
    if (f.type == FieldType::kFile && std::ssize(normalised) > f.max_files) {
      return "form.too_many_files";
    }
  }
  if (f.type == FieldType::kMultipleChoice) {
    // In the order the options are listed, whatever order the browser sent them in.
    auto rank = [&](const std::string& v) {
      return std::find_if(f.options.begin(), f.options.end(),
                          [&](const Option& o) { return o.value == v; }) -
             f.options.begin();
    };
    std::sort(normalised.begin(), normalised.end(),
              [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  }
  values = std::move(normalised);
  return {};
}

// ---- Faults ------------------------------------------------------------------------------------
// The first thing wrong with a document: the detail for logs and the problem for pages and the
// API. A reader returns it with a path and a detail relative to what it read; the caller puts its
// own place in front (Within).

struct Fault {
  std::string detail;  // empty when nothing is wrong
  Problem problem;
  explicit operator bool() const { return !detail.empty(); }
};

Fault Wrong(std::string detail, Path path, std::string key,
            std::map<std::string, std::string> args = {}) {
  return {std::move(detail), {std::move(path), std::move(key), std::move(args)}};
}

// A value of the wrong JSON type, or missing where it is needed.
Fault Malformed(std::string detail, Path path) {
  return Wrong(std::move(detail), std::move(path), "form.problem.malformed");
}

// A part's fault as its container sees it: prefix before the detail, where before the path.
Fault Within(Fault f, std::string_view prefix, const Path& where) {
  if (!f) return f;
  f.detail.insert(0, prefix);
  f.problem.path.insert(f.problem.path.begin(), where.begin(), where.end());
  return f;
}

Error Refusal(std::string key, Fault f) {
  Error e = MakeError(ErrorCode::kInvalid, std::move(key), std::move(f.detail));
  e.problems.push_back(std::move(f.problem));
  return e;
}

// ---- JSON readers ------------------------------------------------------------------------------
// Each returns the first fault, relative to the object it reads. An absent key leaves the output
// as it was.

Fault CheckKeys(const json::object& o, std::initializer_list<std::string_view> allowed) {
  for (const auto& entry : o) {
    if (std::find(allowed.begin(), allowed.end(), entry.key()) == allowed.end()) {
      const std::string key(entry.key());
      return Wrong("unknown key " + Printable(key), {key}, "form.problem.unknown_key",
                   {{"key", key}});
    }
  }
  return {};
}

Fault GetString(const json::object& o, std::string_view key, std::string& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (!v->is_string()) return Malformed(std::string(key) + " is not a string", {std::string(key)});
  out = std::string(v->get_string());
  return {};
}

Fault GetInt(const json::object& o, std::string_view key, std::optional<int64_t>& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (!v->is_int64()) {
    return Malformed(std::string(key) + " is not an integer in range", {std::string(key)});
  }
  out = v->get_int64();
  return {};
}

Fault GetBool(const json::object& o, std::string_view key, bool& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  if (!v->is_bool())
    return Malformed(std::string(key) + " is not true or false", {std::string(key)});
  out = v->get_bool();
  return {};
}

Fault GetText(const json::object& o, std::string_view key, Text& out) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return {};
  const std::string name(key);
  const json::object* text = v->if_object();
  if (text == nullptr) return Malformed(name + " is not an object", {name});
  Fault fault = CheckKeys(*text, {"ar", "en"});
  if (!fault) fault = GetString(*text, "ar", out.ar);
  if (!fault) fault = GetString(*text, "en", out.en);
  if (fault) return Within(std::move(fault), name + ": ", {name});
  std::string clean;
  for (const char* lang : {"ar", "en"}) {
    if (!CleanText(std::string_view(lang) == "ar" ? out.ar : out.en, true, clean)) {
      return Wrong(name + " has a control character", {name, lang},
                   "form.problem.control_character");
    }
  }
  return {};
}

// Parses a JSON document whose top level must be an object.
Fault ParseObject(std::string_view text, json::value& root) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  std::error_code ec;
  root = json::parse(text, ec, {}, options);
  if (ec) return Wrong("invalid JSON: " + ec.message(), {}, "form.problem.not_json");
  if (!root.is_object()) return Malformed("top level is not an object", {});
  return {};
}

json::object TextToJson(const Text& t) { return json::object{{"ar", t.ar}, {"en", t.en}}; }

// ---- Schema parsing ----------------------------------------------------------------------------
// Faults relative to the field, except CheckConditions' and ParseSchemaPages', which are the
// schema's.

Fault CheckLimits(const Field& f) {
  if (IsTextType(f.type)) {
    if (f.min_length < 0 || f.max_length < 0) {
      return Wrong("negative length", {f.min_length < 0 ? "min_length" : "max_length"},
                   "form.problem.length_negative");
    }
    if (f.max_length > kLengthCap) {
      return Wrong("max_length above " + std::to_string(kLengthCap), {"max_length"},
                   "form.problem.length_cap", {{"max", std::to_string(kLengthCap)}});
    }
    int64_t max = f.max_length > 0                 ? f.max_length
                  : f.type == FieldType::kLongText ? kDefaultLongTextMax
                                                   : kDefaultTextMax;
    if (f.min_length > max) {
      return Wrong("min_length above max_length", {"min_length"}, "form.problem.length_order");
    }
  }
  if (f.decimals < 0 || f.decimals > kMaxDecimals) {
    return Wrong("decimals outside 0.." + std::to_string(kMaxDecimals), {"decimals"},
                 "form.problem.decimals", {{"max", std::to_string(kMaxDecimals)}});
  }
  if (f.min && f.max && *f.min > *f.max) {
    return Wrong("min above max", {"min"}, "form.problem.number_order");
  }
  if (f.max_files < 1 || f.max_files > kMaxFilesCap) {
    return Wrong("max_files outside 1.." + std::to_string(kMaxFilesCap), {"max_files"},
                 "form.problem.max_files", {{"max", std::to_string(kMaxFilesCap)}});
  }
  return {};
}

Fault ParseOptions(const json::value& v, Field& f) {
  const json::array* options = v.if_array();
  if (options == nullptr) return Malformed("options is not an array", {"options"});
  std::set<std::string, std::less<>> values;
  for (size_t i = 0; i < options->size(); ++i) {
    std::string where = "option " + std::to_string(i + 1);
    const json::object* o = (*options)[i].if_object();
    if (o == nullptr) return Malformed(where + " is not an object", {"options", i});
    Option option;
    const json::value* value = o->if_contains("value");
    if (value == nullptr || !value->is_string() || !ValidOptionValue(value->get_string())) {
      return Wrong(where + ": bad value", {"options", i, "value"}, "form.problem.option_value");
    }
    option.value = std::string(value->get_string());
    where = "option " + option.value;
    if (!values.insert(option.value).second) {
      return Wrong(where + ": duplicate value", {"options", i, "value"},
                   "form.problem.option_twice", {{"value", option.value}});
    }
    Fault fault = CheckKeys(*o, {"value", "label"});
    if (!fault) fault = GetText(*o, "label", option.label);
    if (fault) return Within(std::move(fault), where + ": ", {"options", i});
    f.options.push_back(std::move(option));
  }
  return {};
}

Fault ParseCondition(const json::value& v, Condition& c) {
  const json::object* o = v.if_object();
  if (o == nullptr) return Malformed("show_if is not an object", {"show_if"});
  Fault fault = CheckKeys(*o, {"field", "equals"});
  if (!fault) fault = GetString(*o, "field", c.field);
  if (!fault) fault = GetString(*o, "equals", c.equals);
  if (!fault && c.field.empty()) fault = Malformed("field missing", {"field"});
  return Within(std::move(fault), "show_if: ", {"show_if"});
}

// A fault when the field has a key its type does not use.
Fault CheckApplies(const json::object& o, FieldType t) {
  const std::pair<std::string_view, bool> rules[] = {
      {"min_length", IsTextType(t)},         {"max_length", IsTextType(t)},
      {"min", t == FieldType::kNumber},      {"max", t == FieldType::kNumber},
      {"decimals", t == FieldType::kNumber}, {"options", IsChoiceType(t)},
      {"max_files", t == FieldType::kFile},
  };
  for (const auto& [key, applies] : rules) {
    if (!applies && o.contains(key)) {
      const std::string type(FieldTypeName(t));
      return Wrong(std::string(key) + " does not apply to type " + type, {std::string(key)},
                   "form.problem.not_applicable", {{"key", std::string(key)}, {"type", type}});
    }
  }
  return {};
}

// The field's own shape; conditions are checked once the whole form is known.
Fault ParseFieldBody(const json::object& o, Field& f) {
  Fault fault =
      CheckKeys(o, {"name", "type", "label", "help", "required", "min_length", "max_length", "min",
                    "max", "options", "show_if", "max_files", "decimals"});
  if (fault) return fault;
  const json::value* type = o.if_contains("type");
  if (type == nullptr || !type->is_string()) return Malformed("type missing", {"type"});
  std::optional<FieldType> parsed = ParseFieldType(type->get_string());
  if (!parsed) {
    return Wrong("unknown type " + Printable(type->get_string()), {"type"},
                 "form.problem.unknown_type", {{"type", std::string(type->get_string())}});
  }
  f.type = *parsed;
  if (fault = CheckApplies(o, f.type); fault) return fault;

  std::optional<int64_t> min_length, max_length, max_files, decimals;
  const std::pair<std::string_view, std::optional<int64_t>*> ints[] = {
      {"min_length", &min_length}, {"max_length", &max_length}, {"min", &f.min}, {"max", &f.max},
      {"max_files", &max_files},   {"decimals", &decimals},
  };
  for (const auto& [key, out] : ints) {
    if (!fault) fault = GetInt(o, key, *out);
  }
  if (!fault) fault = GetText(o, "label", f.label);
  if (!fault) fault = GetText(o, "help", f.help);
  if (!fault) fault = GetBool(o, "required", f.required);
  if (fault) return fault;
  f.min_length = min_length.value_or(0);
  f.max_length = max_length.value_or(0);
  // Out of range is refused by CheckLimits; clamping first keeps the narrowing defined.
  f.decimals = static_cast<int>(std::clamp<int64_t>(decimals.value_or(0), -1, kMaxDecimals + 1));
  if (max_files) {
    // Out of range is refused by CheckLimits; clamping first keeps the narrowing defined.
    f.max_files = static_cast<int>(std::clamp<int64_t>(*max_files, 0, kMaxFilesCap + 1));
  }
  if (fault = CheckLimits(f); fault) return fault;

  if (const json::value* options = o.if_contains("options")) {
    if (fault = ParseOptions(*options, f); fault) return fault;
  }
  if (IsChoiceType(f.type) && f.options.empty()) {
    return Wrong("no options", {"options"}, "form.problem.no_options", {{"field", f.name}});
  }
  if (const json::value* show_if = o.if_contains("show_if")) {
    f.show_if.emplace();
    if (fault = ParseCondition(*show_if, *f.show_if); fault) return fault;
  }
  return {};
}

// The first problem with a condition, if any.
Fault CheckConditions(const FormSchema& schema) {
  std::map<std::string, std::pair<size_t, const Field*>> order;
  for (const Page& page : schema.pages) {
    for (const Field& f : page.fields) order.emplace(f.name, std::pair(order.size(), &f));
  }
  for (size_t p = 0; p < schema.pages.size(); ++p) {
    for (size_t i = 0; i < schema.pages[p].fields.size(); ++i) {
      const Field& f = schema.pages[p].fields[i];
      if (!f.show_if) continue;
      const std::string where = "page " + std::to_string(p + 1) + " field " + f.name + ": ";
      const Path on = {"pages", p, "fields", i, "show_if", "field"};
      const Condition& c = *f.show_if;
      auto it = order.find(c.field);
      if (it == order.end()) {
        return Wrong(where + "condition on unknown field " + Printable(c.field), on,
                     "form.problem.condition_unknown", {{"field", f.name}, {"name", c.field}});
      }
      size_t self = order.at(f.name).first;
      if (it->second.first == self) {
        return Wrong(where + "condition on itself", on, "form.problem.condition_self");
      }
      if (it->second.first > self) {
        return Wrong(where + "condition on later field " + c.field, on,
                     "form.problem.condition_later", {{"field", f.name}, {"other", c.field}});
      }
      std::string normalised;
      if (c.equals.empty() || !CheckValue(*it->second.second, c.equals, normalised).empty() ||
          normalised != c.equals) {
        return Wrong(where + "condition on a value field " + c.field + " cannot have",
                     {"pages", p, "fields", i, "show_if", "equals"}, "form.problem.condition_value",
                     {{"field", f.name}, {"other", c.field}});
      }
    }
  }
  return {};
}

Fault ParseSchemaPages(const json::object& root, FormSchema& schema) {
  if (Fault fault = CheckKeys(root, {"pages"}); fault) return fault;
  const json::value* pages_value = root.if_contains("pages");
  if (pages_value == nullptr || !pages_value->is_array())
    return Malformed("pages missing", {"pages"});
  const json::array& pages = pages_value->get_array();
  if (pages.empty()) return Wrong("no pages", {"pages"}, "form.problem.no_pages");
  std::set<std::string, std::less<>> names;
  for (size_t p = 0; p < pages.size(); ++p) {
    const std::string where = "page " + std::to_string(p + 1);
    const json::object* po = pages[p].if_object();
    if (po == nullptr) return Malformed(where + ": not an object", {"pages", p});
    Page page;
    Fault fault = CheckKeys(*po, {"title", "fields"});
    if (!fault) fault = GetText(*po, "title", page.title);
    if (fault) return Within(std::move(fault), where + ": ", {"pages", p});
    const json::value* fields_value = po->if_contains("fields");
    if (fields_value == nullptr || !fields_value->is_array() || fields_value->get_array().empty()) {
      return Wrong(where + ": no fields", {"pages", p, "fields"}, "form.problem.empty_page",
                   {{"n", std::to_string(p + 1)}});
    }
    const json::array& fields = fields_value->get_array();
    for (size_t i = 0; i < fields.size(); ++i) {
      const Path at = {"pages", p, "fields", i};
      const json::object* fo = fields[i].if_object();
      const json::value* name = fo == nullptr ? nullptr : fo->if_contains("name");
      if (name == nullptr || !name->is_string() || !ValidFieldName(name->get_string())) {
        return Within(Wrong("bad name", {"name"}, "form.problem.bad_name"),
                      where + " field " + std::to_string(i + 1) + ": ", at);
      }
      Field field;
      field.name = std::string(name->get_string());
      const std::string field_where = where + " field " + field.name + ": ";
      if (!names.insert(field.name).second) {
        return Within(Wrong("duplicate name", {"name"}, "form.problem.duplicate_name",
                            {{"name", field.name}}),
                      field_where, at);
      }
      if (fault = ParseFieldBody(*fo, field); fault)
        return Within(std::move(fault), field_where, at);
      page.fields.push_back(std::move(field));
    }
    schema.pages.push_back(std::move(page));
  }
  return CheckConditions(schema);
}

json::object FieldToJson(const Field& f) {
  json::object o;
  o["name"] = f.name;
  o["type"] = FieldTypeName(f.type);
  o["label"] = TextToJson(f.label);
  if (!f.help.Empty()) o["help"] = TextToJson(f.help);
  o["required"] = f.required;
  if (f.min_length != 0) o["min_length"] = f.min_length;
  if (f.max_length != 0) o["max_length"] = f.max_length;
  if (f.min) o["min"] = *f.min;
  if (f.max) o["max"] = *f.max;
  if (f.decimals != 0) o["decimals"] = f.decimals;
  if (!f.options.empty()) {
    json::array options;
    for (const Option& option : f.options) {
      options.push_back(json::object{{"value", option.value}, {"label", TextToJson(option.label)}});
    }
    o["options"] = std::move(options);
  }
  if (f.show_if) {
    o["show_if"] = json::object{{"field", f.show_if->field}, {"equals", f.show_if->equals}};
  }
  if (f.max_files != 1) o["max_files"] = f.max_files;
  return o;
}

// ---- Fees --------------------------------------------------------------------------------------

// A rule may subtract (a discount); ComputeFee keeps the total from going below zero.
Fault ParseFeeObject(const json::object& root, Fee& fee) {
  Fault fault = CheckKeys(root, {"base", "currency", "rules"});
  std::optional<int64_t> base;
  if (!fault) fault = GetInt(root, "base", base);
  if (!fault) fault = GetString(root, "currency", fee.currency);
  if (fault) return fault;
  fee.base_minor = base.value_or(0);
  if (fee.base_minor < 0) return Wrong("negative base", {"base"}, "form.problem.negative_base");
  if (fee.currency.size() != 3 || !std::all_of(fee.currency.begin(), fee.currency.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Wrong("currency is not an ISO code", {"currency"}, "form.problem.currency");
  }
  const json::value* rules = root.if_contains("rules");
  if (rules == nullptr) return {};
  if (!rules->is_array()) return Malformed("rules is not an array", {"rules"});
  for (size_t i = 0; i < rules->get_array().size(); ++i) {
    const std::string where = "rule " + std::to_string(i + 1) + ": ";
    const json::object* o = rules->get_array()[i].if_object();
    if (o == nullptr) return Malformed(where + "not an object", {"rules", i});
    FeeRule rule;
    std::optional<int64_t> add, per_unit;
    fault = CheckKeys(*o, {"field", "equals", "add", "per_unit"});
    if (!fault) fault = GetString(*o, "field", rule.field);
    if (!fault) fault = GetString(*o, "equals", rule.equals);
    if (!fault) fault = GetInt(*o, "add", add);
    if (!fault) fault = GetInt(*o, "per_unit", per_unit);
    if (!fault && !ValidFieldName(rule.field)) {
      fault = Wrong("bad field name", {"field"}, "form.problem.bad_name");
    }
    if (fault) return Within(std::move(fault), where, {"rules", i});
    rule.add_minor = add.value_or(0);
    rule.per_unit_minor = per_unit.value_or(0);
    fee.rules.push_back(std::move(rule));
  }
  return {};
}

int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (!__builtin_add_overflow(a, b, &sum)) return sum;
  return b > 0 ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min();
}

int64_t SaturatingMultiply(int64_t a, int64_t b) {
  int64_t product = 0;
  if (!__builtin_mul_overflow(a, b, &product)) return product;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min()
                            : std::numeric_limits<int64_t>::max();
}

}  // namespace

const std::string& Text::In(i18n::Lang lang) const {
  const std::string& wanted = lang == i18n::Lang::kEn ? en : ar;
  const std::string& other = lang == i18n::Lang::kEn ? ar : en;
  return wanted.empty() ? other : wanted;
}

std::string_view FieldTypeName(FieldType t) {
  for (const auto& [type, name] : kTypeNames) {
    if (type == t) return name;
  }
  return "text";
}

std::optional<FieldType> ParseFieldType(std::string_view name) {
  for (const auto& [type, type_name] : kTypeNames) {
    if (type_name == name) return type;
  }
  return std::nullopt;
}

Result<FormSchema> ParseFormSchema(std::string_view text) {
  // Syntax errors come back through the error code; only allocation failure could throw.
  try {
    json::value root;
    FormSchema schema;
    Fault fault = ParseObject(text, root);
    if (!fault) fault = ParseSchemaPages(root.get_object(), schema);
    if (fault) return Refusal("form.schema_invalid", std::move(fault));
    return schema;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     std::string("parsing form schema failed: ") + e.what());
  }
}

std::string FormSchemaToJson(const FormSchema& schema) {
  json::array pages;
  for (const Page& page : schema.pages) {
    json::array fields;
    for (const Field& f : page.fields) fields.push_back(FieldToJson(f));
    pages.push_back(json::object{{"title", TextToJson(page.title)}, {"fields", std::move(fields)}});
  }
  return json::serialize(json::object{{"pages", std::move(pages)}});
}

bool Visible(const Field& field, const Answers& answers) {
  if (!field.show_if) return true;
  auto it = answers.find(field.show_if->field);
  if (it == answers.end()) return false;
  return std::find(it->second.begin(), it->second.end(), field.show_if->equals) != it->second.end();
}

std::map<std::string, std::string> ValidateAnswers(const FormSchema& schema, int page,
                                                   Answers& answers) {
  // Answers to names the form does not have are never shown, so they are dropped like hidden ones.
  std::set<std::string_view> names;
  for (const Page& p : schema.pages) {
    for (const Field& f : p.fields) names.insert(f.name);
  }
  std::erase_if(answers, [&](const auto& entry) { return !names.contains(entry.first); });

  std::map<std::string, std::string> problems;
  for (size_t p = 0; p < schema.pages.size(); ++p) {
    if (page >= 0 && static_cast<size_t>(page) != p) continue;
    // In form order, so that a field hidden here also hides the fields that depend on it.
    for (const Field& f : schema.pages[p].fields) {
      if (!Visible(f, answers)) {
        answers.erase(f.name);
        continue;
      }
      auto it = answers.find(f.name);
      std::vector<std::string> values;
      if (it != answers.end()) values = it->second;
      std::string problem = CheckField(f, values);
      if (!problem.empty()) {
        problems[f.name] = std::move(problem);
      } else if (values.empty()) {
        answers.erase(f.name);
      } else {
        answers[f.name] = std::move(values);
      }
    }
  }
  return problems;
}

std::vector<Problem> MissingTexts(const FormSchema& schema) {
  std::vector<Problem> missing;
  auto check = [&](const Text& t, const Path& path, const char* key,
                   const std::map<std::string, std::string>& args) {
    for (const char* lang : {"ar", "en"}) {
      if (!(std::string_view(lang) == "ar" ? t.ar : t.en).empty()) continue;
      Problem& p = missing.emplace_back(Problem{path, key, args});
      p.path.emplace_back(lang);
      p.args["in"] = lang;
    }
  };
  for (size_t p = 0; p < schema.pages.size(); ++p) {
    const Page& page = schema.pages[p];
    check(page.title, {"pages", p, "title"}, "form.missing.page_title",
          {{"n", std::to_string(p + 1)}});
    for (size_t i = 0; i < page.fields.size(); ++i) {
      const Field& f = page.fields[i];
      const Path at = {"pages", p, "fields", i};
      auto under = [&](std::initializer_list<PathStep> rest) {
        Path path = at;
        path.insert(path.end(), rest);
        return path;
      };
      check(f.label, under({"label"}), "form.missing.field_label", {{"field", f.name}});
      if (!f.help.Empty()) {
        check(f.help, under({"help"}), "form.missing.field_help", {{"field", f.name}});
      }
      for (size_t k = 0; k < f.options.size(); ++k) {
        check(f.options[k].label, under({"options", k, "label"}), "form.missing.option",
              {{"field", f.name}, {"option", f.options[k].value}});
      }
    }
  }
  return missing;
}

Result<Fee> ParseFee(std::string_view text) {
  try {
    json::value root;
    Fee fee;
    Fault fault = ParseObject(text, root);
    if (!fault) fault = ParseFeeObject(root.get_object(), fee);
    if (fault) return Refusal("form.fee_invalid", std::move(fault));
    return fee;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     std::string("parsing fee failed: ") + e.what());
  }
}

std::string FeeToJson(const Fee& fee) {
  json::array rules;
  for (const FeeRule& r : fee.rules) {
    rules.push_back(json::object{{"field", r.field},
                                 {"equals", r.equals},
                                 {"add", r.add_minor},
                                 {"per_unit", r.per_unit_minor}});
  }
  return json::serialize(json::object{
      {"base", fee.base_minor}, {"currency", fee.currency}, {"rules", std::move(rules)}});
}

int64_t ComputeFee(const Fee& fee, const Answers& answers) {
  int64_t total = std::max<int64_t>(fee.base_minor, 0);
  for (const FeeRule& rule : fee.rules) {
    auto it = answers.find(rule.field);
    if (it == answers.end()) continue;
    std::vector<std::string_view> given;
    for (const std::string& v : it->second) {
      if (!IsBlank(v)) given.push_back(v);
    }
    bool matches = rule.equals.empty()
                       ? !given.empty()
                       : std::find(given.begin(), given.end(), rule.equals) != given.end();
    if (!matches) continue;
    total = SaturatingAdd(total, rule.add_minor);
    int64_t units = 0;
    if (rule.per_unit_minor != 0 && !given.empty() &&
        ParseInteger(i18n::ToWesternDigits(Trim(given.front())), units) == IntParse::kOk) {
      total = SaturatingAdd(total, SaturatingMultiply(rule.per_unit_minor, units));
    } else if (auto decimal = rule.per_unit_minor != 0 && !given.empty()
                                  ? i18n::ParseDecimal(given.front())
                                  : std::nullopt) {
      // A decimal answer (180.5 m²): the fee of the fraction rounded half up to a minor unit.
      if (auto scaled = Scaled(*decimal, kMaxDecimals)) {
        const Wide exact = static_cast<Wide>(rule.per_unit_minor) * *scaled;
        const Wide unit = PowerOfTen(kMaxDecimals);
        const Wide rounded = (exact >= 0 ? exact + unit / 2 : exact - unit / 2) / unit;
        const Wide cap = std::numeric_limits<int64_t>::max();
        total = SaturatingAdd(total, static_cast<int64_t>(std::clamp(rounded, -cap, cap)));
      }
    }
  }
  return std::max<int64_t>(total, 0);
}

std::string SniffFileType(std::string_view bytes) {
  if (bytes.starts_with("%PDF-")) return "application/pdf";
  if (bytes.starts_with("\xFF\xD8\xFF")) return "image/jpeg";
  if (bytes.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  return {};
}

}  // namespace baladiya::catalog
