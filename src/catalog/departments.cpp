#include "catalog/departments.h"

#include <cctype>
#include <vector>

#include "catalog/catalog.h"

namespace baladiya::catalog {
namespace {

bool GoodName(const std::string& s) {
  if (s.find_first_not_of(" \t") == std::string::npos) return false;
  size_t chars = 0;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
    chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return chars <= 100;
}

bool GoodEmail(const std::string& s) {
  if (s.empty()) return true;
  const size_t at = s.find('@');
  return s.size() <= 200 && at != std::string::npos && at > 0 &&
         s.find('@', at + 1) == std::string::npos && s.find('.', at) != std::string::npos &&
         s.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

// "Waste and Sanitation" -> "waste-and-sanitation" (ASCII letters and digits; "department"
// when nothing is left), cut to 36 characters.
std::string SlugOf(const std::string& english) {
  std::string out;
  for (char c : english) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out += static_cast<char>(std::tolower(u));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 36) out.resize(36);
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() < 2) out = "department";
  return out;
}

}  // namespace

Result<std::string> SaveDepartment(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                                   const DepartmentInput& in, const CalendarActor& who,
                                   int64_t now_ms) {
  Error invalid = MakeError(ErrorCode::kInvalid, "departments.invalid");
  if (!GoodName(in.name.ar)) invalid.fields["name_ar"] = "departments.name_required";
  if (!GoodName(in.name.en)) invalid.fields["name_en"] = "departments.name_required";
  if (!GoodEmail(in.email)) invalid.fields["email"] = "departments.email_invalid";
  if (in.phone.size() > 40) invalid.fields["phone"] = "departments.phone_invalid";
  if (!invalid.fields.empty()) return invalid;
  std::string slug = in.slug;
  Status s = db.Write([&](db::Tx& tx) -> Status {
    std::vector<audit::Change> changes;
    const char* action = "department.added";
    if (!slug.empty()) {
      auto old = tx.Query(
          "SELECT name_ar, name_en, phone, email FROM departments WHERE municipality_id = ? AND "
          "slug = ?",
          {municipality_id, slug});
      if (!old.ok()) return std::move(old).error();
      if (old->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
      const db::Row& r = (*old)[0];
      const std::pair<const char*, std::pair<std::string, std::string>> fields[] = {
          {"name_ar", {r.Text(0), in.name.ar}},
          {"name_en", {r.Text(1), in.name.en}},
          {"phone", {r.Text(2), in.phone}},
          {"email", {r.Text(3), in.email}}};
      for (const auto& [field, values] : fields) {
        if (values.first != values.second) changes.push_back({field, values.first, values.second});
      }
      auto n = tx.Exec(
          "UPDATE departments SET name_ar = ?, name_en = ?, phone = ?, email = ?, updated_at = ? "
          "WHERE municipality_id = ? AND slug = ?",
          {in.name.ar, in.name.en, in.phone, in.email, now_ms, municipality_id, slug});
      if (!n.ok()) return std::move(n).error();
      action = "department.changed";
    } else {
      const std::string base = SlugOf(in.name.en);
      auto taken = tx.Query(
          "SELECT slug FROM departments WHERE municipality_id = ? AND (slug = ? OR slug LIKE ?)",
          {municipality_id, base, base + "-%"});
      if (!taken.ok()) return std::move(taken).error();
      slug = base;
      for (int n = 2;; ++n) {
        bool used = false;
        for (const auto& r : *taken) used = used || r.Text(0) == slug;
        if (!used) break;
        slug = base + "-" + std::to_string(n);
      }
      auto last =
          tx.Query("SELECT COALESCE(MAX(sort_order), 0) FROM departments WHERE municipality_id = ?",
                   {municipality_id});
      if (!last.ok()) return std::move(last).error();
      auto n = tx.Exec(
          "INSERT INTO departments (municipality_id, slug, name_ar, name_en, phone, email, "
          "sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {municipality_id, slug, in.name.ar, in.name.en, in.phone, in.email, (*last)[0].Int(0) + 1,
           now_ms, now_ms});
      if (!n.ok()) return std::move(n).error();
      changes = {{"name_ar", "", in.name.ar}, {"name_en", "", in.name.en}};
    }
    return AuditAdminChange(log, tx, municipality_id, action, "department:" + slug, who, now_ms,
                            std::move(changes));
  });
  NoteCatalogChange();
  if (!s.ok()) return std::move(s).error();
  return slug;
}

Result<std::set<int64_t>> DisabledDepartments(db::Database& db, int64_t municipality_id) {
  auto rows = db.Query("SELECT department_id FROM department_disabled WHERE municipality_id = ?",
                       {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::set<int64_t> out;
  for (const auto& r : *rows) out.insert(r.Int(0));
  return out;
}

Status SetDepartmentDisabled(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                             const std::string& slug, bool disabled, const CalendarActor& who,
                             int64_t now_ms) {
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto d = tx.Query("SELECT id FROM departments WHERE municipality_id = ? AND slug = ?",
                      {municipality_id, slug});
    if (!d.ok()) return std::move(d).error();
    if (d->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    const int64_t id = (*d)[0].Int(0);
    auto n = disabled ? tx.Exec(
                            "INSERT INTO department_disabled (department_id, municipality_id, "
                            "disabled_at) VALUES (?, ?, ?) ON CONFLICT (department_id) DO NOTHING",
                            {id, municipality_id, now_ms})
                      : tx.Exec("DELETE FROM department_disabled WHERE department_id = ?", {id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Ok();  // already so
    const char* before = disabled ? "enabled" : "disabled";
    const char* after = disabled ? "disabled" : "enabled";
    return AuditAdminChange(
        log, tx, municipality_id, disabled ? "department.disabled" : "department.enabled",
        "department:" + slug, who, now_ms, {{"department_status", before, after}});
  });
  NoteCatalogChange();
  return s;
}

}  // namespace baladiya::catalog
