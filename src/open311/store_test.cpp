// Open311's storage on both engines: API keys (hashed, bound to a municipality, audited), the
// public record kept in step with cases through their hook, its queries, the updates, the
// sealed contact details, and updates posted by clients.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "audit/testing.h"
#include "catalog/catalog.h"
#include "identity/credentials.h"
#include "notify/test_support.h"
#include "open311/open311.h"
#include "platform/db/test_support.h"

namespace baladiya::open311 {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01
constexpr int64_t kMinute = 60'000;

class Open311StoreTest : public db::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::vector<db::Migration> all =
        db::MigrationsOf({catalog::Migrations, audit::Migrations, identity::Migrations,
                          notify::Migrations, cases::Migrations, Migrations});
    ASSERT_TRUE(db::Migrate(db(), all).ok());
    ASSERT_TRUE(catalog::SeedDemo(db(), kNow).ok());
    for (crypto::Key32* k : {&keys_.master, &keys_.blind_index, &keys_.signing_seed}) {
      std::string raw = crypto::RandomBytes(32);
      std::memcpy(k->data(), raw.data(), 32);
    }
    audit_ = std::make_unique<audit::AuditLog>(db(), audit::Keyring(keys_.signing_seed));
    accounts_ = std::make_unique<identity::AccountStore>(db(), keys_, audit_.get());
    keys_store_ = std::make_unique<KeyStore>(db(), *accounts_, audit_.get());
    store_ = std::make_unique<Store>(db(), keys_.master);
    cases::Dependencies deps;
    deps.db = &db();
    deps.master = &keys_.master;
    deps.audit = audit_.get();
    cases_ = std::make_unique<cases::CaseStore>(std::move(deps));
    cases_->AddObserver(
        [this](db::Tx& tx, const cases::StateChange& c) { return store_->OnStateChange(tx, c); });
    catalog::TenancyStore tenancy(db(), std::chrono::milliseconds(0));
    hebron_ = tenancy.FindMunicipality("hebron")->id;
    nablus_ = tenancy.FindMunicipality("nablus")->id;
    catalog::ServiceStore services(db());
    light_ = *services.Find(hebron_, "street-light-report");
    waste_ = *services.Find(hebron_, "waste-collection-report");
    permit_ = *services.Find(hebron_, "building-permit");
    light_nablus_ = *services.Find(nablus_, "street-light-report");
    wf_ = workflow::DefaultWorkflow(notify::testing::Catalogue());
  }

  static identity::PasswordHasher& Hasher() {
    static identity::PasswordHasher hasher(identity::HashParams{8192, 1}, 2, 256);
    return hasher;
  }

  IssuedKey Issue(int64_t municipality, const std::string& label = "FixMyStreet") {
    auto k = keys_store_->Issue(municipality, label, Hasher(), notify::testing::Catalogue(),
                                {"system", "req-key", municipality}, kNow);
    EXPECT_TRUE(k.ok()) << (k.ok() ? "" : k.error().detail);
    return k.ok() ? *k : IssuedKey{};
  }

  // A street-light report as Open311 files it.
  Result<cases::Case> File(const catalog::Service& s, int64_t at, const Submission& details,
                           const Contact& contact = {}) {
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 77;
    in.channel = "api";
    in.filed_by = 77;
    in.answers = {{"location", {"31.5326,35.0998"}}, {"description", {"العمود مطفأ منذ أسبوع"}}};
    if (s.code == "street-light-report") in.answers["problem"] = {"not_working"};
    if (s.code == "waste-collection-report") {
      in.answers["issues"] = {"not_collected"};
      in.answers["days_uncollected"] = {"3"};
    }
    in.in_tx = [&](db::Tx& tx, const cases::StateChange& change) {
      return store_->RecordSubmission(tx, change, details, contact);
    };
    cases::Actor actor{77, "p-open311", {"resident"}, "api", "req-file"};
    return cases_->SubmitAnswers(in, actor, s, wf_, calendar_, "HEB", at);
  }

  Result<cases::Case> Move(const cases::Case& c, const std::string& action, int64_t at,
                           const std::string& comment = "") {
    auto now = cases_->Get(c.id);
    cases::Actor staff{5, "p-staff", {"municipal-admin"}, "web", "req-move"};
    return cases_->Transition(c.id, now->version, action, comment, staff, wf_, calendar_, light_,
                              at);
  }

  // The number a one-value query on open311's own tables reads.
  int64_t Count(const std::string& sql) {
    auto rows = db().Query(sql);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  // How many cases were filed, read through cases' event feed (one "submitted" event each).
  int64_t CasesFiled() {
    auto feed = cases_->Feed(0, cases::kMaxFeedBatch);
    EXPECT_TRUE(feed.ok());
    int64_t n = 0;
    for (const auto& e : feed.ok() ? *feed : std::vector<cases::FeedEntry>{}) {
      n += e.kind == "submitted";
    }
    return n;
  }
  // Hebron's staff accounts (an API key comes with an integration account among them).
  int64_t HebronStaff() {
    auto staff = accounts_->Staff(hebron_);
    EXPECT_TRUE(staff.ok());
    return staff.ok() ? static_cast<int64_t>(staff->size()) : -1;
  }

  crypto::KeyFile keys_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<identity::AccountStore> accounts_;
  std::unique_ptr<KeyStore> keys_store_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<cases::CaseStore> cases_;
  int64_t hebron_ = 0;
  int64_t nablus_ = 0;
  catalog::Service light_, waste_, permit_, light_nablus_;
  workflow::Workflow wf_;
  workflow::Calendar calendar_;
};

