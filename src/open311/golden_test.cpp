// Open311's golden files (src/open311/golden/*.golden): each is one HTTP request and the exact
// status, content type and body expected, run in name order by the golden-file runner
// (platform/testing/golden.h) against open311 and the modules it uses on the web harness, on a
// fresh database. See src/open311/golden/README.md for the data set the files start from and the
// few values that are masked.
//
// BALADIYA_GOLDEN_UPDATE=1 rewrites each file's response part with what the server answered
// (review the diff before committing it).
#include "platform/testing/golden.h"

#include "open311/web_test_fixture.h"

namespace baladiya::open311 {
namespace {

using testing::kOpen311Now;

constexpr int64_t kMinute = 60'000;

class Open311GoldenTest : public testing::Open311Test {
 protected:
  void SetUp() override {
    Open311Test::SetUp();
    if (HasFatalFailure()) return;
    // The data set the files start from (README.md): two reports before "now".
    Submission lamp{0,
                    "31.5326",
                    "35.0998",
                    "شارع عين سارة، قرب دوار ابن رشد",
                    "",
                    "عمود الإنارة أمام المدرسة مطفأ منذ أسبوع.",
                    "https://media.example.org/reports/lamp-1.jpg"};
    auto key = keys().Resolve(key_, hebron_.id, kOpen311Now);
    ASSERT_TRUE(key.ok());
    lamp.key_id = key->id;
    const int64_t at = 1'773'129'600'000;  // 2026-03-10T08:00:00Z
    cases::Case r1 = FileReport("street-light-report", at,
                                {{"location", {"31.5326,35.0998"}},
                                 {"problem", {"not_working"}},
                                 {"description", {lamp.description}}},
                                lamp, key->account_id, "api");
    Act(r1, "start_review", at + 23 * 60 * kMinute);
    Act(r1, "reject", at + 52 * 60 * kMinute, "العمود تابع لشركة الكهرباء وليس للبلدية.");
    // A report made on the website: its place (here a landmark, published as the address) and
    // description are published with its status; its other answers stay sealed.
    FileReport("waste-collection-report", 1'773'484'200'000,  // 2026-03-14T10:30:00Z
               {{"location", {"حي الشيخ، خلف المسجد الكبير"}},
                {"issues", {"not_collected", "container_full"}},
                {"days_uncollected", {"4"}},
                {"description", {"لم تُجمع النفايات منذ أربعة أيام."}}},
               {}, 0, "web");
  }
};

TEST_F(Open311GoldenTest, ExchangesMatchTheGoldenFiles) {
  baladiya::testing::GoldenOptions o;
  o.folder = "src/open311/golden";
  o.at_least = 30;
  o.values = {{"api_key", key_}};
  // What varies from run to run: the update ids (random) and the discovery changeset (when the
  // demo catalogue was seeded).
  o.masks = {{"<update_id>[0-9a-f]{24}</update_id>", "<update_id>{{update_id}}</update_id>"},
             {"\"update_id\":\"[0-9a-f]{24}\"", "\"update_id\":\"{{update_id}}\""},
             {"<changeset>[^<]*</changeset>", "<changeset>{{changeset}}</changeset>"},
             {"\"changeset\":\"[^\"]*\"", "\"changeset\":\"{{changeset}}\""}};
  baladiya::testing::RunGoldenFiles(port(), o);
}

}  // namespace
}  // namespace baladiya::open311
