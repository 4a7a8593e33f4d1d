#include "app/interop_exchange_join.h"

#include <boost/json.hpp>

#include "cases/cases.h"
#include "cases/filing.h"
#include "cases/web.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/identity.h"
#include "interop/exchange.h"
#include "interop/web.h"
#include "interop/webhooks.h"
#include "notify/notify.h"
#include "platform/render/page.h"

namespace baladiya::app {
namespace {

namespace json = boost::json;

// The answers as they cross: every field but files (attachments stay with the sender).
std::string AnswersJson(const catalog::Service& service, const catalog::Answers& answers) {
  json::object out;
  for (const catalog::Page& page : service.form.pages) {
    for (const catalog::Field& f : page.fields) {
      if (f.type == catalog::FieldType::kFile) continue;
      auto it = answers.find(f.name);
      if (it == answers.end() || it->second.empty()) continue;
      json::array values;
      for (const std::string& v : it->second) values.emplace_back(v);
      out[f.name] = std::move(values);
    }
  }
  return json::serialize(out);
}

catalog::Answers AnswersFrom(std::string_view text) {
  catalog::Answers out;
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [name, values] : v.as_object()) {
    std::vector<std::string>& list = out[std::string(name)];
    if (values.is_string()) list.push_back(std::string(values.as_string()));
    if (values.is_array()) {
      for (const json::value& x : values.as_array()) {
        if (x.is_string()) list.push_back(std::string(x.as_string()));
      }
    }
  }
  return out;
}

bool MaySend(const identity::Principal& who, int64_t municipality_id, int64_t department_id) {
  return identity::Allowed(who, identity::Permission::kManageDepartment, municipality_id,
                           department_id) ||
         identity::Allowed(who, identity::Permission::kManageCatalog, municipality_id);
}

}  // namespace

