// Tenancy store tests, on SQLite and on PostgreSQL.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>

#include "audit/audit.h"
#include "catalog/departments.h"
#include "catalog/municipalities.h"
#include "platform/crypto/crypto.h"
#include "platform/db/test_support.h"

namespace baladiya::catalog {
namespace {

class TenancyStoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto m = db::Migrate(db(), Migrations());
    ASSERT_TRUE(m.ok()) << m.error().detail;
  }
};

TEST_P(TenancyStoreTest, DemoSeedIsIdempotent) {
  for (int run = 0; run < 2; ++run) {
    auto report = SeedDemo(db(), 1000 + run);
    ASSERT_TRUE(report.ok()) << report.error().detail;
    EXPECT_EQ(report->municipalities, 3);
    EXPECT_EQ(report->departments, 15);
  }
  auto counts = db().Query(
      "SELECT (SELECT count(*) FROM municipalities), (SELECT count(*) FROM departments)");
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[0].Int(0), 3);
  EXPECT_EQ((*counts)[0].Int(1), 15);
}

TEST_P(TenancyStoreTest, FindsMunicipalitiesAndTheirDepartmentsInOrder) {
  ASSERT_TRUE(SeedDemo(db(), 1).ok());
  TenancyStore store(db());
  auto list = store.ListMunicipalities();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].slug, "hebron");  // ordered by English name
  EXPECT_EQ((*list)[2].slug, "ramallah");
  auto nablus = store.FindMunicipality("nablus");
  ASSERT_TRUE(nablus.ok());
  EXPECT_EQ(nablus->name.ar, "بلدية نابلس");
  EXPECT_EQ(nablus->name.In(i18n::Lang::kEn), "Nablus Municipality");
  auto deps = store.Departments(nablus->id);
  ASSERT_TRUE(deps.ok());
  ASSERT_EQ(deps->size(), 5u);
  EXPECT_EQ((*deps)[0].slug, "citizen-services");
  for (const auto& d : *deps) EXPECT_EQ(d.municipality_id, nablus->id);
}

TEST_P(TenancyStoreTest, UnknownOrMalformedSlugsAreNotFound) {
  ASSERT_TRUE(SeedDemo(db(), 1).ok());
  TenancyStore store(db());
  for (const char* slug : {"gaza-city", "", "HEBRON", "hebron'--", "../etc", "a"}) {
    auto m = store.FindMunicipality(slug);
    ASSERT_FALSE(m.ok()) << slug;
    EXPECT_EQ(m.error().code, ErrorCode::kNotFound) << slug;
  }
}

TEST_P(TenancyStoreTest, UpsertRefusesBadInputAndChangesNothing) {
  ASSERT_TRUE(SeedDemo(db(), 1).ok());
  TenancyStore store(db());
  Municipality bad;
  bad.slug = "Bad Slug";
  bad.name = {"س", "x"};
  EXPECT_EQ(store.UpsertMunicipality(bad, 2).error().code, ErrorCode::kInvalid);
  Municipality unnamed;
  unnamed.slug = "jenin";
  unnamed.name = {"", "Jenin"};
  EXPECT_EQ(store.UpsertMunicipality(unnamed, 2).error().code, ErrorCode::kInvalid);
  auto list = store.ListMunicipalities();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
}

TEST_P(TenancyStoreTest, UpsertUpdatesInPlace) {
  TenancyStore store(db());
  Municipality m;
  m.slug = "jenin";
  m.name = {"بلدية جنين", "Jenin Municipality"};
  auto id1 = store.UpsertMunicipality(m, 1);
  ASSERT_TRUE(id1.ok());
  m.phone = "+970 4 000 0000";
  auto id2 = store.UpsertMunicipality(m, 2);
  ASSERT_TRUE(id2.ok());
  EXPECT_EQ(*id1, *id2);
  EXPECT_EQ(store.FindMunicipality("jenin")->phone, "+970 4 000 0000");
}

