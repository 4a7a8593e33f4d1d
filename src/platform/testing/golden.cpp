#include "platform/testing/golden.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

namespace baladiya::testing {

namespace {

namespace json = boost::json;

constexpr std::string_view kMarker = "=== response\n";

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool IsJson(const std::string& content_type) {
  return content_type.starts_with("application/json");
}

}  // namespace

std::string Substitute(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [name, value] : values) {
    const std::string placeholder = "{{" + name + "}}";
    for (size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size())) {
      text.replace(at, placeholder.size(), value);
    }
  }
  return text;
}

bool UpdatingGoldenFiles() {
  const char* v = std::getenv("BALADIYA_GOLDEN_UPDATE");
  return v != nullptr && *v != '\0' && std::string_view(v) != "0";
}

bool ParseGolden(const std::string& text, GoldenFile& g, std::string& why, bool request_only) {
  size_t marker = text.find(kMarker);
  if (marker == std::string::npos && request_only) marker = text.size();
  if (marker == std::string::npos) {
    why = "no '=== response' line";
    return false;
  }
  g.request_text = text.substr(0, marker);
  std::istringstream in(g.request_text);
  std::string line;
  while (std::getline(in, line) && line.starts_with("#")) g.comments += line + "\n";
  std::istringstream request_line(line);
  request_line >> g.method >> g.target;
  if (g.method.empty() || g.target.empty()) {
    why = "no request line";
    return false;
  }
  while (std::getline(in, line) && !line.empty()) {
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) {
      why = "bad header line: " + line;
      return false;
    }
    g.headers.emplace_back(line.substr(0, colon), line.substr(colon + 2));
  }
  std::string body;
  while (std::getline(in, line)) body += (body.empty() ? "" : "\n") + line;
  g.body = body;
  if (marker == text.size()) return true;  // request_only, no response yet
  const std::string response = text.substr(marker + kMarker.size());
  const size_t eol = response.find('\n');
  const std::string status_line = response.substr(0, eol);
  g.status = std::atoi(status_line.substr(0, 3).c_str());
  g.content_type = status_line.size() > 4 ? status_line.substr(4) : "";
  g.expected = eol == std::string::npos ? "" : response.substr(eol + 1);
  if ((g.status < 100 || g.status > 599) && !request_only) {
    why = "no status after the response marker";
    return false;
  }
  return true;
}

std::string PrettyJson(std::string_view text) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  const auto newline = [&] {
    out += '\n';
    out.append(static_cast<size_t>(depth) * 2, ' ');
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        if (i + 1 < text.size() && (text[i + 1] == '}' || text[i + 1] == ']')) {
          out += text[++i];
        } else {
          ++depth;
          newline();
        }
        break;
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      default:
        out += c;
    }
  }
  return out;
}

size_t RunGoldenFiles(uint16_t port, const GoldenOptions& options) {
  const std::filesystem::path dir = std::filesystem::path(SourceDir()) / options.folder;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".golden") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), options.at_least) << "golden files missing from " << dir;
  std::vector<std::pair<std::regex, std::string>> masks;
  for (const auto& [pattern, replacement] : options.masks) {
    masks.emplace_back(std::regex(pattern), replacement);
  }
  const bool update = UpdatingGoldenFiles();
  std::map<std::string, std::string> values = options.values;
  size_t ran = 0;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = ReadAll(file);
    GoldenFile g;
    std::string why;
    if (!ParseGolden(text, g, why, update)) {
      ADD_FAILURE() << "malformed: " << why;
      continue;
    }
    std::string headers;
    std::string content_type;
    for (const auto& [name, value] : g.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "content-type") {
        content_type = Substitute(value, values);
      } else {
        headers += name + ": " + Substitute(value, values) + "\r\n";
      }
    }
    Reply r = Send(port, g.method, Substitute(g.target, values), headers,
                   Substitute(g.body, values), content_type);
    ++ran;
    if (options.observe) options.observe(g, r, values);
    std::string actual = r.body;
    for (const auto& [re, replacement] : masks)
      actual = std::regex_replace(actual, re, replacement);
    const std::string type = r.Header("content-type");
    if (update) {
      std::string written = actual;
      if (IsJson(type)) {
        json::error_code jec;
        json::parse(actual, jec);
        EXPECT_FALSE(jec) << "the server's body is not JSON: " << actual;
        if (!jec) written = PrettyJson(actual) + "\n";
      }
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << g.request_text << kMarker << r.status << " " << type << "\n" << written;
      continue;
    }
    EXPECT_EQ(r.status, g.status) << r.body.substr(0, 400);
    EXPECT_EQ(type, g.content_type);
    if (IsJson(g.content_type)) {
      json::error_code ec1, ec2;
      json::value want = json::parse(g.expected, ec1);
      json::value got = json::parse(actual, ec2);
      EXPECT_FALSE(ec1) << "the golden body is not JSON";
      EXPECT_FALSE(ec2) << "the server's body is not JSON: " << actual;
      if (!ec1 && !ec2) {
        EXPECT_EQ(json::serialize(got), json::serialize(want)) << "answered:\n"
                                                               << PrettyJson(actual);
      }
    } else {
      EXPECT_EQ(actual, g.expected);
    }
  }
  return ran;
}

}  // namespace baladiya::testing