Status JoinInteropExchange(module::Context& ctx) {
  interop::CaseExchange& x = ctx.parts.Get<interop::CaseExchange>();
  cases::CaseStore& cases = ctx.parts.Get<cases::CaseStore>();
  const cases::Filing& filing = ctx.parts.Get<cases::Filing>();
  catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
  notify::Outbox& outbox = ctx.parts.Get<notify::Outbox>();
  auto now_ms = ctx.now_ms;
  x.may_send = MaySend;
  x.outgoing = [&cases, &services](
                   int64_t municipality_id, std::string_view tracking,
                   const identity::Principal& who) -> Result<interop::CaseDocument> {
    auto c = cases.FindByTracking(tracking);
    if (!c.ok()) return std::move(c).error();
    if (c->municipality_id != municipality_id) {
      return MakeError(ErrorCode::kNotFound, "api.not_found");
    }
    if (c->closed_at != 0 || !MaySend(who, municipality_id, c->department_id)) {
      return MakeError(ErrorCode::kForbidden, "interop.transfer.not_allowed");
    }
    auto service = services.Get(c->service_id);
    if (!service.ok()) return std::move(service).error();
    auto history = cases.History(c->id, /*include_internal=*/false);
    if (!history.ok()) return std::move(history).error();
    interop::CaseDocument d;
    d.tracking = c->tracking;
    d.service = service->code;
    d.service_name =
        service->name.In(c->applicant_lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr);
    d.kind = std::string(catalog::ServiceKindName(service->kind));
    d.lang = c->applicant_lang;
    d.submitted_at = c->submitted_at;
    d.state = c->state;
    d.answers = AnswersJson(*service, c->answers);
    for (const cases::Event& e : *history) {
      d.history.push_back({e.at, e.kind, e.from_state, e.to_state, e.action, e.comment});
    }
    return d;
  };
  x.incoming =
      [&filing, &services, now_ms](
          int64_t municipality_id, const interop::CaseDocument& doc, const std::string& from,
          const std::function<Status(db::Tx&, const std::string&)>& in_tx) -> Result<std::string> {
    auto service = services.Find(municipality_id, doc.service);
    if (!service.ok()) {
      if (service.error().code == ErrorCode::kNotFound) {
        return MakeError(ErrorCode::kNotFound, "interop.transfer.no_service");
      }
      return std::move(service).error();
    }
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 0;  // the applicant's account is on the sender's server
    in.applicant_lang = doc.lang;
    in.channel = "api";  // a program filed it (the peer server); the panel says which
    in.answers = AnswersFrom(doc.answers);
    in.in_tx = [&in_tx](db::Tx& tx, const cases::StateChange& change) {
      return in_tx(tx, change.tracking);
    };
    const cases::Actor actor{0, "peer:" + from, {"resident"}, "api", ""};
    auto filed = filing.SubmitAnswers(std::move(in), *service, actor, now_ms());
    if (!filed.ok()) return std::move(filed).error();
    return filed->filed.tracking;
  };
  x.answered = [&cases, &services, &outbox, now_ms](
                   int64_t municipality_id, std::string_view tracking,
                   const interop::PeerName& peer, bool accepted, std::string_view new_tracking,
                   std::string_view reason) -> Status {
    auto c = cases.FindByTracking(tracking);
    if (!c.ok()) return std::move(c).error();
    if (c->municipality_id != municipality_id) return Ok();
    const cases::Actor system{0, "system", {"system"}, "api", ""};
    const std::string note =
        accepted ? "→ " + peer.In(c->applicant_lang) + ": " + std::string(new_tracking)
                 : "✗ " + peer.In(c->applicant_lang) + ": " + std::string(reason);
    auto noted = cases.AddNote(c->id, c->version, note, system, now_ms());
    if (!noted.ok() && noted.error().code != ErrorCode::kConflict) return std::move(noted).error();
    if (!accepted || c->applicant_id == 0) return Ok();
    auto service = services.Get(c->service_id);
    if (!service.ok()) return std::move(service).error();
    notify::Notification n;
    n.channel = notify::Channel::kInApp;
    n.account_id = c->applicant_id;
    n.municipality_id = c->municipality_id;
    n.lang = c->applicant_lang;
    n.template_key = "interop.peer_accepted";
    n.params = {{"tracking", c->tracking},
                {"service",
                 service->name.In(c->applicant_lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr)},
                {"to", peer.In(c->applicant_lang)},
                {"new_tracking", std::string(new_tracking)}};
    n.dedupe_key = "peer-accepted:" + c->tracking + ":" + std::string(new_tracking);
    auto queued = outbox.Enqueue(n, now_ms());
    if (!queued.ok()) return std::move(queued).error();
    return Ok();
  };
  // Webhooks: every case's state changes, queued in the change's transaction.
  interop::WebhookStore& hooks = ctx.parts.Get<interop::WebhookStore>();
  catalog::TenancyStore& tenancy = ctx.parts.Get<catalog::TenancyStore>();
  cases.AddObserver([&hooks, &tenancy](db::Tx& tx, const cases::StateChange& c) -> Status {
    interop::CaseEvent e;
    e.municipality_id = c.municipality_id;
    auto m = tenancy.Get(c.municipality_id);
    if (!m.ok()) return std::move(m).error();
    e.municipality = m->slug;
    e.event = c.kind == "submitted" ? "case.filed" : c.final ? "case.completed" : "case.moved";
    e.tracking = c.tracking;
    e.service = c.service ? c.service->code : "";
    e.from_state = c.from_state;
    e.to_state = c.to_state;
    e.at = c.at;
    return hooks.Enqueue(tx, e);
  });
  // The staff case page shows the case's transfers and the link to send it.
  module::Registry& parts = ctx.parts;
  ctx.parts.Get<cases::Extensions>().staff_panels.push_back(
      [&parts](const cases::PanelRequest& p) -> Result<std::string> {
        return parts.Get<interop::ExchangePanel>().Render(p.req, p.c.municipality_id,
                                                          p.c.department_id, p.c.tracking,
                                                          p.c.closed_at == 0, p.lang);
      });
  return Ok();
}

}  // namespace baladiya::app
