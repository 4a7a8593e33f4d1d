// Verify: checks the audit log against its signed checkpoints and per-entry signatures and names
// the first bad entry. See the design note at the top of audit.cpp.
//
// One sequential pass over the entries (in index order, in batches, inside one read snapshot;
// the next batch is read and its leaves hashed on a helper thread meanwhile) recomputes each
// leaf from the entry's fields, the chain value c_i, and the tree frontier. It
// stops at the first entry whose index is not the next one (a deleted row), or whose stored leaf
// hash or chain value disagrees with the recomputed one, or at the first checkpoint whose root
// the entries do not rebuild. Every 1024th chain value is kept. Then the signatures bound the
// first bad entry: if the last entry of the scanned prefix still matches its signature, the
// prefix is as it was signed; otherwise a binary search over the kept chain values, then inside
// one block of 1024 entries (re-read), finds the first entry whose signature no longer matches.
#include <algorithm>
#include <array>
#include <future>
#include <map>

#include "audit/audit.h"
#include "audit/merkle.h"

namespace baladiya::audit {
namespace {

constexpr int64_t kBatch = 10000;
constexpr int64_t kSampleEvery = 1024;
constexpr char kEntryColumns[] =
    "idx, time_ms, actor, action, object, municipality_id, request_id, details_hash, leaf_hash, "
    "chain, signature";

Entry EntryFromRow(const db::Row& row) {
  return Entry{row.Int(0),  row.Int(1), row.Text(2), row.Text(3),
               row.Text(4), row.Int(5), row.Text(6), row.Text(7)};
}

// A BLOB/BYTEA column without copying it; empty when the value is not a blob.
const std::string& BlobAt(const db::Row& row, size_t i) {
  static const std::string kEmpty;
  const auto* blob = std::get_if<db::Blob>(&row.at(i));
  return blob ? blob->bytes : kEmpty;
}

struct Fault {
  int64_t index = -1;  // -1: none
  std::string problem;
  void Note(int64_t i, std::string why) {
    if (index < 0 || i < index) {
      index = i;
      problem = std::move(why);
    }
  }
};

class Verifier {
 public:
  Verifier(db::Tx& tx, const Keyring& keyring, const std::vector<Checkpoint>& witnessed)
      : tx_(tx), keyring_(keyring), witnessed_(witnessed) {}

  Result<VerifyReport> Run() {
    auto cps = tx_.Query(
        "SELECT tree_size, root_hash, time_ms, key_id, signature FROM audit_checkpoints "
        "ORDER BY tree_size, key_id");
    if (!cps) return cps.error();
    // The database's own checkpoints and those held elsewhere are checked alike; only the
    // latter can show entries cut away after the database's last checkpoint.
    std::vector<std::pair<Checkpoint, bool>> all;
    for (const auto& row : *cps) {
      all.emplace_back(Checkpoint{row.Int(0), row.Bytes(1), row.Int(2), row.Int(3), row.Bytes(4)},
                       false);
    }
    for (const Checkpoint& c : witnessed_) all.emplace_back(c, true);
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.first.tree_size < b.first.tree_size;
    });
    for (auto& [c, held_elsewhere] : all) {
      checkpoints_.push_back(std::move(c));
      witnessed_flags_.push_back(held_elsewhere);
    }
    auto head = tx_.Query("SELECT size FROM audit_head WHERE id = 1");
    if (!head) return head.error();
    int64_t head_size = head->empty() ? -1 : (*head)[0].Int(0);

    if (Status s = Scan(); !s) return Error(s.error());
    if (Status s = SearchSignatures(); !s) return Error(s.error());

    VerifyReport report;
    report.entries = scanned_;
    report.witnessed = static_cast<int64_t>(witnessed_.size());
    report.checkpoints = static_cast<int64_t>(checkpoints_.size()) - report.witnessed;
    if (entry_fault_.index >= 0) {
      report.first_bad_index = entry_fault_.index;
      report.problem = entry_fault_.problem;
      return report;
    }
    // The entries are as signed; now the checkpoints themselves.
    std::map<int64_t, std::array<uint8_t, 32>> keys;
    for (size_t i = 0; i < checkpoints_.size(); ++i) {
      const Checkpoint& c = checkpoints_[i];
      auto it = keys.find(c.key_id);
      if (it == keys.end()) it = keys.emplace(c.key_id, keyring_.PublicKey(c.key_id)).first;
      if (!VerifyCheckpoint(c, it->second)) {
        report.problem = Describe(i) + " has a bad signature";
        return report;
      }
    }
    if (!checkpoint_problem_.empty()) {
      report.problem = checkpoint_problem_;
      return report;
    }
    if (!stopped_ && !checkpoints_.empty() && checkpoints_.back().tree_size > scanned_) {
      // Rows at the end of a checkpointed range are gone.
      report.first_bad_index = scanned_;
      report.problem = "entries from " + std::to_string(scanned_) + " on are missing (" +
                       Describe(checkpoints_.size() - 1) + ")";
      return report;
    }
    if (head_size != scanned_) {
      report.first_bad_index = head_size > scanned_ ? scanned_ : -1;
      report.problem = "the log holds " + std::to_string(scanned_) + " entries but its head says " +
                       std::to_string(head_size);
      return report;
    }
    report.ok = true;
    return report;
  }

