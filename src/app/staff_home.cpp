#include "app/staff_home.h"

#include <memory>
#include <set>

#include "catalog/page.h"
#include "platform/http/errors.h"

namespace baladiya::app {

using http::Request;
using http::Response;
using identity::Permission;

namespace {

// A tool of a municipality: the page under /m/{slug} and the permission that opens it (the
// route's own rule, so a link is shown exactly when following it would be allowed).
struct Tool {
  const char* label_key;
  const char* hint_key;
  const char* path;
  Permission permission;
};

constexpr Tool kTools[] = {
    {"work.queue", "work.queue_hint", "/queue", Permission::kWorkCases},
    {"work.counter", "work.counter_hint", "/counter", Permission::kFileOnBehalf},
    {"work.residents", "work.residents_hint", "/residents", Permission::kFileOnBehalf},
    {"work.cashier", "work.cashier_hint", "/cashier", Permission::kTakePayments},
    {"work.payments", "work.payments_hint", "/payments", Permission::kManageDepartment},
    {"work.kpi", "work.kpi_hint", "/staff/kpi", Permission::kManageDepartment},
    {"work.ratings", "work.ratings_hint", "/ratings", Permission::kManageDepartment},
    {"work.services", "work.services_hint", "/admin/services", Permission::kManageCatalog},
    {"work.ratings", "work.ratings_hint", "/admin/ratings", Permission::kManageCatalog},
    {"work.calendar", "work.calendar_hint", "/calendar", Permission::kManageCatalog},
    {"work.departments", "work.departments_hint", "/departments", Permission::kManageCatalog},
    {"work.profile", "work.profile_hint", "/profile", Permission::kManageCatalog},
    {"work.staff", "work.staff_hint", "/staff", Permission::kManageStaff},
    {"work.audit", "work.audit_hint", "/audit", Permission::kReadAuditLog},
};

class StaffHome {
 public:
  StaffHome(const identity::WebServices& ids, catalog::TenancyStore& tenancy)
      : ids_(ids), tenancy_(tenancy) {}

  Response Show(Request& req) {
    const identity::Principal& who = identity::PrincipalOf(req);
    if (!who.staff) return ids_.error_page(404, req);
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto account = ids_.accounts->Get(who.account_id, false);
    if (!account.ok()) return ids_.error_page(http::StatusOf(account.error().code), req);
    auto all = tenancy_.ListMunicipalities();
    if (!all.ok()) return ids_.error_page(http::StatusOf(all.error().code), req);
    // The municipalities the grants reach: their own, or every one for a platform-wide grant.
    std::set<int64_t> scope;
    bool everywhere = false;
    for (const auto& g : who.grants) {
      if (g.municipality_id == 0) everywhere = true;
      scope.insert(g.municipality_id);
    }
    render::Page page(*ids_.site, req, "staff-home.tpl");
    page.SetPath("/staff");
    page.SetTitle(cat.Get(lang, "work.title"));
    render::Dict& b = page.body();
    b.SetValue("NAME", lang == i18n::Lang::kEn && !account->full_name_en.empty()
                           ? account->full_name_en
                           : account->full_name_ar);
    bool any = false;
    if (identity::Allowed(who, Permission::kReadAcrossMunicipalities, 0)) {
      b.ShowSection("MINISTRY");
      any = true;
    }
    if (identity::Allowed(who, Permission::kAdministerPlatform, 0)) {
      b.ShowSection("PLATFORM");
      any = true;
    }
    for (const auto& m : *all) {
      if (!everywhere && !scope.contains(m.id)) continue;
      render::Dict* section = nullptr;
      for (const Tool& t : kTools) {
        if (!identity::AllowedSomewhere(who, t.permission, m.id)) continue;
        if (section == nullptr) {
          section = b.AddSectionDictionary("MUNICIPALITY");
          section->SetValue("MUNICIPALITY_NAME", m.name.In(lang));
          section->SetValue("SLUG", m.slug);
          Status roles = AddRoles(*section, who, m.id, lang);
          if (!roles.ok()) return ids_.error_page(http::StatusOf(roles.error().code), req);
        }
        render::Dict* d = section->AddSectionDictionary("TOOL");
        d->SetValue("HREF", "/m/" + m.slug + t.path);
        d->SetValue("LABEL", cat.Get(lang, t.label_key));
        d->SetValue("HINT", cat.Get(lang, t.hint_key));
      }
      any = any || section != nullptr;
    }
    if (!any) b.ShowSection("NOTHING");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

 private:
  // "Clerk, Water and Wastewater" for each grant in the municipality.
  Status AddRoles(render::Dict& section, const identity::Principal& who, int64_t municipality_id,
                  i18n::Lang lang) {
    const auto& cat = *ids_.site->catalog;
    auto departments = tenancy_.Departments(municipality_id);
    if (!departments.ok()) return std::move(departments).error();
    for (const auto& g : who.grants) {
      if (g.municipality_id != municipality_id && g.municipality_id != 0) continue;
      std::string text = cat.Get(lang, "role." + std::string(identity::RoleName(g.role)));
      for (const auto& d : *departments) {
        if (d.id == g.department_id && g.department_id != 0) {
          text += cat.Get(lang, "work.role_separator") + d.name.In(lang);
        }
      }
      section.AddSectionDictionary("ROLE")->SetValue("ROLE_TEXT", text);
    }
    return Ok();
  }

  const identity::WebServices& ids_;
  catalog::TenancyStore& tenancy_;
};

}  // namespace

void AddStaffHome(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                  catalog::TenancyStore& tenancy) {
  auto home = std::make_shared<StaffHome>(ids, tenancy);
  routes.Get("/staff", identity::Access::SignedIn(), [home](Request& r) { return home->Show(r); });
}

}  // namespace baladiya::app
