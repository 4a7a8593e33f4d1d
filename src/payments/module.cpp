// The payments module as the program is built from it (platform/module/module.h): the payment
// store, the observer that raises an invoice when a case enters a state that awaits payment,
// the hook that moves a paid case on in the payment's transaction, the case-page panels, the
// counter pages, and the demo services' "awaiting payment" state.
#include "platform/module/module.h"

#include <cstdio>
#include <map>

#include "cases/cases.h"
#include "cases/web.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/identity.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "payments/biller.h"
#include "payments/card.h"
#include "payments/payments.h"
#include "payments/web.h"
#include "platform/render/page.h"
#include "workflow/services.h"
#include "workflow/workflow.h"

std::span<const baladiya::EmbeddedFile> PaymentsMessageFiles();
std::span<const baladiya::EmbeddedFile> PaymentsTemplateFiles();
std::span<const baladiya::EmbeddedFile> PaymentsOpenApiFiles();

namespace baladiya::payments {
namespace {

// The tracking number's prefix ("HEB" of "HEB-26-000123-3").
std::string PrefixOf(const std::string& tracking) {
  const size_t dash = tracking.find('-');
  return dash == std::string::npos ? std::string() : tracking.substr(0, dash);
}

cases::Actor SystemActor() {
  cases::Actor a;
  a.pseudonym = "system";
  a.channel = "payment";
  return a;
}

// Raises the invoice of a case that enters a state awaiting payment (a fee of 0 moves it on at
// once), inside the change's transaction.
class InvoiceObserver {
 public:
  InvoiceObserver(PaymentStore& store, cases::CaseStore& cases, catalog::ServiceStore& services,
                  const i18n::Catalog& messages)
      : store_(store), cases_(cases), services_(services), messages_(messages) {}

  Status operator()(db::Tx& tx, const cases::StateChange& change) const {
    if (change.kind != "transition" && change.kind != "reopened") return Ok();
    if (change.service == nullptr) return Ok();
    auto wf = workflow::ForService(*change.service, messages_);
    if (!wf.ok()) return std::move(wf).error();
    const workflow::State* to = wf->FindState(change.to_state);
    if (to == nullptr || !to->awaits_payment) return Ok();
    // Back in a state awaiting payment with its invoice still open (e.g. after a voided
    // payment): that invoice stands, no second one.
    auto earlier = store_.OfCase(change.case_id);
    if (!earlier.ok()) return std::move(earlier).error();
    for (const Invoice& inv : *earlier) {
      if (inv.status == InvoiceStatus::kOpen) return Ok();
    }
    // The case was committed before this change (only submissions are not, and the initial state
    // never awaits payment), so its answers are read as stored.
    auto c = cases_.Get(change.case_id);
    if (!c.ok()) return std::move(c).error();
    const catalog::Text base{messages_.Get(i18n::Lang::kAr, "payments.base_fee"),
                             messages_.Get(i18n::Lang::kEn, "payments.base_fee")};
    std::vector<InvoiceLine> lines =
        FeeLines(change.service->fee, change.service->form, c->answers, base);
    if (lines.empty()) {
      // Nothing to pay: the case moves on as if paid.
      auto calendar = workflow::CalendarOf(services_, change.municipality_id);
      if (!calendar.ok()) return std::move(calendar).error();
      bool queued = false;
      return cases_.TransitionInTx(tx, change.case_id, std::string(workflow::kPaidAction),
                                   SystemActor(), *wf, *calendar, *change.service, change.at,
                                   queued);
    }
    InvoiceRequest in;
    in.municipality_id = change.municipality_id;
    in.prefix = PrefixOf(change.tracking);
    in.case_id = change.case_id;
    in.tracking = change.tracking;
    in.account_id = c->applicant_id;
    in.currency = change.service->fee.currency.empty() ? "ILS" : change.service->fee.currency;
    in.lines = std::move(lines);
    auto raised = store_.Raise(tx, in, change.at);
    if (!raised.ok()) return std::move(raised).error();
    return Ok();
  }

