// interop's golden files (src/interop/golden/*.golden, README.md there): the X-Road provider
// services answered to a granted client, refused without X-Road-Client or to a client without
// access, and bad input; every exchange checked against the served OpenAPI document, every
// documented response exercised, and every exchange in the message log.
#include "platform/testing/golden.h"

#include <boost/json.hpp>

#include "audit/testing.h"
#include "interop/web_test_fixture.h"
#include "platform/testing/openapi_check.h"

namespace baladiya::interop {
namespace {

using testing::kInteropNow;

class InteropGoldenTest : public testing::InteropWebTest {};

// Statuses no test can provoke from outside: storage failures.
constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};

TEST_F(InteropGoldenTest, ExchangesMatchTheGoldenFiles) {
  // The data set (README.md): the demo dues of 401234562 in Hebron; one clearance certificate
  // applied for by a resident; PS/GOV/MOLG/e-services granted both services in Hebron,
  // PS/GOV/MOF/tax only the clearance.
  baladiya::testing::Browser resident(port());
  identity::testing::Register(resident, "401234570", "0599123456");
  const std::string tracking = Apply(resident);
  ASSERT_EQ(tracking.rfind("HEB-26-", 0), 0u);
  const Actor admin{"admin", "t"};
  ASSERT_TRUE(xroad()
                  .Grant(Hebron(), "PS/GOV/MOLG/e-services", kClearanceService, admin, kInteropNow)
                  .ok());
  ASSERT_TRUE(xroad()
                  .Grant(Hebron(), "PS/GOV/MOLG/e-services", kCaseStatusService, admin, kInteropNow)
                  .ok());
  ASSERT_TRUE(
      xroad().Grant(Hebron(), "PS/GOV/MOF/tax", kClearanceService, admin, kInteropNow).ok());
  const int64_t logged_before = audit::testing::Count(audit(), "xroad.exchange");

  baladiya::testing::ApiClient api(port());
  ASSERT_TRUE(api.Load());
  baladiya::testing::GoldenOptions o;
  o.folder = "src/interop/golden";
  o.at_least = 12;
  o.values = {{"tracking", tracking}};
  size_t logged = 0;
  size_t logged_hebron = 0;
  o.observe = [&](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                  std::map<std::string, std::string>& values) {
    api.RecordGolden(g, r, values);
    // The X-Road-Id comes back as sent.
    for (const auto& [name, value] : g.headers) {
      if (name == "X-Road-Id" && r.status != 400) {
        EXPECT_EQ(r.Header("x-road-id"), value) << g.target;
      }
    }
    if (g.target.find("/nowhere/") == std::string::npos) ++logged;
    if (g.target.find("/hebron/") != std::string::npos) ++logged_hebron;
  };
  const size_t ran = baladiya::testing::RunGoldenFiles(port(), o);
  EXPECT_GE(ran, 12u);
  // Every exchange of a municipality that exists is in the message log and the audit log.
  EXPECT_EQ(audit::testing::Count(audit(), "xroad.exchange") - logged_before,
            static_cast<int64_t>(logged));
  auto recent = xroad().Recent(Hebron(), 100);
  ASSERT_TRUE(recent.ok());
  EXPECT_EQ(recent->size(), logged_hebron);

  boost::json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object());
  // The document register's exchanges are documents_web_test.cpp's (golden-documents/); the
  // transfers between peers are signed afresh each time, exchange_web_test.cpp's (two servers).
  for (const auto& missing : api.Unexercised(&fragment, kUnreachable)) {
    if (missing.find("/documents/") == std::string::npos &&
        missing.find("/api/v1/peer/") == std::string::npos) {
      ADD_FAILURE() << missing;
    }
  }
}

}  // namespace
}  // namespace baladiya::interop
