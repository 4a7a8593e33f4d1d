#include "catalog/holidays.h"

#include <chrono>

#include "catalog/catalog.h"

namespace baladiya::catalog {
namespace {

bool RealDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  using namespace std::chrono;
  year_month_day ymd{year{std::stoi(d.substr(0, 4))},
                     month{static_cast<unsigned>(std::stoi(d.substr(5, 2)))},
                     day{static_cast<unsigned>(std::stoi(d.substr(8, 2)))}};
  return ymd.ok() && ymd.year() >= year{2000} && ymd.year() <= year{2100};
}

}  // namespace

Status AuditAdminChange(audit::AuditLog* log, db::Tx& tx, int64_t municipality_id,
                        const char* action, std::string object, const CalendarActor& who,
                        int64_t now_ms, std::vector<audit::Change> changes) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = who.pseudonym.empty() ? "system" : who.pseudonym;
  in.action = action;
  in.object = std::move(object);
  in.municipality_id = municipality_id;
  in.request_id = who.request_id;
  in.changes = std::move(changes);
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

Result<std::vector<Holiday>> ListHolidays(db::Database& db, int64_t municipality_id) {
  auto rows = db.Query(
      "SELECT day, name_ar, name_en FROM municipality_holidays WHERE municipality_id = ? "
      "ORDER BY day",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Holiday> out;
  for (const auto& r : *rows) out.push_back({r.Text(0), {r.Text(1), r.Text(2)}});
  return out;
}

Status AddHoliday(db::Database& db, audit::AuditLog* log, int64_t municipality_id, const Holiday& h,
                  const CalendarActor& who, int64_t now_ms) {
  Error invalid = MakeError(ErrorCode::kInvalid, "calendar.invalid");
  if (!RealDate(h.day)) invalid.fields["day"] = "calendar.day_invalid";
  if (h.name.ar.empty()) invalid.fields["name_ar"] = "calendar.name_required";
  if (!invalid.fields.empty()) return invalid;
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto before =
        tx.Query("SELECT name_ar FROM municipality_holidays WHERE municipality_id = ? AND day = ?",
                 {municipality_id, h.day});
    if (!before.ok()) return std::move(before).error();
    auto n = tx.Exec(
        "INSERT INTO municipality_holidays (municipality_id, day, name_ar, name_en) VALUES "
        "(?, ?, ?, ?) ON CONFLICT (municipality_id, day) DO UPDATE SET name_ar = excluded.name_ar, "
        "name_en = excluded.name_en",
        {municipality_id, h.day, h.name.ar, h.name.en});
    if (!n.ok()) return std::move(n).error();
    return AuditAdminChange(log, tx, municipality_id, "calendar.holiday_added", "holiday:" + h.day,
                            who, now_ms,
                            {{"holiday", before->empty() ? "" : (*before)[0].Text(0), h.name.ar}});
  });
  if (s.ok()) NoteCatalogChange();
  return s;
}

Status RemoveHoliday(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                     const std::string& day, const CalendarActor& who, int64_t now_ms) {
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto before =
        tx.Query("SELECT name_ar FROM municipality_holidays WHERE municipality_id = ? AND day = ?",
                 {municipality_id, day});
    if (!before.ok()) return std::move(before).error();
    if (before->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    auto n = tx.Exec("DELETE FROM municipality_holidays WHERE municipality_id = ? AND day = ?",
                     {municipality_id, day});
    if (!n.ok()) return std::move(n).error();
    return AuditAdminChange(log, tx, municipality_id, "calendar.holiday_removed", "holiday:" + day,
                            who, now_ms, {{"holiday", (*before)[0].Text(0), ""}});
  });
  if (s.ok()) NoteCatalogChange();
  return s;
}

}  // namespace baladiya::catalog