 private:
  PaymentStore& store_;
  cases::CaseStore& cases_;
  catalog::ServiceStore& services_;
  const i18n::Catalog& messages_;
};

Status Open(module::Context& ctx) {
  ctx.parts.Own(std::make_unique<WebExtensions>());
  PaymentStore& store = ctx.parts.Own(std::make_unique<PaymentStore>(
      ctx.db, ctx.keys.blind_index, &ctx.parts.Get<audit::AuditLog>()));
  cases::CaseStore& cases = ctx.parts.Get<cases::CaseStore>();
  catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
  const i18n::Catalog& messages = *ctx.site.catalog;
  cases.AddObserver(InvoiceObserver(store, cases, services, messages));
  const notify::Notifier& notifier = ctx.parts.Get<notify::Notifier>();
  // A payment in full moves its case on, in the payment's transaction.
  store.SetPaidHook(
      [&cases, &services, &messages](db::Tx& tx, const Invoice& inv, int64_t now_ms) -> Status {
        if (inv.case_id == 0) return Ok();
        auto c = cases.Get(inv.case_id);
        if (!c.ok()) return std::move(c).error();
        auto service = services.Get(c->service_id);
        if (!service.ok()) return std::move(service).error();
        auto wf = workflow::ForService(*service, messages);
        if (!wf.ok()) return std::move(wf).error();
        const workflow::State* state = wf->FindState(c->state);
        // Staff may have moved the case meanwhile: the payment stands, the case stays.
        if (state == nullptr || !state->awaits_payment ||
            wf->FindTransition(c->state, workflow::kPaidAction) == nullptr) {
          return Ok();
        }
        auto calendar = workflow::CalendarOf(services, c->municipality_id);
        if (!calendar.ok()) return std::move(calendar).error();
        bool queued = false;
        return cases.TransitionInTx(tx, c->id, std::string(workflow::kPaidAction), SystemActor(),
                                    *wf, *calendar, *service, now_ms, queued);
      },
      [&notifier] { notifier.Wake(); });
  ctx.parts.Own(std::make_unique<BankStore>(ctx.db));
  ctx.parts.Own(std::make_unique<CardStore>(ctx.db, store, &ctx.parts.Get<audit::AuditLog>()));
  // Card payments only where a provider is configured (docs/PAYMENT-PROVIDERS.md).
  if (ctx.settings.Has("card-provider-url") && !ctx.settings.Text("card-provider-url").empty()) {
    ctx.parts.Own(HostedPageProvider(ctx.settings.Text("card-provider-url"),
                                     ctx.settings.Text("card-provider-key"),
                                     ctx.settings.Text("card-provider-secret")));
  }
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back(
      "/api/v1/card/notifications");
  // The biller API authenticates each request by the bank's signature, never by a session.
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back("/api/v1/biller/");
  AddPanels(ctx);
  return Ok();
}

Status Routes(module::Context& ctx) {
  AddPageRoutes(ctx);
  AddBillerRoutes(ctx);
  AddCardRoutes(ctx);
  return Ok();
}

// Demo dues for the national ID the demo residents register with (tests/browser/people.mjs), as
// a billing system would export them.
constexpr char kDemoDues[] =
    "municipality,bill_id,national_id,description_ar,description_en,amount,currency,due_date\n"
    "hebron,DEMO-WASTE-2026,401234562,رسوم النفايات 2026,Waste collection fees 2026,120,ILS,"
    "2026-12-31\n"
    "hebron,DEMO-WATER-2026-11,401234562,فاتورة المياه تشرين الثاني 2026,"
    "Water bill November 2026,86.40,ILS,2026-12-20\n";

// The demo services that charge a fee get a state "awaiting_payment" between approval and the
// approved state: approve -> awaiting_payment -(paid)-> approved -> completed.
Status SeedDemo(module::Context& ctx) {
  catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
  const i18n::Catalog& messages = *ctx.site.catalog;
  auto municipalities = tenancy.ListMunicipalities();
  if (!municipalities.ok()) return std::move(municipalities).error();
  for (const catalog::Municipality& m : *municipalities) {
    for (const char* code : {"clearance-certificate", "building-permit"}) {
      auto s = services.Find(m.id, code);
      if (!s.ok()) {
        if (s.error().code == ErrorCode::kNotFound) continue;
        return std::move(s).error();
      }
      if (!s->workflow_json.empty()) continue;  // seeded before, or edited by its admin
      workflow::Workflow w = workflow::DefaultWorkflow(messages);
      workflow::State waiting;
      waiting.key = "awaiting_payment";
      waiting.label = {messages.Get(i18n::Lang::kAr, "payments.state.awaiting_payment"),
                       messages.Get(i18n::Lang::kEn, "payments.state.awaiting_payment")};
      waiting.municipality_acts = false;  // the resident acts: the SLA clock pauses
      waiting.awaits_payment = true;
      w.states.insert(w.states.begin() + 3, waiting);
      for (workflow::Transition& t : w.transitions) {
        if (t.action == "approve") t.to = "awaiting_payment";
      }
      workflow::Transition paid;
      paid.from = "awaiting_payment";
      paid.to = "approved";
      paid.action = std::string(workflow::kPaidAction);
      paid.label = {messages.Get(i18n::Lang::kAr, "payments.action.paid"),
                    messages.Get(i18n::Lang::kEn, "payments.action.paid")};
      paid.roles = {"department-head"};
      w.transitions.push_back(paid);
      if (Status v = workflow::Validate(w); !v.ok()) return v;
      catalog::Service changed = *s;
      changed.workflow_json = workflow::WorkflowToJson(w);
      auto saved = services.Save(changed, ctx.now_ms());
      if (!saved.ok()) return std::move(saved).error();
    }
  }
  auto loaded = ctx.parts.Get<PaymentStore>().ImportDues(
      kDemoDues,
      [&tenancy](std::string_view slug) -> Result<PaymentStore::MunicipalityRef> {
        auto m = tenancy.FindMunicipality(slug);
        if (!m.ok()) return std::move(m).error();
        return PaymentStore::MunicipalityRef{m->id, workflow::TrackingPrefix(m->slug)};
      },
      ctx.now_ms());
  if (!loaded.ok()) {
    const auto& problems = loaded.error().problems;
    const bool seeded_before =
        !problems.empty() && problems.front().key == "payments.dues.loaded_before";
    if (!seeded_before) return std::move(loaded).error();
  }
  return Ok();
}

// baladiya bank add --code CODE --name NAME --public-key BASE64 | bank list: the biller API's
// clients (banks and e-wallets) and their Ed25519 public keys.
int BankCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya bank add --code CODE --name NAME --public-key BASE64 | bank list";
  if (args.empty()) return module::Fail(kUsage);
  BankStore& banks = ctx.parts.Get<BankStore>();
  if (args[0] == "list" && args.size() == 1) {
    auto list = banks.List();
    if (!list.ok()) return module::Fail(list.error());
    for (const Bank& b : *list) {
      std::printf("%s\t%s\t%s\n", b.code.c_str(), b.name.c_str(),
                  b.disabled_at ? "disabled" : "active");
    }
    return 0;
  }
  if (args[0] != "add" || args.size() % 2 == 0) return module::Fail(kUsage);
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (!opt.count("code") || !opt.count("name") || !opt.count("public-key")) {
    return module::Fail(kUsage);
  }
  auto bank = banks.Register(opt["code"], opt["name"], opt["public-key"], ctx.now_ms());
  if (!bank.ok()) {
    if (bank.error().message_key == "payments.biller.bad_code") {
      return module::Fail("the code must be 2 to 32 of a-z, 0-9 and -");
    }
    if (bank.error().message_key == "payments.biller.bad_key") {
      return module::Fail("the public key must be 32 bytes of Ed25519 key in base64");
    }
    return module::Fail(bank.error());
  }
  std::printf("bank %s registered; it signs with keyid \"%s\"\n", bank->code.c_str(),
              bank->code.c_str());
  return 0;
}

// baladiya payment-currencies --municipality SLUG --jod yes|no: whether the municipality also
// takes Jordanian dinars (ILS always).
int CurrenciesCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya payment-currencies --municipality SLUG --jod yes|no";
  if (args.size() != 4 || args[0] != "--municipality" || args[2] != "--jod" ||
      (args[3] != "yes" && args[3] != "no")) {
    return module::Fail(kUsage);
  }
  auto m = ctx.parts.Get<catalog::TenancyStore>().FindMunicipality(args[1]);
  if (!m.ok()) return module::Fail("no municipality '" + args[1] + "'");
  if (Status s = ctx.parts.Get<PaymentStore>().SetAcceptsJod(m->id, args[3] == "yes"); !s.ok()) {
    return module::Fail(s.error());
  }
  std::printf("%s takes ILS%s\n", m->slug.c_str(), args[3] == "yes" ? " and JOD" : " only");
  return 0;
}

