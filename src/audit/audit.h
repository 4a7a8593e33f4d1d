// The audit log: an append-only, tamper-evident record of every state change. Entries form a
// Merkle tree hashed as in RFC 9162 (leaf = SHA-256(0x00 || entry), node = SHA-256(0x01 || left
// || right)); checkpoints (tree size + root hash) are signed with Ed25519. Entries hold
// pseudonyms, actions and a hash of the details, never personal data.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
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

// One value an action changed, as an auditor reads it: a field's name (a plain key such as
// "state", "assignee", "roles") and its value before and after. Values hold no personal data:
// states, role names, service codes, or "account:<id>" for a member of staff (the page shows
// their name).
struct Change {
  std::string field;
  std::string before;
  std::string after;
  bool operator==(const Change&) const = default;
};

struct EntryInput {
  int64_t time_ms = 0;
  std::string actor;            // pseudonym, or "system"
  std::string action;           // "account.register", "role.grant", "session.login", ...
  std::string object;           // pseudonym or opaque id of the thing acted upon
  int64_t municipality_id = 0;  // 0 = platform
  std::string request_id;
  std::string details;  // canonical text of the details; only its SHA-256 is stored
  // Before/after values shown to auditors. When present they join the details ("changes=" and
  // their JSON on a line of its own after details), and those details are then kept in clear
  // beside the entry (audit_details), so the caller guarantees they hold no personal data. What
  // is hashed into the tree stays the entry's fields with the SHA-256 of its details.
  std::vector<Change> changes;
  int64_t service_id = 0;  // the service the entry concerns, for filtering (0 = none)
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
  // From audit_details (List only): the details kept in clear (empty when not kept) and the
  // changes read from them, only when they still hash to details_hash (else details_altered).
  std::string details;
  std::vector<Change> changes;
  bool details_altered = false;
  int64_t service_id = 0;
};

// The details text an entry with changes carries: details, then "changes=" and the JSON array
// [{"field":..,"before":..,"after":..}] on its own line (details alone when there are none).
std::string DetailsWithChanges(const std::string& details, const std::vector<Change>& changes);
// The changes read back from such a text (empty when it has none or they are malformed).
std::vector<Change> ChangesOf(std::string_view details);

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

// A consistency proof (RFC 9162 2.1.4): the tree of `second` entries extends the tree of the
// first `first` entries, unchanged. What a witness asks for before it accepts a newer checkpoint,
// and what anyone holding two checkpoints can check: a log cut back or rewritten has none.
struct ConsistencyProof {
  int64_t first = 0;
  int64_t second = 0;
  std::vector<std::string> path;  // raw hashes, RFC 9162 2.1.4.1
};
// RFC 9162 2.1.4.2. Also true for first == second with equal roots and an empty path, and for
// first == 0 with an empty path (every tree extends the empty one).
bool VerifyConsistency(const ConsistencyProof& proof, const std::string& first_root,
                       const std::string& second_root);

// A witness keeps copies of the log's signed checkpoints outside its database, so that a log
// cut back or rewritten afterwards — by someone who can change the database, even with the
// signing key — no longer matches what the witness saw. The server offers each new checkpoint
// to every witness with a consistency proof from the witness's newest one; `audit verify
// --witness` checks the log against what a witness holds. FileWitness keeps them in an
// append-only file (on another disk); another municipality's server can implement the same
// interface over the network. Implementations must be thread-safe.
class Witness {
 public:
  virtual ~Witness() = default;
  // For messages: "file witness /mnt/other/audit-witness".
  virtual std::string Name() const = 0;
  // The newest checkpoint held; kNotFound when none yet.
  virtual Result<Checkpoint> Latest() = 0;
  // Offers a checkpoint with the consistency proof from Latest()'s size to its own (first 0
  // when the witness holds none). The witness checks the signature and the proof and keeps the
  // checkpoint; kConflict, keeping nothing, when either fails (the log was cut back or forked)
  // or the checkpoint is older than Latest(). One of the same size and root is accepted as is.
  virtual Status Add(const Checkpoint& c, const ConsistencyProof& from_latest) = 0;
  // Every checkpoint held, oldest first.
  virtual Result<std::vector<Checkpoint>> All() = 0;
};

// A witness in a file: one line per checkpoint, appended and synced, never rewritten
// ("baladiya-audit-witness/v1 <tree_size> <root hex> <time_ms> <key_id> <signature hex>").
// The file (and its folder) is created with mode 0600 (0700) when missing; a last line cut
// short by a crash is ignored. public_key is the platform key every checkpoint must be signed
// with.
class FileWitness : public Witness {
 public:
  FileWitness(std::string path, const std::array<uint8_t, 32>& public_key);
  std::string Name() const override;
  Result<Checkpoint> Latest() override;
  Status Add(const Checkpoint& c, const ConsistencyProof& from_latest) override;
  Result<std::vector<Checkpoint>> All() override;

 private:
  std::string path_;
  std::array<uint8_t, 32> public_key_;
  std::mutex mu_;
};

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

// Thread-safe: holds no mutable state besides the database (witnesses are added before use).
class AuditLog {
 public:
  AuditLog(db::Database& db, Keyring keyring);

  // Adds a witness that WriteCheckpoint keeps up to date. Call before the log is shared.
  void AddWitness(std::shared_ptr<Witness> witness);

