#include "app/interop_join.h"

#include "cases/cases.h"
#include "catalog/services.h"
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
  return Ok();
}

}  // namespace baladiya::app