 private:
  // The sequential pass. Sets scanned_ (entries read in order), entry_fault_ for direct
  // findings, checkpoint_problem_, and stops early at the first fault.
  Status Scan() {
    size_t next_cp = 0;
    auto check_checkpoints = [&]() {
      while (next_cp < checkpoints_.size() && checkpoints_[next_cp].tree_size <= scanned_) {
        const Checkpoint& c = checkpoints_[next_cp++];
        if (c.tree_size < scanned_) continue;  // out of order; cannot happen with ORDER BY
        if (c.root_hash != frontier_.Root()) {
          checkpoint_problem_ = Describe(next_cp - 1) + " does not match the entries' root";
          // Held elsewhere, it shows the entries were rewritten from some point on.
          if (witnessed_flags_[next_cp - 1]) checkpoint_problem_ += ": the log was rewritten";
          return false;
        }
      }
      return true;
    };
    if (!check_checkpoints()) return Stop();
    // Reading a batch and hashing its leaves (parallel work) runs on a helper thread, one batch
    // ahead of the chain and the tree (sequential work) on this one. The transaction is used by
    // one thread at a time: the helper only while this thread waits for it or does not touch it.
    auto next = std::async(std::launch::async, [this] { return FetchBatch(-1); });
    while (true) {
      Result<Batch> batch = next.get();
      if (!batch) return Error(batch.error());
      const db::Rows& rows = batch->rows;
      bool more = static_cast<int64_t>(rows.size()) == kBatch;
      if (more) {
        int64_t after = rows.rows.back().Int(0);
        next = std::async(std::launch::async, [this, after] { return FetchBatch(after); });
      }
      // Waits for a pending fetch before returning, so the helper never outlives the scan.
      auto finish = [&](bool stop) -> Status {
        if (more) next.wait();
        return stop ? Stop() : Ok();
      };
      for (size_t r = 0; r < rows.size(); ++r) {
        const db::Row& row = rows[r];
        if (row.Int(0) != scanned_) {
          entry_fault_.Note(scanned_, "entry " + std::to_string(scanned_) + " is missing");
          return finish(true);
        }
        std::string& leaf = batch->leaves[r];
        if (BlobAt(row, 8) != leaf) {
          entry_fault_.Note(scanned_, "entry " + std::to_string(scanned_) +
                                          ": stored leaf hash does not match its fields");
          return finish(true);
        }
        buffer_.assign(chain_).append(signature_).append(leaf);
        std::string chain = crypto::Sha256(buffer_);
        if (BlobAt(row, 9) != chain) {
          entry_fault_.Note(scanned_, "entry " + std::to_string(scanned_) +
                                          ": stored chain value does not match the entries");
          return finish(true);
        }
        chain_ = std::move(chain);
        signature_ = BlobAt(row, 10);
        frontier_.Push(std::move(leaf));
        ++scanned_;
        if (scanned_ % kSampleEvery == 0) samples_.push_back({scanned_ - 1, chain_, signature_});
        if (!check_checkpoints()) return finish(true);
      }
      if (!more) return Ok();
    }
  }

  struct Batch {
    db::Rows rows;
    std::vector<std::string> leaves;  // recomputed from each row's fields
  };

  // Up to kBatch entries with idx > after, in index order, with their recomputed leaf hashes.
  Result<Batch> FetchBatch(int64_t after) {
    auto rows = tx_.Query(std::string("SELECT ") + kEntryColumns +
                              " FROM audit_entries WHERE idx > ? ORDER BY idx LIMIT ?",
                          {after, kBatch});
    if (!rows) return rows.error();
    Batch batch{std::move(*rows), {}};
    batch.leaves.reserve(batch.rows.size());
    for (const auto& row : batch.rows) batch.leaves.push_back(LeafHash(EntryFromRow(row)));
    return batch;
  }

  Status Stop() {
    stopped_ = true;
    return Ok();
  }

