// Cryptographic building blocks on libsodium. See crypto.h for the contracts.
#include "platform/crypto/crypto.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <optional>

namespace baladiya::crypto {
namespace {

const uint8_t* Bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }
uint8_t* Bytes(std::string& s) { return reinterpret_cast<uint8_t*>(s.data()); }

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "error.invalid", std::move(detail));
}
Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "error.unavailable", std::move(detail));
}

}  // namespace

Status InitCrypto() {
  if (sodium_init() < 0) {
    return MakeError(ErrorCode::kInternal, "error.internal", "sodium_init failed");
  }
  return Ok();
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  randombytes_buf(out.data(), n);
  return out;
}

std::string RandomToken(size_t bytes) {
  std::string raw = RandomBytes(bytes);
  std::string token = ToBase64Url(raw);
  sodium_memzero(raw.data(), raw.size());
  return token;
}

std::string Sha256(std::string_view data) {
  std::string out(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(Bytes(out), Bytes(data), data.size());
  return out;
}

std::string Sha256Hex(std::string_view data) { return ToHex(Sha256(data)); }

std::string HmacSha256(const Key32& key, std::string_view data) {
  static_assert(crypto_auth_hmacsha256_KEYBYTES == 32);
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(data), data.size());
  std::string out(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_final(&state, Bytes(out));
  sodium_memzero(&state, sizeof state);
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string ToHex(std::string_view bytes) {
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.pop_back();  // the terminating NUL
  return out;
}

Result<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return Invalid("hex: odd length");
  std::string out(hex.size() / 2, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(Bytes(out), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size() || len != out.size()) {
    return Invalid("hex: bad character");
  }
  return out;
}

std::string ToBase64Url(std::string_view bytes) {
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(), kVariant);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> FromBase64Url(std::string_view text) {
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(Bytes(out), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size()) {
    return Invalid("base64url: bad input");
  }
  out.resize(len);
  return out;
}

std::string Seal(const Key32& key, std::string_view plaintext, std::string_view ad) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  std::string out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  randombytes_buf(out.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(Bytes(out) + kNonce, &written, Bytes(plaintext),
                                             plaintext.size(), Bytes(ad), ad.size(), nullptr,
                                             Bytes(out), key.data());
  out.resize(kNonce + written);
  return out;
}

Result<std::string> Open(const Key32& key, std::string_view sealed, std::string_view ad) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  constexpr size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
  if (sealed.size() < kNonce + kTag) return Invalid("aead: too short");
  std::string out(sealed.size() - kNonce - kTag, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          Bytes(out), &written, nullptr, Bytes(sealed) + kNonce, sealed.size() - kNonce, Bytes(ad),
          ad.size(), Bytes(sealed), key.data()) != 0) {
    return Invalid("aead: authentication failed");
  }
  out.resize(written);
  return out;
}

Key32 DeriveKey(const Key32& master, uint64_t id, std::string_view context8) {
  static_assert(crypto_kdf_CONTEXTBYTES == 8 && crypto_kdf_KEYBYTES == 32);
  assert(context8.size() == crypto_kdf_CONTEXTBYTES);
  char ctx[crypto_kdf_CONTEXTBYTES] = {};
  std::memcpy(ctx, context8.data(), std::min(context8.size(), sizeof ctx));
  Key32 sub{};
  crypto_kdf_derive_from_key(sub.data(), sub.size(), id, ctx, master.data());
  return sub;
}

SigningKey SigningKeyFromSeed(const Key32& seed) {
  static_assert(crypto_sign_SEEDBYTES == 32 && crypto_sign_SECRETKEYBYTES == 64);
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key.data(), key.secret.data(), seed.data());
  return key;
}

std::string Sign(const SigningKey& key, std::string_view message) {
  std::string sig(crypto_sign_BYTES, '\0');
  crypto_sign_detached(Bytes(sig), nullptr, Bytes(message), message.size(), key.secret.data());
  return sig;
}

bool Verify(const std::array<uint8_t, 32>& public_key, std::string_view message,
            std::string_view signature) {
  if (signature.size() != crypto_sign_BYTES) return false;
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(),
                                     public_key.data()) == 0;
}

// ---- Key file ---------------------------------------------------------------------------------
//
// Format (text, ASCII):
//   baladiya-keys v1
//   master=<64 lowercase hex>
//   blind_index=<64 hex>
//   signing_seed=<64 hex>
// Each of the three keys exactly once, in any order; blank lines and '#' comments are allowed.
// Anything else makes the file malformed. Error details never quote file content.
namespace {

constexpr std::string_view kKeyFileHeader = "baladiya-keys v1";
constexpr size_t kMaxKeyFileBytes = 4096;

// Parses one "name=<hex>" value into a 32-byte key; false when it is not 64 hex digits.
bool ParseKey(std::string_view hex, Key32& key) {
  if (hex.size() != 64) return false;
  size_t len = 0;
  const char* end = nullptr;
  return sodium_hex2bin(key.data(), key.size(), hex.data(), hex.size(), nullptr, &len, &end) == 0 &&
         len == key.size() && end == hex.data() + hex.size();
}

Result<KeyFile> ParseKeyFile(std::string_view text) {
  KeyFile keys;
  bool have_header = false, have_master = false, have_blind = false, have_seed = false;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    if (!have_header) {
      if (line != kKeyFileHeader) return Invalid("key file: missing 'baladiya-keys v1' header");
      have_header = true;
      continue;
    }
    size_t eq = line.find('=');
    std::string_view name = line.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : line.substr(eq + 1);
    bool* seen = name == "master"         ? &have_master
                 : name == "blind_index"  ? &have_blind
                 : name == "signing_seed" ? &have_seed
                                          : nullptr;
    Key32* slot = name == "master"        ? &keys.master
                  : name == "blind_index" ? &keys.blind_index
                                          : &keys.signing_seed;
    if (seen == nullptr || *seen || !ParseKey(value, *slot)) {
      return Invalid("key file: malformed line " + std::to_string(line_no));
    }
    *seen = true;
  }
  if (!have_header || !have_master || !have_blind || !have_seed) {
    return Invalid("key file: missing header or keys");
  }
  return keys;
}

