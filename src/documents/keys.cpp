// The municipalities' document signing keys, the published key set, checking a code against it,
// and the signed revocation list (documents.h).
#include <boost/json.hpp>
#include <mutex>

#include "documents/documents.h"
#include "platform/i18n/arabic.h"

namespace baladiya::documents {
namespace {

namespace json = boost::json;

constexpr auto kCacheAge = std::chrono::seconds(5);

std::string KeyText(const std::array<uint8_t, 32>& k) {
  return crypto::ToBase64Url(std::string_view(reinterpret_cast<const char*>(k.data()), 32));
}

PublicKey ReadKey(const db::Row& r) {
  PublicKey k;
  auto kid = crypto::FromBase64Url(r.Text(0));
  if (kid.ok()) k.kid = *kid;
  k.municipality_id = r.Int(1);
  k.issuer = r.Text(2);
  k.generation = static_cast<int>(r.Int(3));
  auto raw = crypto::FromBase64Url(r.Text(4));
  if (raw.ok() && raw->size() == 32) std::copy(raw->begin(), raw->end(), k.key.begin());
  k.created_at = r.Int(5);
  k.retired_at = r.Int(6);
  return k;
}

constexpr std::string_view kKeyColumns =
    "kid, municipality_id, issuer, generation, public_key, created_at, retired_at";

}  // namespace

struct KeyStore::Cache {
  std::mutex mu;
  std::vector<PublicKey> keys;
  uint64_t generation = 0;
  std::chrono::steady_clock::time_point at;
  bool filled = false;
};

KeyStore::KeyStore(db::Database& db, const crypto::Key32& signing_seed)
    : db_(db), seed_(signing_seed), cache_(std::make_shared<Cache>()) {}

crypto::SigningKey KeyStore::Secret(int64_t municipality_id, int generation) const {
  const uint64_t id =
      (static_cast<uint64_t>(municipality_id) << 20) | static_cast<uint64_t>(generation & 0xfffff);
  return crypto::SigningKeyFromSeed(crypto::DeriveKey(seed_, id, "docsign1"));
}

Result<std::pair<crypto::SigningKey, PublicKey>> KeyStore::Current(db::Tx& tx,
                                                                   int64_t municipality_id,
                                                                   const std::string& issuer,
                                                                   int64_t now_ms) {
  auto r = tx.Query(std::string("SELECT ") + std::string(kKeyColumns) +
                        " FROM document_keys WHERE municipality_id = ? ORDER BY generation DESC "
                        "LIMIT 1",
                    {municipality_id});
  if (!r.ok()) return std::move(r).error();
  if (!r->empty()) {
    PublicKey k = ReadKey((*r)[0]);
    return std::make_pair(Secret(municipality_id, k.generation), k);
  }
  PublicKey k;
  k.municipality_id = municipality_id;
  k.issuer = issuer;
  k.generation = 1;
  crypto::SigningKey secret = Secret(municipality_id, 1);
  k.key = secret.public_key;
  k.kid = KeyIdOf(k.key);
  k.created_at = now_ms;
  auto n = tx.Exec(
      "INSERT INTO document_keys (kid, municipality_id, issuer, generation, public_key, "
      "created_at) VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING",
      {crypto::ToBase64Url(k.kid), municipality_id, issuer, KeyText(k.key), now_ms});
  if (!n.ok()) return std::move(n).error();
  return std::make_pair(secret, k);
}

Result<std::pair<crypto::SigningKey, PublicKey>> KeyStore::Current(int64_t municipality_id,
                                                                   const std::string& issuer,
                                                                   int64_t now_ms) {
  std::optional<std::pair<crypto::SigningKey, PublicKey>> out;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto k = Current(tx, municipality_id, issuer, now_ms);
    if (!k.ok()) return std::move(k).error();
    out = std::move(*k);
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return std::move(*out);
}

Result<PublicKey> KeyStore::Rotate(int64_t municipality_id, const std::string& issuer,
                                   int64_t now_ms) {
  PublicKey k;
  Status st = db_.Write([&](db::Tx& tx) -> Status {
    auto current = Current(tx, municipality_id, issuer, now_ms);
    if (!current.ok()) return std::move(current).error();
    k.municipality_id = municipality_id;
    k.issuer = issuer;
    k.generation = current->second.generation + 1;
    k.key = Secret(municipality_id, k.generation).public_key;
    k.kid = KeyIdOf(k.key);
    k.created_at = now_ms;
    auto retired = tx.Exec(
        "UPDATE document_keys SET retired_at = ? WHERE municipality_id = ? AND retired_at = 0",
        {now_ms, municipality_id});
    if (!retired.ok()) return std::move(retired).error();
    auto n = tx.Exec(
        "INSERT INTO document_keys (kid, municipality_id, issuer, generation, public_key, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?)",
        {crypto::ToBase64Url(k.kid), municipality_id, issuer, int64_t{k.generation}, KeyText(k.key),
         now_ms});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
  if (!st.ok()) return std::move(st).error();
  return k;
}

Result<std::vector<PublicKey>> KeyStore::All() {
  const uint64_t generation = db_.WriteGeneration();
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(cache_->mu);
    if (cache_->filled && cache_->generation == generation && now - cache_->at < kCacheAge) {
      return cache_->keys;
    }
  }
  auto r = db_.Query(std::string("SELECT ") + std::string(kKeyColumns) +
                     " FROM document_keys ORDER BY municipality_id, generation");
  if (!r.ok()) return std::move(r).error();
  std::vector<PublicKey> keys;
  for (const auto& row : *r) keys.push_back(ReadKey(row));
  std::lock_guard lock(cache_->mu);
  cache_->keys = keys;
  cache_->generation = generation;
  cache_->at = now;
  cache_->filled = true;
  return keys;
}

std::string KeySetJson(const std::vector<PublicKey>& keys) {
  json::array a;
  for (const auto& k : keys) {
    json::object o{{"kty", "OKP"},
                   {"crv", "Ed25519"},
                   {"alg", "EdDSA"},
                   {"use", "sig"},
                   {"kid", crypto::ToBase64Url(k.kid)},
                   {"x", KeyText(k.key)},
                   {"iss", k.issuer},
                   {"generation", k.generation},
                   {"created_at", i18n::FormatIsoUtc(k.created_at)}};
    if (k.retired_at) o["retired_at"] = i18n::FormatIsoUtc(k.retired_at);
    a.push_back(std::move(o));
  }
  return json::serialize(json::object{{"keys", std::move(a)}});
}

Result<std::vector<PublicKey>> ParseKeySet(std::string_view text) {
  auto bad = [](std::string detail) {
    return MakeError(ErrorCode::kInvalid, "documents.key_set_malformed", std::move(detail));
  };
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object() || !v.as_object().contains("keys") ||
      !v.as_object().at("keys").is_array()) {
    return bad("not a key set: an object with a list of keys");
  }
  std::vector<PublicKey> out;
  for (const auto& item : v.as_object().at("keys").as_array()) {
    if (!item.is_object()) return bad("a key is not an object");
    const auto& o = item.as_object();
    auto text_of = [&](const char* name) -> std::string {
      auto* f = o.if_contains(name);
      return f && f->is_string() ? std::string(f->as_string()) : std::string();
    };
    if (text_of("kty") != "OKP" || text_of("crv") != "Ed25519") continue;
    PublicKey k;
    auto kid = crypto::FromBase64Url(text_of("kid"));
    auto x = crypto::FromBase64Url(text_of("x"));
    if (!kid.ok() || kid->empty() || !x.ok() || x->size() != 32) return bad("a key's kid or x");
    k.kid = *kid;
    std::copy(x->begin(), x->end(), k.key.begin());
    k.issuer = text_of("iss");
    if (auto* g = o.if_contains("generation"); g && g->is_int64()) {
      k.generation = static_cast<int>(g->as_int64());
    }
    out.push_back(std::move(k));
  }
  return out;
}

Check CheckCode(std::string_view text, const std::vector<PublicKey>& keys, int64_t now_ms,
                const std::function<bool(const std::string& number)>& revoked) {
  Check c;
  auto d = DecodeCode(text);
  if (!d.ok()) {
    c.outcome = "malformed";
    return c;
  }
  const PublicKey* key = nullptr;
  for (const auto& k : keys) {
    if (k.kid == d->kid) key = &k;
  }
  if (!key) {
    c.outcome = "unknown_key";
    return c;
  }
  // A municipality's key vouches only for its own documents.
  if (!SignatureValid(*d, key->key) || key->issuer != d->claims.issuer) {
    c.outcome = "bad_signature";
    return c;
  }
  c.claims = std::move(d->claims);
  if (revoked && revoked(c.claims.number)) {
    c.outcome = "revoked";
  } else if (now_ms / 1000 >= c.claims.expires_at) {
    c.outcome = "expired";
  } else {
    c.outcome = "valid";
  }
  return c;
}

Result<std::string> SignedRevocationList(DocumentStore& store, KeyStore& keys, int64_t now_ms) {
  auto list = store.Revoked(0);
  if (!list.ok()) return std::move(list).error();
  auto key = keys.Current(0, "platform", now_ms);
  if (!key.ok()) return std::move(key).error();
  json::array revoked;
  for (const auto& [number, at] : *list) {
    revoked.push_back(json::object{{"number", number}, {"revoked_at", i18n::FormatIsoUtc(at)}});
  }
  const std::string payload = json::serialize(
      json::object{{"issued_at", i18n::FormatIsoUtc(now_ms)}, {"revoked", std::move(revoked)}});
  return json::serialize(
      json::object{{"payload", crypto::ToBase64Url(payload)},
                   {"kid", crypto::ToBase64Url(key->second.kid)},
                   {"alg", "EdDSA"},
                   {"signature", crypto::ToBase64Url(crypto::Sign(key->first, payload))}});
}

}  // namespace baladiya::documents
