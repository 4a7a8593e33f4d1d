// Exchange between municipalities that run their own Baladiya servers, without a security server:
// each server signs for each of its municipalities with an Ed25519 key derived from its key file
// (MunicipalityKey) and publishes the public keys as a JWK set at kKeySetPath; a municipal admin
// registers a peer (its base URL and municipality), whose key is fetched once and pinned
// (PeerStore::Add, audited). Messages between peers are signed (RFC 9421, Ed25519) over
// "@method" "@path" "content-digest" with created, nonce and keyid, and carry an RFC 9530
// Content-Digest (platform/crypto/http_signature.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit.h"
#include "interop/interop.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::interop {

// Where a server publishes its municipalities' public keys (a JWK set, RFC 7517: each key
// {"kty":"OKP","crv":"Ed25519","x":base64url,"kid","use":"sig","alg":"EdDSA"} with the member
// "municipality": the municipality's slug).
inline constexpr std::string_view kKeySetPath = "/.well-known/baladiya-keys";
// How far a message's created time may be from the receiver's clock.
inline constexpr int64_t kPeerSkewSeconds = 300;

// The municipality's signing key, derived from the key file's signing seed and its id.
crypto::SigningKey MunicipalityKey(const crypto::Key32& signing_seed, int64_t municipality_id);
// "<slug>-<16 hex digits of SHA-256(public key)>": names the key and pins it to its bytes.
std::string KeyId(std::string_view slug, const std::array<uint8_t, 32>& public_key);

struct PeerKey {
  std::string municipality;  // its slug on the peer's server
  std::string keyid;
  std::array<uint8_t, 32> public_key{};
};
// The key set's JSON for the given keys.
std::string KeySetJson(const std::vector<PeerKey>& keys);
// The key of `municipality` in a key set; kInvalid "interop.peer.keyset_malformed" when the JSON
// is not a key set or the key's kid does not name its bytes, kNotFound "interop.peer.key_missing"
// when the set has no Ed25519 key for that municipality.
Result<PeerKey> KeyFromSet(std::string_view json, std::string_view municipality);
// GETs base_url + kKeySetPath (time limit timeout_ms, at most 64 KB) and picks the
// municipality's key. kUnavailable "interop.peer.unreachable" when no answer came.
Result<PeerKey> FetchPeerKey(std::string_view base_url, std::string_view municipality,
                             int timeout_ms = 3000);

// A municipality on another server that this municipality exchanges with.
struct Peer {
  int64_t id = 0;
  int64_t municipality_id = 0;  // ours
  std::string base_url;         // "https://baladiya.nablus.ps" (no trailing slash)
  std::string municipality;     // its slug there
  std::string keyid;
  std::array<uint8_t, 32> public_key{};
  std::string registered_by;
  int64_t registered_at = 0;
};

// http:// or https://, a host, an optional port and path, no query, fragment or user info; at
// most 200 characters. The trailing slash is dropped.
std::optional<std::string> NormalizeBaseUrl(std::string_view url);
// A municipality slug: 2 to 32 of [a-z0-9-].
bool ValidSlug(std::string_view slug);

// The peers and the nonces they have spent. Thread-safe; each call its own transaction.
class PeerStore {
 public:
  PeerStore(db::Database& db, audit::AuditLog* audit) : db_(db), audit_(audit) {}

  // Registers a peer with its pinned key. kInvalid "interop.peer.url_invalid" /
  // "interop.peer.slug_invalid"; kConflict "interop.peer.exists" when the municipality already
  // has a peer with this key id. Audited "peer.add" (object the key id).
  Result<Peer> Add(int64_t municipality_id, std::string_view base_url, const PeerKey& key,
                   const Actor& actor, int64_t now_ms);
  // kNotFound when the municipality has no such peer. Audited "peer.remove".
  Status Remove(int64_t municipality_id, int64_t peer_id, const Actor& actor, int64_t now_ms);
  Result<std::vector<Peer>> List(int64_t municipality_id);
  // kNotFound when the municipality has no such peer.
  Result<Peer> Get(int64_t municipality_id, int64_t peer_id);
  // The municipality's peer whose key id this is; kNotFound when none.
  Result<Peer> ByKeyId(int64_t municipality_id, std::string_view keyid);
  // Spends a peer's nonce inside tx: kForbidden "interop.peer.replayed" when it was seen before
  // (nonces older than twice the allowed skew are forgotten: their messages are stale anyway).
  Status SpendNonce(db::Tx& tx, int64_t peer_id, std::string_view nonce, int64_t now_ms);

 private:
  db::Database& db_;
  audit::AuditLog* audit_;
};

}  // namespace baladiya::interop

namespace baladiya::interop {

// One HTTP exchange with a peer (libcurl): ok when an answer came (any status).
struct PeerAnswer {
  bool ok = false;
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names, the last value of each
};
PeerAnswer PeerCall(std::string_view method, const std::string& url,
                    const std::vector<std::string>& header_lines, std::string_view body,
                    int timeout_ms, size_t max_bytes = 256 * 1024);

}  // namespace baladiya::interop
