// Open311's golden files (src/open311/golden/*.golden): each is one HTTP request and the exact
// status, content type and body expected, run in name order against the real server on a fresh
// database. See src/open311/golden/README.md for the format, the data set the files start from
// and the few values that are normalised.
//
// BALADIYA_GOLDEN_UPDATE=1 rewrites each file's response part with what the server answered
// (review the diff before committing it).
#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/open311_fixture.h"

namespace baladiya::app {
namespace {

namespace json = boost::json;
using testing::kOpen311Now;

constexpr int64_t kMinute = 60'000;

std::string SourceDir() {
  const char* dir = std::getenv("BALADIYA_SOURCE_DIR");
  return dir ? dir : ".";
}

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Golden {
  std::string comments;  // the leading "#" lines, kept as they are
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string request_text;  // everything before the response marker
  int status = 0;
  std::string content_type;
  std::string expected;
};

constexpr std::string_view kMarker = "=== response\n";

// Parses a golden file; false (with why) when it is malformed.
bool Parse(const std::string& text, Golden& g, std::string& why) {
  const size_t marker = text.find(kMarker);
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
  const std::string response = text.substr(marker + kMarker.size());
  const size_t eol = response.find('\n');
  const std::string status_line = response.substr(0, eol);
  g.status = std::atoi(status_line.substr(0, 3).c_str());
  g.content_type = status_line.size() > 4 ? status_line.substr(4) : "";
  g.expected = eol == std::string::npos ? "" : response.substr(eol + 1);
  return true;
}

// What varies from run to run is replaced by a placeholder: the update ids (random) and the
// discovery changeset (when the demo catalogue was seeded).
std::string Normalise(std::string body) {
  static const std::regex kUpdateXml("<update_id>[0-9a-f]{24}</update_id>");
  static const std::regex kUpdateJson("\"update_id\":\"[0-9a-f]{24}\"");
  static const std::regex kChangesetXml("<changeset>[^<]*</changeset>");
  static const std::regex kChangesetJson("\"changeset\":\"[^\"]*\"");
  body = std::regex_replace(body, kUpdateXml, "<update_id>{{update_id}}</update_id>");
  body = std::regex_replace(body, kUpdateJson, "\"update_id\":\"{{update_id}}\"");
  body = std::regex_replace(body, kChangesetXml, "<changeset>{{changeset}}</changeset>");
  return std::regex_replace(body, kChangesetJson, "\"changeset\":\"{{changeset}}\"");
}

// JSON written for people: the server's text re-indented (two spaces, one member or item per
// line), its literals kept exactly as the server wrote them.
std::string Pretty(std::string_view text) {
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

bool IsJson(const std::string& content_type) {
  return content_type.starts_with("application/json");
}

class Open311GoldenTest : public testing::Open311Test {
 protected:
  void SetUp() override {
    Open311Test::SetUp();
    if (HasFatalFailure()) return;
    // The data set the files start from (README.md): two reports before "now".
    open311::Submission lamp{0,
                             "31.5326",
                             "35.0998",
                             "شارع عين سارة، قرب دوار ابن رشد",
                             "",
                             "عمود الإنارة أمام المدرسة مطفأ منذ أسبوع.",
                             "https://media.example.org/reports/lamp-1.jpg"};
    auto key = services_->open311_keys->Resolve(key_, hebron_.id, kOpen311Now);
    ASSERT_TRUE(key.ok());
    lamp.key_id = key->id;
    const int64_t at = 1'773'129'600'000;  // 2026-03-10T08:00:00Z
    cases::Case r1 = FileReport("street-light-report", at,
                                {{"location", {"31.5326,35.0998"}},
                                 {"problem", {"not_working"}},
                                 {"description", {lamp.description}}},
                                lamp, key->account_id, "api");
    Act(r1, "start_review", at + 23 * 60 * kMinute);
    Act(r1, "reject", at + 52 * 60 * kMinute, "العمود تابع لشركة الكهرباء وليس للبلدية.");
    // A report made on the website: its place (here a landmark, published as the address) and
    // description are published with its status; its other answers stay sealed.
    FileReport("waste-collection-report", 1'773'484'200'000,  // 2026-03-14T10:30:00Z
               {{"location", {"حي الشيخ، خلف المسجد الكبير"}},
                {"issues", {"not_collected", "container_full"}},
                {"days_uncollected", {"4"}},
                {"description", {"لم تُجمع النفايات منذ أربعة أيام."}}},
               {}, 0, "web");
  }
};

TEST_F(Open311GoldenTest, ExchangesMatchTheGoldenFiles) {
  const std::filesystem::path dir = std::filesystem::path(SourceDir()) / "src/open311/golden";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".golden") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 30u) << "golden files missing from " << dir;
  const bool update = std::getenv("BALADIYA_GOLDEN_UPDATE") != nullptr;
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = ReadAll(file);
    Golden g;
    std::string why;
    ASSERT_TRUE(Parse(text, g, why)) << why;
    std::string body = std::regex_replace(g.body, std::regex("\\{\\{api_key\\}\\}"), key_);
    Reply r = Exchange(g.method, g.target, g.headers, body);
    const std::string actual = Normalise(r.body);
    if (update) {
      std::string written = actual;
      if (IsJson(r.content_type)) {
        json::error_code ec;
        json::parse(actual, ec);
        ASSERT_FALSE(ec) << actual;
        written = Pretty(actual) + "\n";
      }
      std::ofstream out(file, std::ios::binary | std::ios::trunc);
      out << g.request_text << kMarker << r.status << " " << r.content_type << "\n" << written;
      continue;
    }
    EXPECT_EQ(r.status, g.status);
    EXPECT_EQ(r.content_type, g.content_type);
    if (IsJson(g.content_type)) {
      // JSON is compared as values (member order included); the files are indented for people.
      json::error_code ec1, ec2;
      json::value want = json::parse(g.expected, ec1);
      json::value got = json::parse(actual, ec2);
      ASSERT_FALSE(ec1) << "the golden body is not JSON";
      ASSERT_FALSE(ec2) << "the server's body is not JSON: " << actual;
      EXPECT_EQ(json::serialize(got), json::serialize(want));
    } else {
      EXPECT_EQ(actual, g.expected);
    }
  }
}

}  // namespace
}  // namespace baladiya::app
