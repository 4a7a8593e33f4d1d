// notify's web tests: audit, identity and notify served by the web harness
// (platform/testing/web_harness.h), SMS going to a real gateway on loopback (test_support.h).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "audit/audit.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/notify.h"
#include "notify/test_support.h"
#include "platform/http/test_client.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"

namespace baladiya::notify::testing {

class NotifyWebTest : public baladiya::testing::WebTest {
 protected:
  static constexpr char kSmsToken[] = "gateway-token-for-tests";

  baladiya::testing::HarnessOptions Options() override {
    if (!gateway_) gateway_ = std::make_unique<SmsGateway>();
    baladiya::testing::HarnessOptions o;
    o.modules = {audit::Module(), identity::Module(), notify::Module()};
    o.settings = identity::testing::Settings();
    o.settings.merge(Settings(gateway_->url(), kSmsToken));
    return o;
  }

  Outbox& outbox() { return web().Part<Outbox>(); }
  Dispatcher& dispatcher() { return web().Part<Dispatcher>(); }
  identity::AccountStore& accounts() { return web().Part<identity::AccountStore>(); }
  audit::AuditLog& audit() { return web().Part<audit::AuditLog>(); }

  // Runs the dispatcher until it sent something (a reset code is issued once its page has been
  // written, on the server's thread) or 200 passes went by; returns the last pass.
  Result<DispatchStats> DispatchUntilSent() {
    auto run = dispatcher().RunOnce(Now());
    for (int i = 0; i < 200 && run.ok() && run->sent == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      run = dispatcher().RunOnce(Now());
    }
    return run;
  }

  // The outbox's records (newest first), as the back office reads them.
  std::vector<Record> Outboxed() {
    auto r = outbox().Recent(0, 100000);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<Record>{};
  }

  std::unique_ptr<SmsGateway> gateway_;
};

}  // namespace baladiya::notify::testing
