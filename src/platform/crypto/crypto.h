// Cryptographic building blocks on libsodium (OpenSSL only where libsodium lacks a primitive:
// HMAC-SHA1 for TOTP). Every function is thread-safe; call sodium_init() once at start-up
// (InitCrypto does it).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "platform/result.h"

namespace baladiya::crypto {

using Key32 = std::array<uint8_t, 32>;

// Initialises libsodium; kInternal if it cannot. Idempotent.
Status InitCrypto();

// n random bytes.
std::string RandomBytes(size_t n);
// A random token of `bytes` bytes, URL-safe base64 without padding (32 bytes -> 43 chars).
std::string RandomToken(size_t bytes = 32);
// SHA-256 of data (32 raw bytes) and its lowercase hex form.
std::string Sha256(std::string_view data);
std::string Sha256Hex(std::string_view data);
// HMAC-SHA-256 with a 32-byte key (32 raw bytes).
std::string HmacSha256(const Key32& key, std::string_view data);
// Constant-time equality of two byte strings (false when lengths differ).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string ToHex(std::string_view bytes);
// kInvalid on odd length or a non-hex character (upper or lower case accepted).
Result<std::string> FromHex(std::string_view hex);
std::string ToBase64Url(std::string_view bytes);           // no padding
Result<std::string> FromBase64Url(std::string_view text);  // kInvalid on padding or bad chars

// XChaCha20-Poly1305 (IETF) authenticated encryption. The output is nonce || ciphertext+tag.
// ad (associated data) binds the ciphertext to its context, e.g. "account:42:phone", so a value
// cannot be moved to another row or field undetected.
std::string Seal(const Key32& key, std::string_view plaintext, std::string_view ad);
// kInvalid when the ciphertext was altered, belongs to another context or key.
Result<std::string> Open(const Key32& key, std::string_view sealed, std::string_view ad);

// Derives a 32-byte subkey from a master key (crypto_kdf): context is 8 characters
// ("auditsig", "blindidx"), id distinguishes subkeys of the same context. Precondition:
// context8.size() == 8 (asserted in debug builds; a shorter one is padded with NULs).
Key32 DeriveKey(const Key32& master, uint64_t id, std::string_view context8);

// Ed25519.
struct SigningKey {
  std::array<uint8_t, 64> secret{};  // libsodium's secret key (seed || public key)
  std::array<uint8_t, 32> public_key{};
};
SigningKey SigningKeyFromSeed(const Key32& seed);
std::string Sign(const SigningKey& key, std::string_view message);  // 64-byte detached signature
bool Verify(const std::array<uint8_t, 32>& public_key, std::string_view message,
            std::string_view signature);

// The platform's long-lived keys, kept in one file (default var/keys).
struct KeyFile {
  Key32 master{};        // wraps each resident's data key (personal-data encryption)
  Key32 blind_index{};   // HMAC key for lookups of encrypted fields (national ID, phone)
  Key32 signing_seed{};  // Ed25519 seeds for audit checkpoints are derived from it
};

// Reads the key file, or creates it with fresh random keys and mode 0600 when it does not exist
// (its folder is created too, mode 0700). kUnavailable when it cannot be read or created;
// kInvalid when its content is malformed, it is not a regular file, or its mode gives group or
// others any access. Never logs key material (error details never quote the file).
// Format: a "baladiya-keys v1" line, then "master=", "blind_index=" and "signing_seed=" lines,
// each with 64 hex digits, each exactly once; blank lines and '#' comments are allowed.
// Creation is atomic (temporary file with O_EXCL, fsync, then linked into place without replacing
// a file another process created meanwhile, whose keys are then read).
Result<KeyFile> LoadOrCreateKeyFile(const std::string& path);

}  // namespace baladiya::crypto