TEST_P(Open311StoreTest, KeysAreHashedBoundToTheirMunicipalityAndAudited) {
  IssuedKey k = Issue(hebron_);
  ASSERT_TRUE(k.key.starts_with("o311_"));
  EXPECT_EQ(k.key.size(), 5u + 43u);
  EXPECT_EQ(Count("SELECT count(*) FROM open311_keys WHERE key_hash = '" + k.key + "'"), 0)
      << "the key itself is never stored";
  auto resolved = keys_store_->Resolve(k.key, hebron_, kNow + kMinute);
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->id, k.record.id);
  EXPECT_EQ(resolved->account_id, k.record.account_id);
  EXPECT_FALSE(resolved->account_pseudonym.empty());
  // The integration account: staff of the municipality, with no role.
  auto account = accounts_->Get(k.record.account_id, false);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->kind, identity::AccountKind::kStaff);
  EXPECT_EQ(account->home_municipality_id, hebron_);
  EXPECT_EQ(account->username, k.username);
  EXPECT_NE(account->full_name_en.find("FixMyStreet"), std::string::npos);
  EXPECT_TRUE(accounts_->Grants(k.record.account_id)->empty());
  EXPECT_TRUE(*keys_store_->IsIntegrationAccount(k.record.account_id));
  EXPECT_FALSE(*keys_store_->IsIntegrationAccount(k.record.account_id + 1000));

  for (std::string_view bad : {std::string_view(""), std::string_view("o311_"),
                               std::string_view("o311_wrong-key-of-the-right-size-000000000000"),
                               std::string_view(k.key).substr(0, k.key.size() - 1)}) {
    auto r = keys_store_->Resolve(bad, hebron_, kNow);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kForbidden);
    EXPECT_EQ(r.error().message_key, "open311.bad_api_key");
  }
  EXPECT_FALSE(keys_store_->Resolve(k.key, nablus_, kNow).ok()) << "another municipality's key";

  EXPECT_EQ(audit::testing::Count(*audit_, "open311_key.issued"), 1);
  EXPECT_TRUE(keys_store_->Revoke(k.record.id, hebron_, {"system", "req-r", hebron_}, kNow).ok());
  EXPECT_FALSE(keys_store_->Resolve(k.key, hebron_, kNow).ok()) << "revoked";
  EXPECT_EQ(keys_store_->Revoke(k.record.id, hebron_, {}, kNow).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(audit::testing::Count(*audit_, "open311_key.revoked"), 1);
  auto listed = keys_store_->OfMunicipality(hebron_);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_NE(listed->front().revoked_at, 0);
}

TEST_P(Open311StoreTest, DisablingTheIntegrationAccountStopsItsKey) {
  IssuedKey k = Issue(hebron_);
  ASSERT_TRUE(keys_store_->Resolve(k.key, hebron_, kNow).ok());
  ASSERT_TRUE(accounts_
                  ->SetStatus(k.record.account_id, identity::AccountStatus::kDisabled,
                              {"system", "req", hebron_}, kNow)
                  .ok());
  EXPECT_FALSE(keys_store_->Resolve(k.key, hebron_, kNow).ok());
}

