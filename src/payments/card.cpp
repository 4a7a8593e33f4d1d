// Card payments: the hosted-page provider over HTTP, the card payment store, and the sandbox
// provider (card.h).
#include "payments/card.h"

#include <curl/curl.h>

#include <boost/json.hpp>
#include <charconv>
#include <memory>

#include "payments/internal.h"
#include "platform/crypto/crypto.h"
#include "platform/http/router.h"
#include "platform/http/server.h"

namespace baladiya::payments {
namespace {

namespace json = boost::json;
using namespace internal;  // NOLINT: the store's own helpers

// ---- a small HTTP client (libcurl) ------------------------------------------------------------

struct CurlFree {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct Answer {
  long status = 0;
  std::string body;
};

Result<Answer> Call(const std::string& method, const std::string& url,
                    const std::vector<std::string>& headers, const std::string& body) {
  std::unique_ptr<CURL, CurlFree> h(curl_easy_init());
  if (!h) return MakeError(ErrorCode::kUnavailable, "error.busy", "curl_easy_init failed");
  std::unique_ptr<curl_slist, SlistFree> list;
  for (const std::string& line : headers)
    list.reset(curl_slist_append(list.release(), line.c_str()));
  Answer a;
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, 3000L);
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &a.body);
  if (method == "POST") {
    curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h.get());
  if (rc != CURLE_OK) {
    return MakeError(ErrorCode::kUnavailable, "payments.card.provider_unavailable",
                     std::string("provider: ") + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &a.status);
  return a;
}

Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "payments.card.provider_unavailable",
                   std::move(detail));
}

