#include "documents/code.h"

#include <zlib.h>

#include "documents/cbor.h"

namespace baladiya::documents {
namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
constexpr int64_t kAlgEdDsa = -8;

Error Malformed(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "documents.code_malformed", std::move(detail));
}

// The COSE Sig_structure of a COSE_Sign1 without external data.
std::string SigStructure(std::string_view protected_header, std::string_view payload) {
  std::string s;
  cbor::Array(s, 4);
  cbor::Text(s, "Signature1");
  cbor::Bytes(s, protected_header);
  cbor::Bytes(s, "");
  cbor::Bytes(s, payload);
  return s;
}

constexpr const char* kKinds[] = {"certificate", "permit", "licence"};

int64_t KindNumber(std::string_view kind) {
  for (int64_t i = 0; i < 3; ++i) {
    if (kind == kKinds[i]) return i + 1;
  }
  return 0;
}

std::string ClaimSet(const Claims& c) {
  std::string out;
  cbor::Map(out, 5);
  cbor::Int(out, 1);
  cbor::Text(out, c.issuer);
  cbor::Int(out, 2);
  cbor::Text(out, c.number);
  cbor::Int(out, 4);
  cbor::Int(out, c.expires_at);
  cbor::Int(out, 6);
  cbor::Int(out, c.issued_at);
  cbor::Int(out, kDocumentClaim);
  cbor::Map(out, 4);
  cbor::Int(out, 1);
  cbor::Int(out, KindNumber(c.kind));
  cbor::Int(out, 2);
  cbor::Text(out, c.holder);
  cbor::Int(out, 3);
  cbor::Text(out, c.holder_id);
  cbor::Int(out, 4);
  cbor::Array(out, c.facts.size());
  for (const auto& v : c.facts) cbor::Text(out, v);
  return out;
}

bool TextAt(const cbor::Item& m, int64_t key, std::string& out) {
  const cbor::Item* v = m.At(key);
  if (!v || v->type != cbor::Item::Type::kText) return false;
  out = v->bytes;
  return true;
}

bool IntAt(const cbor::Item& m, int64_t key, int64_t& out) {
  const cbor::Item* v = m.At(key);
  if (!v || v->type != cbor::Item::Type::kInt) return false;
  out = v->integer;
  return true;
}

Result<Claims> ReadClaims(std::string_view payload) {
  auto m = cbor::Decode(payload);
  if (!m.ok()) return std::move(m).error();
  Claims c;
  if (m->type != cbor::Item::Type::kMap || !TextAt(*m, 1, c.issuer) || !TextAt(*m, 2, c.number) ||
      !IntAt(*m, 4, c.expires_at) || !IntAt(*m, 6, c.issued_at)) {
    return Malformed("claims: iss, sub, exp or iat missing");
  }
  const cbor::Item* d = m->At(kDocumentClaim);
  int64_t kind = 0;
  if (!d || d->type != cbor::Item::Type::kMap || !IntAt(*d, 1, kind) || kind < 1 || kind > 3 ||
      !TextAt(*d, 2, c.holder) || !TextAt(*d, 3, c.holder_id)) {
    return Malformed("claims: the document claim is incomplete");
  }
  c.kind = kKinds[kind - 1];
  const cbor::Item* facts = d->At(4);
  if (!facts || facts->type != cbor::Item::Type::kArray) return Malformed("claims: no facts");
  for (const auto& v : facts->items) {
    if (v.type != cbor::Item::Type::kText) return Malformed("claims: a fact is not text");
    c.facts.push_back(v.bytes);
  }
  return c;
}

}  // namespace

std::string Base45Encode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2 * 3 + 2);
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) * 256u + static_cast<uint8_t>(bytes[i + 1]);
    out.push_back(kAlphabet[n % 45]);
    out.push_back(kAlphabet[(n / 45) % 45]);
    out.push_back(kAlphabet[n / 2025]);
  }
  if (i < bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]);
    out.push_back(kAlphabet[n % 45]);
    out.push_back(kAlphabet[n / 45]);
  }
  return out;
}

Result<std::string> Base45Decode(std::string_view text) {
  if (text.size() % 3 == 1) return Malformed("Base45: a dangling character");
  std::string out;
  out.reserve(text.size() / 3 * 2 + 1);
  auto value = [](char c) -> int {
    size_t at = kAlphabet.find(c);
    return at == std::string_view::npos ? -1 : static_cast<int>(at);
  };
  for (size_t i = 0; i < text.size(); i += 3) {
    const size_t n_chars = std::min<size_t>(3, text.size() - i);
    uint32_t n = 0;
    uint32_t scale = 1;
    for (size_t k = 0; k < n_chars; ++k) {
      int v = value(text[i + k]);
      if (v < 0) return Malformed("Base45: a character outside the alphabet");
      n += static_cast<uint32_t>(v) * scale;
      scale *= 45;
    }
    if (n_chars == 3) {
      if (n > 0xffff) return Malformed("Base45: a group past its range");
      out.push_back(static_cast<char>(n >> 8));
      out.push_back(static_cast<char>(n & 0xff));
    } else {
      if (n > 0xff) return Malformed("Base45: a group past its range");
      out.push_back(static_cast<char>(n));
    }
  }
  return out;
}

