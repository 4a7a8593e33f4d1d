#include "app/admin_pages.h"

#include <charconv>
#include <memory>

#include "catalog/departments.h"
#include "catalog/page.h"
#include "identity/credentials.h"
#include "identity/staff_admin.h"
#include "platform/crypto/crypto.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::app {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;
using identity::Role;

namespace {

// The roles a municipal admin hands out inside a municipality.
constexpr Role kMunicipalRoles[] = {
    Role::kMunicipalAdmin,      Role::kDepartmentHead, Role::kClerk,
    Role::kCounterClerk,        Role::kAuditor,        Role::kCashier,
    Role::kParticipationOfficer};

// A message above the staff list: what was done (with a value to copy) or why not.
struct Banner {
  std::string key;
  std::string value;
  bool error = false;
};

class AdminPages {
 public:
  AdminPages(const identity::WebServices& ids, catalog::TenancyStore& tenancy, db::Database& db)
      : ids_(ids), tenancy_(tenancy), db_(db) {}

  Response Staff(Request& req) { return ShowStaff(req, {}, {}, "", 200); }

  Response AddStaff(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    http::Params form = req.Form();
    auto role = identity::ParseRole(form.Get("role").value_or(""));
    int64_t department = DepartmentId(m->id, form.Get("department").value_or(""));
    std::map<std::string, std::string> errors;
    if (form.Get("role").value_or("").empty()) {
      errors["role"] = "staff.role_required";
    } else if (!role || *role == Role::kResident || identity::IsPlatformRole(*role)) {
      errors["role"] = "identity.grants.invalid";
    }
    if (department < 0) errors["department"] = "identity.grants.scope";
    identity::Grant grant{role.value_or(Role::kClerk), m->id, std::max<int64_t>(department, 0)};
    const identity::Principal& who = identity::PrincipalOf(req);
    if (errors.empty() && !identity::MayGrant(who, grant)) return ids_.error_page(403, req);
    identity::StaffInput in;
    in.username = std::string(form.Get("username").value_or(""));
    in.full_name_ar = std::string(form.Get("full_name_ar").value_or(""));
    in.full_name_en = std::string(form.Get("full_name_en").value_or(""));
    in.password = crypto::RandomToken(12);
    in.municipality_id = m->id;
    in.grants = {grant};
    if (errors.empty()) {
      auto id = ids_.accounts->CreateStaff(in, *ids_.hasher, {who.pseudonym, req.request_id, m->id},
                                           ids_.now_ms());
      if (id.ok()) return ShowStaff(req, {}, {}, in.username + " — " + in.password, 201);
      errors = id.error().fields;
      if (id.error().code == ErrorCode::kConflict) errors["username"] = "identity.username.taken";
      if (errors.empty()) errors[""] = id.error().message_key;
    }
    return ShowStaff(req, form, errors, "", 422);
  }

