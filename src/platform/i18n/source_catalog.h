// Test and tool support: the message catalogue read from a source tree rather than the binary.
// Each module keeps its fragment in src/<module>/i18n/ar.json and en.json; the platform's (the
// layout, errors, forms) is in src/platform/render/i18n/.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "platform/i18n/locale.h"

namespace baladiya::i18n {

// A fragment as read from the tree; name is the module ("cases", "platform").
struct SourceFragment {
  std::string name;
  std::string ar_json;
  std::string en_json;
};

// Every fragment under root/src, sorted by name; empty when none is found.
inline std::vector<SourceFragment> ReadSourceFragments(const std::string& root) {
  auto read = [](const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  };
  std::vector<SourceFragment> out;
  std::error_code ec;
  const std::filesystem::path src = std::filesystem::path(root) / "src";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src, ec)) {
    if (!entry.is_directory() || entry.path().filename() != "i18n") continue;
    if (!std::filesystem::exists(entry.path() / "ar.json")) continue;
    const std::filesystem::path owner = entry.path().parent_path();
    std::string name =
        owner.filename().string() == "render" ? "platform" : owner.filename().string();
    out.push_back({name, read(entry.path() / "ar.json"), read(entry.path() / "en.json")});
  }
  std::sort(out.begin(), out.end(),
            [](const SourceFragment& a, const SourceFragment& b) { return a.name < b.name; });
  return out;
}

// The whole catalogue of the source tree (as the program loads it from the binary).
inline Result<Catalog> LoadSourceCatalog(const std::string& root) {
  std::vector<SourceFragment> read = ReadSourceFragments(root);
  if (read.empty()) {
    return MakeError(ErrorCode::kNotFound, "error.not_found",
                     "no message catalogue under " + root + "/src (set BALADIYA_SOURCE_DIR)");
  }
  std::vector<Catalog::Fragment> fragments;
  for (const auto& f : read) fragments.push_back({f.name, f.ar_json, f.en_json});
  return Catalog::LoadFragments(fragments);
}

}  // namespace baladiya::i18n
