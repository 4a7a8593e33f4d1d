// Not a test: what the KPI ledger costs, on SQLite. Files cases through the case store's public
// functions (submission, then two or three workflow steps each), first without the ledger, then
// with a folder thread catching up every second as the worker does (filing throughput ratio);
// fills the database to BENCH_KPI_CASES cases, BENCH_KPI_BATCH of them per transaction through
// the case store's public functions (SubmitAnswers and TransitionInTx inside one transaction, as
// a bulk import files them: the same rows, events and audit entries, far fewer commits); then
// times a catch-up of everything and a rebuild. Leaves the database at the path given (argv[1])
// for bench-kpi.sh to serve.
// Env: BENCH_KPI_CASES (default 200,000), BENCH_KPI_SAMPLE (cases filed in the throughput rounds,
// one transaction each, half with the ledger folding; 30,000), BENCH_KPI_BATCH (cases per
// transaction while filling up; 2,000).
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "analytics/analytics.h"
#include "audit/audit.h"
#include "catalog/catalog.h"
#include "notify/notify.h"
#include "platform/crypto/crypto.h"

using namespace baladiya;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int64_t Env(const char* name, int64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoll(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "build/kpi-bench.db";
  const int64_t total = Env("BENCH_KPI_CASES", 200'000);
  const int64_t sample = Env("BENCH_KPI_SAMPLE", 30'000);
  const int64_t batch = std::max<int64_t>(1, Env("BENCH_KPI_BATCH", 2'000));
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  db::DatabaseOptions opts;
  opts.url = path;
  auto opened = db::Open(opts);
  if (!opened.ok()) return fmt::print(stderr, "{}\n", opened.error().detail), 1;
  db::Database& db = **opened;
  const std::vector<db::Migration> all =
      db::MigrationsOf({catalog::Migrations, audit::Migrations, notify::Migrations,
                        cases::Migrations, analytics::Migrations});
  if (!db::Migrate(db, all).ok() || !catalog::SeedDemo(db, 1'767'225'600'000).ok()) return 1;
  crypto::Key32 master{};
  std::string raw = crypto::RandomBytes(32);
  std::memcpy(master.data(), raw.data(), 32);
  audit::AuditLog audit(db, audit::Keyring(master));
  cases::Dependencies deps;
  deps.db = &db;
  deps.master = &master;
  deps.audit = &audit;  // no outbox: notifications are not what is measured
  cases::CaseStore store(deps);
  catalog::ServiceStore services(db);
  catalog::TenancyStore tenancy(db);
  i18n::Catalog messages;
  analytics::Ledger ledger(db, analytics::CatalogSources(store, services, messages));

  std::vector<catalog::Service> reports;
  std::vector<int64_t> municipalities;
  for (const char* slug : {"hebron", "nablus", "ramallah"}) {
    auto m = tenancy.FindMunicipality(slug);
    if (!m.ok()) continue;
    municipalities.push_back(m->id);
    for (const char* code : {"street-light-report", "water-leak-report"}) {
      auto s = services.Find(m->id, code);
      if (s.ok()) reports.push_back(*s);
    }
  }
  const workflow::Workflow wf = workflow::DefaultWorkflow(messages);
  const workflow::Calendar calendar;
  std::mt19937 rng(7);
  // The cases spread over the year before now, so that the pages' twelve months hold them all.
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t year_ms = 365LL * 86'400'000;
  const int64_t start_ms = now_ms - year_ms;
  const int64_t spacing_ms = std::max<int64_t>(1, year_ms / std::max<int64_t>(total, 1));
  int64_t filed = 0;
  const char* channels[] = {"web", "web", "api", "counter", "phone"};
  const char* actions[] = {"start_review", "approve", "complete"};
  const cases::Actor head{999, "h", {"department-head"}, "web", "b"};
  auto submission = [&](const catalog::Service*& s) {
    s = &reports[rng() % reports.size()];
    cases::CaseStore::DirectSubmission in;
    in.applicant_id = 1'000'000 + static_cast<int64_t>(rng() % 50'000);
    in.channel = channels[rng() % 5];
    in.filed_by = in.channel == "counter" || in.channel == "phone" ? 1 : 0;
    in.answers = {{"location", {"31.53,35.09"}}, {"problem", {"not_working"}},
                  {"leak_place", {"street"}},    {"severity", {"drip"}},
                  {"supply_cut", {"no"}},        {"description", {"bench"}}};
    return in;
  };
  // One transaction per case and per step, as residents and staff file and work them.
  auto file = [&](int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      const catalog::Service* s = nullptr;
      const cases::CaseStore::DirectSubmission in = submission(s);
      const int64_t at = start_ms + filed * spacing_ms;
      cases::Actor a{in.applicant_id, "r", {"resident"}, in.channel, "b"};
      auto c = store.SubmitAnswers(in, a, *s, wf, calendar, "BEN", at);
      if (!c.ok()) {
        fmt::print(stderr, "filing failed: {}\n", c.error().detail);
        std::exit(1);
      }
      ++filed;
      cases::Case cur = *c;
      const int steps = static_cast<int>(rng() % 4);  // 0: still open
      for (int k = 0; k < steps && k < 3; ++k) {
        auto next = store.Transition(cur.id, cur.version, actions[k], "", head, wf, calendar, *s,
                                     at + (k + 1) * 86'400'000LL);
        if (!next.ok()) break;
        cur = *next;
      }
    }
  };
  // `batch` cases per transaction, each with its steps (a bulk import).
  auto file_in_bulk = [&](int64_t n) {
    for (int64_t done = 0; done < n;) {
      const int64_t now_batch = std::min(batch, n - done);
      Status st = db.Write([&](db::Tx& tx) -> Status {
        for (int64_t i = 0; i < now_batch; ++i) {
          const catalog::Service* s = nullptr;
          const cases::CaseStore::DirectSubmission in = submission(s);
          const int64_t at = start_ms + (filed + i) * spacing_ms;
          cases::Actor a{in.applicant_id, "r", {"resident"}, in.channel, "b"};
          auto c = store.SubmitAnswers(tx, in, a, *s, wf, calendar, "BEN", at);
          if (!c.ok()) return std::move(c).error();
          const int steps = static_cast<int>(rng() % 4);
          for (int k = 0; k < steps && k < 3; ++k) {
            bool queued = false;
            if (Status t = store.TransitionInTx(tx, c->id, actions[k], head, wf, calendar, *s,
                                                at + (k + 1) * 86'400'000LL, queued);
                !t.ok()) {
              return t;
            }
          }
        }
        return Ok();
      });
      if (!st.ok()) {
        fmt::print(stderr, "filing failed: {}\n", st.error().detail);
        std::exit(1);
      }
      filed += now_batch;
      done += now_batch;
    }
  };
  // Throughput without folding and with a folder thread as the worker runs it, in alternating
  // rounds (the database grows as it goes, and the machine is shared: alternating spreads both).
  std::atomic<bool> folding_on{false};
  std::atomic<bool> stop{false};
  std::thread folder([&] {
    while (!stop.load()) {
      if (folding_on.load()) (void)ledger.CatchUp(now_ms);
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  });
  double plain_s = 0, folding_s = 0;
  constexpr int kRounds = 6;
  for (int r = 0; r < kRounds; ++r) {
    folding_on = r % 2 == 1;
    auto t0 = std::chrono::steady_clock::now();
    file(sample / kRounds);
    (r % 2 == 1 ? folding_s : plain_s) += Seconds(t0);
  }
  stop = true;
  folder.join();
  const double plain = static_cast<double>(sample / kRounds * kRounds / 2) / plain_s;
  const double folding = static_cast<double>(sample / kRounds * kRounds / 2) / folding_s;
  // Fill up, then fold the backlog and rebuild.
  auto t0 = std::chrono::steady_clock::now();
  const int64_t rest = std::max<int64_t>(0, total - filed);
  file_in_bulk(rest);
  const double fill_s = Seconds(t0);
  const int64_t now = now_ms;
  t0 = std::chrono::steady_clock::now();
  int64_t folded = 0;
  for (;;) {
    auto n = ledger.CatchUp(now, 5000, 1000);
    if (!n.ok()) return fmt::print(stderr, "{}\n", n.error().detail), 1;
    folded += *n;
    if (*n == 0) break;
  }
  const double catch_up_s = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  auto rebuilt = ledger.Rebuild(now);
  if (!rebuilt.ok()) return fmt::print(stderr, "{}\n", rebuilt.error().detail), 1;
  const double rebuild_s = Seconds(t0);
  fmt::print("| cases filed (report services, 0 to 3 workflow steps each) | {} |\n", filed);
  fmt::print("| filing, cases/s without the ledger | {:.0f} |\n", plain);
  fmt::print(
      "| filing, cases/s while the ledger folds every second (alternating rounds) | {:.0f} "
      "({:+.1f}%) |\n",
      folding, (folding / plain - 1) * 100);
  fmt::print("| filling the rest: {} cases, {} per transaction | {:.1f} s ({:.0f} cases/s) |\n",
             rest, batch, fill_s, static_cast<double>(rest) / fill_s);
  fmt::print("| catch-up of the whole feed ({} entries) | {:.1f} s ({:.0f} entries/s) |\n", folded,
             catch_up_s, static_cast<double>(folded) / catch_up_s);
  fmt::print("| kpi rebuild ({} entries) | {:.1f} s |\n", *rebuilt, rebuild_s);
  return 0;
}
