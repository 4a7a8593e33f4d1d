// The baladiya command line: serve, migrate, seed --demo, version.
#include <sodium.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/admin_pages.h"
#include "app/config.h"
#include "app/resources.h"
#include "app/services.h"
#include "app/web.h"
#include "audit/audit.h"
#include "cases/web.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "identity/web.h"
#include "notify/web.h"
#include "open311/pages.h"
#include "open311/web.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/http/client_address.h"
#include "platform/http/server.h"
#include "platform/i18n/arabic.h"
#include "platform/log/log.h"
#include "platform/render/assets.h"
#include "platform/render/templates.h"

extern char** environ;

namespace baladiya::app {
namespace {

constexpr const char* kVersion = "0.1.0";

constexpr const char* kUsage = R"(baladiya — an open e-municipality platform

Usage: baladiya COMMAND [settings]

Commands:
  serve [--print-config]   apply pending migrations and serve HTTP
  migrate                  apply pending database migrations
  seed --demo              load demo data (Hebron, Nablus, Ramallah) and demo staff; safe to
                           run again
  user add --role ROLE --username NAME --name-ar NAME [--municipality SLUG]
           [--department SLUG] [--name-en NAME]
                           create a staff account (roles: platform-admin, municipal-admin,
                           department-head, clerk, counter-clerk, auditor, ministry-observer)
  token add --username NAME [--label TEXT]
                           issue an API token acting as that staff account with its first
                           grant (printed once; stored only as a hash)
  open311-key add --municipality SLUG --label TEXT
                           issue an Open311 API key for a municipality, with the integration
                           account its reports are filed as (printed once; stored as a hash)
  open311-key list --municipality SLUG
                           the municipality's Open311 keys
  open311-key revoke --municipality SLUG --id N
                           stop a key at once
  boundary set SLUG FILE   set a municipality's boundary from a GeoJSON file (Polygon or
                           MultiPolygon, bare or as a Feature whose properties name_ar and
                           name_en name the area); reports at points inside it go there
  boundary show SLUG       print a municipality's boundary as GeoJSON
  audit verify [--witness FILE]
                           check the whole audit log against its signed checkpoints and those
                           a witness kept (FILE, and the audit-witness setting's)
  audit app-role-sql ROLE [SCHEMA]
                           print the PostgreSQL grants that make ROLE an application role that
                           cannot cut back or rewrite the audit log (run them as the owner)
  version                  print the version
  help                     show this help

Settings (flag > environment > config file > default):
)";

int Fail(const std::string& what) {
  std::fprintf(stderr, "baladiya: %s\n", what.c_str());
  return 1;
}

int Fail(const Error& e) { return Fail(e.detail.empty() ? e.message_key : e.detail); }

// Housekeeping every `every` until stopped: a signed audit checkpoint, expired sessions purged,
// overdue cases escalated, abandoned drafts (older than draft_days) and unused uploads deleted.
// A last checkpoint is written at the end.
class CheckpointWriter {
 public:
  CheckpointWriter(audit::AuditLog& log, identity::SessionStore& sessions, cases::CaseStore& cases,
                   std::chrono::seconds every, int draft_days)
      : log_(log),
        sessions_(sessions),
        cases_(cases),
        every_(every),
        draft_days_(draft_days),
        thread_([this] { Loop(); }) {}
  ~CheckpointWriter() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    (void)log_.WriteCheckpoint(NowMs());
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, every_, [this] { return stop_; })) {
      lock.unlock();
      if (auto c = log_.WriteCheckpoint(NowMs());
          !c.ok() && c.error().code != ErrorCode::kNotFound) {
        std::fprintf(stderr, "baladiya: audit checkpoint failed: %s\n", c.error().detail.c_str());
      }
      (void)sessions_.PurgeExpired(NowMs());
      (void)cases_.EscalateOverdue(NowMs());
      CleanUp();
      lock.lock();
    }
  }

  void CleanUp() {
    auto done = cases_.DeleteAbandoned(NowMs(), draft_days_);
    if (!done.ok()) {
      std::fprintf(stderr, "baladiya: clean-up of drafts and uploads failed: %s\n",
                   done.error().detail.c_str());
    } else if (done->drafts || done->draft_files || done->uploads) {
      std::fprintf(stderr,
                   "baladiya: deleted %d abandoned draft(s) with %d file(s), %d unused upload(s)\n",
                   done->drafts, done->draft_files, done->uploads);
    }
  }

  audit::AuditLog& log_;
  identity::SessionStore& sessions_;
  cases::CaseStore& cases_;
  std::chrono::seconds every_;
  int draft_days_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

