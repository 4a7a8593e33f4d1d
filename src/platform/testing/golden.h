// Test-only: golden files. A folder of *.golden files, each one HTTP request and the exact status,
// content type and body expected, sent in name order to a server (a WebHarness) and compared:
//
//   # comment lines: what the exchange shows
//   METHOD /path?query
//   Header: value
//
//   body (one line; {{name}} placeholders are replaced by the test's values)
//   === response
//   STATUS content-type
//   body
//
// JSON bodies are compared as values (member order included) and written indented for people,
// with the server's literals unchanged; other bodies byte for byte. What differs from run to run
// by nature (random ids, signatures under a fresh key) is masked: the test names patterns whose
// matches in answers become fixed text such as {{update_id}} before the comparison.
//
// Regenerating: with BALADIYA_GOLDEN_UPDATE=1 in the environment, the runner rewrites each file's
// response part with what the server answered (masked; the request part is kept as written) and
// compares nothing. Review the diff before committing it. A new exchange is added as a file that
// holds its request alone; the update writes its answer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/testing/web_harness.h"

namespace baladiya::testing {

struct GoldenFile {
  std::string comments;  // the leading "#" lines, kept as they are
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string request_text;  // everything before the response marker, as written
  int status = 0;
  std::string content_type;
  std::string expected;
};

// Parses a golden file's text; false (with why) when it is malformed. With request_only, the
// response part may be missing or empty (a new file, before its answer is written).
bool ParseGolden(const std::string& text, GoldenFile& g, std::string& why,
                 bool request_only = false);

// JSON text re-indented (two spaces, one member or item per line), literals kept as they are.
std::string PrettyJson(std::string_view text);

struct GoldenOptions {
  // The folder under the source tree ("src/open311/golden").
  std::string folder;
  // Fewer files than this is a failure (a folder moved or emptied by mistake).
  size_t at_least = 1;
  // {{name}} in a request's target, headers and body is replaced by values[name]: credentials
  // the test made for this run (a key, a token, a session). Unknown names are left as written.
  std::map<std::string, std::string> values;
  // (ECMAScript pattern, replacement) applied in order to every answer's body before it is
  // compared or written: the values that cannot be the same on every run.
  std::vector<std::pair<std::string, std::string>> masks;
  // Called with each exchange once it ran, before its answer is masked (e.g. to check it against
  // the OpenAPI document). It may add to values what a later file's request needs from this
  // answer (an upload's id, a message's reference): the file then names it as {{name}}.
  std::function<void(const GoldenFile& file, const Reply& reply,
                     std::map<std::string, std::string>& values)>
      observe;
};

// text with every {{name}} replaced by values[name] (unknown names are left as written).
std::string Substitute(std::string text, const std::map<std::string, std::string>& values);

// Runs the folder's files against the server on port, each under a SCOPED_TRACE naming it; a
// difference is a test failure. Returns how many files ran.
size_t RunGoldenFiles(uint16_t port, const GoldenOptions& options);

// Whether BALADIYA_GOLDEN_UPDATE asks to rewrite the files.
bool UpdatingGoldenFiles();

}  // namespace baladiya::testing
