// The service catalogue on both engines: saving, publishing rules, Arabic search, the demo data.
#include "catalog/services.h"

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "platform/db/test_support.h"

namespace baladiya::catalog {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;

class ServiceStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(db::Migrate(db(), Migrations()).ok());
    auto seeded = SeedDemo(db(), kNow);
    ASSERT_TRUE(seeded.ok()) << seeded.error().detail;
    report_ = *seeded;
    TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    nablus_ = tenancy.FindMunicipality("nablus")->id;
  }

  std::vector<std::string> Codes(const std::vector<Service>& list) {
    std::vector<std::string> out;
    for (const auto& s : list) out.push_back(s.code);
    return out;
  }

  SeedReport report_;
  int64_t hebron_ = 0;
  int64_t nablus_ = 0;
};

TEST_P(ServiceStoreTest, DemoCatalogueIsCompleteInBothLanguagesAndIdempotent) {
  ServiceStore store(db());
  auto list = store.List(hebron_, true);
  ASSERT_TRUE(list.ok()) << list.error().detail;
  EXPECT_GE(list->size(), 10u);
  EXPECT_EQ(report_.services, static_cast<int>(list->size()) * 3);
  int reports = 0;
  for (const auto& s : *list) {
    EXPECT_TRUE(MissingTexts(s).empty()) << s.code << ": " << MissingTexts(s).front();
    EXPECT_NE(s.department_id, 0) << s.code;
    EXPECT_GT(s.sla_days, 0) << s.code;
    EXPECT_FALSE(s.form.pages.empty()) << s.code;
    if (s.kind == ServiceKind::kReport) {
      ++reports;
      EXPECT_EQ(s.fee.base_minor, 0) << s.code;
    }
  }
  EXPECT_GE(reports, 2);
  auto again = SeedDemo(db(), kNow + 1);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(store.List(hebron_, false)->size(), list->size());
  auto permit = store.Find(hebron_, "building-permit");
  ASSERT_TRUE(permit.ok());
  EXPECT_EQ(permit->version, 2);  // saved twice
  EXPECT_EQ(permit->name.ar, "رخصة بناء");
}

TEST_P(ServiceStoreTest, SearchIgnoresVowelMarksHamzaAndTaMarbutaInBothLanguages) {
  ServiceStore store(db());
  auto codes = [&](std::string_view q) { return Codes(*store.Search(hebron_, q)); };
  auto has = [](const std::vector<std::string>& v, const char* code) {
    return std::find(v.begin(), v.end(), code) != v.end();
  };
  EXPECT_TRUE(has(codes("براءة ذمة"), "clearance-certificate"));
  EXPECT_TRUE(has(codes("براءه ذمه"), "clearance-certificate"));  // ta marbuta as ha
  EXPECT_TRUE(has(codes("بَرَاءَة"), "clearance-certificate"));      // vowel marks
  EXPECT_TRUE(has(codes("رخصة بناء"), "building-permit"));
  EXPECT_TRUE(has(codes("رخصه بناء"), "building-permit"));
  EXPECT_TRUE(has(codes("انارة"), "street-light-report"));        // hamza-less alef
  EXPECT_TRUE(has(codes("CLEARANCE"), "clearance-certificate"));  // English, any case
  EXPECT_TRUE(has(codes("water"), "water-connection"));
  EXPECT_TRUE(codes("no-such-service-anywhere").empty());
  EXPECT_EQ(codes("").size(), store.List(hebron_, true)->size());
  // Another municipality's services never show.
  ASSERT_TRUE(store.Search(nablus_, "رخصة").ok());
}

TEST_P(ServiceStoreTest, PublishingNeedsEveryTextInBothLanguages) {
  ServiceStore store(db());
  Service s = *store.Find(hebron_, "clearance-certificate");
  s.code = "draft-service";
  s.published = false;
  s.name.en.clear();
  s.form.pages[0].fields[0].label.ar.clear();
  ASSERT_TRUE(store.Save(s, kNow).ok());  // a draft may be incomplete
  s.published = true;
  auto refused = store.Save(s, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message_key, "catalog.missing_texts");
  EXPECT_TRUE(refused.error().fields.count("name (en)"));
  EXPECT_TRUE(
      refused.error().fields.count("field " + s.form.pages[0].fields[0].name + " label (ar)"));
  EXPECT_FALSE(store.Find(hebron_, "draft-service")->published);
  EXPECT_TRUE(store.Search(hebron_, "draft").ok());
  EXPECT_TRUE(Codes(*store.Search(hebron_, "draft-service")).empty());  // drafts are not listed
}

TEST_P(ServiceStoreTest, BadServicesAreRefusedAndNothingChanges) {
  ServiceStore store(db());
  Service good = *store.Find(hebron_, "building-permit");
  Service s = good;
  s.code = "Bad Code";
  EXPECT_EQ(store.Save(s, kNow).error().code, ErrorCode::kInvalid);
  s = good;
  s.channels = {"web", "fax"};
  EXPECT_EQ(store.Save(s, kNow).error().code, ErrorCode::kInvalid);
  s = good;
  s.name.ar.clear();
  EXPECT_EQ(store.Save(s, kNow).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, good.version);
}

TEST_P(ServiceStoreTest, CalendarHasFridayAndTheDemoHolidays) {
  auto c = LoadCalendar(db(), hebron_);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->rest_weekdays, std::set<int>{5});
  EXPECT_TRUE(c->holidays.count("2026-11-15"));
  EXPECT_EQ(c->time_zone, "Asia/Hebron");
}

// ---- SaveExpecting: the editors' optimistic concurrency -------------------------------------

TEST_P(ServiceStoreTest, SaveExpectingRefusesStaleVersionsAndTakenCodes) {
  ServiceStore store(db());
  Service s = *store.Find(hebron_, "building-permit");
  const int64_t read = s.version;
  s.sla_days = 9;
  auto first = store.SaveExpecting(s, read, kNow);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(*first, s.id);
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, read + 1);
  // A second edit made from the same reading loses, and changes nothing.
  s.sla_days = 11;
  auto stale = store.SaveExpecting(s, read, kNow);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code, ErrorCode::kConflict);
  EXPECT_EQ(stale.error().message_key, "catalog.conflict");
  EXPECT_EQ(store.Find(hebron_, "building-permit")->sla_days, 9);
  // A failure inside the transaction leaves the service as it was.
  auto rolled_back = store.SaveExpecting(s, read + 1, kNow, [](db::Tx&, int64_t) -> Status {
    return MakeError(ErrorCode::kInvalid, "error.invalid");
  });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(store.Find(hebron_, "building-permit")->version, read + 1);

  // Version 0 creates, once per code.
  Service fresh = s;
  fresh.code = "new-service";
  fresh.published = false;
  auto created = store.SaveExpecting(fresh, 0, kNow);
  ASSERT_TRUE(created.ok()) << created.error().detail;
  EXPECT_EQ(store.Find(hebron_, "new-service")->version, 1);
  auto taken = store.SaveExpecting(fresh, 0, kNow);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().message_key, "catalog.code_taken");
  // Never an update of a service that does not exist.
  fresh.code = "never-saved";
  EXPECT_EQ(store.SaveExpecting(fresh, 1, kNow).error().code, ErrorCode::kConflict);
  EXPECT_FALSE(store.Find(hebron_, "never-saved").ok());
}

BALADIYA_INSTANTIATE_ENGINES(ServiceStoreTest);

}  // namespace
}  // namespace baladiya::catalog