TEST_P(Open311StoreTest, BadLabelsCreateNothing) {
  const int64_t accounts = HebronStaff();
  for (const std::string& label :
       {std::string(""), std::string("   "), std::string("tab\x01"), std::string(101, 'x')}) {
    auto k = keys_store_->Issue(hebron_, label, Hasher(), notify::testing::Catalogue(), {}, kNow);
    ASSERT_FALSE(k.ok()) << label;
    EXPECT_EQ(k.error().message_key, "open311.label_invalid");
  }
  EXPECT_EQ(HebronStaff(), accounts);
  EXPECT_EQ(Count("SELECT count(*) FROM open311_keys"), 0);
}

TEST_P(Open311StoreTest, KeysExpireAndKeepTheTermsTheyWereIssuedWith) {
  IssuedKey k = Issue(hebron_);
  EXPECT_EQ(k.record.expires_at, kNow + 365LL * 86'400'000) << "a year by default";
  EXPECT_FALSE(k.record.notes_on_all) << "its own reports by default";
  EXPECT_TRUE(keys_store_->Resolve(k.key, hebron_, k.record.expires_at - 1).ok());
  auto late = keys_store_->Resolve(k.key, hebron_, k.record.expires_at);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::kForbidden);
  EXPECT_EQ(late.error().message_key, "open311.api_key_expired");

  auto partner = keys_store_->Issue(hebron_, "Water utility", Hasher(),
                                    notify::testing::Catalogue(), {}, kNow, {90, true});
  ASSERT_TRUE(partner.ok());
  auto resolved = keys_store_->Resolve(partner->key, hebron_, kNow);
  ASSERT_TRUE(resolved.ok());
  EXPECT_TRUE(resolved->notes_on_all);
  EXPECT_EQ(resolved->expires_at, kNow + 90LL * 86'400'000);

  const int64_t accounts = HebronStaff();
  for (int days : {0, -1, 731}) {
    auto bad = keys_store_->Issue(hebron_, "x", Hasher(), notify::testing::Catalogue(), {}, kNow,
                                  {days, false});
    ASSERT_FALSE(bad.ok()) << days;
    EXPECT_EQ(bad.error().message_key, "open311.key_days_invalid");
  }
  EXPECT_EQ(HebronStaff(), accounts) << "no integration account for a refused key";
  EXPECT_EQ(Count("SELECT count(*) FROM open311_keys"), 2);
}

TEST_P(Open311StoreTest, KeepsThePublicRecordInStepWithTheCase) {
  Submission details{9,
                     "31.5326",
                     "35.0998",
                     "شارع عين سارة",
                     "",
                     "<b>العمود</b> مطفأ",
                     "https://img.example/1.jpg"};
  Contact contact{"salma@example.org", "سلمى", "خليل", "+970599123456", "device-1", "acc-9"};
  auto c = File(light_, kNow, details, contact);
  ASSERT_TRUE(c.ok()) << c.error().detail;
  auto r = store_->Get(hebron_, c->tracking);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->tracking, c->tracking);
  EXPECT_EQ(r->state, "submitted");
  EXPECT_FALSE(r->closed);
  EXPECT_EQ(r->requested_at, kNow);
  EXPECT_EQ(r->updated_at, kNow);
  EXPECT_EQ(r->expected_at, c->due_at);
  EXPECT_EQ(r->lat, "31.5326");
  EXPECT_EQ(r->lng, "35.0998");
  EXPECT_EQ(r->address, "شارع عين سارة");
  EXPECT_EQ(r->description, "<b>العمود</b> مطفأ") << "stored as the text it is";
  EXPECT_EQ(r->media_url, "https://img.example/1.jpg");
  // Lower case and spaces name the same request; another municipality does not see it.
  std::string loose = c->tracking;
  for (char& ch : loose) ch = ch == '-' ? ' ' : static_cast<char>(std::tolower(ch));
  EXPECT_TRUE(store_->Get(hebron_, loose).ok());
  EXPECT_EQ(store_->Get(nablus_, c->tracking).error().code, ErrorCode::kNotFound);

  // The contact details are sealed, and open only for this request.
  auto raw = db().Query("SELECT contact FROM open311_requests WHERE case_id = ?", {c->id});
  ASSERT_TRUE(raw.ok());
  const std::string sealed = (*raw)[0].Bytes(0);
  EXPECT_EQ(sealed.find("salma"), std::string::npos);
  EXPECT_EQ(sealed.find("0599123456"), std::string::npos);
  auto opened = store_->ContactOf(hebron_, c->tracking);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->email, "salma@example.org");
  EXPECT_EQ(opened->last_name, "خليل");
  EXPECT_EQ(opened->phone, "+970599123456");

  // Each later state change moves the record and publishes an update.
  ASSERT_TRUE(Move(*c, "start_review", kNow + kMinute).ok());
  ASSERT_TRUE(Move(*c, "approve", kNow + 2 * kMinute).ok());
  auto done = Move(*c, "complete", kNow + 3 * kMinute);
  ASSERT_TRUE(done.ok()) << done.error().detail;
  r = store_->Get(hebron_, c->tracking);
  EXPECT_EQ(r->state, "completed");
  EXPECT_TRUE(r->closed);
  EXPECT_EQ(r->updated_at, kNow + 3 * kMinute);
  auto updates = store_->Updates(hebron_, kNow, kNow + 10 * kMinute, 0, 100);
  ASSERT_TRUE(updates.ok());
  ASSERT_EQ(updates->size(), 3u);
  EXPECT_EQ((*updates)[0].state, "in_review");
  EXPECT_EQ((*updates)[2].state, "completed");
  EXPECT_EQ((*updates)[2].kind, "transition");
  EXPECT_EQ((*updates)[2].tracking, c->tracking);
  EXPECT_EQ((*updates)[2].update_id.size(), 24u);
  EXPECT_NE((*updates)[0].update_id, (*updates)[1].update_id);
  EXPECT_EQ(store_->Updates(hebron_, kNow, kNow + 90 * 1000, 0, 100)->size(), 1u) << "by time";
  EXPECT_EQ(store_->Updates(nablus_, kNow, kNow + 10 * kMinute, 0, 100)->size(), 0u);
}

