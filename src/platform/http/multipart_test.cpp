#include "platform/http/multipart.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

namespace baladiya::http {
namespace {

using namespace std::string_literals;

// Chromium's boundary and line shape: "------WebKitFormBoundary" plus 16 characters.
constexpr char kChrome[] = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
// Firefox's.
constexpr char kFirefox[] = "---------------------------9051914041544843365972754266";

// The first bytes of real files: PNG signature and IHDR (CR, LF, SUB and NUL bytes), PDF header
// with its binary comment line.
const std::string kPng = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0"s;
const std::string kPdf = "%PDF-1.7\r\n%\xE2\xE3\xCF\xD3\r\n1 0 obj\r\n<< /Type /Catalog >>\r\n"s;

using Fields = std::tuple<std::string, std::string, std::string, std::string>;

std::vector<Fields> Flatten(const std::vector<Part>& parts) {
  std::vector<Fields> out;
  out.reserve(parts.size());
  for (const auto& p : parts) out.emplace_back(p.name, p.filename, p.content_type, p.data);
  return out;
}

// Chromium's serialisation: "--" boundary CRLF, headers, CRLF, data CRLF ... "--" boundary "--".
std::string ChromeBody(const std::vector<std::pair<std::string, std::string>>& parts) {
  std::string body;
  for (const auto& [headers, data] : parts) {
    body.append("--").append(kChrome).append("\r\n").append(headers).append("\r\n\r\n");
    body.append(data).append("\r\n");
  }
  return body + "--" + kChrome + "--\r\n";
}

std::string FieldHeader(const std::string& name) {
  return "Content-Disposition: form-data; name=\"" + name + "\"";
}

std::string FileHeader(const std::string& name, const std::string& filename,
                       const std::string& type) {
  return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename +
         "\"\r\nContent-Type: " + type;
}

TEST(MultipartBoundary, Table) {
  const std::string seventy(70, 'x');
  struct Case {
    std::string content_type;
    std::optional<std::string> boundary;
  } cases[] = {
      {"multipart/form-data; boundary="s + kChrome, kChrome},
      {"multipart/form-data; boundary="s + kFirefox, kFirefox},
      {"multipart/form-data; boundary=\"quoted-boundary\"", "quoted-boundary"},
      {"multipart/form-data; boundary=\"'()+_,-./:=? x\"", "'()+_,-./:=? x"},  // every bchar
      {"Multipart/Form-Data; BOUNDARY=AbC", "AbC"},  // names in any case, value as written
      {"  multipart/form-data ;  boundary = xyz ; charset=utf-8", "xyz"},
      {"multipart/form-data; charset=utf-8; boundary=xyz", "xyz"},
      {"multipart/form-data;boundary=xyz", "xyz"},
      {"multipart/form-data; boundary=" + seventy, seventy},
      {"multipart/form-data; boundary=" + seventy + "x", std::nullopt},  // 71 characters
      {"multipart/form-data; boundary=", std::nullopt},
      {"multipart/form-data; boundary=\"\"", std::nullopt},
      {"multipart/form-data; boundary=\"ends with space \"", std::nullopt},
      {"multipart/form-data; boundary=a@b", std::nullopt},         // '@' is not a bchar
      {"multipart/form-data; boundary=\"a\\\"b\"", std::nullopt},  // nor is '"'
      {"multipart/form-data; boundary=\"unterminated", std::nullopt},
      {"multipart/form-data; boundary=a; boundary=b", std::nullopt},  // ambiguous
      {"multipart/form-data", std::nullopt},
      {"multipart/form-data; charset=utf-8", std::nullopt},
      {"multipart/mixed; boundary=xyz", std::nullopt},
      {"multipart/form-datax; boundary=xyz", std::nullopt},
      {"application/x-www-form-urlencoded", std::nullopt},
      {"text/plain; boundary=xyz", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(MultipartBoundary(c.content_type), c.boundary) << c.content_type;
  }
}

TEST(ParseMultipart, AcceptsWellFormedBodies) {
  const std::string arabic_file = "صورة الشارع.png";
  const std::string b = "--"s + kChrome;  // the dash-boundary, for bodies written by hand
  struct Case {
    const char* what;
    std::string body;
    std::string boundary;
    std::vector<Fields> parts;
  } cases[] = {
      {"Chromium text fields with Arabic values, CRLF inside a value",
       ChromeBody({{FieldHeader("subject"), "تسرب مياه في الشارع"},
                   {FieldHeader("description"), "سطر أول\r\nسطر ثانٍ"},
                   {FieldHeader("empty"), ""}}),
       kChrome,
       {{"subject", "", "", "تسرب مياه في الشارع"},
        {"description", "", "", "سطر أول\r\nسطر ثانٍ"},
        {"empty", "", "", ""}}},
      {"Chromium PNG upload with an Arabic file name",
       ChromeBody(
           {{FieldHeader("case"), "42"}, {FileHeader("photo", arabic_file, "image/png"), kPng}}),
       kChrome,
       {{"case", "", "", "42"}, {"photo", arabic_file, "image/png", kPng}}},
      {"several files under one name (input multiple)",
       ChromeBody({{FileHeader("attachments", "كشف.pdf", "application/pdf"), kPdf},
                   {FileHeader("attachments", "map.png", "image/png"), kPng},
                   {FileHeader("attachments", "notes.txt", "text/plain"), "x\r\n"}}),
       kChrome,
       {{"attachments", "كشف.pdf", "application/pdf", kPdf},
        {"attachments", "map.png", "image/png", kPng},
        {"attachments", "notes.txt", "text/plain", "x\r\n"}}},
      {"empty file input: filename=\"\" and no data is kept",
       ChromeBody({{FileHeader("photo", "", "application/octet-stream"), ""}}),
       kChrome,
       {{"photo", "", "application/octet-stream", ""}}},
      {"Firefox, with preamble and epilogue",
       "This is a preamble.\r\n--"s + kFirefox +
           "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--" + kFirefox +
           "--\r\nThis is an epilogue\r\n--" + kFirefox + "\r\n",
       kFirefox,
       {{"a", "", "", "1"}}},
      {"boundary-like text inside data that is not a delimiter",
       ChromeBody({{FileHeader("f", "a.bin", "application/octet-stream"),
                    "x"s + b + "\r\n" + "\n" + b + "\r\n" + "\r\n" + b + "X\r\n" + "\r\n" + b +
                        "-\r\n" + "\r\n" + b + "\t!\r\n" + "\r\n" + b.substr(0, 20)}}),
       kChrome,
       {{"f", "a.bin", "application/octet-stream",
         "x"s + b + "\r\n" + "\n" + b + "\r\n" + "\r\n" + b + "X\r\n" + "\r\n" + b + "-\r\n" +
             "\r\n" + b + "\t!\r\n" + "\r\n" + b.substr(0, 20)}}},
      {"data ending in CRLF and made of CRLFs",
       ChromeBody({{FieldHeader("a"), "line\r\n"}, {FieldHeader("b"), "\r\n\r\n"}}),
       kChrome,
       {{"a", "", "", "line\r\n"}, {"b", "", "", "\r\n\r\n"}}},
      {"header names in any case, extra whitespace, parameters unquoted",
       "--x\r\ncontent-disposition:form-data;name=plain\r\n\r\n1\r\n"
       "--x\r\nCONTENT-DISPOSITION :  Form-Data ;  name = \"spaced\" ; filename = report.pdf  "
       "\r\ncontent-TYPE:   Application/PDF ; q=1  \r\n\r\n2\r\n"
       "--x\r\nContent-Type: Text/Plain; charset=UTF-8\r\nX-Other: y\r\n"
       "Content-Disposition: form-data; name=third\r\n\r\n3\r\n--x--",
       "x",
       {{"plain", "", "", "1"},
        {"spaced", "report.pdf", "application/pdf", "2"},
        {"third", "", "text/plain", "3"}}},
      {"obsolete header folding",
       "--x\r\nContent-Disposition: form-data;\r\n\tname=\"folded\"\r\n\r\nv\r\n--x--\r\n",
       "x",
       {{"folded", "", "", "v"}}},
      {"transport padding after delimiters, no CRLF after the close",
       "--x \t\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--x  \r\n"
       "Content-Disposition: form-data; name=b\r\n\r\n2\r\n--x--",
       "x",
       {{"a", "", "", "1"}, {"b", "", "", "2"}}},
      {"backslash escapes in quoted parameters",
       "--x\r\nContent-Disposition: form-data; name=\"a\\\"b\\\\c;d\"; "
       "filename=\"q\\\"uote.txt\"\r\n\r\n1\r\n--x--\r\n",
       "x",
       {{"a\"b\\c;d", "q\"uote.txt", "", "1"}}},
      {"a boundary with spaces and specials",
       "--'()+_,-./:=? x\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
       "--'()+_,-./:=? x--\r\n",
       "'()+_,-./:=? x",
       {{"a", "", "", "1"}}},
      {"filename* is ignored; filename is used",
       "--x\r\nContent-Disposition: form-data; name=f; filename*=UTF-8''%D8%A8.txt; "
       "filename=\"b.txt\"\r\n\r\n1\r\n--x--\r\n",
       "x",
       {{"f", "b.txt", "", "1"}}},
      {"a part without data",
       "--x\r\nContent-Disposition: form-data; name=a\r\n\r\n\r\n--x--\r\n",
       "x",
       {{"a", "", "", ""}}},
      {"no parts at all (an empty form)", "--x--\r\n", "x", {}},
  };
  for (const auto& c : cases) {
    auto parsed = ParseMultipart(c.body, c.boundary);
    ASSERT_TRUE(parsed.ok()) << c.what << ": " << parsed.error().detail;
    EXPECT_EQ(Flatten(*parsed), c.parts) << c.what;
  }
  // The parser's result owns its bytes.
  std::string body = ChromeBody({{FieldHeader("a"), "value"}});
  auto parsed = ParseMultipart(body, kChrome);
  body.assign(body.size(), '#');
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)[0].data, "value");
}

TEST(ParseMultipart, SanitizesFilenames) {
  const std::string long_arabic = [] {
    std::string s;
    for (int i = 0; i < 200; ++i) s += "ب";  // 2 bytes each
    return s + ".pdf";
  }();
  struct Case {
    std::string sent;  // inside the quotes, backslash escapes and all
    std::string kept;
  } cases[] = {
      {"plan.pdf", "plan.pdf"},
      {"رخصة بناء.pdf", "رخصة بناء.pdf"},
      {"../../etc/passwd", "passwd"},
      {"/var/www/index.php", "index.php"},
      {"C:\\Users\\Ahmad\\Desktop\\كشف.pdf", "كشف.pdf"},  // old IE sent whole Windows paths
      {"\\\\\\\\server\\share\\f.txt", "f.txt"},          // escaped backslashes: \\server\share
      {"dir/", ""},
      {"..", ""},
      {".", ""},
      {"...", "..."},
      {"a\x01\x1f\x7f"
       "b.txt",
       "ab.txt"},
      {"tab\there.txt", "tabhere.txt"},
      {"c1\xC2\x85\xC2\x9F"
       "x.txt",
       "c1x.txt"},                                     // NEL and APC, U+0085 and U+009F
      {"not c1 \xC2\xA0.txt", "not c1 \xC2\xA0.txt"},  // U+00A0 is no control character
      {std::string(255, 'a'), std::string(255, 'a')},
      {std::string(256, 'a'), std::string(255, 'a')},
      {long_arabic, long_arabic.substr(0, 254)},  // never half a character
  };
  for (const auto& c : cases) {
    std::string body = "--x\r\nContent-Disposition: form-data; name=f; filename=\"" + c.sent +
                       "\"\r\nContent-Type: application/octet-stream\r\n\r\nD\r\n--x--\r\n";
    auto parsed = ParseMultipart(body, "x");
    ASSERT_TRUE(parsed.ok()) << c.sent << ": " << parsed.error().detail;
    ASSERT_EQ(parsed->size(), 1u);
    EXPECT_EQ((*parsed)[0].filename, c.kept) << c.sent;
    EXPECT_EQ((*parsed)[0].data, "D");
  }
}

TEST(ParseMultipart, RefusesMalformedBodies) {
  const std::string cd = "Content-Disposition: form-data; name=a\r\n";
  struct Case {
    const char* what;
    std::string body;
    std::string boundary;
    ErrorCode code;
    const char* detail;  // a piece of the expected detail
  } cases[] = {
      {"empty body", "", "x", ErrorCode::kInvalid, "missing first boundary"},
      {"no boundary at all", "just some text\r\n", "x", ErrorCode::kInvalid,
       "missing first boundary"},
      {"only a longer boundary", "--xy\r\n" + cd + "\r\n1\r\n--xy--\r\n", "x", ErrorCode::kInvalid,
       "missing first boundary"},
      {"first boundary after text without CRLF", "junk--x\r\n" + cd + "\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "missing first boundary"},
      {"only a close delimiter after a preamble", "preamble\r\n--x--\r\n", "x", ErrorCode::kInvalid,
       "missing first boundary"},
      {"LF line ends", "--x\n" + cd + "\n1\n--x--\n", "x", ErrorCode::kInvalid,
       "missing first boundary"},
      {"no Content-Disposition", "--x\r\nContent-Type: text/plain\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "no Content-Disposition"},
      {"no headers at all", "--x\r\n\r\n1\r\n--x--\r\n", "x", ErrorCode::kInvalid,
       "no Content-Disposition"},
      {"not form-data", "--x\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "other than form-data"},
      {"form-data without name",
       "--x\r\nContent-Disposition: form-data; filename=\"a.txt\"\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "has no name"},
      {"name without value is no name",
       "--x\r\nContent-Disposition: form-data; name\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "has no name"},
      {"second part without name",
       "--x\r\n" + cd + "\r\n1\r\n--x\r\nContent-Disposition: form-data\r\n\r\n2\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "part 2 has no name"},
      {"header line without colon", "--x\r\n" + cd + "garbage\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "header line without a name"},
      {"two Content-Disposition headers",
       "--x\r\n" + cd + "Content-Disposition: form-data; name=b\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "two Content-Disposition"},
      {"two names", "--x\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\n1\r\n--x--\r\n",
       "x", ErrorCode::kInvalid, "repeats"},
      {"two filenames",
       "--x\r\nContent-Disposition: form-data; name=a; filename=a; "
       "filename=b\r\n\r\n1\r\n--x--\r\n",
       "x", ErrorCode::kInvalid, "repeats"},
      {"unterminated quote",
       "--x\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "malformed Content-Disposition"},
      {"text after a quoted value",
       "--x\r\nContent-Disposition: form-data; name=\"a\"b\r\n\r\n1\r\n--x--\r\n", "x",
       ErrorCode::kInvalid, "malformed Content-Disposition"},
      {"headers never end", "--x\r\n" + cd, "x", ErrorCode::kInvalid, "not terminated"},
      {"no closing boundary", "--x\r\n" + cd + "\r\n1", "x", ErrorCode::kInvalid,
       "no closing boundary"},
      {"no closing boundary, data ends in CRLF", "--x\r\n" + cd + "\r\n1\r\n", "x",
       ErrorCode::kInvalid, "no closing boundary"},
      {"a last delimiter that is not the close", "--x\r\n" + cd + "\r\n1\r\n--x\r\n", "x",
       ErrorCode::kInvalid, "no closing boundary"},
      {"a delimiter followed by junk is not the close", "--x\r\n" + cd + "\r\n1\r\n--x!", "x",
       ErrorCode::kInvalid, "no closing boundary"},
      {"close without CRLF before it", "--x\r\n" + cd + "\r\n1--x--\r\n", "x", ErrorCode::kInvalid,
       "no closing boundary"},
      {"empty boundary", "----\r\n", "", ErrorCode::kInvalid, "boundary"},
      {"boundary too long", "--" + std::string(71, 'x') + "--\r\n", std::string(71, 'x'),
       ErrorCode::kInvalid, "boundary"},
      {"boundary with a bad character", "--a@b--\r\n", "a@b", ErrorCode::kInvalid, "boundary"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseMultipart(c.body, c.boundary);
    ASSERT_FALSE(parsed.ok()) << c.what;
    EXPECT_EQ(parsed.error().code, c.code) << c.what;
    EXPECT_EQ(parsed.error().message_key, "error.invalid") << c.what;
    EXPECT_NE(parsed.error().detail.find(c.detail), std::string::npos)
        << c.what << ": " << parsed.error().detail;
  }
}

TEST(ParseMultipart, LimitsPartsAndHeaderBytes) {
  auto fields = [](int n) {
    std::vector<std::pair<std::string, std::string>> parts;
    parts.reserve(n);
    for (int i = 0; i < n; ++i) parts.emplace_back(FieldHeader("f" + std::to_string(i)), "v");
    return ChromeBody(parts);
  };
  struct Case {
    std::string body;
    MultipartLimits limits;
    bool ok;
    ErrorCode code;
  } cases[] = {
      {fields(64), {}, true, {}},
      {fields(65), {}, false, ErrorCode::kTooLarge},
      {fields(3), {3, 4096}, true, {}},
      {fields(4), {3, 4096}, false, ErrorCode::kTooLarge},
      {fields(1), {0, 4096}, false, ErrorCode::kTooLarge},
      {fields(0), {0, 4096}, true, {}},
      // FieldHeader("f0") is 41 bytes, 43 with its CRLF.
      {fields(1), {64, 43}, true, {}},
      {fields(1), {64, 42}, false, ErrorCode::kInvalid},
      {fields(1), {64, 0}, false, ErrorCode::kInvalid},
      {fields(2), {64, SIZE_MAX}, true, {}},
      // A long header in a later part.
      {ChromeBody({{FieldHeader("a"), "1"}, {FieldHeader(std::string(5000, 'n')), "2"}}),
       {},
       false,
       ErrorCode::kInvalid},
  };
  ASSERT_EQ(FieldHeader("f0").size(), 41u);
  for (size_t i = 0; i < std::size(cases); ++i) {
    const auto& c = cases[i];
    auto parsed = ParseMultipart(c.body, kChrome, c.limits);
    ASSERT_EQ(parsed.ok(), c.ok) << "case " << i;
    if (c.ok) continue;
    EXPECT_EQ(parsed.error().code, c.code) << "case " << i;
    if (c.code == ErrorCode::kTooLarge) {
      EXPECT_EQ(parsed.error().message_key, "error.too_large.body");
      EXPECT_NE(parsed.error().detail.find("more than"), std::string::npos);
    } else {
      EXPECT_NE(parsed.error().detail.find("headers are longer than"), std::string::npos)
          << parsed.error().detail;
    }
  }
}

// Ten megabytes, built to make a naive scan slow: the data is full of near-delimiters ("\r\n--"
// followed by all but the last byte of the boundary, or by the whole boundary and junk).
TEST(ParseMultipart, TenMegabytesInLinearTime) {
  const std::string b = "\r\n--"s + kChrome;
  const std::string near_misses[] = {b.substr(0, b.size() - 1), b + "X", "\r\n-", "\r\n\r\n"};
  for (const auto& unit : near_misses) {
    std::string data;
    data.reserve(10 << 20);
    while (data.size() < (10u << 20)) data += unit;
    std::string body = ChromeBody({{FieldHeader("title"), "عنوان"},
                                   {FileHeader("f", "big.bin", "application/octet-stream"), data},
                                   {FieldHeader("after"), "end"}});
    auto start = std::chrono::steady_clock::now();
    auto parsed = ParseMultipart(body, kChrome);
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
    ASSERT_EQ(parsed->size(), 3u);
    EXPECT_TRUE((*parsed)[1].data == data);
    EXPECT_EQ((*parsed)[2].data, "end");
    // A linear parse takes tens of milliseconds even under sanitizers; a quadratic one, hours.
    EXPECT_LT(elapsed, std::chrono::seconds(5)) << unit.size();
  }
}

TEST(MultipartFieldsOf, PlainPartsInOrder) {
  auto parsed = ParseMultipart(
      ChromeBody({{FieldHeader("subject"), "إنارة الشارع"},
                  {FileHeader("photo", "صورة.png", "image/png"), kPng},
                  {FieldHeader("tags"), "كهرباء"},
                  {FileHeader("photo", "", "application/octet-stream"), ""},  // empty file input
                  {"Content-Disposition: form-data; name=\"notes\"\r\n"
                   "Content-Type: text/plain; charset=utf-8",
                   "ملاحظة"},
                  {"Content-Disposition: form-data; name=\"meta\"\r\n"
                   "Content-Type: application/json",
                   "{}"},  // typed, not a plain field
                  {FieldHeader("tags"), "طرق"}}),
      kChrome);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  Params fields = FieldsOf(*parsed);
  std::vector<std::pair<std::string, std::string>> want = {
      {"subject", "إنارة الشارع"}, {"tags", "كهرباء"}, {"notes", "ملاحظة"}, {"tags", "طرق"}};
  EXPECT_EQ(fields.All(), want);
  EXPECT_EQ(fields.GetAll("tags").size(), 2u);
  EXPECT_FALSE(fields.Get("photo"));
}

TEST(MultipartFieldsOf, RefusesBadTextLikeForm) {
  struct Case {
    const char* what;
    std::string name;
    std::string value;
    bool kept;
  } cases[] = {
      {"Arabic", "الاسم", "أحمد", true},
      {"empty value", "a", "", true},
      {"NUL in value", "a", "x\0y"s, false},
      {"NUL in name", "a\0b"s, "x", false},
      {"invalid UTF-8", "a", "\xFF\xFE", false},
      {"truncated UTF-8", "a", "\xD8", false},
      {"overlong '/'", "a", "\xC0\xAF", false},
      {"surrogate", "a", "\xED\xA0\x80", false},
      {"past U+10FFFF", "a", "\xF4\x90\x80\x80", false},
  };
  for (const auto& c : cases) {
    std::vector<Part> parts = {{"ok", "", "", "1"}, {c.name, "", "", c.value}};
    Params fields = FieldsOf(parts);
    EXPECT_EQ(fields.All().size(), c.kept ? 2u : 0u) << c.what;
  }
  // Binary bytes in a file part do not matter.
  std::vector<Part> parts = {{"ok", "", "", "1"}, {"f", "a.png", "image/png", kPng}};
  EXPECT_EQ(FieldsOf(parts).All().size(), 1u);
}

// A body over the limit, fed in pieces of every size: each part keeps its first bytes, the
// delimiters and the small parts survive whole, and the trimmed body still parses.
TEST(MultipartTrimmer, KeepsEveryFieldAndCutsTheLongPart) {
  const std::string b = "----WebKitFormBoundaryTRIM";
  const std::string big(10000, 'x');
  const std::string body =
      "--" + b + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntok\r\n--" + b +
      "\r\nContent-Disposition: form-data; name=\"plan\"; "
      "filename=\"p.pdf\"\r\nContent-Type: application/pdf\r\n\r\n" +
      big + "\r\n--" + b +
      "\r\nContent-Disposition: form-data; name=\"area\"\r\n\r\n\u0661\u0668\u0660\r\n--" + b +
      "--\r\n";
  for (size_t piece : {size_t{1}, size_t{7}, size_t{50}, size_t{4096}, body.size()}) {
    SCOPED_TRACE(piece);
    MultipartTrimmer t(b, 1000);
    for (size_t at = 0; at < body.size(); at += piece)
      t.Feed(std::string_view(body).substr(at, piece));
    EXPECT_TRUE(t.truncated());
    std::string kept = t.Finish();
    EXPECT_LT(kept.size(), 1500u);
    auto parts = ParseMultipart(kept, b);
    ASSERT_TRUE(parts.ok()) << parts.error().detail;
    ASSERT_EQ(parts->size(), 3u);
    EXPECT_EQ((*parts)[0].data, "tok");
    EXPECT_EQ((*parts)[1].filename, "p.pdf");
    EXPECT_GT((*parts)[1].data.size(), 800u);  // the part kept 1,000 bytes, its headers included
    EXPECT_LT((*parts)[1].data.size(), 1000u);
    EXPECT_EQ((*parts)[2].data, "\u0661\u0668\u0660");
  }
  // Under the limit nothing is cut: the body comes back as it was.
  MultipartTrimmer whole(b, 1 << 20);
  whole.Feed(body);
  EXPECT_FALSE(whole.truncated());
  EXPECT_EQ(whole.Finish(), body);
}

}  // namespace
}  // namespace baladiya::http
