#include "platform/http/multipart.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <utility>

namespace baladiya::http {
namespace {

constexpr size_t kMaxBoundary = 70;   // RFC 2046 section 5.1.1
constexpr size_t kMaxFilename = 255;  // bytes; what common file systems allow for one name

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return Lower(x) == Lower(y); });
}

// bchars of RFC 2046: a boundary may hold a space, but not end with one.
bool ValidBoundary(std::string_view b) {
  if (b.empty() || b.size() > kMaxBoundary || b.back() == ' ') return false;
  for (char c : b) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

struct Param {
  std::string name;  // lower-cased
  std::string value;
};

// Parses the "; name=value; name="quoted"" list that follows a header's main value. A parameter
// without '=' is skipped. Returns nullopt for an unterminated quoted value or text after one.
std::optional<std::vector<Param>> ParseParams(std::string_view s) {
  std::vector<Param> params;
  size_t i = 0;
  while (i < s.size()) {
    if (IsSpace(s[i]) || s[i] == ';') {
      ++i;
      continue;
    }
    size_t stop = s.find_first_of("=;", i);
    if (stop == std::string_view::npos || s[stop] == ';') {
      i = stop == std::string_view::npos ? s.size() : stop;
      continue;
    }
    Param p{ToLower(Trim(s.substr(i, stop - i))), {}};
    i = stop + 1;
    while (i < s.size() && IsSpace(s[i])) ++i;
    if (i < s.size() && s[i] == '"') {
      bool closed = false;
      for (++i; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') {
          closed = true;
          ++i;
          break;
        }
        if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) c = s[++i];
        p.value.push_back(c);
      }
      if (!closed) return std::nullopt;
      while (i < s.size() && IsSpace(s[i])) ++i;
      if (i < s.size() && s[i] != ';') return std::nullopt;
    } else {
      size_t end = std::min(s.find(';', i), s.size());
      p.value = std::string(Trim(s.substr(i, end - i)));
      i = end;
    }
    params.push_back(std::move(p));
  }
  return params;
}

// The one value of the named parameter: nullopt when absent, and `duplicate` set when repeated.
std::optional<std::string> OnlyParam(const std::vector<Param>& params, std::string_view name,
                                     bool& duplicate) {
  std::optional<std::string> found;
  for (const auto& p : params) {
    if (p.name != name) continue;
    if (found) duplicate = true;
    if (!found) found = p.value;
  }
  return found;
}

// Cuts at most `max` bytes without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& s, size_t max) {
  if (s.size() <= max) return;
  size_t cut = max;
  for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80; ++k) {
    --cut;
  }
  s.resize(cut);
}

// The last path segment, without C0, DEL or (UTF-8 encoded) C1 control characters.
std::string SanitizeFilename(std::string_view sent) {
  size_t slash = sent.find_last_of("/\\");
  if (slash != std::string_view::npos) sent.remove_prefix(slash + 1);
  std::string out;
  out.reserve(sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    auto c = static_cast<unsigned char>(sent[i]);
    if (c < 0x20 || c == 0x7F) continue;
    if (c == 0xC2 && i + 1 < sent.size()) {
      auto next = static_cast<unsigned char>(sent[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        ++i;
        continue;
      }
    }
    out.push_back(static_cast<char>(c));
  }
  if (out == "." || out == "..") out.clear();
  TruncateUtf8(out, kMaxFilename);
  return out;
}

// Same rules as PercentDecode's check in url.cpp: no overlongs, surrogates or code points past
// U+10FFFF.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "error.invalid", "multipart: " + std::move(detail));
}

std::string PartNo(size_t index) { return "part " + std::to_string(index + 1); }

