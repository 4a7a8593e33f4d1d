// The municipal admin's Open311 API key pages (pages.h): the municipality's keys, issuing one
// (the key is shown on the answer once; KeyStore keeps only its hash) and revoking one after a
// confirmation. Issuing and revoking are audited by KeyStore.
#include <charconv>
#include <memory>

#include "catalog/page.h"
#include "identity/web.h"
#include "open311/pages.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::open311 {
namespace {

using http::Request;
using http::Response;

class KeyPages {
 public:
  explicit KeyPages(PageOptions o) : o_(std::move(o)) {}

  Response List(Request& req) { return Show(req, {}, {}, nullptr, "", 200); }

  Response Issue(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const std::string label(form.Get("label").value_or(""));
    KeyTerms terms;
    if (auto days = form.Get("days")) {  // a year when the form does not say
      auto [end, ec] = std::from_chars(days->data(), days->data() + days->size(), terms.days);
      if (ec != std::errc() || end != days->data() + days->size()) terms.days = 0;
    }
    terms.notes_on_all = form.Get("notes").value_or("") == "all";
    const identity::Principal& who = identity::PrincipalOf(req);
    auto issued = o_.keys->Issue(m->id, label, *o_.hasher, Msg(),
                                 {who.pseudonym, req.request_id, m->id}, o_.now_ms(), terms);
    if (!issued.ok()) {
      if (issued.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      const char* field =
          issued.error().message_key == "open311.key_days_invalid" ? "days" : "label";
      return Show(req, form, {{field, issued.error().message_key}}, nullptr, "", 422);
    }
    return Show(req, {}, {}, &*issued, "", 201);
  }

  Response ConfirmRevoke(Request& req) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return o_.error_page(http::StatusOf(m.error().code), req);
    auto key = LiveKey(req, m->id);
    if (!key) return o_.error_page(404, req);
    const std::string href = Href(*m);
    render::Page page = AdminPage(req, *m, "open311-key-revoke.tpl",
                                  href + "/" + std::to_string(key->id) + "/revoke");
    render::Dict& b = page.body();
    b.SetValue("LABEL", key->label);
    b.SetValue("CREATED", i18n::FormatDate(key->created_at, lang));
    b.SetValue("ACTION_HREF", href + "/" + std::to_string(key->id) + "/revoke");
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("LIST_HREF", href);
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response Revoke(Request& req) {
    auto m = Municipality(req);
    if (!m) return o_.error_page(http::StatusOf(m.error().code), req);
    auto key = LiveKey(req, m->id);
    if (!key) return o_.error_page(404, req);
    const std::string confirm_href = Href(*m) + "/" + std::to_string(key->id) + "/revoke";
    // Only the confirmation page's form says yes; anything else asks again.
    if (req.Form().Get("confirm").value_or("") != "yes") return Response::Redirect(confirm_href);
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.keys->Revoke(key->id, m->id, {who.pseudonym, req.request_id, m->id}, o_.now_ms());
    if (!s.ok()) return o_.error_page(s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return Show(req, {}, {}, nullptr, key->label, 200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  static std::string Href(const catalog::Municipality& m) {
    return "/m/" + m.slug + "/admin/open311-keys";
  }

  // kNotFound for no such municipality, kUnavailable when the directory cannot be read.
  Result<catalog::Municipality> Municipality(const Request& req) const {
    return catalog::MunicipalityOf(*o_.tenancy, req);
  }

  // The live key of the path's {id} in the municipality, or nullopt.
  std::optional<ApiKey> LiveKey(const Request& req, int64_t municipality_id) const {
    const std::string_view text = req.PathParam("id");
    int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    auto keys = o_.keys->OfMunicipality(municipality_id);
    if (!keys.ok()) return std::nullopt;
    for (const auto& k : *keys) {
      if (k.id == id && k.revoked_at == 0) return k;
    }
    return std::nullopt;
  }

  render::Page AdminPage(const Request& req, const catalog::Municipality& m, const char* tpl,
                         const std::string& path) const {
    const i18n::Lang lang = render::RequestLang(req);
    render::Page page = catalog::MunicipalityPage(*o_.site, req, m, tpl, path,
                                                  Msg().Get(lang, "open311_keys.title"));
    return page;
  }

  // The list and the issue form; `issued` (a new key, shown this once) or `revoked` (a label)
  // add a notice at the top.
  Response Show(const Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, const IssuedKey* issued,
                const std::string& revoked, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = Municipality(req);
    if (!m) return o_.error_page(http::StatusOf(m.error().code), req);
    auto keys = o_.keys->OfMunicipality(m->id);
    if (!keys.ok()) return o_.error_page(503, req);
    const std::string href = Href(*m);
    render::Page page = AdminPage(req, *m, "open311-keys.tpl", href);
    render::Dict& b = page.body();
    b.SetValue("SERVICES_HREF", "/m/" + m->slug + "/admin/services");
    if (issued) {
      render::Dict* d = b.AddSectionDictionary("ISSUED");
      d->SetValue("KEY", issued->key);
      d->SetValue("ISSUED_LABEL", issued->record.label);
      d->SetValue("ACCOUNT", Msg().Format(lang, "open311_keys.issued_account",
                                          {{"username", issued->username}}));
    }
    if (!revoked.empty()) {
      b.SetValueAndShowSection(
          "REVOKED", Msg().Format(lang, "open311_keys.revoked_notice", {{"label", revoked}}),
          "HAS_REVOKED");
    }
    // Newest first: the key just issued heads the list.
    for (auto it = keys->rbegin(); it != keys->rend(); ++it) {
      const ApiKey& k = *it;
      render::Dict* d = b.AddSectionDictionary("KEY_ROW");
      d->SetValue("LABEL", k.label);
      d->SetValue("CREATED", i18n::FormatDate(k.created_at, lang));
      d->SetValue("LAST_USED", k.last_used_at ? i18n::FormatDate(k.last_used_at, lang)
                                              : Msg().Get(lang, "open311_keys.never"));
      d->SetValue("EXPIRES", k.expires_at ? i18n::FormatDate(k.expires_at, lang)
                                          : Msg().Get(lang, "open311_keys.never"));
      d->SetValue("SCOPE", Msg().Get(lang, k.notes_on_all ? "open311_keys.scope_all"
                                                          : "open311_keys.scope_own"));
      if (k.revoked_at) {
        d->SetValue("STATUS", Msg().Format(lang, "open311_keys.revoked",
                                           {{"date", i18n::FormatDate(k.revoked_at, lang)}}));
      } else if (k.expires_at && o_.now_ms() >= k.expires_at) {
        d->SetValue("STATUS", Msg().Format(lang, "open311_keys.expired",
                                           {{"date", i18n::FormatDate(k.expires_at, lang)}}));
      } else {
        d->SetValue("STATUS", Msg().Get(lang, "open311_keys.active"));
        d->SetValueAndShowSection("REVOKE_HREF", href + "/" + std::to_string(k.id) + "/revoke",
                                  "LIVE");
      }
    }
    if (keys->empty()) b.ShowSection("NO_KEYS");
    render::Form form;
    form.action = href;
    form.submit_key = "open311_keys.issue_submit";
    form.csrf = identity::TokenFor(req).value;
    form.errors = errors;
    render::FormField days{"days", "open311_keys.days", "open311_keys.days_hint", "select",
                           std::string(values.Get("days").value_or("365"))};
    for (const char* n : {"90", "365", "730"}) {
      days.options.emplace_back(n, Msg().Get(lang, std::string("open311_keys.days_") + n));
    }
    render::FormField notes{"notes", "open311_keys.notes", "open311_keys.notes_hint", "select",
                            std::string(values.Get("notes").value_or("own"))};
    notes.options = {{"own", Msg().Get(lang, "open311_keys.notes_own")},
                     {"all", Msg().Get(lang, "open311_keys.notes_all")}};
    form.fields = {{"label", "open311_keys.label", "open311_keys.label_hint", "text",
                    std::string(values.Get("label").value_or("")), "off", "", true},
                   std::move(days),
                   std::move(notes)};
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    // The page may carry a key shown this once: never kept by a cache.
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  PageOptions o_;
};

}  // namespace

void AddKeyPageRoutes(identity::GuardedRoutes& routes, const PageOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<KeyPages>(options);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/open311-keys";
  routes.Get(base, admin, on(&KeyPages::List));
  routes.Post(base, admin, on(&KeyPages::Issue));
  routes.Get(base + "/{id:int}/revoke", admin, on(&KeyPages::ConfirmRevoke));
  routes.Post(base + "/{id:int}/revoke", admin, on(&KeyPages::Revoke));
}

}  // namespace baladiya::open311
