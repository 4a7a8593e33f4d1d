// Banks, RFC 9421 message signatures and RFC 9530 digests (biller.h).
#include "payments/biller.h"

#include <algorithm>
#include <cstring>

#include "platform/crypto/crypto.h"
#include "platform/crypto/http_signature.h"

namespace baladiya::payments {
namespace {

namespace httpsig = crypto::httpsig;
constexpr std::string_view kKeys = "payments.biller";

Error Refused(const char* key, std::string detail = {}) {
  return MakeError(ErrorCode::kForbidden, key, std::move(detail));
}

bool ValidCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string PathOf(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}
std::string QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string("?") : std::string(target.substr(q));
}

}  // namespace

std::string ToBase64(std::string_view bytes) { return httpsig::ToBase64(bytes); }

std::optional<std::string> FromBase64(std::string_view text) { return httpsig::FromBase64(text); }

std::string ContentDigest(std::string_view body) { return httpsig::ContentDigest(body); }

Result<SignatureInput> ParseSignature(const http::Request& req) {
  return httpsig::Parse(req.headers.Get("signature-input"), req.headers.Get("signature"), kKeys);
}

Result<std::string> SignatureBase(const http::Request& req, const SignatureInput& sig) {
  return httpsig::Base(
      sig,
      [&req](std::string_view c) -> std::optional<std::string> {
        if (c == "@method") return req.method_name;
        if (c == "@path") return PathOf(req.target);
        if (c == "@query") return QueryOf(req.target);
        if (c == "content-digest" && req.headers.Has("content-digest")) {
          return std::string(req.headers.Get("content-digest"));
        }
        return std::nullopt;
      },
      kKeys);
}

SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view keyid,
                          const std::array<uint8_t, 64>& secret_key, int64_t created,
                          std::string_view nonce) {
  SignedHeaders out;
  std::vector<std::pair<std::string, std::string>> components = {{"@method", std::string(method)},
                                                                 {"@path", std::string(path)}};
  if (!query.empty()) components.emplace_back("@query", "?" + std::string(query));
  if (!body.empty()) {
    out.content_digest = ContentDigest(body);
    components.emplace_back("content-digest", out.content_digest);
  }
  crypto::SigningKey key;
  key.secret = secret_key;
  std::memcpy(key.public_key.data(), secret_key.data() + 32, 32);
  httpsig::Signed s = httpsig::Sign(components, keyid, key, created, nonce);
  out.signature_input = std::move(s.signature_input);
  out.signature = std::move(s.signature);
  return out;
}

Result<Bank> BankStore::Register(std::string_view code, std::string_view name,
                                 std::string_view public_key_base64, int64_t now_ms) {
  if (!ValidCode(code)) return MakeError(ErrorCode::kInvalid, "payments.biller.bad_code");
  auto key = FromBase64(public_key_base64);
  if (!key || key->size() != 32) return MakeError(ErrorCode::kInvalid, "payments.biller.bad_key");
  Bank b;
  b.code = std::string(code);
  b.name = std::string(name);
  std::memcpy(b.public_key.data(), key->data(), 32);
  b.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO payment_banks (code, name, public_key, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (code) DO UPDATE SET name = excluded.name, public_key = "
        "excluded.public_key, disabled_at = 0 RETURNING id",
        {b.code, b.name, crypto::ToHex(*key), now_ms});
    if (!rows.ok()) return std::move(rows).error();
    b.id = (*rows)[0].Int(0);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return b;
}

namespace {
Result<std::vector<Bank>> ReadBanks(db::Database& db, const char* where, const db::Params& p) {
  auto rows = db.Query(
      std::string(
          "SELECT id, code, name, public_key, created_at, disabled_at FROM payment_banks ") +
          where + " ORDER BY code",
      p);
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Bank> out;
  for (const db::Row& r : *rows) {
    Bank b;
    b.id = r.Int(0);
    b.code = r.Text(1);
    b.name = r.Text(2);
    auto key = crypto::FromHex(r.Text(3));
    if (key.ok() && key->size() == 32) std::memcpy(b.public_key.data(), key->data(), 32);
    b.created_at = r.Int(4);
    b.disabled_at = r.Int(5);
    out.push_back(std::move(b));
  }
  return out;
}
}  // namespace

Result<std::vector<Bank>> BankStore::List() { return ReadBanks(db_, "", {}); }

Result<Bank> BankStore::Authenticate(const http::Request& req, int64_t now_ms) {
  auto sig = ParseSignature(req);
  if (!sig.ok()) return std::move(sig).error();
  const bool has_body = !req.body.empty();
  const auto& c = sig->components;
  auto covers = [&](const char* name) { return std::find(c.begin(), c.end(), name) != c.end(); };
  if (!covers("@method") || !covers("@path") || (has_body && !covers("content-digest")) ||
      (req.target.find('?') != std::string::npos && !covers("@query"))) {
    return Refused("payments.biller.signature_malformed", "the signature must cover the request");
  }
  if (has_body || req.headers.Has("content-digest")) {
    // Of the digests sent, the sha-256 one must match.
    if (!httpsig::DigestMatches(req.headers.Get("content-digest"), req.body)) {
      return Refused("payments.biller.bad_digest");
    }
  }
  auto banks = ReadBanks(db_, "WHERE code = ? AND disabled_at = 0", {sig->keyid});
  if (!banks.ok()) return std::move(banks).error();
  if (banks->empty()) return Refused("payments.biller.unknown_key", sig->keyid);
  const Bank& bank = banks->front();
  auto base = SignatureBase(req, *sig);
  if (!base.ok()) return std::move(base).error();
  if (!crypto::Verify(bank.public_key, *base, sig->signature)) {
    return Refused("payments.biller.bad_signature");
  }
  const int64_t now_s = now_ms / 1000;
  if (sig->created > now_s + kSignatureWindowSeconds ||
      sig->created < now_s - kSignatureWindowSeconds) {
    return Refused("payments.biller.stale");
  }
  if (sig->nonce.size() > 128)
    return Refused("payments.biller.signature_malformed", "nonce too long");
  // A nonce is spent once; nonces older than the window are forgotten (their requests are stale).
  Status spent = db_.Write([&](db::Tx& tx) -> Status {
    auto old = tx.Exec("DELETE FROM payment_bank_nonces WHERE bank_id = ? AND seen_at < ?",
                       {bank.id, now_ms - 2 * kSignatureWindowSeconds * 1000});
    if (!old.ok()) return std::move(old).error();
    auto n = tx.Exec(
        "INSERT INTO payment_bank_nonces (bank_id, nonce, seen_at) VALUES (?, ?, ?) "
        "ON CONFLICT (bank_id, nonce) DO NOTHING",
        {bank.id, sig->nonce, now_ms});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Refused("payments.biller.replayed");
    return Ok();
  });
  if (!spent.ok()) return std::move(spent).error();
  return bank;
}

}  // namespace baladiya::payments
