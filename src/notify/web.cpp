#include "notify/web.h"

#include <boost/json.hpp>
#include <ctime>

#include "platform/crypto/crypto.h"
#include "platform/i18n/arabic.h"

namespace baladiya::notify {
namespace {

using http::Request;
using http::Response;

Response Inbox(const WebOptions& o, Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  auto items = o.outbox->Inbox(who.account_id, 100);
  if (!items.ok()) return o.error_page(503, req);
  i18n::Lang lang = render::RequestLang(req);
  render::Page page(*o.site, req, "notify-inbox.tpl");
  page.SetPath("/account/notifications");
  page.SetTitle(o.site->catalog->Get(lang, "inbox.title"));
  render::Dict& b = page.body();
  bool unread = false;
  for (const auto& item : *items) {
    render::Dict* d = b.AddSectionDictionary("ITEM");
    d->SetValue("TITLE", item.title);
    d->SetValue("TEXT", item.text);
    d->SetValue("WHEN", i18n::FormatDate(item.created_at, lang));
    d->SetValue("ISO", i18n::FormatIsoUtc(item.created_at));
    if (item.read_at == 0) {
      d->ShowSection("UNREAD");
      unread = true;
    }
  }
  if (items->empty()) b.ShowSection("EMPTY");
  if (unread) {
    b.ShowSection("HAS_UNREAD");
    b.SetValue("CSRF", req.attributes["csrf"]);
  }
  Response res = page.Finish(200);
  res.headers.Set("cache-control", "no-store");
  return res;
}

Response MarkRead(const WebOptions& o, Request& req) {
  const identity::Principal& who = identity::PrincipalOf(req);
  if (Status s = o.outbox->MarkAllRead(who.account_id, o.now_ms()); !s.ok())
    return o.error_page(503, req);
  return Response::Redirect("/account/notifications");
}

// {"reference": "...", "status": "delivered" | "failed", "error": "..."}
Response SmsReceipt(const WebOptions& o, Request& req) {
  if (o.sms_token.empty()) return o.api_error(404, "not_found", "api.not_found", req);
  std::string_view auth = req.headers.Get("authorization");
  const std::string expected = "Bearer " + o.sms_token;
  if (!crypto::ConstantTimeEquals(auth, expected))
    return o.api_error(401, "unauthorized", "api.bad_token", req);
  boost::system::error_code ec;
  auto v = boost::json::parse(req.body, ec);
  const boost::json::object* obj = !ec && v.is_object() ? &v.as_object() : nullptr;
  auto text = [&](const char* k) -> std::string {
    if (!obj) return "";
    auto* f = obj->if_contains(k);
    return f && f->is_string() ? std::string(f->as_string()) : std::string();
  };
  const std::string reference = text("reference");
  const std::string status = text("status");
  if (reference.empty() || reference.size() > 100 || (status != "delivered" && status != "failed"))
    return o.api_error(400, "bad_request", "api.bad_receipt", req);
  auto known = o.outbox->Receipt(reference, status == "delivered", text("error"), o.now_ms());
  if (!known.ok()) return o.api_error(503, "unavailable", "error.busy", req);
  if (!*known) return o.api_error(404, "not_found", "api.unknown_reference", req);
  return Response::Json(200, R"({"ok":true})");
}

}  // namespace

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options) {
  auto o = std::make_shared<const WebOptions>(std::move(options));
  using identity::Access;
  routes.Get("/account/notifications", Access::SignedIn(),
             [o](Request& r) { return Inbox(*o, r); });
  routes.Post("/account/notifications/read", Access::SignedIn(),
              [o](Request& r) { return MarkRead(*o, r); });
  routes.Post(kSmsReceiptsPath, Access::Public(), [o](Request& r) { return SmsReceipt(*o, r); });
}

}  // namespace baladiya::notify