// baladiya dues import FILE.csv: a billing system's export of what people owe (all or nothing;
// every bad line reported).
int DuesCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.size() != 2 || args[0] != "import") {
    return module::Fail("usage: baladiya dues import FILE.csv");
  }
  std::FILE* f = std::fopen(args[1].c_str(), "rb");
  if (!f) return module::Fail("cannot read " + args[1]);
  std::string csv;
  char buf[65536];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) csv.append(buf, n);
  std::fclose(f);
  catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  auto loaded = ctx.parts.Get<PaymentStore>().ImportDues(
      csv,
      [&tenancy](std::string_view slug) -> Result<PaymentStore::MunicipalityRef> {
        auto m = tenancy.FindMunicipality(slug);
        if (!m.ok()) return std::move(m).error();
        return PaymentStore::MunicipalityRef{m->id, workflow::TrackingPrefix(m->slug)};
      },
      ctx.now_ms());
  if (!loaded.ok()) {
    if (loaded.error().problems.empty()) return module::Fail(loaded.error());
    const i18n::Catalog& msg = *ctx.site.catalog;
    for (const Problem& p : loaded.error().problems) {
      std::string text = msg.Get(i18n::Lang::kEn, p.key);
      for (const auto& [name, value] : p.args) {
        for (size_t at; (at = text.find("{" + name + "}")) != std::string::npos;) {
          text.replace(at, name.size() + 2, value);
        }
      }
      std::fprintf(stderr, "%s\n", text.c_str());
    }
    std::fprintf(stderr, "baladiya: nothing was loaded (%zu problems)\n",
                 loaded.error().problems.size());
    return 1;
  }
  std::printf("%d dues loaded\n", *loaded);
  return 0;
}

