// The long-lived parts of a running platform, opened once by each command: the database (with
// migrations applied), the key file, the audit log, identity's stores and the password hasher.
#pragma once

#include <memory>

#include "app/config.h"
#include "audit/audit.h"
#include "identity/credentials.h"
#include "identity/identity.h"
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
};

// Opens everything; prints applied migrations unless quiet. Errors name what and where.
Result<std::unique_ptr<Services>> OpenServices(const Config& config, bool quiet);

int64_t NowMs();

// Creates the demo staff (one account per role per demo municipality, plus the platform and
// ministry accounts) and prints each new login with its generated password; existing ones are
// listed as such. Idempotent.
Status SeedDemoStaff(Services& s);

}  // namespace baladiya::app