TEST_P(Open311StoreTest, OnlyReportsAreRecordedAndAFailedRecordFailsTheSubmission) {
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = 77;
  in.channel = "api";
  in.answers = {{"owner_national_id", {"123456782"}}};
  cases::Actor actor{77, "p", {"resident"}, "api", ""};
  // An application is no report: nothing is recorded for it (its answers are incomplete here,
  // so the case is refused before anything is written either way).
  auto refused = cases_->SubmitAnswers(in, actor, permit_, wf_, calendar_, "HEB", kNow);
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(Count("SELECT count(*) FROM open311_requests"), 0);

  // The record is part of the case's transaction: when it cannot be written, no case is.
  const int64_t cases_before = CasesFiled();
  cases::CaseStore::DirectSubmission bad;
  bad.applicant_id = 77;
  bad.channel = "api";
  bad.answers = {{"location", {"31.5,35.1"}}, {"description", {"x"}}, {"problem", {"flickering"}}};
  bad.in_tx = [](db::Tx&, const cases::StateChange&) {
    return Status(MakeError(ErrorCode::kUnavailable, "error.busy"));
  };
  EXPECT_FALSE(cases_->SubmitAnswers(bad, actor, light_, wf_, calendar_, "HEB", kNow).ok());
  EXPECT_EQ(CasesFiled(), cases_before);
  EXPECT_EQ(Count("SELECT count(*) FROM open311_requests"), 0);
}

TEST_P(Open311StoreTest, FindsByTimeServiceStatusAndIdsNewestFirst) {
  std::vector<cases::Case> filed;
  for (int i = 0; i < 6; ++i) {
    auto c = File(i % 2 ? waste_ : light_, kNow + i * kMinute, Submission{});
    ASSERT_TRUE(c.ok()) << c.error().detail;
    filed.push_back(*c);
  }
  ASSERT_TRUE(Move(filed[0], "start_review", kNow + 10 * kMinute).ok());
  ASSERT_TRUE(Move(filed[0], "reject", kNow + 11 * kMinute, "ليس من اختصاص البلدية").ok());

  const auto trackings = [](const std::vector<Request>& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(r.tracking);
    return out;
  };
  RequestFilter f;
  f.municipality_id = hebron_;
  f.from_ms = kNow;
  f.to_ms = kNow + 100 * kMinute;
  auto all = store_->Find(f);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(trackings(*all),
            (std::vector<std::string>{filed[5].tracking, filed[4].tracking, filed[3].tracking,
                                      filed[2].tracking, filed[1].tracking, filed[0].tracking}));
  f.limit = 2;
  f.offset = 2;
  EXPECT_EQ(trackings(*store_->Find(f)),
            (std::vector<std::string>{filed[3].tracking, filed[2].tracking}))
      << "paging";
  f.limit = 1000;
  f.offset = 0;
  f.service_ids = {waste_.id};
  EXPECT_EQ(store_->Find(f)->size(), 3u);
  f.service_ids = {};
  f.closed = true;
  EXPECT_EQ(trackings(*store_->Find(f)), std::vector<std::string>{filed[0].tracking});
  f.closed = false;
  EXPECT_EQ(store_->Find(f)->size(), 5u);
  f.closed.reset();
  f.from_ms = kNow + 2 * kMinute;
  f.to_ms = kNow + 3 * kMinute;
  EXPECT_EQ(trackings(*store_->Find(f)),
            (std::vector<std::string>{filed[3].tracking, filed[2].tracking}))
      << "both ends included";
  // Ids override every other filter.
  f.tracking = {filed[0].tracking, filed[5].tracking, "HEB-26-999999-0"};
  EXPECT_EQ(trackings(*store_->Find(f)),
            (std::vector<std::string>{filed[5].tracking, filed[0].tracking}));
  f.municipality_id = nablus_;
  EXPECT_TRUE(store_->Find(f)->empty());
}

