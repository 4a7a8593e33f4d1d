// The municipal admin's webhooks page (web.h): subscriptions (subscribing, removing), the delivery
// log with a replay button per delivery.
#include "identity/web.h"

#include <charconv>

#include "catalog/page.h"
#include "interop/web.h"
#include "interop/webhooks.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::interop {
namespace {

using http::Request;
using http::Response;

int64_t IdOf(const http::Params& form, const char* name) {
  const std::string_view v = form.Get(name).value_or("");
  int64_t id = 0;
  (void)std::from_chars(v.data(), v.data() + v.size(), id);
  return id;
}

class WebhookPages {
 public:
  explicit WebhookPages(WebOptions o) : o_(std::move(o)) {}

  Response List(Request& req) { return Show(req, {}, {}, "", 200); }

  Response Subscribe(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const http::Params form = req.Form();
    const identity::Principal& who = identity::PrincipalOf(req);
    auto w =
        o_.webhooks->Subscribe(m->id, form.Get("url").value_or(""), form.Get("events").value_or(""),
                               {who.pseudonym, req.request_id}, o_.now_ms());
    if (!w.ok()) {
      if (w.error().code != ErrorCode::kInvalid) return o_.error_page(503, req);
      const std::string field =
          w.error().message_key == "interop.peer.url_invalid" ? "url" : "events";
      return Show(req, form, {{field, w.error().message_key}}, "", 422);
    }
    return Show(req, {}, {}, Msg().Get(render::RequestLang(req), "interop.webhook.subscribed"),
                200);
  }

  Response Unsubscribe(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.webhooks->Unsubscribe(m->id, IdOf(req.Form(), "webhook"),
                                        {who.pseudonym, req.request_id}, o_.now_ms());
    if (!s.ok()) return o_.error_page(s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return Show(req, {}, {}, Msg().Get(render::RequestLang(req), "interop.webhook.removed"), 200);
  }

  Response Replay(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    const identity::Principal& who = identity::PrincipalOf(req);
    Status s = o_.webhooks->Replay(m->id, IdOf(req.Form(), "delivery"),
                                   {who.pseudonym, req.request_id}, o_.now_ms());
    if (!s.ok()) return o_.error_page(s.error().code == ErrorCode::kNotFound ? 404 : 503, req);
    return Show(req, {}, {}, Msg().Get(render::RequestLang(req), "interop.webhook.replayed"), 200);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  std::string EventName(i18n::Lang lang, std::string_view event) const {
    if (event.empty()) return Msg().Get(lang, "interop.webhook.all_events");
    std::string key(event);
    std::replace(key.begin(), key.end(), '.', '_');
    return Msg().Get(lang, "interop.webhook.event_" + key);
  }

  Response Show(const Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, const std::string& notice,
                int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    auto hooks = o_.webhooks->List(m->id);
    if (!hooks.ok()) return o_.error_page(503, req);
    auto log = o_.webhooks->Deliveries(m->id, 50);
    if (!log.ok()) return o_.error_page(503, req);
    const std::string href = "/m/" + m->slug + "/admin/webhooks";
    render::Page page = catalog::MunicipalityPage(*o_.site, req, *m, "interop-webhooks.tpl", href,
                                                  Msg().Get(lang, "interop.webhook.title"));
    render::Dict& b = page.body();
    b.SetValue("XROAD_HREF", "/m/" + m->slug + "/admin/xroad");
    b.SetValue("KEYSET", std::string(kKeySetPath));
    const crypto::SigningKey own = MunicipalityKey(*o_.signing_seed, m->id);
    b.SetValue("OWN_KEYID", KeyId(m->slug, own.public_key));
    if (!notice.empty()) b.SetValueAndShowSection("NOTICE", notice, "HAS_NOTICE");
    const std::string csrf = identity::TokenFor(req).value;
    for (const Webhook& w : *hooks) {
      render::Dict* d = b.AddSectionDictionary("HOOK");
      d->SetValue("URL", w.url);
      d->SetValue("EVENTS", EventName(lang, w.events));
      d->SetValue("ID", std::to_string(w.id));
      d->SetValue("ACTION", href + "/remove");
      d->SetValue("CSRF", csrf);
    }
    if (hooks->empty()) b.ShowSection("NO_HOOKS");
    for (const Delivery& x : *log) {
      render::Dict* d = b.AddSectionDictionary("DELIVERY");
      d->SetValue("AT", i18n::FormatDate(x.created_at, lang));
      d->SetValue("AT_ISO", i18n::FormatIsoUtc(x.created_at));
      d->SetValue("URL", x.url);
      d->SetValue("EVENT", EventName(lang, x.event));
      d->SetValue("TRACKING", x.tracking);
      d->SetValue("STATE", Msg().Get(lang, "interop.webhook.state_" + x.state));
      d->SetValue("ATTEMPTS", std::to_string(x.attempts));
      d->SetValue("STATUS", x.last_status ? std::to_string(x.last_status) : "—");
      d->SetValue("ID", std::to_string(x.id));
      d->SetValue("ACTION", href + "/replay");
      d->SetValue("CSRF", csrf);
    }
    if (log->empty()) b.ShowSection("NO_DELIVERIES");
    render::Form form;
    form.action = href;
    form.submit_key = "interop.webhook.subscribe_submit";
    form.csrf = csrf;
    form.errors = errors;
    render::FormField url{"url",
                          "interop.webhook.url",
                          "interop.webhook.url_hint",
                          "url",
                          std::string(values.Get("url").value_or("")),
                          "off",
                          "",
                          true,
                          true};
    render::FormField events{"events", "interop.webhook.events", "", "select",
                             std::string(values.Get("events").value_or(""))};
    events.options.push_back({"", EventName(lang, "")});
    for (std::string_view e : kWebhookEvents) {
      events.options.push_back({std::string(e), EventName(lang, e)});
    }
    form.fields = {url, events};
    render::IncludeForm(b, form, Msg(), lang);
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

void AddWebhookRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  using identity::Access;
  using identity::Permission;
  auto pages = std::make_shared<WebhookPages>(options);
  auto on = http::MemberHandlers(pages);
  const Access admin = Access::Requires(Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/webhooks";
  routes.Get(base, admin, on(&WebhookPages::List));
  routes.Post(base, admin, on(&WebhookPages::Subscribe));
  routes.Post(base + "/remove", admin, on(&WebhookPages::Unsubscribe));
  routes.Post(base + "/replay", admin, on(&WebhookPages::Replay));
}

}  // namespace baladiya::interop