std::string Str(const json::object& o, const char* name) {
  const json::value* v = o.if_contains(name);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

class HttpProvider : public CardProvider {
 public:
  HttpProvider(std::string base, std::string key, std::string secret)
      : base_(std::move(base)), key_(std::move(key)), secret_(std::move(secret)) {
    while (!base_.empty() && base_.back() == '/') base_.pop_back();
  }

  Result<ProviderCreated> Create(const ProviderCreate& in) override {
    const std::string body = json::serialize(json::object{{"amount_minor", in.amount_minor},
                                                          {"currency", in.currency},
                                                          {"reference", in.reference},
                                                          {"description", in.description},
                                                          {"return_url", in.return_url},
                                                          {"notify_url", in.notify_url}});
    auto a = Call("POST", base_ + "/v1/payments",
                  {"Authorization: Bearer " + key_, "Content-Type: application/json"}, body);
    if (!a.ok()) return std::move(a).error();
    std::error_code ec;
    json::value v = json::parse(a->body, ec);
    if (a->status != 201 || ec || !v.is_object()) {
      return Unavailable("provider create answered " + std::to_string(a->status));
    }
    ProviderCreated out{Str(v.as_object(), "id"), Str(v.as_object(), "redirect_url")};
    if (out.provider_id.empty() ||
        !(out.redirect_url.starts_with("https://") || out.redirect_url.starts_with("http://"))) {
      return Unavailable("provider create: no id or redirect_url");
    }
    return out;
  }

  Result<ProviderState> Fetch(const std::string& provider_id) override {
    auto a =
        Call("GET", base_ + "/v1/payments/" + provider_id, {"Authorization: Bearer " + key_}, "");
    if (!a.ok()) return std::move(a).error();
    std::error_code ec;
    json::value v = json::parse(a->body, ec);
    if (a->status == 404) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
    if (a->status != 200 || ec || !v.is_object()) {
      return Unavailable("provider fetch answered " + std::to_string(a->status));
    }
    const json::object& o = v.as_object();
    ProviderState s{Str(o, "id"), Str(o, "state"), 0, Str(o, "currency"), Str(o, "reference")};
    const json::value* amount = o.if_contains("amount_minor");
    if (!amount || !amount->is_int64() || s.provider_id != provider_id) {
      return Unavailable("provider fetch: malformed answer");
    }
    s.amount_minor = amount->as_int64();
    return s;
  }

  Status Refund(const std::string& provider_id, int64_t amount_minor) override {
    auto a = Call("POST", base_ + "/v1/payments/" + provider_id + "/refunds",
                  {"Authorization: Bearer " + key_, "Content-Type: application/json"},
                  json::serialize(json::object{{"amount_minor", amount_minor}}));
    if (!a.ok()) return std::move(a).error();
    if (a->status == 201) return Ok();
    if (a->status >= 400 && a->status < 500) {
      return MakeError(ErrorCode::kConflict, "payments.card.refund_refused",
                       "provider refund answered " + std::to_string(a->status));
    }
    return Unavailable("provider refund answered " + std::to_string(a->status));
  }

  Result<std::string> VerifyNotification(const http::Request& req, int64_t now_ms) override {
    const Error bad = MakeError(ErrorCode::kForbidden, "payments.card.bad_notification");
    const std::string_view header = req.headers.Get("provider-signature");
    const size_t comma = header.find(",v1=");
    if (!header.starts_with("t=") || comma == std::string_view::npos) return bad;
    int64_t t = 0;
    auto [p, ec] = std::from_chars(header.data() + 2, header.data() + comma, t);
    if (ec != std::errc() || p != header.data() + comma) return bad;
    const std::string expected = NotificationSignature(secret_, t, req.body);
    if (!crypto::ConstantTimeEquals(expected, header)) return bad;
    if (t < now_ms / 1000 - 300 || t > now_ms / 1000 + 300) return bad;
    std::error_code jec;
    json::value v = json::parse(req.body, jec);
    if (jec || !v.is_object() || Str(v.as_object(), "id").empty()) return bad;
    return Str(v.as_object(), "id");
  }

 private:
  std::string base_;
  std::string key_;
  std::string secret_;
};

constexpr const char* kCardColumns =
    "id, token, invoice_id, municipality_id, account_id, amount_minor, currency, state, "
    "provider_id, redirect_url, payment_id, created_at, updated_at";

CardState StateOf(std::string_view s) {
  for (CardState c :
       {CardState::kCreated, CardState::kStarted, CardState::kSucceeded, CardState::kFailed,
        CardState::kCancelled, CardState::kExpired, CardState::kRefunded}) {
    if (CardStateName(c) == s) return c;
  }
  return CardState::kCreated;
}

CardPayment ReadCard(const db::Row& r) {
  CardPayment c;
  c.id = r.Int(0);
  c.token = r.Text(1);
  c.invoice_id = r.Int(2);
  c.municipality_id = r.Int(3);
  c.account_id = r.Int(4);
  c.amount_minor = r.Int(5);
  c.currency = r.Text(6);
  c.state = StateOf(r.Text(7));
  c.provider_id = r.Text(8);
  c.redirect_url = r.Text(9);
  c.payment_id = r.Int(10);
  c.created_at = r.Int(11);
  c.updated_at = r.Int(12);
  return c;
}

bool Final(CardState s) {
  return s == CardState::kSucceeded || s == CardState::kFailed || s == CardState::kCancelled ||
         s == CardState::kExpired || s == CardState::kRefunded;
}

}  // namespace

std::unique_ptr<CardProvider> HostedPageProvider(std::string base_url, std::string api_key,
                                                 std::string secret) {
  return std::make_unique<HttpProvider>(std::move(base_url), std::move(api_key), std::move(secret));
}

std::string NotificationSignature(std::string_view secret, int64_t unix_s, std::string_view body) {
  crypto::Key32 key{};
  const std::string k = crypto::Sha256(secret);  // any length of secret, one HMAC key
  std::copy(k.begin(), k.end(), key.begin());
  const std::string t = std::to_string(unix_s);
  return "t=" + t + ",v1=" + crypto::ToHex(crypto::HmacSha256(key, t + "." + std::string(body)));
}

std::string_view CardStateName(CardState s) {
  switch (s) {
    case CardState::kCreated:
      return "created";
    case CardState::kStarted:
      return "started";
    case CardState::kSucceeded:
      return "succeeded";
    case CardState::kFailed:
      return "failed";
    case CardState::kCancelled:
      return "cancelled";
    case CardState::kExpired:
      return "expired";
    case CardState::kRefunded:
      return "refunded";
  }
  return "created";
}

