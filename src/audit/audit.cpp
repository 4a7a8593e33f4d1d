// The audit log: storage, appends, checkpoints, proofs and listing. Verification is in verify.cpp.
//
// Design
// ------
// Every entry is a leaf of one RFC 9162 Merkle tree (leaf = SHA-256(0x00 || LeafData), node =
// SHA-256(0x01 || left || right)). Three mechanisms make tampering evident and let Verify name
// the first bad entry exactly:
//
//  1. Signed checkpoints. WriteCheckpoint signs (tree size, root, time, key id) with Ed25519. The
//     root commits to every entry below that size, in order: any edit, deletion, reordering or
//     insertion inside a checkpointed range changes the root that the entries rebuild.
//  2. A signed hash chain. At append time entry i gets the chain value
//     c_i = SHA-256(c_{i-1} || s_{i-1} || leaf_i) (c_{-1} and s_{-1} empty) and the signature
//     s_i = Ed25519(EntryMessage(i, c_i)) with the platform key (about 20 us). c_i commits to
//     entries 0..i and to every earlier signature, in order. So once entry k is altered, deleted
//     and the rest renumbered, swapped with another, or a forged one inserted, the recomputed
//     chain differs from the signed one at every i >= k and matches at every i < k: failures
//     are monotone, even when only a signature was damaged. Verify recomputes the chain in one
//     sequential pass (two SHA-256 per entry) and binary searches the signatures: about 20
//     checks find k among 1,000,000 entries, and without the signing key no one can re-sign
//     the altered suffix to hide it. Missing indices (a deleted row that was not renumbered)
//     show up directly during the pass, and so do stored leaf hashes or chain values that no
//     longer match the entry's fields.
//  3. Append-only tables. Triggers refuse UPDATE and DELETE on entries and checkpoints, so
//     tampering needs schema rights in the first place.
//
// Appends are serialised by a one-row head (size, last chain value and signature, frontier): the
// first statement of an append is `UPDATE audit_head SET size = size + 1 ... RETURNING ...`,
// which on PostgreSQL locks the row until the caller's transaction ends (SQLite has one writer).
// The frontier is the right edge of the tree (one subtree hash per set bit of the size), so the
// root of a checkpoint costs O(log n). Complete subtrees of 256 leaves and more are kept in
// audit_nodes so that an inclusion proof reads O(log n) nodes and at most a few blocks of 256
// leaf hashes instead of the whole log.
#include "audit/audit.h"

#include <algorithm>
#include <bit>
#include <boost/json.hpp>
#include <map>
#include <span>

#include "audit/merkle.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> AuditMigrationFiles();
std::span<const baladiya::EmbeddedFile> AuditSqlFiles();

