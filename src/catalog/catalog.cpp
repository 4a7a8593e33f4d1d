#include "catalog/catalog.h"

#include <atomic>
#include <span>

#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> CatalogMigrationFiles();

namespace baladiya::catalog {

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(CatalogMigrationFiles()); }

namespace {
std::atomic<uint64_t> catalog_edition{1};
}  // namespace

uint64_t CatalogEdition() { return catalog_edition.load(std::memory_order_acquire); }
void NoteCatalogChange() { catalog_edition.fetch_add(1, std::memory_order_acq_rel); }

bool ValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 40 || slug.front() == '-' || slug.back() == '-') {
    return false;
  }
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

namespace {

constexpr std::string_view kMunicipalityColumns =
    "id, slug, name_ar, name_en, governorate_ar, governorate_en, address_ar, address_en, phone, "
    "email, website";

Municipality ReadMunicipality(const db::Row& r) {
  Municipality m;
  m.id = r.Int(0);
  m.slug = r.Text(1);
  m.name = {r.Text(2), r.Text(3)};
  m.governorate = {r.Text(4), r.Text(5)};
  m.address = {r.Text(6), r.Text(7)};
  m.phone = r.Text(8);
  m.email = r.Text(9);
  m.website = r.Text(10);
  return m;
}

}  // namespace

Result<std::shared_ptr<const TenancyStore::Directory>> TenancyStore::Load() const {
  static std::atomic<uint64_t> loads{0};
  auto dir = std::make_shared<Directory>();
  dir->version = ++loads;
  // Taken before reading: a change committed meanwhile makes the snapshot stale at once.
  dir->edition = CatalogEdition();
  dir->loaded_at = std::chrono::steady_clock::now();
  auto rows = db_.Query("SELECT " + std::string(kMunicipalityColumns) +
                        " FROM municipalities ORDER BY name_en");
  if (!rows.ok()) return std::move(rows).error();
  for (const auto& r : *rows) {
    dir->by_slug[r.Text(1)] = dir->municipalities.size();
    dir->municipalities.push_back(ReadMunicipality(r));
  }
  auto deps = db_.Query(
      "SELECT id, municipality_id, slug, name_ar, name_en, phone, email, sort_order "
      "FROM departments ORDER BY municipality_id, sort_order, slug");
  if (!deps.ok()) return std::move(deps).error();
  for (const auto& r : *deps) {
    dir->departments[r.Int(1)].push_back({r.Int(0),
                                          r.Int(1),
                                          r.Text(2),
                                          {r.Text(3), r.Text(4)},
                                          r.Text(5),
                                          r.Text(6),
                                          static_cast<int>(r.Int(7))});
  }
  return std::shared_ptr<const Directory>(std::move(dir));
}

Result<std::shared_ptr<const TenancyStore::Directory>> TenancyStore::Snapshot() const {
  {
    std::lock_guard lock(mu_);
    if (snapshot_ && snapshot_->edition == CatalogEdition() &&
        std::chrono::steady_clock::now() - snapshot_->loaded_at < max_age_) {
      return snapshot_;
    }
  }
  // Loaded outside the lock: concurrent reloads are harmless, the last one wins.
  auto fresh = Load();
  if (!fresh.ok()) return std::move(fresh).error();
  std::lock_guard lock(mu_);
  snapshot_ = *fresh;
  return snapshot_;
}

Result<uint64_t> TenancyStore::DirectoryVersion() const {
  auto dir = Snapshot();
  if (!dir.ok()) return std::move(dir).error();
  return (*dir)->version;
}

Result<std::vector<Municipality>> TenancyStore::ListMunicipalities() const {
  auto dir = Snapshot();
  if (!dir.ok()) return std::move(dir).error();
  return (*dir)->municipalities;
}

Result<Municipality> TenancyStore::FindMunicipality(std::string_view slug) const {
  if (!ValidSlug(slug)) return MakeError(ErrorCode::kNotFound, "error.not_found");
  auto dir = Snapshot();
  if (!dir.ok()) return std::move(dir).error();
  auto it = (*dir)->by_slug.find(slug);
  if (it == (*dir)->by_slug.end()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return (*dir)->municipalities[it->second];
}

Result<Municipality> TenancyStore::Get(int64_t id) const {
  auto dir = Snapshot();
  if (!dir.ok()) return std::move(dir).error();
  for (const auto& m : (*dir)->municipalities) {
    if (m.id == id) return m;
  }
  return MakeError(ErrorCode::kNotFound, "error.not_found");
}

Result<std::vector<Department>> TenancyStore::Departments(int64_t municipality_id) const {
  auto dir = Snapshot();
  if (!dir.ok()) return std::move(dir).error();
  auto it = (*dir)->departments.find(municipality_id);
  if (it == (*dir)->departments.end()) return std::vector<Department>{};
  return it->second;
}

Result<int64_t> TenancyStore::UpsertMunicipality(const Municipality& m, int64_t now_ms) {
  if (!ValidSlug(m.slug) || m.name.ar.empty() || m.name.en.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "municipality needs a slug and names");
  }
  int64_t id = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO municipalities (slug, name_ar, name_en, governorate_ar, governorate_en, "
        "address_ar, address_en, phone, email, website, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (slug) DO UPDATE SET name_ar = excluded.name_ar, name_en = excluded.name_en, "
        "governorate_ar = excluded.governorate_ar, governorate_en = excluded.governorate_en, "
        "address_ar = excluded.address_ar, address_en = excluded.address_en, "
        "phone = excluded.phone, email = excluded.email, website = excluded.website, "
        "updated_at = excluded.updated_at RETURNING id",
        {m.slug, m.name.ar, m.name.en, m.governorate.ar, m.governorate.en, m.address.ar,
         m.address.en, m.phone, m.email, m.website, now_ms, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    id = (*rows)[0].Int(0);
    return Ok();
  });
  NoteCatalogChange();
  if (!s.ok()) return std::move(s).error();
  return id;
}

Result<int64_t> TenancyStore::UpsertDepartment(const Department& d, int64_t now_ms) {
  if (!ValidSlug(d.slug) || d.name.ar.empty() || d.name.en.empty() || d.municipality_id <= 0) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "department needs a slug and names");
  }
  int64_t id = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO departments (municipality_id, slug, name_ar, name_en, phone, email, "
        "sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (municipality_id, slug) DO UPDATE SET name_ar = excluded.name_ar, "
        "name_en = excluded.name_en, phone = excluded.phone, email = excluded.email, "
        "sort_order = excluded.sort_order, updated_at = excluded.updated_at RETURNING id",
        {d.municipality_id, d.slug, d.name.ar, d.name.en, d.phone, d.email, int64_t{d.sort_order},
         now_ms, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    id = (*rows)[0].Int(0);
    return Ok();
  });
  NoteCatalogChange();
  if (!s.ok()) return std::move(s).error();
  return id;
}

}  // namespace baladiya::catalog
