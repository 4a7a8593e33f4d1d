// The catalogue's tenancy part: municipalities (the tenants) and their departments, with
// bilingual master data. Later: services, forms, fees and SLAs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::catalog {

// A text in both languages.
struct Bilingual {
  std::string ar;
  std::string en;
  const std::string& In(i18n::Lang lang) const { return lang == i18n::Lang::kAr ? ar : en; }
};

struct Municipality {
  int64_t id = 0;     // internal; never shown in URLs (the slug is)
  std::string slug;   // "hebron": lower-case ASCII letters, digits and '-'
  Bilingual name;
  Bilingual governorate;
  Bilingual address;
  std::string phone;
  std::string email;
  std::string website;
};

struct Department {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string slug;
  Bilingual name;
  std::string phone;
  std::string email;
  int sort_order = 0;
};

// The catalogue's migrations, to be applied with db::Migrate (numbers 1..99 belong to catalog).
std::vector<db::Migration> Migrations();

// True for a well-formed slug: 2..40 of [a-z0-9-], not starting or ending with '-'.
bool ValidSlug(std::string_view slug);

// Reads and writes municipalities and departments. Thread-safe (the Database is).
class TenancyStore {
 public:
  explicit TenancyStore(db::Database& db) : db_(db) {}

  // All municipalities, ordered by English name.
  Result<std::vector<Municipality>> ListMunicipalities() const;
  // kNotFound when no municipality has this slug.
  Result<Municipality> FindMunicipality(std::string_view slug) const;
  // The municipality's departments in display order.
  Result<std::vector<Department>> Departments(int64_t municipality_id) const;

  // Inserts or updates by slug; returns the id. kInvalid for a bad slug or an empty name.
  Result<int64_t> UpsertMunicipality(const Municipality& m, int64_t now_ms);
  // Inserts or updates by (municipality_id, slug); returns the id.
  Result<int64_t> UpsertDepartment(const Department& d, int64_t now_ms);

 private:
  db::Database& db_;
};

struct SeedReport {
  int municipalities = 0;  // rows written (inserted or refreshed)
  int departments = 0;
};

// Loads the demo municipalities (Hebron, Nablus, Ramallah) and their departments. Idempotent:
// running it again refreshes the same rows and adds none.
Result<SeedReport> SeedDemo(db::Database& db, int64_t now_ms);

}  // namespace baladiya::catalog