int Serve(const Loaded& loaded) {
  const Config& c = loaded.config;
  auto start = std::chrono::steady_clock::now();
  auto trusted = http::TrustedProxies::Parse(c.trusted_proxies);  // checked when loaded
  if (!trusted.ok()) return Fail(trusted.error());
  http::TrustedProxies uncapped = *trusted;
  if (c.trust_proxy) uncapped.Merge(http::TrustedProxies::Loopback());
  if (Status st = http::CheckProxySetup(c.address, c.hsts || c.public_url.starts_with("https://"),
                                        uncapped);
      !st.ok()) {
    return Fail(st.error());
  }
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  auto resources = LoadSiteResources();
  if (!resources.ok()) return Fail(resources.error());
  render::MapConfig map{c.map_tiles_url, c.map_attribution, {}};
  render::ParseCentres(c.map_centres, &map.centres);  // checked when the settings were loaded
  if (Status st = EnableMap(**resources, std::move(map)); !st.ok()) return Fail(st.error());
  const render::Site& site = (*resources)->site;

  identity::RateLimiter login_limits({});
  identity::RateLimiter register_limits({});
  // Reset codes: past 3 requests or wrong codes in 15 minutes, a back-off from a minute to an hour.
  identity::RateLimiter code_limits(
      {3, std::chrono::seconds(900), std::chrono::seconds(60), std::chrono::seconds(3600)});
  identity::WebServices ids;
  ids.accounts = s.accounts.get();
  ids.sessions = s.sessions.get();
  ids.hasher = s.hasher.get();
  ids.audit = s.audit.get();
  ids.login_limits = &login_limits;
  ids.register_limits = &register_limits;
  ids.code_limits = &code_limits;
  ids.api_tokens = s.api_tokens.get();
  ids.self_authenticating_paths = {std::string(open311::kBasePath) + "/"};
  ids.site = &site;
  ids.secure_cookies = c.hsts;
  ids.now_ms = NowMs;
  WebApp* web_ptr = nullptr;
  ids.error_page = [&web_ptr](int status, const http::Request& r) {
    return web_ptr->ErrorPage(status, &r);
  };
  WebApp web(s.db.get(), &site, WebOptions{c.hsts, c.trust_proxy, *trusted, c.metrics_token}, &ids);
  web_ptr = &web;
  audit::Keyring keyring(s.keys.signing_seed);
  AddAuditApi(web.routes(), *s.audit, keyring, *site.catalog);

  // Notifications: the dispatcher delivers what pages queue in the outbox.
  Senders senders = MakeSenders(c);
  if (!senders.email) std::fprintf(stderr, "baladiya: email not configured (smtp-url)\n");
  if (!senders.sms) std::fprintf(stderr, "baladiya: SMS not configured (sms-url)\n");
  s.deliverable = {notify::Channel::kInApp};
  if (senders.email) s.deliverable.insert(notify::Channel::kEmail);
  if (senders.sms) s.deliverable.insert(notify::Channel::kSms);
  notify::Dispatcher dispatcher(*s.outbox, AccountAddresses(*s.accounts), senders.email.get(),
                                senders.sms.get());
  auto notifier =
      std::make_unique<notify::Worker>(dispatcher, std::chrono::seconds(c.notify_seconds), NowMs);
  WireNotifications(ids, *s.outbox, [w = notifier.get()] { w->Wake(); });
  notify::WebOptions nw;
  nw.outbox = s.outbox.get();
  nw.site = &site;
  nw.sms_token = c.sms_token;
  nw.now_ms = NowMs;
  nw.error_page = ids.error_page;
  nw.api_error = [&site](int status, std::string_view code, std::string_view key,
                         const http::Request& r) {
    return ApiError(status, code, key, *site.catalog, r);
  };
  notify::AddRoutes(web.routes(), std::move(nw));
  s.wake_notifier = [w = notifier.get()] { w->Wake(); };

  // E-services: the catalogue, applications and the back office.
  identity::RateLimiter track_limits(
      {5, std::chrono::seconds(600), std::chrono::seconds(60), std::chrono::seconds(3600)});
  cases::WebOptions cw;
  cw.cases = s.cases.get();
  cw.services = s.catalog.get();
  cw.tenancy = &web.tenancy();
  cw.boundaries = s.boundaries.get();
  cw.accounts = s.accounts.get();
  cw.db = s.db.get();
  cw.track_limits = &track_limits;
  cw.audit = s.audit.get();
  cw.reopen_days = c.reopen_days;
  cw.site = &site;
  cw.now_ms = NowMs;
  cw.error_page = ids.error_page;
  cw.nearby = open311::DuplicateCheck(*s.open311);  // open reports within 50 m, before filing
  cases::AddApiRoutes(web.routes(), cw);
  cases::AddRoutes(web.routes(), std::move(cw));
  AddAdminRoutes(web.routes(), ids, web.tenancy());

  // Open311 GeoReport v2.
  open311::WebOptions ow;
  ow.store = s.open311.get();
  ow.keys = s.open311_keys.get();
  ow.cases = s.cases.get();
  ow.services = s.catalog.get();
  ow.tenancy = &web.tenancy();
  ow.boundaries = s.boundaries.get();
  ow.db = s.db.get();
  ow.messages = site.catalog;
  ow.public_url = c.public_url;
  ow.tls = c.hsts;
  ow.now_ms = NowMs;
  open311::AddRoutes(web.routes(), std::move(ow));
  open311::PageOptions op;  // the public report pages and the API key pages
  op.store = s.open311.get();
  op.keys = s.open311_keys.get();
  op.services = s.catalog.get();
  op.tenancy = &web.tenancy();
  op.hasher = s.hasher.get();
  op.site = &site;
  op.now_ms = NowMs;
  op.error_page = ids.error_page;
  open311::AddPageRoutes(web.routes(), std::move(op));

  http::ServerOptions so;
  so.address = c.address;
  so.port = static_cast<uint16_t>(c.port);
  so.threads = c.threads;
  so.max_body_bytes = static_cast<size_t>(c.max_body_kb) * 1024;
  so.max_header_bytes = static_cast<size_t>(c.max_header_kb) * 1024;
  so.read_timeout = std::chrono::milliseconds(c.read_timeout_ms);
  so.idle_timeout = std::chrono::milliseconds(c.idle_timeout_ms);
  so.max_connections = static_cast<size_t>(c.max_connections);
  so.max_in_flight = static_cast<size_t>(c.max_in_flight);
  so.max_connections_per_address = static_cast<size_t>(c.max_connections_per_address);
  so.uncapped = uncapped;
  so.offload_threads = c.offload_threads;
  http::Server server(so, web.Handler());
  web.Attach(&server);
  if (Status st = server.Listen(); !st.ok()) return Fail(st.error());
  auto ready_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::printf("Baladiya is serving on http://%s:%u (%s, ready in %lld ms)\n", c.address.c_str(),
              server.port(), std::string(s.db->Engine()).c_str(), static_cast<long long>(ready_ms));
  std::fflush(stdout);
  {
    CheckpointWriter checkpoints(*s.audit, *s.sessions, *s.cases,
                                 std::chrono::seconds(c.checkpoint_seconds), c.draft_days);
    server.Run(true);
  }
  s.wake_notifier = nullptr;
  notifier.reset();  // lets a delivery in progress finish, before the database closes
  s.db->Close();
  std::fprintf(stderr, "baladiya: stopped\n");
  return 0;
}