TEST_P(TenancyStoreTest, SnapshotSeesOtherNodesWritesWithinMaxAge) {
  ASSERT_TRUE(SeedDemo(db(), 1).ok());
  auto other_node = scratch().Open();  // a second process on the same database
  ASSERT_TRUE(other_node.ok()) << other_node.error().detail;
  TenancyStore fresh(db(), std::chrono::milliseconds(0));
  TenancyStore cached(db(), std::chrono::hours(1));
  ASSERT_EQ(cached.ListMunicipalities()->size(), 3u);
  // The other process's write (made here with SQL: a store in this process would tell this
  // process's caches about it, which another process cannot).
  ASSERT_TRUE((*other_node)
                  ->Write([](db::Tx& tx) -> Status {
                    auto n = tx.Exec(
                        "INSERT INTO municipalities (slug, name_ar, name_en, created_at, "
                        "updated_at) VALUES ('jenin', 'بلدية جنين', 'Jenin Municipality', 5, 5)");
                    if (!n.ok()) return std::move(n).error();
                    return Ok();
                  })
                  .ok());
  EXPECT_TRUE(fresh.FindMunicipality("jenin").ok());
  // Within max_age and without a change to the catalogue here, the cached snapshot may still be
  // the old one (other writes, such as cases, leave it warm).
  EXPECT_EQ(cached.FindMunicipality("jenin").error().code, ErrorCode::kNotFound);
  // A local write invalidates it at once.
  Municipality hebron = *cached.FindMunicipality("hebron");
  hebron.phone = "+970 2 111 1111";
  ASSERT_TRUE(cached.UpsertMunicipality(hebron, 6).ok());
  EXPECT_TRUE(cached.FindMunicipality("jenin").ok());
  EXPECT_EQ(cached.FindMunicipality("hebron")->phone, "+970 2 111 1111");
  (*other_node)->Close();
}

TEST(Slug, Validation) {
  struct Case {
    const char* slug;
    bool ok;
  } cases[] = {{"hebron", true}, {"beit-jala", true}, {"al-bireh2", true}, {"-x", false},
               {"x-", false},    {"x", false},        {"Hebron", false},   {"خليل", false},
               {"a b", false},   {"a/b", false},      {"", false}};
  for (const auto& c : cases) EXPECT_EQ(ValidSlug(c.slug), c.ok) << c.slug;
}

// The administrator's changes to the directory (municipalities.h, departments.h), audited with
// their values before and after.
class DirectoryAdminTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    auto m = db::Migrate(db(), all);
    ASSERT_TRUE(m.ok()) << m.error().detail;
    ASSERT_TRUE(SeedDemo(db(), 1000).ok());
    crypto::Key32 seed;
    const std::string raw = crypto::RandomBytes(seed.size());
    std::memcpy(seed.data(), raw.data(), seed.size());
    log_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(seed));
  }
  std::vector<audit::Entry> Entries(const std::string& action) {
    audit::AuditLog::Filter f;
    f.action_prefix = action;
    auto list = log_->List(f);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<audit::Entry>{};
  }
  ProfileInput Profile() {
    ProfileInput in;
    in.name = {"بلدية الخليل", "Hebron Municipality"};
    in.address = {"شارع عين سارة", "Ein Sara Street"};
    in.phone = "+970 2 222 8121";
    in.email = "info@hebron.example";
    in.hours = {"من السبت إلى الخميس", "Saturday to Thursday"};
    in.website = "https://www.hebron.example";
    return in;
  }

  std::unique_ptr<audit::AuditLog> log_;
};

