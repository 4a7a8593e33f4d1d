// Sending a case to a peer, and the case page's transfer panel (web.h).
#include <charconv>

#include "catalog/page.h"
#include "identity/web.h"
#include "interop/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/form.h"

namespace baladiya::interop {
namespace {

using http::Request;
using http::Response;

std::string StateText(const i18n::Catalog& msg, i18n::Lang lang, const Transfer& t) {
  if (t.state == "accepted") {
    return msg.Format(lang, "interop.transfer.accepted", {{"tracking", t.remote_tracking}});
  }
  if (t.state == "refused") {
    const std::string reason =
        t.reason.starts_with("interop.") ? msg.Get(lang, t.reason) : t.reason;
    return msg.Format(lang, "interop.transfer.refused", {{"reason", reason}});
  }
  return msg.Get(lang, "interop.transfer.state_" + t.state);
}

class SendPages {
 public:
  explicit SendPages(WebOptions o) : o_(std::move(o)) {}

  Response Form(Request& req) { return Show(req, {}, {}, 200); }

  Response Send(Request& req) {
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    if (!o_.exchange || !o_.exchange->outgoing) return o_.error_page(503, req);
    const identity::Principal& who = identity::PrincipalOf(req);
    const std::string tracking(req.PathParam("tracking"));
    auto doc = o_.exchange->outgoing(m->id, tracking, who);
    if (!doc.ok()) return o_.error_page(http::StatusOf(doc.error().code), req);
    const http::Params form = req.Form();
    const std::string_view v = form.Get("peer").value_or("");
    int64_t peer_id = 0;
    (void)std::from_chars(v.data(), v.data() + v.size(), peer_id);
    auto peer = o_.peers->Get(m->id, peer_id);
    if (!peer.ok()) {
      if (peer.error().code != ErrorCode::kNotFound) return o_.error_page(503, req);
      return Show(req, form, {{"peer", "interop.transfer.peer_required"}}, 422);
    }
    auto t = o_.exchange_store->Queue(m->id, m->slug, *peer, *doc, {who.pseudonym, req.request_id},
                                      o_.now_ms());
    if (!t.ok()) {
      if (t.error().code == ErrorCode::kConflict) {
        return Show(req, form, {{"peer", t.error().message_key}}, 409);
      }
      return o_.error_page(503, req);
    }
    return Response::Redirect("/m/" + m->slug + "/cases/" + tracking);
  }

 private:
  const i18n::Catalog& Msg() const { return *o_.site->catalog; }