// baladiya user add --municipality SLUG --role ROLE --username NAME --name-ar NAME
//   [--name-en NAME] [--department SLUG]; the password is generated and printed once.
int UserAdd(const Config& c, const std::vector<std::string>& args) {
  std::map<std::string, std::string> opt;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return Fail("expected --name value pairs after 'user add'");
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (args.size() % 2 != 0) return Fail("expected --name value pairs after 'user add'");
  for (const char* required : {"role", "username", "name-ar"}) {
    if (!opt.count(required)) return Fail(std::string("user add needs --") + required);
  }
  auto role = identity::ParseRole(opt["role"]);
  if (!role || *role == identity::Role::kResident)
    return Fail("unknown staff role '" + opt["role"] + "'");
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  int64_t municipality = 0;
  int64_t department = 0;
  if (opt.count("municipality")) {
    catalog::TenancyStore tenancy(*s.db);
    auto m = tenancy.FindMunicipality(opt["municipality"]);
    if (!m.ok()) return Fail("no municipality '" + opt["municipality"] + "'");
    municipality = m->id;
    if (opt.count("department")) {
      auto deps = tenancy.Departments(m->id);
      if (deps.ok()) {
        for (const auto& d : *deps) {
          if (d.slug == opt["department"]) department = d.id;
        }
      }
      if (department == 0) return Fail("no department '" + opt["department"] + "'");
    }
  }
  identity::StaffInput in;
  in.username = opt["username"];
  in.full_name_ar = opt["name-ar"];
  in.full_name_en = opt.count("name-en") ? opt["name-en"] : "";
  in.password = crypto::RandomToken(12);
  in.municipality_id = municipality;
  in.grants = {{*role, municipality, department}};
  auto id = s.accounts->CreateStaff(in, *s.hasher, {"system", "cli", municipality}, NowMs());
  if (!id.ok()) {
    std::string why = id.error().detail.empty() ? id.error().message_key : id.error().detail;
    for (const auto& [field, key] : id.error().fields) why += "; " + field + ": " + key;
    return Fail("cannot add user: " + why);
  }
  std::printf("created %s (%s); password: %s\n", in.username.c_str(), opt["role"].c_str(),
              in.password.c_str());
  std::printf("two-step verification is set up at first login\n");
  return 0;
}

