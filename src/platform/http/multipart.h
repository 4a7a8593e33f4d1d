// multipart/form-data bodies (RFC 7578): the file uploads of HTML forms. The parser copies each
// part out of the body, so the body need not outlive the result; it runs in time linear in the
// body, and refuses malformed input with a Result instead of guessing.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::http {

// One part of the body: a plain form field or one uploaded file.
struct Part {
  std::string name;      // the form field name (Content-Disposition name=)
  std::string filename;  // empty for plain fields; for files the name as sent, stripped of any path
                         // (both / and \) and of control characters, at most 255 bytes
  std::string content_type;  // as sent (lower-cased, parameters dropped), empty when absent
  std::string data;          // the bytes
};
// A `filename` is only a hint for display: it is never safe as a storage path, and may be empty
// even for a file (an empty file input sends filename=""; a name made only of a path, "." or ".."
// is emptied). It is not checked to be valid UTF-8. `name` and `data` are exactly as sent.

// Limits on one body. The body's total size is limited by the server before it gets here.
struct MultipartLimits {
  size_t max_parts = 64;
  size_t max_part_header_bytes = 4096;
};
// max_parts counts plain fields and files alike. max_part_header_bytes counts a part's header
// lines with their CRLFs, not the blank line that ends them.

// boundary from a Content-Type header value ("multipart/form-data; boundary=..." , quoted or
// not, 1..70 chars per RFC 2046); nullopt when not multipart/form-data or no valid boundary. The
// media type and parameter names match in any case; the boundary is returned unquoted, exactly as
// written otherwise. Two boundary parameters, or a malformed parameter list, give nullopt.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Parses the body: the parts, in the order sent, each copied out (the body need not outlive the
// result). Preamble before the first boundary and epilogue after the closing one are ignored.
// Refusals: kTooLarge (message key "error.too_large.body") for more than limits.max_parts parts;
// kInvalid (message key "error.invalid") for everything else, with a detail in English naming the
// problem and the part ("multipart: part 2 has no name"), never quoting the body: missing first
// boundary, a part without Content-Disposition form-data or without name, headers longer than
// limits.max_part_header_bytes, no closing boundary ("--boundary--").
// Line ends are CRLF. Header names match in any case, whitespace around names, values and
// parameters is skipped, and parameters may be quoted (with backslash escapes) or not.
//
// - Also refused (kInvalid): a boundary that is not 1..70 RFC 2046 characters; a header line
//   without a colon; two Content-Disposition headers, or two name or filename parameters in one
//   (ambiguous: a filter and a handler could read different values); an unterminated quoted
//   parameter, or text after its closing quote.
// - A delimiter is CRLF "--" boundary (or "--" boundary at the very start of the body), followed
//   by optional spaces or tabs and CRLF, or by "--" for the close. Anything else, e.g.
//   "--boundaryX" or a boundary not preceded by CRLF, is part data. A part's data ends right
//   before the CRLF of the next delimiter, so it may hold any bytes: NUL, CR, LF.
// - A header line that starts with a space or tab continues the one before (obsolete folding).
// - Zero parts ("--boundary--" opening the body, what a browser sends for a form with nothing to
//   submit) is a valid, empty body; a close delimiter first after a preamble is not.
// - A part with filename="" is kept with an empty filename and its (usually empty) data; the
//   caller decides what an empty file input means.
// - In a quoted parameter, a backslash escapes only '"' and '\'; before any other character it is
//   kept. Browsers do not escape backslashes (they send '"' as %22), and old Internet Explorer
//   sent whole Windows paths ("C:\Users\x.pdf"), whose file name must survive.
// - filename* (RFC 5987) is ignored: RFC 7578 section 4.2 forbids it, and browsers send UTF-8 in
//   filename itself. Content-Transfer-Encoding (deprecated by RFC 7578) is ignored too.
Result<std::vector<Part>> ParseMultipart(std::string_view body, std::string_view boundary,
                                         const MultipartLimits& limits = {});

// Plain (non-file) parts as Params, in order — what Request::Form() gives for urlencoded bodies.
// A part is plain when it has no filename and its content type is absent or text/plain (browsers
// send no Content-Type for plain fields, and always one for files, even for an empty file input
// whose filename is ""). Like Form(), returns empty Params when any plain part's name or value is
// not valid UTF-8 or holds a NUL byte.
Params FieldsOf(const std::vector<Part>& parts);

// Keeps a multipart body too large to hold whole, fed in pieces as it arrives: every delimiter,
// and of each part (its header lines and data together) the first `keep_per_part` bytes; the
// rest of a longer part is dropped. A form whose file is far over any limit thus still reaches
// its handler with every plain field, and the file part cut short (still longer than
// keep_per_part minus its headers, so a size check refuses it), instead of being refused whole.
// Delimiters split across pieces are found (the last boundary-length bytes wait for the next
// piece). What is kept is at most the body; Finish() returns it, with truncated() saying whether
// any part was cut.
class MultipartTrimmer;

// Request::attributes key the server sets to "1" when a multipart body over its limit was read
// through a MultipartTrimmer that cut a part short (ServerOptions::max_upload_bytes).
inline constexpr std::string_view kBodyTruncated = "http.body_truncated";

class MultipartTrimmer {
 public:
  MultipartTrimmer(std::string_view boundary, size_t keep_per_part);
  void Feed(std::string_view piece);
  std::string Finish();
  bool truncated() const { return truncated_; }
  size_t kept_bytes() const { return out_.size() + pending_.size(); }

 private:
  void Emit(std::string_view data);
  std::string delimiter_;  // CRLF "--" boundary
  size_t keep_;
  std::string out_;
  std::string pending_;  // bytes not yet known to be outside a delimiter
  size_t in_part_ = 0;   // bytes of the current part seen so far, kept or not
  bool truncated_ = false;
};

}  // namespace baladiya::http
