#include "app/audit_page.h"

#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <regex>

#include "audit/audit.h"
#include "catalog/page.h"
#include "platform/http/errors.h"
#include "platform/http/url.h"
#include "platform/i18n/arabic.h"

namespace baladiya::app {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

namespace {

// The actions the platform records, named in audit.action_name.* (dots as '_'); others read as
// their key made readable.
constexpr const char* kActions[] = {
    "access.denied",
    "account.close",
    "account.export",
    "account.grants",
    "account.lookup",
    "account.mfa_failures",
    "account.mfa_reset",
    "account.opened_at_counter",
    "account.password",
    "account.recovery_code_used",
    "account.register",
    "account.reset_code",
    "account.reset_code_used",
    "account.staff_create",
    "account.status",
    "account.taken_over",
    "account.totp_disable",
    "account.totp_enable",
    "account.totp_reset",
    "account.unmask",
    "account.verified",
    "boundary.set",
    "calendar.holiday_added",
    "calendar.holiday_removed",
    "case.assigned",
    "case.followed",
    "case.merged",
    "case.reopened",
    "case.submitted",
    "case.transferred",
    "case.transition",
    "department.added",
    "department.changed",
    "department.disabled",
    "department.enabled",
    "document.issued",
    "document.revoked",
    "municipality.added",
    "municipality.changed",
    "payment.posted",
    "payment.refunded",
    "payment.voided",
    "search.synonyms_saved",
    "service.created",
    "service.edited",
    "service.published",
    "service.withdrawn",
    "session.ended",
    "session.ended_by_admin",
    "session.ended_others",
    "session.login",
    "session.login_failed",
    "session.logout",
    "session.renewed",
    "session.replaced",
};

constexpr int kPageSize = 50;
constexpr int kExportMax = 10000;

std::string Param(const Request& req, const char* name) {
  return std::string(req.query.Get(name).value_or(""));
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// "YYYY-MM-DD" of the day after `date` (a valid date).
std::string NextDay(const std::string& date) {
  using namespace std::chrono;
  year_month_day ymd{year{std::stoi(date.substr(0, 4))},
                     month{static_cast<unsigned>(std::stoi(date.substr(5, 2)))},
                     day{static_cast<unsigned>(std::stoi(date.substr(8, 2)))}};
  year_month_day next{sys_days{ymd} + days{1}};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(next.year()),
                static_cast<unsigned>(next.month()), static_cast<unsigned>(next.day()));
  return buf;
}

bool IsTracking(const std::string& s) {
  static const std::regex kTracking("^[A-Z]{2,5}-[0-9]{2}-[0-9]{6}-[0-9]$");
  return std::regex_match(s, kTracking);
}

// What the reader asked for, read from the query string, and what the log is asked.
struct Query {
  std::string from, to, person, tracking, service, action;
  int64_t before = -1;
  audit::AuditLog::Filter filter;
  std::map<std::string, std::string> errors;  // field -> message key

  // The query string of these filters (without paging), each value percent-encoded.
  std::string String() const {
    std::string q;
    for (auto [k, v] : {std::pair<const char*, const std::string*>{"from", &from},
                        {"to", &to},
                        {"person", &person},
                        {"case", &tracking},
                        {"service", &service},
                        {"action", &action}}) {
      if (v->empty()) continue;
      q += (q.empty() ? "" : "&") + std::string(k) + "=" + http::PercentEncode(*v);
    }
    return q;
  }
};

class AuditPages {
 public:
  AuditPages(const identity::WebServices& ids, catalog::TenancyStore& tenancy,
             catalog::ServiceStore& services)
      : ids_(ids), tenancy_(tenancy), services_(services) {}