  std::string Describe(size_t i) const {
    const Checkpoint& c = checkpoints_[i];
    return std::string(witnessed_flags_[i] ? "witnessed checkpoint" : "checkpoint") + " of size " +
           std::to_string(c.tree_size) + " (key " + std::to_string(c.key_id) + ")";
  }

  // Whether entry i's stored signature covers (i, chain).
  Result<bool> SignatureMatches(int64_t i, const std::string& chain) {
    auto rows = tx_.Query("SELECT signature FROM audit_entries WHERE idx = ?", {i});
    if (!rows) return rows.error();
    if (rows->empty()) return false;
    if (!have_key_) {
      platform_key_ = keyring_.PublicKey(0);
      have_key_ = true;
    }
    return crypto::Verify(platform_key_, EntryMessage(i, chain), (*rows)[0].Bytes(0));
  }

  // Finds the first entry of [0, scanned_) whose signature does not match the recomputed chain.
  Status SearchSignatures() {
    if (scanned_ == 0) return Ok();
    auto last_ok = SignatureMatches(scanned_ - 1, chain_);
    if (!last_ok) return Error(last_ok.error());
    if (*last_ok) return Ok();  // the scanned entries are as signed
    // The first failing sample (samples are in index order; failures are monotone).
    size_t lo = 0, hi = samples_.size();
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      auto ok = SignatureMatches(samples_[mid].index, samples_[mid].chain);
      if (!ok) return Error(ok.error());
      if (*ok) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    // The first bad entry is in (samples_[lo-1], samples_[lo]] (or up to scanned_ - 1).
    int64_t begin = lo == 0 ? 0 : samples_[lo - 1].index + 1;
    int64_t end = lo < samples_.size() ? samples_[lo].index + 1 : scanned_;
    std::string chain = lo == 0 ? std::string() : samples_[lo - 1].chain;
    std::string signature = lo == 0 ? std::string() : samples_[lo - 1].signature;
    auto rows = tx_.Query(std::string("SELECT ") + kEntryColumns +
                              " FROM audit_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
                          {begin, end});
    if (!rows) return Error(rows.error());
    if (static_cast<int64_t>(rows->size()) != end - begin) {
      return MakeError(ErrorCode::kInternal, "error.internal", "audit entries changed while read");
    }
    std::vector<std::string> chains;
    chains.reserve(rows->size());
    for (const auto& row : *rows) {
      chain += signature;
      chain += LeafHash(EntryFromRow(row));
      chain = crypto::Sha256(chain);
      signature = BlobAt(row, 10);
      chains.push_back(chain);
    }
    size_t a = 0, b = chains.size() - 1;  // entry begin + b is known to fail
    while (a < b) {
      size_t mid = a + (b - a) / 2;
      auto ok = SignatureMatches(begin + static_cast<int64_t>(mid), chains[mid]);
      if (!ok) return Error(ok.error());
      if (*ok) {
        a = mid + 1;
      } else {
        b = mid;
      }
    }
    int64_t bad = begin + static_cast<int64_t>(a);
    entry_fault_.Note(bad, "entry " + std::to_string(bad) +
                               " does not match its signature (edited, inserted, reordered, or an "
                               "earlier entry deleted)");
    return Ok();
  }

  db::Tx& tx_;
  const Keyring& keyring_;
  const std::vector<Checkpoint>& witnessed_;
  std::vector<Checkpoint> checkpoints_;  // the database's and the witnessed, by size
  std::vector<bool> witnessed_flags_;    // per checkpoints_: held by a witness
  int64_t scanned_ = 0;
  bool stopped_ = false;
  std::string chain_;
  merkle::Frontier frontier_;
  std::string signature_;  // stored signature of the last scanned entry
  std::string buffer_;     // reused for c_{i-1} || s_{i-1} || leaf_i
  struct Sample {
    int64_t index;
    std::string chain;      // recomputed c_index
    std::string signature;  // stored s_index
  };
  std::vector<Sample> samples_;  // every kSampleEvery-th entry
  Fault entry_fault_;
  std::string checkpoint_problem_;
  bool have_key_ = false;
  std::array<uint8_t, 32> platform_key_{};
};

}  // namespace

Result<VerifyReport> Verify(db::Database& db, const Keyring& keyring,
                            const std::vector<Checkpoint>& witnessed) {
  Result<VerifyReport> out = MakeError(ErrorCode::kInternal, "error.internal", "not run");
  Status s = db.Read([&](db::Tx& tx) -> Status {
    Verifier v(tx, keyring, witnessed);
    out = v.Run();
    return out ? Ok() : Status(out.error());
  });
  if (!s) return Error(s.error());
  return out;
}

}  // namespace baladiya::audit
