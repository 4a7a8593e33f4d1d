// FileWitness (audit.h): checkpoints kept in an append-only file outside the database.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "audit/audit.h"

namespace baladiya::audit {
namespace {

constexpr std::string_view kMagic = "baladiya-audit-witness/v1";

Error Unavailable(std::string detail) {
  return MakeError(ErrorCode::kUnavailable, "error.unavailable", std::move(detail));
}

Error Conflict(std::string detail) {
  return MakeError(ErrorCode::kConflict, "error.conflict", std::move(detail));
}

bool ParseInt(std::string_view text, int64_t& out) {
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && p == text.data() + text.size() && out >= 0;
}

std::string Line(const Checkpoint& c) {
  return std::string(kMagic) + " " + std::to_string(c.tree_size) + " " +
         crypto::ToHex(c.root_hash) + " " + std::to_string(c.time_ms) + " " +
         std::to_string(c.key_id) + " " + crypto::ToHex(c.signature) + "\n";
}

std::optional<Checkpoint> ParseLine(std::string_view line) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= line.size();) {
    size_t space = line.find(' ', start);
    if (space == std::string_view::npos) space = line.size();
    parts.push_back(line.substr(start, space - start));
    start = space + 1;
  }
  Checkpoint c;
  if (parts.size() != 6 || parts[0] != kMagic || !ParseInt(parts[1], c.tree_size) ||
      !ParseInt(parts[3], c.time_ms) || !ParseInt(parts[4], c.key_id)) {
    return std::nullopt;
  }
  auto root = crypto::FromHex(parts[2]);
  auto signature = crypto::FromHex(parts[5]);
  if (!root.ok() || !signature.ok()) return std::nullopt;
  c.root_hash = std::move(*root);
  c.signature = std::move(*signature);
  return c;
}

}  // namespace

FileWitness::FileWitness(std::string path, const std::array<uint8_t, 32>& public_key)
    : path_(std::move(path)), public_key_(public_key) {}

std::string FileWitness::Name() const { return "file witness " + path_; }

Result<std::vector<Checkpoint>> FileWitness::All() {
  std::lock_guard lock(mu_);
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (!std::filesystem::exists(path_)) return std::vector<Checkpoint>{};
    return Unavailable("cannot read " + path_);
  }
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  std::vector<Checkpoint> out;
  size_t start = 0;
  int line_no = 0;
  while (start < all.size()) {
    size_t end = all.find('\n', start);
    if (end == std::string::npos) break;  // a last line cut short by a crash: never written
    ++line_no;
    auto c = ParseLine(std::string_view(all).substr(start, end - start));
    if (!c) return Unavailable(path_ + ":" + std::to_string(line_no) + ": not a checkpoint line");
    out.push_back(std::move(*c));
    start = end + 1;
  }
  return out;
}

Result<Checkpoint> FileWitness::Latest() {
  auto all = All();
  if (!all) return all.error();
  if (all->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found", "no checkpoint");
  return all->back();
}

Status FileWitness::Add(const Checkpoint& c, const ConsistencyProof& from_latest) {
  if (!VerifyCheckpoint(c, public_key_)) {
    return Conflict("checkpoint of size " + std::to_string(c.tree_size) + " has a bad signature");
  }
  auto latest = Latest();
  if (!latest && latest.error().code != ErrorCode::kNotFound) return latest.error();
  std::lock_guard lock(mu_);
  if (latest) {
    if (c.tree_size < latest->tree_size) {
      return Conflict("checkpoint of size " + std::to_string(c.tree_size) +
                      " is older than the one held (" + std::to_string(latest->tree_size) + ")");
    }
    if (c.tree_size == latest->tree_size) {
      if (c.root_hash == latest->root_hash) return Ok();
      return Conflict("two different roots for " + std::to_string(c.tree_size) +
                      " entries: the log forked");
    }
    if (from_latest.first != latest->tree_size || from_latest.second != c.tree_size ||
        !VerifyConsistency(from_latest, latest->root_hash, c.root_hash)) {
      return Conflict("checkpoint of size " + std::to_string(c.tree_size) +
                      " does not extend the one held (" + std::to_string(latest->tree_size) +
                      "): the log was cut back or rewritten");
    }
  }
  // Appended and synced: the witness never holds half a line it would then trust.
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::path(path_).parent_path();
  if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
    std::filesystem::create_directories(dir, ec);
    if (ec) return Unavailable("cannot create " + dir.string() + ": " + ec.message());
    ::chmod(dir.c_str(), 0700);
  }
  int fd = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Unavailable("cannot open " + path_ + ": " + std::strerror(errno));
  // A last line cut short by a crash was never part of the file's record: it goes, so that the
  // new line starts on a line of its own.
  off_t size = ::lseek(fd, 0, SEEK_END);
  off_t keep = size;
  char byte = '\n';
  while (keep > 0 && ::pread(fd, &byte, 1, keep - 1) == 1 && byte != '\n') --keep;
  if (keep != size && ::ftruncate(fd, keep) != 0) {
    int err = errno;
    ::close(fd);
    return Unavailable("cannot repair " + path_ + ": " + std::strerror(err));
  }
  const std::string line = Line(c);
  size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(fd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = errno;
      ::close(fd);
      return Unavailable("cannot write " + path_ + ": " + std::strerror(err));
    }
    written += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  int err = errno;
  ::close(fd);
  if (!synced) return Unavailable("cannot sync " + path_ + ": " + std::strerror(err));
  return Ok();
}

}  // namespace baladiya::audit