std::string FormatKeyFile(const KeyFile& keys) {
  auto hex = [](const Key32& k) {
    return ToHex(std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
  };
  return std::string(kKeyFileHeader) + "\nmaster=" + hex(keys.master) +
         "\nblind_index=" + hex(keys.blind_index) + "\nsigning_seed=" + hex(keys.signing_seed) +
         "\n";
}

std::string ErrnoText(int err) { return std::strerror(err); }

std::string ParentOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Creates dir and its missing parents with mode 0700. kUnavailable with one line on failure.
Status MakeDirs(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string prefix = dir.substr(0, pos);
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Unavailable("key file: cannot create folder " + prefix + ": " + ErrnoText(errno));
    }
  }
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Unavailable("key file: " + dir + " is not a folder");
  }
  return Ok();
}

// Reads an open key file after checking it is a regular file that only its owner can access.
Result<KeyFile> ReadKeyFd(int fd, const std::string& path) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Unavailable("key file: cannot stat " + path);
  if (!S_ISREG(st.st_mode)) return Invalid("key file: " + path + " is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return Invalid("key file: " + path + " is accessible by group/others (chmod 600 it)");
  }
  std::string text(kMaxKeyFileBytes + 1, '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Unavailable("key file: cannot read " + path + ": " + ErrnoText(errno));
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  Result<KeyFile> keys = got > kMaxKeyFileBytes
                             ? Result<KeyFile>(Invalid("key file: " + path + " is too large"))
                             : ParseKeyFile(std::string_view(text.data(), got));
  sodium_memzero(text.data(), text.size());
  return keys;
}

// Writes all of data to fd; false on error (errno set).
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Writes keys into a fresh temporary file (mode 0600) in the same folder, synced to disk.
// Returns its path.
Result<std::string> WriteTempKeyFile(const std::string& path, const KeyFile& keys) {
  std::string tmp = path + ".tmp-" + ToHex(RandomBytes(6));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("key file: cannot create " + tmp + ": " + ErrnoText(errno));
  std::string text = FormatKeyFile(keys);
  bool ok = ::fchmod(fd, 0600) == 0 && WriteAll(fd, text) && ::fsync(fd) == 0;
  int err = errno;
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    return Unavailable("key file: cannot write " + tmp + ": " + ErrnoText(err));
  }
  return tmp;
}

void SyncFolder(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Creates the key file with fresh keys. The temporary file is hard-linked into place so that an
// existing file (another process won the race) is never replaced; returns nullopt in that case.
// Falls back to rename() on file systems without hard links.
Result<std::optional<KeyFile>> CreateKeyFile(const std::string& path) {
  KeyFile keys;
  randombytes_buf(keys.master.data(), keys.master.size());
  randombytes_buf(keys.blind_index.data(), keys.blind_index.size());
  randombytes_buf(keys.signing_seed.data(), keys.signing_seed.size());
  Result<std::string> tmp = WriteTempKeyFile(path, keys);
  if (!tmp.ok()) return std::move(tmp).error();
  int rc = ::link(tmp->c_str(), path.c_str());
  int err = errno;
  if (rc != 0 && err != EEXIST) {
    rc = ::rename(tmp->c_str(), path.c_str());
    err = errno;
  }
  ::unlink(tmp->c_str());
  if (rc != 0 && err == EEXIST) return std::optional<KeyFile>();
  if (rc != 0) return Unavailable("key file: cannot create " + path + ": " + ErrnoText(err));
  SyncFolder(ParentOf(path));
  return std::optional<KeyFile>(keys);
}

}  // namespace

Result<KeyFile> LoadOrCreateKeyFile(const std::string& path) {
  if (path.empty()) return Unavailable("key file: empty path");
  if (Status dirs = MakeDirs(ParentOf(path)); !dirs.ok()) return std::move(dirs).error();
  for (int attempt = 0; attempt < 2; ++attempt) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      Result<KeyFile> keys = ReadKeyFd(fd, path);
      ::close(fd);
      return keys;
    }
    if (errno != ENOENT) {
      return Unavailable("key file: cannot open " + path + ": " + ErrnoText(errno));
    }
    Result<std::optional<KeyFile>> created = CreateKeyFile(path);
    if (!created.ok()) return std::move(created).error();
    if (created->has_value()) return **created;
    // Another process created it meanwhile: read theirs.
  }
  return Unavailable("key file: " + path + " keeps disappearing");
}

}  // namespace baladiya::crypto
