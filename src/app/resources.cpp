#include "app/resources.h"

#include <algorithm>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "identity/identity.h"

namespace baladiya::app {

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all = catalog::Migrations();
  for (auto& m : audit::Migrations()) all.push_back(std::move(m));
  for (auto& m : identity::Migrations()) all.push_back(std::move(m));
  std::sort(all.begin(), all.end(),
            [](const db::Migration& a, const db::Migration& b) { return a.number < b.number; });
  return all;
}

std::string_view FindEmbedded(std::span<const EmbeddedFile> files, std::string_view name) {
  for (const auto& f : files) {
    if (f.name == name) return f.data;
  }
  return {};
}

}  // namespace baladiya::app