// baladiya token add --username NAME [--label TEXT]: an API token for a staff system, acting as
// the account with its first grant.
int TokenAdd(const Config& c, const std::vector<std::string>& args) {
  std::map<std::string, std::string> opt;
  if (args.size() % 2 != 0) return Fail("expected --name value pairs after 'token add'");
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return Fail("expected --name value pairs after 'token add'");
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (!opt.count("username")) return Fail("token add needs --username");
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  auto creds = s.accounts->FindForLogin(opt["username"]);
  if (!creds.ok() || creds->kind != identity::AccountKind::kStaff)
    return Fail("no staff account '" + opt["username"] + "'");
  auto grants = s.accounts->Grants(creds->account_id);
  if (!grants.ok() || grants->empty()) return Fail("the account holds no role");
  auto token = s.api_tokens->Issue(creds->account_id, grants->front(), opt["label"],
                                   {"system", "cli", grants->front().municipality_id}, NowMs());
  if (!token.ok()) return Fail(token.error());
  std::printf("API token for %s (%s), shown once:\n%s\n", opt["username"].c_str(),
              std::string(identity::RoleName(grants->front().role)).c_str(), token->c_str());
  return 0;
}

// baladiya open311-key add|list|revoke --municipality SLUG ...: Open311 API keys, issued by the
// municipal administrator who runs the command (audited as "system" from the command line).
int Open311Key(const Config& c, const std::vector<std::string>& args) {
  constexpr const char* kKeyUsage =
      "usage: baladiya open311-key add --municipality SLUG --label TEXT | list --municipality "
      "SLUG | revoke --municipality SLUG --id N";
  if (args.empty() || args.size() % 2 == 0) return Fail(kKeyUsage);
  const std::string& action = args[0];
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return Fail(kKeyUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (action != "add" && action != "list" && action != "revoke") return Fail(kKeyUsage);
  if (!opt.count("municipality")) return Fail("open311-key " + action + " needs --municipality");
  if (action == "add" && !opt.count("label")) return Fail("open311-key add needs --label");
  int64_t id = 0;
  if (action == "revoke") {
    const std::string& text = opt["id"];
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || id <= 0)
      return Fail("open311-key revoke needs --id with a key number (see open311-key list)");
  }
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  catalog::TenancyStore tenancy(*s.db);
  auto m = tenancy.FindMunicipality(opt["municipality"]);
  if (!m.ok()) return Fail("no municipality '" + opt["municipality"] + "'");
  const identity::AuditContext ctx{"system", "cli", m->id};
  if (action == "add") {
    auto issued = s.open311_keys->Issue(m->id, opt["label"], *s.hasher, *s.messages, ctx, NowMs());
    if (!issued.ok()) return Fail(issued.error());
    std::printf("Open311 key %lld for %s (%s), filing as %s; shown once:\n%s\n",
                static_cast<long long>(issued->record.id), m->slug.c_str(),
                issued->record.label.c_str(), issued->username.c_str(), issued->key.c_str());
    return 0;
  }
  if (action == "revoke") {
    if (Status st = s.open311_keys->Revoke(id, m->id, ctx, NowMs()); !st.ok()) {
      if (st.error().code == ErrorCode::kNotFound)
        return Fail("no live Open311 key " + opt["id"] + " in " + m->slug);
      return Fail(st.error());
    }
    std::printf("Open311 key %lld of %s revoked\n", static_cast<long long>(id), m->slug.c_str());
    return 0;
  }
  auto keys = s.open311_keys->OfMunicipality(m->id);
  if (!keys.ok()) return Fail(keys.error());
  for (const auto& k : *keys) {
    std::printf("%lld\t%s\t%s\t%s\n", static_cast<long long>(k.id), k.label.c_str(),
                i18n::FormatIsoUtc(k.created_at).c_str(),
                k.revoked_at ? ("revoked " + i18n::FormatIsoUtc(k.revoked_at)).c_str() : "live");
  }
  return 0;
}

