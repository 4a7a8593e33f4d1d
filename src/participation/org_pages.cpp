// Organisations on the web (web.h): the municipality's organisations and the form that registers
// one, an organisation's page (its members for members, the form that adds one for its
// administrators), the officer's verification on the participation admin page, and the "post as"
// choice on the proposal and comment forms. The store decides.
#include "catalog/page.h"
#include "identity/web.h"
#include "participation/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::participation {
namespace {

using http::Request;
using http::Response;

std::string Lang(const Request& req) {
  return render::RequestLang(req) == i18n::Lang::kEn ? "?lang=en" : "";
}

Actor ActorOf(const Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  return {who.account_id, who.pseudonym, req.request_id};
}

std::string KindText(const i18n::Catalog& msg, i18n::Lang lang, OrgKind k) {
  return msg.Get(lang, "participation.org.kind." + std::string(OrgKindName(k)));
}

std::string MembersText(const i18n::Catalog& msg, i18n::Lang lang, int64_t n) {
  return msg.Format(lang, "participation.org.members_count", {{"n", i18n::FormatNumber(n, lang)}});
}

class OrgPages {
 public:
  explicit OrgPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) { return ShowList(req, {}, {}, 200); }

  Response Register(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    auto kind = ParseOrgKind(form.Get("kind").value_or(""));
    if (!kind) return ShowList(req, form, {{"kind", "participation.org.kind_missing"}}, 422);
    OrganisationInput in{std::string(form.Get("name").value_or("")), *kind,
                         std::string(form.Get("registration_number").value_or(""))};
    auto org = o_.store->RegisterOrganisation(m->id, in, ActorOf(req), o_.now_ms());
    if (!org.ok()) {
      switch (org.error().code) {
        case ErrorCode::kInvalid:
          return ShowList(req, form, org.error().fields, 422);
        case ErrorCode::kConflict:
          return ShowList(req, form, {{"name", org.error().message_key}}, 409);
        default:
          return o_.error_page(503, req);
      }
    }
    return Response::Redirect("/m/" + m->slug + "/participate/organisations/" + org->token +
                              Lang(req));
  }

  Response Show(Request& req) { return ShowOrg(req, {}, {}, "", 200); }

