// Card payments on the web (card.h): starting one from the case page, the return page, and the
// provider's notifications.
//   POST /account/invoices/{number}/card     signed in, the invoice's payer: to the hosted page
//   GET  /account/card-payments/{token}      signed in, the payer: the outcome, confirmed with
//                                            the provider
//   POST /api/v1/card/notifications          the provider (its signature): settles the payment
#include <boost/json.hpp>

#include "catalog/catalog.h"
#include "catalog/page.h"
#include "identity/access.h"
#include "identity/web.h"
#include "payments/card.h"
#include "payments/payments.h"
#include "payments/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"
#include "platform/render/page.h"

namespace baladiya::payments {
namespace {

using http::Request;
using http::Response;

class CardPages {
 public:
  CardPages(module::Context& ctx, CardProvider& provider)
      : store_(ctx.parts.Get<PaymentStore>()),
        cards_(ctx.parts.Get<CardStore>()),
        accounts_(ctx.parts.Get<identity::AccountStore>()),
        provider_(provider),
        tenancy_(ctx.parts.Get<catalog::TenancyStore>()),
        site_(ctx.site),
        public_url_(ctx.settings.Text("public-url")),
        now_ms_(ctx.now_ms) {
    auto error_page = ctx.web->error_page;
    error_page_ = [error_page](int status, const Request& r) { return error_page(status, &r); };
  }

  Response Start(Request& req) {
    auto inv = store_.Find(req.PathParam("number"));
    if (!inv.ok()) return Fail(req, inv.error());
    const identity::Principal& who = identity::PrincipalOf(req);
    // Someone else's invoice is not found, as if it did not exist: the payer's own invoices
    // and the dues of their national ID are theirs.
    if (inv->account_id != who.account_id) {
      auto account = accounts_.Get(who.account_id, true);
      if (!account.ok()) return Fail(req, account.error());
      auto owed = store_.Owed(who.account_id, account->personal.national_id);
      if (!owed.ok()) return Fail(req, owed.error());
      bool mine = false;
      for (const Invoice& o : *owed) mine = mine || o.id == inv->id;
      if (!mine) return error_page_(404, req);
    }
    auto started = cards_.Start(*inv, who.account_id, provider_, BaseUrl(req), now_ms_());
    if (!started.ok()) return Fail(req, started.error());
    return Response::Redirect(started->redirect_url);
  }

  Response Return(Request& req) {
    auto c = cards_.ByToken(req.PathParam("token"));
    if (!c.ok()) return Fail(req, c.error());
    if (c->account_id != identity::PrincipalOf(req).account_id) return error_page_(404, req);
    // The return itself proves nothing: ask the provider.
    if (!c->provider_id.empty()) {
      auto settled = cards_.Settle(c->provider_id, provider_, now_ms_());
      if (!settled.ok()) return Fail(req, settled.error());
      c = std::move(settled);
    }
    auto inv = store_.Get(c->invoice_id);
    if (!inv.ok()) return Fail(req, inv.error());
    auto m = tenancy_.Get(c->municipality_id);
    if (!m.ok()) return Fail(req, m.error());
    const i18n::Lang lang = render::RequestLang(req);
    render::Page page =
        catalog::MunicipalityPage(site_, req, *m, "payments-card-return.tpl", std::string(req.path),
                                  site_.catalog->Get(lang, "payments.card.title"));
    render::Dict& b = page.body();
    b.SetValue("STATE", site_.catalog->Get(
                            lang, "payments.card.state." + std::string(CardStateName(c->state))));
    b.SetValue("INVOICE", inv->number);
    b.SetValue("AMOUNT", i18n::FormatMoney(c->amount_minor, c->currency, lang));
    if (!inv->tracking.empty()) {
      b.SetValueAndShowSection("CASE_HREF", "/account/cases/" + inv->tracking, "CASE");
    }
    if (c->state == CardState::kSucceeded) {
      auto p = store_.GetPayment(c->payment_id);
      if (p.ok()) {
        b.SetValueAndShowSection("RECEIPT_HREF", "/account/receipts/" + p->receipt_number,
                                 "RECEIPT");
      }
    }
    Response res = page.Finish(200);
    res.headers.Set("cache-control", "no-store");
    return res;
  }

  Response Notification(Request& req) {
    const i18n::Catalog& msg = *site_.catalog;
    auto id = provider_.VerifyNotification(req, now_ms_());
    if (!id.ok()) {
      return render::ApiError(msg, req, 401, "unauthorized", id.error().message_key);
    }
    auto settled = cards_.Settle(*id, provider_, now_ms_());
    if (!settled.ok()) return render::ApiError(msg, req, settled.error());
    return Response::Json(200, boost::json::serialize(boost::json::object{
                                   {"state", std::string(CardStateName(settled->state))}}));
  }

 private:
  // Where the provider sends the payer back: the public URL, or this request's host.
  std::string BaseUrl(const Request& req) const {
    if (!public_url_.empty()) return public_url_;
    return "http://" + std::string(req.headers.Get("host"));
  }

  Response Fail(const Request& req, const Error& e) {
    return error_page_(http::StatusOf(e.code), req);
  }

  PaymentStore& store_;
  CardStore& cards_;
  identity::AccountStore& accounts_;
  CardProvider& provider_;
  catalog::TenancyStore& tenancy_;
  const render::Site& site_;
  std::string public_url_;
  std::function<int64_t()> now_ms_;
  std::function<Response(int, const Request&)> error_page_;
};

}  // namespace

void AddCardRoutes(module::Context& ctx) {
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  using identity::Access;
  CardProvider* provider = ctx.parts.Find<CardProvider>();
  if (provider == nullptr) {
    // No provider configured: counter and banks only; the notification address is not found.
    const i18n::Catalog* msg = ctx.site.catalog;
    routes.Post("/api/v1/card/notifications", Access::Public(), [msg](Request& r) {
      return render::ApiError(*msg, r, 404, "not_found", "api.not_found");
    });
    return;
  }
  auto pages = std::make_shared<CardPages>(ctx, *provider);
  routes.Post("/account/invoices/{number}/card", Access::SignedIn(),
              [pages](Request& r) { return pages->Start(r); });
  routes.Get("/account/card-payments/{token}", Access::SignedIn(),
             [pages](Request& r) { return pages->Return(r); });
  routes.Post("/api/v1/card/notifications", Access::Public(),
              [pages](Request& r) { return pages->Notification(r); });
}

}  // namespace baladiya::payments
