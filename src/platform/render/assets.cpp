#include "platform/render/assets.h"

#include <sodium.h>

#include "platform/http/middleware.h"

namespace baladiya::render {
namespace {

std::string ContentType(std::string_view name) {
  struct Entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr Entry kTypes[] = {
      {".css", "text/css; charset=utf-8"},
      {".js", "application/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& e : kTypes) {
    if (name.ends_with(e.ext)) return std::string(e.type);
  }
  return "application/octet-stream";
}

std::string ShortHash(std::string_view data) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 5; ++i) {
    out.push_back(kHex[h[i] >> 4]);
    out.push_back(kHex[h[i] & 15]);
  }
  return out;
}

std::string Hashed(std::string_view name, std::string_view data) {
  size_t slash = name.rfind('/');
  size_t dot = name.find('.', slash == std::string_view::npos ? 0 : slash + 1);
  if (dot == std::string_view::npos) return std::string(name) + "." + ShortHash(data);
  return std::string(name.substr(0, dot)) + "." + ShortHash(data) + std::string(name.substr(dot));
}

}  // namespace

Assets Assets::Build(std::span<const EmbeddedFile> files) {
  Assets a;
  // Non-CSS first, so CSS can point at their hashed names.
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& f : files) {
      bool css = f.name.ends_with(".css");
      if (css != (pass == 1)) continue;
      Asset asset;
      asset.name = std::string(f.name);
      asset.content_type = ContentType(f.name);
      asset.body = std::string(f.data);
      if (css) {
        for (const auto& [logical, hashed] : a.hashed_of_) {
          std::string from = "url(\"" + logical + "\")";
          std::string to = "url(\"/assets/" + hashed + "\")";
          for (size_t p = asset.body.find(from); p != std::string::npos;
               p = asset.body.find(from, p + to.size())) {
            asset.body.replace(p, from.size(), to);
          }
        }
      }
      asset.hashed_name = Hashed(asset.name, asset.body);
      if (asset.content_type.starts_with("text/") || asset.content_type == "image/svg+xml" ||
          asset.content_type.starts_with("application/javascript")) {
        std::string gz = http::GzipCompress(asset.body, 9);
        if (!gz.empty() && gz.size() < asset.body.size()) asset.gzip_body = std::move(gz);
      }
      a.hashed_of_[asset.name] = asset.hashed_name;
      std::string key = asset.hashed_name;
      a.by_hashed_.emplace(std::move(key), std::move(asset));
    }
  }
  return a;
}

std::string Assets::Url(std::string_view logical_name) const {
  auto it = hashed_of_.find(logical_name);
  return "/assets/" + (it == hashed_of_.end() ? std::string(logical_name) : it->second);
}

const Asset* Assets::Find(std::string_view hashed_name) const {
  auto it = by_hashed_.find(hashed_name);
  return it == by_hashed_.end() ? nullptr : &it->second;
}

}  // namespace baladiya::render
