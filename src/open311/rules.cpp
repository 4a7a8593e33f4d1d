// Pure rules of open311.h: which services Open311 offers, their attributes, extended statuses,
// and the dates the specification uses.
#include <array>

#include "open311/open311.h"

namespace baladiya::open311 {
namespace {

using catalog::Field;
using catalog::FieldType;

bool Digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && LeapYear(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

// Days from 1970-01-01 to the given proleptic Gregorian date: whole 400-year eras of 146,097
// days, then the day within the era counted from 1 March (so the leap day falls last).
int64_t DaysSinceEpoch(int y, int m, int d) {
  const int64_t year = m <= 2 ? y - 1 : y;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t year_of_era = year - era * 400;                          // 0..399
  const int64_t month_from_march = m > 2 ? m - 3 : m + 9;                // 0..11
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + d - 1;  // 0..365
  const int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // 0..146096
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

}  // namespace

bool Offered(const catalog::Service& s) {
  if (!s.published || s.kind != catalog::ServiceKind::kReport || !s.Offers("api")) return false;
  for (const auto& page : s.form.pages) {
    for (const Field& f : page.fields) {
      if (f.type == FieldType::kFile && f.required) return false;
    }
  }
  return true;
}

const Field* DescriptionField(const catalog::FormSchema& form) {
  for (const auto& page : form.pages) {
    for (const Field& f : page.fields) {
      if (f.name == "description" &&
          (f.type == FieldType::kText || f.type == FieldType::kLongText)) {
        return &f;
      }
    }
  }
  return nullptr;
}

const Field* LocationField(const catalog::FormSchema& form) {
  for (const auto& page : form.pages) {
    for (const Field& f : page.fields) {
      if (f.type == FieldType::kLocation) return &f;
    }
  }
  return nullptr;
}

std::string_view Datatype(FieldType type) {
  switch (type) {
    case FieldType::kText:
    case FieldType::kNationalId:
    case FieldType::kPhone:
    case FieldType::kEmail:
      return "string";
    case FieldType::kLongText:
      return "text";
    case FieldType::kNumber:
      return "number";
    case FieldType::kDate:
      return "datetime";
    case FieldType::kSingleChoice:
    case FieldType::kYesNo:
      return "singlevaluelist";
    case FieldType::kMultipleChoice:
      return "multivaluelist";
    case FieldType::kLocation:
    case FieldType::kFile:
      return "";
  }
  return "";
}

std::vector<const Field*> Attributes(const catalog::FormSchema& form) {
  const Field* description = DescriptionField(form);
  std::vector<const Field*> out;
  for (const auto& page : form.pages) {
    for (const Field& f : page.fields) {
      if (&f != description && !Datatype(f.type).empty()) out.push_back(&f);
    }
  }
  return out;
}

std::string ExtendedStatus(const workflow::Workflow& wf, std::string_view state,
                           std::string_view kind) {
  if (kind == "reopened") return "reopen";
  if (kind == "merged") return "duplicate";  // closed by staff as a duplicate of another report
  const workflow::State* s = wf.FindState(state);
  if (s && s->final) {
    if (state == "completed" || state == "fixed" || state == "resolved") return "fixed";
    if (state == "duplicate") return "duplicate";
    return "closed";
  }
  return state == wf.initial ? "open" : "in_progress";
}

std::optional<int64_t> ParseDateTime(std::string_view t) {
  // YYYY-MM-DDThh:mm:ss[.f...](Z|+hh:mm|-hh:mm)
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (t.size() < 20 || !Digits(t, 0, 4, y) || t[4] != '-' || !Digits(t, 5, 2, mo) || t[7] != '-' ||
      !Digits(t, 8, 2, d) || t[10] != 'T' || !Digits(t, 11, 2, h) || t[13] != ':' ||
      !Digits(t, 14, 2, mi) || t[16] != ':' || !Digits(t, 17, 2, s)) {
    return std::nullopt;
  }
  // Nothing the platform holds predates 1970, and the times it writes back start there.
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 ||
      s > 59) {
    return std::nullopt;
  }
  size_t i = 19;
  int64_t millis = 0;
  if (t[i] == '.') {
    size_t digits = 0;
    for (++i; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i, ++digits) {
      if (digits < 3) millis = millis * 10 + (t[i] - '0');
    }
    if (digits == 0) return std::nullopt;
    for (size_t k = digits; k < 3; ++k) millis *= 10;
  }
  int64_t offset_minutes = 0;
  if (i < t.size() && t[i] == 'Z') {
    ++i;
  } else if (i < t.size() && (t[i] == '+' || t[i] == '-' || t[i] == ' ')) {
    // A '+' sent unencoded in a query string arrives as a space: taken as the '+' it was.
    const int sign = t[i] == '-' ? -1 : 1;
    int oh = 0, om = 0;
    if (!Digits(t, i + 1, 2, oh) || i + 3 >= t.size() || t[i + 3] != ':' ||
        !Digits(t, i + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = int64_t{sign} * (oh * 60 + om);
    i += 6;
  } else {
    return std::nullopt;  // the zone is required
  }
  if (i != t.size()) return std::nullopt;
  const int64_t seconds =
      DaysSinceEpoch(y, mo, d) * 86400 + int64_t{h} * 3600 + int64_t{mi} * 60 + s;
  return (seconds - offset_minutes * 60) * 1000 + millis;
}

}  // namespace baladiya::open311
