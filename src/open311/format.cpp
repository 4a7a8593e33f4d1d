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
  len = n;
  return cp;
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

void Indent(std::string& out, int depth) { out.append(static_cast<size_t>(depth) * 2, ' '); }

void AppendXmlEscaped(std::string& out, std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const char32_t cp = Decode(text, i, len);
    switch (cp) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
          out += kReplacement;
        } else if (cp == 0xFFFD && len == 1) {
          out += kReplacement;  // a byte that starts no valid sequence
        } else {
          out.append(text.substr(i, len));
        }
    }
    i += len;
  }
}

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  for (size_t i = 0; i < text.size();) {
    size_t len = 1;
    const char32_t cp = Decode(text, i, len);
    switch (cp) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case 0x2028:
        out += "\\u2028";
        break;
      case 0x2029:
        out += "\\u2029";
        break;
      default:
        if (cp < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
          out += buf;
        } else if (cp == 0xFFFD && len == 1) {
          out += kReplacement;
        } else {
          out.append(text.substr(i, len));
        }
    }
    i += len;
  }
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
    WriteXml(out, n.kind() == Node::Kind::kList ? std::string_view(n.value()) : member, value,
             depth + 1);
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

Node& Node::Push(Node item) {
  members_.emplace_back(std::string(), std::move(item));
  return *this;
}

std::string Write(Format format, std::string_view root_name, const Node& root) {
  std::string out;
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
