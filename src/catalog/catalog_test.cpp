// Tenancy store tests, on SQLite and on PostgreSQL.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

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

BALADIYA_INSTANTIATE_ENGINES(TenancyStoreTest);

}  // namespace
}  // namespace baladiya::catalog
