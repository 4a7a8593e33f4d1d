// Everything compiled into the binary: templates, message catalogues, static assets, and the
// migrations of every module in order.
#pragma once

#include <span>
#include <vector>

#include "platform/db/migrate.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> AppTemplateFiles();
std::span<const baladiya::EmbeddedFile> AppCatalogFiles();
std::span<const baladiya::EmbeddedFile> AppAssetFiles();

namespace baladiya::app {

// The migrations of all modules, in number order.
std::vector<db::Migration> AllMigrations();

// The embedded file with this name, or empty.
std::string_view FindEmbedded(std::span<const EmbeddedFile> files, std::string_view name);

}  // namespace baladiya::app
