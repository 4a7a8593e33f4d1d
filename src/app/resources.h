// Everything compiled into the binary: templates, message catalogues, static assets, and the
// migrations of every module in order.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "platform/db/migrate.h"
#include "platform/embedded.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> AppTemplateFiles();
std::span<const baladiya::EmbeddedFile> AppCatalogFiles();
std::span<const baladiya::EmbeddedFile> AppAssetFiles();

namespace baladiya::app {

// The migrations of all modules, in number order.
std::vector<db::Migration> AllMigrations();

// The embedded file with this name, or empty.
std::string_view FindEmbedded(std::span<const EmbeddedFile> files, std::string_view name);

// What every page is rendered with: the message catalogues, the per-language templates and the
// hashed assets, loaded from the binary. Site points into the others (do not move them apart).
struct SiteResources {
  std::unique_ptr<i18n::Catalog> catalog;
  std::unique_ptr<render::Templates> templates;
  render::Assets assets;
  render::MapConfig map;
  render::Site site;
};
// Fails when a catalogue or a template is malformed (the detail names it).
Result<std::unique_ptr<SiteResources>> LoadSiteResources();

// Gives the site its map (pages then offer one where they call Page::UseMap). An empty
// tiles_url leaves the site without a map. kInvalid when the template is not one
// render::CheckTileTemplate accepts, or when Leaflet was not built in (node_modules was missing
// at build time).
Status EnableMap(SiteResources& resources, render::MapConfig map);

}  // namespace baladiya::app
