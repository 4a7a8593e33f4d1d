// The catalogue's tenancy part: municipalities (the tenants) and their departments, with
// bilingual master data. Later: services, forms, fees and SLAs.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/form_schema.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::catalog {

// A text in both languages.
// Names and addresses in both languages (the same type as service texts).
using Bilingual = Text;

struct Municipality {
  int64_t id = 0;    // internal; never shown in URLs (the slug is)
  std::string slug;  // "hebron": lower-case ASCII letters, digits and '-'
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

// A number that changes after every change this process makes to the catalogue (municipalities,
// departments, services, calendars). The catalogue's read caches compare it, so that this
// process sees its own changes at once, and also bound their age, so that changes made by other
// nodes on a shared PostgreSQL show within it. Other writes (cases, sessions, ...) leave it as
// it is, so the caches stay warm under load.
uint64_t CatalogEdition();
// Called by the catalogue's stores after each write they make.
void NoteCatalogChange();

// Reads and writes municipalities and departments. Thread-safe.
//
// Reads come from an in-memory snapshot of the whole directory (a few hundred municipalities at
// most), reloaded when this process has changed the catalogue since it was taken (see
// CatalogEdition), and at least every max_age.
class TenancyStore {
 public:
  explicit TenancyStore(db::Database& db,
                        std::chrono::milliseconds max_age = std::chrono::seconds(5))
      : db_(db), max_age_(max_age) {}

  // Identifies the directory snapshot that reads are served from: it changes whenever the
  // snapshot is reloaded, so anything derived from it (rendered fragments) can be keyed by it.
  Result<uint64_t> DirectoryVersion() const;

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
  struct Directory {
    std::vector<Municipality> municipalities;  // ordered by English name
    std::map<std::string, size_t, std::less<>> by_slug;
    std::map<int64_t, std::vector<Department>> departments;
    uint64_t edition = 0;  // CatalogEdition() when loaded
    uint64_t version = 0;  // distinct for every load in this process
    std::chrono::steady_clock::time_point loaded_at;
  };
  // The current snapshot, reloading it when stale. Fails only when a reload fails.
  Result<std::shared_ptr<const Directory>> Snapshot() const;
  Result<std::shared_ptr<const Directory>> Load() const;

  db::Database& db_;
  std::chrono::milliseconds max_age_;
  mutable std::mutex mu_;
  mutable std::shared_ptr<const Directory> snapshot_;  // guarded by mu_
};

struct SeedReport {
  int municipalities = 0;  // rows written (inserted or refreshed)
  int departments = 0;
  int services = 0;
  int boundaries = 0;  // the demo boundaries (catalog/boundaries.h)
};

// Loads the demo municipalities (Hebron, Nablus, Ramallah), their departments, services and
// (approximate) boundaries. Idempotent:
// running it again refreshes the same rows and adds none.
Result<SeedReport> SeedDemo(db::Database& db, int64_t now_ms);

// The catalog module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::catalog