TEST_P(Open311StoreTest, ReceivesAClientsUpdateOnceAndSealsIt) {
  auto c = File(light_, kNow, Submission{});
  ASSERT_TRUE(c.ok());
  auto r = store_->Get(hebron_, c->tracking);
  ReceivedUpdate u;
  u.key_id = 3;
  u.client_update_id = "fms-123";
  u.status = "OPEN";
  u.client_at = kNow + kMinute;
  u.description = "ما زال العمود مطفأً";
  u.contact.email = "reporter@example.org";
  auto first = store_->Receive(*r, u, kNow + kMinute);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_EQ(first->update_id.size(), 24u);
  EXPECT_FALSE(first->noted);
  ASSERT_TRUE(store_->MarkNoted(first->id).ok());
  auto again = store_->Receive(*r, u, kNow + 2 * kMinute);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->update_id, first->update_id) << "a retry gets the same receipt";
  EXPECT_TRUE(again->noted);
  EXPECT_EQ(Count("SELECT count(*) FROM open311_received_updates"), 1);
  auto sealed = db().Query("SELECT sealed FROM open311_received_updates");
  EXPECT_EQ((*sealed)[0].Bytes(0).find("reporter@"), std::string::npos);
  // The same client id for another request is refused.
  auto other = File(light_, kNow, Submission{});
  auto o = store_->Get(hebron_, other->tracking);
  auto reused = store_->Receive(*o, u, kNow);
  ASSERT_FALSE(reused.ok());
  EXPECT_EQ(reused.error().message_key, "open311.update_id_reused");
  // Another key may use the same client id.
  u.key_id = 4;
  EXPECT_TRUE(store_->Receive(*o, u, kNow).ok());
}

TEST_P(Open311StoreTest, TheDefaultQueryReadsTheTimeIndexInOrder) {
  // GET requests with default filters must not sort a municipality's 90 days of reports to
  // return the newest 1,000: SQLite walks the (municipality, requested_at, case_id) index
  // backwards and stops. (PostgreSQL's plan depends on its statistics; its results are checked
  // by the other tests.)
  if (!IsSqlite()) GTEST_SKIP() << "plan checked on SQLite";
  auto plan = db().Query(
      "EXPLAIN QUERY PLAN SELECT case_id FROM open311_requests WHERE municipality_id = ? AND "
      "requested_at >= ? AND requested_at <= ? ORDER BY requested_at DESC, case_id DESC LIMIT "
      "1000 OFFSET 0",
      {hebron_, kNow - 90 * 1440 * kMinute, kNow});
  ASSERT_TRUE(plan.ok()) << plan.error().detail;
  std::string text;
  for (const auto& r : *plan) text += r.Text(3) + "\n";
  EXPECT_NE(text.find("open311_requests_by_time"), std::string::npos) << text;
  EXPECT_EQ(text.find("TEMP B-TREE"), std::string::npos) << text;
}

