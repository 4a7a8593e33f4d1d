#include "platform/db/test_support.h"

#include <stdlib.h>

#include <filesystem>
#include <random>

namespace baladiya::db::testing {
namespace {

std::string RandomHex(int digits) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < digits; ++i) s += kHex[rng() % 16];
  return s;
}

Status OnAdmin(const std::string& sql) {
  DatabaseOptions options;
  options.url = PostgresTestUrl();
  options.read_pool_size = 1;
  auto admin = db::Open(options);
  if (!admin) return Error(admin.error());
  return (*admin)->Write([&](Tx& tx) { return tx.ExecScript(sql); });
}

}  // namespace

std::string PostgresTestUrl() {
  const char* url = getenv("BALADIYA_TEST_POSTGRES_URL");
  return url ? url : "";
}

bool PostgresRequired() {
  const char* v = getenv("BALADIYA_REQUIRE_POSTGRES");
  return v && std::string(v) == "1";
}

Status Scratch::Create() {
  if (engine_ == "sqlite") {
    std::string tmpl = (std::filesystem::temp_directory_path() / "baladiya-db-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return MakeError(ErrorCode::kInternal, "", "mkdtemp failed");
    folder_ = tmpl;
    url_ = "sqlite:" + folder_ + "/test.db";
    return Ok();
  }
  schema_ = "test_" + RandomHex(12);
  if (Status s = OnAdmin("CREATE SCHEMA " + schema_); !s) return s;
  std::string base = PostgresTestUrl();
  url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
         schema_;
  return Ok();
}

Scratch::~Scratch() {
  if (!folder_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(folder_, ec);
  }
  if (!schema_.empty()) {
    Status s = OnAdmin("DROP SCHEMA IF EXISTS " + schema_ + " CASCADE");
    if (!s) ADD_FAILURE() << "dropping schema " << schema_ << ": " << s.error().detail;
  }
}

Result<std::unique_ptr<Database>> Scratch::Open(int pool_size) const {
  DatabaseOptions options;
  options.url = url_;
  options.read_pool_size = pool_size;
  options.busy_timeout_ms = 10000;
  return db::Open(options);
}

void EngineTest::SetUp() {
  if (GetParam() == "postgresql" && PostgresTestUrl().empty()) {
    if (PostgresRequired()) {
      FAIL() << "BALADIYA_REQUIRE_POSTGRES=1 but BALADIYA_TEST_POSTGRES_URL is not set "
                "(start one with scripts/pg-start.sh)";
    }
    GTEST_SKIP() << "BALADIYA_TEST_POSTGRES_URL not set";
  }
  scratch_ = std::make_unique<Scratch>(GetParam());
  Status created = scratch_->Create();
  ASSERT_TRUE(created.ok()) << created.error().detail;
  auto opened = scratch_->Open();
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  db_ = std::move(*opened);
}

void EngineTest::TearDown() {
  db_.reset();  // close connections before the schema or folder goes
  scratch_.reset();
}

std::string EngineName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace baladiya::db::testing
