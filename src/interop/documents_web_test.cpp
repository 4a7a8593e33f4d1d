// The document register as an X-Road provider service (issue 17): another authority checks a
// document the municipality issued by its number, through the security server, once granted;
// the answer says what the document is and whether it is valid now, never its holder or facts;
// every query is in the message log and on the holder's "who looked at my data" page.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "documents/web_test_fixture.h"
#include "identity/identity.h"
#include "interop/interop.h"
#include "platform/module/module.h"
#include "platform/testing/golden.h"
#include "platform/testing/openapi_check.h"
#include "workflow/workflow.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;

constexpr char kClient[] = "X-Road-Client: PS/GOV/MOJ/courts\r\nX-Road-Id: d-1\r\n";

// The join the app makes for the register (app/interop_join.cpp), as a module of the tests' own.
module::Module JoinDocuments() {
  module::Module m;
  m.name = "interop-documents-join";
  m.open = [](module::Context& ctx) -> Status {
    documents::DocumentStore& docs = ctx.parts.Get<documents::DocumentStore>();
    identity::AccountStore& accounts = ctx.parts.Get<identity::AccountStore>();
    ctx.parts.Get<Providers>().document = [&docs, &accounts](
                                              std::string_view number,
                                              int64_t now_ms) -> Result<Providers::DocumentStatus> {
      if (!workflow::ParseTrackingNumber(number)) {
        return MakeError(ErrorCode::kInvalid, "interop.document_malformed");
      }
      auto d = docs.Find(number);
      if (!d.ok()) return std::move(d).error();
      auto holder = accounts.Get(d->holder_account, true);
      if (!holder.ok()) return std::move(holder).error();
      return Providers::DocumentStatus{
          d->number,
          d->municipality_id,
          d->service_code,
          d->kind,
          std::string(documents::StandingName(documents::StandingOf(*d, now_ms))),
          d->issued_at,
          d->expires_at,
          d->revoked_at,
          holder->personal.national_id};
    };
    return Ok();
  };
  return m;
}

class DocumentRegisterTest : public documents::testing::DocumentsWebTest {
 protected:
  std::vector<module::Module> Above() override {
    return {documents::Module(), interop::Module(), JoinDocuments()};
  }
  Store& xroad() { return web().Part<Store>(); }
  baladiya::testing::Reply Ask(const std::string& slug, const std::string& number,
                               const std::string& headers = kClient) {
    return web().Get("/api/v1/xroad/" + slug + "/documents/" + number + "?lang=en", headers);
  }
};

// The golden files (golden-documents/, README.md there), every exchange checked against the
// served OpenAPI document and every documented response of the register exercised; every query
// about the holder's documents on her "who looked at my data" page.
TEST_F(DocumentRegisterTest, GrantedAuthoritiesCheckDocumentsByNumber) {
  ASSERT_TRUE(Complete(BuildingPermit()).ok());
  ASSERT_TRUE(Complete(BuildingPermit()).ok());
  auto issued = documents().OfHolder(salma_);
  ASSERT_TRUE(issued.ok() && issued->size() == 2);
  const std::string number = issued->back().number;
  const std::string revoked = issued->front().number;
  ASSERT_NE(number, revoked);
  ASSERT_TRUE(documents()
                  .Revoke(revoked, hebron_, "صدرت على مخطط غير مصدّق", "admin", "r",
                          documents::testing::kDocumentsNow)
                  .ok());
  ASSERT_TRUE(xroad()
                  .Grant(hebron_, "PS/GOV/MOJ/courts", kDocumentService, {"admin", "t"},
                         documents::testing::kDocumentsNow)
                  .ok());

  baladiya::testing::ApiClient api(port());
  ASSERT_TRUE(api.Load());
  baladiya::testing::GoldenOptions o;
  o.folder = "src/interop/golden-documents";
  o.at_least = 7;
  o.values = {{"number", number},
              {"revoked", revoked},
              {"unknown", workflow::TrackingNumber("HEBD", 26, 999'999)}};
  o.observe = [&](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                  std::map<std::string, std::string>& values) {
    api.RecordGolden(g, r, values);
    for (const char* secret : {"401234562", "سلمى", "Salma", "حوض 34", "مخطط"}) {
      EXPECT_EQ(r.body.find(secret), std::string::npos) << g.target << " answered " << secret;
    }
  };
  EXPECT_GE(baladiya::testing::RunGoldenFiles(port(), o), 7u);
  boost::json::value fragment = baladiya::testing::OpenApiFragment(Module().openapi());
  ASSERT_TRUE(fragment.is_object());
  const baladiya::testing::Unreachable unreachable[] = {{"", 503}};
  for (const auto& missing : api.Unexercised(&fragment, unreachable)) {
    if (missing.find("/documents/") != std::string::npos) ADD_FAILURE() << missing;
  }

  // Another municipality's path: ask the issuer.
  ASSERT_TRUE(xroad()
                  .Grant(MunicipalityId("nablus"), "PS/GOV/MOJ/courts", kDocumentService,
                         {"admin", "t"}, documents::testing::kDocumentsNow)
                  .ok());
  EXPECT_EQ(Ask("nablus", number).status, 404);

  // Every query is logged; those about her documents show on her "who looked" page.
  EXPECT_GE(web().Count("interop_messages WHERE service = 'document-register'"), 8);
  std::string looked = AsSalma().Get("/account/who-looked?lang=en");
  EXPECT_NE(looked.find("Whether a document issued to you is valid"), std::string::npos) << looked;
  EXPECT_NE(looked.find("PS/GOV/MOJ/courts"), std::string::npos);
}

}  // namespace
}  // namespace baladiya::interop
