// The cases module as the program is built from it (platform/module/module.h): the case store
// (told through notify whom to tell, and observed by later modules), the catalogue, application,
// status and back-office pages, the JSON API, and the housekeeping that escalates overdue cases
// and deletes abandoned drafts.
#include "platform/module/module.h"

#include "cases/cases.h"
#include "cases/filing.h"
#include "cases/web.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "notify/delivery.h"

std::span<const baladiya::EmbeddedFile> CasesMessageFiles();
std::span<const baladiya::EmbeddedFile> CasesTemplateFiles();
std::span<const baladiya::EmbeddedFile> CasesOpenApiFiles();

namespace baladiya::cases {

namespace {

// The heads of a department (account id and language): told when its cases are escalated.
std::vector<std::pair<int64_t, std::string>> HeadsOf(identity::AccountStore& accounts,
                                                     int64_t municipality, int64_t department) {
  std::vector<std::pair<int64_t, std::string>> out;
  auto staff = accounts.Staff(municipality);
  if (!staff.ok()) return out;
  for (const auto& a : *staff) {
    if (a.status != identity::AccountStatus::kActive) continue;
    auto grants = accounts.Grants(a.id);
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
}

// Rate limit of wrong status lookups (/track) per address.
struct Limits {
  identity::RateLimiter track{
      {5, std::chrono::seconds(600), std::chrono::seconds(60), std::chrono::seconds(3600)}};
};

Status Open(module::Context& ctx) {
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  const notify::Recipients& recipients = ctx.parts.Get<notify::Recipients>();
  const notify::Notifier& notifier = ctx.parts.Get<notify::Notifier>();
  Dependencies deps;
  deps.db = &ctx.db;
  deps.master = &ctx.keys.master;
  deps.audit = &ctx.parts.Get<audit::AuditLog>();
  deps.outbox = &ctx.parts.Get<notify::Outbox>();
  deps.reachable = [&recipients](int64_t account) { return recipients.Reachable(account); };
  deps.notified = [&notifier] { notifier.Wake(); };
  deps.heads = [&accounts](int64_t municipality, int64_t department) {
    return HeadsOf(accounts, municipality, department);
  };
  deps.about = [&tenancy = ctx.parts.Get<catalog::TenancyStore>(),
                base = ctx.settings.Has("public-url") ? ctx.settings.Text("public-url")
                                                      : std::string()](notify::Notification& n) {
    auto m = tenancy.Get(n.municipality_id);
    if (!m.ok()) return;
    // A transfer names the municipality the report went to: kept.
    n.params.try_emplace("municipality",
                         m->name.In(n.lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr));
    const auto tracking = n.params.find("tracking");
    if (tracking == n.params.end()) return;
    // Staff open the case in the queue; a follower among the reports they follow.
    std::string path = "/account/cases/";
    if (n.template_key == "case.escalated" || n.template_key == "case.answered") {
      path = "/m/" + m->slug + "/cases/";
    } else if (n.template_key == "case.followed_changed") {
      path = "/account/followed/";
    }
    n.params["link"] = base + path + tracking->second;
  };
  CaseStore& cases = ctx.parts.Own(std::make_unique<CaseStore>(std::move(deps)));
  // Registering again with a closed account's ID number brings its applications back.
  accounts.AddReclaimObserver([&cases](db::Tx& tx, int64_t old_account, int64_t new_account) {
    return cases.Reclaim(tx, old_account, new_account);
  });
  ctx.parts.Own(std::make_unique<Filing>(Filing::Stores{
      &cases, &ctx.parts.Get<catalog::ServiceStore>(), &ctx.parts.Get<catalog::TenancyStore>(),
      &ctx.parts.Get<catalog::BoundaryStore>(), ctx.site.catalog}));
  ctx.parts.Own(std::make_unique<Extensions>());
  // The account page links the applications first.
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.account_links.insert(ids.account_links.begin(), {"mine.title", "/account/cases", nullptr});
  ctx.parts.Own(std::make_unique<Limits>());
  return Ok();
}

Status Routes(module::Context& ctx) {
  WebOptions o;
  o.cases = &ctx.parts.Get<CaseStore>();
  o.filing = &ctx.parts.Get<Filing>();
  o.services = &ctx.parts.Get<catalog::ServiceStore>();
  o.tenancy = &ctx.parts.Get<catalog::TenancyStore>();
  o.boundaries = &ctx.parts.Get<catalog::BoundaryStore>();
  o.accounts = &ctx.parts.Get<identity::AccountStore>();
  o.db = &ctx.db;
  o.track_limits = &ctx.parts.Get<Limits>().track;
  o.audit = &ctx.parts.Get<audit::AuditLog>();
  o.reopen_days = ctx.settings.Int("reopen-days");
  o.draft_days = ctx.settings.Int("draft-days");
  o.site = &ctx.site;
  o.now_ms = ctx.now_ms;
  auto error_page = ctx.web->error_page;
  o.error_page = [error_page](int status, const http::Request& r) {
    return error_page(status, &r);
  };
  // The SMS to a caller for whom the counter opened an account: the municipality's name and the
  // address where they take it over (forgot password, with their ID number).
  o.tell_counter_opened =
      [&outbox = ctx.parts.Get<notify::Outbox>(), &tenancy = ctx.parts.Get<catalog::TenancyStore>(),
       base = ctx.settings.Has("public-url") ? ctx.settings.Text("public-url") : std::string(),
       now = ctx.now_ms](db::Tx& tx, int64_t account, int64_t municipality,
                         const std::string& lang) -> Status {
    notify::Notification n;
    n.channel = notify::Channel::kSms;
    n.account_id = account;
    n.municipality_id = municipality;
    n.lang = lang;
    n.template_key = "account.counter_opened";
    auto m = tenancy.Get(municipality);
    n.params = {{"municipality",
                 m.ok() ? m->name.In(lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr) : ""},
                {"link", base + "/password/forgot"}};
    n.dedupe_key = "counter-opened:" + std::to_string(account);
    auto q = outbox.Enqueue(tx, n, now());
    if (!q.ok()) return std::move(q).error();
    return Ok();
  };
  const Extensions& ext = ctx.parts.Get<Extensions>();
  o.nearby = ext.nearby;
  o.staff_panels = ext.staff_panels;
  o.applicant_panels = ext.applicant_panels;
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  AddApiRoutes(routes, o);
  AddExports(ctx.parts.Get<identity::WebServices>(), o);
  AddRoutes(routes, std::move(o));
  return Ok();
}

// Every checkpoint-seconds: open cases past their due date are escalated, and drafts untouched
// for draft-days and unused uploads are deleted (the counts go to the log).
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  CaseStore& cases = ctx.parts.Get<CaseStore>();
  auto now = ctx.now_ms;
  const int draft_days = ctx.settings.Int("draft-days");
  auto pass = [&cases, now, draft_days] {
    (void)cases.EscalateOverdue(now());
    auto done = cases.DeleteAbandoned(now(), draft_days);
    if (!done.ok()) {
      std::fprintf(stderr, "baladiya: clean-up of drafts and uploads failed: %s\n",
                   done.error().detail.c_str());
    } else if (done->drafts || done->draft_files || done->uploads) {
      std::fprintf(stderr,
                   "baladiya: deleted %d abandoned draft(s) with %d file(s), %d unused upload(s)\n",
                   done->drafts, done->draft_files, done->uploads);
    }
  };
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(module::Every("case housekeeping",
                              std::chrono::seconds(ctx.settings.Int("checkpoint-seconds")), pass));
  return out;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "cases";
  m.migrations = Migrations;
  m.messages = CasesMessageFiles;
  m.templates = CasesTemplateFiles;
  m.openapi = CasesOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.workers = Workers;
  return m;
}

}  // namespace baladiya::cases
