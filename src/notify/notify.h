// notify: telling people what happened, reliably.
//
// A transactional outbox: a caller writes the notification with Outbox::Enqueue inside the same
// database transaction as the change that causes it, so a change is never committed without its
// message and a rolled-back change sends nothing. In-app messages, which cannot fail, reach the
// inbox in that same transaction (their record says delivered). A Dispatcher (driven by a Worker
// thread) later claims the other due messages, delivers them through their channel (email over
// SMTP, SMS through an HTTP gateway; in-app ones queued before this rule are still delivered),
// retries transient failures with growing back-off, and keeps each message's delivery state:
// queued -> sending -> sent -> delivered, or failed.
//
// Texts are rendered at enqueue time from templates (the message catalogue by default) in the
// recipient's language. What is rendered, and an explicit address when one is given, is stored
// sealed (XChaCha20-Poly1305 under a key derived from the master key) and erased once the message
// is sent or has failed for good: the outbox never keeps a readable one-time code or address.
// A recipient account's address is looked up only at delivery time, so a closed account's
// (crypto-shredded) address cannot be used.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::notify {

enum class Channel { kInApp, kEmail, kSms };
std::string_view ChannelName(Channel c);  // "in_app", "email", "sms"
std::optional<Channel> ParseChannel(std::string_view name);

enum class State { kQueued, kSending, kSent, kDelivered, kFailed };
std::string_view StateName(State s);  // "queued", "sending", "sent", "delivered", "failed"
std::optional<State> ParseState(std::string_view name);

// What to send to whom. The recipient is an account (its address is looked up at delivery) or an
// explicit address (an email address or an E.164 phone number).
struct Notification {
  Channel channel = Channel::kInApp;
  int64_t account_id = 0;
  std::string address;
  int64_t municipality_id = 0;
  std::string lang = "ar";   // "ar" or "en": the recipient's language
  std::string template_key;  // "account.reset_code", later "case.submitted", ...
  std::map<std::string, std::string> params;
  // Optional: a second Enqueue with the same key is a no-op returning the first message's id.
  std::string dedupe_key;
  // Optional: the caller's own wording in the recipient's language ("subject", "body", "sms"),
  // with the same {placeholders}, used instead of the catalogue's where given (e.g. a service's
  // own notification texts).
  std::map<std::string, std::string> texts;
};

struct Rendered {
  std::string subject;  // email subject, in-app title (unused by SMS)
  std::string text;     // email body, in-app text, SMS text
};

// Where texts come from. Must be thread-safe.
class TemplateSource {
 public:
  virtual ~TemplateSource() = default;
  // kInvalid ("notify.template_missing") when the template is missing in the requested language.
  virtual Result<Rendered> Render(const Notification& n) const = 0;
};

// Templates from the message catalogue: "notify.<key>.subject" and "notify.<key>.body" for email
// and in-app, "notify.<key>.sms" for SMS (falling back to the body), with {name} placeholders
// filled from params. A placeholder without a value is an error, never sent as "{name}".
class CatalogTemplates : public TemplateSource {
 public:
  explicit CatalogTemplates(const i18n::Catalog& catalog) : catalog_(catalog) {}
  Result<Rendered> Render(const Notification& n) const override;

 private:
  const i18n::Catalog& catalog_;
};

// Fills "{name}" placeholders; kInvalid naming the first placeholder that has no value.
Result<std::string> FillPlaceholders(std::string_view text,
                                     const std::map<std::string, std::string>& params);

// One outbox row as the back office sees it (never its text or address).
struct Record {
  int64_t id = 0;
  std::string reference;  // random, opaque: Message-ID of emails, reference given to the gateway
  Channel channel = Channel::kInApp;
  int64_t account_id = 0;
  int64_t municipality_id = 0;
  std::string template_key;
  std::string lang;
  State state = State::kQueued;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::string last_error;
  int64_t created_at = 0;
  int64_t sent_at = 0;
  int64_t delivered_at = 0;
};

// A claimed message, ready to deliver.
struct Delivery {
  int64_t id = 0;
  std::string reference;
  Channel channel = Channel::kInApp;
  int64_t account_id = 0;
  int64_t municipality_id = 0;
  std::string address;  // explicit address, or empty (look up account_id)
  std::string lang;
  std::string template_key;
  Rendered message;
  int attempts = 0;  // attempts before this one
};