  // Appends inside the caller's write transaction, so the entry commits (or not) with the change
  // it records. Returns the entry's index. Appends are serialised (one tree), on both engines:
  // the head row stays locked until the caller's transaction ends, so keep it short. kInvalid
  // when a field is malformed (action: 1..64 of [a-z0-9._-]; actor, object, request_id: at most
  // 256 bytes without control characters; actor non-empty; time and municipality >= 0).
  Result<int64_t> Append(db::Tx& tx, const EntryInput& in);
  // Appends in a transaction of its own.
  Result<int64_t> Append(const EntryInput& in);

  // Signs and stores a checkpoint of the current tree (platform key), unless the tree has not
  // grown since the last one, then offers the latest checkpoint to every witness that lacks it
  // (with a consistency proof from the witness's newest). Before signing, the log must extend
  // what every witness already holds: a log shorter than a witnessed checkpoint, or whose root
  // at that size differs, was cut back or rewritten, and nothing is signed over it (kConflict
  // naming the witness). A witness that cannot be reached fails the call (kUnavailable) after
  // the checkpoint was stored; the next call offers it again. Returns the latest checkpoint.
  Result<Checkpoint> WriteCheckpoint(int64_t now_ms);
  // kNotFound when there is none yet.
  Result<Checkpoint> LatestCheckpoint();
  // Inclusion proof of entry `index` in the tree of the latest checkpoint. kNotFound when the
  // index is not covered by a checkpoint yet; kInvalid when negative.
  Result<InclusionProof> Proof(int64_t index);
  // Consistency proof between the trees of the first `first` and `second` entries, with
  // 0 <= first <= second <= the latest checkpoint's size (so that both ends can be held against
  // signed checkpoints): kInvalid for a negative or reversed pair, kNotFound past the latest
  // checkpoint.
  Result<ConsistencyProof> Consistency(int64_t first, int64_t second);

  struct Filter {
    int64_t municipality_id = -1;  // -1 = any
    std::string action_prefix;     // "" = any
    std::string actor;             // "" = any
    std::string person;            // "" = any; else entries whose actor or object is this
    std::string object;            // "" = any; else entries about exactly this object
    // 0 = any; else entries recorded with this service, or whose object is service_object
    int64_t service_id = 0;
    std::string service_object;
    int64_t from_ms = 0;
    int64_t to_ms = 0;          // 0 = no upper bound
    int64_t before_index = -1;  // paging: entries with index < this; -1 = newest first
    int limit = 50;             // clamped to 1..500
  };
  // Newest first.
  Result<std::vector<Entry>> List(const Filter& f);

 private:
  // Offers the latest checkpoint to the witnesses that lack it.
  Status SyncWitnesses(const Checkpoint& latest);

  db::Database& db_;
  Keyring keyring_;
  crypto::SigningKey platform_key_;  // key_id 0: signs entries and checkpoints
  std::vector<std::shared_ptr<Witness>> witnesses_;
};

struct VerifyReport {
  bool ok = false;
  int64_t entries = 0;
  int64_t checkpoints = 0;
  int64_t witnessed = 0;  // checkpoints held by witnesses, checked against the entries too
  // When !ok: the first bad entry index (or -1 when the fault is a checkpoint) and why.
  int64_t first_bad_index = -1;
  std::string problem;
};
// Checks the whole log offline: every checkpoint's signature with the public keys, and that the
// entries rebuild each checkpoint's root; then locates the first entry that differs (edited,
// deleted, reordered or inserted rows). Reads in batches, in one read snapshot; 1,000,000
// entries in seconds. An error Result means the log could not be read (not that it is bad).
//
// The database alone cannot show that entries after its last checkpoint were cut away
// (audit_head and the checkpoints are in the same database). witnessed holds checkpoints kept
// elsewhere (Witness::All): each must carry a good platform signature and be rebuilt by the
// entries, and a log shorter than one of them fails ("entries from N on are missing").
Result<VerifyReport> Verify(db::Database& db, const Keyring& keyring,
                            const std::vector<Checkpoint>& witnessed = {});

// JSON for the API (no HTTP here): the checkpoint with hex root_hash, signature and public_key,
// plus "format" naming CheckpointMessage's layout.
//   {"tree_size":N,"root_hash":"..","time_ms":T,"key_id":K,"signature":"..","public_key":"..",
//    "format":"baladiya-audit-checkpoint/v1"}
std::string CheckpointJson(const Checkpoint& c, const std::array<uint8_t, 32>& public_key);
//   {"index":I,"tree_size":N,"leaf_hash":"..","path":["..",...]}  (path from the leaf up)
std::string ProofJson(const InclusionProof& p);
//   {"first":N,"second":M,"path":["..",...]}  (RFC 9162 2.1.4.1 order)
std::string ConsistencyJson(const ConsistencyProof& p);

// On PostgreSQL: the SQL that makes `role` (an existing role the server logs in as) an
// application role of `schema` that may read and write every table but may not TRUNCATE,
// DELETE or UPDATE the audit tables (it may UPDATE only audit_head's counter columns, which
// Verify does not trust) nor change the schema. Run by the schema's owner after `baladiya
// migrate`, and again after each later migration (src/audit/postgresql-app-role.sql). Empty
// when a name is not plain ([a-z_][a-z0-9_]*, at most 63 bytes).
std::string PostgresAppRoleSql(std::string_view role, std::string_view schema = "public");

// The audit module's migrations (numbers 100..199).
std::vector<db::Migration> Migrations();

// The audit module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::audit