  Response Show(const Request& req, const http::Params& values,
                const std::map<std::string, std::string>& errors, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    auto m = catalog::MunicipalityOf(*o_.tenancy, req);
    if (!m.ok()) return o_.error_page(http::StatusOf(m.error().code), req);
    if (!o_.exchange || !o_.exchange->outgoing) return o_.error_page(503, req);
    const std::string tracking(req.PathParam("tracking"));
    auto doc = o_.exchange->outgoing(m->id, tracking, identity::PrincipalOf(req));
    if (!doc.ok()) return o_.error_page(http::StatusOf(doc.error().code), req);
    auto peers = o_.peers->List(m->id);
    if (!peers.ok()) return o_.error_page(503, req);
    const std::string case_href = "/m/" + m->slug + "/cases/" + tracking;
    render::Page page = catalog::MunicipalityPage(
        *o_.site, req, *m, "interop-send.tpl", case_href + "/send-to-peer",
        Msg().Format(lang, "interop.transfer.title", {{"tracking", tracking}}));
    render::Dict& b = page.body();
    b.SetValue("CASE_HREF", case_href);
    b.SetValue("TRACKING", tracking);
    b.SetValue("SERVICE", doc->service_name);
    b.SetValue("PEERS_HREF", "/m/" + m->slug + "/admin/peers");
    if (peers->empty()) {
      b.ShowSection("NO_PEERS");
    } else {
      render::Form form;
      form.action = case_href + "/send-to-peer";
      form.submit_key = "interop.transfer.submit";
      form.csrf = identity::TokenFor(req).value;
      form.errors = errors;
      render::FormField peer{"peer", "interop.transfer.peer", "interop.transfer.peer_hint",
                             "select", std::string(values.Get("peer").value_or(""))};
      peer.options.push_back({"", Msg().Get(lang, "interop.transfer.choose")});
      for (const Peer& p : *peers) {
        peer.options.push_back({std::to_string(p.id), p.municipality + " (" + p.base_url + ")"});
      }
      form.fields = {peer};
      render::IncludeForm(b, form, Msg(), lang);
      b.ShowSection("HAS_PEERS");
    }
    Response res = page.Finish(status);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  WebOptions o_;
};

}  // namespace

Result<std::string> ExchangePanel::Render(const http::Request& req, int64_t municipality_id,
                                          int64_t department_id, std::string_view tracking,
                                          bool open, i18n::Lang lang) const {
  auto list = o_.exchange_store->OfCase(tracking);
  if (!list.ok()) return std::move(list).error();
  const identity::Principal& who = identity::PrincipalOf(req);
  const bool may = open && o_.exchange && o_.exchange->may_send &&
                   o_.exchange->may_send(who, municipality_id, department_id);
  auto peers = o_.peers->List(municipality_id);
  if (!peers.ok()) return std::move(peers).error();
  const bool can_send = may && !peers->empty();
  if (list->empty() && !can_send) return std::string();
  auto m = o_.tenancy->Get(municipality_id);
  if (!m.ok()) return std::move(m).error();
  const i18n::Catalog& msg = *o_.site->catalog;
  render::Dict d("interop-case-panel");
  bool busy = false;
  for (const Transfer& t : *list) {
    if (t.direction == "out") {
      busy = busy || t.state == "pending" || t.state == "accepted";
      render::Dict* x = d.AddSectionDictionary("OUT");
      x->SetValue("PEER", t.peer_municipality);
      x->SetValue("URL", t.peer_url);
      x->SetValue("STATE", StateText(msg, lang, t));
      x->SetValue("AT", i18n::FormatDate(t.created_at, lang));
    } else {
      render::Dict* x = d.AddSectionDictionary("IN");
      x->SetValue("PEER", t.peer_municipality);
      x->SetValue("URL", t.peer_url);
      x->SetValue("THEIR_TRACKING", t.remote_tracking);
      x->SetValue("AT", i18n::FormatDate(t.created_at, lang));
      auto body = ParseTransfer(t.body);
      if (body.ok()) {
        for (const HistoryItem& h : body->doc.history) {
          render::Dict* e = x->AddSectionDictionary("EVENT");
          e->SetValue("WHEN", i18n::FormatDate(h.at, lang));
          e->SetValue("WHEN_ISO", i18n::FormatIsoUtc(h.at));
          e->SetValue("WHAT", h.to_state.empty() ? h.kind : h.kind + ": " + h.to_state);
          e->SetValue("COMMENT", h.comment);
        }
      }
    }
  }
  if (can_send && !busy) {
    d.SetValueAndShowSection("SEND_HREF",
                             "/m/" + m->slug + "/cases/" + std::string(tracking) + "/send-to-peer",
                             "CAN_SEND");
  }
  return o_.site->templates->Expand("interop-case-panel.tpl", lang, d);
}

void AddExchangePageRoutes(identity::GuardedRoutes& routes, const WebOptions& options) {
  auto pages = std::make_shared<SendPages>(options);
  auto on = http::MemberHandlers(pages);
  // Who may send is the case's business (CaseExchange::outgoing checks the viewer).
  const identity::Access staff = identity::Access::SignedIn();
  const std::string base = "/m/{slug}/cases/{tracking}/send-to-peer";
  routes.Get(base, staff, on(&SendPages::Form));
  routes.Post(base, staff, on(&SendPages::Send));
}

}  // namespace baladiya::interop
