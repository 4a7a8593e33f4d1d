#include "app/services.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "app/resources.h"
#include "catalog/catalog.h"
#include "platform/db/migrate.h"

namespace baladiya::app {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::unique_ptr<Services>> OpenServices(const Config& c, bool quiet) {
  auto s = std::make_unique<Services>();
  if (Status st = crypto::InitCrypto(); !st.ok()) return std::move(st).error();
  db::DatabaseOptions o;
  o.url = c.database;
  o.synchronous = c.synchronous;
  o.read_pool_size = c.db_pool;
  auto db = db::Open(o);
  if (!db.ok()) return std::move(db).error();
  s->db = std::move(*db);
  auto report = db::Migrate(*s->db, AllMigrations());
  if (!report.ok()) return std::move(report).error();
  if (!quiet) {
    for (const auto& name : report->applied) std::printf("applied migration %s\n", name.c_str());
    std::printf("%zu migration(s) applied, %d already in place\n", report->applied.size(),
                report->already_applied);
  }
  auto keys = crypto::LoadOrCreateKeyFile(c.key_file);
  if (!keys.ok()) return std::move(keys).error();
  s->keys = *keys;
  s->audit = std::make_unique<audit::AuditLog>(*s->db, audit::Keyring(s->keys.signing_seed));
  if (!c.audit_witness.empty()) {
    s->audit->AddWitness(std::make_shared<audit::FileWitness>(
        c.audit_witness, audit::Keyring(s->keys.signing_seed).PublicKey(0)));
  }
  s->hasher =
      std::make_unique<identity::PasswordHasher>(identity::HashParams{}, c.hash_threads, 256);
  s->accounts = std::make_unique<identity::AccountStore>(*s->db, s->keys, s->audit.get());
  s->sessions = std::make_unique<identity::SessionStore>(*s->db, identity::SessionPolicy{});
  s->api_tokens = std::make_unique<identity::ApiTokenStore>(*s->db, *s->accounts, s->audit.get());
  auto messages = i18n::Catalog::Load(FindEmbedded(AppCatalogFiles(), "ar.json"),
                                      FindEmbedded(AppCatalogFiles(), "en.json"));
  if (!messages.ok()) return std::move(messages).error();
  s->messages = std::make_unique<i18n::Catalog>(std::move(*messages));
  s->templates = std::make_unique<notify::CatalogTemplates>(*s->messages);
  s->outbox = std::make_unique<notify::Outbox>(*s->db, s->keys.master, *s->templates);
  s->catalog = std::make_unique<catalog::ServiceStore>(*s->db);
  s->boundaries = std::make_unique<catalog::BoundaryStore>(*s->db);
  s->open311 = std::make_unique<open311::Store>(*s->db, s->keys.master);
  s->open311_keys = std::make_unique<open311::KeyStore>(*s->db, *s->accounts, s->audit.get());
  cases::Dependencies deps;
  deps.db = s->db.get();
  deps.master = &s->keys.master;
  deps.audit = s->audit.get();
  deps.outbox = s->outbox.get();
  identity::AccountStore* accounts = s->accounts.get();
  const Services* self = s.get();
  open311::KeyStore* open311_keys = s->open311_keys.get();
  deps.reachable = [accounts, self, open311_keys](int64_t account_id) {
    std::vector<notify::Channel> out;
    auto a = accounts->Get(account_id, true);
    if (!a.ok() || a->status != identity::AccountStatus::kActive) return out;
    // An Open311 key's account files reports for its client and reads no inbox.
    if (a->kind == identity::AccountKind::kStaff) {
      auto integration = open311_keys->IsIntegrationAccount(account_id);
      if (!integration.ok() || *integration) return out;
    }
    auto offer = [&](notify::Channel c, bool has_address) {
      if (has_address && self->deliverable.count(c)) out.push_back(c);
    };
    offer(notify::Channel::kInApp, true);
    offer(notify::Channel::kSms, !a->personal.phone.empty());
    offer(notify::Channel::kEmail, !a->personal.email.empty());
    return out;
  };
  deps.heads = [accounts](int64_t municipality, int64_t department) {
    std::vector<std::pair<int64_t, std::string>> out;
    auto staff = accounts->Staff(municipality);
    if (!staff.ok()) return out;
    for (const auto& a : *staff) {
      if (a.status != identity::AccountStatus::kActive) continue;
      auto grants = accounts->Grants(a.id);
      if (!grants.ok()) continue;
      for (const auto& g : *grants) {
        if (g.role == identity::Role::kDepartmentHead && g.municipality_id == municipality &&
            (g.department_id == department || g.department_id == 0)) {
          out.emplace_back(a.id, a.lang);
          break;
        }
      }
    }
    return out;
  };
  Services* raw = s.get();
  deps.notified = [raw] {
    if (raw->wake_notifier) raw->wake_notifier();
  };
  open311::Store* open311 = s->open311.get();
  deps.on_state_change = [open311](db::Tx& tx, const cases::StateChange& change) {
    return open311->OnStateChange(tx, change);
  };
  s->cases = std::make_unique<cases::CaseStore>(std::move(deps));
  return s;
}

notify::AddressBook AccountAddresses(identity::AccountStore& accounts) {
  return [&accounts](notify::Channel channel, int64_t account_id) -> Result<std::string> {
    auto a = accounts.Get(account_id, true);
    if (!a.ok()) return std::move(a).error();
    if (a->status != identity::AccountStatus::kActive)
      return MakeError(ErrorCode::kNotFound, "error.not_found", "account not active");
    const std::string& address =
        channel == notify::Channel::kEmail ? a->personal.email : a->personal.phone;
    if (address.empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no address");
    return address;
  };
}

namespace {

// Queues one message per channel the account can be reached on.
Status QueueForAccount(db::Tx& tx, notify::Outbox& outbox, const identity::Account& a,
                       const std::string& key, std::map<std::string, std::string> params,
                       bool in_app, int64_t now_ms) {
  std::vector<notify::Channel> channels;
  if (in_app) channels.push_back(notify::Channel::kInApp);
  if (!a.personal.phone.empty()) channels.push_back(notify::Channel::kSms);
  if (!a.personal.email.empty()) channels.push_back(notify::Channel::kEmail);
  for (notify::Channel c : channels) {
    notify::Notification n;
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

}  // namespace

void WireNotifications(identity::WebServices& ids, notify::Outbox& outbox,
                       std::function<void()> wake) {
  ids.send_reset_code = [&outbox](db::Tx& tx, const identity::Account& a, const std::string& code,
                                  int64_t now_ms) {
    return QueueForAccount(tx, outbox, a, "account.reset_code", {{"code", code}, {"minutes", "10"}},
                           false, now_ms);
  };
  ids.send_password_changed = [&outbox](db::Tx& tx, const identity::Account& a, int64_t now_ms) {
    return QueueForAccount(tx, outbox, a, "account.password_changed", {}, true, now_ms);
  };
  ids.notified = std::move(wake);
}

Senders MakeSenders(const Config& c) {
  Senders out;
  if (!c.smtp_url.empty()) {
    out.email = std::make_unique<notify::SmtpSender>(notify::SmtpOptions{
        c.smtp_url, c.smtp_from, c.smtp_user, c.smtp_password, c.smtp_require_tls, 15000});
  } else if (!c.mail_drop.empty()) {
    out.email = std::make_unique<notify::DropFolderSender>(c.mail_drop, notify::Channel::kEmail);
  }
  if (!c.sms_url.empty()) {
    out.sms = std::make_unique<notify::SmsGatewaySender>(
        notify::SmsGatewayOptions{c.sms_url, c.sms_token, c.sms_sender, 10000});
  } else if (!c.mail_drop.empty()) {
    out.sms = std::make_unique<notify::DropFolderSender>(c.mail_drop, notify::Channel::kSms);
  }
  return out;
}

Status SeedDemoStaff(Services& s) {
  using identity::Role;
  struct Demo {
    const char* suffix;
    Role role;
    const char* department;  // "" = the whole municipality
    const char* name_ar;
    const char* name_en;
  };
  static constexpr Demo kMunicipal[] = {
      {"admin", Role::kMunicipalAdmin, "", "مدير النظام", "System administrator"},
      {"head", Role::kDepartmentHead, "engineering", "رئيس قسم الهندسة", "Head of engineering"},
      {"clerk", Role::kClerk, "engineering", "موظف الهندسة", "Engineering clerk"},
      {"counter", Role::kCounterClerk, "", "موظف الشباك", "Counter clerk"},
      {"auditor", Role::kAuditor, "", "المدقق", "Auditor"},
  };
  catalog::TenancyStore tenancy(*s.db);
  auto create = [&](const std::string& username, const std::string& ar, const std::string& en,
                    int64_t municipality, identity::Grant grant) -> Status {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = ar;
    in.full_name_en = en;
    in.password = crypto::RandomToken(12);
    in.municipality_id = municipality;
    in.grants = {grant};
    auto id = s.accounts->CreateStaff(in, *s.hasher, {"system", "seed", municipality}, NowMs());
    if (id.ok()) {
      std::printf("  %-22s %-18s password %s\n", username.c_str(),
                  std::string(identity::RoleName(grant.role)).c_str(), in.password.c_str());
      return Ok();
    }
    if (id.error().code == ErrorCode::kConflict) {
      std::printf("  %-22s %-18s (exists)\n", username.c_str(),
                  std::string(identity::RoleName(grant.role)).c_str());
      return Ok();
    }
    return std::move(id).error();
  };
  std::printf("demo staff (two-step verification is set up at first login):\n");
  if (Status st = create("platform.admin", "مدير المنصة", "Platform administrator", 0,
                         {Role::kPlatformAdmin, 0, 0});
      !st.ok()) {
    return st;
  }
  if (Status st = create("ministry.observer", "مراقب الوزارة", "Ministry observer", 0,
                         {Role::kMinistryObserver, 0, 0});
      !st.ok()) {
    return st;
  }
  auto list = tenancy.ListMunicipalities();
  if (!list.ok()) return std::move(list).error();
  for (const auto& m : *list) {
    auto deps = tenancy.Departments(m.id);
    if (!deps.ok()) return std::move(deps).error();
    for (const auto& d : kMunicipal) {
      int64_t dept = 0;
      for (const auto& dep : *deps) {
        if (dep.slug == d.department) dept = dep.id;
      }
      if (Status st =
              create(m.slug + "." + d.suffix, d.name_ar, d.name_en, m.id, {d.role, m.id, dept});
          !st.ok()) {
        return st;
      }
    }
  }
  return Ok();
}

}  // namespace baladiya::app
