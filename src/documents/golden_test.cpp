// documents' JSON API golden files (src/documents/golden/*.golden): /api/v1/verify on a valid, a
// revoked and an expired document, in both languages, by query and by body, and its refusals
// (no code, not a code, an unknown key, a forged signature, a body that is not JSON). Each
// exchange is checked against the OpenAPI document, and every response the fragment documents
// must be exercised. Codes are signed under the run's fresh keys, so the files name them as
// {{valid_code}}, ... and the test fills them in.
#include "platform/testing/golden.h"

#include <boost/json.hpp>

#include "documents/web_test_fixture.h"
#include "platform/http/url.h"
#include "platform/testing/openapi_check.h"

std::span<const baladiya::EmbeddedFile> DocumentsOpenApiFiles();

namespace baladiya::documents::testing {
namespace {

constexpr baladiya::testing::Unreachable kUnreachable[] = {{"", 503}};

class DocumentsGoldenTest : public DocumentsWebTest {};

TEST_F(DocumentsGoldenTest, ExchangesMatchTheGoldenFiles) {
  // A clearance (90 days) and a building permit (two years) issued now; another permit revoked.
  extensions().owes = [](db::Tx&, int64_t, int64_t) -> Result<bool> { return false; };
  cases::Case clearance = Clearance();
  ASSERT_TRUE(Complete(clearance).ok());
  cases::Case permit = BuildingPermit();
  ASSERT_TRUE(Complete(permit).ok());
  cases::Case withdrawn = BuildingPermit();
  ASSERT_TRUE(Complete(withdrawn).ok());
  auto expired = documents().OfCase(clearance.id);
  auto valid = documents().OfCase(permit.id);
  auto revoked = documents().OfCase(withdrawn.id);
  ASSERT_TRUE(expired.ok() && valid.ok() && revoked.ok());
  ASSERT_TRUE(documents()
                  .Revoke(revoked->number, hebron_, "صدرت على مخطط غير مصدّق", "p-head", "r",
                          Now() + 3'600'000)
                  .ok());
  // A hundred days later the clearance has expired.
  web().clock().Set(kDocumentsNow + int64_t{100} * 86'400'000);

  crypto::Key32 seed{};
  seed.fill(42);
  const std::string altered = valid->code.substr(0, valid->code.size() - 6);
  auto nablus = tenancy().FindMunicipality("nablus");
  auto nablus_key = keys().Current(nablus->id, "nablus", Now());
  ASSERT_TRUE(nablus_key.ok());

  baladiya::testing::ApiClient api(port());
  ASSERT_TRUE(api.Load());
  baladiya::testing::GoldenOptions o;
  o.folder = "src/documents/golden";
  o.at_least = 10;
  o.values = {
      {"valid_code", http::PercentEncode(valid->code)},
      {"valid_code_json", valid->code},
      {"revoked_code", http::PercentEncode(revoked->code)},
      {"expired_code", http::PercentEncode(expired->code)},
      {"altered_code", http::PercentEncode(altered)},
      {"stranger_code",
       http::PercentEncode(EncodeCode(ClaimsOf(*valid), crypto::SigningKeyFromSeed(seed)))},
      {"forged_code", http::PercentEncode(EncodeCode(ClaimsOf(*valid), nablus_key->first))},
  };
  o.observe = [&api](const baladiya::testing::GoldenFile& g, const baladiya::testing::Reply& r,
                     std::map<std::string, std::string>& values) {
    api.RecordGolden(g, r, values);
  };
  baladiya::testing::RunGoldenFiles(port(), o);
  const boost::json::value fragment = baladiya::testing::OpenApiFragment(DocumentsOpenApiFiles());
  for (const auto& missing : api.Unexercised(&fragment, kUnreachable)) ADD_FAILURE() << missing;
}

}  // namespace
}  // namespace baladiya::documents::testing
