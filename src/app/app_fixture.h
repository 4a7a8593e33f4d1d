// Test-only: the whole platform on the web harness (platform/testing/web_harness.h), built from the
// same module list as `baladiya serve` (app/modules.h) and its settings (app/config.h), with the
// demo catalogue, a clock the test may fix and SMS through a real gateway on loopback. For the
// app's tests that truly join modules (the back-office pages of app/admin_pages.cpp, every route
// of every module); each module's own web tests live in its folder on a smaller module list.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>

#include "app/config.h"
#include "app/modules.h"
#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "identity/access.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "identity/testing.h"
#include "identity/web.h"
#include "notify/delivery.h"
#include "notify/test_support.h"
#include "open311/open311.h"
#include "platform/http/server.h"
#include "platform/http/test_client.h"
#include "platform/http/url.h"
#include "platform/module/host.h"
#include "platform/testing/browser.h"
#include "platform/testing/web_harness.h"
#include "workflow/workflow.h"

namespace baladiya::app::testing {

using baladiya::testing::Browser;
using http::testing::RawClient;

// A part of the running platform, as the tests reach it (services_->cases->Get(...)).
template <class T>
struct Ref {
  T* p = nullptr;
  T* get() const { return p; }
  T* operator->() const { return p; }
  T& operator*() const { return *p; }
};

class AppTest : public baladiya::testing::WebTest {
 protected:
  // The parts tests use, taken from the host's registry.
  struct Parts {
    Ref<db::Database> db;
    crypto::KeyFile keys;
    Ref<audit::AuditLog> audit;
    Ref<identity::PasswordHasher> hasher;
    Ref<identity::AccountStore> accounts;
    Ref<identity::SessionStore> sessions;
    Ref<identity::ApiTokenStore> api_tokens;
    Ref<notify::Outbox> outbox;
    Ref<catalog::ServiceStore> catalog;
    Ref<catalog::BoundaryStore> boundaries;
    Ref<cases::CaseStore> cases;
    Ref<open311::Store> open311;
    Ref<open311::KeyStore> open311_keys;
  };
  // The site's resources as pages see them.
  struct Resources {
    const i18n::Catalog* catalog = nullptr;
    const render::Site* site = nullptr;
    const render::Assets& assets;
  };
  // The web side as tests reach it.
  struct Web {
    module::Host& host;
    catalog::TenancyStore& tenancy() { return host.parts().Get<catalog::TenancyStore>(); }
    identity::GuardedRoutes& routes() { return host.parts().Get<identity::GuardedRoutes>(); }
    const http::Handler& Handler() { return host.Handler(); }
    http::Response ErrorPage(int status, const http::Request* r) {
      return host.ErrorPage(status, r);
    }
  };

  baladiya::testing::HarnessOptions Options() override {
    if (!gateway_) gateway_ = std::make_unique<notify::testing::SmsGateway>();
    Config c;
    c.hash_threads = 2;
    c.sms_url = gateway_->url();
    c.sms_token = kSmsToken;
    c.public_url = "https://baladiya.example.ps";
    baladiya::testing::HarnessOptions o;
    o.modules = Modules();
    o.settings = SettingValues(c);
    o.seed = [](module::Host& host) -> Status {
      auto seeded = catalog::SeedDemo(host.db(), host.context().now_ms());
      if (!seeded.ok()) return std::move(seeded).error();
      return Ok();
    };
    o.web.map = map_;
    return o;
  }

  void SetUp() override {
    baladiya::testing::WebTest::SetUp();
    if (HasFatalFailure()) return;
    host_ = &web().host();
    server_ = &web().server();
    module::Registry& r = host_->parts();
    services_ = std::make_unique<Parts>(Parts{
        {&host_->db()},
        host_->context().keys,
        {&r.Get<audit::AuditLog>()},
        {&r.Get<identity::PasswordHasher>()},
        {&r.Get<identity::AccountStore>()},
        {&r.Get<identity::SessionStore>()},
        {&r.Get<identity::ApiTokenStore>()},
        {&r.Get<notify::Outbox>()},
        {&r.Get<catalog::ServiceStore>()},
        {&r.Get<catalog::BoundaryStore>()},
        {&r.Get<cases::CaseStore>()},
        {&r.Get<open311::Store>()},
        {&r.Get<open311::KeyStore>()},
    });
    resources_ = std::make_unique<Resources>(
        Resources{host_->site().catalog, &host_->site(), *host_->site().assets});
    web_ = std::make_unique<Web>(Web{*host_});
    dispatcher_ = &r.Get<notify::Dispatcher>();
  }

  // The clock every module reads: the real one, unless a test set it (for golden files).
  int64_t Now() const { return web_ ? WebTest::Now() : NowMs(); }
  void SetClock(int64_t ms) { web().clock().Set(ms); }
  static int64_t NowMs() { return baladiya::testing::Clock::SystemNow(); }
  identity::WebServices& ids() { return host_->parts().Get<identity::WebServices>(); }

  // SELECT count(*) FROM <table ...>: for the app's own tests of the whole program.
  int64_t Count(const std::string& table) { return web().Count(table); }

  // Registers a resident through the form; returns the final response.
  std::string Register(Browser& b, const std::string& national_id, const std::string& phone) {
    return identity::testing::Register(b, national_id, phone);
  }

  static constexpr char kSmsToken[] = "gateway-token-for-tests";
  render::MapConfig map_;  // no map; a test's constructor may name a tile server
  std::unique_ptr<notify::testing::SmsGateway> gateway_;
  module::Host* host_ = nullptr;
  http::Server* server_ = nullptr;
  std::unique_ptr<Parts> services_;
  std::unique_ptr<Resources> resources_;
  std::unique_ptr<Web> web_;
  notify::Dispatcher* dispatcher_ = nullptr;
};

}  // namespace baladiya::app::testing
