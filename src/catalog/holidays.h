// The municipality's public holidays as its administrator keeps them (table
// municipality_holidays; LoadCalendar reads them for SLA due dates). Each change is audited in
// its transaction and noted as a catalogue change, so that cached calendars reload.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "catalog/form_schema.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::catalog {

struct Holiday {
  std::string day;  // YYYY-MM-DD
  Text name;
};

// Who changes the calendar, for the audit entry.
struct CalendarActor {
  std::string pseudonym;
  std::string request_id;
};

// The audit entry of an administrator's change to the catalogue (the holidays, the departments;
// `object` such as "holiday:2030-03-13"), with its before/after values, inside tx; nothing
// without a log.
Status AuditAdminChange(audit::AuditLog* log, db::Tx& tx, int64_t municipality_id,
                        const char* action, std::string object, const CalendarActor& who,
                        int64_t now_ms, std::vector<audit::Change> changes);

// By day.
Result<std::vector<Holiday>> ListHolidays(db::Database& db, int64_t municipality_id);
// Adds (or renames) a holiday. kInvalid with fields "day" ("calendar.day_invalid": not a real
// YYYY-MM-DD date) or "name_ar" ("calendar.name_required"); audited "calendar.holiday_added".
Status AddHoliday(db::Database& db, audit::AuditLog* log, int64_t municipality_id, const Holiday& h,
                  const CalendarActor& who, int64_t now_ms);
// kNotFound when the day is not a holiday; audited "calendar.holiday_removed".
Status RemoveHoliday(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                     const std::string& day, const CalendarActor& who, int64_t now_ms);

}  // namespace baladiya::catalog
