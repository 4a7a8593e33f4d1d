// The app's own module (modules.h Shell): the home page and the municipality pages, the
// back-office pages that join modules (admin_pages.h), and the demo staff.
#include "analytics/analytics.h"
#include "app/admin_pages.h"
#include "app/audit_page.h"
#include "app/calendar_page.h"
#include "app/departments_page.h"
#include "app/interop_exchange_join.h"
#include "app/interop_join.h"
#include "app/modules.h"
#include "app/profile_page.h"
#include "app/staff_home.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "catalog/departments.h"
#include "catalog/municipalities.h"
#include "catalog/page.h"
#include "documents/documents.h"
#include "documents/pdf.h"
#include "editor/editor.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "participation/participation.h"
#include "payments/payments.h"
#include "payments/web.h"
#include "platform/crypto/crypto.h"
#include "platform/http/errors.h"

std::span<const baladiya::EmbeddedFile> AppMessageFiles();
std::span<const baladiya::EmbeddedFile> AppTemplateFiles();

namespace baladiya::app {

namespace {

using http::Request;
using http::Response;
using identity::Access;

std::string PhoneUri(std::string_view phone) {
  std::string out;
  for (char c : phone) {
    if ((c >= '0' && c <= '9') || c == '+') out.push_back(c);
  }
  return out;
}

// The directory pages: their bodies depend only on the directory snapshot and the language, so
// they are rendered once per snapshot and language (the layout on every request).
class DirectoryPages {
 public:
  DirectoryPages(const render::Site& site, catalog::TenancyStore& tenancy, db::Database& db,
                 std::function<Response(int, const Request*)> error_page)
      : site_(site), tenancy_(tenancy), db_(db), error_page_(std::move(error_page)) {}

  Response Home(Request& req) const {
    i18n::Lang lang = render::RequestLang(req);
    auto version = tenancy_.DirectoryVersion();
    if (!version.ok()) return error_page_(503, &req);
    render::Page page(site_, req, "home.tpl");
    page.SetPath("/");
    std::string key = std::string(i18n::LangCode(lang)) + ":home";
    return FinishCached(
        page, key, *version,
        [&](render::Dict& b) -> Status {
          auto list = tenancy_.ListMunicipalities();
          if (!list.ok()) return std::move(list).error();
          if (list->empty()) b.ShowSection("NO_MUNICIPALITIES");
          for (const auto& m : *list) {
            render::Dict* d = b.AddSectionDictionary("MUNICIPALITY");
            d->SetValue("SLUG", m.slug);
            d->SetValue("NAME", m.name.In(lang));
            d->SetValue("GOVERNORATE", m.governorate.In(lang));
          }
          return Ok();
        },
        req);
  }

  Response Municipality(Request& req) const {
    i18n::Lang lang = render::RequestLang(req);
    auto version = tenancy_.DirectoryVersion();
    if (!version.ok()) return error_page_(503, &req);
    auto m = catalog::MunicipalityOf(tenancy_, req);
    if (!m.ok()) return error_page_(http::StatusOf(m.error().code), &req);
    const std::string href = "/m/" + m->slug;
    render::Page page =
        catalog::MunicipalityPage(site_, req, *m, "municipality.tpl", href, m->name.In(lang));
    std::string key = std::string(i18n::LangCode(lang)) + href;
    return FinishCached(
        page, key, *version,
        [&](render::Dict& b) -> Status {
          auto departments = tenancy_.Departments(m->id);
          if (!departments.ok()) return std::move(departments).error();
          auto off = catalog::DisabledDepartments(db_, m->id);
          if (!off.ok()) return std::move(off).error();
          b.SetValue("NAME", m->name.In(lang));
          b.SetValue("SLUG", m->slug);
          b.SetValue("GOVERNORATE", m->governorate.In(lang));
          for (const auto& d : *departments) {
            if (off->contains(d.id)) continue;  // disabled: not among the municipality's
            b.AddSectionDictionary("DEPARTMENT")->SetValue("DEPARTMENT_NAME", d.name.In(lang));
          }
          if (!m->address.In(lang).empty()) {
            b.SetValueAndShowSection("ADDRESS", m->address.In(lang), "HAS_ADDRESS");
          }
          if (!m->phone.empty()) {
            b.SetValueAndShowSection("PHONE", m->phone, "HAS_PHONE");
            b.SetValue("PHONE_URI", PhoneUri(m->phone));
          }
          if (!m->email.empty()) b.SetValueAndShowSection("EMAIL", m->email, "HAS_EMAIL");
          auto hours = catalog::OpeningHours(db_, m->id);
          if (!hours.ok()) return std::move(hours).error();
          if (!hours->In(lang).empty()) {
            b.SetValueAndShowSection("HOURS", hours->In(lang), "HAS_HOURS");
          }
          if (!m->website.empty()) b.SetValueAndShowSection("WEBSITE", m->website, "HAS_WEBSITE");
          return Ok();
        },
        req);
  }

