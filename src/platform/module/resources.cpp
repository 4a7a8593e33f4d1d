#include "platform/module/resources.h"

namespace baladiya::module {

std::string_view PlatformOpenApi() {
  for (const auto& f : PlatformOpenApiFiles()) {
    if (f.name == "openapi.json") return f.data;
  }
  return "{}";
}

}  // namespace baladiya::module