namespace baladiya::audit {
namespace {

// Subtrees of 2^kNodeLevel leaves and more are stored in audit_nodes.
constexpr int kNodeLevel = 8;
constexpr uint64_t kBlock = uint64_t{1} << kNodeLevel;
constexpr size_t kMaxFieldBytes = 256;
constexpr size_t kMaxActionBytes = 64;

Error Invalid(std::string field, std::string detail) {
  Error e = MakeError(ErrorCode::kInvalid, "error.invalid", std::move(detail));
  e.fields[std::move(field)] = "error.invalid";
  return e;
}

Error Internal(std::string detail) {
  return MakeError(ErrorCode::kInternal, "error.internal", std::move(detail));
}

void PutU64(std::string& out, uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

void PutString(std::string& out, std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(n >> shift));
  out.append(s);
}

bool PlainText(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

Status Validate(const EntryInput& in) {
  if (in.action.empty() || in.action.size() > kMaxActionBytes) {
    return Invalid("action", "audit action must be 1..64 bytes");
  }
  for (char c : in.action) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) {
      return Invalid("action", "audit action may hold only [a-z0-9._-]");
    }
  }
  if (in.actor.empty()) return Invalid("actor", "audit actor is empty");
  const std::pair<const char*, const std::string*> texts[] = {
      {"actor", &in.actor}, {"object", &in.object}, {"request_id", &in.request_id}};
  for (const auto& [name, value] : texts) {
    if (value->size() > kMaxFieldBytes || !PlainText(*value)) {
      return Invalid(name, std::string("audit ") + name + " is too long or holds control bytes");
    }
  }
  if (in.time_ms < 0) return Invalid("time_ms", "audit time is negative");
  if (in.municipality_id < 0) return Invalid("municipality_id", "municipality id is negative");
  return Ok();
}

const char kCheckpointColumns[] = "tree_size, root_hash, time_ms, key_id, signature";

Checkpoint CheckpointFromRow(const db::Row& row) {
  return Checkpoint{row.Int(0), row.Bytes(1), row.Int(2), row.Int(3), row.Bytes(4)};
}

Entry EntryFromRow(const db::Row& row) {
  return Entry{row.Int(0),  row.Int(1), row.Text(2), row.Text(3),
               row.Text(4), row.Int(5), row.Text(6), row.Text(7)};
}

// MTH of arbitrary leaf ranges of the stored tree, from audit_nodes where a complete aligned
// subtree of >= kBlock leaves is stored, and from leaf hashes (read one aligned block at a time
// and cached) otherwise.
class StoredTree {
 public:
  explicit StoredTree(db::Tx& tx) : tx_(tx) {}

  Result<std::string> Leaf(uint64_t i) {
    auto block = Block(i / kBlock);
    if (!block) return block.error();
    const auto& leaves = **block;
    if (i % kBlock >= leaves.size())
      return Internal("audit entry " + std::to_string(i) + " missing");
    return leaves[i % kBlock];
  }

  // MTH(D[begin, end)). Precondition: begin < end.
  Result<std::string> Hash(uint64_t begin, uint64_t end) {
    uint64_t n = end - begin;
    if (n == 1) return Leaf(begin);
    if (std::has_single_bit(n) && n >= kBlock && begin % n == 0) {
      int level = std::countr_zero(n);
      auto rows = tx_.Query("SELECT hash FROM audit_nodes WHERE level = ? AND pos = ?",
                            {int64_t{level}, static_cast<int64_t>(begin / n)});
      if (!rows) return rows.error();
      if (rows->empty()) {
        return Internal("audit node " + std::to_string(level) + "/" + std::to_string(begin / n) +
                        " missing");
      }
      return (*rows)[0].Bytes(0);
    }
    if (n <= kBlock && begin / kBlock == (end - 1) / kBlock) {
      auto block = Block(begin / kBlock);
      if (!block) return block.error();
      const auto& leaves = **block;
      size_t from = begin % kBlock, to = from + n;
      if (to > leaves.size()) return Internal("audit entries missing below " + std::to_string(end));
      return merkle::RangeHash(leaves, from, to);
    }
    uint64_t k = merkle::SplitPoint(n);
    auto left = Hash(begin, begin + k);
    if (!left) return left;
    auto right = Hash(begin + k, end);
    if (!right) return right;
    return merkle::HashChildren(*left, *right);
  }

  // PATH(m, D[begin, end)), appended to out from the leaf up.
  Status Path(uint64_t m, uint64_t begin, uint64_t end, std::vector<std::string>& out) {
    if (end - begin <= 1) return Ok();
    uint64_t k = merkle::SplitPoint(end - begin);
    bool left = m < begin + k;
    if (Status s = left ? Path(m, begin, begin + k, out) : Path(m, begin + k, end, out); !s) {
      return s;
    }
    auto sibling = left ? Hash(begin + k, end) : Hash(begin, begin + k);
    if (!sibling) return sibling.error();
    out.push_back(std::move(*sibling));
    return Ok();
  }

