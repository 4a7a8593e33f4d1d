// The services list of a municipality (/m/{slug}/admin/services): every service with its state
// and how many texts it lacks in either language, publishing and withdrawing (a service cannot be
// published while a text lacks its Arabic or English version: the refusal lists each missing
// text in the admin's language, linked to where it is written), and the links other modules add.
#include "editor/internal.h"
#include "platform/i18n/arabic.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;
using identity::Access;
using identity::Permission;

class ServicesList : public Base {
 public:
  explicit ServicesList(Options o) : Base(std::move(o)) {}

  Response List(Request& req) { return Show(req, nullptr, 200); }

  // Publishes or withdraws a service. Audited.
  Response Publish(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const bool publish = req.Form().Get("publish").value_or("") == "yes";
    // A withdrawal not confirmed on the confirmation page goes there first.
    if (!publish && req.Form().Get("confirmed").value_or("") != "yes")
      return Response::Redirect(ctx->href + "/withdraw");
    Context changed = *ctx;
    changed.service = ctx->live;  // never the draft: it is published from its versions page
    changed.service.published = publish;
    const identity::Principal& who = identity::PrincipalOf(req);
    const int64_t now = o_.now_ms();
    auto saved = o_.services->Save(changed.service, now, [&](db::Tx& tx, int64_t id) -> Status {
      audit::EntryInput in;
      in.time_ms = now;
      in.actor = who.pseudonym;
      in.action = publish ? "service.published" : "service.withdrawn";
      in.object = "service:" + std::to_string(id);
      in.municipality_id = ctx->municipality.id;
      in.request_id = req.request_id;
      auto r = o_.audit->Append(tx, in);
      if (!r.ok()) return std::move(r).error();
      return Ok();
    });
    if (!saved.ok()) {
      if (saved.error().message_key == "catalog.missing_texts") return Show(req, &changed, 422);
      return o_.error_page(503, req);
    }
    return Response::Redirect("/m/" + ctx->municipality.slug + "/admin/services");
  }

 private:
  // The list; with `refused`, the service whose publishing was refused and why.
  Response Show(const Request& req, const Context* refused, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    auto list = o_.services->List(m->id, false);
    if (!list.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/services";
    render::Page page =
        NewPage(req, *m, "editor-services.tpl", href, T(lang, "admin_services.title"));
    render::Dict& b = page.body();
    if (refused) {
      b.ShowSection("HAS_ERROR");
      b.SetValue("ERROR_TITLE",
                 F(lang, "admin_services.refused", {{"service", refused->service.name.In(lang)}}));
      for (const Problem& p : MissingTexts(*refused, lang)) {
        render::Dict* d = b.AddSectionDictionary("MISSING");
        d->SetValue("TEXT", p.message);
        if (!p.href.empty()) {
          d->ShowSection("HAS_HREF");
          d->SetValue("HREF", p.href);
        }
      }
    }
    const std::string csrf = identity::TokenFor(req).value;
    b.SetValue("NEW_HREF", href + "/new");
    b.SetValue("SYNONYMS_HREF", "/m/" + m->slug + "/admin/search-synonyms");
    for (const AdminLink& link : o_.links) {
      render::Dict* d = b.AddSectionDictionary("LINK");
      d->SetValue("HREF", "/m/" + m->slug + "/" + link.path);
      d->SetValue("LABEL", T(lang, link.label_key));
    }
    for (const auto& s : *list) {
      render::Dict* d = b.AddSectionDictionary("SERVICE");
      d->SetValue("NAME", s.name.In(lang));
      d->SetValue("CODE", s.code);
      d->SetValue("PUBLIC_HREF", "/m/" + m->slug + "/services/" + s.code);
      d->SetValue("EDIT_HREF", href + "/" + s.code);
      d->SetValue("STATUS",
                  T(lang, s.published ? "admin_services.published" : "admin_services.draft"));
      d->SetValue("MISSING_COUNT",
                  i18n::FormatNumber(static_cast<int64_t>(catalog::MissingTexts(s).size()), lang));
      d->SetValue("ACTION_HREF", href + "/" + s.code + "/publish");
      d->SetValue("CSRF", csrf);
      // Withdrawing asks first (editor-withdraw.tpl); publishing is one click.
      d->ShowSection(s.published ? "CAN_WITHDRAW" : "CAN_PUBLISH");
      d->SetValue("WITHDRAW_HREF", href + "/" + s.code + "/withdraw");
      d->SetValue("ACTION_LABEL",
                  T(lang, s.published ? "admin_services.withdraw" : "admin_services.publish"));
    }
    return Finish(page, status);
  }
};

}  // namespace

void AddServicesListRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<ServicesList>(options);
  routes.Get("/m/{slug}/admin/services", Access::Requires(Permission::kManageCatalog),
             [pages](Request& r) { return pages->List(r); });
  routes.Post("/m/{slug}/admin/services/{code}/publish",
              Access::Requires(Permission::kManageCatalog),
              [pages](Request& r) { return pages->Publish(r); });
}

}  // namespace baladiya::editor
