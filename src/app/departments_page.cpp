#include "app/departments_page.h"

#include <map>
#include <memory>

#include "catalog/departments.h"
#include "catalog/page.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::app {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

namespace {

class DepartmentPages {
 public:
  DepartmentPages(const identity::WebServices& ids, catalog::TenancyStore& tenancy,
                  db::Database& db, catalog::ServiceStore& services, cases::CaseStore& cases)
      : ids_(ids), tenancy_(tenancy), db_(db), services_(services), cases_(cases) {}

  // Disabling: refused, naming what keeps the department busy, while it has live services or
  // open cases; then hidden from the choices of new work and shown as disabled.
  Response Disable(Request& req) { return SetDisabled(req, true); }
  Response Enable(Request& req) { return SetDisabled(req, false); }

  Response List(Request& req) { return ShowList(req, {}, {}, "", 200); }

  Response Add(Request& req) {
    const http::Params form = req.Form();
    return Save(req, "", form);
  }

  Response Edit(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto d = Find(m->id, req.PathParam("dept"));
    if (!d) return ids_.error_page(d.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    http::Params values;
    values.Add("name_ar", d->name.ar);
    values.Add("name_en", d->name.en);
    values.Add("phone", d->phone);
    values.Add("email", d->email);
    return ShowEdit(req, *m, *d, values, {}, 200);
  }

  Response Change(Request& req) {
    const http::Params form = req.Form();
    return Save(req, std::string(req.PathParam("dept")), form);
  }

 private:
  // The department of the municipality with this slug: kNotFound, or the directory's error.
  Result<catalog::Department> Find(int64_t municipality_id, std::string_view slug) const {
    auto all = tenancy_.Departments(municipality_id);
    if (!all.ok()) return std::move(all).error();
    for (const auto& d : *all) {
      if (d.slug == slug) return d;
    }
    return MakeError(ErrorCode::kNotFound, "error.not_found");
  }

  Response Save(const Request& req, const std::string& slug, const http::Params& form) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    catalog::DepartmentInput in;
    in.slug = slug;
    in.name.ar = std::string(form.Get("name_ar").value_or(""));
    in.name.en = std::string(form.Get("name_en").value_or(""));
    in.phone = std::string(form.Get("phone").value_or(""));
    in.email = std::string(form.Get("email").value_or(""));
    const identity::Principal& who = identity::PrincipalOf(req);
    auto saved = catalog::SaveDepartment(db_, ids_.audit, m->id, in,
                                         {who.pseudonym, req.request_id}, ids_.now_ms());
    if (saved.ok()) {
      return ShowList(req, {}, {}, slug.empty() ? "departments.added" : "departments.changed",
                      slug.empty() ? 201 : 200);
    }
    if (saved.error().code != ErrorCode::kInvalid) {
      return ids_.error_page(http::StatusOf(saved.error().code), req);
    }
    if (slug.empty()) return ShowList(req, form, saved.error().fields, "", 422);
    auto d = Find(m->id, slug);
    if (!d) return ids_.error_page(d.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return ShowEdit(req, *m, *d, form, saved.error().fields, 422);
  }

  Response SetDisabled(const Request& req, bool disabled) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto d = Find(m->id, req.PathParam("dept"));
    if (!d) return ids_.error_page(d.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    Busy busy;
    if (disabled) {
      auto services = services_.List(m->id, true);
      if (!services.ok()) return ids_.error_page(http::StatusOf(services.error().code), req);
      for (const auto& s : *services) {
        if (s.department_id == d->id) busy.services.push_back(s);
      }
      cases::QueueFilter f;
      f.municipality_id = m->id;
      f.departments = {d->id};
      f.limit = 10;
      auto open = cases_.Queue(f, ids_.now_ms());
      if (!open.ok()) return ids_.error_page(http::StatusOf(open.error().code), req);
      busy.cases = std::move(open->cases);
      busy.total_cases = open->total;
      if (!busy.services.empty() || busy.total_cases > 0) {
        busy.department = d->name.In(render::RequestLang(req));
        busy.department_id = d->id;
        return ShowList(req, {}, {}, "", 409, &busy);
      }
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    Status st = catalog::SetDepartmentDisabled(db_, ids_.audit, m->id, d->slug, disabled,
                                               {who.pseudonym, req.request_id}, ids_.now_ms());
    if (!st.ok()) return ids_.error_page(http::StatusOf(st.error().code), req);
    return ShowList(req, {}, {},
                    disabled ? "departments.disabled_done" : "departments.enabled_done", 200);
  }

  // What keeps a department from being disabled.
  struct Busy {
    std::string department;
    int64_t department_id = 0;
    std::vector<catalog::Service> services;
    std::vector<cases::Case> cases;  // the first ten
    int64_t total_cases = 0;
  };

  // The four fields of a department, valued from `values`.
  static std::vector<render::FormField> Fields(const http::Params& values) {
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    return {{"name_ar", "departments.name_ar", "", "text", v("name_ar"), "off"},
            {"name_en", "departments.name_en", "departments.name_en_hint", "text", v("name_en"),
             "off", "", true, true},
            {"phone", "departments.phone", "", "tel", v("phone"), "off", "tel", false, true},
            {"email", "departments.email", "", "email", v("email"), "off", "", false, true}};
  }

  Response ShowList(const Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, const std::string& done,
                    int status, const Busy* busy = nullptr) {
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto departments = tenancy_.Departments(m->id);
    if (!departments.ok()) return ids_.error_page(http::StatusOf(departments.error().code), req);
    const std::string href = "/m/" + m->slug + "/departments";
    render::Page page = catalog::MunicipalityPage(*ids_.site, req, *m, "admin-departments.tpl",
                                                  href, cat.Get(lang, "departments.title"));
    render::Dict& b = page.body();
    if (!done.empty()) b.AddSectionDictionary("DONE")->SetValue("TEXT", cat.Get(lang, done));
    auto disabled = catalog::DisabledDepartments(db_, m->id);
    if (!disabled.ok()) return ids_.error_page(http::StatusOf(disabled.error().code), req);
    const std::string csrf = identity::TokenFor(req).value;
    b.SetValue("CSRF", csrf);
    if (busy) {
      render::Dict* r = b.AddSectionDictionary("BUSY");
      r->SetValue("TEXT", cat.Format(lang, "departments.busy", {{"name", busy->department}}));
      for (const auto& s : busy->services) {
        render::Dict* l = r->AddSectionDictionary("BUSY_SERVICE");
        l->SetValue("HREF", "/m/" + m->slug + "/admin/services/" + s.code);
        l->SetValue("LABEL", s.name.In(lang));
      }
      if (busy->total_cases > 0) {
        r->SetValueAndShowSection(
            "CASES_TEXT",
            cat.Format(lang, "departments.busy_cases",
                       {{"count", i18n::FormatNumber(busy->total_cases, lang)}}),
            "HAS_CASES");
        const bool can_open = identity::Allowed(identity::PrincipalOf(req), Permission::kWorkCases,
                                                m->id, busy->department_id);
        for (const auto& c : busy->cases) {
          render::Dict* l = r->AddSectionDictionary("BUSY_CASE");
          l->SetValue("TRACKING", c.tracking);
          if (can_open) {
            l->SetValueAndShowSection("HREF", "/m/" + m->slug + "/cases/" + c.tracking, "LINKED");
          } else {
            l->ShowSection("UNLINKED");
          }
        }
      }
    }
    for (const auto& d : *departments) {
      render::Dict* row = b.AddSectionDictionary("DEPARTMENT");
      row->SetValue("NAME", d.name.In(lang));
      row->SetValue("PHONE", d.phone);
      row->SetValue("EMAIL", d.email);
      row->SetValue("EDIT_HREF", href + "/" + d.slug);
      const bool off = disabled->contains(d.id);
      row->ShowSection(off ? "DISABLED" : "ENABLED");
      row->SetValue("TOGGLE_ACTION", href + "/" + d.slug + (off ? "/enable" : "/disable"));
      row->SetValue("TOGGLE_LABEL",
                    cat.Get(lang, off ? "departments.enable" : "departments.disable"));
    }
    render::Form form;
    form.action = href;
    form.submit_key = "departments.add_submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = Fields(values);
    render::IncludeForm(b, form, cat, lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowEdit(const Request& req, const catalog::Municipality& m,
                    const catalog::Department& d, const http::Params& values,
                    const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    const std::string list = "/m/" + m.slug + "/departments";
    render::Page page =
        catalog::MunicipalityPage(*ids_.site, req, m, "admin-department.tpl", list + "/" + d.slug,
                                  cat.Get(lang, "departments.edit_title"));
    render::Dict& b = page.body();
    b.SetValue("NAME", d.name.In(lang));
    b.SetValue("LIST_HREF", list);
    render::Form form;
    form.action = list + "/" + d.slug;
    form.submit_key = "departments.save_submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = Fields(values);
    render::IncludeForm(b, form, cat, lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  const identity::WebServices& ids_;
  catalog::TenancyStore& tenancy_;
  db::Database& db_;
  catalog::ServiceStore& services_;
  cases::CaseStore& cases_;
};

}  // namespace

void AddDepartmentPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                        catalog::TenancyStore& tenancy, db::Database& db,
                        catalog::ServiceStore& services, cases::CaseStore& cases) {
  auto pages = std::make_shared<DepartmentPages>(ids, tenancy, db, services, cases);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  routes.Get("/m/{slug}/departments", admin, on(&DepartmentPages::List));
  routes.Post("/m/{slug}/departments", admin, on(&DepartmentPages::Add));
  routes.Get("/m/{slug}/departments/{dept}", admin, on(&DepartmentPages::Edit));
  routes.Post("/m/{slug}/departments/{dept}", admin, on(&DepartmentPages::Change));
  routes.Post("/m/{slug}/departments/{dept}/disable", admin, on(&DepartmentPages::Disable));
  routes.Post("/m/{slug}/departments/{dept}/enable", admin, on(&DepartmentPages::Enable));
}

}  // namespace baladiya::app