 private:
  Result<const std::vector<std::string>*> Block(uint64_t block) {
    auto it = blocks_.find(block);
    if (it != blocks_.end()) return &it->second;
    auto rows = tx_.Query(
        "SELECT idx, leaf_hash FROM audit_entries WHERE idx >= ? AND idx < ? ORDER BY idx",
        {static_cast<int64_t>(block * kBlock), static_cast<int64_t>((block + 1) * kBlock)});
    if (!rows) return rows.error();
    std::vector<std::string> leaves;
    for (const auto& row : *rows) {
      if (static_cast<uint64_t>(row.Int(0)) != block * kBlock + leaves.size()) break;
      leaves.push_back(row.Bytes(1));
    }
    return &blocks_.emplace(block, std::move(leaves)).first->second;
  }

  db::Tx& tx_;
  std::map<uint64_t, std::vector<std::string>> blocks_;
};

void AppendJsonHex(std::string& out, std::string_view bytes) {
  out += '"';
  out += crypto::ToHex(bytes);
  out += '"';
}

}  // namespace

std::string LeafData(const Entry& e) {
  std::string out;
  out.reserve(64 + e.actor.size() + e.action.size() + e.object.size() + e.request_id.size() +
              e.details_hash.size());
  out.push_back('\x01');  // encoding version
  PutU64(out, static_cast<uint64_t>(e.index));
  PutU64(out, static_cast<uint64_t>(e.time_ms));
  PutString(out, e.actor);
  PutString(out, e.action);
  PutString(out, e.object);
  PutU64(out, static_cast<uint64_t>(e.municipality_id));
  PutString(out, e.request_id);
  PutString(out, e.details_hash);
  return out;
}

std::string LeafHash(const Entry& e) { return merkle::HashLeaf(LeafData(e)); }

std::string CheckpointMessage(const Checkpoint& c) {
  return "baladiya-audit-checkpoint/v1\n" + std::to_string(c.tree_size) + "\n" +
         crypto::ToHex(c.root_hash) + "\n" + std::to_string(c.time_ms) + "\n" +
         std::to_string(c.key_id) + "\n";
}

bool VerifyCheckpoint(const Checkpoint& c, const std::array<uint8_t, 32>& public_key) {
  return c.root_hash.size() == merkle::kHashSize &&
         crypto::Verify(public_key, CheckpointMessage(c), c.signature);
}

std::string EntryMessage(int64_t index, std::string_view chain) {
  std::string out = "baladiya-audit-entry/v1\n";
  PutU64(out, static_cast<uint64_t>(index));
  out.append(chain);
  return out;
}

crypto::SigningKey Keyring::ForKeyId(int64_t key_id) const {
  return crypto::SigningKeyFromSeed(
      crypto::DeriveKey(seed_, static_cast<uint64_t>(key_id), "auditsig"));
}

AuditLog::AuditLog(db::Database& db, Keyring keyring)
    : db_(db), keyring_(keyring), platform_key_(keyring_.ForKeyId(0)) {}

void AuditLog::AddWitness(std::shared_ptr<Witness> witness) {
  witnesses_.push_back(std::move(witness));
}