struct InboxItem {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string template_key;
  std::string title;
  std::string text;
  int64_t created_at = 0;
  int64_t read_at = 0;  // 0 = unread
};

struct RetryPolicy {
  int max_attempts = 6;
  int64_t first_delay_ms = 30'000;  // then x4 each time: 30 s, 2 min, 8 min, 32 min, 1 h cap
  int64_t max_delay_ms = 3'600'000;
  int64_t lease_ms = 120'000;  // a claimed message not settled by then is claimed again
};

// Delay before attempt `attempts + 1` after `attempts` failed ones (without jitter).
int64_t BackoffMs(const RetryPolicy& p, int attempts);

class Outbox {
 public:
  Outbox(db::Database& db, const crypto::Key32& master, const TemplateSource& templates,
         RetryPolicy policy = {});

  // Renders n and writes it, queued, inside the caller's transaction (in-app: straight into the
  // inbox, delivered); returns its id. kInvalid for an unknown template, a missing placeholder, or
  // a notification without a recipient.
  Result<int64_t> Enqueue(db::Tx& tx, const Notification& n, int64_t now_ms);
  // Enqueue in a transaction of its own.
  Result<int64_t> Enqueue(const Notification& n, int64_t now_ms);

  // Claims up to `limit` due messages (queued and due, or sending with an expired lease), marks
  // them sending and leases them for policy.lease_ms. Safe with several dispatchers, also on
  // several nodes sharing PostgreSQL: each message is claimed by one.
  Result<std::vector<Delivery>> Claim(int limit, int64_t now_ms);

  // Settling a claimed message. Sent/failed erase the sealed text and address.
  Status MarkSent(int64_t id, int64_t now_ms);
  // In-app: the message goes to the account's inbox and is delivered, in one transaction.
  Status DeliverInApp(const Delivery& d, int64_t now_ms);
  // A failed attempt: queued again after back-off, or failed for good when permanent or after
  // policy.max_attempts. error is a short technical reason (no personal data).
  struct FailedAttempt {
    int64_t id = 0;
    std::string error;
    bool permanent = false;
  };
  // Settles many at once (in one transaction): in-app deliveries, sent messages and failed
  // attempts. What a dispatcher pass uses, so a backlog costs one write per batch, not one per
  // message.
  Status SettleBatch(const std::vector<const Delivery*>& in_app, const std::vector<int64_t>& sent,
                     const std::vector<FailedAttempt>& failed, int64_t now_ms);
  Status MarkAttemptFailed(int64_t id, std::string_view error, bool permanent, int64_t now_ms);

  // A delivery receipt from the SMS gateway, by reference: "delivered" or "failed". Returns false
  // when no sent message has that reference (receipts for delivered messages are idempotent).
  Result<bool> Receipt(std::string_view reference, bool delivered, std::string_view error,
                       int64_t now_ms);

  Result<Record> Get(int64_t id);
  // Newest first; municipality 0 = all.
  Result<std::vector<Record>> Recent(int64_t municipality_id, int limit);
  // How many messages are in each state (for /metrics and the back office).
  Result<std::map<std::string, int64_t>> CountByState();

  // The account's in-app messages, newest first, and how many are unread.
  Result<std::vector<InboxItem>> Inbox(int64_t account_id, int limit);
  Result<int64_t> Unread(int64_t account_id);
  Status MarkAllRead(int64_t account_id, int64_t now_ms);

  const RetryPolicy& policy() const { return policy_; }

 private:
  Result<Delivery> Unseal(const db::Row& row) const;
  Status FailAttempt(db::Tx& tx, const FailedAttempt& f, int64_t now_ms);
  // The inbox row and the outbox row's settlement (delivered).
  Status InsertInbox(db::Tx& tx, const Delivery& d, int64_t now_ms);
  // The inbox row alone (for a message recorded as delivered when queued).
  Status AddToInbox(db::Tx& tx, const Delivery& d, int64_t now_ms);

  db::Database& db_;
  crypto::Key32 key_;
  const TemplateSource& templates_;
  RetryPolicy policy_;
};

// ---- channels ---------------------------------------------------------------------------------

struct SendResult {
  bool ok = false;
  bool permanent = false;  // when !ok: retrying cannot help (bad address, refused by policy)
  std::string error;       // short reason, no personal data
  std::string provider_id;
};

