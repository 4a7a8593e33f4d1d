// Static assets (CSS, fonts, icons) compiled into the binary and served under content-hashed
// names ("/assets/baladiya.3f2a9c1e.css") with a one-year immutable cache lifetime. CSS
// references written as url("fonts/NAME") are rewritten to the hashed URLs. Text assets are
// gzipped once at start-up.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "platform/embedded.h"

namespace baladiya::render {

struct Asset {
  std::string name;         // logical name, e.g. "baladiya.css"
  std::string hashed_name;  // "baladiya.3f2a9c1e.css"
  std::string content_type;
  std::string body;
  std::string gzip_body;  // empty when compression does not pay
};

class Assets {
 public:
  // Builds the table from embedded files (each file's name is its logical name).
  static Assets Build(std::span<const EmbeddedFile> files);

  // "/assets/<hashed name>" for a logical name; "/assets/<name>" when unknown (shows as a 404).
  std::string Url(std::string_view logical_name) const;
  // Whether a file of this logical name was built in.
  bool Has(std::string_view logical_name) const { return hashed_of_.count(logical_name) > 0; }
  // Looks up by hashed name (the part after "/assets/"). Null when unknown.
  const Asset* Find(std::string_view hashed_name) const;
  size_t size() const { return by_hashed_.size(); }

 private:
  std::map<std::string, Asset, std::less<>> by_hashed_;
  std::map<std::string, std::string, std::less<>> hashed_of_;  // logical -> hashed
};

}  // namespace baladiya::render
