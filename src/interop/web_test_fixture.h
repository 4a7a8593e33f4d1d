// interop's web tests: payments' fixture (cases and payments on the web harness) with interop
// above them, joined as the app joins them (app/interop_join.cpp: payments answers Owes, cases a
// case's status), on a clock fixed once the demo data is in place.
#pragma once

#include "interop/interop.h"
#include "interop/registry_test_support.h"
#include "payments/web_test_fixture.h"
#include "platform/module/module.h"
#include "workflow/workflow.h"

namespace baladiya::interop::testing {

// 2026-03-15T09:00:00Z, a Sunday: a working day in Hebron.
inline constexpr int64_t kInteropNow = 1'773'565'200'000;

// The join the app makes (app/interop_join.cpp), as a module of the tests' own.
inline module::Module JoinForTests() {
  module::Module m;
  m.name = "interop-join";
  m.open = [](module::Context& ctx) -> Status {
    Providers& p = ctx.parts.Get<Providers>();
    payments::PaymentStore& pay = ctx.parts.Get<payments::PaymentStore>();
    cases::CaseStore& cases = ctx.parts.Get<cases::CaseStore>();
    catalog::ServiceStore& services = ctx.parts.Get<catalog::ServiceStore>();
    p.owes = [&pay](int64_t municipality_id, std::string_view national_id) {
      return pay.Owes(municipality_id, payments::Debtor{0, std::string(national_id)});
    };
    identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
    p.case_status = [&cases, &services,
                     &accounts](std::string_view tracking) -> Result<Providers::CaseStatus> {
      if (!workflow::ParseTrackingNumber(tracking)) {
        return MakeError(ErrorCode::kInvalid, "interop.tracking_malformed");
      }
      auto c = cases.FindByTracking(tracking);
      if (!c.ok()) return std::move(c).error();
      auto service = services.Get(c->service_id);
      if (!service.ok()) return std::move(service).error();
      auto applicant = accounts.Get(c->applicant_id, true);
      if (!applicant.ok()) return std::move(applicant).error();
      return Providers::CaseStatus{
          c->tracking,       c->municipality_id, service->code, c->state,
          c->closed_at != 0, c->submitted_at,    c->updated_at, applicant->personal.national_id};
    };
    return Ok();
  };
  return m;
}

class InteropWebTest : public payments::testing::PaymentsWebTest {
 protected:
  std::vector<module::Module> Above() override {
    return {payments::Module(), interop::Module(), JoinForTests()};
  }
  // The security server in front of a civil registry of the tests' own (registry_test_support.h).
  baladiya::testing::HarnessOptions Options() override {
    if (!registry_) registry_ = std::make_unique<CivilRegistry>();
    baladiya::testing::HarnessOptions o = PaymentsWebTest::Options();
    o.settings.merge(std::map<std::string, std::string>{
        {"civil-registry-url", registry_->url()},
        {"xroad-client", kOurClient},
        {"civil-registry-service", kRegistryService},
        {"civil-registry-timeout-ms", "300"},
        {"civil-registry-legal-basis", "Local Authorities Law, article 15 (test)"}});
    return o;
  }
  CivilRegistry& registry() { return *registry_; }
  void SetUp() override {
    PaymentsWebTest::SetUp();
    if (HasFatalFailure()) return;
    web().clock().Set(kInteropNow);
  }
  std::unique_ptr<CivilRegistry> registry_;
  Store& xroad() { return web().Part<Store>(); }
  int64_t Hebron() { return MunicipalityId("hebron"); }
};

}  // namespace baladiya::interop::testing
