#include "app/resources.h"

#include <algorithm>

#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "identity/identity.h"
#include "notify/notify.h"
#include "open311/open311.h"

namespace baladiya::app {

std::vector<db::Migration> AllMigrations() {
  std::vector<db::Migration> all = catalog::Migrations();
  for (auto& m : audit::Migrations()) all.push_back(std::move(m));
  for (auto& m : identity::Migrations()) all.push_back(std::move(m));
  for (auto& m : notify::Migrations()) all.push_back(std::move(m));
  for (auto& m : cases::Migrations()) all.push_back(std::move(m));
  for (auto& m : open311::Migrations()) all.push_back(std::move(m));
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

Result<std::unique_ptr<SiteResources>> LoadSiteResources() {
  auto r = std::make_unique<SiteResources>();
  auto catalog = i18n::Catalog::Load(FindEmbedded(AppCatalogFiles(), "ar.json"),
                                     FindEmbedded(AppCatalogFiles(), "en.json"));
  if (!catalog.ok()) return std::move(catalog).error();
  r->catalog = std::make_unique<i18n::Catalog>(std::move(*catalog));
  auto templates = render::Templates::Load(AppTemplateFiles(), *r->catalog);
  if (!templates.ok()) return std::move(templates).error();
  r->templates = std::move(*templates);
  r->assets = render::Assets::Build(AppAssetFiles());
  r->site = {r->templates.get(), r->catalog.get(), &r->assets};
  return r;
}

Status EnableMap(SiteResources& r, render::MapConfig map) {
  if (!map.enabled()) {
    r.site.map = nullptr;
    return Ok();
  }
  if (std::string why = render::CheckTileTemplate(map.tiles_url); !why.empty()) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "map-tiles-url: " + why);
  }
  for (const char* name :
       {"leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/marker-icon.png",
        "leaflet/marker-icon-2x.png", "leaflet/marker-shadow.png", "map.js", "map.css"}) {
    if (!r.assets.Has(name)) {
      return MakeError(ErrorCode::kInvalid, "error.invalid",
                       std::string("map-tiles-url is set but this build has no ") + name +
                           " (run scripts/bootstrap.sh, then build again)");
    }
  }
  r.map = std::move(map);
  r.site.map = &r.map;
  return Ok();
}

}  // namespace baladiya::app
