#include "app/profile_page.h"

#include <map>
#include <memory>

#include "catalog/municipalities.h"
#include "catalog/page.h"
#include "platform/http/errors.h"
#include "platform/render/form.h"

namespace baladiya::app {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

namespace {

class ProfilePages {
 public:
  ProfilePages(const identity::WebServices& ids, catalog::TenancyStore& tenancy, db::Database& db)
      : ids_(ids), tenancy_(tenancy), db_(db) {}

  Response Profile(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto hours = catalog::OpeningHours(db_, m->id);
    if (!hours.ok()) return ids_.error_page(http::StatusOf(hours.error().code), req);
    http::Params values;
    values.Add("name_ar", m->name.ar);
    values.Add("name_en", m->name.en);
    values.Add("address_ar", m->address.ar);
    values.Add("address_en", m->address.en);
    values.Add("phone", m->phone);
    values.Add("email", m->email);
    values.Add("hours_ar", hours->ar);
    values.Add("hours_en", hours->en);
    values.Add("website", m->website);
    return ShowProfile(req, *m, values, {}, false, 200);
  }

  Response SaveProfile(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    auto v = [&](const char* n) { return std::string(form.Get(n).value_or("")); };
    catalog::ProfileInput in;
    in.name = {v("name_ar"), v("name_en")};
    in.address = {v("address_ar"), v("address_en")};
    in.phone = v("phone");
    in.email = v("email");
    in.hours = {v("hours_ar"), v("hours_en")};
    in.website = v("website");
    const identity::Principal& who = identity::PrincipalOf(req);
    Status saved = catalog::SaveProfile(db_, ids_.audit, m->id, in, {who.pseudonym, req.request_id},
                                        ids_.now_ms());
    if (saved.ok()) {
      auto fresh = tenancy_.FindMunicipality(m->slug);
      if (!fresh.ok()) return ids_.error_page(http::StatusOf(fresh.error().code), req);
      return ShowProfile(req, *fresh, form, {}, true, 200);
    }
    if (saved.error().code != ErrorCode::kInvalid) {
      return ids_.error_page(http::StatusOf(saved.error().code), req);
    }
    return ShowProfile(req, *m, form, saved.error().fields, false, 422);
  }

  Response List(Request& req) { return ShowList(req, {}, {}, "", 200); }

  Response Add(Request& req) {
    const http::Params form = req.Form();
    auto v = [&](const char* n) { return std::string(form.Get(n).value_or("")); };
    catalog::NewMunicipality in;
    in.slug = v("slug");
    in.name = {v("name_ar"), v("name_en")};
    in.governorate = {v("governorate_ar"), v("governorate_en")};
    const identity::Principal& who = identity::PrincipalOf(req);
    auto added = catalog::AddMunicipality(db_, ids_.audit, in, {who.pseudonym, req.request_id},
                                          ids_.now_ms());
    if (added.ok()) return ShowList(req, {}, {}, in.slug, 201);
    if (added.error().code != ErrorCode::kInvalid) {
      return ids_.error_page(http::StatusOf(added.error().code), req);
    }
    return ShowList(req, form, added.error().fields, "", 422);
  }

 private:
  Response ShowProfile(const Request& req, const catalog::Municipality& m,
                       const http::Params& values, const std::map<std::string, std::string>& errors,
                       bool saved, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    const std::string href = "/m/" + m.slug + "/profile";
    render::Page page = catalog::MunicipalityPage(*ids_.site, req, m, "admin-profile.tpl", href,
                                                  cat.Get(lang, "profile.title"));
    render::Dict& b = page.body();
    b.SetValue("PUBLIC_HREF", "/m/" + m.slug);
    if (saved) b.ShowSection("SAVED");
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    render::Form form;
    form.action = href;
    form.submit_key = "profile.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {
        {"name_ar", "profile.name_ar", "", "text", v("name_ar"), "off"},
        {"name_en", "profile.name_en", "", "text", v("name_en"), "off", "", true, true},
        {"address_ar", "profile.address_ar", "", "text", v("address_ar"), "off", "", false},
        {"address_en", "profile.address_en", "", "text", v("address_en"), "off", "", false, true},
        {"phone", "profile.phone", "", "tel", v("phone"), "off", "tel", false, true},
        {"email", "profile.email", "", "email", v("email"), "off", "", false, true},
        {"hours_ar", "profile.hours_ar", "profile.hours_hint", "text", v("hours_ar"), "off", "",
         false},
        {"hours_en", "profile.hours_en", "", "text", v("hours_en"), "off", "", false, true},
        {"website", "profile.website", "profile.website_hint", "url", v("website"), "off", "",
         false, true},
    };
    render::IncludeForm(b, form, cat, lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowList(const Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, const std::string& added,
                    int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto all = tenancy_.ListMunicipalities();
    if (!all.ok()) return ids_.error_page(http::StatusOf(all.error().code), req);
    render::Page page(*ids_.site, req, "admin-municipalities.tpl");
    page.SetPath("/admin/municipalities");
    page.SetTitle(cat.Get(lang, "municipalities.title"));
    render::Dict& b = page.body();
    for (const auto& m : *all) {
      render::Dict* row = b.AddSectionDictionary("MUNICIPALITY");
      row->SetValue("NAME", m.name.In(lang));
      row->SetValue("SLUG", m.slug);
      row->SetValue("GOVERNORATE", m.governorate.In(lang));
      if (m.slug == added) {
        b.AddSectionDictionary("ADDED")->SetValue(
            "TEXT", cat.Format(lang, "municipalities.added", {{"name", m.name.In(lang)}}));
        b.SetValue("ADDED_HREF", "/m/" + m.slug + "/staff");
      }
    }
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    render::Form form;
    form.action = "/admin/municipalities";
    form.submit_key = "municipalities.submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    form.fields = {
        {"slug", "municipalities.slug", "municipalities.slug_hint", "text", v("slug"), "off", "",
         true, true},
        {"name_ar", "profile.name_ar", "", "text", v("name_ar"), "off"},
        {"name_en", "profile.name_en", "", "text", v("name_en"), "off", "", true, true},
        {"governorate_ar", "municipalities.governorate_ar", "", "text", v("governorate_ar"), "off",
         "", false},
        {"governorate_en", "municipalities.governorate_en", "", "text", v("governorate_en"), "off",
         "", false, true},
    };
    render::IncludeForm(b, form, cat, lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  const identity::WebServices& ids_;
  catalog::TenancyStore& tenancy_;
  db::Database& db_;
};

}  // namespace

void AddProfilePages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                     catalog::TenancyStore& tenancy, db::Database& db) {
  auto pages = std::make_shared<ProfilePages>(ids, tenancy, db);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  routes.Get("/m/{slug}/profile", admin, on(&ProfilePages::Profile));
  routes.Post("/m/{slug}/profile", admin, on(&ProfilePages::SaveProfile));
  const Access platform = Access::Requires(Permission::kAdministerPlatform);
  routes.Get("/admin/municipalities", platform, on(&ProfilePages::List));
  routes.Post("/admin/municipalities", platform, on(&ProfilePages::Add));
}

}  // namespace baladiya::app