Result<int64_t> AuditLog::Append(db::Tx& tx, const EntryInput& in) {
  if (Status v = Validate(in); !v) return Error(v.error());
  auto head = tx.Query(
      "UPDATE audit_head SET size = size + 1 WHERE id = 1 "
      "RETURNING size, chain, signature, frontier");
  if (!head) return head.error();
  if (head->empty()) return Internal("audit_head row missing");
  const db::Row& row = (*head)[0];
  int64_t index = row.Int(0) - 1;
  auto frontier = merkle::Frontier::Parse(static_cast<uint64_t>(index), row.Bytes(3));
  if (!frontier) return frontier.error();

  const std::string details = DetailsWithChanges(in.details, in.changes);
  Entry e{index,     in.time_ms,         in.actor,      in.action,
          in.object, in.municipality_id, in.request_id, crypto::Sha256Hex(details)};
  std::string leaf = LeafHash(e);
  std::string chain = crypto::Sha256(row.Bytes(1) + row.Bytes(2) + leaf);
  std::string signature = crypto::Sign(platform_key_, EntryMessage(index, chain));
  std::vector<merkle::Node> completed;
  frontier->Push(leaf, &completed);

  if (!in.changes.empty() || in.service_id != 0) {
    auto kept = tx.Exec("INSERT INTO audit_details (idx, service_id, details) VALUES (?, ?, ?)",
                        {index, in.service_id, in.changes.empty() ? std::string() : details});
    if (!kept) return kept.error();
  }
  auto inserted = tx.Exec(
      "INSERT INTO audit_entries (idx, time_ms, actor, action, object, municipality_id, "
      "request_id, details_hash, leaf_hash, chain, signature) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {index, e.time_ms, e.actor, e.action, e.object, e.municipality_id, e.request_id,
       e.details_hash, db::Blob{leaf}, db::Blob{chain}, db::Blob{signature}});
  if (!inserted) return inserted.error();
  for (const merkle::Node& node : completed) {
    if (node.level < kNodeLevel) continue;
    auto n = tx.Exec("INSERT INTO audit_nodes (level, pos, hash) VALUES (?, ?, ?)",
                     {int64_t{node.level}, static_cast<int64_t>(node.pos), db::Blob{node.hash}});
    if (!n) return n.error();
  }
  auto updated =
      tx.Exec("UPDATE audit_head SET chain = ?, signature = ?, frontier = ? WHERE id = 1",
              {db::Blob{chain}, db::Blob{signature}, db::Blob{frontier->Serialize()}});
  if (!updated) return updated.error();
  return index;
}

Result<int64_t> AuditLog::Append(const EntryInput& in) {
  Result<int64_t> out = Internal("audit append did not run");
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    out = Append(tx, in);
    return out ? Ok() : Status(out.error());
  });
  if (!s) return Error(s.error());
  return out;
}

Result<Checkpoint> AuditLog::WriteCheckpoint(int64_t now_ms) {
  // What the witnesses hold, read before the transaction (it may mean file or network I/O).
  std::vector<std::pair<std::string, Checkpoint>> witnessed;
  for (const auto& w : witnesses_) {
    auto latest = w->Latest();
    if (latest) {
      witnessed.emplace_back(w->Name(), std::move(*latest));
    } else if (latest.error().code != ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kUnavailable, "error.unavailable",
                       w->Name() + ": " + latest.error().detail);
    }
  }
  Result<Checkpoint> out = Internal("audit checkpoint did not run");
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    // Locks the head: no append can commit between reading the frontier and storing the root.
    auto head = tx.Query("UPDATE audit_head SET size = size WHERE id = 1 RETURNING size, frontier");
    if (!head) return Error(head.error());
    if (head->empty()) return Internal("audit_head row missing");
    int64_t size = (*head)[0].Int(0);
    auto frontier = merkle::Frontier::Parse(static_cast<uint64_t>(size), (*head)[0].Bytes(1));
    if (!frontier) return Error(frontier.error());
    // Nothing is signed over a log that no longer extends what a witness saw.
    StoredTree tree(tx);
    for (const auto& [name, w] : witnessed) {
      if (w.tree_size > size) {
        return MakeError(ErrorCode::kConflict, "error.conflict",
                         "the audit log holds " + std::to_string(size) + " entries but " + name +
                             " holds a checkpoint of " + std::to_string(w.tree_size) +
                             ": the log was cut back; no checkpoint signed");
      }
      if (w.tree_size == 0) continue;
      auto root = w.tree_size == size ? Result<std::string>(frontier->Root())
                                      : tree.Hash(0, static_cast<uint64_t>(w.tree_size));
      if (!root) return Error(root.error());
      if (*root != w.root_hash) {
        return MakeError(ErrorCode::kConflict, "error.conflict",
                         "the first " + std::to_string(w.tree_size) +
                             " audit entries no longer match the checkpoint " + name +
                             " holds: the log was rewritten; no checkpoint signed");
      }
    }
    auto last = tx.Query(std::string("SELECT ") + kCheckpointColumns +
                         " FROM audit_checkpoints WHERE key_id = 0 "
                         "ORDER BY tree_size DESC LIMIT 1");
    if (!last) return Error(last.error());
    if (!last->empty()) {
      Checkpoint prev = CheckpointFromRow((*last)[0]);
      if (prev.tree_size > size) return Internal("audit checkpoint is ahead of the log");
      if (prev.tree_size == size) {
        out = std::move(prev);
        return Ok();
      }
    }
    Checkpoint c{size, frontier->Root(), now_ms, 0, ""};
    c.signature = crypto::Sign(platform_key_, CheckpointMessage(c));
    auto inserted = tx.Exec(
        "INSERT INTO audit_checkpoints (tree_size, key_id, root_hash, time_ms, signature) "
        "VALUES (?, ?, ?, ?, ?)",
        {c.tree_size, c.key_id, db::Blob{c.root_hash}, c.time_ms, db::Blob{c.signature}});
    if (!inserted) return Error(inserted.error());
    out = std::move(c);
    return Ok();
  });
  if (!s) return Error(s.error());
  if (Status synced = SyncWitnesses(*out); !synced) return Error(synced.error());
  return out;
}

