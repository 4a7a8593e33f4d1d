// Not a test: measures, in one run on a fresh SQLite database (synchronous=normal, as served),
//   1. submissions through CaseStore::SubmitAnswers (validation, tracking number, sealed insert,
//      event, audit entry, two outbox notifications: one transaction each), per second;
//   1b. the same from BENCH_THREADS (4) threads at once, sharing commits (group commit);
//   2. raw single-row inserts of the same rows into a table of the same shape, one transaction
//      each, per second, and the ratio of 1 to 2;
//   3. the department queue query (first page, default filter) with 100,000 cases stored: p50,
//      p99 over 2,000 calls (the cases of 1 and 1b count towards queue_cases).
// Usage: cases_bench [submissions (default 20000)] [queue_cases (default 100000)]
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "audit/audit.h"
#include "cases/cases.h"
#include "catalog/catalog.h"
#include "platform/crypto/crypto.h"
#include "platform/i18n/source_catalog.h"

using namespace baladiya;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void Die(const std::string& what) {
  fmt::print(stderr, "cases_bench: {}\n", what);
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) Die(std::string(what) + ": " + r.error().message_key + " " + r.error().detail);
  return std::move(r).value();
}

}  // namespace

int main(int argc, char** argv) {
  const int submissions = argc > 1 ? std::atoi(argv[1]) : 20000;
  const int queue_cases = argc > 2 ? std::atoi(argv[2]) : 100000;
  const char* src = std::getenv("BALADIYA_SOURCE_DIR");
  const std::string root = src ? src : ".";
  (void)crypto::InitCrypto();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("baladiya-cases-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  db::DatabaseOptions o;
  o.url = (dir / "bench.db").string();
  auto db = Must(db::Open(o), "open");
  const std::vector<db::Migration> all = db::MigrationsOf(
      {catalog::Migrations, audit::Migrations, notify::Migrations, cases::Migrations});
  Must(db::Migrate(*db, all), "migrate");
  const int64_t now = 1'767'225'600'000;
  Must(catalog::SeedDemo(*db, now), "seed");
  crypto::Key32 master{};
  std::string raw = crypto::RandomBytes(32);
  std::memcpy(master.data(), raw.data(), 32);
  audit::AuditLog log(*db, audit::Keyring(master));
  auto messages = Must(i18n::LoadSourceCatalog(root), "catalogue (set BALADIYA_SOURCE_DIR)");
  notify::CatalogTemplates templates(messages);
  notify::Outbox outbox(*db, master, templates);
  cases::Dependencies deps;
  deps.db = db.get();
  deps.master = &master;
  // BENCH_WITHOUT=audit or =outbox leaves one part out, to see what each costs.
  const std::string without = std::getenv("BENCH_WITHOUT") ? std::getenv("BENCH_WITHOUT") : "";
  deps.audit = without == "audit" ? nullptr : &log;
  deps.outbox = without == "outbox" ? nullptr : &outbox;
  deps.reachable = [](int64_t) {
    return std::vector<notify::Channel>{notify::Channel::kInApp, notify::Channel::kSms};
  };
  cases::CaseStore store(deps);
  catalog::TenancyStore tenancy(*db, std::chrono::milliseconds(0));
  auto hebron = Must(tenancy.FindMunicipality("hebron"), "hebron");
  catalog::ServiceStore services(*db);
  auto service = Must(services.Find(hebron.id, "clearance-certificate"), "service");
  const workflow::Workflow wf = workflow::DefaultWorkflow(messages);
  workflow::Calendar calendar;
  cases::Actor actor{1, "bench-actor", {"resident"}, "api", "bench"};

  auto submit = [&](int i) {
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 1000 + i;
    in.channel = "api";
    in.answers = {{"purpose", {"bank"}},
                  {"delivery", {"counter"}},
                  {"addressed_to", {"بنك فلسطين — فرع الخليل"}}};
    Must(store.SubmitAnswers(in, actor, service, wf, calendar, "HEB", now + i), "submit");
  };

  // 1. Submissions.
  auto t0 = Clock::now();
  for (int i = 0; i < submissions; ++i) submit(i);
  const double submit_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double submit_rate = submissions / submit_s;

  // 1b. The same from several threads at once, as the server's request threads submit: writes
  // that wait for the writer share its commit (group commit).
  const int threads = std::getenv("BENCH_THREADS") ? std::atoi(std::getenv("BENCH_THREADS")) : 4;
  const db::DatabaseStats before = db->Stats();
  t0 = Clock::now();
  {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (int i = t; i < submissions; i += threads) submit(submissions + i);
      });
    }
    for (auto& th : pool) th.join();
  }
  const double parallel_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double parallel_rate = submissions / parallel_s;
  const db::DatabaseStats after = db->Stats();
  const double per_commit =
      static_cast<double>(after.transactions - before.transactions) /
      static_cast<double>(std::max<uint64_t>(1, after.commits - before.commits));

  // 2. Raw inserts of the same rows (sealed answers included), one transaction each.
  Status created = db->Write([&](db::Tx& tx) -> Status {
    return tx.ExecScript(
        "CREATE TABLE raw_cases AS SELECT * FROM cases WHERE 0; "
        "CREATE UNIQUE INDEX raw_cases_tracking ON raw_cases (tracking)");
  });
  if (!created.ok()) Die("raw table: " + created.error().detail);
  auto sample = Must(db->Query("SELECT answers FROM cases LIMIT 1"), "sample");
  const std::string sealed = sample[0].Bytes(0);
  t0 = Clock::now();
  for (int i = 0; i < submissions; ++i) {
    Status s = db->Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec(
          "INSERT INTO raw_cases (id, tracking, municipality_id, service_id, department_id, "
          "applicant_id, applicant_lang, channel, filed_by, state, version, answers, fee_minor, "
          "currency, submitted_at, state_entered_at, due_at, updated_at) VALUES (?, ?, ?, ?, ?, "
          "?, 'ar', 'api', 0, 'submitted', 1, ?, 2000, 'ILS', ?, ?, ?, ?)",
          {int64_t{i + 1}, "RAW-" + std::to_string(i), hebron.id, service.id, service.department_id,
           int64_t{1000 + i}, db::Blob{sealed}, now, now, now, now});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
    if (!s.ok()) Die("raw insert: " + s.error().detail);
  }
  const double raw_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const double raw_rate = submissions / raw_s;

  // 3. The queue with queue_cases cases stored.
  for (int i = 2 * submissions; i < queue_cases; ++i) submit(i);
  cases::QueueFilter f;
  f.municipality_id = hebron.id;
  f.departments = {service.department_id};
  std::vector<double> ms;
  for (int i = 0; i < 2000; ++i) {
    auto q0 = Clock::now();
    auto page = Must(store.Queue(f, now), "queue");
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - q0).count());
    if (page.cases.size() != 25) Die("queue page is not full");
  }
  std::sort(ms.begin(), ms.end());
  fmt::print(
      "submissions (validate, insert, event, audit, 2 notifications): {} in {:.2f} s = {:.0f}/s\n",
      submissions, submit_s, submit_rate);
  fmt::print(
      "the same from {} threads (group commit, {:.1f} per commit):    {} in {:.2f} s = {:.0f}/s\n",
      threads, per_commit, submissions, parallel_s, parallel_rate);
  fmt::print(
      "raw single-row inserts of the same rows:                       {} in {:.2f} s = {:.0f}/s\n",
      submissions, raw_s, raw_rate);
  fmt::print("ratio submissions / raw inserts: {:.2f} (one thread), {:.2f} ({} threads)\n",
             submit_rate / raw_rate, parallel_rate / raw_rate, threads);
  fmt::print("queue query (first page of 25, {} cases): p50 {:.2f} ms, p99 {:.2f} ms\n",
             std::max(queue_cases, submissions), ms[ms.size() / 2], ms[ms.size() * 99 / 100]);
  db->Close();
  std::filesystem::remove_all(dir);
  return 0;
}
