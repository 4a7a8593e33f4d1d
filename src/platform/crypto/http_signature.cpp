// RFC 9421 signatures and RFC 9530 digests (http_signature.h).
#include "platform/crypto/http_signature.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace baladiya::crypto::httpsig {
namespace {

Error Refused(std::string_view prefix, const char* what, std::string detail = {}) {
  return MakeError(ErrorCode::kForbidden, std::string(prefix) + "." + what, std::move(detail));
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

std::string InnerList(const std::vector<std::string>& components) {
  std::string list = "(";
  for (size_t i = 0; i < components.size(); ++i) {
    if (i) list += ' ';
    list += Quote(components[i]);
  }
  return list + ")";
}

}  // namespace

bool Signature::Covers(std::string_view component) const {
  return std::find(components.begin(), components.end(), component) != components.end();
}

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
  return "sha-256=:" + ToBase64(Sha256(body)) + ":";
}

bool DigestMatches(std::string_view content_digest, std::string_view body) {
  auto digest = Member(content_digest, "sha-256");
  return digest && "sha-256=" + digest->second == ContentDigest(body);
}

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

Result<Signature> Parse(std::string_view input, std::string_view signature,
                        std::string_view prefix) {
  if (input.empty() || signature.empty()) return Refused(prefix, "signature_missing");
  auto member = Member(input, "");
  if (!member) return Refused(prefix, "signature_malformed", "Signature-Input");
  Signature out;
  out.label = member->first;
  const std::string& v = member->second;
  size_t at = 0;
  if (v.empty() || v[0] != '(') return Refused(prefix, "signature_malformed", "no inner list");
  ++at;
  for (;;) {
    SkipSpaces(v, at);
    if (at < v.size() && v[at] == ')') {
      ++at;
      break;
    }
    auto item = ReadQuoted(v, at);
    if (!item) return Refused(prefix, "signature_malformed", "inner list");
    out.components.push_back(*item);
  }
  out.params = v.substr(at);
  // ;name=value parameters
  while (at < v.size()) {
    if (v[at] != ';') return Refused(prefix, "signature_malformed", "parameters");
    ++at;
    const size_t eq = v.find('=', at);
    if (eq == std::string::npos) return Refused(prefix, "signature_malformed", "parameter");
    const std::string name = v.substr(at, eq - at);
    at = eq + 1;
    if (at < v.size() && v[at] == '"') {
      auto text = ReadQuoted(v, at);
      if (!text) return Refused(prefix, "signature_malformed", "parameter value");
      if (name == "keyid") out.keyid = *text;
      if (name == "nonce") out.nonce = *text;
      if (name == "alg") out.alg = *text;
    } else {
      size_t end = v.find(';', at);
      if (end == std::string::npos) end = v.size();
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data() + at, v.data() + end, n);
      if (ec != std::errc() || p != v.data() + end) {
        return Refused(prefix, "signature_malformed", "integer parameter");
      }
      if (name == "created") out.created = n;
      at = end;
    }
  }
  auto sig = Member(signature, out.label);
  if (!sig || sig->second.size() < 2 || sig->second.front() != ':' || sig->second.back() != ':') {
    return Refused(prefix, "signature_malformed", "Signature");
  }
  auto raw = FromBase64(std::string_view(sig->second).substr(1, sig->second.size() - 2));
  if (!raw || raw->size() != crypto_sign_BYTES) {
    return Refused(prefix, "signature_malformed", "signature bytes");
  }
  out.signature = *raw;
  if (out.keyid.empty() || out.nonce.empty() || out.created == 0 ||
      (!out.alg.empty() && out.alg != "ed25519")) {
    return Refused(prefix, "signature_malformed", "keyid, nonce and created are required");
  }
  return out;
}

Result<std::string> Base(const Signature& sig, const Resolver& value, std::string_view prefix) {
  std::string base;
  for (const std::string& c : sig.components) {
    std::optional<std::string> v = value(c);
    if (!v) return Refused(prefix, "signature_malformed", "component " + c + " is not signed here");
    base += Quote(c) + ": " + *v + "\n";
  }
  base += "\"@signature-params\": " + InnerList(sig.components) + sig.params;
  return base;
}

bool Verify(const Signature& sig, std::string_view base,
            const std::array<uint8_t, 32>& public_key) {
  return crypto::Verify(public_key, base, sig.signature);
}

Signed Sign(const std::vector<std::pair<std::string, std::string>>& components,
            std::string_view keyid, const SigningKey& key, int64_t created,
            std::string_view nonce) {
  std::vector<std::string> names;
  std::string base;
  for (const auto& [name, value] : components) {
    names.push_back(name);
    base += Quote(name) + ": " + value + "\n";
  }
  const std::string list = InnerList(names);
  const std::string params = ";created=" + std::to_string(created) + ";keyid=" + Quote(keyid) +
                             ";nonce=" + Quote(nonce) + ";alg=\"ed25519\"";
  base += "\"@signature-params\": " + list + params;
  Signed out;
  out.signature_input = "sig1=" + list + params;
  out.signature = "sig1=:" + ToBase64(crypto::Sign(key, base)) + ":";
  return out;
}

}  // namespace baladiya::crypto::httpsig
