// The municipality's departments as its administrator keeps them (table departments; readers use
// TenancyStore::Departments). Each change is audited in its transaction, with the names before
// and after, and noted as a catalogue change so that every reader's directory reloads.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "audit/audit.h"
#include "catalog/form_schema.h"
#include "catalog/holidays.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::catalog {

struct DepartmentInput {
  std::string slug;  // empty: a new department, its slug made from the English name
  Text name;
  std::string phone;
  std::string email;
};

// Adds a department (the slug made from the English name, unique in the municipality, placed
// last) or renames one and changes its contacts (the slug of an existing one). Returns the slug.
// kInvalid "departments.invalid" with fields "name_ar" / "name_en" ("departments.name_required",
// 1 to 100 characters without control characters) and "email" ("departments.email_invalid");
// kNotFound for a slug the municipality has no department of. Audited "department.added" or
// "department.changed" (who acts: the calendar's actor).
Result<std::string> SaveDepartment(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                                   const DepartmentInput& in, const CalendarActor& who,
                                   int64_t now_ms);

// The ids of the municipality's disabled departments (none: empty).
Result<std::set<int64_t>> DisabledDepartments(db::Database& db, int64_t municipality_id);

// Disables (disabled true) or enables again the department with this slug; the caller has checked
// that it has no open cases or live services. Doing what is already so changes nothing and is
// not recorded. kNotFound for a slug the municipality has no department of. Audited
// "department.disabled" / "department.enabled" with the status before and after.
Status SetDepartmentDisabled(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                             const std::string& slug, bool disabled, const CalendarActor& who,
                             int64_t now_ms);

}  // namespace baladiya::catalog
