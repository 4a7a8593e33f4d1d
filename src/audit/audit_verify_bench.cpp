// audit_verify_bench [entries=1000000] [sqlite file]: builds a SQLite audit log of N entries
// (transactions of 10,000 appends, a checkpoint after each), then times Verify and prints
// entries per second. Not a test: run it by hand. Without a file argument the log is built in a
// fresh temporary folder, which is removed afterwards.
#include <fmt/core.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "audit/audit.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace baladiya;
  int64_t entries = argc > 1 ? std::stoll(argv[1]) : 1000000;
  std::string folder;
  std::string path;
  if (argc > 2) {
    path = argv[2];
  } else {
    std::string tmpl = (std::filesystem::temp_directory_path() / "audit-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::perror("mkdtemp");
      return 1;
    }
    folder = tmpl;
    path = folder + "/audit.db";
  }
  if (!crypto::InitCrypto().ok()) return 1;
  db::DatabaseOptions options;
  options.url = "sqlite:" + path;
  auto opened = db::Open(options);
  if (!opened) {
    fmt::print(stderr, "{}\n", opened.error().detail);
    return 1;
  }
  db::Database& db = **opened;
  if (auto m = db::Migrate(db, audit::Migrations()); !m) {
    fmt::print(stderr, "migrate: {}\n", m.error().detail);
    return 1;
  }
  crypto::Key32 seed{};
  seed[0] = 42;
  audit::Keyring keyring(seed);
  audit::AuditLog log(db, keyring);

  auto head = db.Query("SELECT size FROM audit_head");
  int64_t have = head.ok() && !head->empty() ? (*head)[0].Int(0) : 0;
  auto build_start = Clock::now();
  constexpr int64_t kBatch = 10000;
  for (int64_t from = have; from < entries; from += kBatch) {
    int64_t to = std::min(entries, from + kBatch);
    Status s = db.Write([&](db::Tx& tx) -> Status {
      for (int64_t i = from; i < to; ++i) {
        audit::EntryInput in;
        in.time_ms = 1700000000000 + i;
        in.actor = "acct_" + std::to_string(i % 5000);
        in.action = i % 3 ? "session.login" : "case.transition";
        in.object = "obj_" + std::to_string(i * 7919 % 100003);
        in.municipality_id = i % 4;
        in.request_id = "req-" + std::to_string(i);
        in.details = "{\"i\":" + std::to_string(i) + "}";
        auto r = log.Append(tx, in);
        if (!r) return Error(r.error());
      }
      return Ok();
    });
    if (!s) {
      fmt::print(stderr, "append: {}\n", s.error().detail);
      return 1;
    }
    if (auto c = log.WriteCheckpoint(1700000000000 + to); !c) {
      fmt::print(stderr, "checkpoint: {}\n", c.error().detail);
      return 1;
    }
  }
  double build = Seconds(build_start);
  if (entries > have) {
    fmt::print("built {} entries in {:.1f} s ({:.0f} appends/s)\n", entries - have, build,
               static_cast<double>(entries - have) / build);
  }

  auto verify_start = Clock::now();
  auto report = audit::Verify(db, keyring);
  double verify = Seconds(verify_start);
  if (!report) {
    fmt::print(stderr, "verify: {}\n", report.error().detail);
    return 1;
  }
  fmt::print("verify: ok={} entries={} checkpoints={} in {:.2f} s ({:.0f} entries/s)\n", report->ok,
             report->entries, report->checkpoints, verify,
             static_cast<double>(report->entries) / verify);

  auto proof_start = Clock::now();
  int proofs = 0;
  for (int64_t i = 0; i < report->entries; i += std::max<int64_t>(1, report->entries / 100)) {
    auto p = log.Proof(i);
    if (!p) {
      fmt::print(stderr, "proof {}: {}\n", i, p.error().detail);
      return 1;
    }
    ++proofs;
  }
  double proof_time = Seconds(proof_start);
  fmt::print("proofs: {} in {:.3f} s ({:.2f} ms each)\n", proofs, proof_time,
             1000 * proof_time / std::max(1, proofs));
  db.Close();
  if (!folder.empty()) std::filesystem::remove_all(folder);
  return report->ok ? 0 : 2;
}
