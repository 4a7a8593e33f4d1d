// The audit log: an append-only, tamper-evident record of every state change. Entries form a
// Merkle tree hashed as in RFC 9162 (leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left
// || right)); checkpoints (tree size + root hash) are signed with Ed25519. Entries hold
// pseudonyms, actions and a hash of the details, never personal data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::audit {

struct EntryInput {
  int64_t time_ms = 0;
  std::string actor;            // pseudonym, or "system"
  std::string action;           // "account.register", "role.grant", "session.login", ...
  std::string object;           // pseudonym or opaque id of the thing acted upon
  int64_t municipality_id = 0;  // 0 = platform
  std::string request_id;
  std::string details;  // canonical text of the details; only its SHA-256 is stored
};

struct Entry {
  int64_t index = 0;  // 0-based position in the log
  int64_t time_ms = 0;
  std::string actor;
  std::string action;
  std::string object;
  int64_t municipality_id = 0;
  std::string request_id;
  std::string details_hash;  // hex SHA-256
};

// The exact bytes hashed for a leaf (a length-prefixed encoding of every field).
std::string LeafData(const Entry& e);
std::string LeafHash(const Entry& e);  // 32 raw bytes
// RFC 9162 Merkle tree hash over leaf hashes.
std::string TreeHash(const std::vector<std::string>& leaf_hashes);

struct Checkpoint {
  int64_t tree_size = 0;
  std::string root_hash;  // 32 raw bytes
  int64_t time_ms = 0;
  int64_t key_id = 0;     // 0 = platform key; otherwise the municipality whose key signed
  std::string signature;  // 64 raw bytes, over CheckpointMessage()
};
// "baladiya-audit-checkpoint/v1\n<tree_size>\n<root hex>\n<time_ms>\n<key_id>\n"
std::string CheckpointMessage(const Checkpoint& c);
// True when c.signature is a valid Ed25519 signature of CheckpointMessage(c) by public_key.
bool VerifyCheckpoint(const Checkpoint& c, const std::array<uint8_t, 32>& public_key);
// The message each entry's signature covers: "baladiya-audit-entry/v1\n", the index as 8 bytes
// big-endian, then the entry's 32-byte chain value c_i = SHA-256(c_{i-1} || s_{i-1} || leaf_i),
// where s_{i-1} is the previous entry's signature (c_{-1} and s_{-1} are empty).
std::string EntryMessage(int64_t index, std::string_view chain);

struct InclusionProof {
  int64_t index = 0;
  int64_t tree_size = 0;
  std::string leaf_hash;          // raw
  std::vector<std::string> path;  // raw sibling hashes, leaf to root (RFC 9162 2.1.3)
};
// Verifies a proof against a root (RFC 9162 2.1.3.2).
bool VerifyInclusion(const InclusionProof& proof, const std::string& root_hash);

// Signing keys: the platform key (key_id 0) and one per municipality (key_id = its id > 0), all
// derived from the key file's signing seed with crypto_kdf (context "auditsig", subkey id =
// key_id).
class Keyring {
 public:
  explicit Keyring(const crypto::Key32& signing_seed) : seed_(signing_seed) {}
  crypto::SigningKey ForKeyId(int64_t key_id) const;
  std::array<uint8_t, 32> PublicKey(int64_t key_id) const { return ForKeyId(key_id).public_key; }

 private:
  crypto::Key32 seed_;
};

// Thread-safe: holds no mutable state besides the database.
class AuditLog {
 public:
  AuditLog(db::Database& db, Keyring keyring);

  // Appends inside the caller's write transaction, so the entry commits (or not) with the change
  // it records. Returns the entry's index. Appends are serialised (one tree), on both engines:
  // the head row stays locked until the caller's transaction ends, so keep it short. kInvalid
  // when a field is malformed (action: 1..64 of [a-z0-9._-]; actor, object, request_id: at most
  // 256 bytes without control characters; actor non-empty; time and municipality >= 0).
  Result<int64_t> Append(db::Tx& tx, const EntryInput& in);
  // Appends in a transaction of its own.
  Result<int64_t> Append(const EntryInput& in);

  // Signs and stores a checkpoint of the current tree (platform key), unless the tree has not
  // grown since the last one. Returns the latest checkpoint.
  Result<Checkpoint> WriteCheckpoint(int64_t now_ms);
  // kNotFound when there is none yet.
  Result<Checkpoint> LatestCheckpoint();
  // Inclusion proof of entry `index` in the tree of the latest checkpoint. kNotFound when the
  // index is not covered by a checkpoint yet; kInvalid when negative.
  Result<InclusionProof> Proof(int64_t index);

  struct Filter {
    int64_t municipality_id = -1;  // -1 = any
    std::string action_prefix;     // "" = any
    std::string actor;             // "" = any
    int64_t from_ms = 0;
    int64_t to_ms = 0;          // 0 = no upper bound
    int64_t before_index = -1;  // paging: entries with index < this; -1 = newest first
    int limit = 50;             // clamped to 1..500
  };
  // Newest first.
  Result<std::vector<Entry>> List(const Filter& f);

 private:
  db::Database& db_;
  Keyring keyring_;
  crypto::SigningKey platform_key_;  // key_id 0: signs entries and checkpoints
};

struct VerifyReport {
  bool ok = false;
  int64_t entries = 0;
  int64_t checkpoints = 0;
  // When !ok: the first bad entry index (or -1 when the fault is a checkpoint) and why.
  int64_t first_bad_index = -1;
  std::string problem;
};
// Checks the whole log offline: every checkpoint's signature with the public keys, and that the
// entries rebuild each checkpoint's root; then locates the first entry that differs (edited,
// deleted, reordered or inserted rows). Reads in batches, in one read snapshot; 1,000,000
// entries in seconds. An error Result means the log could not be read (not that it is bad).
Result<VerifyReport> Verify(db::Database& db, const Keyring& keyring);

// JSON for the API (no HTTP here): the checkpoint with hex root_hash, signature and public_key,
// plus "format" naming CheckpointMessage's layout.
//   {"tree_size":N,"root_hash":"..","time_ms":T,"key_id":K,"signature":"..","public_key":"..",
//    "format":"baladiya-audit-checkpoint/v1"}
std::string CheckpointJson(const Checkpoint& c, const std::array<uint8_t, 32>& public_key);
//   {"index":I,"tree_size":N,"leaf_hash":"..","path":["..",...]}  (path from the leaf up)
std::string ProofJson(const InclusionProof& p);

// The audit module's migrations (numbers 100..199).
std::vector<db::Migration> Migrations();

// The audit module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::audit
