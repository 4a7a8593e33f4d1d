// Banks, RFC 9421 message signatures and RFC 9530 digests (biller.h).
#include "payments/biller.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "platform/crypto/crypto.h"

namespace baladiya::payments {
namespace {

Error Refused(const char* key, std::string detail = {}) {
  return MakeError(ErrorCode::kForbidden, key, std::move(detail));
}

bool ValidCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 32) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A structured-field string: "..." with \" and \\ escapes; advances `at`.
std::optional<std::string> ReadQuoted(std::string_view s, size_t& at) {
  if (at >= s.size() || s[at] != '"') return std::nullopt;
  std::string out;
  for (++at; at < s.size(); ++at) {
    const char c = s[at];
    if (c == '\\') {
      if (++at >= s.size()) return std::nullopt;
      out += s[at];
    } else if (c == '"') {
      ++at;
      return out;
    } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return std::nullopt;
}

void SkipSpaces(std::string_view s, size_t& at) {
  while (at < s.size() && s[at] == ' ') ++at;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The value of the dictionary member `label` (the first member when label is empty) of a
// structured-field dictionary header, with its key.
std::optional<std::pair<std::string, std::string>> Member(std::string_view header,
                                                          std::string_view label) {
  size_t at = 0;
  while (at < header.size()) {
    SkipSpaces(header, at);
    const size_t eq = header.find('=', at);
    if (eq == std::string_view::npos) return std::nullopt;
    const std::string key(header.substr(at, eq - at));
    // The member's value runs to the next comma outside quotes and parentheses.
    size_t end = eq + 1;
    bool quoted = false;
    int depth = 0;
    for (; end < header.size(); ++end) {
      const char c = header[end];
      if (quoted) {
        if (c == '\\') {
          ++end;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (label.empty() || key == label) {
      return std::make_pair(key, std::string(header.substr(eq + 1, end - eq - 1)));
    }
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace

std::string ToBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return std::nullopt;
  }
  out.resize(len);
  return out;
}

std::string ContentDigest(std::string_view body) {
  return "sha-256=:" + ToBase64(crypto::Sha256(body)) + ":";
}

Result<SignatureInput> ParseSignature(const http::Request& req) {
  const std::string_view input = req.headers.Get("signature-input");
  const std::string_view signature = req.headers.Get("signature");
  if (input.empty() || signature.empty()) return Refused("payments.biller.signature_missing");
  auto member = Member(input, "");
  if (!member) return Refused("payments.biller.signature_malformed", "Signature-Input");
  SignatureInput out;
  out.label = member->first;
  const std::string& v = member->second;
  size_t at = 0;
  if (v.empty() || v[0] != '(')
    return Refused("payments.biller.signature_malformed", "no inner list");
  ++at;
  for (;;) {
    SkipSpaces(v, at);
    if (at < v.size() && v[at] == ')') {
      ++at;
      break;
    }
    auto item = ReadQuoted(v, at);
    if (!item) return Refused("payments.biller.signature_malformed", "inner list");
    out.components.push_back(*item);
  }
  out.params = v.substr(at);
  // ;name=value parameters
  while (at < v.size()) {
    if (v[at] != ';') return Refused("payments.biller.signature_malformed", "parameters");
    ++at;
    const size_t eq = v.find('=', at);
    if (eq == std::string::npos) return Refused("payments.biller.signature_malformed", "parameter");
    const std::string name = v.substr(at, eq - at);
    at = eq + 1;
    if (at < v.size() && v[at] == '"') {
      auto text = ReadQuoted(v, at);
      if (!text) return Refused("payments.biller.signature_malformed", "parameter value");
      if (name == "keyid") out.keyid = *text;
      if (name == "nonce") out.nonce = *text;
      if (name == "alg") out.alg = *text;
    } else {
      size_t end = v.find(';', at);
      if (end == std::string::npos) end = v.size();
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data() + at, v.data() + end, n);
      if (ec != std::errc() || p != v.data() + end) {
        return Refused("payments.biller.signature_malformed", "integer parameter");
      }
      if (name == "created") out.created = n;
      at = end;
    }
  }
  auto sig = Member(signature, out.label);
  if (!sig || sig->second.size() < 2 || sig->second.front() != ':' || sig->second.back() != ':') {
    return Refused("payments.biller.signature_malformed", "Signature");
  }
  auto raw = FromBase64(std::string_view(sig->second).substr(1, sig->second.size() - 2));
  if (!raw || raw->size() != crypto_sign_BYTES) {
    return Refused("payments.biller.signature_malformed", "signature bytes");
  }
  out.signature = *raw;
  if (out.keyid.empty() || out.nonce.empty() || out.created == 0 ||
      (!out.alg.empty() && out.alg != "ed25519")) {
    return Refused("payments.biller.signature_malformed", "keyid, nonce and created are required");
  }
  return out;
}

namespace {
std::string PathOf(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}
std::string QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  return q == std::string_view::npos ? std::string("?") : std::string(target.substr(q));
}
}  // namespace

Result<std::string> SignatureBase(const http::Request& req, const SignatureInput& sig) {
  std::string base;
  for (const std::string& c : sig.components) {
    std::string value;
    if (c == "@method") {
      value = req.method_name;
    } else if (c == "@path") {
      value = PathOf(req.target);
    } else if (c == "@query") {
      value = QueryOf(req.target);
    } else if (c == "content-digest") {
      if (!req.headers.Has("content-digest")) {
        return Refused("payments.biller.signature_malformed", "content-digest is not sent");
      }
      value = std::string(req.headers.Get("content-digest"));
    } else {
      return Refused("payments.biller.signature_malformed",
                     "component " + c + " is not signed here");
    }
    base += Quote(c) + ": " + value + "\n";
  }
  std::string list = "(";
  for (size_t i = 0; i < sig.components.size(); ++i) {
    if (i) list += ' ';
    list += Quote(sig.components[i]);
  }
  base += "\"@signature-params\": " + list + ")" + sig.params;
  return base;
}

SignedHeaders SignRequest(std::string_view method, std::string_view path, std::string_view query,
                          std::string_view body, std::string_view keyid,
                          const std::array<uint8_t, 64>& secret_key, int64_t created,
                          std::string_view nonce) {
  SignedHeaders out;
  std::vector<std::string> components = {"@method", "@path"};
  if (!query.empty()) components.push_back("@query");
  if (!body.empty()) {
    out.content_digest = ContentDigest(body);
    components.push_back("content-digest");
  }
  std::string list = "(";
  std::string base;
  for (size_t i = 0; i < components.size(); ++i) {
    if (i) list += ' ';
    list += Quote(components[i]);
    std::string value;
    if (components[i] == "@method") value = method;
    if (components[i] == "@path") value = path;
    if (components[i] == "@query") value = "?" + std::string(query);
    if (components[i] == "content-digest") value = out.content_digest;
    base += Quote(components[i]) + ": " + value + "\n";
  }
  list += ")";
  const std::string params = ";created=" + std::to_string(created) + ";keyid=" + Quote(keyid) +
                             ";nonce=" + Quote(nonce) + ";alg=\"ed25519\"";
  base += "\"@signature-params\": " + list + params;
  crypto::SigningKey key;
  key.secret = secret_key;
  std::memcpy(key.public_key.data(), secret_key.data() + 32, 32);
  out.signature_input = "sig1=" + list + params;
  out.signature = "sig1=:" + ToBase64(crypto::Sign(key, base)) + ":";
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
    auto digest = Member(req.headers.Get("content-digest"), "sha-256");
    if (!digest || "sha-256=" + digest->second != ContentDigest(req.body)) {
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
