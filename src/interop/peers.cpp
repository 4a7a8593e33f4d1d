// Peers, their keys and the key set (peers.h).
#include "interop/peers.h"

#include <curl/curl.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstring>
#include <memory>

#include "interop/curl_handles.h"

namespace baladiya::interop {
namespace {

namespace json = boost::json;

using internal::CurlFree;
using internal::SlistFree;

struct Sink {
  PeerAnswer* out = nullptr;
  size_t limit = 0;
  bool oversized = false;
};

size_t CollectBody(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  if (s->out->body.size() + size * n > s->limit) {
    s->oversized = true;
    return 0;
  }
  s->out->body.append(data, size * n);
  return size * n;
}

size_t CollectHeader(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<Sink*>(user);
  std::string_view line(data, size * n);
  const size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    while (!value.empty() &&
           (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
      value.remove_suffix(1);
    }
    s->out->headers[name] = std::string(value);
  }
  return size * n;
}

Status AuditPeer(audit::AuditLog* log, db::Tx& tx, const Actor& actor, const char* action,
                 const std::string& object, int64_t municipality_id, std::string details,
                 int64_t now_ms) {
  if (log == nullptr) return Ok();
  audit::EntryInput in;
  in.time_ms = now_ms;
  in.actor = actor.pseudonym;
  in.action = action;
  in.object = object;
  in.municipality_id = municipality_id;
  in.request_id = actor.request_id;
  in.details = std::move(details);
  auto r = log->Append(tx, in);
  if (!r.ok()) return std::move(r).error();
  return Ok();
}

constexpr char kPeerColumns[] =
    "SELECT id, municipality_id, base_url, peer_municipality, keyid, public_key, registered_by, "
    "registered_at FROM interop_peers ";

Result<std::vector<Peer>> ReadPeers(db::Database& db, const std::string& where,
                                    const db::Params& p) {
  auto rows = db.Query(kPeerColumns + where + " ORDER BY peer_municipality, id", p);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Peer> out;
  for (const db::Row& r : *rows) {
    Peer peer;
    peer.id = r.Int(0);
    peer.municipality_id = r.Int(1);
    peer.base_url = r.Text(2);
    peer.municipality = r.Text(3);
    peer.keyid = r.Text(4);
    auto key = crypto::FromHex(r.Text(5));
    if (key.ok() && key->size() == 32) std::memcpy(peer.public_key.data(), key->data(), 32);
    peer.registered_by = r.Text(6);
    peer.registered_at = r.Int(7);
    out.push_back(std::move(peer));
  }
  return out;
}

}  // namespace

crypto::SigningKey MunicipalityKey(const crypto::Key32& signing_seed, int64_t municipality_id) {
  return crypto::SigningKeyFromSeed(
      crypto::DeriveKey(signing_seed, static_cast<uint64_t>(municipality_id), "peersign"));
}

std::string KeyId(std::string_view slug, const std::array<uint8_t, 32>& public_key) {
  const std::string hash = crypto::Sha256Hex(
      std::string_view(reinterpret_cast<const char*>(public_key.data()), public_key.size()));
  return std::string(slug) + "-" + hash.substr(0, 16);
}

bool ValidSlug(std::string_view slug) {
  if (slug.size() < 2 || slug.size() > 32) return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::optional<std::string> NormalizeBaseUrl(std::string_view url) {
  std::string u(url);
  while (u.ends_with("/")) u.pop_back();
  if (u.size() > 200) return std::nullopt;
  size_t host_at = 0;
  if (u.starts_with("http://")) {
    host_at = 7;
  } else if (u.starts_with("https://")) {
    host_at = 8;
  } else {
    return std::nullopt;
  }
  if (host_at >= u.size()) return std::nullopt;
  for (unsigned char c : u) {
    if (c <= 0x20 || c > 0x7e || c == '?' || c == '#' || c == '@' || c == '\\' || c == '"' ||
        c == '<' || c == '>') {
      return std::nullopt;
    }
  }
  if (u[host_at] == '/' || u[host_at] == ':') return std::nullopt;
  return u;
}

std::string KeySetJson(const std::vector<PeerKey>& keys) {
  json::array set;
  for (const PeerKey& k : keys) {
    set.push_back(json::object{
        {"kty", "OKP"},
        {"crv", "Ed25519"},
        {"x", crypto::ToBase64Url(std::string_view(
                  reinterpret_cast<const char*>(k.public_key.data()), k.public_key.size()))},
        {"kid", k.keyid},
        {"use", "sig"},
        {"alg", "EdDSA"},
        {"municipality", k.municipality}});
  }
  return json::serialize(json::object{{"keys", std::move(set)}});
}

Result<PeerKey> KeyFromSet(std::string_view text, std::string_view municipality) {
  auto malformed = [](const char* detail) {
    return MakeError(ErrorCode::kInvalid, "interop.peer.keyset_malformed", detail);
  };
  std::error_code ec;
  json::value v = json::parse(text, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* keys = o ? o->if_contains("keys") : nullptr;
  if (!keys || !keys->is_array()) return malformed("no keys array");
  for (const json::value& k : keys->as_array()) {
    const json::object* ko = k.if_object();
    if (!ko) return malformed("a key is not an object");
    auto text_of = [ko](const char* name) -> std::string {
      const json::value* f = ko->if_contains(name);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    if (text_of("municipality") != municipality || text_of("kty") != "OKP" ||
        text_of("crv") != "Ed25519") {
      continue;
    }
    auto raw = crypto::FromBase64Url(text_of("x"));
    if (!raw.ok() || raw->size() != 32) return malformed("x is not a 32-byte key");
    PeerKey out;
    out.municipality = std::string(municipality);
    std::memcpy(out.public_key.data(), raw->data(), 32);
    out.keyid = text_of("kid");
    if (out.keyid != KeyId(municipality, out.public_key)) {
      return malformed("kid does not name the key");
    }
    return out;
  }
  return MakeError(ErrorCode::kNotFound, "interop.peer.key_missing", std::string(municipality));
}

PeerAnswer PeerCall(std::string_view method, const std::string& url,
                    const std::vector<std::string>& header_lines, std::string_view body,
                    int timeout_ms, size_t max_bytes) {
  PeerAnswer out;
  std::unique_ptr<CURL, CurlFree> h(curl_easy_init());
  if (!h) return out;
  std::unique_ptr<curl_slist, SlistFree> headers;
  for (const std::string& line : header_lines) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  }
  headers.reset(curl_slist_append(headers.release(), "Expect:"));
  Sink sink{&out, max_bytes, false};
  const std::string m(method);
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, CollectBody);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &sink);
  if (m == "POST") {
    curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(h.get());
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  out.status = static_cast<int>(status);
  out.ok = rc == CURLE_OK && !sink.oversized && status > 0;
  return out;
}

Result<PeerKey> FetchPeerKey(std::string_view base_url, std::string_view municipality,
                             int timeout_ms) {
  auto base = NormalizeBaseUrl(base_url);
  if (!base) return MakeError(ErrorCode::kInvalid, "interop.peer.url_invalid");
  PeerAnswer a =
      PeerCall("GET", *base + std::string(kKeySetPath),
               {"Accept: application/jwk-set+json, application/json"}, "", timeout_ms, 64 * 1024);
  if (!a.ok || a.status != 200) {
    return MakeError(ErrorCode::kUnavailable, "interop.peer.unreachable",
                     "status " + std::to_string(a.status));
  }
  return KeyFromSet(a.body, municipality);
}

Result<Peer> PeerStore::Add(int64_t municipality_id, std::string_view base_url, const PeerKey& key,
                            const Actor& actor, int64_t now_ms) {
  auto base = NormalizeBaseUrl(base_url);
  if (!base) return MakeError(ErrorCode::kInvalid, "interop.peer.url_invalid");
  if (!ValidSlug(key.municipality))
    return MakeError(ErrorCode::kInvalid, "interop.peer.slug_invalid");
  Peer p;
  p.municipality_id = municipality_id;
  p.base_url = *base;
  p.municipality = key.municipality;
  p.keyid = key.keyid;
  p.public_key = key.public_key;
  p.registered_by = actor.pseudonym;
  p.registered_at = now_ms;
  const std::string hex = crypto::ToHex(std::string_view(
      reinterpret_cast<const char*>(key.public_key.data()), key.public_key.size()));
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto seen = tx.Query("SELECT id FROM interop_peers WHERE municipality_id = ? AND keyid = ?",
                         {municipality_id, p.keyid});
    if (!seen.ok()) return std::move(seen).error();
    if (!seen->empty()) return MakeError(ErrorCode::kConflict, "interop.peer.exists");
    auto rows = tx.Query(
        "INSERT INTO interop_peers (municipality_id, base_url, peer_municipality, keyid, "
        "public_key, registered_by, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {municipality_id, p.base_url, p.municipality, p.keyid, hex, p.registered_by, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    p.id = (*rows)[0].Int(0);
    return AuditPeer(audit_, tx, actor, "peer.add", p.keyid, municipality_id,
                     "{\"url\":\"" + p.base_url + "\",\"key\":\"" + hex + "\"}", now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return p;
}

Status PeerStore::Remove(int64_t municipality_id, int64_t peer_id, const Actor& actor,
                         int64_t now_ms) {
  return db_.Write([&](db::Tx& tx) -> Status {
    auto rows =
        tx.Query("DELETE FROM interop_peers WHERE municipality_id = ? AND id = ? RETURNING keyid",
                 {municipality_id, peer_id});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "interop.peer.unknown");
    return AuditPeer(audit_, tx, actor, "peer.remove", (*rows)[0].Text(0), municipality_id, "",
                     now_ms);
  });
}

Result<std::vector<Peer>> PeerStore::List(int64_t municipality_id) {
  return ReadPeers(db_, "WHERE municipality_id = ?", {municipality_id});
}

Result<Peer> PeerStore::Get(int64_t municipality_id, int64_t peer_id) {
  auto list = ReadPeers(db_, "WHERE municipality_id = ? AND id = ?", {municipality_id, peer_id});
  if (!list.ok()) return std::move(list).error();
  if (list->empty()) return MakeError(ErrorCode::kNotFound, "interop.peer.unknown");
  return list->front();
}

Result<Peer> PeerStore::ByKeyId(int64_t municipality_id, std::string_view keyid) {
  auto list = ReadPeers(db_, "WHERE municipality_id = ? AND keyid = ?",
                        {municipality_id, std::string(keyid)});
  if (!list.ok()) return std::move(list).error();
  if (list->empty()) return MakeError(ErrorCode::kNotFound, "interop.peer.unknown_key");
  return list->front();
}

Status PeerStore::SpendNonce(db::Tx& tx, int64_t peer_id, std::string_view nonce, int64_t now_ms) {
  auto old = tx.Exec("DELETE FROM interop_peer_nonces WHERE peer_id = ? AND seen_at < ?",
                     {peer_id, now_ms - 2 * kPeerSkewSeconds * 1000});
  if (!old.ok()) return std::move(old).error();
  auto n = tx.Exec(
      "INSERT INTO interop_peer_nonces (peer_id, nonce, seen_at) VALUES (?, ?, ?) "
      "ON CONFLICT (peer_id, nonce) DO NOTHING",
      {peer_id, std::string(nonce), now_ms});
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) return MakeError(ErrorCode::kForbidden, "interop.peer.replayed");
  return Ok();
}

}  // namespace baladiya::interop