TEST_P(Open311StoreTest, OneRequestsUpdatesComeOldestFirstAndOnlyInItsMunicipality) {
  auto first = File(light_, kNow, Submission{});
  auto second = File(light_, kNow + kMinute, Submission{});
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_TRUE(Move(*first, "start_review", kNow + 2 * kMinute).ok());
  ASSERT_TRUE(Move(*second, "start_review", kNow + 3 * kMinute).ok());
  ASSERT_TRUE(Move(*first, "reject", kNow + 4 * kMinute, "ليس من اختصاص البلدية").ok());
  auto reopened = cases_->Reopen(first->id, cases_->Get(first->id)->version, 30,
                                 {77, "p-open311", {"resident"}, "api", "req-reopen"}, wf_,
                                 calendar_, light_, kNow + 5 * kMinute);
  ASSERT_TRUE(reopened.ok()) << reopened.error().detail;

  auto history = store_->UpdatesOf(hebron_, first->id);
  ASSERT_TRUE(history.ok()) << history.error().detail;
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].state, "in_review");
  EXPECT_EQ((*history)[0].at, kNow + 2 * kMinute);
  EXPECT_EQ((*history)[1].state, "rejected");
  EXPECT_EQ((*history)[2].kind, "reopened");
  EXPECT_EQ((*history)[2].at, kNow + 5 * kMinute);
  for (const auto& u : *history) EXPECT_EQ(u.tracking, first->tracking);
  auto other = store_->UpdatesOf(hebron_, second->id);
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].at, kNow + 3 * kMinute);
  EXPECT_TRUE(store_->UpdatesOf(nablus_, first->id)->empty()) << "another municipality's case";
  EXPECT_TRUE(store_->UpdatesOf(hebron_, 999'999)->empty());
}

TEST_P(Open311StoreTest, ThePublicPagesReadByIndex) {
  // The public list (every time, filtered by service and status, a page at a time) walks the
  // time index backwards without sorting; one report's history reads the by-case index.
  if (!IsSqlite()) GTEST_SKIP() << "plans checked on SQLite";
  const auto plan = [&](const std::string& sql, db::Params params) {
    auto rows = db().Query("EXPLAIN QUERY PLAN " + sql, params);
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().detail);
    std::string text;
    if (rows.ok())
      for (const auto& r : *rows) text += r.Text(3) + "\n";
    return text;
  };
  const std::string list = plan(
      "SELECT case_id FROM open311_requests WHERE municipality_id = ? AND requested_at >= ? AND "
      "requested_at <= ? AND service_id IN (?) AND closed = ? ORDER BY requested_at DESC, case_id "
      "DESC LIMIT 51 OFFSET 50",
      {hebron_, int64_t{0}, std::numeric_limits<int64_t>::max(), light_.id, int64_t{0}});
  EXPECT_NE(list.find("open311_requests_by_time"), std::string::npos) << list;
  EXPECT_EQ(list.find("TEMP B-TREE"), std::string::npos) << list;
  const std::string history = plan(
      "SELECT update_id FROM open311_updates WHERE case_id = ? AND municipality_id = ? ORDER BY "
      "at, id",
      {int64_t{1}, hebron_});
  EXPECT_NE(history.find("open311_updates_by_case"), std::string::npos) << history;
  EXPECT_EQ(history.find("TEMP B-TREE"), std::string::npos) << history;
}

// ---- the duplicate check (nearby.cpp) ----------------------------------------------------------

// A point `north` and `east` metres from (lat, lng), on the sphere Nearby measures on.
std::string Offset(double lat, double lng, double north, double east) {
  constexpr double kRadius = 6'371'008.8;
  const double dlat = north / kRadius * 180 / M_PI;
  const double dlng = east / (kRadius * std::cos((lat + dlat) * M_PI / 180)) * 180 / M_PI;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.7f,%.7f", lat + dlat, lng + dlng);
  return buf;
}

// A report filed on the web (no Open311 details): what the hook publishes comes from the answers.
Result<cases::Case> FileOnWeb(cases::CaseStore& store, const catalog::Service& s,
                              const workflow::Workflow& wf, const std::string& location, int64_t at,
                              const std::string& prefix = "HEB") {
  cases::CaseStore::DirectSubmission in;
  in.applicant_id = 41;
  in.channel = "web";
  in.answers = {{"location", {location}}, {"description", {"عمود مطفأ قرب المدرسة"}}};
  if (s.code == "street-light-report") in.answers["problem"] = {"not_working"};
  if (s.code == "waste-collection-report") {
    in.answers["issues"] = {"not_collected"};
    in.answers["days_uncollected"] = {"3"};
  }
  cases::Actor actor{41, "p-resident", {"resident"}, "web", "req-web"};
  return store.SubmitAnswers(in, actor, s, wf, workflow::Calendar{}, prefix, at);
}

