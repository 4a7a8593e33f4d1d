#include "platform/crypto/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace baladiya::crypto {
namespace {

namespace fs = std::filesystem;

class CryptoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(InitCrypto().ok()); }
};

Key32 KeyOf(uint8_t fill) {
  Key32 k;
  k.fill(fill);
  return k;
}

std::string AsString(const Key32& k) {
  return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}

TEST_F(CryptoTest, RandomBytesAndTokens) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(17).size(), 17u);
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
  std::string token = RandomToken();
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
      std::string::npos);
  EXPECT_NE(RandomToken(), RandomToken());
}

TEST_F(CryptoTest, Sha256KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

TEST_F(CryptoTest, HmacSha256KnownAnswer) {
  // RFC 4231 test case 2 uses a short key; with a 32-byte key we check against a value computed
  // independently (openssl dgst -sha256 -mac HMAC -macopt hexkey:0b0b...0b).
  Key32 key = KeyOf(0x0b);
  EXPECT_EQ(ToHex(HmacSha256(key, "Hi There")),
            "198a607eb44bfbc69903a0f1cf2bbdc5ba0aa3f3d9ae3c1c7a3b1696a0b68cf7");
  EXPECT_NE(HmacSha256(key, "Hi There"), HmacSha256(KeyOf(0x0c), "Hi There"));
}

TEST_F(CryptoTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST_F(CryptoTest, HexRoundTripAndBadInput) {
  std::string bytes("\x00\x01\xab\xff\x7f", 5);
  EXPECT_EQ(ToHex(bytes), "0001abff7f");
  auto back = FromHex("0001abff7f");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  auto upper = FromHex("0001ABFF7F");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(*upper, bytes);
  EXPECT_EQ(*FromHex(""), "");
  for (std::string_view bad : {"0", "abc", "zz", "0g", "00 11", "١٢"}) {
    auto r = FromHex(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  }
}

TEST_F(CryptoTest, Base64UrlRoundTripAndBadInput) {
  for (size_t n = 0; n < 40; ++n) {
    std::string bytes = RandomBytes(n);
    std::string text = ToBase64Url(bytes);
    EXPECT_EQ(text.find_first_of("+/="), std::string::npos);
    auto back = FromBase64Url(text);
    ASSERT_TRUE(back.ok()) << n;
    EXPECT_EQ(*back, bytes);
  }
  EXPECT_EQ(ToBase64Url("\xfb\xff"), "-_8");
  for (std::string_view bad : {"a", "ab+c", "ab/c", "YQ==", "a b", "ab\n", "@@@@"}) {
    EXPECT_FALSE(FromBase64Url(bad).ok()) << bad;
  }
}

TEST_F(CryptoTest, AeadRoundTrip) {
  Key32 key = KeyOf(7);
  for (std::string_view plain :
       {std::string_view(""), std::string_view("0599123456"), std::string_view("محمد أحمد")}) {
    std::string sealed = Seal(key, plain, "account:42:phone");
    EXPECT_EQ(sealed.size(), 24 + plain.size() + 16);
    auto opened = Open(key, sealed, "account:42:phone");
    ASSERT_TRUE(opened.ok());
    EXPECT_EQ(*opened, plain);
  }
  // Fresh nonce each time.
  EXPECT_NE(Seal(key, "same", "ad"), Seal(key, "same", "ad"));
}

TEST_F(CryptoTest, AeadRefusesWrongAdFlippedBitWrongKeyAndShortInput) {
  Key32 key = KeyOf(7);
  std::string sealed = Seal(key, "401234567", "account:42:national_id");
  EXPECT_EQ(Open(key, sealed, "account:43:national_id").error().code, ErrorCode::kInvalid);
  EXPECT_FALSE(Open(key, sealed, "").ok());
  EXPECT_FALSE(Open(KeyOf(8), sealed, "account:42:national_id").ok());
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_FALSE(Open(key, tampered, "account:42:national_id").ok()) << "byte " << i;
  }
  EXPECT_FALSE(Open(key, sealed.substr(0, sealed.size() - 1), "account:42:national_id").ok());
  EXPECT_FALSE(Open(key, "", "").ok());
  EXPECT_FALSE(Open(key, std::string(39, 'x'), "").ok());
}

TEST_F(CryptoTest, DeriveKeyIsDeterministicAndDistinct) {
  Key32 master = KeyOf(1);
  EXPECT_EQ(DeriveKey(master, 1, "auditsig"), DeriveKey(master, 1, "auditsig"));
  std::set<Key32> seen = {DeriveKey(master, 1, "auditsig"), DeriveKey(master, 2, "auditsig"),
                          DeriveKey(master, 1, "blindidx"), DeriveKey(KeyOf(2), 1, "auditsig"),
                          master};
  EXPECT_EQ(seen.size(), 5u);
}

TEST_F(CryptoTest, Ed25519SignVerify) {
  SigningKey key = SigningKeyFromSeed(KeyOf(3));
  SigningKey same = SigningKeyFromSeed(KeyOf(3));
  EXPECT_EQ(key.public_key, same.public_key);
  std::string sig = Sign(key, "tree_size=10 root=abcd");
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(Verify(key.public_key, "tree_size=10 root=abcd", sig));
  EXPECT_FALSE(Verify(key.public_key, "tree_size=11 root=abcd", sig));
  EXPECT_FALSE(Verify(SigningKeyFromSeed(KeyOf(4)).public_key, "tree_size=10 root=abcd", sig));
  EXPECT_FALSE(Verify(key.public_key, "tree_size=10 root=abcd", sig.substr(0, 63)));
  for (size_t bit = 0; bit < sig.size() * 8; bit += 37) {
    std::string flipped = sig;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(Verify(key.public_key, "tree_size=10 root=abcd", flipped)) << "bit " << bit;
  }
}

TEST_F(CryptoTest, Ed25519Rfc8032TestVector1) {
  // RFC 8032 section 7.1, TEST 1 (empty message).
  Key32 seed;
  std::string raw = *FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  std::copy(raw.begin(), raw.end(), seed.begin());
  SigningKey key = SigningKeyFromSeed(seed);
  std::string pub(reinterpret_cast<const char*>(key.public_key.data()), 32);
  EXPECT_EQ(ToHex(pub), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(ToHex(Sign(key, "")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
}

// ---- Key file ---------------------------------------------------------------------------------

class KeyFileTest : public CryptoTest {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("baladiya-keys-" + ToHex(RandomBytes(6)));
  }
  void TearDown() override {
    std::error_code ec;
    fs::permissions(dir_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(dir_, ec);
  }
  static std::string Slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void Write(const fs::path& p, const std::string& text) {
    std::ofstream(p) << text;
    fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write);
  }
  fs::path dir_;
};

TEST_F(KeyFileTest, CreatesFolderAndFileWithMode0600ThenRereadsIdentically) {
  fs::path path = dir_ / "var" / "keys";
  auto first = LoadOrCreateKeyFile(path.string());
  ASSERT_TRUE(first.ok()) << first.error().detail;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::is_directory(dir_ / "var"));
  EXPECT_NE(first->master, first->blind_index);
  EXPECT_NE(first->master, first->signing_seed);
  EXPECT_NE(first->master, Key32{});

  std::string text = Slurp(path);
  EXPECT_EQ(text.rfind("baladiya-keys v1\nmaster=", 0), 0u);
  EXPECT_NE(text.find("master=" + ToHex(AsString(first->master)) + "\n"), std::string::npos);

  auto second = LoadOrCreateKeyFile(path.string());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->master, first->master);
  EXPECT_EQ(second->blind_index, first->blind_index);
  EXPECT_EQ(second->signing_seed, first->signing_seed);
  EXPECT_EQ(Slurp(path), text);
  // No temporary files left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "var"), fs::directory_iterator()), 1);
}

TEST_F(KeyFileTest, RefusesFileReadableByOthers) {
  fs::path path = dir_ / "keys";
  ASSERT_TRUE(LoadOrCreateKeyFile(path.string()).ok());
  for (fs::perms extra : {fs::perms::group_read | fs::perms::others_read, fs::perms::others_read,
                          fs::perms::group_read, fs::perms::group_write}) {
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | extra);
    auto r = LoadOrCreateKeyFile(path.string());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  }
}

TEST_F(KeyFileTest, RefusesMalformedFilesWithoutQuotingThem) {
  fs::create_directories(dir_);
  const std::string k(64, 'a');
  const std::string good =
      "baladiya-keys v1\nmaster=" + k + "\nblind_index=" + k + "\nsigning_seed=" + k + "\n";
  fs::path path = dir_ / "keys";
  Write(path, "# comment\n\n" + good);
  ASSERT_TRUE(LoadOrCreateKeyFile(path.string()).ok());

  const std::string secret(64, 'b');
  std::vector<std::string> bad = {
      "",
      "garbage",
      "baladiya-keys v2\nmaster=" + k + "\nblind_index=" + k + "\nsigning_seed=" + k + "\n",
      "master=" + k + "\nblind_index=" + k + "\nsigning_seed=" + k + "\n",
      "baladiya-keys v1\nmaster=" + k + "\nblind_index=" + k + "\n",
      "baladiya-keys v1\nmaster=" + k.substr(2) + "\nblind_index=" + k + "\nsigning_seed=" + k,
      "baladiya-keys v1\nmaster=" + secret.substr(1) + "g\nblind_index=" + k +
          "\nsigning_seed=" + k,
      good + "master=" + secret + "\n",
      good + "other=" + secret + "\n",
      good + std::string(5000, '#'),
  };
  for (const std::string& text : bad) {
    Write(path, text);
    auto r = LoadOrCreateKeyFile(path.string());
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().detail.find(secret.substr(0, 16)), std::string::npos);
  }
}

TEST_F(KeyFileTest, UnavailableWhenFolderIsUnderARegularFile) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "plain") << "x";
  auto r = LoadOrCreateKeyFile((dir_ / "plain" / "sub" / "keys").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(r.error().detail.find('\n'), std::string::npos);
  EXPECT_FALSE(r.error().detail.empty());
}

TEST_F(KeyFileTest, UnavailableWhenFolderIsNotWritable) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores folder permissions";
  fs::create_directories(dir_);
  fs::permissions(dir_, fs::perms::owner_read | fs::perms::owner_exec);
  auto r = LoadOrCreateKeyFile((dir_ / "keys").string());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
}

TEST_F(KeyFileTest, RefusesAFolderAtThePath) {
  fs::create_directories(dir_ / "keys");
  auto r = LoadOrCreateKeyFile((dir_ / "keys").string());
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace baladiya::crypto
