// payments' web tests: the cases fixture (cases/web_test_fixture.h) with payments above it and
// the demo services' "awaiting payment" state seeded; helpers to apply for a clearance
// certificate through the pages and to act on the staff case page.
#pragma once

#include "cases/web_test_fixture.h"
#include "payments/payments.h"

namespace baladiya::payments::testing {

using baladiya::testing::Browser;
using http::testing::RawClient;
using identity::testing::Register;

class PaymentsWebTest : public cases::testing::CasesWebTest {
 protected:
  std::vector<module::Module> Above() override { return {payments::Module()}; }
  baladiya::testing::HarnessOptions Options() override {
    baladiya::testing::HarnessOptions o = CasesWebTest::Options();
    auto seed = o.seed;
    o.seed = [seed](module::Host& host) -> Status {
      if (Status s = seed(host); !s.ok()) return s;
      return payments::Module().seed_demo(host.context());
    };
    return o;
  }

  PaymentStore& store() { return web().Part<PaymentStore>(); }

  // A resident applies for a clearance certificate through the pages; returns its tracking.
  std::string Apply(Browser& resident) {
    resident.Get("/m/hebron/services/clearance-certificate");
    std::string res = resident.Post("/m/hebron/services/clearance-certificate/apply", {});
    const std::string draft = RawClient::Header(res, "location");
    resident.Get(draft);
    res = resident.Post(draft, {{"purpose", "bank"}, {"delivery", "counter"}});
    const std::string check = RawClient::Header(res, "location");
    resident.Get(check);
    res = resident.Post(check, {{"declaration", "yes"}});
    const std::string mine = RawClient::Header(res, "location");
    EXPECT_EQ(mine.rfind("/account/cases/HEB-", 0), 0u) << res;
    return mine.substr(15, mine.find('?') - 15);
  }

  // Takes a workflow action on the staff case page.
  std::string Act(Browser& staff, const std::string& tracking, const std::string& action) {
    auto c = cases().FindByTracking(tracking);
    EXPECT_TRUE(c.ok());
    staff.Get("/m/hebron/cases/" + tracking);
    return staff.Post("/m/hebron/cases/" + tracking + "/act",
                      {{"action", action}, {"version", std::to_string(c->version)}});
  }

  int64_t Ledger() {
    auto r = db().Query("SELECT COUNT(*) FROM payment_ledger");
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
};

}  // namespace baladiya::payments::testing