Result<CardPayment> CardStore::Start(const Invoice& invoice, int64_t account_id,
                                     CardProvider& provider, const std::string& public_url,
                                     int64_t now_ms) {
  if (invoice.status == InvoiceStatus::kPaid) {
    return MakeError(ErrorCode::kConflict, "payments.already_paid");
  }
  if (invoice.status == InvoiceStatus::kVoid) {
    return MakeError(ErrorCode::kConflict, "payments.invoice_void");
  }
  CardPayment c;
  c.token = crypto::RandomToken(24);
  c.invoice_id = invoice.id;
  c.municipality_id = invoice.municipality_id;
  c.account_id = account_id;
  c.amount_minor = invoice.total_minor;
  c.currency = invoice.currency;
  c.created_at = c.updated_at = now_ms;
  Status inserted = db_.Write([&](db::Tx& tx) -> Status {
    auto id = tx.Query(
        "INSERT INTO payment_card_payments (token, invoice_id, municipality_id, account_id, "
        "amount_minor, currency, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
        "'created', ?, ?) RETURNING id",
        {c.token, c.invoice_id, c.municipality_id, c.account_id, c.amount_minor, c.currency, now_ms,
         now_ms});
    if (!id.ok()) return std::move(id).error();
    c.id = (*id)[0].Int(0);
    return Ok();
  });
  if (!inserted.ok()) return std::move(inserted).error();
  ProviderCreate in;
  in.amount_minor = c.amount_minor;
  in.currency = c.currency;
  in.reference = c.token;
  in.description = invoice.number;
  in.return_url = public_url + "/account/card-payments/" + c.token;
  in.notify_url = public_url + "/api/v1/card/notifications";
  auto created = provider.Create(in);
  if (!created.ok()) return std::move(created).error();
  c.provider_id = created->provider_id;
  c.redirect_url = created->redirect_url;
  c.state = CardState::kStarted;
  Status started = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE payment_card_payments SET state = 'started', provider_id = ?, redirect_url = ?, "
        "updated_at = ? WHERE id = ? AND state = 'created'",
        {c.provider_id, c.redirect_url, now_ms, c.id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
  if (!started.ok()) return std::move(started).error();
  return c;
}

Result<CardPayment> CardStore::ByToken(std::string_view token) {
  auto rows = db_.Query(
      std::string("SELECT ") + kCardColumns + " FROM payment_card_payments WHERE token = ?",
      {std::string(token)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
  return ReadCard((*rows)[0]);
}

Result<CardPayment> CardStore::ByProviderId(std::string_view provider_id) {
  auto rows = db_.Query(
      std::string("SELECT ") + kCardColumns + " FROM payment_card_payments WHERE provider_id = ?",
      {std::string(provider_id)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
  return ReadCard((*rows)[0]);
}

Status CardStore::SetState(const CardPayment& p, CardState to, int64_t payment_id, int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE payment_card_payments SET state = ?, payment_id = ?, updated_at = ? WHERE id = ? "
        "AND state IN ('created', 'started')",
        {std::string(CardStateName(to)), payment_id, now_ms, p.id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Ok();  // settled meanwhile by the other message
    return Audit(audit_, tx, "system", "card.settled", "card-payment:" + std::to_string(p.id),
                 p.municipality_id, "",
                 "state=" + std::string(CardStateName(to)) + " provider_id=" + p.provider_id,
                 now_ms);
  });
}

Result<CardPayment> CardStore::Settle(const std::string& provider_id, CardProvider& provider,
                                      int64_t now_ms) {
  auto c = ByProviderId(provider_id);
  if (!c.ok()) return std::move(c).error();
  if (Final(c->state)) return c;
  auto s = provider.Fetch(provider_id);
  if (!s.ok()) return std::move(s).error();
  CardState to = c->state;
  int64_t payment_id = 0;
  if (s->state == "succeeded") {
    if (s->amount_minor != c->amount_minor || s->currency != c->currency ||
        s->reference != c->token) {
      to = CardState::kFailed;  // never post what the invoice did not ask
    } else {
      auto inv = payments_.Get(c->invoice_id);
      if (!inv.ok()) return std::move(inv).error();
      PaymentInput in;
      in.reference = inv->reference;
      in.amount_minor = s->amount_minor;
      in.currency = s->currency;
      in.channel = "card";
      in.method = "card";
      in.external_id = provider_id;
      in.actor = "system";
      auto paid = payments_.Pay(in, now_ms);
      if (!paid.ok()) {
        if (paid.error().code == ErrorCode::kUnavailable) return std::move(paid).error();
        to = CardState::kFailed;  // e.g. paid at the counter meanwhile: a refund is due
      } else {
        to = CardState::kSucceeded;
        payment_id = paid->id;
      }
    }
  } else if (s->state == "failed") {
    to = CardState::kFailed;
  } else if (s->state == "cancelled") {
    to = CardState::kCancelled;
  } else if (s->state == "expired" || now_ms - c->created_at > kCardPaymentLifetimeMs) {
    to = CardState::kExpired;
  }
  if (to != c->state) {
    if (Status st = SetState(*c, to, payment_id, now_ms); !st.ok()) return std::move(st).error();
  }
  return ByProviderId(provider_id);
}

// ---- the sandbox provider ----------------------------------------------------------------------

SandboxProvider::SandboxProvider(std::string api_key, std::string secret, uint16_t port)
    : key_(std::move(api_key)), secret_(std::move(secret)), port_(port) {}

SandboxProvider::~SandboxProvider() { Stop(); }

Status SandboxProvider::Start() {
  http::ServerOptions o;
  o.address = "127.0.0.1";
  o.port = port_;
  // The hosted page's form notifies the platform, which asks this provider back meanwhile.
  o.threads = 4;
  server_ = std::make_unique<http::Server>(o, [this](http::Request& r) { return Handle(r); });
  if (Status s = server_->Listen(); !s.ok()) return s;
  return Ok();
}

void SandboxProvider::RunInBackground() {
  thread_ = std::thread([this] { server_->Run(false); });
}

void SandboxProvider::Run() { server_->Run(true); }

void SandboxProvider::Stop() {
  if (!server_) return;
  if (thread_.joinable()) {
    server_->Stop();
    thread_.join();
  }
}

std::string SandboxProvider::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

void SandboxProvider::ReportAmount(int64_t amount_minor) {
  std::lock_guard lock(mu_);
  report_amount_ = amount_minor;
}

void SandboxProvider::SetNotifyUrl(std::string url) {
  std::lock_guard lock(mu_);
  notify_url_ = std::move(url);
}

void SandboxProvider::SetClock(std::function<int64_t()> now_ms) {
  std::lock_guard lock(mu_);
  now_ms_ = std::move(now_ms);
}

void SandboxProvider::SendNotifications(bool send) {
  std::lock_guard lock(mu_);
  notify_ = send;
}

std::map<std::string, std::string> SandboxProvider::States() {
  std::lock_guard lock(mu_);
  std::map<std::string, std::string> out;
  for (const auto& [id, h] : held_) out[id] = h.state;
  return out;
}

std::pair<std::string, std::string> SandboxProvider::LastNotification() {
  std::lock_guard lock(mu_);
  return last_;
}

Status SandboxProvider::Settle(const std::string& id, const std::string& state) {
  {
    std::lock_guard lock(mu_);
    auto it = held_.find(id);
    if (it == held_.end()) return MakeError(ErrorCode::kNotFound, "payments.unknown_payment");
    if (it->second.state == "pending") it->second.state = state;
  }
  Notify(id);
  return Ok();
}

void SandboxProvider::Notify(const std::string& id) {
  std::string url;
  std::string body;
  {
    std::lock_guard lock(mu_);
    if (!notify_) return;
    url = notify_url_.empty() ? held_[id].in.notify_url : notify_url_;
    body = json::serialize(json::object{{"id", id}, {"state", held_[id].state}});
    const int64_t now_s = now_ms_ ? now_ms_() / 1000 : static_cast<int64_t>(std::time(nullptr));
    last_ = {body, NotificationSignature(secret_, now_s, body)};
  }
  (void)Call("POST", url, {"Content-Type: application/json", "Provider-Signature: " + last_.second},
             body);
}

http::Response SandboxProvider::Handle(http::Request& req) {
  const bool authorised = req.headers.Get("authorization") == "Bearer " + key_;
  if (req.path == "/v1/payments" && req.method_name == "POST") {
    if (!authorised) return http::Response::Json(401, R"({"error":"unauthorized"})");
    std::error_code ec;
    json::value v = json::parse(req.body, ec);
    if (ec || !v.is_object()) return http::Response::Json(400, R"({"error":"bad json"})");
    const json::object& o = v.as_object();
    ProviderCreate in;
    in.currency = Str(o, "currency");
    in.reference = Str(o, "reference");
    in.description = Str(o, "description");
    in.return_url = Str(o, "return_url");
    in.notify_url = Str(o, "notify_url");
    const json::value* amount = o.if_contains("amount_minor");
    if (!amount || !amount->is_int64() || amount->as_int64() <= 0 || in.return_url.empty()) {
      return http::Response::Json(422, R"({"error":"invalid"})");
    }
    in.amount_minor = amount->as_int64();
    std::lock_guard lock(mu_);
    const std::string id = "sbx_" + std::to_string(++next_) + "_" + crypto::RandomToken(8);
    held_[id].in = in;
    return http::Response::Json(
        201, json::serialize(json::object{
                 {"id", id}, {"state", "pending"}, {"redirect_url", url() + "/pay/" + id}}));
  }
  if (req.path.starts_with("/v1/payments/") && req.path.ends_with("/refunds") &&
      req.method_name == "POST") {
    if (!authorised) return http::Response::Json(401, R"({"error":"unauthorized"})");
    const std::string id = req.path.substr(13, req.path.size() - 13 - 8);
    std::error_code ec;
    json::value v = json::parse(req.body, ec);
    const json::value* amount =
        ec || !v.is_object() ? nullptr : v.as_object().if_contains("amount_minor");
    std::lock_guard lock(mu_);
    auto it = held_.find(id);
    if (it == held_.end()) return http::Response::Json(404, R"({"error":"not found"})");
    Held& h = it->second;
    if (!amount || !amount->is_int64() || amount->as_int64() <= 0 ||
        amount->as_int64() > h.in.amount_minor - h.refunded || h.state != "succeeded") {
      return http::Response::Json(422, R"({"error":"cannot refund"})");
    }
    h.refunded += amount->as_int64();
    if (h.refunded == h.in.amount_minor) h.state = "refunded";
    return http::Response::Json(201, R"({"state":"refunded"})");
  }
  if (req.path.starts_with("/v1/payments/") && req.method_name == "GET") {
    if (!authorised) return http::Response::Json(401, R"({"error":"unauthorized"})");
    const std::string id = req.path.substr(13);
    std::lock_guard lock(mu_);
    auto it = held_.find(id);
    if (it == held_.end()) return http::Response::Json(404, R"({"error":"not found"})");
    return http::Response::Json(
        200, json::serialize(json::object{
                 {"id", id},
                 {"state", it->second.state},
                 {"amount_minor", report_amount_ ? report_amount_ : it->second.in.amount_minor},
                 {"currency", it->second.in.currency},
                 {"reference", it->second.in.reference}}));
  }
  if (req.path.starts_with("/pay/")) {
    const std::string id = req.path.substr(5);
    ProviderCreate in;
    std::string state;
    {
      std::lock_guard lock(mu_);
      auto it = held_.find(id);
      if (it == held_.end()) return http::Response::Text(404, "no such payment");
      in = it->second.in;
      state = it->second.state;
    }
    if (req.method_name == "POST") {
      const std::string outcome(req.Form().Get("outcome").value_or(""));
      (void)Settle(id, outcome == "pay" ? "succeeded" : "cancelled");
      return http::Response::Redirect(in.return_url);
    }
    // The hosted page: English and Arabic side by side, no script; a sandbox takes no card.
    const std::string amount = std::to_string(in.amount_minor / 100) + "." +
                               std::to_string(100 + in.amount_minor % 100).substr(1);
    std::string page =
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>Sandbox payment page</title>"
        "</head><body><main><h1>Sandbox payment page</h1><p lang=\"ar\" dir=\"rtl\">صفحة دفع "
        "تجريبية: لا تُطلب بطاقة حقيقية.</p><p>Amount: " +
        amount + " " + in.currency + "</p><p>State: " + state +
        "</p><form method=\"post\"><button name=\"outcome\" value=\"pay\">Pay</button> "
        "<button name=\"outcome\" value=\"cancel\">Cancel</button></form></main></body></html>";
    return http::Response::Html(200, page);
  }
  return http::Response::Text(404, "not found");
}

}  // namespace baladiya::payments
