// The biller API for banks and e-wallets (openapi.json): what a reference owes, posting a payment
// (idempotent by the bank's transaction id) and reversing it. Every request is signed by the bank
// (biller.h); refused signatures are 401 and change nothing.
#include <boost/json.hpp>

#include "catalog/catalog.h"
#include "identity/access.h"
#include "identity/web.h"
#include "payments/biller.h"
#include "payments/payments.h"
#include "payments/web.h"
#include "platform/http/errors.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"
#include "platform/render/page.h"

namespace baladiya::payments {
namespace {

namespace json = boost::json;
using http::Request;
using http::Response;

constexpr std::string_view kBase = "/api/v1/biller";

class BillerApi {
 public:
  BillerApi(PaymentStore& store, BankStore& banks, catalog::TenancyStore& tenancy,
            const i18n::Catalog& messages, std::function<int64_t()> now_ms)
      : store_(store),
        banks_(banks),
        tenancy_(tenancy),
        msg_(messages),
        now_ms_(std::move(now_ms)) {}

  Response Reference(Request& req) {
    auto bank = Authenticate(req);
    if (!bank.ok()) return Refused(req, bank.error());
    auto inv = store_.Find(req.PathParam("reference"));
    if (!inv.ok()) return render::ApiError(msg_, req, inv.error());
    auto m = tenancy_.Get(inv->municipality_id);
    if (!m.ok()) return render::ApiError(msg_, req, m.error());
    json::object o{{"reference", inv->reference},
                   {"invoice_number", inv->number},
                   {"municipality", m->slug},
                   {"status", std::string(InvoiceStatusName(inv->status))},
                   {"amount_minor", inv->status == InvoiceStatus::kOpen ? inv->total_minor : 0},
                   {"currency", inv->currency},
                   {"due_at", i18n::FormatIsoUtc(inv->due_at)}};
    return Response::Json(200, json::serialize(o));
  }

  Response Post(Request& req) {
    auto bank = Authenticate(req);
    if (!bank.ok()) return Refused(req, bank.error());
    std::error_code ec;
    json::value body = json::parse(req.body, ec);
    const json::object* o = ec ? nullptr : body.if_object();
    if (!o) return render::ApiError(msg_, req, 400, "bad_request", "api.bad_json");
    auto text = [&](const char* name) -> std::string {
      const json::value* v = o->if_contains(name);
      return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    std::map<std::string, std::string> missing;
    const json::value* amount = o->if_contains("amount_minor");
    if (!amount || !amount->is_int64()) missing["amount_minor"] = "payments.biller.amount_required";
    for (const char* f : {"reference", "currency", "transaction_id"}) {
      if (text(f).empty()) missing[f] = "payments.biller.field_required";
    }
    const std::string txid = text("transaction_id");
    if (txid.size() > 64) missing["transaction_id"] = "payments.biller.transaction_id_too_long";
    if (!missing.empty()) {
      return render::ApiError(msg_, req, 422, "invalid", "payments.biller.invalid", missing);
    }
    PaymentInput in;
    in.reference = text("reference");
    in.amount_minor = amount->as_int64();
    in.currency = text("currency");
    in.channel = "bank";
    in.method = "bank";
    in.external_id = bank->code + ":" + txid;
    in.actor = "bank:" + bank->code;
    in.request_id = req.request_id;
    auto paid = store_.Pay(in, now_ms_());
    if (!paid.ok()) return render::ApiError(msg_, req, paid.error());
    return Response::Json(paid->replayed ? 200 : 201, json::serialize(PaymentJson(*paid, txid)));
  }

  Response Reverse(Request& req) {
    auto bank = Authenticate(req);
    if (!bank.ok()) return Refused(req, bank.error());
    const std::string txid(req.PathParam("transaction_id"));
    auto p = store_.FindExternal("bank", bank->code + ":" + txid);
    if (!p.ok()) return render::ApiError(msg_, req, p.error());
    if (p->status == "posted") {
      Status s = store_.VoidPayment(p->id, "reversed by bank " + bank->code, "bank:" + bank->code,
                                    req.request_id, now_ms_());
      if (!s.ok()) return render::ApiError(msg_, req, s.error());
      p->status = "voided";
    } else if (p->status != "voided") {
      return render::ApiError(msg_, req, 409, "conflict", "payments.payment_not_posted");
    }
    // Reversing again answers the same: the bank may retry.
    return Response::Json(200, json::serialize(PaymentJson(*p, txid)));
  }

 private:
  Result<Bank> Authenticate(const Request& req) { return banks_.Authenticate(req, now_ms_()); }

  Response Refused(const Request& req, const Error& e) {
    if (e.code != ErrorCode::kForbidden) return render::ApiError(msg_, req, e);
    Response res = render::ApiError(msg_, req, 401, "unauthorized", e.message_key);
    res.headers.Set("accept-signature",
                    "sig1=(\"@method\" \"@path\" \"content-digest\");alg=\"ed25519\"");
    return res;
  }

  static json::object PaymentJson(const Payment& p, const std::string& txid) {
    return {{"transaction_id", txid},
            {"receipt_number", p.receipt_number},
            {"reference", p.reference},
            {"invoice_number", p.invoice_number},
            {"amount_minor", p.amount_minor},
            {"currency", p.currency},
            {"status", p.status},
            {"posted_at", i18n::FormatIsoUtc(p.created_at)}};
  }

  PaymentStore& store_;
  BankStore& banks_;
  catalog::TenancyStore& tenancy_;
  const i18n::Catalog& msg_;
  std::function<int64_t()> now_ms_;
};

}  // namespace

void AddBillerRoutes(module::Context& ctx) {
  auto api = std::make_shared<BillerApi>(ctx.parts.Get<PaymentStore>(), ctx.parts.Get<BankStore>(),
                                         ctx.parts.Get<catalog::TenancyStore>(), *ctx.site.catalog,
                                         ctx.now_ms);
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  // Public to the guard: every handler authenticates the bank's signature itself.
  const identity::Access open = identity::Access::Public();
  const std::string base(kBase);
  routes.Get(base + "/references/{reference}", open,
             [api](Request& r) { return api->Reference(r); });
  routes.Post(base + "/payments", open, [api](Request& r) { return api->Post(r); });
  routes.Post(base + "/payments/{transaction_id}/reversal", open,
              [api](Request& r) { return api->Reverse(r); });
}

}  // namespace baladiya::payments
