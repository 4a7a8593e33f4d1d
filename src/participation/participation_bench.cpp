// Not a test: what a ballot costs, on SQLite. Casts BENCH_VOTE_SAMPLE ballots through
// Store::Cast (verified voter, phase, rules, the UNIQUE register, the choices apart, the audit
// entry: one transaction each) against raw inserts of the same rows (one transaction each, no
// checks, no audit); then fills a participatory budget to BENCH_VOTE_BALLOTS ballots (raw, in
// batches) and times its tally (the results a publication stores). In process, not over HTTP.
// Env: BENCH_VOTE_SAMPLE (2,000), BENCH_VOTE_BALLOTS (100,000).
#include <fmt/core.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

#include "audit/audit.h"
#include "identity/credentials.h"
#include "identity/identity.h"
#include "participation/participation.h"
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

std::string NationalId(int body) {
  std::string id = std::to_string(body);
  id = std::string(8 - id.size(), '0') + id;
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    int d = (id[i] - '0') * (i % 2 == 0 ? 1 : 2);
    sum += d / 10 + d % 10;
  }
  return id + static_cast<char>('0' + (10 - sum % 10) % 10);
}

constexpr int64_t kNow = 1'773'565'200'000;
constexpr int64_t kDay = 86'400'000;

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "build/participation-bench.db";
  const int64_t sample = Env("BENCH_VOTE_SAMPLE", 2'000);
  const int64_t ballots = Env("BENCH_VOTE_BALLOTS", 100'000);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  db::DatabaseOptions opts;
  opts.url = path;
  auto opened = db::Open(opts);
  if (!opened.ok()) return fmt::print(stderr, "{}\n", opened.error().detail), 1;
  db::Database& db = **opened;
  if (!db::Migrate(db, db::MigrationsOf(
                           {audit::Migrations, identity::Migrations, participation::Migrations}))
           .ok()) {
    return 1;
  }
  crypto::KeyFile keys;
  for (crypto::Key32* k : {&keys.master, &keys.blind_index, &keys.signing_seed}) {
    std::string raw = crypto::RandomBytes(32);
    std::memcpy(k->data(), raw.data(), 32);
  }
  audit::AuditLog audit(db, audit::Keyring(keys.signing_seed));
  identity::AccountStore accounts(db, keys, &audit);
  identity::PasswordHasher hasher(identity::HashParams{8192, 1}, 2, 256);
  participation::Store store(db, accounts, &audit);

  participation::ProcessInput in;
  in.title_ar = in.title_en = in.summary_ar = in.summary_en = "bench";
  in.threshold = 100;
  in.answer_days = 30;
  in.phases = {{participation::Phase::kVoting, kNow - kDay, kNow + 30 * kDay}};
  auto process = store.CreateProcess(1, in, {}, kNow);
  participation::VoteInput v;
  v.title_ar = v.title_en = "bench";
  v.budget = 100'000'00;
  for (int i = 0; i < 12; ++i) {
    v.options.push_back({0, 0, "مشروع " + std::to_string(i), "Project " + std::to_string(i),
                         (10 + i * 5) * 1'000'00LL});
  }
  auto vote = store.CreateVote(*process, v, {}, kNow);
  if (!process.ok() || !vote.ok()) return fmt::print(stderr, "setup failed\n"), 1;

  std::vector<int64_t> voters;
  for (int64_t i = 0; i < sample; ++i) {
    identity::ResidentRegistration r;
    r.national_id = NationalId(30'000'000 + static_cast<int>(i));
    r.full_name_ar = "مواطن";
    r.phone = fmt::format("0598{:06d}", i);
    r.password = "olive-harvest-season";
    auto id = accounts.RegisterResident(r, hasher, {"bench", "bench", 1}, kNow);
    if (!id.ok() || !accounts.MarkVerified(*id, "counter", {"bench", "bench", 1}, kNow).ok()) {
      return fmt::print(stderr, "registration failed\n"), 1;
    }
    voters.push_back(*id);
  }

  auto started = std::chrono::steady_clock::now();
  for (int64_t id : voters) {
    if (!store.Cast(*process, *vote, id, participation::Channel::kWeb, {1, 4}, {id, "b", "r"}, kNow)
             .ok()) {
      return fmt::print(stderr, "cast failed\n"), 1;
    }
  }
  const double cast_s = Seconds(started);
  // The same rows, raw: the register's row and two choices, one transaction each.
  started = std::chrono::steady_clock::now();
  for (int64_t i = 0; i < sample; ++i) {
    Status s = db.Write([&](db::Tx& tx) -> Status {
      auto a = tx.Exec(
          "INSERT INTO participation_ballots (vote_id, account_id, channel, recorded_by, cast_at) "
          "VALUES (?, ?, 'web', 'b', ?)",
          {vote->id, 10'000'000 + i, kNow});
      if (!a.ok()) return std::move(a).error();
      const std::string ballot = crypto::RandomToken(16);
      for (int64_t option : {vote->options[0].id, vote->options[3].id}) {
        auto c = tx.Exec(
            "INSERT INTO participation_choices (vote_id, ballot, option_id) VALUES (?, ?, ?)",
            {vote->id, ballot, option});
        if (!c.ok()) return std::move(c).error();
      }
      return Ok();
    });
    if (!s.ok()) return fmt::print(stderr, "raw insert failed\n"), 1;
  }
  const double raw_s = Seconds(started);

  // Fill to `ballots`, in batches, with choices that fit the budget.
  std::mt19937 rng(7);
  int64_t filled = 2 * sample;
  while (filled < ballots) {
    const int64_t batch = std::min<int64_t>(1000, ballots - filled);
    Status s = db.Write([&](db::Tx& tx) -> Status {
      for (int64_t i = 0; i < batch; ++i) {
        auto a = tx.Exec(
            "INSERT INTO participation_ballots (vote_id, account_id, channel, recorded_by, "
            "cast_at) VALUES (?, ?, 'sms', 'b', ?)",
            {vote->id, 20'000'000 + filled + i, kNow});
        if (!a.ok()) return std::move(a).error();
        const std::string ballot = crypto::RandomToken(16);
        int64_t left = v.budget;
        for (int k = 0; k < 3; ++k) {
          const auto& o = vote->options[rng() % vote->options.size()];
          if (o.cost > left) continue;
          left -= o.cost;
          auto c = tx.Exec(
              "INSERT INTO participation_choices (vote_id, ballot, option_id) VALUES (?, ?, ?)",
              {vote->id, ballot, o.id});
          if (!c.ok()) return std::move(c).error();
        }
      }
      return Ok();
    });
    if (!s.ok()) return fmt::print(stderr, "fill failed\n"), 1;
    filled += batch;
  }
  started = std::chrono::steady_clock::now();
  auto tally = store.Tally(*vote);
  const double tally_s = Seconds(started);
  if (!tally.ok()) return fmt::print(stderr, "tally failed\n"), 1;
  auto turnout = store.TurnoutOf(vote->id);

  fmt::print("## participation_bench (SQLite, in process)\n\n");
  fmt::print("| figure | value |\n|---|---|\n");
  fmt::print(
      "| ballots through Store::Cast (checks, UNIQUE register, choices, audit), one "
      "transaction each | {:.0f}/s |\n",
      sample / cast_s);
  fmt::print("| the same rows as raw inserts, one transaction each | {:.0f}/s |\n", sample / raw_s);
  fmt::print("| ratio cast / raw | {:.2f} |\n", raw_s / cast_s);
  fmt::print("| tally of a participatory budget, {} ballots, 12 projects | {:.1f} ms |\n",
             turnout.ok() ? turnout->total() : 0, tally_s * 1000);
  return 0;
}
