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
  // The biller API authenticates each request by the bank's signature, never by a session.
  ctx.parts.Get<identity::WebServices>().self_authenticating_paths.push_back("/api/v1/biller/");
  AddPanels(ctx);
  return Ok();
}

Status Routes(module::Context& ctx) {
  AddPageRoutes(ctx);
  AddBillerRoutes(ctx);
  return Ok();
}

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
                 BankCommand}};
  return m;
}

}  // namespace baladiya::payments