class Sender {
 public:
  virtual ~Sender() = default;
  // Delivers one message to address. Blocking; bounded by the sender's own timeouts.
  virtual SendResult Send(const Delivery& d, const std::string& address) = 0;
};

struct EmailMessage {
  std::string from;        // "no-reply@baladiya.example" or "Name <addr>"
  std::string to;          // a bare address
  std::string subject;     // UTF-8
  std::string text;        // UTF-8 plain text
  std::string lang;        // Content-Language
  std::string message_id;  // without angle brackets, e.g. "<reference>@baladiya"
  int64_t date_ms = 0;
};

// RFC 5322 message: UTF-8 subject as RFC 2047 encoded words, body base64 (text/plain; UTF-8), CRLF
// line ends. kInvalid when an address holds a line break or is not an address.
Result<std::string> FormatEmail(const EmailMessage& m);
// The bare address inside "Name <addr>" or addr itself.
std::string_view BareAddress(std::string_view from);
bool LooksLikeEmail(std::string_view address);

// Whether an SMTP URL names this machine (127.0.0.0/8, ::1 or localhost): a relay there is
// reached without crossing a network.
bool SmtpIsLocal(std::string_view url);

struct SmtpOptions {
  std::string url;  // "smtp://host:port" (STARTTLS when offered) or "smtps://host:port"
  std::string from = "Baladiya <no-reply@baladiya.invalid>";
  std::string username;
  std::string password;
  bool require_tls = false;  // refuse to send unless the connection is encrypted
  int timeout_ms = 15'000;
};

// Email through an SMTP server (libcurl). 5xx replies are permanent failures, others transient.
class SmtpSender : public Sender {
 public:
  explicit SmtpSender(SmtpOptions o);
  SendResult Send(const Delivery& d, const std::string& address) override;

 private:
  SmtpOptions o_;
};

struct SmsGatewayOptions {
  std::string url;    // "http://127.0.0.1:9000/send": POST JSON {to, text, sender, reference}
  std::string token;  // sent as "Authorization: Bearer <token>"; also authenticates receipts
  std::string sender = "Baladiya";
  int timeout_ms = 10'000;
};

// SMS through an HTTP gateway. 2xx = accepted (sent; delivered later by receipt); 4xx other than
// 408 and 429 permanent; 408, 429, 5xx and network errors transient.
class SmsGatewaySender : public Sender {
 public:
  explicit SmsGatewaySender(SmsGatewayOptions o);
  SendResult Send(const Delivery& d, const std::string& address) override;

 private:
  SmsGatewayOptions o_;
};

// Writes each message as a file into a folder (email as .eml, SMS as .txt), for development and
// the demo where no SMTP server or gateway exists. Never for production: the files are plain.
class DropFolderSender : public Sender {
 public:
  DropFolderSender(std::string folder, Channel channel);
  SendResult Send(const Delivery& d, const std::string& address) override;

 private:
  std::string folder_;
  Channel channel_;
};

// ---- dispatching ------------------------------------------------------------------------------

// The account's address for a channel (email or E.164 phone); kNotFound when it has none (no
// email given, account closed).
using AddressBook = std::function<Result<std::string>(Channel, int64_t account_id)>;

struct DispatchStats {
  int claimed = 0;
  int sent = 0;
  int failed_attempts = 0;
};

class Dispatcher {
 public:
  // A null sender means the channel is not configured: its messages fail permanently
  // ("channel not configured").
  Dispatcher(Outbox& outbox, AddressBook addresses, Sender* email, Sender* sms);
  // One pass: claims up to `batch` due messages and settles each.
  Result<DispatchStats> RunOnce(int64_t now_ms, int batch = 50);

 private:
  Outbox& outbox_;
  AddressBook addresses_;
  Sender* email_;
  Sender* sms_;
};

// Runs a Dispatcher every `interval` (and at once after Wake()) on its own thread until destroyed.
class Worker {
 public:
  Worker(Dispatcher& dispatcher, std::chrono::milliseconds interval,
         std::function<int64_t()> now_ms);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void Wake();

 private:
  void Loop();

  Dispatcher& dispatcher_;
  std::chrono::milliseconds interval_;
  std::function<int64_t()> now_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool woken_ = false;
  std::thread thread_;
};

std::vector<db::Migration> Migrations();

}  // namespace baladiya::notify