  Response SetStatus(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    http::Params form = req.Form();
    int64_t account_id = FindStaff(m->id, req.PathParam("username"));
    if (account_id == 0) return ids_.error_page(404, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    bool disable = form.Get("action").value_or("") == "disable";
    if (account_id == who.account_id) return Refuse(req, "staff.error.self");
    if (disable) {
      auto last = LastAdmin(m->id, account_id);
      if (!last.ok()) return ids_.error_page(503, req);
      if (*last) return Refuse(req, "staff.error.last_admin");
    }
    Status s = ids_.accounts->SetStatus(
        account_id, disable ? identity::AccountStatus::kDisabled : identity::AccountStatus::kActive,
        {who.pseudonym, req.request_id, m->id}, ids_.now_ms());
    if (!s.ok()) return ids_.error_page(s.error().code == ErrorCode::kInvalid ? 400 : 503, req);
    return Response::Redirect("/m/" + m->slug + "/staff");
  }

  // A temporary password for a colleague, shown once to the administrator: their sessions end,
  // they are told through the outbox that it changed, and the change is audited with the
  // administrator as actor.
  Response ResetPassword(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    int64_t account_id = FindStaff(m->id, req.PathParam("username"));
    if (account_id == 0) return ids_.error_page(404, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    if (account_id == who.account_id) return Refuse(req, "staff.error.self_password");
    auto account = ids_.accounts->Get(account_id, true);
    if (!account.ok()) return ids_.error_page(http::StatusOf(account.error().code), req);
    const std::string password = crypto::RandomToken(12);
    auto hash = ids_.hasher->Hash(password);
    if (!hash.ok()) return ids_.error_page(503, req);
    Status set = ids_.accounts->SetPassword(
        account_id, *hash, {who.pseudonym, req.request_id, m->id}, ids_.now_ms(),
        [&](db::Tx& tx) -> Status {
          return ids_.send_password_changed
                     ? ids_.send_password_changed(tx, *account, ids_.now_ms())
                     : Ok();
        });
    if (!set.ok()) return ids_.error_page(http::StatusOf(set.error().code), req);
    if (ids_.notified) ids_.notified();
    Banner done{"staff.password_reset", account->username + " — " + password, false};
    return ShowStaff(req, {}, {}, "", 200, done);
  }

  // The colleague's sessions end (a device left signed in), the account stays active.
  Response EndSessions(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    std::string username(req.PathParam("username"));
    int64_t account_id = FindStaff(m->id, username);
    if (account_id == 0) return ids_.error_page(404, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    if (account_id == who.account_id) return Refuse(req, "staff.error.self_sessions");
    auto ended = identity::EndStaffSessions(db_, ids_.audit, account_id,
                                            {who.pseudonym, req.request_id, m->id}, ids_.now_ms());
    if (!ended.ok()) return ids_.error_page(http::StatusOf(ended.error().code), req);
    return ShowStaff(req, {}, {}, "", 200, {"staff.sessions_ended", username, false});
  }

  // The colleague enrols a new authenticator at their next sign-in (a lost phone).
  Response ResetSecondFactor(Request& req) {
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    std::string username(req.PathParam("username"));
    int64_t account_id = FindStaff(m->id, username);
    if (account_id == 0) return ids_.error_page(404, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    if (account_id == who.account_id) return Refuse(req, "staff.error.self_second_factor");
    Status s = identity::ResetStaffSecondFactor(
        db_, ids_.audit, account_id, {who.pseudonym, req.request_id, m->id}, ids_.now_ms());
    if (!s.ok()) return ids_.error_page(http::StatusOf(s.error().code), req);
    return ShowStaff(req, {}, {}, "", 200, {"staff.second_factor_reset", username, false});
  }

  // The counter: find a resident who is present or on the phone by national ID or phone. Their
  // personal data shows masked; showing one field in full is a separate, audited action.
  Response Residents(Request& req) {
    return ShowResidents(req, std::string(req.query.Get("q").value_or("")), "");
  }

  Response Unmask(Request& req) {
    http::Params form = req.Form();
    std::string q(form.Get("q").value_or(""));
    std::string field(form.Get("field").value_or(""));
    if (field != "national_id" && field != "phone" && field != "email" && field != "birth_date") {
      return ids_.error_page(400, req);
    }
    return ShowResidents(req, q, field);
  }

 private:
  Response Refuse(const Request& req, const char* key) {
    return ShowStaff(req, {}, {}, "", 409, {key, "", true});
  }

  // Whether disabling account_id would leave municipality m without an active administrator.
  Result<bool> LastAdmin(int64_t municipality_id, int64_t account_id) {
    auto staff = ids_.accounts->Staff(municipality_id);
    if (!staff.ok()) return std::move(staff).error();
    bool target_is_admin = false;
    int others = 0;
    for (const auto& a : *staff) {
      auto grants = ids_.accounts->Grants(a.id);
      if (!grants.ok()) return std::move(grants).error();
      bool admin = false;
      for (const auto& g : *grants) {
        admin = admin || (g.role == Role::kMunicipalAdmin && g.municipality_id == municipality_id);
      }
      if (!admin) continue;
      if (a.id == account_id) {
        target_is_admin = true;
      } else if (a.status == identity::AccountStatus::kActive) {
        ++others;
      }
    }
    return target_is_admin && others == 0;
  }

  // A back-office page of municipality m at href, with the municipality's name in the header.
  render::Page SectionPage(const Request& req, const catalog::Municipality& m, const char* tpl,
                           const std::string& href, const char* title_key) const {
    i18n::Lang lang = render::RequestLang(req);
    render::Page page = catalog::MunicipalityPage(*ids_.site, req, m, tpl, href,
                                                  ids_.site->catalog->Get(lang, title_key));
    return page;
  }

  Response ShowResidents(const Request& req, const std::string& q, const std::string& unmask) {
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    identity::FormToken token = identity::TokenFor(req);
    std::string href = "/m/" + m->slug + "/residents";
    render::Page page = SectionPage(req, *m, "admin-residents.tpl", href, "residents.title");
    render::Dict& b = page.body();
    b.SetValue("HREF", href);
    b.SetValue("Q", q);
    if (!q.empty()) {
      // Scope first, then the staff member's quota, then the search; every lookup audited.
      auto account = ids_.accounts->LookUpResident(
          who, m->id, q, unmask, {who.pseudonym, req.request_id, m->id}, ids_.now_ms());
      if (!account.ok() && account.error().code == ErrorCode::kForbidden) {
        return ids_.error_page(403, req);
      }
      if (!account.ok() && account.error().code == ErrorCode::kUnavailable &&
          account.error().fields.count("retry_after")) {
        return identity::TooManyPage(
            ids_, req, std::stoll(account.error().fields.at("retry_after")), "limits.lookups");
      }
      if (!account.ok() && account.error().code != ErrorCode::kNotFound) {
        return ids_.error_page(account.error().code == ErrorCode::kInvalid ? 400 : 503, req);
      }
      if (!account.ok()) {
        b.ShowSection("NOT_FOUND");
      } else {
        render::Dict* r = b.AddSectionDictionary("RESIDENT");
        r->SetValue("NAME", lang == i18n::Lang::kEn && !account->full_name_en.empty()
                                ? account->full_name_en
                                : account->full_name_ar);
        bool may_unmask = identity::Allowed(who, identity::Permission::kUnmaskPersonalData, m->id);
        const auto& p = account->personal;
        for (auto [field, value] :
             {std::pair<const char*, const std::string*>{"national_id", &p.national_id},
              {"phone", &p.phone},
              {"email", &p.email},
              {"birth_date", &p.birth_date}}) {
          if (value->empty()) continue;
          render::Dict* d = r->AddSectionDictionary("FIELD");
          d->SetValue("LABEL", cat.Get(lang, std::string("register.") + field + ".label"));
          bool shown = unmask == field;
          d->SetValue("VALUE", shown ? *value : identity::Mask(*value));
          if (!shown && may_unmask) {
            render::Dict* u = d->AddSectionDictionary("UNMASK");
            u->SetValue("HREF", href + "/unmask");
            u->SetValue("CSRF", token.value);
            u->SetValue("Q", q);
            u->SetValue("FIELD", field);
          }
        }
      }
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  int64_t DepartmentId(int64_t municipality_id, std::string_view slug) {
    if (slug.empty()) return 0;
    auto deps = tenancy_.Departments(municipality_id);
    auto off = catalog::DisabledDepartments(db_, municipality_id);
    if (!deps.ok() || !off.ok()) return -1;
    for (const auto& d : *deps) {
      if (d.slug == slug) return off->contains(d.id) ? -1 : d.id;
    }
    return -1;
  }

  int64_t FindStaff(int64_t municipality_id, std::string_view username) {
    auto staff = ids_.accounts->Staff(municipality_id);
    if (!staff.ok()) return 0;
    for (const auto& a : *staff) {
      if (a.username == username) return a.id;
    }
    return 0;
  }

  Response ShowStaff(const Request& req, const http::Params& values,
                     const std::map<std::string, std::string>& errors, const std::string& created,
                     int status, const Banner& banner = {}) {
    i18n::Lang lang = render::RequestLang(req);
    const auto& cat = *ids_.site->catalog;
    auto m = tenancy_.FindMunicipality(req.PathParam("slug"));
    if (!m.ok()) return ids_.error_page(http::StatusOf(m.error().code), req);
    auto staff = ids_.accounts->Staff(m->id);
    auto deps = tenancy_.Departments(m->id);
    if (!staff.ok() || !deps.ok()) return ids_.error_page(503, req);
    identity::FormToken token = identity::TokenFor(req);
    std::string href = "/m/" + m->slug + "/staff";
    render::Page page = SectionPage(req, *m, "admin-staff.tpl", href, "staff.title");
    render::Dict& b = page.body();
    b.SetValue("CSRF", token.value);
    if (!created.empty()) b.SetValueAndShowSection("CREATED", created, "HAS_CREATED");
    if (!banner.key.empty()) {
      render::Dict* n = b.AddSectionDictionary(banner.error ? "REFUSED" : "DONE");
      n->SetValue("TEXT", cat.Get(lang, banner.key));
      if (!banner.value.empty()) n->SetValueAndShowSection("VALUE", banner.value, "HAS_VALUE");
    }
    std::map<int64_t, std::string> dep_names;
    for (const auto& d : *deps) dep_names[d.id] = d.name.In(lang);
    for (const auto& a : *staff) {
      render::Dict* d = b.AddSectionDictionary("STAFF");
      d->SetValue("USERNAME", a.username);
      d->SetValue("NAME", lang == i18n::Lang::kEn && !a.full_name_en.empty() ? a.full_name_en
                                                                             : a.full_name_ar);
      std::string roles;
      auto grants = ids_.accounts->Grants(a.id);
      if (grants.ok()) {
        for (const auto& g : *grants) {
          if (!roles.empty()) roles += "، ";
          roles += cat.Get(lang, "role." + std::string(identity::RoleName(g.role)));
          if (g.department_id) roles += " (" + dep_names[g.department_id] + ")";
        }
      }
      d->SetValue("ROLES", roles);
      bool active = a.status == identity::AccountStatus::kActive;
      d->SetValue("STATUS", cat.Get(lang, active ? "staff.active" : "staff.disabled"));
      d->SetValue("ACTION_VALUE", active ? "disable" : "enable");
      d->SetValue("ACTION_LABEL", cat.Get(lang, active ? "staff.disable" : "staff.enable"));
      d->SetValue("ACTION_HREF", href + "/" + a.username + "/status");
      d->SetValue("PASSWORD_HREF", href + "/" + a.username + "/password");
      d->SetValue("SECOND_FACTOR_HREF", href + "/" + a.username + "/second-factor");
      d->SetValue("SESSIONS_HREF", href + "/" + a.username + "/sessions");
      d->SetValue("CSRF", token.value);
    }
    render::Form form;
    form.action = href;
    form.submit_key = "staff.add_submit";
    form.csrf = token.value;
    form.errors = errors;
    auto v = [&](const char* n) { return std::string(values.Get(n).value_or("")); };
    render::FormField role{"role", "staff.role", "", "select", v("role")};
    role.options.emplace_back("", cat.Get(lang, "staff.choose_role"));  // no default: a choice
    for (Role r : kMunicipalRoles) {
      std::string name(identity::RoleName(r));
      role.options.emplace_back(name, cat.Get(lang, "role." + name));
    }
    render::FormField dept{"department", "staff.department", "staff.department_hint", "select",
                           v("department")};
    dept.required = false;
    dept.options.emplace_back("", cat.Get(lang, "staff.all_departments"));
    // A disabled department takes no new staff (catalog/departments.h).
    auto off = catalog::DisabledDepartments(db_, m->id);
    if (!off.ok()) return ids_.error_page(503, req);
    for (const auto& d : *deps) {
      if (!off->contains(d.id)) dept.options.emplace_back(d.slug, d.name.In(lang));
    }
    form.fields = {
        {"username", "staff.username", "staff.username_hint", "text", v("username"), "off", "",
         true, true},
        {"full_name_ar", "register.full_name_ar.label", "", "text", v("full_name_ar"), "off"},
        {"full_name_en", "register.full_name_en.label", "", "text", v("full_name_en"), "off", "",
         false, true},
        role,
        dept,
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

void AddAdminRoutes(identity::GuardedRoutes& routes, const identity::WebServices& ids,
                    catalog::TenancyStore& tenancy, db::Database& db) {
  auto pages = std::make_shared<AdminPages>(ids, tenancy, db);
  auto on = http::MemberHandlers(pages);
  routes.Get("/m/{slug}/staff", Access::Requires(Permission::kManageStaff), on(&AdminPages::Staff));
  routes.Post("/m/{slug}/staff", Access::Requires(Permission::kManageStaff),
              on(&AdminPages::AddStaff));
  routes.Post("/m/{slug}/staff/{username}/status", Access::Requires(Permission::kManageStaff),
              on(&AdminPages::SetStatus));
  routes.Post("/m/{slug}/staff/{username}/password", Access::Requires(Permission::kManageStaff),
              on(&AdminPages::ResetPassword));
  routes.Post("/m/{slug}/staff/{username}/second-factor",
              Access::Requires(Permission::kManageStaff), on(&AdminPages::ResetSecondFactor));
  routes.Post("/m/{slug}/staff/{username}/sessions", Access::Requires(Permission::kManageStaff),
              on(&AdminPages::EndSessions));
  routes.Get("/m/{slug}/residents", Access::Requires(Permission::kFileOnBehalf),
             on(&AdminPages::Residents));
  routes.Post("/m/{slug}/residents/unmask", Access::Requires(Permission::kUnmaskPersonalData),
              on(&AdminPages::Unmask));
}

}  // namespace baladiya::app
