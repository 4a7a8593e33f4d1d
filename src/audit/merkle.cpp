#include "audit/merkle.h"

#include <bit>

#include "audit/audit.h"
#include "platform/crypto/crypto.h"

namespace baladiya::audit {
namespace merkle {

std::string HashLeaf(std::string_view leaf_data) {
  std::string buf;
  buf.reserve(1 + leaf_data.size());
  buf.push_back('\x00');
  buf.append(leaf_data);
  return crypto::Sha256(buf);
}

std::string HashChildren(std::string_view left, std::string_view right) {
  std::string buf;
  buf.reserve(1 + left.size() + right.size());
  buf.push_back('\x01');
  buf.append(left);
  buf.append(right);
  return crypto::Sha256(buf);
}

std::string EmptyRoot() { return crypto::Sha256(""); }

uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

std::string RangeHash(const std::vector<std::string>& leaves, size_t begin, size_t end) {
  if (begin >= end) return EmptyRoot();
  if (end - begin == 1) return leaves[begin];
  size_t k = SplitPoint(end - begin);
  return HashChildren(RangeHash(leaves, begin, begin + k), RangeHash(leaves, begin + k, end));
}

namespace {

void PathInto(const std::vector<std::string>& leaves, uint64_t m, size_t begin, size_t end,
              std::vector<std::string>& out) {
  if (end - begin <= 1) return;
  size_t k = SplitPoint(end - begin);
  if (m < begin + k) {
    PathInto(leaves, m, begin, begin + k, out);
    out.push_back(RangeHash(leaves, begin + k, end));
  } else {
    PathInto(leaves, m, begin + k, end, out);
    out.push_back(RangeHash(leaves, begin, begin + k));
  }
}

}  // namespace

std::vector<std::string> InclusionPath(const std::vector<std::string>& leaves, uint64_t index) {
  std::vector<std::string> out;
  PathInto(leaves, index, 0, leaves.size(), out);
  return out;
}

namespace {

// SUBPROOF(m, D[begin, end), b) of RFC 9162 2.1.4.1, with m counted from begin.
Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool whole, const RangeHasher& hash,
                std::vector<std::string>& out) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (whole) return Ok();
    auto h = hash(begin, end);
    if (!h) return h.error();
    out.push_back(std::move(*h));
    return Ok();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    if (Status s = SubProof(m, begin, begin + k, whole, hash, out); !s) return s;
    auto right = hash(begin + k, end);
    if (!right) return right.error();
    out.push_back(std::move(*right));
  } else {
    if (Status s = SubProof(m - k, begin + k, end, false, hash, out); !s) return s;
    auto left = hash(begin, begin + k);
    if (!left) return left.error();
    out.push_back(std::move(*left));
  }
  return Ok();
}

}  // namespace

Status ConsistencyPath(uint64_t m, uint64_t n, const RangeHasher& hash,
                       std::vector<std::string>& out) {
  if (m == 0 || m > n) {
    return MakeError(ErrorCode::kInvalid, "error.invalid", "consistency needs 0 < first <= second");
  }
  return SubProof(m, 0, n, true, hash, out);
}

std::vector<std::string> ConsistencyPath(const std::vector<std::string>& leaves, uint64_t m) {
  std::vector<std::string> out;
  (void)ConsistencyPath(
      m, leaves.size(),
      [&](uint64_t b, uint64_t e) -> Result<std::string> { return RangeHash(leaves, b, e); }, out);
  return out;
}

Result<Frontier> Frontier::Parse(uint64_t size, std::string_view bytes) {
  if (bytes.size() != static_cast<size_t>(std::popcount(size)) * kHashSize) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     "audit frontier does not match the tree size " + std::to_string(size));
  }
  Frontier f;
  f.size_ = size;
  for (size_t i = 0; i < bytes.size(); i += kHashSize) {
    f.hashes_.emplace_back(bytes.substr(i, kHashSize));
  }
  return f;
}

void Frontier::Push(std::string leaf_hash, std::vector<Node>* completed) {
  // Each trailing one bit of size_ is a perfect subtree that the new leaf's subtree now pairs
  // with: merge them, as a binary counter carries.
  std::string h = std::move(leaf_hash);
  uint64_t s = size_;
  int level = 0;
  while (s & 1) {
    h = HashChildren(hashes_.back(), h);
    hashes_.pop_back();
    s >>= 1;
    ++level;
    if (completed) completed->push_back({level, size_ >> level, h});
  }
  hashes_.push_back(std::move(h));
  ++size_;
}

std::string Frontier::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // MTH(D[n]) = HASH(MTH(D[0:k]) || MTH(D[k:n])) with D[0:k] the largest perfect subtree, so the
  // root folds the subtrees from the right.
  std::string h = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) h = HashChildren(hashes_[i], h);
  return h;
}

std::string Frontier::Serialize() const {
  std::string out;
  out.reserve(hashes_.size() * kHashSize);
  for (const auto& h : hashes_) out += h;
  return out;
}

}  // namespace merkle

bool VerifyConsistency(const ConsistencyProof& proof, const std::string& first_root,
                       const std::string& second_root) {
  // RFC 9162 2.1.4.2, with the two cases it leaves to the caller: a tree is consistent with
  // itself (equal roots) and with the empty tree.
  if (proof.first < 0 || proof.first > proof.second) return false;
  if (first_root.size() != merkle::kHashSize || second_root.size() != merkle::kHashSize) {
    return false;
  }
  if (proof.first == 0) return proof.path.empty();
  if (proof.first == proof.second) {
    return proof.path.empty() && crypto::ConstantTimeEquals(first_root, second_root);
  }
  std::vector<std::string> path = proof.path;
  if (path.empty()) return false;
  for (const auto& h : path) {
    if (h.size() != merkle::kHashSize) return false;
  }
  uint64_t first = static_cast<uint64_t>(proof.first);
  if (std::has_single_bit(first)) path.insert(path.begin(), first_root);
  uint64_t fn = first - 1;
  uint64_t sn = static_cast<uint64_t>(proof.second) - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const std::string& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      fr = merkle::HashChildren(c, fr);
      sr = merkle::HashChildren(c, sr);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = merkle::HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && crypto::ConstantTimeEquals(fr, first_root) &&
         crypto::ConstantTimeEquals(sr, second_root);
}

std::string TreeHash(const std::vector<std::string>& leaf_hashes) {
  return merkle::RangeHash(leaf_hashes, 0, leaf_hashes.size());
}

bool VerifyInclusion(const InclusionProof& proof, const std::string& root_hash) {
  // RFC 9162 2.1.3.2.
  if (proof.index < 0 || proof.index >= proof.tree_size) return false;
  if (proof.leaf_hash.size() != merkle::kHashSize || root_hash.size() != merkle::kHashSize) {
    return false;
  }
  uint64_t fn = static_cast<uint64_t>(proof.index);
  uint64_t sn = static_cast<uint64_t>(proof.tree_size) - 1;
  std::string r = proof.leaf_hash;
  for (const std::string& p : proof.path) {
    if (p.size() != merkle::kHashSize || sn == 0) return false;
    if ((fn & 1) || fn == sn) {
      r = merkle::HashChildren(p, r);
      while (!(fn & 1) && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle::HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && crypto::ConstantTimeEquals(r, root_hash);
}

}  // namespace baladiya::audit