std::string Deflate(std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  compress2(reinterpret_cast<Bytef*>(out.data()), &size,
            reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
            Z_BEST_COMPRESSION);
  out.resize(size);
  return out;
}

Result<std::string> Inflate(std::string_view bytes, size_t max_bytes) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return MakeError(ErrorCode::kInternal, "error.internal", "zlib");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buf[1024];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (out.size() > max_bytes) rc = Z_MEM_ERROR;
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  const bool whole = rc == Z_STREAM_END && z.avail_in == 0;
  inflateEnd(&z);
  if (!whole) return Malformed("not a whole zlib stream");
  return out;
}

std::string KeyIdOf(const std::array<uint8_t, 32>& public_key) {
  return crypto::Sha256(std::string_view(reinterpret_cast<const char*>(public_key.data()), 32))
      .substr(0, 8);
}

std::string EncodeCode(const Claims& claims, const crypto::SigningKey& key) {
  std::string protected_header;
  cbor::Map(protected_header, 2);
  cbor::Int(protected_header, 1);
  cbor::Int(protected_header, kAlgEdDsa);
  cbor::Int(protected_header, 4);
  cbor::Bytes(protected_header, KeyIdOf(key.public_key));
  const std::string payload = ClaimSet(claims);
  const std::string signature = crypto::Sign(key, SigStructure(protected_header, payload));
  std::string cose;
  cbor::Tag(cose, 18);
  cbor::Array(cose, 4);
  cbor::Bytes(cose, protected_header);
  cbor::Map(cose, 0);
  cbor::Bytes(cose, payload);
  cbor::Bytes(cose, signature);
  return std::string(kCodePrefix) + Base45Encode(Deflate(cose));
}

Result<Decoded> DecodeCode(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                           text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' ||
                           text.back() == '\t')) {
    text.remove_suffix(1);
  }
  if (text.size() > kMaxCodeText) return Malformed("code too long");
  // A pasted code may have been wrapped: line breaks are never part of it.
  std::string joined;
  joined.reserve(text.size());
  for (char ch : text) {
    if (ch != '\n' && ch != '\r') joined.push_back(ch);
  }
  text = joined;
  if (!text.starts_with(kCodePrefix)) return Malformed("no BL1: prefix");
  auto zipped = Base45Decode(text.substr(kCodePrefix.size()));
  if (!zipped.ok()) return std::move(zipped).error();
  auto cose_bytes = Inflate(*zipped, 16 * 1024);
  if (!cose_bytes.ok()) return std::move(cose_bytes).error();
  auto cose = cbor::Decode(*cose_bytes);
  if (!cose.ok()) return std::move(cose).error();
  const cbor::Item* sign1 = &*cose;
  if (sign1->type == cbor::Item::Type::kTag) {
    if (sign1->tag != 18) return Malformed("COSE: not a COSE_Sign1 tag");
    sign1 = &sign1->items[0];
  }
  if (sign1->type != cbor::Item::Type::kArray || sign1->items.size() != 4 ||
      sign1->items[0].type != cbor::Item::Type::kBytes ||
      sign1->items[1].type != cbor::Item::Type::kMap ||
      sign1->items[2].type != cbor::Item::Type::kBytes ||
      sign1->items[3].type != cbor::Item::Type::kBytes) {
    return Malformed("COSE: not a COSE_Sign1");
  }
  auto header = cbor::Decode(sign1->items[0].bytes);
  if (!header.ok()) return std::move(header).error();
  const cbor::Item* alg = header->type == cbor::Item::Type::kMap ? header->At(1) : nullptr;
  const cbor::Item* kid = header->type == cbor::Item::Type::kMap ? header->At(4) : nullptr;
  if (!alg || alg->type != cbor::Item::Type::kInt || alg->integer != kAlgEdDsa) {
    return Malformed("COSE: the algorithm is not EdDSA");
  }
  if (!kid || kid->type != cbor::Item::Type::kBytes || kid->bytes.empty()) {
    return Malformed("COSE: no key id");
  }
  if (sign1->items[3].bytes.size() != 64) return Malformed("COSE: not an Ed25519 signature");
  auto claims = ReadClaims(sign1->items[2].bytes);
  if (!claims.ok()) return std::move(claims).error();
  Decoded d;
  d.claims = std::move(*claims);
  d.kid = kid->bytes;
  d.signed_message = SigStructure(sign1->items[0].bytes, sign1->items[2].bytes);
  d.signature = sign1->items[3].bytes;
  return d;
}

bool SignatureValid(const Decoded& d, const std::array<uint8_t, 32>& public_key) {
  return crypto::Verify(public_key, d.signed_message, d.signature);
}

}  // namespace baladiya::documents
