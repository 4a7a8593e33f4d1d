// RFC 9162 (Certificate Transparency v2) Merkle tree primitives for the audit log: leaf and node
// hashes, the tree hash over an in-memory list of leaves, inclusion paths, and the right-edge
// frontier ("compact range") that lets the log extend its tree one leaf at a time in O(log n).
// Internal to src/audit; the public entry points are in audit.h.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.h"

namespace baladiya::audit::merkle {

constexpr size_t kHashSize = 32;

// SHA-256(0x00 || leaf_data).
std::string HashLeaf(std::string_view leaf_data);
// SHA-256(0x01 || left || right).
std::string HashChildren(std::string_view left, std::string_view right);
// SHA-256 of the empty string: the hash of a tree with no leaves.
std::string EmptyRoot();

// The largest power of two strictly less than n. Precondition: n >= 2.
uint64_t SplitPoint(uint64_t n);

// MTH(D[begin, end)) over leaf hashes, recursively as RFC 9162 2.1.1. Empty range: EmptyRoot().
std::string RangeHash(const std::vector<std::string>& leaves, size_t begin, size_t end);
// PATH(m, D[0:n]) of RFC 9162 2.1.3.1 over all of `leaves`: sibling hashes from the leaf up.
// Precondition: index < leaves.size().
std::vector<std::string> InclusionPath(const std::vector<std::string>& leaves, uint64_t index);

// Range hashes MTH(D[begin, end)) of some tree, as the caller stores it.
using RangeHasher = std::function<Result<std::string>(uint64_t begin, uint64_t end)>;
// PROOF(m, D[n]) of RFC 9162 2.1.4.1: the consistency path from the tree of the first m leaves
// to the tree of n leaves, appended to out. Preconditions: 0 < m <= n (m == n gives no hashes).
Status ConsistencyPath(uint64_t m, uint64_t n, const RangeHasher& hash,
                       std::vector<std::string>& out);
// The same over all of `leaves` in memory.
std::vector<std::string> ConsistencyPath(const std::vector<std::string>& leaves, uint64_t m);

// A complete, aligned subtree: 2^level leaves starting at leaf pos * 2^level.
struct Node {
  int level = 0;
  uint64_t pos = 0;
  std::string hash;
};

// The roots of the perfect subtrees that make up a tree of `size` leaves, largest (leftmost)
// first: one per set bit of size. Enough to compute the root and to add leaves.
class Frontier {
 public:
  Frontier() = default;
  // Restores a frontier stored with Serialize(). kInternal when the bytes do not fit `size`.
  static Result<Frontier> Parse(uint64_t size, std::string_view bytes);

  uint64_t size() const { return size_; }
  // Appends the next leaf hash. When `completed` is not null, every perfect subtree of two or
  // more leaves that this leaf completes is appended to it (lowest level first).
  void Push(std::string leaf_hash, std::vector<Node>* completed = nullptr);
  // MTH of the tree of size() leaves.
  std::string Root() const;
  // The subtree hashes concatenated, 32 bytes each.
  std::string Serialize() const;

 private:
  uint64_t size_ = 0;
  std::vector<std::string> hashes_;
};

}  // namespace baladiya::audit::merkle
