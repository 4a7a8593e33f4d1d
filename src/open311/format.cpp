#include "open311/format.h"

#include <cstdio>

namespace baladiya::open311 {
namespace {

// The code point at s[i] of UTF-8 text and its length (1 for a byte that starts no valid
// sequence, reported as U+FFFD). Inputs were validated as UTF-8 where they entered, so the
// fallback only keeps a broken invariant from producing broken output.
char32_t Decode(std::string_view s, size_t i, size_t& len) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char lead = b(0);
  size_t n = lead < 0x80           ? 1
             : (lead >> 5) == 0x6  ? 2
             : (lead >> 4) == 0xE  ? 3
             : (lead >> 3) == 0x1E ? 4
                                   : 0;
  if (n == 0 || i + n > s.size()) {
    len = 1;
    return 0xFFFD;
  }
  char32_t cp = n == 1 ? lead : n == 2 ? lead & 0x1F : n == 3 ? lead & 0x0F : lead & 0x07;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) {
      len = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are no valid sequence either.
  constexpr char32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kLeast[n] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    len = 1;
    return 0xFFFD;
  }
  len = n;
  return cp;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

// Both writers copy runs of characters that need nothing in one append, and look at the rest
// one character at a time.

void AppendXmlEscaped(std::string& out, std::string_view text) {
  size_t run = 0;  // where the characters not yet written start
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if ((b >= 0x20 && b < 0x80 && b != '&' && b != '<' && b != '>') || b == '\t' || b == '\n' ||
        b == '\r') {
      ++i;
      continue;
    }
    size_t len = 1;
    std::string_view replacement;
    if (b == '&') {
      replacement = "&amp;";
    } else if (b == '<') {
      replacement = "&lt;";
    } else if (b == '>') {
      replacement = "&gt;";
    } else if (b < 0x80) {
      replacement = kReplacement;  // a control character XML 1.0 does not allow
    } else {
      const char32_t cp = Decode(text, i, len);
      const bool forbidden = cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF);
      if (!forbidden && !(cp == 0xFFFD && len == 1)) {
        i += len;
        continue;
      }
      replacement = kReplacement;
    }
    out.append(text.substr(run, i - run));
    out.append(replacement);
    i += len;
    run = i;
  }
  out.append(text.substr(run));
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  size_t run = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b >= 0x20 && b < 0x80 && b != '"' && b != '\\') {
      ++i;
      continue;
    }
    size_t len = 1;
    char buf[8];
    std::string_view replacement;
    switch (b) {
      case '"':
        replacement = "\\\"";
        break;
      case '\\':
        replacement = "\\\\";
        break;
      case '\n':
        replacement = "\\n";
        break;
      case '\r':
        replacement = "\\r";
        break;
      case '\t':
        replacement = "\\t";
        break;
      case '\b':
        replacement = "\\b";
        break;
      case '\f':
        replacement = "\\f";
        break;
      default:
        if (b < 0x20) {
          (void)std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(b));
          replacement = buf;
        } else {
          const char32_t cp = Decode(text, i, len);
          if (cp == 0x2028) {
            replacement = "\\u2028";
          } else if (cp == 0x2029) {
            replacement = "\\u2029";
          } else if (cp == 0xFFFD && len == 1) {
            replacement = kReplacement;  // a byte that starts no valid sequence
          } else {
            i += len;
            continue;
          }
        }
    }
    out.append(text.substr(run, i - run));
    out.append(replacement);
    i += len;
    run = i;
  }
  out.append(text.substr(run));
  out += '"';
}

void WriteXml(std::string& out, std::string_view name, const Node& n, int depth) {
  Indent(out, depth);
  switch (n.kind()) {
    case Node::Kind::kNull:
      out += '<';
      out += name;
      out += "/>\n";
      return;
    case Node::Kind::kBool:
    case Node::Kind::kNumber:
    case Node::Kind::kText:
      out += '<';
      out += name;
      out += '>';
      AppendXmlEscaped(out, n.value());
      out += "</";
      out += name;
      out += ">\n";
      return;
    case Node::Kind::kRecord:
    case Node::Kind::kList:
      break;
  }
  out += '<';
  out += name;
  out += '>';
  if (n.members().empty()) {
    out += "</";
    out += name;
    out += ">\n";
    return;
  }
  out += '\n';
  for (const auto& [member, value] : n.members()) {
    WriteXml(out, n.kind() == Node::Kind::kList ? n.value() : member, value, depth + 1);
  }
  Indent(out, depth);
  out += "</";
  out += name;
  out += ">\n";
}

void WriteJson(std::string& out, const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull:
      out += "null";
      return;
    case Node::Kind::kBool:
    case Node::Kind::kNumber:
      out += n.value();
      return;
    case Node::Kind::kText:
      AppendJsonString(out, n.value());
      return;
    case Node::Kind::kRecord: {
      out += '{';
      bool first = true;
      for (const auto& [member, value] : n.members()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(out, member);
        out += ':';
        WriteJson(out, value);
      }
      out += '}';
      return;
    }
    case Node::Kind::kList: {
      out += '[';
      bool first = true;
      for (const auto& item : n.members()) {
        if (!first) out += ',';
        first = false;
        WriteJson(out, item.second);
      }
      out += ']';
      return;
    }
  }
}

}  // namespace

bool ParseFormat(std::string_view name, Format& out) {
  if (name == "xml") {
    out = Format::kXml;
    return true;
  }
  if (name == "json") {
    out = Format::kJson;
    return true;
  }
  return false;
}

std::string_view ContentType(Format f) {
  return f == Format::kXml ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
}

Node Node::Text(std::string text) {
  Node n;
  n.kind_ = Kind::kText;
  n.value_ = std::move(text);
  return n;
}

Node Node::Number(std::string literal) {
  Node n;
  n.kind_ = Kind::kNumber;
  n.value_ = std::move(literal);
  return n;
}

Node Node::Integer(long long value) { return Number(std::to_string(value)); }

Node Node::Bool(bool value) {
  Node n;
  n.kind_ = Kind::kBool;
  n.value_ = value ? "true" : "false";
  return n;
}

Node Node::Null() { return Node(); }

Node Node::Record() {
  Node n;
  n.kind_ = Kind::kRecord;
  return n;
}

Node Node::List(std::string item_name) {
  Node n;
  n.kind_ = Kind::kList;
  n.value_ = std::move(item_name);
  return n;
}

Node& Node::Add(std::string name, Node value) {
  members_.emplace_back(std::move(name), std::move(value));
  return *this;
}

Node& Node::Reserve(size_t members) {
  members_.reserve(members);
  return *this;
}

Node& Node::Push(Node item) {
  members_.emplace_back(std::string(), std::move(item));
  return *this;
}

std::string Write(Format format, std::string_view root_name, const Node& root) {
  std::string out;
  out.reserve(4096);
  if (format == Format::kXml) {
    out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    WriteXml(out, root_name, root, 0);
  } else {
    WriteJson(out, root);
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  AppendXmlEscaped(out, text);
  return out;
}

std::string JsonString(std::string_view text) {
  std::string out;
  AppendJsonString(out, text);
  return out;
}

}  // namespace baladiya::open311
