// Test helpers: a scratch database per test on either engine, and the engine-parameterised
// fixture the store tests use.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "platform/db/database.h"

namespace baladiya::db::testing {

// The PostgreSQL URL for tests (env BALADIYA_TEST_POSTGRES_URL), or empty.
std::string PostgresTestUrl();
// True when env BALADIYA_REQUIRE_POSTGRES=1: missing PostgreSQL fails instead of skipping.
bool PostgresRequired();

// A private place for one test's data: a fresh temporary folder (SQLite) or a fresh schema
// (PostgreSQL, via options=-csearch_path in the URL). Removed by the destructor.
class Scratch {
 public:
  explicit Scratch(std::string engine) : engine_(std::move(engine)) {}
  ~Scratch();
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  // Creates the folder or schema; call once before Url().
  Status Create();
  // The url for DatabaseOptions: every database opened on it sees the same data.
  const std::string& Url() const { return url_; }
  // Opens a database on Url() with small test settings.
  Result<std::unique_ptr<Database>> Open(int pool_size = 4) const;

 private:
  std::string engine_;
  std::string folder_;  // SQLite
  std::string schema_;  // PostgreSQL
  std::string url_;
};

// Fixture for tests that run on both engines: GetParam() is "sqlite" or "postgresql".
// PostgreSQL cases are skipped without BALADIYA_TEST_POSTGRES_URL (failed when required).
class EngineTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  Database& db() { return *db_; }
  bool IsSqlite() const { return GetParam() == "sqlite"; }
  Scratch& scratch() { return *scratch_; }
  // Type spelling for a BLOB column on this engine.
  const char* BlobType() const { return IsSqlite() ? "BLOB" : "BYTEA"; }

 private:
  std::unique_ptr<Scratch> scratch_;
  std::unique_ptr<Database> db_;
};

// Test name suffix: "sqlite" / "postgresql".
std::string EngineName(const ::testing::TestParamInfo<std::string>& info);

}  // namespace baladiya::db::testing

#define BALADIYA_INSTANTIATE_ENGINES(fixture)                                           \
  INSTANTIATE_TEST_SUITE_P(Engines, fixture, ::testing::Values("sqlite", "postgresql"), \
                           ::baladiya::db::testing::EngineName)
