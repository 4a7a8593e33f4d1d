// Staff pages of analytics (web.h): the department head's dashboard (the backlog by service from
// the ledger; the cases at risk of missing their SLA this week and the open cases per clerk, from
// the case store's queue), reached from the account page through /staff/kpi; and the municipal
// administrator's master data of the figures (population, cost per channel, licence).
#include <charconv>

#include "analytics/web_internal.h"
#include "catalog/page.h"
#include "identity/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/money.h"
#include "platform/render/form.h"

namespace baladiya::analytics::internal {
namespace {

using http::Request;
using http::Response;
using identity::Permission;

constexpr int64_t kWeekMs = int64_t{7} * 86'400'000;
// Open cases read for the load per clerk (the queue's pages of 100).
constexpr int kLoadPages = 20;

class StaffPages {
 public:
  explicit StaffPages(std::shared_ptr<Common> c) : c_(std::move(c)) {}

  // /staff/kpi: the dashboard of the first municipality the account heads a department in.
  Response Entry(Request& req) {
    const identity::Principal& who = identity::PrincipalOf(req);
    for (const auto& g : who.grants) {
      if (g.municipality_id == 0 ||
          !identity::AllowedSomewhere(who, Permission::kManageDepartment, g.municipality_id)) {
        continue;
      }
      auto m = c_->o().tenancy->Get(g.municipality_id);
      if (!m.ok()) return c_->o().error_page(http::StatusOf(m.error().code), req);
      return Response::Redirect("/m/" + m->slug + "/staff/kpi");
    }
    return c_->o().error_page(404, req);
  }