TEST_P(DirectoryAdminTest, TheProfileIsCheckedSavedAndAuditedWithBeforeAndAfter) {
  TenancyStore tenancy(db(), std::chrono::milliseconds(0));
  const int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  EXPECT_EQ(OpeningHours(db(), hebron)->en, "Sunday to Thursday, 8:00 to 15:00");  // the demo's
  ProfileInput bad = Profile();
  bad.name.en = "";
  bad.website = "javascript:alert(1)";
  bad.email = "no-at-sign";
  bad.phone = "call us";
  bad.hours.ar = std::string(301, 'x');
  Status refused = SaveProfile(db(), log_.get(), hebron, bad, {"admin", "r1"}, 2000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  for (const char* field : {"name_en", "website", "email", "phone", "hours_ar"})
    EXPECT_TRUE(refused.error().fields.contains(field)) << field;
  EXPECT_TRUE(Entries("municipality.").empty());
  ASSERT_TRUE(SaveProfile(db(), log_.get(), hebron, Profile(), {"admin", "r2"}, 3000).ok());
  auto m = tenancy.FindMunicipality("hebron");
  EXPECT_EQ(m->website, "https://www.hebron.example");
  EXPECT_EQ(m->address.en, "Ein Sara Street");
  EXPECT_EQ(OpeningHours(db(), hebron)->ar, "من السبت إلى الخميس");
  auto changed = Entries("municipality.changed");
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_EQ(changed[0].actor, "admin");
  EXPECT_EQ(changed[0].object, "municipality:hebron");
  bool hours = false;
  for (const auto& c : changed[0].changes) {
    if (c.field == "hours_en") {
      hours = true;
      EXPECT_EQ(c.before, "Sunday to Thursday, 8:00 to 15:00");
      EXPECT_EQ(c.after, "Saturday to Thursday");
    }
    EXPECT_NE(c.field, "name_ar");  // unchanged: not listed
  }
  EXPECT_TRUE(hours);
  // Saving the same again records nothing.
  ASSERT_TRUE(SaveProfile(db(), log_.get(), hebron, Profile(), {"admin", "r3"}, 4000).ok());
  EXPECT_EQ(Entries("municipality.changed").size(), 1u);
  EXPECT_EQ(SaveProfile(db(), log_.get(), 999999, Profile(), {"admin", "r4"}, 5000).error().code,
            ErrorCode::kNotFound);
}

TEST_P(DirectoryAdminTest, AMunicipalityIsAddedOnceBySlug) {
  TenancyStore tenancy(db(), std::chrono::milliseconds(0));
  NewMunicipality in{"jenin", {"بلدية جنين", "Jenin Municipality"}, {"محافظة جنين", "Jenin"}};
  NewMunicipality bad = in;
  bad.slug = "Jenin!";
  bad.name.ar = "";
  auto refused = AddMunicipality(db(), log_.get(), bad, {"platform", "r1"}, 2000);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().fields.at("slug"), "municipalities.slug_invalid");
  EXPECT_EQ(refused.error().fields.at("name_ar"), "profile.name_required");
  auto id = AddMunicipality(db(), log_.get(), in, {"platform", "r2"}, 3000);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(tenancy.FindMunicipality("jenin")->id, *id);
  EXPECT_EQ(tenancy.FindMunicipality("jenin")->governorate.en, "Jenin");
  auto again = AddMunicipality(db(), log_.get(), in, {"platform", "r3"}, 4000);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().fields.at("slug"), "municipalities.slug_taken");
  EXPECT_EQ(tenancy.ListMunicipalities()->size(), 4u);
  auto added = Entries("municipality.added");
  ASSERT_EQ(added.size(), 1u);
  EXPECT_EQ(added[0].municipality_id, *id);
}

TEST_P(DirectoryAdminTest, ADepartmentIsDisabledAndEnabledOnceEach) {
  TenancyStore tenancy(db(), std::chrono::milliseconds(0));
  const int64_t hebron = tenancy.FindMunicipality("hebron")->id;
  const int64_t nablus = tenancy.FindMunicipality("nablus")->id;
  EXPECT_TRUE(DisabledDepartments(db(), hebron)->empty());
  ASSERT_TRUE(
      SetDepartmentDisabled(db(), log_.get(), hebron, "water", true, {"admin", "r1"}, 2000).ok());
  ASSERT_TRUE(
      SetDepartmentDisabled(db(), log_.get(), hebron, "water", true, {"admin", "r2"}, 2001).ok());
  auto off = DisabledDepartments(db(), hebron);
  ASSERT_EQ(off->size(), 1u);
  int64_t water = 0;
  for (const auto& d : *tenancy.Departments(hebron)) {
    if (d.slug == "water") water = d.id;
  }
  EXPECT_TRUE(off->contains(water));
  EXPECT_TRUE(DisabledDepartments(db(), nablus)->empty());  // Nablus's water is another's
  auto disabled = Entries("department.disabled");
  ASSERT_EQ(disabled.size(), 1u);
  ASSERT_EQ(disabled[0].changes.size(), 1u);
  EXPECT_EQ(disabled[0].changes[0].before, "enabled");
  EXPECT_EQ(disabled[0].changes[0].after, "disabled");
  EXPECT_EQ(SetDepartmentDisabled(db(), log_.get(), hebron, "no-such", true, {"admin", "r3"}, 2002)
                .error()
                .code,
            ErrorCode::kNotFound);
  ASSERT_TRUE(
      SetDepartmentDisabled(db(), log_.get(), hebron, "water", false, {"admin", "r4"}, 2003).ok());
  EXPECT_TRUE(DisabledDepartments(db(), hebron)->empty());
  EXPECT_EQ(Entries("department.enabled").size(), 1u);
}

BALADIYA_INSTANTIATE_ENGINES(DirectoryAdminTest);

BALADIYA_INSTANTIATE_ENGINES(TenancyStoreTest);

}  // namespace
}  // namespace baladiya::catalog