// Fills `part` from its header block (lines joined by CRLF, without the blank line).
Status ParseHeaders(std::string_view block, size_t index, Part& part) {
  std::vector<std::pair<std::string, std::string>> headers;
  while (!block.empty()) {
    size_t eol = std::min(block.find("\r\n"), block.size());
    std::string_view line = block.substr(0, eol);
    block.remove_prefix(std::min(eol + 2, block.size()));
    if (!line.empty() && IsSpace(line.front()) && !headers.empty()) {  // obsolete line folding
      headers.back().second += ' ';
      headers.back().second += Trim(line);
      continue;
    }
    size_t colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? "" : Trim(line.substr(0, colon));
    if (name.empty()) return Invalid(PartNo(index) + " has a header line without a name");
    headers.emplace_back(ToLower(name), std::string(Trim(line.substr(colon + 1))));
  }

  const std::string* disposition = nullptr;
  for (const auto& [name, value] : headers) {
    if (name == "content-disposition") {
      if (disposition) return Invalid(PartNo(index) + " has two Content-Disposition headers");
      disposition = &value;
    } else if (name == "content-type" && part.content_type.empty()) {
      std::string_view type = value;
      part.content_type = ToLower(Trim(type.substr(0, type.find(';'))));
    }
  }
  if (!disposition) return Invalid(PartNo(index) + " has no Content-Disposition");
  std::string_view d = *disposition;
  size_t semi = std::min(d.find(';'), d.size());
  if (!EqualsNoCase(Trim(d.substr(0, semi)), "form-data")) {
    return Invalid(PartNo(index) + " has a Content-Disposition other than form-data");
  }
  auto params = ParseParams(d.substr(semi));
  if (!params) return Invalid(PartNo(index) + " has a malformed Content-Disposition");
  bool duplicate = false;
  auto name = OnlyParam(*params, "name", duplicate);
  auto filename = OnlyParam(*params, "filename", duplicate);
  if (duplicate) return Invalid(PartNo(index) + " repeats a Content-Disposition parameter");
  if (!name) return Invalid(PartNo(index) + " has no name");
  part.name = std::move(*name);
  if (filename) part.filename = SanitizeFilename(*filename);
  return Ok();
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  size_t semi = std::min(content_type.find(';'), content_type.size());
  if (!EqualsNoCase(Trim(content_type.substr(0, semi)), "multipart/form-data")) return std::nullopt;
  auto params = ParseParams(content_type.substr(semi));
  if (!params) return std::nullopt;
  bool duplicate = false;
  auto boundary = OnlyParam(*params, "boundary", duplicate);
  if (duplicate || !boundary || !ValidBoundary(*boundary)) return std::nullopt;
  return boundary;
}