Status AuditLog::SyncWitnesses(const Checkpoint& latest) {
  for (const auto& w : witnesses_) {
    auto held = w->Latest();
    int64_t from = 0;
    if (held) {
      from = held->tree_size;
    } else if (held.error().code != ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kUnavailable, "error.unavailable",
                       w->Name() + ": " + held.error().detail);
    }
    if (from >= latest.tree_size) continue;
    auto proof = Consistency(from, latest.tree_size);
    if (!proof) return proof.error();
    if (Status added = w->Add(latest, *proof); !added) {
      Error e = added.error();
      e.detail = w->Name() + ": " + e.detail;
      return e;
    }
  }
  return Ok();
}

Result<ConsistencyProof> AuditLog::Consistency(int64_t first, int64_t second) {
  if (first < 0 || second < first) {
    return Invalid("first", "consistency needs 0 <= first <= second");
  }
  Result<ConsistencyProof> out = Internal("audit consistency did not run");
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto last = tx.Query(std::string("SELECT ") + kCheckpointColumns +
                         " FROM audit_checkpoints ORDER BY tree_size DESC, key_id LIMIT 1");
    if (!last) return Error(last.error());
    if (last->empty() || (*last)[0].Int(0) < second) {
      return MakeError(ErrorCode::kNotFound, "error.not_found",
                       "audit tree size not covered by a checkpoint yet");
    }
    ConsistencyProof proof{first, second, {}};
    if (first == 0 || first == second) {
      out = std::move(proof);
      return Ok();
    }
    StoredTree tree(tx);
    Status p = merkle::ConsistencyPath(
        static_cast<uint64_t>(first), static_cast<uint64_t>(second),
        [&tree](uint64_t b, uint64_t e) { return tree.Hash(b, e); }, proof.path);
    if (!p) return p;
    // Checked before it leaves, as Proof does: stored nodes are not trusted blindly.
    auto first_root = tree.Hash(0, static_cast<uint64_t>(first));
    auto second_root = tree.Hash(0, static_cast<uint64_t>(second));
    if (!first_root) return Error(first_root.error());
    if (!second_root) return Error(second_root.error());
    if (!VerifyConsistency(proof, *first_root, *second_root)) {
      return Internal("audit consistency proof does not verify: the log was altered");
    }
    out = std::move(proof);
    return Ok();
  });
  if (!s) return Error(s.error());
  return out;
}

Result<Checkpoint> AuditLog::LatestCheckpoint() {
  auto rows = db_.Query(std::string("SELECT ") + kCheckpointColumns +
                        " FROM audit_checkpoints ORDER BY tree_size DESC, key_id LIMIT 1");
  if (!rows) return rows.error();
  if (rows->empty()) {
    return MakeError(ErrorCode::kNotFound, "error.not_found", "no audit checkpoint yet");
  }
  return CheckpointFromRow((*rows)[0]);
}

