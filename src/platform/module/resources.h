// The platform's own share of every page and document, compiled into the binary: the layout,
// the error page and the form partial (src/platform/render/templates), their messages
// (src/platform/render/i18n), the static assets (web/static, the Arabic web font and Leaflet from
// their npm packages) and the skeleton of the OpenAPI document (src/platform/module/openapi.json).
#pragma once

#include <span>
#include <string_view>

#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> PlatformTemplateFiles();
std::span<const baladiya::EmbeddedFile> PlatformMessageFiles();
std::span<const baladiya::EmbeddedFile> PlatformAssetFiles();
std::span<const baladiya::EmbeddedFile> PlatformOpenApiFiles();

namespace baladiya::module {

// The OpenAPI skeleton: openapi, info, servers, shared components (Error, responses, security
// schemes) and the document's own path.
std::string_view PlatformOpenApi();

}  // namespace baladiya::module
