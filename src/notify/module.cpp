// The notify module as the program is built from it (platform/module/module.h): the outbox, its
// senders (SMTP, SMS gateway, or the development drop folder), the dispatcher and its worker, the
// inbox page and the SMS receipts API; identity's reset codes and "password changed" go out
// through it.
#include "platform/module/module.h"

#include <map>

#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/web.h"
#include "platform/i18n/arabic.h"
#include "platform/render/errors.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> NotifyMessageFiles();
std::span<const baladiya::EmbeddedFile> NotifyTemplateFiles();
std::span<const baladiya::EmbeddedFile> NotifyOpenApiFiles();

namespace baladiya::notify {

Recipients::Recipients(identity::AccountStore& accounts, std::set<Channel> deliverable)
    : accounts_(accounts), deliverable_(std::move(deliverable)) {}

void Recipients::Mute(std::function<Result<bool>(int64_t account_id)> muted) {
  muted_.push_back(std::move(muted));
}

std::vector<Channel> Recipients::Reachable(int64_t account_id) const {
  std::vector<Channel> out;
  auto a = accounts_.Get(account_id, true);
  if (!a.ok() || a->status != identity::AccountStatus::kActive) return out;
  for (const auto& muted : muted_) {
    auto m = muted(account_id);
    if (!m.ok() || *m) return out;
  }
  auto offer = [&](Channel c, bool has_address) {
    if (has_address && deliverable_.count(c)) out.push_back(c);
  };
  offer(Channel::kInApp, true);
  offer(Channel::kSms, !a->personal.phone.empty());
  offer(Channel::kEmail, !a->personal.email.empty());
  return out;
}

AddressBook AccountAddresses(identity::AccountStore& accounts) {
  return [&accounts](Channel channel, int64_t account_id) -> Result<std::string> {
    auto a = accounts.Get(account_id, true);
    if (!a.ok()) return std::move(a).error();
    if (a->status != identity::AccountStatus::kActive)
      return MakeError(ErrorCode::kNotFound, "error.not_found", "account not active");
    const std::string& address = channel == Channel::kEmail ? a->personal.email : a->personal.phone;
    if (address.empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no address");
    return address;
  };
}

namespace {

// The senders the settings ask for: SMTP or SMS gateway when their URL is set, else the
// development drop folder when mail-drop is set, else none (the channel is not configured).
struct Senders {
  std::unique_ptr<Sender> email;
  std::unique_ptr<Sender> sms;
};

Senders MakeSenders(const module::Settings& s) {
  Senders out;
  if (!s.Text("smtp-url").empty()) {
    // Encryption is required (the default) for every server but a relay on this machine, where
    // the mail never crosses a network on its way to it.
    const bool require_tls = s.Bool("smtp-require-tls") && !SmtpIsLocal(s.Text("smtp-url"));
    out.email = std::make_unique<SmtpSender>(
        SmtpOptions{s.Text("smtp-url"), s.Text("smtp-from"), s.Text("smtp-user"),
                    s.Text("smtp-password"), require_tls, 15000});
  } else if (!s.Text("mail-drop").empty()) {
    out.email = std::make_unique<DropFolderSender>(s.Text("mail-drop"), Channel::kEmail);
  }
  if (!s.Text("sms-url").empty()) {
    out.sms = std::make_unique<SmsGatewaySender>(
        SmsGatewayOptions{s.Text("sms-url"), s.Text("sms-token"), s.Text("sms-sender"), 10000});
  } else if (!s.Text("mail-drop").empty()) {
    out.sms = std::make_unique<DropFolderSender>(s.Text("mail-drop"), Channel::kSms);
  }
  return out;
}

// Queues one message per channel the account can be reached on.
Status QueueForAccount(db::Tx& tx, Outbox& outbox, const identity::Account& a,
                       const std::string& key, std::map<std::string, std::string> params,
                       bool in_app, int64_t now_ms, bool sms = true) {
  std::vector<Channel> channels;
  if (in_app) channels.push_back(Channel::kInApp);
  if (sms && !a.personal.phone.empty()) channels.push_back(Channel::kSms);
  if (!a.personal.email.empty()) channels.push_back(Channel::kEmail);
  for (Channel c : channels) {
    Notification n;
    n.channel = c;
    n.account_id = a.id;
    n.municipality_id = a.home_municipality_id;
    n.lang = a.lang;
    n.template_key = key;
    n.params = params;
    auto id = outbox.Enqueue(tx, n, now_ms);
    if (!id.ok()) return std::move(id).error();
  }
  return Ok();
}

Status Open(module::Context& ctx) {
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  auto& templates = ctx.parts.Own(std::make_unique<CatalogTemplates>(*ctx.site.catalog));
  Outbox& outbox = ctx.parts.Own(std::make_unique<Outbox>(ctx.db, ctx.keys.master, templates));
  Senders& senders = ctx.parts.Keep(std::make_unique<Senders>(MakeSenders(ctx.settings)));
  std::set<Channel> deliverable = {Channel::kInApp};
  if (senders.email) deliverable.insert(Channel::kEmail);
  if (senders.sms) deliverable.insert(Channel::kSms);
  ctx.parts.Own(std::make_unique<Recipients>(accounts, std::move(deliverable)));
  ctx.parts.Own(std::make_unique<Dispatcher>(outbox, AccountAddresses(accounts),
                                             senders.email.get(), senders.sms.get()));
  Notifier& notifier = ctx.parts.Own(std::make_unique<Notifier>());

  // identity's messages: the reset code (SMS, and email when the account has one) and "your
  // password was changed" (in-app, SMS, email), each queued inside the transaction of its change.
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.send_reset_code = [&outbox](db::Tx& tx, const identity::Account& a, const std::string& code,
                                  int64_t now_ms) {
    return QueueForAccount(tx, outbox, a, "account.reset_code", {{"code", code}, {"minutes", "10"}},
                           false, now_ms);
  };
  ids.send_password_changed = [&outbox](db::Tx& tx, const identity::Account& a, int64_t now_ms) {
    return QueueForAccount(tx, outbox, a, "account.password_changed", {}, true, now_ms);
  };
  // A sign-in from a new browser: in-app and by email (not by SMS: people sign in from new
  // phones and shared computers often, and an SMS each time would cost more than it warns).
  ids.send_new_signin = [&outbox, &db = ctx.db](const identity::Account& a,
                                                const std::string& browser, int64_t now_ms) {
    return db.Write([&](db::Tx& tx) {
      return QueueForAccount(tx, outbox, a, "account.new_signin", {{"browser", browser}}, true,
                             now_ms, /*sms=*/false);
    });
  };
  ids.notified = [&notifier] { notifier.Wake(); };
  ids.account_links.push_back({"inbox.link", "/account/notifications", nullptr});
  // The messages in the person's data export.
  ids.exporters.push_back([&outbox, &cat = *ctx.site.catalog](
                              int64_t account, i18n::Lang lang) -> Result<identity::ExportSection> {
    auto items = outbox.Inbox(account, 1000);
    if (!items.ok()) return std::move(items).error();
    identity::ExportSection out{"messages", cat.Get(lang, "inbox.title"), {}};
    for (const auto& m : *items) {
      out.records.push_back(
          {m.title,
           {{"sent", cat.Get(lang, "inbox.sent"), i18n::FormatDate(m.created_at, lang)},
            {"text", cat.Get(lang, "inbox.text"), m.text}},
           {}});
    }
    return out;
  });
  // The SMS gateway's receipts carry its bearer token, never a session: no anti-forgery check.
  ids.self_authenticating_paths.push_back(std::string(kSmsReceiptsPath));
  return Ok();
}

Status Routes(module::Context& ctx) {
  WebOptions o;
  o.outbox = &ctx.parts.Get<Outbox>();
  o.site = &ctx.site;
  o.sms_token = ctx.settings.Text("sms-token");
  o.now_ms = ctx.now_ms;
  auto error_page = ctx.web->error_page;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  const i18n::Catalog& cat = *ctx.site.catalog;
  o.api_error = [&cat](int status, std::string_view code, std::string_view key,
                       const http::Request& r) {
    return render::ApiError(cat, r, status, code, key);
  };
  AddRoutes(ctx.parts.Get<identity::GuardedRoutes>(), std::move(o));
  return Ok();
}

// The worker delivers what pages queue, every notify-seconds and at once when woken.
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  const auto& deliverable = ctx.parts.Get<Recipients>().deliverable();
  if (!deliverable.count(Channel::kEmail)) {
    std::fprintf(stderr, "baladiya: email not configured (smtp-url)\n");
  }
  if (!deliverable.count(Channel::kSms)) {
    std::fprintf(stderr, "baladiya: SMS not configured (sms-url)\n");
  }
  struct Running : module::Worker {
    Running(Notifier& n, Dispatcher& d, std::chrono::seconds every, std::function<int64_t()> now)
        : notifier(n), worker(d, every, std::move(now)) {
      notifier.Attach(&worker);
    }
    // Lets a delivery in progress finish, before the database closes.
    ~Running() override { notifier.Attach(nullptr); }
    Notifier& notifier;
    notify::Worker worker;
  };
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(std::make_unique<Running>(ctx.parts.Get<Notifier>(), ctx.parts.Get<Dispatcher>(),
                                          std::chrono::seconds(ctx.settings.Int("notify-seconds")),
                                          ctx.now_ms));
  return out;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "notify";
  m.migrations = Migrations;
  m.messages = NotifyMessageFiles;
  m.templates = NotifyTemplateFiles;
  m.openapi = NotifyOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.workers = Workers;
  return m;
}

}  // namespace baladiya::notify