  Response AddMember(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto org = o_.store->GetOrganisation(m->id, req.PathParam("org"));
    if (!org.ok()) return o_.error_page(org.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    const http::Params form = req.Form();
    Status s =
        o_.store->AddMember(*org, form.Get("national_id").value_or(""), ActorOf(req), o_.now_ms());
    if (!s.ok()) {
      switch (s.error().code) {
        case ErrorCode::kInvalid:
          return ShowOrg(req, form, s.error().fields, "", 422);
        case ErrorCode::kForbidden:
        case ErrorCode::kConflict:
          return ShowOrg(req, form, {}, s.error().message_key, http::StatusOf(s.error().code));
        default:
          return o_.error_page(503, req);
      }
    }
    return ShowOrg(req, {}, {}, "participation.org.member_added", 200);
  }

  Response Verify(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto org = o_.store->GetOrganisation(m->id, req.PathParam("org"));
    if (!org.ok()) return o_.error_page(org.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    const http::Params form = req.Form();
    Status s = o_.store->VerifyOrganisation(*org, form.Get("documents").value_or(""), ActorOf(req),
                                            o_.now_ms());
    if (!s.ok()) {
      switch (s.error().code) {
        case ErrorCode::kInvalid:
          return o_.admin_list(req, s.error().fields.begin()->second, 422);
        case ErrorCode::kConflict:
          return o_.admin_list(req, s.error().message_key, 409);
        default:
          return o_.error_page(503, req);
      }
    }
    return o_.admin_list(req, "participation.org.verified_now", 200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response ShowList(const Request& req, const http::Params& values,
                    const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto orgs = o_.store->Organisations(m->id);
    if (!orgs.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/participate/organisations";
    render::Page page =
        catalog::MunicipalityPage(*o_.site, req, *m, "participation-organisations.tpl", href,
                                  Msg().Get(lang, "participation.org.title"));
    render::Dict& b = page.body();
    b.SetValue("LIST_HREF", "/m/" + m->slug + "/participate" + Lang(req));
    bool any = false;
    for (const Organisation& o : *orgs) {
      if (o.verified_at == 0) continue;
      any = true;
      render::Dict* d = b.AddSectionDictionary("ORG");
      d->SetValue("HREF", href + "/" + o.token + Lang(req));
      d->SetValue("NAME", o.name);
      d->SetValue("KIND", KindText(Msg(), lang, o.kind));
      d->SetValue("MEMBERS", MembersText(Msg(), lang, o.members));
    }
    if (!any) b.ShowSection("NO_ORGS");
    const identity::Principal& who = identity::PrincipalOf(req);
    if (who.anonymous()) {
      b.SetValueAndShowSection("LOGIN_HREF", "/login", "SIGN_IN");
    } else {
      auto mine = o_.store->OrganisationsOf(m->id, who.account_id);
      if (!mine.ok()) return o_.error_page(503, req);
      for (const Organisation& o : *mine) {
        render::Dict* d = b.AddSectionDictionary("MINE");
        d->SetValue("HREF", href + "/" + o.token + Lang(req));
        d->SetValue("NAME", o.name);
        d->SetValue("STATE", Msg().Get(lang, o.verified_at != 0 ? "participation.org.verified"
                                                                : "participation.org.unverified"));
      }
      if (!mine->empty()) b.ShowSection("HAS_MINE");
      render::Form form;
      form.action = href;
      form.submit_key = "participation.org.register_submit";
      form.csrf = identity::TokenFor(req).value;
      form.errors = errors;
      render::FormField name{"name", "participation.org.name", ""};
      name.value = std::string(values.Get("name").value_or(""));
      render::FormField kind{"kind", "participation.org.kind_label", "", "select"};
      kind.value = std::string(values.Get("kind").value_or("ngo"));
      for (OrgKind k : AllOrgKinds()) {
        kind.options.push_back({std::string(OrgKindName(k)), KindText(Msg(), lang, k)});
      }
      render::FormField reg{"registration_number", "participation.org.registration",
                            "participation.org.registration_hint"};
      reg.value = std::string(values.Get("registration_number").value_or(""));
      reg.ltr = true;
      form.fields = {name, kind, reg};
      render::IncludeForm(b, form, Msg(), lang);
      b.ShowSection("CAN_REGISTER");
    }
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response ShowOrg(const Request& req, const http::Params& values,
                   const std::map<std::string, std::string>& errors, const std::string& notice,
                   int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto org = o_.store->GetOrganisation(m->id, req.PathParam("org"));
    if (!org.ok()) return o_.error_page(org.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    auto members = o_.store->Members(org->id);
    if (!members.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/participate/organisations/" + org->token;
    render::Page page = catalog::MunicipalityPage(
        *o_.site, req, *m, "participation-organisation.tpl", href, org->name);
    render::Dict& b = page.body();
    b.SetValue("LIST_HREF", "/m/" + m->slug + "/participate/organisations" + Lang(req));
    b.SetValue("NAME", org->name);
    b.SetValue("KIND", KindText(Msg(), lang, org->kind));
    b.SetValue("STATE", Msg().Get(lang, org->verified_at != 0 ? "participation.org.verified"
                                                              : "participation.org.unverified"));
    b.SetValue("REGISTRATION", org->registration_number);
    if (!notice.empty()) {
      b.SetValueAndShowSection("NOTICE", Msg().Get(lang, notice),
                               status < 300 ? "HAS_NOTICE" : "HAS_ALERT");
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    bool member = false, admin = false;
    for (const OrgMember& x : *members) {
      if (!who.anonymous() && x.account_id == who.account_id) {
        member = true;
        admin = x.admin;
      }
    }
    if (member) {
      for (const OrgMember& x : *members) {
        render::Dict* d = b.AddSectionDictionary("MEMBER");
        d->SetValue("MEMBER_NAME", x.name);
        if (x.admin) d->ShowSection("ADMIN");
      }
      b.ShowSection("IS_MEMBER");
      if (org->verified_at == 0) b.ShowSection("PENDING_NOTE");
    }
    if (admin) {
      render::Form form;
      form.action = href + "/members";
      form.submit_key = "participation.org.add_submit";
      form.csrf = identity::TokenFor(req).value;
      form.errors = errors;
      render::FormField id{"national_id", "participation.verify.national_id",
                           "participation.org.add_hint"};
      id.value = std::string(values.Get("national_id").value_or(""));
      id.inputmode = "numeric";
      id.autocomplete = "off";
      id.ltr = true;
      form.fields = {id};
      render::IncludeForm(b, form, Msg(), lang);
      b.ShowSection("CAN_ADD");
    }
    Response res = page.Finish(status);
    if (!who.anonymous()) res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

Status FillAdminOrganisations(render::Dict& b, const WebOptions& o, const Request& req,
                              const catalog::Municipality& m) {
  auto orgs = o.store->Organisations(m.id);
  if (!orgs.ok()) return std::move(orgs).error();
  const i18n::Lang lang = render::RequestLang(req);
  const i18n::Catalog& msg = *o.site->catalog;
  const std::string csrf = identity::TokenFor(req).value;
  bool any = false;
  for (const Organisation& org : *orgs) {
    if (org.verified_at != 0) continue;
    any = true;
    render::Dict* d = b.AddSectionDictionary("PENDING");
    d->SetValue("NAME", org.name);
    d->SetValue("TOKEN", org.token);
    d->SetValue("KIND", KindText(msg, lang, org.kind));
    d->SetValue("REGISTRATION", org.registration_number);
    d->SetValue("MEMBERS", MembersText(msg, lang, org.members));
    d->SetValue("ACTION", "/m/" + m.slug + "/admin/participation/organisations/" + org.token +
                              "/verify" + (lang == i18n::Lang::kEn ? "?lang=en" : ""));
    d->SetValue("CSRF", csrf);
  }
  if (!any) b.ShowSection("NO_PENDING");
  return Ok();
}

Status PostAsField(render::Form& form, const WebOptions& o, const Request& req, const Process& p,
                   const http::Params& values) {
  const identity::Principal& who = identity::PrincipalOf(req);
  if (who.anonymous()) return Ok();
  auto mine = o.store->OrganisationsOf(p.municipality_id, who.account_id);
  if (!mine.ok()) return std::move(mine).error();
  const i18n::Lang lang = render::RequestLang(req);
  render::FormField as{"organisation", "participation.org.post_as", "", "select"};
  as.required = false;
  as.value = std::string(values.Get("organisation").value_or(""));
  as.options.push_back({"", o.site->catalog->Get(lang, "participation.org.myself")});
  for (const Organisation& org : *mine) {
    if (org.verified_at != 0) as.options.push_back({org.token, org.name});
  }
  if (as.options.size() > 1) form.fields.insert(form.fields.begin(), as);
  return Ok();
}

void AddOrganisationRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<OrgPages>(options);
  auto on = http::MemberHandlers(pages);
  const std::string base = "/m/{slug}/participate/organisations";
  routes.Get(base, Access::Public(), on(&OrgPages::List));
  routes.Post(base, Access::SignedIn(), on(&OrgPages::Register));
  routes.Get(base + "/{org}", Access::Public(), on(&OrgPages::Show));
  routes.Post(base + "/{org}/members", Access::SignedIn(), on(&OrgPages::AddMember));
  routes.Post("/m/{slug}/admin/participation/organisations/{org}/verify",
              Access::Requires(Permission::kRunParticipation), on(&OrgPages::Verify));
}

}  // namespace baladiya::participation