Result<InclusionProof> AuditLog::Proof(int64_t index) {
  if (index < 0) return Invalid("index", "audit index is negative");
  Result<InclusionProof> out = Internal("audit proof did not run");
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto last = tx.Query(std::string("SELECT ") + kCheckpointColumns +
                         " FROM audit_checkpoints ORDER BY tree_size DESC, key_id LIMIT 1");
    if (!last) return Error(last.error());
    if (last->empty() || (*last)[0].Int(0) <= index) {
      return MakeError(ErrorCode::kNotFound, "error.not_found",
                       "audit index not covered by a checkpoint yet");
    }
    Checkpoint c = CheckpointFromRow((*last)[0]);
    StoredTree tree(tx);
    InclusionProof proof{index, c.tree_size, "", {}};
    auto leaf = tree.Leaf(static_cast<uint64_t>(index));
    if (!leaf) return Error(leaf.error());
    proof.leaf_hash = std::move(*leaf);
    Status p =
        tree.Path(static_cast<uint64_t>(index), 0, static_cast<uint64_t>(c.tree_size), proof.path);
    if (!p) return p;
    // The stored leaves and nodes are not trusted blindly: a proof that does not lead to the
    // signed root means the tables were altered (Verify names where).
    if (!VerifyInclusion(proof, c.root_hash)) {
      return Internal("audit proof does not match the checkpoint: the log was altered");
    }
    out = std::move(proof);
    return Ok();
  });
  if (!s) return Error(s.error());
  return out;
}