Result<std::vector<Part>> ParseMultipart(std::string_view body, std::string_view boundary,
                                         const MultipartLimits& limits) {
  if (!ValidBoundary(boundary)) return Invalid("the boundary is not 1..70 RFC 2046 characters");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  const std::string_view dash_boundary = std::string_view{delimiter}.substr(2);
  const std::boyer_moore_horspool_searcher searcher(delimiter.begin(), delimiter.end());

  // What follows a delimiter found at `at` (its CRLF included, except at the start of the body):
  // the offset where the next part begins, npos for the close delimiter, or nullopt when this is
  // not a delimiter after all ("--boundaryX").
  constexpr size_t kClose = std::string_view::npos;
  auto after_delimiter = [&](size_t at, size_t length) -> std::optional<size_t> {
    size_t i = at + length;
    if (body.substr(i, 2) == "--") return kClose;
    while (i < body.size() && IsSpace(body[i])) ++i;
    if (body.substr(i, 2) == "\r\n") return i + 2;
    return std::nullopt;
  };
  // The next delimiter at or after `from`: its offset and what follows it, or nullopt.
  auto next_delimiter = [&](size_t from) -> std::optional<std::pair<size_t, size_t>> {
    while (from <= body.size()) {
      auto it = std::search(body.begin() + static_cast<std::ptrdiff_t>(from), body.end(), searcher);
      if (it == body.end()) return std::nullopt;
      size_t at = static_cast<size_t>(it - body.begin());
      if (auto next = after_delimiter(at, delimiter.size())) return std::make_pair(at, *next);
      from = at + 1;
    }
    return std::nullopt;
  };

  // The first delimiter may open the body without a CRLF before it. A close delimiter first is
  // an empty form only at the very start (what browsers send); after a preamble it would hide a
  // broken body.
  std::optional<size_t> start;
  if (body.substr(0, dash_boundary.size()) == dash_boundary) {
    start = after_delimiter(0, dash_boundary.size());
  }
  if (!start) {
    auto first = next_delimiter(0);
    if (!first || first->second == kClose) return Invalid("missing first boundary");
    start = first->second;
  }

  std::vector<Part> parts;
  size_t pos = *start;
  while (pos != kClose) {
    if (parts.size() >= limits.max_parts) {
      return MakeError(ErrorCode::kTooLarge, "error.too_large.body",
                       "multipart: more than " + std::to_string(limits.max_parts) + " parts");
    }
    size_t index = parts.size();
    // The header block ends at the first CRLF CRLF, or at once with an empty header block. It may
    // hold max_part_header_bytes, counting the CRLF of its last line; so the CRLF CRLF must start
    // within max_part_header_bytes - 2 bytes.
    size_t data_start = 0;
    std::string_view block;
    if (body.substr(pos, 2) == "\r\n") {
      data_start = pos + 2;
    } else {
      size_t max = std::min(limits.max_part_header_bytes, body.size());  // no overflow below
      size_t window = max < 2 ? 0 : max + 2;
      size_t end = body.substr(pos, window).find("\r\n\r\n");
      if (end == std::string_view::npos) {
        if (pos + window <= body.size()) {
          return Invalid(PartNo(index) + " headers are longer than " +
                         std::to_string(limits.max_part_header_bytes) + " bytes");
        }
        return Invalid(PartNo(index) + " headers are not terminated (no closing boundary)");
      }
      block = body.substr(pos, end);
      data_start = pos + end + 4;
    }
    Part part;
    if (auto s = ParseHeaders(block, index, part); !s) return std::move(s).error();

    auto next = next_delimiter(data_start);
    if (!next) return Invalid("no closing boundary after " + PartNo(index));
    part.data = std::string(body.substr(data_start, next->first - data_start));
    parts.push_back(std::move(part));
    pos = next->second;
  }
  return parts;
}

Params FieldsOf(const std::vector<Part>& parts) {
  Params fields;
  for (const auto& p : parts) {
    bool plain = p.filename.empty() && (p.content_type.empty() || p.content_type == "text/plain");
    if (!plain) continue;
    for (const std::string* text : {&p.name, &p.data}) {
      if (text->find('\0') != std::string::npos || !ValidUtf8(*text)) return {};
    }
    fields.Add(p.name, p.data);
  }
  return fields;
}

MultipartTrimmer::MultipartTrimmer(std::string_view boundary, size_t keep_per_part)
    : delimiter_("\r\n--" + std::string(boundary)), keep_(keep_per_part) {
  // The body opens with "--boundary" without the CRLF: seen as if it had one, and the CRLF
  // dropped again in Finish().
  pending_ = "\r\n";
}

void MultipartTrimmer::Emit(std::string_view data) {
  size_t room = in_part_ < keep_ ? keep_ - in_part_ : 0;
  size_t take = std::min(room, data.size());
  out_.append(data.substr(0, take));
  if (take < data.size()) truncated_ = true;
  in_part_ += data.size();
}

void MultipartTrimmer::Feed(std::string_view piece) {
  pending_.append(piece);
  size_t from = 0;
  for (;;) {
    size_t at = pending_.find(delimiter_, from);
    if (at == std::string::npos) break;
    Emit(std::string_view(pending_).substr(from, at - from));
    out_.append(delimiter_);
    in_part_ = 0;
    from = at + delimiter_.size();
  }
  // Keep back what could be the start of a delimiter that the next piece completes.
  size_t hold = std::min(pending_.size() - from, delimiter_.size() - 1);
  size_t upto = pending_.size() - hold;
  Emit(std::string_view(pending_).substr(from, upto - from));
  pending_.erase(0, upto);
}

std::string MultipartTrimmer::Finish() {
  Emit(pending_);
  pending_.clear();
  if (out_.rfind("\r\n", 0) == 0) out_.erase(0, 2);
  return std::move(out_);
}

}  // namespace baladiya::http
