// Online card payments through a payment provider's hosted payment page.
//
// The resident asks to pay an invoice by card: a card payment is created (state "created"), the
// provider is asked for a hosted page for that amount, reference and return address ("started"),
// and the resident is sent there. The provider tells the outcome twice, in either order: a
// signed notification to /api/v1/card/notifications, and the resident coming back to the return
// address. Neither is believed: each makes the platform ask the provider for the payment's state
// (CardProvider::Fetch), and only a "succeeded" whose amount and currency are the invoice's posts
// the payment, through PaymentStore::Pay with the provider's id as the channel's own id, so a
// repeated, replayed or early notification never posts twice. States: created, started,
// succeeded, failed, cancelled, expired (no outcome within kCardPaymentLifetimeMs), refunded.
//
// The provider sits behind CardProvider; HostedPageProvider speaks the HTTP protocol described in
// docs/PAYMENT-PROVIDERS.md (which also says how a bank's gateway plugs in), and SandboxProvider
// is a provider of that protocol on loopback for tests and the demo (`baladiya card-sandbox`).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "payments/payments.h"
#include "platform/db/database.h"
#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::http {
class Server;
}

namespace baladiya::payments {

inline constexpr int64_t kCardPaymentLifetimeMs = int64_t{30} * 60 * 1000;

struct ProviderCreate {
  int64_t amount_minor = 0;
  std::string currency;
  std::string reference;  // the card payment's token: the provider echoes it
  std::string description;
  std::string return_url;
  std::string notify_url;
};
struct ProviderCreated {
  std::string provider_id;
  std::string redirect_url;
};
// The provider's word on a payment: state "pending", "succeeded", "failed", "cancelled",
// "expired" or "refunded".
struct ProviderState {
  std::string provider_id;
  std::string state;
  int64_t amount_minor = 0;
  std::string currency;
  std::string reference;
};

class CardProvider {
 public:
  virtual ~CardProvider() = default;
  // kUnavailable when the provider cannot be reached or answers otherwise than documented.
  virtual Result<ProviderCreated> Create(const ProviderCreate& in) = 0;
  virtual Result<ProviderState> Fetch(const std::string& provider_id) = 0;
  // The provider id a notification names, when its signature is right and recent; kForbidden
  // "payments.card.bad_notification" otherwise.
  virtual Result<std::string> VerifyNotification(const http::Request& req, int64_t now_ms) = 0;
  // Refunds part or all of a succeeded payment; kUnavailable when the provider cannot, kConflict
  // "payments.card.refund_refused" when it refuses.
  virtual Status Refund(const std::string& provider_id, int64_t amount_minor) = 0;
};

// The HTTP protocol of docs/PAYMENT-PROVIDERS.md at base_url (libcurl), with the merchant's API
// key (a bearer token) and the secret notifications are signed with (HMAC-SHA256).
std::unique_ptr<CardProvider> HostedPageProvider(std::string base_url, std::string api_key,
                                                 std::string secret);

// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>": the Provider-Signature header.
std::string NotificationSignature(std::string_view secret, int64_t unix_s, std::string_view body);

enum class CardState { kCreated, kStarted, kSucceeded, kFailed, kCancelled, kExpired, kRefunded };
std::string_view CardStateName(CardState s);

struct CardPayment {
  int64_t id = 0;
  std::string token;  // opaque, in the return address
  int64_t invoice_id = 0;
  int64_t municipality_id = 0;
  int64_t account_id = 0;
  int64_t amount_minor = 0;
  std::string currency;
  CardState state = CardState::kCreated;
  std::string provider_id;
  std::string redirect_url;
  int64_t payment_id = 0;  // the posted payment, once succeeded
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

class CardStore {
 public:
  CardStore(db::Database& db, PaymentStore& payments, audit::AuditLog* audit)
      : db_(db), payments_(payments), audit_(audit) {}

  // Starts paying an open invoice of the account by card: kConflict "payments.already_paid" /
  // "payments.invoice_void"; kUnavailable when the provider cannot be reached (the card payment
  // is left "created", and expires).
  Result<CardPayment> Start(const Invoice& invoice, int64_t account_id, CardProvider& provider,
                            const std::string& public_url, int64_t now_ms);
  // Asks the provider and settles the card payment accordingly (idempotent): a success with the
  // invoice's amount and currency posts the payment (channel "card"); one without is "failed"
  // and audited; a pending one is left as it is, or expired past kCardPaymentLifetimeMs.
  Result<CardPayment> Settle(const std::string& provider_id, CardProvider& provider,
                             int64_t now_ms);
  Result<CardPayment> ByToken(std::string_view token);
  Result<CardPayment> ByProviderId(std::string_view provider_id);

 private:
  Status SetState(const CardPayment& p, CardState to, int64_t payment_id, int64_t now_ms);

  db::Database& db_;
  PaymentStore& payments_;
  audit::AuditLog* audit_;
};

// A payment provider of the protocol on loopback, with its hosted page (a form: pay or cancel):
// the tests' provider and the demo's sandbox. Payments it creates start "pending"; the page
// settles them, sends the signed notification to the notify address, then redirects the payer to
// the return address. Thread-safe.
class SandboxProvider {
 public:
  // port 0: any free port.
  SandboxProvider(std::string api_key, std::string secret, uint16_t port = 0);
  ~SandboxProvider();
  Status Start();
  void RunInBackground();  // serves on a thread of its own until Stop (tests)
  void Run();              // serves on the calling thread until a signal (the command)
  void Stop();
  std::string url() const;

  // What the tests change: the amount the provider reports (0: the one asked), and whether
  // notifications are sent.
  void ReportAmount(int64_t amount_minor);
  void SendNotifications(bool send);
  // Where notifications go, whatever a payment's notify_url says (as a provider's dashboard
  // configures a merchant's webhook); empty: each payment's own.
  void SetNotifyUrl(std::string url);
  // The clock notifications are signed with (milliseconds; the system's by default).
  void SetClock(std::function<int64_t()> now_ms);
  // The payments it holds, by id: state.
  std::map<std::string, std::string> States();
  // Settles a payment as its page would ("succeeded" / "cancelled" / "failed"), notifying.
  Status Settle(const std::string& id, const std::string& state);
  // The last notification it sent: body and signature header.
  std::pair<std::string, std::string> LastNotification();

 private:
  struct Held {
    ProviderCreate in;
    std::string state = "pending";
    int64_t refunded = 0;
  };
  http::Response Handle(http::Request& req);
  void Notify(const std::string& id);

  std::string key_;
  std::string secret_;
  uint16_t port_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Held> held_;
  int64_t report_amount_ = 0;
  bool notify_ = true;
  std::function<int64_t()> now_ms_;
  std::string notify_url_;
  std::pair<std::string, std::string> last_;
  int next_ = 0;
};

}  // namespace baladiya::payments