Result<std::vector<Entry>> AuditLog::List(const Filter& f) {
  std::string sql =
      "SELECT e.idx, e.time_ms, e.actor, e.action, e.object, e.municipality_id, e.request_id, "
      "e.details_hash, COALESCE(d.details, ''), COALESCE(d.service_id, 0) "
      "FROM audit_entries e LEFT JOIN audit_details d ON d.idx = e.idx WHERE 1 = 1";
  db::Params params;
  if (f.municipality_id >= 0) {
    sql += " AND e.municipality_id = ?";
    params.push_back(f.municipality_id);
  }
  if (!f.action_prefix.empty()) {
    // substr counts characters on both engines; actions are ASCII, but count code points anyway.
    int64_t chars = 0;
    for (unsigned char c : f.action_prefix) chars += (c & 0xC0) != 0x80;
    sql += " AND substr(e.action, 1, CAST(? AS INTEGER)) = ?";
    params.push_back(chars);
    params.push_back(f.action_prefix);
  }
  if (!f.actor.empty()) {
    sql += " AND e.actor = ?";
    params.push_back(f.actor);
  }
  if (!f.person.empty()) {
    sql += " AND (e.actor = ? OR e.object = ?)";
    params.push_back(f.person);
    params.push_back(f.person);
  }
  if (!f.object.empty()) {
    sql += " AND e.object = ?";
    params.push_back(f.object);
  }
  if (f.service_id != 0) {
    sql += " AND (d.service_id = ? OR e.object = ?)";
    params.push_back(f.service_id);
    params.push_back(f.service_object.empty() ? std::string("\n") : f.service_object);
  }
  if (f.from_ms > 0) {
    sql += " AND e.time_ms >= ?";
    params.push_back(f.from_ms);
  }
  if (f.to_ms > 0) {
    sql += " AND e.time_ms < ?";
    params.push_back(f.to_ms);
  }
  if (f.before_index >= 0) {
    sql += " AND e.idx < ?";
    params.push_back(f.before_index);
  }
  sql += " ORDER BY e.idx DESC LIMIT ?";
  params.push_back(int64_t{std::clamp(f.limit, 1, 500)});
  auto rows = db_.Query(sql, params);
  if (!rows) return rows.error();
  std::vector<Entry> out;
  out.reserve(rows->size());
  for (const auto& row : *rows) {
    Entry e = EntryFromRow(row);
    e.details = row.Text(8);
    e.service_id = row.Int(9);
    if (!e.details.empty()) {
      if (crypto::Sha256Hex(e.details) == e.details_hash) {
        e.changes = ChangesOf(e.details);
      } else {
        e.details_altered = true;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string DetailsWithChanges(const std::string& details, const std::vector<Change>& changes) {
  if (changes.empty()) return details;
  boost::json::array list;
  for (const Change& c : changes) {
    list.push_back(
        boost::json::object{{"field", c.field}, {"before", c.before}, {"after", c.after}});
  }
  return details + (details.empty() ? "" : "\n") + "changes=" + boost::json::serialize(list);
}

std::vector<Change> ChangesOf(std::string_view details) {
  size_t at = details.starts_with("changes=") ? 0 : details.rfind("\nchanges=");
  if (at == std::string_view::npos) return {};
  at = details.find('=', at) + 1;
  size_t end = details.find('\n', at);
  boost::system::error_code ec;
  boost::json::value v =
      boost::json::parse(details.substr(at, end == std::string_view::npos ? end : end - at), ec);
  if (ec || !v.is_array()) return {};
  std::vector<Change> out;
  for (const auto& item : v.as_array()) {
    const auto* o = item.if_object();
    if (o == nullptr) return {};
    auto text = [&](const char* k) -> std::string {
      const auto* s = o->if_contains(k);
      return s && s->is_string() ? std::string(s->as_string()) : std::string();
    };
    out.push_back({text("field"), text("before"), text("after")});
  }
  return out;
}

std::string CheckpointJson(const Checkpoint& c, const std::array<uint8_t, 32>& public_key) {
  std::string out = "{\"tree_size\":" + std::to_string(c.tree_size) + ",\"root_hash\":";
  AppendJsonHex(out, c.root_hash);
  out += ",\"time_ms\":" + std::to_string(c.time_ms) + ",\"key_id\":" + std::to_string(c.key_id);
  out += ",\"signature\":";
  AppendJsonHex(out, c.signature);
  out += ",\"public_key\":";
  AppendJsonHex(
      out, std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  out += ",\"format\":\"baladiya-audit-checkpoint/v1\"}";
  return out;
}

std::string ProofJson(const InclusionProof& p) {
  std::string out = "{\"index\":" + std::to_string(p.index) +
                    ",\"tree_size\":" + std::to_string(p.tree_size) + ",\"leaf_hash\":";
  AppendJsonHex(out, p.leaf_hash);
  out += ",\"path\":[";
  for (size_t i = 0; i < p.path.size(); ++i) {
    if (i) out += ',';
    AppendJsonHex(out, p.path[i]);
  }
  out += "]}";
  return out;
}

std::string ConsistencyJson(const ConsistencyProof& p) {
  std::string out = "{\"first\":" + std::to_string(p.first) +
                    ",\"second\":" + std::to_string(p.second) + ",\"path\":[";
  for (size_t i = 0; i < p.path.size(); ++i) {
    if (i) out += ',';
    AppendJsonHex(out, p.path[i]);
  }
  out += "]}";
  return out;
}

std::string PostgresAppRoleSql(std::string_view role, std::string_view schema) {
  // Names only: [a-z_][a-z0-9_]*, so nothing can be smuggled into the statements.
  auto plain = [](std::string_view name) {
    if (name.empty() || name.size() > 63 || (name[0] >= '0' && name[0] <= '9')) return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
  };
  if (!plain(role) || !plain(schema)) return {};
  std::string sql;
  for (const auto& f : AuditSqlFiles()) {
    if (f.name == "postgresql-app-role.sql") sql = std::string(f.data);
  }
  for (auto [from, to] :
       {std::pair<std::string_view, std::string_view>{"${ROLE}", role}, {"${SCHEMA}", schema}}) {
    for (size_t at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size())) {
      sql.replace(at, from.size(), to);
    }
  }
  return sql;
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(AuditMigrationFiles()); }

}  // namespace baladiya::audit