  Response Dashboard(Request& req) {
    const WebOptions& o = c_->o();
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    const int64_t now = o.now_ms();
    auto departments = o.tenancy->Departments(m->id);
    if (!departments.ok()) return o.error_page(503, req);
    std::vector<int64_t> mine;  // the departments whose cases the account manages
    bool all = true;
    for (const auto& d : *departments) {
      if (identity::Allowed(who, Permission::kManageDepartment, m->id, d.id)) {
        mine.push_back(d.id);
      } else {
        all = false;
      }
    }
    if (all) mine.clear();
    render::Page page = catalog::MunicipalityPage(*o.site, req, *m, "analytics-dashboard.tpl",
                                                  "/m/" + m->slug + "/staff/kpi",
                                                  Msg().Get(lang, "kpi.dashboard.title"));
    render::Dict& b = page.body();
    auto services = o.services->Summaries(m->id);
    if (!services.ok()) return o.error_page(503, req);
    std::map<int64_t, const catalog::Service*> by_id;
    for (const auto& s : *services) by_id[s.id] = &s;
    auto in_mine = [&](int64_t department) {
      return mine.empty() || std::find(mine.begin(), mine.end(), department) != mine.end();
    };
    auto backlog = o.ledger->BacklogNow(m->id, now);
    if (!backlog.ok()) return o.error_page(503, req);
    for (const auto& x : *backlog) {
      auto it = by_id.find(x.service_id);
      if (it == by_id.end() || !in_mine(it->second->department_id)) continue;
      render::Dict* d = b.AddSectionDictionary("BACKLOG");
      d->SetValue("SERVICE", it->second->name.In(lang));
      d->SetValue("OPEN", c_->Number(x.open, lang));
      d->SetValue("OVERDUE", c_->Number(x.overdue, lang));
      d->SetValue("WEEK", c_->Number(x.due_this_week, lang));
    }
    // Open cases from the queue: at risk this week, and per clerk.
    cases::QueueFilter f;
    f.municipality_id = m->id;
    f.departments = mine;
    f.sort = "due";
    f.limit = 100;
    std::map<int64_t, int64_t> load;
    int at_risk = 0;
    for (int p = 0; p < kLoadPages; ++p) {
      f.offset = p * f.limit;
      auto q = o.cases->Queue(f, now);
      if (!q.ok()) return o.error_page(503, req);
      for (const auto& c : q->cases) {
        ++load[c.assigned_to];
        if (!c.Overdue(now) && c.paused_at == 0 && c.due_at < now + kWeekMs && at_risk < 50) {
          ++at_risk;
          render::Dict* d = b.AddSectionDictionary("RISK");
          d->SetValue("TRACKING", c.tracking);
          d->SetValue("HREF", "/m/" + m->slug + "/cases/" + c.tracking);
          auto it = by_id.find(c.service_id);
          d->SetValue("SERVICE", it == by_id.end() ? "" : it->second->name.In(lang));
          d->SetValue("DUE", i18n::FormatDate(c.due_at, lang));
        }
      }
      if (static_cast<int>(q->cases.size()) < f.limit) break;
    }
    if (at_risk == 0) b.ShowSection("NO_RISK");
    for (const auto& [account, n] : load) {
      render::Dict* d = b.AddSectionDictionary("LOAD");
      if (account == 0) {
        d->SetValue("CLERK", Msg().Get(lang, "kpi.dashboard.unassigned"));
      } else {
        auto a = o.accounts->Get(account, false);
        d->SetValue("CLERK", !a.ok()                   ? std::to_string(account)
                             : lang == i18n::Lang::kAr ? a->full_name_ar
                                                       : a->full_name_en);
      }
      d->SetValue("CASES", c_->Number(n, lang));
    }
    b.SetValue("PERFORMANCE_HREF", "/m/" + m->slug + "/performance");
    b.SetValue("QUEUE_HREF", "/m/" + m->slug + "/queue");
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response AdminForm(Request& req) { return ShowAdmin(req, {}, {}, false, 200); }

  Response AdminSave(Request& req) {
    const WebOptions& o = c_->o();
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    auto text = [&](const char* name) { return std::string(form.Get(name).value_or("")); };
    MunicipalityFacts f;
    f.municipality_id = m->id;
    f.currency = text("currency");
    f.licence = text("licence");
    f.population_source = text("population_source");
    std::map<std::string, std::string> errors;
    auto number = [&](const char* name, int64_t& out) {
      const std::string v = i18n::ToWesternDigits(text(name));
      if (v.empty()) return;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
      if (ec != std::errc() || p != v.data() + v.size()) errors[name] = "kpi.problem.number";
    };
    number("population", f.population);
    int64_t year = 0;
    number("population_year", year);
    f.population_year = static_cast<int>(year);
    for (const auto& ch : Channels()) {
      const std::string name = "cost_" + ch;
      const std::string v = text(name.c_str());
      if (v.empty()) continue;
      auto minor = i18n::ParseMoney(v, f.currency == "JOD" ? "JOD" : "ILS");
      if (!minor.ok()) {
        errors[name] = minor.error().message_key;
      } else {
        f.cost_minor[ch] = *minor;
      }
    }
    if (errors.empty()) {
      Status st = o.master->Set(f, o.now_ms());
      if (!st.ok()) {
        if (st.error().code != ErrorCode::kInvalid) return o.error_page(503, req);
        for (const auto& p : st.error().problems) {
          std::string field = p.path.empty() ? "" : std::get<std::string>(p.path[0]);
          if (field == "cost" && p.path.size() > 1) {
            field = "cost_" + std::get<std::string>(p.path[1]);
          }
          errors.emplace(field, p.key);
        }
      }
    }
    if (!errors.empty()) return ShowAdmin(req, form, errors, false, 422);
    return ShowAdmin(req, {}, {}, true, 200);
  }

 private:
  const i18n::Catalog& Msg() const { return c_->Msg(); }

  Response ShowAdmin(const Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, bool saved, int status) {
    const WebOptions& o = c_->o();
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o.tenancy, req);
    if (!m.ok()) return o.error_page(http::StatusOf(m.error().code), req);
    auto facts = o.master->Get(m->id);
    if (!facts.ok()) return o.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/kpi";
    render::Page page = catalog::MunicipalityPage(*o.site, req, *m, "analytics-admin.tpl", href,
                                                  Msg().Get(lang, "kpi.admin.title"));
    render::Dict& b = page.body();
    if (saved) b.ShowSection("SAVED");
    b.SetValue("SERVICES_HREF", "/m/" + m->slug + "/admin/services");
    b.SetValue("PERFORMANCE_HREF", "/m/" + m->slug + "/performance");
    const bool again = !errors.empty();
    auto value = [&](const char* name, const std::string& stored) {
      return again ? std::string(values.Get(name).value_or("")) : stored;
    };
    auto num = [](int64_t v) { return v ? std::to_string(v) : std::string(); };
    render::Form form;
    form.action = href;
    form.submit_key = "kpi.admin.save";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    render::FormField population{"population",
                                 "kpi.admin.population",
                                 "kpi.admin.population_hint",
                                 "text",
                                 value("population", num(facts->population)),
                                 "off",
                                 "numeric",
                                 false,
                                 true};
    render::FormField source{"population_source",
                             "kpi.admin.population_source",
                             "kpi.admin.population_source_hint",
                             "text",
                             value("population_source", facts->population_source),
                             "off",
                             "",
                             false};
    render::FormField year{"population_year",
                           "kpi.admin.population_year",
                           "",
                           "text",
                           value("population_year", num(facts->population_year)),
                           "off",
                           "numeric",
                           false,
                           true};
    render::FormField licence{"licence", "kpi.admin.licence", "kpi.admin.licence_hint", "select",
                              value("licence", facts->licence)};
    for (const auto& l : Licences())
      licence.options.emplace_back(l, Msg().Get(lang, LicenceKey(l)));
    render::FormField currency{"currency", "kpi.admin.currency", "", "select",
                               value("currency", facts->currency)};
    for (const char* cur : {"ILS", "JOD"}) {
      currency.options.emplace_back(cur, Msg().Get(lang, std::string("kpi.currency.") + cur));
    }
    form.fields = {population, source, year, licence, currency};
    for (const auto& ch : Channels()) {
      auto it = facts->cost_minor.find(ch);
      const std::string stored = it == facts->cost_minor.end()
                                     ? ""
                                     : i18n::ToWesternDigits(i18n::FormatMoney(
                                           it->second, facts->currency, i18n::Lang::kEn));
      std::string plain;
      for (char c : stored) {
        if ((c >= '0' && c <= '9') || c == '.') plain.push_back(c);
      }
      form.fields.push_back({"cost_" + ch, "kpi.admin.cost." + ch, "kpi.admin.cost_hint", "text",
                             value(("cost_" + ch).c_str(), plain), "off", "decimal", false, true});
    }
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  std::shared_ptr<Common> c_;
};

}  // namespace

void AddStaffRoutes(identity::GuardedRoutes& routes, std::shared_ptr<Common> common) {
  using identity::Access;
  auto pages = std::make_shared<StaffPages>(std::move(common));
  auto on = [pages](Response (StaffPages::*fn)(Request&)) {
    return [pages, fn](Request& r) { return ((*pages).*fn)(r); };
  };
  routes.Get("/staff/kpi", Access::SignedIn(), on(&StaffPages::Entry));
  routes.Get("/m/{slug}/staff/kpi", Access::Requires(Permission::kManageDepartment),
             on(&StaffPages::Dashboard));
  routes.Get("/m/{slug}/admin/kpi", Access::Requires(Permission::kManageCatalog),
             on(&StaffPages::AdminForm));
  routes.Post("/m/{slug}/admin/kpi", Access::Requires(Permission::kManageCatalog),
              on(&StaffPages::AdminSave));
}

}  // namespace baladiya::analytics::internal
