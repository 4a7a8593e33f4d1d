#include "platform/http/url.h"

#include <gtest/gtest.h>

namespace baladiya::http {
namespace {

TEST(PercentDecode, Table) {
  struct Case {
    const char* in;
    bool plus;
    std::optional<std::string> out;
  } cases[] = {
      {"abc", false, "abc"},
      {"a%20b", false, "a b"},
      {"a+b", true, "a b"},
      {"a+b", false, "a+b"},
      {"%D8%A8%D9%84%D8%AF%D9%8A%D8%A9", false, "بلدية"},
      {"%d8%a8", false, "ب"},
      {"%", false, std::nullopt},
      {"%2", false, std::nullopt},
      {"%zz", false, std::nullopt},
      {"%00", false, std::nullopt},        // NUL is never accepted
      {"%C0%AF", false, std::nullopt},     // overlong '/'
      {"%ED%A0%80", false, std::nullopt},  // UTF-16 surrogate
      {"%FF", false, std::nullopt},
      {"%D8", false, std::nullopt},  // truncated sequence
      {"", false, ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PercentDecode(c.in, c.plus), c.out) << c.in;
  }
}

TEST(PercentEncode, RoundTrip) {
  for (const char* s : {"", "hebron", "رام الله", "a b&c=d/e?f", "~-._"}) {
    EXPECT_EQ(PercentDecode(PercentEncode(s), false), std::string(s)) << s;
  }
  EXPECT_EQ(PercentEncode("a b"), "a%20b");
}

TEST(ParseQuery, Table) {
  auto q = ParseQuery("lang=en&x=1&x=2&empty=&flag&name=%D9%86%D8%A7%D8%A8%D9%84%D8%B3&&");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->Get("lang"), "en");
  EXPECT_EQ(q->GetAll("x").size(), 2u);
  EXPECT_EQ(q->Get("empty"), "");
  EXPECT_EQ(q->Get("flag"), "");
  EXPECT_EQ(q->Get("name"), "نابلس");
  EXPECT_FALSE(q->Get("missing"));
  EXPECT_FALSE(ParseQuery("a=%zz"));
  EXPECT_FALSE(ParseQuery("%ff=1"));
}

TEST(ParseTarget, Table) {
  struct Case {
    const char* in;
    bool ok;
    const char* path;
  } cases[] = {
      {"/", true, "/"},
      {"/m/hebron?lang=en", true, "/m/hebron"},
      {"/m/%D8%A7%D9%84%D8%AE%D9%84%D9%8A%D9%84", true, "/m/الخليل"},
      {"http://example.org/", false, ""},  // absolute-form is not served
      {"*", false, ""},
      {"", false, ""},
      {"/a%zz", false, ""},
      {"/a%FFb", false, ""},
      {"/a?b=%", false, ""},
      {"/a#frag", false, ""},
  };
  for (const auto& c : cases) {
    auto t = ParseTarget(c.in);
    EXPECT_EQ(t.has_value(), c.ok) << c.in;
    if (t && c.ok) {
      EXPECT_EQ(t->path, c.path);
    }
  }
}

}  // namespace
}  // namespace baladiya::http