// baladiya boundary set SLUG FILE | show SLUG: a municipality's boundary (catalog/boundaries.h),
// set by the operator (audited as "system" from the command line).
int Boundary(const Config& c, const std::vector<std::string>& args) {
  constexpr const char* kBoundaryUsage =
      "usage: baladiya boundary set SLUG FILE | boundary show SLUG";
  const bool set = args.size() == 3 && args[0] == "set";
  const bool show = args.size() == 2 && args[0] == "show";
  if (!set && !show) return Fail(kBoundaryUsage);
  catalog::Boundary boundary;
  if (set) {
    std::ifstream in(args[2], std::ios::binary);
    if (!in) return Fail("cannot read " + args[2]);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = catalog::ParseGeoJson(text.str());
    if (!parsed.ok()) return Fail(args[2] + ": " + parsed.error().detail);
    boundary = std::move(*parsed);
  }
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  catalog::TenancyStore tenancy(*s.db);
  auto m = tenancy.FindMunicipality(args[1]);
  if (!m.ok()) return Fail("no municipality '" + args[1] + "'");
  if (show) {
    auto b = s.boundaries->Get(m->id);
    if (!b.ok()) return Fail(m->slug + " has no boundary");
    std::printf("%s\n", catalog::ToGeoJson(*b).c_str());
    return 0;
  }
  const int64_t now = NowMs();
  Status st = s.boundaries->Set(m->id, boundary, now, [&](db::Tx& tx) -> Status {
    audit::EntryInput e;
    e.time_ms = now;
    e.actor = "system";
    e.action = "boundary.set";
    e.object = "municipality:" + m->slug;
    e.municipality_id = m->id;
    e.request_id = "cli";
    e.details = "polygons=" + std::to_string(boundary.polygons.size());
    auto appended = s.audit->Append(tx, e);
    if (!appended.ok()) return std::move(appended).error();
    return Ok();
  });
  if (!st.ok()) return Fail(st.error());
  size_t points = 0;
  for (const auto& p : boundary.polygons) {
    points += p.outer.size();
    for (const auto& h : p.holes) points += h.size();
  }
  std::printf("boundary of %s set: %zu polygon(s), %zu point(s)\n", m->slug.c_str(),
              boundary.polygons.size(), points);
  return 0;
}