TEST_P(Open311StoreTest, EveryChannelPublishesTheLocationAndDescriptionOfItsAnswers) {
  auto at_point = FileOnWeb(*cases_, light_, wf_, "31.5326,35.0998", kNow);
  ASSERT_TRUE(at_point.ok()) << at_point.error().detail;
  auto r = store_->Get(hebron_, at_point->tracking);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lat, "31.5326");
  EXPECT_EQ(r->lng, "35.0998");
  EXPECT_EQ(r->address, "");
  EXPECT_EQ(r->description, "عمود مطفأ قرب المدرسة");
  EXPECT_EQ(Count("SELECT count(*) FROM open311_requests WHERE lat_e6 = 31532600 AND lng_e6 = "
                  "35099800"),
            1);
  // A landmark instead of coordinates is published as the address, with no coordinates.
  auto landmark = FileOnWeb(*cases_, light_, wf_, "قرب مسجد الحسين، شارع عين سارة", kNow + 1);
  ASSERT_TRUE(landmark.ok()) << landmark.error().detail;
  r = store_->Get(hebron_, landmark->tracking);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->lat, "");
  EXPECT_EQ(r->address, "قرب مسجد الحسين، شارع عين سارة");
  EXPECT_EQ(Count("SELECT count(*) FROM open311_requests WHERE lat_e6 IS NULL"), 1);
  // Open311's own details replace them, coordinates included.
  Submission details{9, "31.6", "35.2", "", "", "من العميل", ""};
  auto sent = File(light_, kNow + 2, details);
  ASSERT_TRUE(sent.ok());
  r = store_->Get(hebron_, sent->tracking);
  EXPECT_EQ(r->lat, "31.6");
  EXPECT_EQ(r->description, "من العميل");
  EXPECT_EQ(Count("SELECT count(*) FROM open311_requests WHERE lat_e6 = 31600000 AND lng_e6 = "
                  "35200000"),
            1);
  // Only a submission carries answers: a transition leaves what was published.
  ASSERT_TRUE(Move(*at_point, "start_review", kNow + kMinute).ok());
  EXPECT_EQ(store_->Get(hebron_, at_point->tracking)->description, "عمود مطفأ قرب المدرسة");
}

TEST_P(Open311StoreTest, NearbyFindsOpenReportsOfTheServiceWithin50Metres) {
  struct Place {
    double lat, lng;
  };
  // Near the equator, in Hebron, and at 60°N, where a degree of longitude is half as long: the
  // box must widen with latitude or the points east of the centre would be missed.
  for (Place p : {Place{0.0001, 20.0}, Place{31.5326, 35.0998}, Place{60.17, 24.94}}) {
    SCOPED_TRACE(p.lat);
    auto file = [&](const catalog::Service& s, double north, double east) {
      auto c = FileOnWeb(*cases_, s, wf_, Offset(p.lat, p.lng, north, east), kNow);
      EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().detail);
      return c.ok() ? *c : cases::Case{};
    };
    const cases::Case north45 = file(light_, 45, 0);
    const cases::Case east49 = file(light_, 0, 49);
    const cases::Case southwest30 = file(light_, -21, -21);
    file(light_, 51, 0);   // too far
    file(light_, 0, -51);  // too far
    file(waste_, 10, 0);   // another service
    const cases::Case closed = file(light_, 5, 5);
    ASSERT_TRUE(Move(closed, "start_review", kNow + kMinute).ok());
    ASSERT_TRUE(Move(closed, "reject", kNow + 2 * kMinute, "مكرر").ok());
    auto near = store_->Nearby(hebron_, light_.id, p.lat, p.lng, 50, 10);
    ASSERT_TRUE(near.ok()) << near.error().detail;
    std::vector<std::string> found;
    for (const auto& n : *near) found.push_back(n.request.tracking);
    EXPECT_EQ(found,
              (std::vector<std::string>{southwest30.tracking, north45.tracking, east49.tracking}))
        << "nearest first; closed, other service and beyond 50 m left out";
    ASSERT_EQ(near->size(), 3u);
    EXPECT_NEAR((*near)[0].distance_m, 29.7, 0.5);
    EXPECT_NEAR((*near)[1].distance_m, 45, 0.5);
    EXPECT_NEAR((*near)[2].distance_m, 49, 0.5);
    // The limit, and a case left out (a staff member merging it looks for the others).
    EXPECT_EQ(store_->Nearby(hebron_, light_.id, p.lat, p.lng, 50, 1)->size(), 1u);
    auto others = store_->Nearby(hebron_, light_.id, p.lat, p.lng, 50, 10, southwest30.id);
    ASSERT_EQ(others->size(), 2u);
    EXPECT_EQ(others->front().request.tracking, north45.tracking);
    // Another municipality's report at the very same point is not Hebron's neighbour.
    auto nablus = FileOnWeb(*cases_, light_nablus_, wf_, Offset(p.lat, p.lng, 0, 0), kNow, "NAB");
    ASSERT_TRUE(nablus.ok()) << nablus.error().detail;
    EXPECT_EQ(store_->Nearby(hebron_, light_.id, p.lat, p.lng, 50, 10)->size(), 3u);
    auto theirs = store_->Nearby(nablus_, light_nablus_.id, p.lat, p.lng, 50, 10);
    ASSERT_EQ(theirs->size(), 1u);
    EXPECT_EQ(theirs->front().request.tracking, nablus->tracking);
    EXPECT_EQ(store_->Nearby(nablus_, light_.id, p.lat, p.lng, 50, 10)->size(), 0u);
    // Closed, they make room for the next place's.
    ASSERT_TRUE(db().Write([&](db::Tx& tx) -> Status {
                      auto n = tx.Exec("UPDATE open311_requests SET closed = 1", {});
                      if (!n.ok()) return std::move(n).error();
                      return Ok();
                    })
                    .ok());
  }
}

