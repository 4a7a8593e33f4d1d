// The long-lived parts of a running platform, opened once by each command: the database (with
// migrations applied), the key file, the audit log, identity's stores, the password hasher and
// the notification outbox.
#pragma once

#include <functional>
#include <memory>
#include <set>

#include "app/config.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/boundaries.h"
#include "catalog/services.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "notify/notify.h"
#include "open311/open311.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"

namespace baladiya::app {

struct Services {
  std::unique_ptr<db::Database> db;
  crypto::KeyFile keys;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<identity::PasswordHasher> hasher;
  std::unique_ptr<identity::AccountStore> accounts;
  std::unique_ptr<identity::SessionStore> sessions;
  std::unique_ptr<identity::ApiTokenStore> api_tokens;
  // Notifications: templates from the message catalogue, the transactional outbox.
  std::unique_ptr<i18n::Catalog> messages;
  std::unique_ptr<notify::CatalogTemplates> templates;
  std::unique_ptr<notify::Outbox> outbox;
  // The service catalogue and the cases filed against it.
  std::unique_ptr<catalog::ServiceStore> catalog;
  // Municipal boundaries: where reports go by their location.
  std::unique_ptr<catalog::BoundaryStore> boundaries;
  std::unique_ptr<cases::CaseStore> cases;
  // Open311: the public record of reports (kept in step by cases' state-change hook) and the
  // API keys.
  std::unique_ptr<open311::Store> open311;
  std::unique_ptr<open311::KeyStore> open311_keys;
  // Set by `serve` once its notification worker runs: wakes it after a case change commits.
  std::function<void()> wake_notifier;
  // The channels this server can deliver: case notifications are queued for these only (a
  // message for a channel with no sender could only fail). Set before serving starts.
  std::set<notify::Channel> deliverable = {notify::Channel::kInApp, notify::Channel::kSms,
                                           notify::Channel::kEmail};
};

// Opens everything; prints applied migrations unless quiet. Errors name what and where.
Result<std::unique_ptr<Services>> OpenServices(const Config& config, bool quiet);

int64_t NowMs();

// A recipient account's address for a channel, read when the message is delivered: the email or
// phone of an active account (kNotFound when it has none, or the account was closed).
notify::AddressBook AccountAddresses(identity::AccountStore& accounts);

// The notification senders the configuration asks for: SMTP or SMS gateway when their URL is
// set, else the development drop folder when mail-drop is set, else none (null).
struct Senders {
  std::unique_ptr<notify::Sender> email;
  std::unique_ptr<notify::Sender> sms;
};
Senders MakeSenders(const Config& c);

// Sends the identity pages' messages through the outbox: the reset code (SMS, and email when the
// account has one) and "your password was changed" (in-app, SMS, email), each queued inside the
// transaction of its change. wake runs after such a transaction commits.
void WireNotifications(identity::WebServices& ids, notify::Outbox& outbox,
                       std::function<void()> wake);

// Creates the demo staff (one account per role per demo municipality, plus the platform and
// ministry accounts) and prints each new login with its generated password; existing ones are
// listed as such. Idempotent.
Status SeedDemoStaff(Services& s);

}  // namespace baladiya::app