// baladiya audit verify [--witness FILE]: the log against its own checkpoints and against those a
// witness kept elsewhere (the file given, and the audit-witness setting's).
int AuditVerify(const Config& c, const std::vector<std::string>& args) {
  std::vector<std::string> files;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (args[i] != "--witness" || i + 1 >= args.size())
      return Fail("usage: baladiya audit verify [--witness FILE]");
    if (!std::ifstream(args[i + 1])) return Fail("cannot read the witness file " + args[i + 1]);
    files.push_back(args[i + 1]);
  }
  if (!c.audit_witness.empty()) files.push_back(c.audit_witness);  // may not exist yet
  auto services = OpenServices(c, true);
  if (!services.ok()) return Fail(services.error());
  Services& s = **services;
  audit::Keyring keyring(s.keys.signing_seed);
  std::vector<audit::Checkpoint> witnessed;
  for (const auto& f : files) {
    auto held = audit::FileWitness(f, keyring.PublicKey(0)).All();
    if (!held.ok()) return Fail(held.error());
    witnessed.insert(witnessed.end(), held->begin(), held->end());
  }
  auto start = std::chrono::steady_clock::now();
  auto report = audit::Verify(*s.db, keyring, witnessed);
  if (!report.ok()) return Fail(report.error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report->ok) {
    std::printf("audit log NOT intact: first bad entry %lld: %s\n",
                static_cast<long long>(report->first_bad_index), report->problem.c_str());
    return 2;
  }
  std::printf(
      "audit log intact: %lld entries, %lld checkpoints and %lld witnessed checkpoints verified "
      "in %.2f s\n",
      static_cast<long long>(report->entries), static_cast<long long>(report->checkpoints),
      static_cast<long long>(report->witnessed), seconds);
  if (files.empty()) {
    std::printf(
        "no witness checked: entries cut away after the last checkpoint cannot be seen from the "
        "database alone (use --witness FILE)\n");
  }
  return 0;
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = args.empty() ? "help" : args.front();
  if (!args.empty()) args.erase(args.begin());
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage << SettingsHelp();
    return 0;
  }
  if (command == "version" || command == "--version") {
    std::cout << "baladiya " << kVersion << "\n";
    return 0;
  }
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.emplace_back(*e);
  auto loaded = LoadConfig(args, env);
  if (!loaded.ok()) return Fail(loaded.error());
  if (command == "user") {
    if (loaded->rest.empty() || loaded->rest[0] != "add")
      return Fail("usage: baladiya user add ...");
    if (Status st = log::Init(loaded->config.log_level); !st.ok()) return Fail(st.error());
    return UserAdd(loaded->config, {loaded->rest.begin() + 1, loaded->rest.end()});
  }
  if (command == "token") {
    if (loaded->rest.empty() || loaded->rest[0] != "add")
      return Fail("usage: baladiya token add --username NAME [--label TEXT]");
    return TokenAdd(loaded->config, {loaded->rest.begin() + 1, loaded->rest.end()});
  }
  if (command == "open311-key") return Open311Key(loaded->config, loaded->rest);
  if (command == "boundary") return Boundary(loaded->config, loaded->rest);
  if (command == "audit") {
    const auto& rest = loaded->rest;
    if (!rest.empty() && rest[0] == "app-role-sql" && (rest.size() == 2 || rest.size() == 3)) {
      std::string sql = audit::PostgresAppRoleSql(rest[1], rest.size() == 3 ? rest[2] : "public");
      if (sql.empty()) return Fail("role and schema must be plain names ([a-z_][a-z0-9_]*)");
      std::cout << sql;
      return 0;
    }
    if (rest.empty() || rest[0] != "verify")
      return Fail(
          "usage: baladiya audit verify [--witness FILE] | audit app-role-sql ROLE [SCHEMA]");
    return AuditVerify(loaded->config, {rest.begin() + 1, rest.end()});
  }
  bool print_config = false;
  bool demo = false;
  for (const auto& a : loaded->rest) {
    if (a == "--help" || a == "-h") {
      std::cout << kUsage << SettingsHelp();
      return 0;
    } else if (a == "--print-config" && command == "serve") {
      print_config = true;
    } else if (a == "--demo" && command == "seed") {
      demo = true;
    } else {
      return Fail("unknown argument '" + a + "' for " + command + " (see baladiya help)");
    }
  }
  if (Status s = log::Init(loaded->config.log_level); !s.ok()) return Fail(s.error());
  if (sodium_init() < 0) return Fail("libsodium failed to initialise");
  if (command == "serve") {
    if (print_config) {
      std::cout << DescribeConfig(*loaded);
      return 0;
    }
    return Serve(*loaded);
  }
  if (command == "migrate") {
    auto services = OpenServices(loaded->config, false);
    return services.ok() ? 0 : Fail(services.error());
  }
  if (command == "seed") {
    if (!demo) return Fail("seed needs --demo (the only data set so far)");
    auto services = OpenServices(loaded->config, true);
    if (!services.ok()) return Fail(services.error());
    auto report = catalog::SeedDemo(*(*services)->db, NowMs());
    if (!report.ok()) return Fail(report.error());
    std::printf(
        "demo data: %d municipalities, %d departments, %d services, %d boundaries (inserted or "
        "refreshed)\n",
        report->municipalities, report->departments, report->services, report->boundaries);
    if (Status st = SeedDemoStaff(**services); !st.ok()) return Fail(st.error());
    return 0;
  }
  return Fail("unknown command '" + command + "' (see baladiya help)");
}

}  // namespace
}  // namespace baladiya::app

int main(int argc, char** argv) { return baladiya::app::Main(argc, argv); }