// baladiya card-sandbox --sandbox-port N --merchant-key KEY --signing-secret SECRET: a payment
// provider of the protocol on loopback, with its hosted page, for the demo (never for real money).
int SandboxCommand(module::Context&, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya card-sandbox --sandbox-port N --merchant-key KEY --signing-secret SECRET";
  std::map<std::string, std::string> opt;
  if (args.size() % 2 != 0) return module::Fail(kUsage);
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  if (!opt.count("sandbox-port") || !opt.count("merchant-key") || !opt.count("signing-secret")) {
    return module::Fail(kUsage);
  }
  int port = 0;
  try {
    port = std::stoi(opt["sandbox-port"]);
  } catch (...) {
    return module::Fail(kUsage);
  }
  if (port <= 0 || port > 65535) return module::Fail(kUsage);
  SandboxProvider sandbox(opt["merchant-key"], opt["signing-secret"], static_cast<uint16_t>(port));
  if (Status s = sandbox.Start(); !s.ok()) return module::Fail(s.error());
  std::printf("card sandbox on %s (not for real money)\n", sandbox.url().c_str());
  std::fflush(stdout);
  sandbox.Run();
  return 0;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "payments";
  m.migrations = Migrations;
  m.messages = PaymentsMessageFiles;
  m.templates = PaymentsTemplateFiles;
  m.openapi = PaymentsOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.seed_demo = SeedDemo;
  m.commands = {{"bank",
                 "  bank add --code CODE --name NAME --public-key BASE64\n"
                 "                           register a bank or e-wallet of the biller API with "
                 "its Ed25519 public key\n"
                 "                           (its signatures name the code as keyid)\n"
                 "  bank list                the registered banks\n",
                 BankCommand},
                {"payment-currencies",
                 "  payment-currencies --municipality SLUG --jod yes|no\n"
                 "                           whether the municipality's invoices may be in "
                 "Jordanian dinars (ILS always)\n",
                 CurrenciesCommand},
                {"dues",
                 "  dues import FILE.csv     load what people owe from a billing system's CSV "
                 "export, all or nothing\n"
                 "                           (columns: docs/PAYMENT-PROVIDERS.md, \"Municipal "
                 "dues\")\n",
                 DuesCommand},
                {"card-sandbox",
                 "  card-sandbox --sandbox-port N --merchant-key KEY --signing-secret SECRET\n"
                 "                           a card payment provider's sandbox on loopback, with "
                 "its hosted page\n"
                 "                           (the demo's; see docs/PAYMENT-PROVIDERS.md)\n",
                 SandboxCommand}};
  return m;
}

}  // namespace baladiya::payments