TEST_P(Open311StoreTest, NearbyRefusesNonsense) {
  EXPECT_FALSE(store_->Nearby(hebron_, light_.id, 91, 0, 50, 10).ok());
  EXPECT_FALSE(store_->Nearby(hebron_, light_.id, 0, 181, 50, 10).ok());
  EXPECT_FALSE(store_->Nearby(hebron_, light_.id, 0, 0, 0, 10).ok());
  EXPECT_FALSE(store_->Nearby(hebron_, light_.id, 0, 0, 5000, 10).ok());
  EXPECT_FALSE(store_->Nearby(hebron_, light_.id, 0, 0, 50, 0).ok());
  EXPECT_TRUE(store_->Nearby(hebron_, light_.id, 89.9999, 179.9999, 50, 10).ok()) << "near a pole";
}

TEST_P(Open311StoreTest, NearbyReadsItsIndex) {
  // The box of the duplicate check must be found through open311_requests_nearby (municipality,
  // service, open, latitude), not by reading every report of the municipality.
  if (!IsSqlite()) GTEST_SKIP() << "plan checked on SQLite";
  auto plan = db().Query(
      "EXPLAIN QUERY PLAN SELECT case_id FROM open311_requests WHERE municipality_id = ? AND "
      "service_id = ? AND closed = 0 AND lat_e6 >= ? AND lat_e6 <= ? AND lng_e6 >= ? AND lng_e6 "
      "<= ? AND case_id <> ? LIMIT ?",
      {hebron_, light_.id, int64_t{31532000}, int64_t{31533000}, int64_t{35099000},
       int64_t{35100000}, int64_t{0}, int64_t{500}});
  ASSERT_TRUE(plan.ok()) << plan.error().detail;
  std::string text;
  for (const auto& r : *plan) text += r.Text(3) + "\n";
  EXPECT_NE(text.find("open311_requests_nearby"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_e6>? AND lat_e6<?"), std::string::npos) << text;
}

TEST(Open311PlacesTest, ParsesCoordinatesAndMeasuresDistances) {
  double lat = 0, lng = 0;
  EXPECT_TRUE(ParseCoordinates("31.5326,35.0998", lat, lng));
  EXPECT_DOUBLE_EQ(lat, 31.5326);
  EXPECT_DOUBLE_EQ(lng, 35.0998);
  EXPECT_TRUE(ParseCoordinates("-33.9,+18.4", lat, lng));
  EXPECT_DOUBLE_EQ(lat, -33.9);
  for (std::string_view bad :
       {"", "31.5", "91,0", "0,181", "a,b", "1,2,3", "شارع، 5", "nan,0", "1e2,0", "0,inf"}) {
    EXPECT_FALSE(ParseCoordinates(bad, lat, lng)) << bad;
  }
  EXPECT_EQ(MicroDegrees(31.5326), 31532600);
  EXPECT_EQ(MicroDegrees(-33.9), -33900000);
  EXPECT_EQ(MicroDegrees(35.09999996), 35100000) << "rounded to the nearest";
  // One degree of latitude is about 111.2 km; of longitude at 60°, half that.
  EXPECT_NEAR(DistanceMetres(0, 0, 1, 0), 111'195, 1);
  EXPECT_NEAR(DistanceMetres(60, 0, 60, 1), 55'597, 30);
  EXPECT_DOUBLE_EQ(DistanceMetres(31.5, 35.1, 31.5, 35.1), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, Open311StoreTest, ::testing::Values("sqlite", "postgresql"),
                         db::testing::EngineName);

}  // namespace
}  // namespace baladiya::open311
