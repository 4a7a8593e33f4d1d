#include "app/resources.h"

#include <algorithm>

#include "catalog/catalog.h"

namespace baladiya::app {

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all = catalog::Migrations();
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
