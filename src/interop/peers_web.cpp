// The key set at the well-known address and the municipal admin's peers page (web.h): the
// municipality's own key id and key set address (to give the other side's admin), the peers with
// their pinned key ids, registering one (its key fetched from its server once) and removing one.
#include "catalog/page.h"
#include "identity/web.h"
#include "interop/peers.h"
#include "interop/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::interop {
namespace {

using http::Request;
using http::Response;

class PeerPages {
 public:
  explicit PeerPages(WebOptions o) : o_(std::move(o)) {}

  // GET /.well-known/baladiya-keys: every municipality's public key on this server.
  Response KeySet(Request& req) {
    auto list = o_.tenancy->ListMunicipalities();
    if (!list.ok()) return o_.error_page(503, req);
    std::vector<PeerKey> keys;
    for (const catalog::Municipality& m : *list) {
      const crypto::SigningKey k = MunicipalityKey(*o_.signing_seed, m.id);
      keys.push_back({m.slug, KeyId(m.slug, k.public_key), k.public_key});
    }
    Response res = Response::Json(200, KeySetJson(keys));
    res.headers.Set("content-type", "application/jwk-set+json");
    res.headers.Set("cache-control", "public, max-age=300");
    return res;
  }

  Response List(Request& req) { return Show(req, {}, {}, "", 200); }

  Response Add(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const std::string url(form.Get("url").value_or(""));
    const std::string slug(form.Get("municipality").value_or(""));
    if (!NormalizeBaseUrl(url))
      return Show(req, form, {{"url", "interop.peer.url_invalid"}}, "", 422);
    if (!ValidSlug(slug)) {
      return Show(req, form, {{"municipality", "interop.peer.slug_invalid"}}, "", 422);
    }
    auto key = FetchPeerKey(url, slug);
    if (!key.ok()) {
      const std::string field =
          key.error().message_key == "interop.peer.key_missing" ? "municipality" : "url";
      return Show(req, form, {{field, key.error().message_key}}, "",
                  key.error().code == ErrorCode::kUnavailable ? 502 : 422);
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    auto p = o_.peers->Add(m->id, url, *key, {who.pseudonym, req.request_id}, o_.now_ms());
    if (!p.ok()) {
      if (p.error().code == ErrorCode::kConflict) {
        return Show(req, form, {{"url", p.error().message_key}}, "", 409);
      }
      if (p.error().code == ErrorCode::kInvalid) {
        return Show(req, form, {{"url", p.error().message_key}}, "", 422);
      }
      return o_.error_page(503, req);
    }
    return Show(req, {}, {},
                Msg().Format(render::RequestLang(req), "interop.peers.added",
                             {{"peer", p->municipality}, {"keyid", p->keyid}}),
                200);
  }

  Response Remove(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    int64_t id = 0;
    try {
      id = std::stoll(std::string(form.Get("peer").value_or("0")));
    } catch (...) {
      return o_.error_page(404, req);
    }
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.peers->Remove(m->id, id, {who.pseudonym, req.request_id}, o_.now_ms());
    if (!s.ok()) return o_.error_page(s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return Show(req, {}, {}, Msg().Get(render::RequestLang(req), "interop.peers.removed"), 200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response Show(const Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, const std::string& notice,
                int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto peers = o_.peers->List(m->id);
    if (!peers.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/peers";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "interop-peers.tpl", href,
                                                  Msg().Get(lang, "interop.peers.title"));
    render::Dict& b = page.body();
    b.SetValue("XROAD_HREF", "/m/" + m->slug + "/admin/xroad");
    const crypto::SigningKey own = MunicipalityKey(*o_.signing_seed, m->id);
    b.SetValue("OWN_KEYID", KeyId(m->slug, own.public_key));
    b.SetValue("OWN_SLUG", m->slug);
    b.SetValue("KEYSET", std::string(kKeySetPath));
    if (!notice.empty()) b.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    const std::string csrf = identity::TokenFor(req).value;
    for (const Peer& p : *peers) {
      render::Dict* d = b.AddSectionDictionary("PEER");
      d->SetValue("MUNICIPALITY", p.municipality);
      d->SetValue("URL", p.base_url);
      d->SetValue("KEYID", p.keyid);
      d->SetValue("REGISTERED", i18n::FormatDate(p.registered_at, lang));
      d->SetValue("ID", std::to_string(p.id));
      d->SetValue("REMOVE_ACTION", href + "/remove");
      d->SetValue("CSRF", csrf);
    }
    if (peers->empty()) b.ShowSection("NO_PEERS");
    render::Form form;
    form.action = href;
    form.submit_key = "interop.peers.add_submit";
    form.csrf = csrf;
    form.errors = errors;
    render::FormField url{"url",
                          "interop.peers.url",
                          "interop.peers.url_hint",
                          "url",
                          std::string(values.Get("url").value_or("")),
                          "off",
                          "",
                          true,
                          true};
    render::FormField slug{"municipality",
                           "interop.peers.municipality",
                           "interop.peers.municipality_hint",
                           "text",
                           std::string(values.Get("municipality").value_or("")),
                           "off",
                           "",
                           true,
                           true};
    form.fields = {url, slug};
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddPeerRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<PeerPages>(options);
  auto on = http::MemberHandlers(pages);
  routes.Get(std::string(kKeySetPath), Access::Public(), on(&PeerPages::KeySet));
  const Access admin = Access::Requires(Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/peers";
  routes.Get(base, admin, on(&PeerPages::List));
  routes.Post(base, admin, on(&PeerPages::Add));
  routes.Post(base + "/remove", admin, on(&PeerPages::Remove));
}

}  // namespace baladiya::interop