 private:
  Response FinishCached(render::Page& page, const std::string& key, uint64_t version,
                        const std::function<Status(render::Dict&)>& fill,
                        const Request& req) const {
    auto body = fragments_.Get(key, version);
    if (!body) {
      if (Status s = fill(page.body()); !s.ok()) {
        return error_page_(http::StatusOf(s.error().code), &req);
      }
      auto rendered = page.RenderBody();
      if (!rendered.ok()) return error_page_(500, &req);
      body = std::move(*rendered);
      fragments_.Put(key, version, body);
    }
    page.SetBodyHtml(std::move(body));
    return page.Finish(200);
  }

  const render::Site& site_;
  catalog::TenancyStore& tenancy_;
  db::Database& db_;  // the opening hours (catalog/municipalities.h)
  std::function<Response(int, const Request*)> error_page_;
  mutable render::FragmentCache fragments_;
};

// What joins modules that do not know each other: the editor asks cases how many open cases a
// workflow change would strand, and lists Open311's key pages, the KPI settings and the X-Road
// grants beside the services; documents ask payments whether a clearance's holder owes
// anything; interop's providers are filled from payments and cases (interop_join.cpp).
Status Open(module::Context& ctx) {
  editor::Extensions& editor = ctx.parts.Get<editor::Extensions>();
  editor.open_cases.in_states = cases::CountOpenInStates;
  editor.links.push_back({"open311_keys.link", "admin/open311-keys"});
  editor.links.push_back({"kpi.admin.link", "admin/kpi"});
  editor.links.push_back({"interop.link", "admin/xroad"});
  editor.links.push_back({"participation.link_admin", "admin/participation"});
  // A clearance certificate goes only to someone who owes nothing: payments answers, for the
  // account and its national ID (dues are loaded by national ID), in the issuing transaction.
  payments::PaymentStore& payments = ctx.parts.Get<payments::PaymentStore>();
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  ctx.parts.Get<documents::Extensions>().owes = [&payments, &accounts](
                                                    db::Tx& tx, int64_t municipality_id,
                                                    int64_t account_id) -> Result<bool> {
    auto account = accounts.Get(tx, account_id, /*with_personal_data=*/true);
    if (!account.ok()) return std::move(account).error();
    return payments.Owes(tx, municipality_id, {account_id, account->personal.national_id});
  };
  // Receipts are PDFs signed by the municipality, drawn and signed as its documents are.
  const documents::RecordPrinter& printer = ctx.parts.Get<documents::RecordPrinter>();
  ctx.parts.Get<payments::WebExtensions>().receipt_pdf =
      [&printer](const payments::ReceiptPrint& r) -> Result<std::string> {
    documents::RecordPdf pdf;
    pdf.municipality_id = r.municipality_id;
    pdf.title = r.title;
    pdf.number = r.number;
    for (const auto& [label, value] : r.rows) pdf.rows.push_back({label, value});
    pdf.note = r.note;
    pdf.at_ms = r.at_ms;
    return printer.Print(pdf);
  };
  // The KPI ledger folds participation's event feed (participants, recommendations accepted,
  // done and overdue) beside cases' feeds.
  participation::Store& participation = ctx.parts.Get<participation::Store>();
  ctx.parts.Get<analytics::Ledger>().JoinParticipation(
      [&participation](db::Tx& tx, int64_t after,
                       int limit) -> Result<std::vector<analytics::FeedFact>> {
        auto entries = participation.Feed(tx, after, limit);
        if (!entries.ok()) return std::move(entries).error();
        std::vector<analytics::FeedFact> out;
        out.reserve(entries->size());
        for (participation::FeedEntry& e : *entries) {
          out.push_back({e.position, e.municipality_id, std::move(e.kind), e.at});
        }
        return out;
      });
  // ... and payments' event feed (invoices raised, payments by channel, time to payment).
  ctx.parts.Get<analytics::Ledger>().JoinPayments(
      [&payments](db::Tx& tx, int64_t after,
                  int limit) -> Result<std::vector<analytics::PaymentFact>> {
        auto entries = payments.Feed(tx, after, limit);
        if (!entries.ok()) return std::move(entries).error();
        std::vector<analytics::PaymentFact> out;
        out.reserve(entries->size());
        for (payments::FeedEntry& e : *entries) {
          out.push_back({e.position, e.at, std::move(e.kind), e.municipality_id,
                         std::move(e.channel), e.amount_minor, std::move(e.currency), e.invoice_at,
                         e.paid_at});
        }
        return out;
      });
  // Staff land on the home of their tools (/staff), which the account page links as well.
  identity::WebServices& ids = ctx.parts.Get<identity::WebServices>();
  ids.staff_home = "/staff";
  ids.account_links.insert(
      ids.account_links.begin(),
      {"work.link", "/staff", [](const identity::Principal& who) { return who.staff; }});
  if (Status s = JoinInterop(ctx); !s.ok()) return s;
  return JoinInteropExchange(ctx);
}

Status Routes(module::Context& ctx) {
  catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  auto pages = std::make_shared<DirectoryPages>(ctx.site, tenancy, ctx.db, ctx.web->error_page);
  identity::GuardedRoutes& routes = ctx.parts.Get<identity::GuardedRoutes>();
  routes.Get("/", Access::Public(), [pages](Request& r) { return pages->Home(r); });
  routes.Get("/m/{slug}", Access::Public(), [pages](Request& r) { return pages->Municipality(r); });
  AddAdminRoutes(routes, ctx.parts.Get<identity::WebServices>(), tenancy, ctx.db);
  AddCalendarPages(routes, ctx.parts.Get<identity::WebServices>(), tenancy, ctx.db);
  AddDepartmentPages(routes, ctx.parts.Get<identity::WebServices>(), tenancy, ctx.db,
                     ctx.parts.Get<catalog::ServiceStore>(), ctx.parts.Get<cases::CaseStore>());
  AddProfilePages(routes, ctx.parts.Get<identity::WebServices>(), tenancy, ctx.db);
  AddAuditPages(routes, ctx.parts.Get<identity::WebServices>(), tenancy,
                ctx.parts.Get<catalog::ServiceStore>());
  AddStaffHome(routes, ctx.parts.Get<identity::WebServices>(), tenancy);
  return Ok();
}

// The demo staff: one account per role per demo municipality, plus the platform and ministry
// accounts; each new login is printed with its generated password, existing ones as such.
Status SeedDemoStaff(module::Context& ctx) {
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
      {"cashier", Role::kCashier, "", "أمين الصندوق", "Cashier"},
      // Every other department has its own head and clerk, so that each demo service's cases
      // reach someone (engineering's keep the short names above).
      {"water.head", Role::kDepartmentHead, "water", "رئيس دائرة المياه", "Head of water"},
      {"water.clerk", Role::kClerk, "water", "موظف المياه", "Water clerk"},
      {"revenue.head", Role::kDepartmentHead, "revenue", "رئيس دائرة الإيرادات", "Head of revenue"},
      {"revenue.clerk", Role::kClerk, "revenue", "موظف الإيرادات", "Revenue clerk"},
      {"health.head", Role::kDepartmentHead, "health-environment", "رئيس دائرة الصحة والبيئة",
       "Head of health and environment"},
      {"health.clerk", Role::kClerk, "health-environment", "موظف الصحة والبيئة",
       "Health and environment clerk"},
      {"service.head", Role::kDepartmentHead, "citizen-services", "رئيس مركز خدمات الجمهور",
       "Head of the citizen service centre"},
      {"service.clerk", Role::kClerk, "citizen-services", "موظف مركز خدمات الجمهور",
       "Citizen service centre clerk"},
      {"participation", Role::kParticipationOfficer, "", "مسؤول المشاركة", "Participation officer"},
  };
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  identity::PasswordHasher& hasher = ctx.parts.Get<identity::PasswordHasher>();
  catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  auto create = [&](const std::string& username, const std::string& ar, const std::string& en,
                    int64_t municipality, identity::Grant grant) -> Status {
    identity::StaffInput in;
    in.username = username;
    in.full_name_ar = ar;
    in.full_name_en = en;
    in.password = crypto::RandomToken(12);
    in.municipality_id = municipality;
    in.grants = {grant};
    auto id = accounts.CreateStaff(in, hasher, {"system", "seed", municipality}, ctx.now_ms());
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

// The demo's fees paid: of the invoices the demo history raised (its applicants' cases entering a
// state that awaits payment), four in five are paid some days later, by card online, through a
// bank or at the counter, through payments' own API, so that the performance page and the open
// data show payments. Idempotent: an invoice is chosen by its id, and only an open one is paid.
Status SeedDemoPayments(module::Context& ctx) {
  constexpr int64_t kDay = 86'400'000;
  payments::PaymentStore& store = ctx.parts.Get<payments::PaymentStore>();
  const int64_t now = ctx.now_ms();
  int paid = 0;
  for (int64_t account = 900'000'000; account < 900'005'000; ++account) {  // analytics' demo
    auto invoices = store.OfAccount(account);
    if (!invoices.ok()) return std::move(invoices).error();
    for (const payments::Invoice& inv : *invoices) {
      if (inv.status != payments::InvoiceStatus::kOpen || inv.id % 5 == 0) continue;
      const int64_t at = inv.created_at + (inv.id % 9) * kDay + (inv.id % 7 + 1) * 3'600'000;
      if (at >= now) continue;
      payments::PaymentInput in;
      in.reference = inv.reference;
      in.amount_minor = inv.total_minor;
      in.currency = inv.currency;
      const int64_t pick = inv.id % 20;
      in.channel = pick < 9 ? "card" : pick < 13 ? "bank" : "counter";
      in.method = in.channel == "counter" ? "cash" : in.channel;
      if (in.channel != "counter") in.external_id = "demo-" + inv.number;
      in.actor = "seed";
      in.request_id = "seed";
      auto p = store.Pay(in, at);
      if (!p.ok()) return std::move(p).error();
      ++paid;
    }
  }
  if (!ctx.quiet) std::printf("demo payments: %d invoices paid\n", paid);
  return Ok();
}

}  // namespace

module::Module Shell() {
  module::Module m;
  m.name = "app";
  m.messages = AppMessageFiles;
  m.templates = AppTemplateFiles;
  m.open = Open;
  m.routes = Routes;
  m.seed_demo = [](module::Context& ctx) -> Status {
    if (Status st = SeedDemoStaff(ctx); !st.ok()) return st;
    return SeedDemoPayments(ctx);
  };
  return m;
}

}  // namespace baladiya::app
