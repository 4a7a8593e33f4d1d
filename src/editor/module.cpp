// The editor module as the program is built from it (platform/module/module.h): the service
// editor's pages; what it needs of cases and the links of other modules come in through
// Extensions, filled by the modules that know both (the app).
#include "platform/module/module.h"

#include "catalog/departments.h"
#include "editor/editor.h"
#include "identity/identity.h"

std::span<const baladiya::EmbeddedFile> EditorMessageFiles();
std::span<const baladiya::EmbeddedFile> EditorTemplateFiles();

namespace baladiya::editor {

namespace {

Status Open(module::Context& ctx) {
  ctx.parts.Own(std::make_unique<Extensions>());
  return Ok();
}

Status Routes(module::Context& ctx) {
  const Extensions& ext = ctx.parts.Get<Extensions>();
  Options o;
  o.services = &ctx.parts.Get<catalog::ServiceStore>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.audit = &ctx.parts.Get<audit::AuditLog>();
  o.open_cases = &ext.open_cases;
  o.disabled_departments = [&db = ctx.db](int64_t municipality_id) {
    auto off = catalog::DisabledDepartments(db, municipality_id);
    return off.ok() ? std::move(*off) : std::set<int64_t>{};
  };
  o.links = ext.links;
  o.site = &ctx.site;
  o.now_ms = ctx.now_ms;
  if (identity::AccountStore* accounts = ctx.parts.Find<identity::AccountStore>()) {
    o.staff_name = [accounts](int64_t municipality_id, const std::string& pseudonym,
                              i18n::Lang lang) -> std::string {
      auto staff = accounts->Staff(municipality_id);
      if (!staff.ok()) return {};
      for (const auto& a : *staff) {
        if (a.pseudonym != pseudonym) continue;
        return lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en : a.full_name_ar;
      }
      return {};
    };
  }
  auto error_page = ctx.web->error_page;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  AddRoutes(ctx.parts.Get<identity::GuardedRoutes>(), o);
  return Ok();
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "editor";
  m.messages = EditorMessageFiles;
  m.templates = EditorTemplateFiles;
  m.open = Open;
  m.routes = Routes;
  return m;
}

}  // namespace baladiya::editor
