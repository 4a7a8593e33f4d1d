#include "app/interop_join.h"

#include "cases/cases.h"
#include "catalog/services.h"
#include "documents/documents.h"
#include "identity/identity.h"
#include "interop/interop.h"
#include "payments/payments.h"
#include "workflow/workflow.h"

namespace baladiya::app {

Status JoinInterop(module::Context& ctx) {
  interop::Providers& p = ctx.parts.Get<interop::Providers>();
  payments::PaymentStore& payments = ctx.parts.Get<payments::PaymentStore>();
  cases::CaseStore& cases = ctx.parts.Get<cases::CaseStore>();
  catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
  p.owes = [&payments](int64_t municipality_id, std::string_view national_id) {
    return payments.Owes(municipality_id, payments::Debtor{0, std::string(national_id)});
  };
  identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
  p.case_status = [&cases, &services,
                   &accounts](std::string_view tracking) -> Result<interop::Providers::CaseStatus> {
    if (!workflow::ParseTrackingNumber(tracking)) {
      return MakeError(ErrorCode::kInvalid, "interop.tracking_malformed");
    }
    auto c = cases.FindByTracking(tracking);
    if (!c.ok()) return std::move(c).error();
    auto service = services.Get(c->service_id);
    if (!service.ok()) return std::move(service).error();
    interop::Providers::CaseStatus s;
    s.tracking = c->tracking;
    s.municipality_id = c->municipality_id;
    s.service = service->code;
    s.state = c->state;
    s.closed = c->closed_at != 0;
    s.submitted_at = c->submitted_at;
    s.updated_at = c->updated_at;
    auto applicant = accounts.Get(c->applicant_id, true);
    if (!applicant.ok()) return std::move(applicant).error();
    s.applicant_national_id = applicant->personal.national_id;
    return s;
  };
  documents::DocumentStore& docs = ctx.parts.Get<documents::DocumentStore>();
  p.document = [&docs, &accounts](std::string_view number,
                                  int64_t now_ms) -> Result<interop::Providers::DocumentStatus> {
    // Document numbers are tracking numbers of the municipality's "D" series.
    if (!workflow::ParseTrackingNumber(number)) {
      return MakeError(ErrorCode::kInvalid, "interop.document_malformed");
    }
    auto d = docs.Find(number);
    if (!d.ok()) return std::move(d).error();
    interop::Providers::DocumentStatus s;
    s.number = d->number;
    s.municipality_id = d->municipality_id;
    s.service = d->service_code;
    s.kind = d->kind;
    s.standing = std::string(documents::StandingName(documents::StandingOf(*d, now_ms)));
    s.issued_at = d->issued_at;
    s.expires_at = d->expires_at;
    s.revoked_at = d->revoked_at;
    if (auto holder = accounts.Get(d->holder_account, true); holder.ok()) {
      s.holder_national_id = holder->personal.national_id;
    } else if (holder.error().code != ErrorCode::kNotFound) {
      return std::move(holder).error();
    }
    return s;
  };
  return Ok();
}

}  // namespace baladiya::app
