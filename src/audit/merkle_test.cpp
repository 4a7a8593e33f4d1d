// RFC 9162 hashing, frontier and inclusion-proof tests (no database).
#include "audit/merkle.h"

#include <gtest/gtest.h>

#include <bit>

#include "audit/audit.h"
#include "platform/crypto/crypto.h"

namespace baladiya::audit {
namespace {

using merkle::HashChildren;
using merkle::HashLeaf;

std::string Hex(std::string_view bytes) { return crypto::ToHex(bytes); }

std::string Unhex(std::string_view hex) {
  auto r = crypto::FromHex(hex);
  EXPECT_TRUE(r.ok()) << hex;
  return r.ok() ? *r : std::string();
}

// The leaves of the RFC 6962 reference test vectors (certificate-transparency merkle tests).
std::vector<std::string> ReferenceLeaves() {
  std::vector<std::string> data = {"",
                                   "00",
                                   "10",
                                   "2021",
                                   "3031",
                                   "40414243",
                                   "5051525354555657",
                                   "606162636465666768696a6b6c6d6e6f"};
  std::vector<std::string> leaves;
  for (const auto& d : data) leaves.push_back(HashLeaf(Unhex(d)));
  return leaves;
}

TEST(MerkleHash, EmptyTreeIsSha256OfNothing) {
  EXPECT_EQ(Hex(TreeHash({})), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(merkle::EmptyRoot(), crypto::Sha256(""));
}

TEST(MerkleHash, LeafAndNodeUseDomainPrefixes) {
  // SHA-256 of the single byte 0x00: the leaf hash of empty data.
  EXPECT_EQ(Hex(HashLeaf("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  EXPECT_EQ(HashLeaf("abc"), crypto::Sha256(std::string("\x00", 1) + "abc"));
  std::string l(32, 'L'), r(32, 'R');
  EXPECT_EQ(HashChildren(l, r), crypto::Sha256("\x01" + l + r));
  EXPECT_NE(HashChildren(l, r), HashChildren(r, l));
}

TEST(MerkleHash, SmallTreesByHand) {
  std::vector<std::string> d;
  for (int i = 0; i < 7; ++i) d.push_back(HashLeaf("leaf" + std::to_string(i)));
  auto h = [](const std::string& a, const std::string& b) { return HashChildren(a, b); };
  struct Case {
    size_t n;
    std::string root;
  } cases[] = {
      {1, d[0]},
      {2, h(d[0], d[1])},
      {3, h(h(d[0], d[1]), d[2])},
      {4, h(h(d[0], d[1]), h(d[2], d[3]))},
      {5, h(h(h(d[0], d[1]), h(d[2], d[3])), d[4])},
      {6, h(h(h(d[0], d[1]), h(d[2], d[3])), h(d[4], d[5]))},
      {7, h(h(h(d[0], d[1]), h(d[2], d[3])), h(h(d[4], d[5]), d[6]))},
  };
  for (const auto& c : cases) {
    std::vector<std::string> leaves(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(c.n));
    EXPECT_EQ(Hex(TreeHash(leaves)), Hex(c.root)) << c.n;
  }
}

TEST(MerkleHash, Rfc6962ReferenceRoots) {
  const char* roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  auto all = ReferenceLeaves();
  for (size_t n = 1; n <= all.size(); ++n) {
    std::vector<std::string> leaves(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    EXPECT_EQ(Hex(TreeHash(leaves)), roots[n - 1]) << n;
  }
}

TEST(MerkleHash, SplitPointIsLargestPowerOfTwoBelow) {
  struct Case {
    uint64_t n, k;
  } cases[] = {{2, 1}, {3, 2}, {4, 2}, {5, 4}, {8, 4}, {9, 8}, {1000000, 524288}};
  for (const auto& c : cases) EXPECT_EQ(merkle::SplitPoint(c.n), c.k) << c.n;
}

TEST(Frontier, RootMatchesTreeHashAndReportsCompletedSubtrees) {
  merkle::Frontier f;
  std::vector<std::string> leaves;
  EXPECT_EQ(f.Root(), merkle::EmptyRoot());
  for (int i = 0; i < 300; ++i) {
    leaves.push_back(HashLeaf("x" + std::to_string(i)));
    std::vector<merkle::Node> nodes;
    f.Push(leaves.back(), &nodes);
    ASSERT_EQ(f.size(), leaves.size());
    ASSERT_EQ(Hex(f.Root()), Hex(TreeHash(leaves))) << leaves.size();
    // Leaf i completes one subtree per trailing one bit of i.
    ASSERT_EQ(nodes.size(), static_cast<size_t>(std::countr_one(static_cast<unsigned>(i))));
    for (const auto& n : nodes) {
      size_t width = size_t{1} << n.level;
      EXPECT_EQ(n.hash, merkle::RangeHash(leaves, n.pos * width, (n.pos + 1) * width));
    }
    auto copy = merkle::Frontier::Parse(f.size(), f.Serialize());
    ASSERT_TRUE(copy.ok());
    ASSERT_EQ(copy->Root(), f.Root());
  }
  EXPECT_FALSE(merkle::Frontier::Parse(3, std::string(32, 'x')).ok());  // 3 needs two hashes
}

InclusionProof ProofFor(const std::vector<std::string>& leaves, uint64_t index) {
  return InclusionProof{static_cast<int64_t>(index), static_cast<int64_t>(leaves.size()),
                        leaves[index], merkle::InclusionPath(leaves, index)};
}

TEST(Inclusion, PathsVerifyForEveryLeafOfSmallTrees) {
  std::vector<std::string> leaves;
  for (int n = 1; n <= 70; ++n) {
    leaves.push_back(HashLeaf("e" + std::to_string(n)));
    std::string root = TreeHash(leaves);
    for (int i = 0; i < n; ++i) {
      InclusionProof p = ProofFor(leaves, i);
      ASSERT_TRUE(VerifyInclusion(p, root)) << n << " " << i;
      // Path length: depth of leaf i, at most ceil(log2 n).
      ASSERT_LE(p.path.size(), static_cast<size_t>(std::bit_width(static_cast<unsigned>(n - 1))));
    }
  }
}

TEST(Inclusion, HandComputedPathOfThreeLeaves) {
  std::vector<std::string> d = {HashLeaf("a"), HashLeaf("b"), HashLeaf("c")};
  // Tree: root = H(H(a,b), c).
  auto p2 = merkle::InclusionPath(d, 2);
  ASSERT_EQ(p2.size(), 1u);
  EXPECT_EQ(p2[0], HashChildren(d[0], d[1]));
  auto p0 = merkle::InclusionPath(d, 0);
  ASSERT_EQ(p0.size(), 2u);
  EXPECT_EQ(p0[0], d[1]);
  EXPECT_EQ(p0[1], d[2]);
}

TEST(Inclusion, AnyFlippedBitFails) {
  std::vector<std::string> leaves;
  for (int i = 0; i < 21; ++i) leaves.push_back(HashLeaf("f" + std::to_string(i)));
  std::string root = TreeHash(leaves);
  for (uint64_t index : {0u, 7u, 13u, 20u}) {
    InclusionProof good = ProofFor(leaves, index);
    ASSERT_TRUE(VerifyInclusion(good, root));
    for (size_t e = 0; e <= good.path.size(); ++e) {
      for (int bit = 0; bit < 256; ++bit) {
        InclusionProof bad = good;
        std::string& target = e < good.path.size() ? bad.path[e] : bad.leaf_hash;
        target[bit / 8] = static_cast<char>(target[bit / 8] ^ (1 << (bit % 8)));
        ASSERT_FALSE(VerifyInclusion(bad, root)) << index << " " << e << " " << bit;
      }
    }
    for (int bit = 0; bit < 256; ++bit) {
      std::string bad_root = root;
      bad_root[bit / 8] = static_cast<char>(bad_root[bit / 8] ^ (1 << (bit % 8)));
      ASSERT_FALSE(VerifyInclusion(good, bad_root));
    }
  }
}

TEST(Inclusion, MalformedProofsFail) {
  std::vector<std::string> leaves;
  for (int i = 0; i < 10; ++i) leaves.push_back(HashLeaf("g" + std::to_string(i)));
  std::string root = TreeHash(leaves);
  // The last leaf: its path's shape depends on the tree size. (For a leaf inside a perfect
  // subtree the shape does not, which is why the signed checkpoint carries the size.)
  InclusionProof good = ProofFor(leaves, 9);
  ASSERT_TRUE(VerifyInclusion(good, root));
  auto check = [&](const char* what, auto mutate) {
    InclusionProof p = good;
    mutate(p);
    EXPECT_FALSE(VerifyInclusion(p, root)) << what;
  };
  check("other index", [](InclusionProof& p) { p.index = 8; });
  check("negative index", [](InclusionProof& p) { p.index = -1; });
  check("index past size", [](InclusionProof& p) { p.index = 10; });
  check("other size", [](InclusionProof& p) { p.tree_size = 11; });
  check("smaller size", [](InclusionProof& p) { p.tree_size = 9; });
  check("short path", [](InclusionProof& p) { p.path.pop_back(); });
  check("long path", [](InclusionProof& p) { p.path.push_back(p.path.back()); });
  check("short hash", [](InclusionProof& p) { p.path[0].pop_back(); });
  check("empty leaf", [](InclusionProof& p) { p.leaf_hash.clear(); });
  check("other leaf", [&](InclusionProof& p) { p.leaf_hash = leaves[8]; });
  EXPECT_FALSE(VerifyInclusion(good, root.substr(1)));
}

ConsistencyProof ConsistencyFor(const std::vector<std::string>& leaves, int64_t first) {
  return ConsistencyProof{first, static_cast<int64_t>(leaves.size()),
                          first == 0
                              ? std::vector<std::string>{}
                              : merkle::ConsistencyPath(leaves, static_cast<uint64_t>(first))};
}

// The consistency proofs of the RFC 6962 reference test vectors (certificate-transparency merkle
// tests), over the same eight leaves as the roots above.
TEST(Consistency, Rfc6962ReferenceProofs) {
  struct Case {
    size_t first, second;
    std::vector<const char*> path;
  } cases[] = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  auto all = ReferenceLeaves();
  for (const auto& c : cases) {
    std::vector<std::string> second(all.begin(), all.begin() + static_cast<ptrdiff_t>(c.second));
    std::vector<std::string> first(all.begin(), all.begin() + static_cast<ptrdiff_t>(c.first));
    ConsistencyProof p = ConsistencyFor(second, static_cast<int64_t>(c.first));
    ASSERT_EQ(p.path.size(), c.path.size()) << c.first << "->" << c.second;
    for (size_t i = 0; i < c.path.size(); ++i) EXPECT_EQ(Hex(p.path[i]), c.path[i]);
    EXPECT_TRUE(VerifyConsistency(p, TreeHash(first), TreeHash(second)))
        << c.first << "->" << c.second;
  }
}

TEST(Consistency, EveryPairOfSmallTreesVerifiesAndNothingElseDoes) {
  std::vector<std::string> all;
  for (int i = 0; i < 40; ++i) all.push_back(HashLeaf("c" + std::to_string(i)));
  for (size_t n = 1; n <= all.size(); ++n) {
    std::vector<std::string> second(all.begin(), all.begin() + static_cast<ptrdiff_t>(n));
    const std::string second_root = TreeHash(second);
    for (size_t m = 0; m <= n; ++m) {
      std::vector<std::string> first(all.begin(), all.begin() + static_cast<ptrdiff_t>(m));
      const std::string first_root = TreeHash(first);
      ConsistencyProof p = ConsistencyFor(second, static_cast<int64_t>(m));
      ASSERT_TRUE(VerifyConsistency(p, first_root, second_root)) << m << "->" << n;
      if (m == 0 || m == n) continue;
      // A rewritten older tree (one leaf changed) is not extended by the newer one.
      std::vector<std::string> forked = first;
      forked[m / 2] = HashLeaf("forged");
      EXPECT_FALSE(VerifyConsistency(p, TreeHash(forked), second_root)) << m << "->" << n;
      // Nor is the proof good for other sizes or other roots.
      ConsistencyProof other = p;
      other.first = static_cast<int64_t>(m) + 1;
      EXPECT_FALSE(VerifyConsistency(other, first_root, second_root)) << m << "->" << n;
      EXPECT_FALSE(VerifyConsistency(p, first_root, first_root)) << m << "->" << n;
      for (size_t e = 0; e < p.path.size(); ++e) {
        ConsistencyProof bad = p;
        bad.path[e][e % 32] = static_cast<char>(bad.path[e][e % 32] ^ 1);
        EXPECT_FALSE(VerifyConsistency(bad, first_root, second_root)) << m << "->" << n;
      }
      ConsistencyProof short_path = p;
      short_path.path.pop_back();
      EXPECT_FALSE(VerifyConsistency(short_path, first_root, second_root)) << m << "->" << n;
    }
  }
  // A cut-back log: the older tree is the larger one.
  std::vector<std::string> small(all.begin(), all.begin() + 20);
  ConsistencyProof backwards{30, 20, {}};
  EXPECT_FALSE(VerifyConsistency(backwards, TreeHash(all), TreeHash(small)));
}

TEST(LeafData, EncodesEveryFieldUnambiguously) {
  Entry e{5,       1700000000000,          "acct_1", "session.login", "sess_9", 2,
          "req-1", crypto::Sha256Hex("{}")};
  std::string base = LeafHash(e);
  std::vector<std::pair<const char*, Entry>> variants;
  auto vary = [&](const char* name, auto mutate) {
    Entry v = e;
    mutate(v);
    variants.push_back({name, v});
  };
  vary("index", [](Entry& v) { v.index = 6; });
  vary("time", [](Entry& v) { v.time_ms += 1; });
  vary("actor", [](Entry& v) { v.actor = "acct_2"; });
  vary("action", [](Entry& v) { v.action = "session.logout"; });
  vary("object", [](Entry& v) { v.object = "sess_8"; });
  vary("municipality", [](Entry& v) { v.municipality_id = 3; });
  vary("request", [](Entry& v) { v.request_id = "req-2"; });
  vary("details", [](Entry& v) { v.details_hash = crypto::Sha256Hex("{ }"); });
  // Moving bytes between adjacent fields changes the encoding (length prefixes).
  vary("boundary", [](Entry& v) {
    v.actor = "acct_1s";
    v.action = "ession.login";
  });
  for (const auto& [name, v] : variants) EXPECT_NE(LeafHash(v), base) << name;
  EXPECT_EQ(LeafHash(e), HashLeaf(LeafData(e)));
}

}  // namespace
}  // namespace baladiya::audit