  Response Show(Request& req) {
    Setting s;
    if (auto r = Load(req, s); r) return *r;
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    std::vector<audit::Entry> entries;
    if (s.q.errors.empty()) {
      s.q.filter.limit = kPageSize;
      auto listed = ids_.audit->List(s.q.filter);
      if (!listed.ok()) return ids_.error_page(http::StatusOf(listed.error().code), req);
      entries = std::move(*listed);
    }
    std::string href = "/m/" + s.m.slug + "/audit";
    render::Page page = catalog::MunicipalityPage(*ids_.site, req, s.m, "admin-audit.tpl", href,
                                                  cat.Get(lang, "audit.title"));
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    b.SetValue("FROM", s.q.from);
    b.SetValue("TO", s.q.to);
    b.SetValue("CASE", s.q.tracking);
    b.SetValue("ZONE", s.zone);
    AddOptions(b, "PERSON_OPTION", s.q.person, s.staff_options);
    std::vector<std::pair<std::string, std::string>> services;
    for (const auto& svc : s.services) services.emplace_back(svc.code, svc.name.In(lang));
    AddOptions(b, "SERVICE_OPTION", s.q.service, services);
    std::vector<std::pair<std::string, std::string>> actions;
    for (const char* a : kActions) actions.emplace_back(a, ActionName(a, lang));
    AddOptions(b, "ACTION_OPTION", s.q.action, actions);
    if (!s.q.errors.empty()) {
      b.ShowSection("ERRORS");
      for (const auto& [field, key] : s.q.errors) {
        render::Dict* e = b.AddSectionDictionary("ERROR");
        e->SetValue("HREF", "#" + field);
        e->SetValue("MESSAGE", cat.Get(lang, key));
      }
    }
    for (const auto& e : entries) {
      render::Dict* d = b.AddSectionDictionary("ENTRY");
      d->SetValue("INDEX", i18n::FormatNumber(e.index, lang));
      d->SetValue("ISO", i18n::FormatIsoUtc(e.time_ms));
      d->SetValue("DATE", i18n::FormatDate(e.time_ms, lang, s.zone));
      d->SetValue("TIME", i18n::FormatTime(e.time_ms, lang, s.zone));
      d->SetValue("ACTION_NAME", ActionName(e.action, lang));
      d->SetValue("ACTION_KEY", e.action);
      Person(*d, "ACTOR", e.actor, s, lang);
      Subject(*d, e.object, s, lang);
      for (const auto& c : e.changes) {
        render::Dict* cd = d->AddSectionDictionary("CHANGE");
        cd->SetValue("FIELD", Label(cat, lang, "audit.field." + c.field, c.field));
        cd->SetValue("BEFORE", Value(c.field, c.before, s, lang));
        cd->SetValue("AFTER", Value(c.field, c.after, s, lang));
      }
      if (e.details_altered) d->ShowSection("ALTERED");
      d->SetValue("REQUEST", e.request_id);
    }
    if (s.q.errors.empty() && entries.empty()) b.ShowSection("EMPTY");
    std::string query = s.q.String();
    b.SetValue("EXPORT", href + "/export" + (query.empty() ? "" : "?" + query));
    if (static_cast<int>(entries.size()) == kPageSize) {
      b.SetValueAndShowSection("OLDER",
                               href + "?" + query + (query.empty() ? "" : "&") +
                                   "before=" + std::to_string(entries.back().index),
                               "HAS_OLDER");
    }
    if (s.q.before >= 0) {
      b.SetValueAndShowSection("NEWEST", href + (query.empty() ? "" : "?" + query), "HAS_NEWEST");
    }
    if (!query.empty()) b.SetValueAndShowSection("CLEAR", href, "HAS_CLEAR");
    Response res = page.Finish(s.q.errors.empty() ? 200 : 400);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  // The filtered view as CSV (UTF-8 with a byte-order mark, so that spreadsheets read Arabic),
  // newest first, at most kExportMax entries.
  Response Export(Request& req) {
    Setting s;
    if (auto r = Load(req, s); r) return *r;
    if (!s.q.errors.empty()) return Show(req);
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    std::string out = "\xEF\xBB\xBF";
    for (const char* h : {"audit.csv.index", "audit.csv.time", "audit.action", "audit.csv.key",
                          "audit.actor", "audit.object", "audit.changes", "audit.request"}) {
      out += (h == std::string("audit.csv.index") ? "" : ",") + CsvCell(cat.Get(lang, h));
    }
    out += "\r\n";
    int written = 0;
    s.q.filter.limit = 500;
    while (written < kExportMax) {
      auto listed = ids_.audit->List(s.q.filter);
      if (!listed.ok()) return ids_.error_page(http::StatusOf(listed.error().code), req);
      for (const auto& e : *listed) {
        std::string changes;
        for (const auto& c : e.changes) {
          if (!changes.empty()) changes += "; ";
          changes += Label(cat, lang, "audit.field." + c.field, c.field) + ": " +
                     Value(c.field, c.before, s, lang) + " → " + Value(c.field, c.after, s, lang);
        }
        std::string subject = e.object;
        if (auto it = s.staff.find(e.object); it != s.staff.end()) subject = it->second.name;
        if (auto it = s.service_objects.find(e.object); it != s.service_objects.end()) {
          subject = it->second->name.In(lang);
        }
        out += CsvCell(std::to_string(e.index)) + "," +
               CsvCell(i18n::FormatLocalIso(e.time_ms, s.zone)) + "," +
               CsvCell(ActionName(e.action, lang)) + "," + CsvCell(e.action) + "," +
               CsvCell(PersonName(e.actor, s, lang)) + "," + CsvCell(subject) + "," +
               CsvCell(changes) + "," + CsvCell(e.request_id) + "\r\n";
        if (++written >= kExportMax) break;
      }
      if (static_cast<int>(listed->size()) < s.q.filter.limit) break;
      s.q.filter.before_index = listed->back().index;
    }
    Response res = Response::Text(200, std::move(out));
    res.headers.Set("content-type", "text/csv; charset=utf-8");
    res.headers.Set("content-disposition", "attachment; filename=\"audit-" + s.m.slug + ".csv\"");
    res.headers.Set("cache-control", "no-store");
    return res;
  }

 private:
  struct StaffMember {
    std::string name;
  };
  // What both views need: the municipality, its zone, its staff and services, and the query.
  struct Setting {
    catalog::Municipality m;
    std::string zone = "Asia/Hebron";
    std::map<std::string, StaffMember> staff;  // by pseudonym
    std::map<int64_t, std::string> staff_by_id;
    std::vector<std::pair<std::string, std::string>> staff_options;  // pseudonym, name
    bool may_open_cases = false;  // the reader works cases here: case subjects link to their page
    std::vector<catalog::Service> services;
    std::map<std::string, const catalog::Service*> service_objects;  // "service:<id>"
    std::map<int64_t, std::string> departments;
    Query q;
  };

  // Fills s; a response when the page cannot be shown at all.
  std::optional<Response> Load(const Request& req, Setting& s) {
    i18n::Lang lang = render::RequestLang(req);
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    s.m = *m;
    s.may_open_cases = identity::Allowed(identity::PrincipalOf(req), Permission::kWorkCases, m->id);
    auto calendar = services_.Calendar(m->id);
    if (!calendar.ok()) return ids_.error_page(http::StatusOf(calendar.error().code), req);
    s.zone = calendar->time_zone;
    auto staff = ids_.accounts->Staff(m->id);
    if (!staff.ok()) return ids_.error_page(http::StatusOf(staff.error().code), req);
    for (const auto& a : *staff) {
      std::string name =
          lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en : a.full_name_ar;
      s.staff[a.pseudonym] = {name};
      s.staff_by_id[a.id] = name;
      s.staff_options.emplace_back(a.pseudonym, name);
    }
    auto services = services_.Summaries(m->id);
    if (!services.ok()) return ids_.error_page(http::StatusOf(services.error().code), req);
    s.services = std::move(*services);
    for (const auto& svc : s.services) {
      s.service_objects["service:" + std::to_string(svc.id)] = &svc;
    }
    auto deps = tenancy_.Departments(m->id);
    if (!deps.ok()) return ids_.error_page(http::StatusOf(deps.error().code), req);
    for (const auto& d : *deps) s.departments[d.id] = d.name.In(lang);

    Query& q = s.q;
    q.filter.municipality_id = m->id;
    q.from = Trim(i18n::ToWesternDigits(Param(req, "from")));
    q.to = Trim(i18n::ToWesternDigits(Param(req, "to")));
    if (!q.from.empty()) {
      auto at = i18n::LocalDayStart(q.from, s.zone);
      if (!at) {
        q.errors["from"] = "audit.error.date";
      } else {
        q.filter.from_ms = *at;
      }
    }
    if (!q.to.empty()) {
      auto at = i18n::LocalDayStart(q.to, s.zone);
      if (!at) {
        q.errors["to"] = "audit.error.date";
      } else {
        q.filter.to_ms = *i18n::LocalDayStart(NextDay(q.to), s.zone);
      }
    }
    if (q.filter.from_ms && q.filter.to_ms && q.filter.to_ms <= q.filter.from_ms) {
      q.errors["to"] = "audit.error.date_order";
    }
    q.person = Param(req, "person");
    if (!q.person.empty()) {
      if (s.staff.count(q.person)) q.filter.person = q.person;
      if (q.filter.person.empty()) q.errors["person"] = "audit.error.person";
    }
    q.tracking = Trim(Param(req, "case"));
    if (!q.tracking.empty()) {
      std::string t = i18n::ToWesternDigits(q.tracking);
      for (char& c : t) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (!IsTracking(t)) {
        q.errors["case"] = "audit.error.case";
      } else {
        q.tracking = t;
        q.filter.object = t;
      }
    }
    q.service = Param(req, "service");
    if (!q.service.empty()) {
      for (const auto& svc : s.services) {
        if (svc.code == q.service) {
          q.filter.service_id = svc.id;
          q.filter.service_object = "service:" + std::to_string(svc.id);
        }
      }
      if (q.filter.service_id == 0) q.errors["service"] = "audit.error.service";
    }
    q.action = Param(req, "action");
    q.filter.action_prefix = q.action;
    std::string before = Param(req, "before");
    if (!before.empty()) {
      int64_t v = -1;
      auto [p, ec] = std::from_chars(before.data(), before.data() + before.size(), v);
      if (ec != std::errc() || p != before.data() + before.size() || v < 0) {
        return ids_.error_page(400, req);
      }
      q.before = v;
      q.filter.before_index = v;
    }
    return std::nullopt;
  }

  static void AddOptions(render::Dict& b, const char* section, const std::string& chosen,
                         const std::vector<std::pair<std::string, std::string>>& options) {
    for (const auto& [value, label] : options) {
      render::Dict* o = b.AddSectionDictionary(section);
      o->SetValue("VALUE", value);
      o->SetValue("LABEL", label);
      if (value == chosen) o->ShowSection("SELECTED");
    }
  }

  static std::string Label(const i18n::Catalog& cat, i18n::Lang lang, const std::string& key,
                           const std::string& fallback) {
    return cat.Has(lang, key) ? cat.Get(lang, key) : fallback;
  }

  // The action in the reader's language; an action without a message reads as its key with
  // spaces ("case.followed_changed" -> "case: followed changed").
  std::string ActionName(const std::string& action, i18n::Lang lang) const {
    std::string key = "audit.action_name." + action;
    for (size_t i = std::string("audit.action_name.").size(); i < key.size(); ++i) {
      if (key[i] == '.') key[i] = '_';
    }
    const auto& cat = *ids_.site->catalog;
    if (cat.Has(lang, key)) return cat.Get(lang, key);
    std::string readable = action;
    size_t dot = readable.find('.');
    if (dot != std::string::npos) readable.replace(dot, 1, ": ");
    for (char& c : readable) {
      if (c == '_' || c == '.') c = ' ';
    }
    return readable;
  }

  std::string PersonName(const std::string& pseudonym, const Setting& s, i18n::Lang lang) const {
    if (auto it = s.staff.find(pseudonym); it != s.staff.end()) return it->second.name;
    if (pseudonym == "system") return ids_.site->catalog->Get(lang, "audit.system");
    return pseudonym;
  }

  // A person: a member of staff by name, the system, or a resident's pseudonym (whole).
  void Person(render::Dict& d, const char* prefix, const std::string& pseudonym, const Setting& s,
              i18n::Lang lang) const {
    const std::string p(prefix);
    if (auto it = s.staff.find(pseudonym); it != s.staff.end()) {
      d.SetValueAndShowSection(p + "_NAME", it->second.name, "HAS_" + p + "_NAME");
    } else if (pseudonym == "system") {
      d.SetValueAndShowSection(p + "_NAME", ids_.site->catalog->Get(lang, "audit.system"),
                               "HAS_" + p + "_NAME");
    } else {
      d.SetValueAndShowSection(p + "_CODE", pseudonym, "HAS_" + p + "_CODE");
    }
  }

  // The entry's subject, whole: a case linked to its page, a service to its admin page, a member
  // of staff by name, anything else as recorded.
  void Subject(render::Dict& d, const std::string& object, const Setting& s,
               i18n::Lang lang) const {
    if (IsTracking(object)) {
      // The case's page for who may open it; for an auditor, every entry of the case.
      render::Dict* l = d.AddSectionDictionary("OBJECT_LINK");
      l->SetValue("HREF", s.may_open_cases ? "/m/" + s.m.slug + "/cases/" + object
                                           : "/m/" + s.m.slug + "/audit?case=" + object);
      l->SetValue("TEXT", object);
      l->ShowSection("LTR");
      return;
    }
    if (auto it = s.service_objects.find(object); it != s.service_objects.end()) {
      render::Dict* l = d.AddSectionDictionary("OBJECT_LINK");
      l->SetValue("HREF", "/m/" + s.m.slug + "/admin/services/" + it->second->code);
      l->SetValue("TEXT", it->second->name.In(lang));
      return;
    }
    Person(d, "OBJECT", object, s, lang);
  }

  // A change's value as read: staff by name, roles and states by label, "—" for none.
  std::string Value(const std::string& field, const std::string& v, const Setting& s,
                    i18n::Lang lang) const {
    const auto& cat = *ids_.site->catalog;
    if (v.empty()) return cat.Get(lang, "audit.none");
    if (v.starts_with("account:")) {
      int64_t id = 0;
      std::from_chars(v.data() + 8, v.data() + v.size(), id);
      auto it = s.staff_by_id.find(id);
      return it != s.staff_by_id.end() ? it->second : v;
    }
    if (field == "state") return Label(cat, lang, "workflow.state." + v, v);
    if (field == "status" || field == "second_factor") {
      return Label(cat, lang, "audit.status." + v, v);
    }
    if (field == "roles") {
      // "clerk@3/5,auditor@3/0"
      std::string out;
      size_t start = 0;
      while (start <= v.size()) {
        size_t comma = v.find(',', start);
        std::string g =
            v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        size_t at = g.find('@');
        size_t slash = g.find('/');
        std::string role = g.substr(0, at);
        std::string text = Label(cat, lang, "role." + role, role);
        if (slash != std::string::npos) {
          int64_t dep = 0;
          std::from_chars(g.data() + slash + 1, g.data() + g.size(), dep);
          if (auto d = s.departments.find(dep); d != s.departments.end()) {
            text += " (" + d->second + ")";
          }
        }
        if (!out.empty()) out += std::string(i18n::ListSeparator(lang));
        out += text;
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return out;
    }
    return v;
  }

  const identity::WebServices& ids_;
  catalog::TenancyStore& tenancy_;
  catalog::ServiceStore& services_;
};

}  // namespace

std::string CsvCell(std::string_view value) {
  std::string out = "\"";
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' ||
                         value[0] == '\t' || value[0] == '\r')) {
    out += '\'';
  }
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

void AddAuditPages(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                   catalog::TenancyStore& tenancy, catalog::ServiceStore& services) {
  auto pages = std::make_shared<AuditPages>(ids, tenancy, services);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/audit", Access::Requires(Permission::kReadAuditLog), on(&AuditPages::Show));
  routes.Get("/m/{slug}/audit/export", Access::Requires(Permission::kReadAuditLog),
             on(&AuditPages::Export));
}

}  // namespace baladiya::app
