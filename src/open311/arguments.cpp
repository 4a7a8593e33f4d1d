#include "open311/arguments.h"

#include <charconv>
#include <cmath>
#include <map>

#include "platform/i18n/arabic.h"

namespace baladiya::open311 {

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool HasControl(std::string_view s, bool line_breaks_allowed) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == 0x7F) return true;
    if (u < 0x20 && !(line_breaks_allowed && (c == '\n' || c == '\r' || c == '\t'))) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> SplitCommas(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    const size_t comma = s.find(',');
    std::string_view part = Trim(s.substr(0, comma));
    if (!part.empty()) out.push_back(part);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

// A coordinate as a canonical decimal literal (valid JSON: no '+', no leading zeros, digits on
// both sides of the point), within [-limit, limit]; empty when it is not one.
std::string Coordinate(std::string_view typed, double limit) {
  std::string text = i18n::ToWesternDigits(Trim(typed));
  // The Arabic decimal separator (U+066B), as Arabic keyboards type it.
  size_t at = 0;
  while ((at = text.find("\xD9\xAB", at)) != std::string::npos) text.replace(at, 2, ".");
  std::string_view s = text;
  std::string out;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    if (s.front() == '-') out = "-";
    s.remove_prefix(1);
  }
  const size_t point = s.find('.');
  std::string_view whole = s.substr(0, point);
  std::string_view fraction = point == std::string_view::npos ? "" : s.substr(point + 1);
  const auto digits = [](std::string_view d) {
    return d.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (whole.empty() || whole.size() > 3 || !digits(whole) || !digits(fraction) ||
      fraction.size() > 12 || (point != std::string_view::npos && fraction.empty())) {
    return "";
  }
  while (whole.size() > 1 && whole.front() == '0') whole.remove_prefix(1);
  out += whole;
  if (!fraction.empty()) out += "." + std::string(fraction);
  double v = 0;
  auto [p, ec] = std::from_chars(out.data(), out.data() + out.size(), v);
  if (ec != std::errc() || p != out.data() + out.size() || std::fabs(v) > limit) return "";
  if (v == 0 && out.front() == '-') out.erase(0, 1);  // no negative zero
  return out;
}

int ToInt(std::string_view s, int fallback) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : fallback;
}

void ReadLocation(const Call& c, const catalog::Service& s, Submission& details,
                  catalog::Answers& answers, std::vector<Problem>& problems) {
  const std::string_view lat = c.Opt("lat"), lng = c.Opt("long");
  const std::string_view address = Trim(c.Opt("address_string"));
  const std::string_view address_id = Trim(c.Opt("address_id"));
  if (!lat.empty() || !lng.empty()) {
    details.lat = Coordinate(lat, 90);
    details.lng = Coordinate(lng, 180);
    if (details.lat.empty() || details.lng.empty()) {
      problems.push_back({400, c.Msg("open311.error.lat_long")});
      details.lat.clear();
      details.lng.clear();
    }
  } else if (address.empty() && address_id.empty()) {
    problems.push_back({400, c.Msg("open311.error.location_missing")});
  }
  if (CodePoints(address) > kMaxAddress || HasControl(address, false))
    problems.push_back({400, c.Msg("open311.error.invalid", {{"name", "address_string"}})});
  if (address_id.size() > 100 || HasControl(address_id, false))
    problems.push_back({400, c.Msg("open311.error.invalid", {{"name", "address_id"}})});
  details.address = std::string(address);
  details.address_id = std::string(address_id);
  if (const catalog::Field* field = LocationField(s.form)) {
    std::string value = !details.lat.empty() ? details.lat + "," + details.lng
                        : !address.empty()   ? std::string(address)
                                             : std::string(address_id);
    if (!value.empty()) answers[field->name] = {std::move(value)};
  }
}

void ReadDescription(const Call& c, const catalog::Service& s, Submission& details,
                     catalog::Answers& answers, std::vector<Problem>& problems) {
  const std::string_view text = c.Opt("description");
  if (HasControl(text, true)) {
    problems.push_back({400, c.Msg("open311.error.invalid", {{"name", "description"}})});
    return;
  }
  if (CodePoints(text) > kMaxDescription) {
    problems.push_back(
        {400, c.Msg("open311.error.description_too_long",
                    {{"max", i18n::FormatNumber(static_cast<int64_t>(kMaxDescription), c.lang)}})});
    return;
  }
  // Kept as the text it is: markup in it is never interpreted, and every writer escapes it.
  details.description = std::string(text);
  const std::string_view media = Trim(c.Opt("media_url"));
  if (!media.empty() && !MediaUrl(media)) {
    problems.push_back({400, c.Msg("open311.error.media_url", {})});
  } else {
    details.media_url = std::string(media);
  }
  if (const catalog::Field* field = DescriptionField(s.form); field && !text.empty())
    answers[field->name] = {std::string(text)};
}

