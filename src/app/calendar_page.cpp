#include "app/calendar_page.h"

#include <map>
#include <memory>

#include "catalog/holidays.h"
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

class CalendarPages {
 public:
  CalendarPages(const identity::WebServices& ids, catalog::TenancyStore& tenancy, db::Database& db)
      : ids_(ids), tenancy_(tenancy), db_(db) {}

  Response Show(Request& req) { return Render(req, {}, {}, "", 200); }

  Response Add(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    http::Params form = req.Form();
    catalog::Holiday h;
    h.day = i18n::ToWesternDigits(form.Get("day").value_or(""));
    h.name.ar = std::string(form.Get("name_ar").value_or(""));
    h.name.en = std::string(form.Get("name_en").value_or(""));
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = catalog::AddHoliday(db_, ids_.audit, m->id, h, {who.pseudonym, req.request_id},
                                   ids_.now_ms());
    if (s.ok()) return Render(req, {}, {}, "calendar.added", 201);
    if (s.error().code != ErrorCode::kInvalid) {
      return ids_.error_page(http::StatusOf(s.error().code), req);
    }
    return Render(req, form, s.error().fields, "", 422);
  }

  Response Remove(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = catalog::RemoveHoliday(db_, ids_.audit, m->id, std::string(req.PathParam("day")),
                                      {who.pseudonym, req.request_id}, ids_.now_ms());
    if (!s.ok()) return ids_.error_page(http::StatusOf(s.error().code), req);
    return Render(req, {}, {}, "calendar.removed", 200);
  }

 private:
  Response Render(const Request& req, const http::Params& values,
                  const std::map<std::string, std::string>& errors, const std::string& done,
                  int status) {
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto holidays = catalog::ListHolidays(db_, m->id);
    if (!holidays.ok()) return ids_.error_page(http::StatusOf(holidays.error().code), req);
    identity::FormToken token = identity::TokenFor(req);
    const std::string href = "/m/" + m->slug + "/calendar";
    render::Page page = catalog::MunicipalityPage(*ids_.site, req, *m, "admin-calendar.tpl", href,
                                                  cat.Get(lang, "calendar.title"));
    render::Dict& b = page.body();
    if (!done.empty()) b.AddSectionDictionary("DONE")->SetValue("TEXT", cat.Get(lang, done));
    for (const auto& h : *holidays) {
      render::Dict* d = b.AddSectionDictionary("HOLIDAY");
      d->SetValue("DAY", h.day);
      auto at = i18n::LocalDayStart(h.day, "UTC");
      d->SetValue("DATE", at ? i18n::FormatDate(*at + 12 * 3600 * 1000, lang, "UTC") : h.day);
      d->SetValue("NAME", h.name.In(lang));
      d->SetValue("REMOVE_HREF", href + "/" + h.day + "/remove");
      d->SetValue("CSRF", token.value);
    }
    if (holidays->empty()) b.ShowSection("EMPTY");
    render::Form form;
    form.action = href;
    form.submit_key = "calendar.add_submit";
    form.csrf = token.value;
    form.errors = errors;
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    form.fields = {
        {"day", "calendar.day", "calendar.day_hint", "date", v("day"), "off", "", true, true},
        {"name_ar", "calendar.name_ar", "", "text", v("name_ar"), "off"},
        {"name_en", "calendar.name_en", "", "text", v("name_en"), "off", "", false, true},
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

void AddCalendarPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                      catalog::TenancyStore& tenancy, db::Database& db) {
  auto pages = std::make_shared<CalendarPages>(ids, tenancy, db);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  routes.Get("/m/{slug}/calendar", admin, on(&CalendarPages::Show));
  routes.Post("/m/{slug}/calendar", admin, on(&CalendarPages::Add));
  routes.Post("/m/{slug}/calendar/{day}/remove", admin, on(&CalendarPages::Remove));
}

}  // namespace baladiya::app