void ReadContact(const Call& c, Contact& out, std::vector<Problem>& problems) {
  struct Part {
    std::string_view name;
    size_t max;
    std::string* value;
  };
  const Part parts[] = {{"email", 254, &out.email},         {"first_name", 100, &out.first_name},
                        {"last_name", 100, &out.last_name}, {"phone", 40, &out.phone},
                        {"device_id", 200, &out.device_id}, {"account_id", 200, &out.account_id}};
  for (const Part& p : parts) {
    const std::string_view v = Trim(c.Opt(p.name));
    if (CodePoints(v) > p.max || HasControl(v, false)) {
      problems.push_back({400, c.Msg("open311.error.invalid", {{"name", std::string(p.name)}})});
    } else {
      *p.value = std::string(v);
    }
  }
}

void ReadAttributes(const Call& c, const catalog::Service& s, catalog::Answers& answers) {
  std::map<std::string, const catalog::Field*, std::less<>> known;
  for (const catalog::Field* f : Attributes(s.form)) known[f->name] = f;
  for (const auto& [name, value] : c.params.All()) {
    std::string_view n = name;
    if (!n.starts_with("attribute[")) continue;
    n.remove_prefix(10);
    const size_t close = n.find(']');
    if (close == std::string_view::npos) continue;
    const std::string_view code = n.substr(0, close);
    const std::string_view rest = n.substr(close + 1);
    if (!rest.empty() && rest != "[]") continue;
    auto it = known.find(code);
    if (it == known.end() || value.empty()) continue;
    std::string v = value;
    // A datetime attribute is a date field: its date part is what the form keeps.
    if (it->second->type == catalog::FieldType::kDate && v.size() > 10 && v[10] == 'T')
      v.resize(10);
    answers[it->first].push_back(std::move(v));
  }
}

bool MediaUrl(std::string_view url) {
  return (url.starts_with("https://") || url.starts_with("http://")) &&
         url.size() <= kMaxMediaUrl && url.find_first_of(" \t\r\n\"<>") == std::string_view::npos &&
         !HasControl(url, false);
}

void ReadRange(const Call& c, int64_t now_ms, int64_t& from, int64_t& to,
               std::vector<Problem>& problems) {
  const std::string_view start = c.Opt("start_date"), end = c.Opt("end_date");
  std::optional<int64_t> s, e;
  if (!start.empty() && !(s = ParseDateTime(start)))
    problems.push_back({400, c.Msg("open311.error.date", {{"name", "start_date"}})});
  if (!end.empty() && !(e = ParseDateTime(end)))
    problems.push_back({400, c.Msg("open311.error.date", {{"name", "end_date"}})});
  if ((!start.empty() && !s) || (!end.empty() && !e)) return;
  if (s && e) {
    from = *s;
    to = *e;
  } else if (s) {
    from = *s;
    to = *s + kMaxRangeMs;
  } else if (e) {
    from = *e - kMaxRangeMs;
    to = *e;
  } else {
    to = now_ms;
    from = to - kMaxRangeMs;
  }
  if (to < from) {
    problems.push_back({400, c.Msg("open311.error.date_order")});
  } else if (to - from > kMaxRangeMs) {
    problems.push_back(
        {400, c.Msg("open311.error.date_range", {{"days", i18n::FormatNumber(90, c.lang)}})});
  }
}

void ReadPaging(const Call& c, int& offset, int& limit, std::vector<Problem>& problems) {
  const std::string_view page = c.Opt("page"), size = c.Opt("page_size");
  const int p = page.empty() ? 1 : ToInt(page, 0);
  const int n = size.empty() ? kMaxPageSize : ToInt(size, 0);
  if (p < 1 || p > 1'000'000 || n < 1 || n > kMaxPageSize) {
    problems.push_back(
        {400, c.Msg("open311.error.paging", {{"max", i18n::FormatNumber(kMaxPageSize, c.lang)}})});
    return;
  }
  offset = (p - 1) * n;
  limit = n;
}

std::string FieldProblem(const Call& c, const catalog::FormSchema& form, const std::string& field,
                         const std::string& message_key) {
  std::string name = "attribute[" + field + "]";
  if (const catalog::Field* d = DescriptionField(form); d && d->name == field) name = "description";
  if (const catalog::Field* l = LocationField(form); l && l->name == field) name = "address_string";
  return c.Msg("open311.error.field", {{"name", name}, {"problem", c.Msg(message_key)}});
}

}  // namespace baladiya::open311
