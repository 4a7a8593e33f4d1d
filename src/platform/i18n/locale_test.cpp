#include "platform/i18n/locale.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "platform/i18n/source_catalog.h"

namespace baladiya::i18n {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

TEST(Lang, CodeAndDirection) {
  EXPECT_EQ(LangCode(Lang::kAr), "ar");
  EXPECT_EQ(LangCode(Lang::kEn), "en");
  EXPECT_EQ(Dir(Lang::kAr), "rtl");
  EXPECT_EQ(Dir(Lang::kEn), "ltr");
  EXPECT_EQ(ListSeparator(Lang::kAr), "، ");
  EXPECT_EQ(ListSeparator(Lang::kEn), ", ");
}

TEST(Lang, ParseLang) {
  struct Case {
    std::string_view tag;
    std::optional<Lang> expected;
  };
  const Case cases[] = {
      {"ar", Lang::kAr},
      {"en", Lang::kEn},
      {"AR", Lang::kAr},
      {"ar-PS", Lang::kAr},
      {"ar-JO", Lang::kAr},
      {"EN-gb", Lang::kEn},
      {"en-US", Lang::kEn},
      {"ar-Arab-PS", Lang::kAr},
      {"en-Latn-GB-oxendict", Lang::kEn},
      {"", std::nullopt},
      {"fr", std::nullopt},
      {"english", std::nullopt},
      {"arabic", std::nullopt},
      {"ar-", std::nullopt},
      {"ar--PS", std::nullopt},
      {"-ar", std::nullopt},
      {"ar PS", std::nullopt},
      {"ar_PS", std::nullopt},
      {"ar-toolongsubtag", std::nullopt},
      {" ar", std::nullopt},
      {"*", std::nullopt},
      {"عربي", std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ParseLang(c.tag), c.expected) << "tag: '" << c.tag << "'";
  }
}

TEST(Lang, NegotiateLang) {
  struct Case {
    std::string_view header;
    Lang fallback;
    Lang expected;
  };
  const Case cases[] = {
      // q-values decide.
      {"en-US,en;q=0.9,ar;q=0.8", Lang::kAr, Lang::kEn},
      {"fr, ar;q=0.5", Lang::kEn, Lang::kAr},
      {"fr, en;q=0.5", Lang::kAr, Lang::kEn},
      {"en;q=0.8, ar", Lang::kEn, Lang::kAr},
      {"ar-PS,ar;q=0.9,en-US;q=0.8,en;q=0.7", Lang::kEn, Lang::kAr},
      {"de-DE, de;q=0.9, en;q=0.1", Lang::kAr, Lang::kEn},
      {"ar;q=0.3, en;q=0.301", Lang::kAr, Lang::kEn},
      {"ar;q=1.0, en;q=1", Lang::kEn, Lang::kAr},
      // Ties go to the range listed first.
      {"en;q=0.5, ar;q=0.5", Lang::kAr, Lang::kEn},
      {"ar;q=0.5,en;q=0.500", Lang::kEn, Lang::kAr},
      // Neither language: the fallback.
      {"fr", Lang::kAr, Lang::kAr},
      {"fr", Lang::kEn, Lang::kEn},
      {"fr-FR, de;q=0.5", Lang::kEn, Lang::kEn},
      {"", Lang::kAr, Lang::kAr},
      {"", Lang::kEn, Lang::kEn},
      // Wildcard.
      {"*", Lang::kEn, Lang::kEn},
      {"fr, *;q=0.1", Lang::kAr, Lang::kAr},
      {"ar;q=0.2, *;q=0.5", Lang::kAr, Lang::kEn},
      {"*;q=0.5, en;q=0", Lang::kEn, Lang::kAr},
      // Refusals (q=0).
      {"ar;q=0, en;q=0", Lang::kAr, Lang::kAr},
      {"ar;q=0", Lang::kAr, Lang::kEn},
      {"en;q=0, fr", Lang::kEn, Lang::kAr},
      {"en;q=0, ar;q=0.001", Lang::kEn, Lang::kAr},
      // Case, white space and extra parameters.
      {"  EN-GB ; Q=0.9 ,\tar ; q=0.4 ", Lang::kAr, Lang::kEn},
      {"en;level=1", Lang::kAr, Lang::kEn},
      {"en;level=1;q=0.2, ar;q=0.1", Lang::kAr, Lang::kEn},
      // Malformed ranges are skipped, the rest still counts.
      {"en;q=abc, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;q=1.5, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;q=0.0001, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;q=, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;q=-1, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;, ar;q=0.1", Lang::kEn, Lang::kAr},
      {"en;q=0.9;foo, ar;q=0.1", Lang::kEn, Lang::kAr},
      {";q=0.9, en", Lang::kAr, Lang::kEn},
      {",,,", Lang::kEn, Lang::kEn},
      {";;;=;q", Lang::kAr, Lang::kAr},
      {"english, arabic", Lang::kEn, Lang::kEn},
      {"\xFF\xFE\xC0\xAF", Lang::kAr, Lang::kAr},
      {"عربي, en;q=0.5", Lang::kAr, Lang::kEn},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NegotiateLang(c.header, c.fallback), c.expected)
        << "header: '" << c.header << "' fallback " << LangCode(c.fallback);
  }
}

TEST(Lang, NegotiateLangSurvivesHostileInput) {
  std::string many_commas(100000, ',');
  EXPECT_EQ(NegotiateLang(many_commas, Lang::kEn), Lang::kEn);
  std::string many_ranges;
  for (int i = 0; i < 5000; ++i) many_ranges += "xx;q=0.1;q=0.2;;=,";
  many_ranges += "en;q=0.001";
  EXPECT_EQ(NegotiateLang(many_ranges, Lang::kAr), Lang::kEn);
  // Every byte value, in every position of a short header.
  for (int b = 0; b < 256; ++b) {
    std::string header = "en;q=0.5, ar";
    for (size_t i = 0; i < header.size(); ++i) {
      std::string mutated = header;
      mutated[i] = static_cast<char>(b);
      (void)NegotiateLang(mutated);
    }
  }
  EXPECT_EQ(NegotiateLang(std::string_view("ar\0;q=0.1", 9), Lang::kEn), Lang::kEn);
}

const char kArJson[] = R"({
  "app": {"name": "بلدية الخليل", "tagline": "خدمات إلكترونية"},
  "error": {"not_found": "الصفحة غير موجودة", "invalid": "البيانات غير صحيحة"},
  "case": {"submitted": "تم تقديم طلبك رقم {number} بتاريخ {date}"},
  "only_ar": "عربي فقط"
})";
const char kEnJson[] = R"({
  "app": {"name": "Hebron Municipality", "tagline": "e-services"},
  "error": {"not_found": "Page not found", "invalid": "Invalid data"},
  "case": {"submitted": "Your application {number} was submitted on {date}"},
  "only": {"en": "English only"}
})";

Catalog LoadTestCatalog() {
  Result<Catalog> catalog = Catalog::Load(kArJson, kEnJson);
  EXPECT_TRUE(catalog.ok()) << (catalog.ok() ? "" : catalog.error().detail);
  return catalog.ok() ? std::move(catalog).value() : Catalog();
}

TEST(Catalog, FlattensNestedObjects) {
  Catalog catalog = LoadTestCatalog();
  EXPECT_EQ(Join(catalog.Keys(Lang::kAr)),
            "app.name, app.tagline, case.submitted, error.invalid, error.not_found, only_ar");
  EXPECT_EQ(Join(catalog.Keys(Lang::kEn)),
            "app.name, app.tagline, case.submitted, error.invalid, error.not_found, only.en");
}

TEST(Catalog, Get) {
  Catalog catalog = LoadTestCatalog();
  struct Case {
    Lang lang;
    std::string_view key;
    std::string_view expected;
  };
  const Case cases[] = {
      {Lang::kAr, "app.name", "بلدية الخليل"},
      {Lang::kEn, "app.name", "Hebron Municipality"},
      {Lang::kAr, "error.not_found", "الصفحة غير موجودة"},
      {Lang::kEn, "error.invalid", "Invalid data"},
      {Lang::kAr, "only_ar", "عربي فقط"},
      // Missing: the key itself.
      {Lang::kEn, "only_ar", "only_ar"},
      {Lang::kAr, "only.en", "only.en"},
      {Lang::kAr, "no.such.key", "no.such.key"},
      {Lang::kEn, "", ""},
      {Lang::kAr, "app", "app"},  // a branch, not a message
  };
  for (const Case& c : cases) {
    EXPECT_EQ(catalog.Get(c.lang, c.key), c.expected) << c.key;
    EXPECT_EQ(catalog.Has(c.lang, c.key), c.expected != c.key) << c.key;
  }
}

TEST(Catalog, MissingKeyReferenceStaysValid) {
  Catalog catalog = LoadTestCatalog();
  const std::string& first = catalog.Get(Lang::kAr, "missing.one");
  const std::string& second = catalog.Get(Lang::kEn, "missing.two");
  EXPECT_EQ(first, "missing.one");
  EXPECT_EQ(second, "missing.two");
  EXPECT_EQ(&first, &catalog.Get(Lang::kEn, "missing.one"));
  Catalog copy = catalog;
  EXPECT_EQ(copy.Get(Lang::kAr, "app.name"), "بلدية الخليل");
  EXPECT_EQ(first, "missing.one");
}

TEST(Catalog, MissingKeysAreBounded) {
  Catalog catalog = LoadTestCatalog();
  for (int i = 0; i < 5000; ++i) (void)catalog.Get(Lang::kAr, "k" + std::to_string(i));
  EXPECT_EQ(catalog.Get(Lang::kAr, "k0"), "k0");
  EXPECT_EQ(catalog.Get(Lang::kAr, "k4999"), "[missing message]");
  EXPECT_EQ(catalog.Get(Lang::kAr, "app.name"), "بلدية الخليل");
}

TEST(Catalog, ConcurrentGet) {
  Catalog catalog = LoadTestCatalog();
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&catalog, &failures, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string key = "missing." + std::to_string(i % 50);
        if (catalog.Get(Lang::kAr, key) != key) ++failures[t];
        if (catalog.Get(Lang::kEn, "app.name") != "Hebron Municipality") ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(Catalog, Format) {
  Result<Catalog> loaded = Catalog::Load(
      R"({"greet": "مرحباً {name}، لديك {count} طلبات",
          "braces": "{ {name} }", "open": "{name} {", "nested": "{{name}}",
          "plain": "لا متغيرات", "unknown": "{name} {other}", "repeat": "{n}{n}{n}"})",
      R"({"greet": "Hello {name}, you have {count} applications"})");
  ASSERT_TRUE(loaded.ok()) << loaded.error().detail;
  const Catalog& catalog = *loaded;
  struct Case {
    Lang lang;
    std::string_view key;
    std::string expected;
  };
  const Case cases[] = {
      {Lang::kAr, "greet", "مرحباً سلمى، لديك ٣ طلبات"},
      {Lang::kEn, "greet", "Hello سلمى, you have ٣ applications"},
      {Lang::kAr, "braces", "{ سلمى }"},
      {Lang::kAr, "open", "سلمى {"},
      {Lang::kAr, "nested", "{سلمى}"},
      {Lang::kAr, "plain", "لا متغيرات"},
      {Lang::kAr, "unknown", "سلمى {other}"},
      {Lang::kAr, "repeat", "xxx"},
      {Lang::kEn, "missing.{name}", "missing.سلمى"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(catalog.Format(c.lang, c.key, {{"name", "سلمى"}, {"count", "٣"}, {"n", "x"}}),
              c.expected)
        << c.key;
  }
  // Values are inserted as they are: not escaped, not expanded again.
  EXPECT_EQ(catalog.Format(Lang::kEn, "greet", {{"name", "<b>{count}</b>"}, {"count", "2"}}),
            "Hello <b>{count}</b>, you have 2 applications");
  EXPECT_EQ(catalog.Format(Lang::kEn, "greet", {}), "Hello {name}, you have {count} applications");
}

TEST(Catalog, Differences) {
  struct Case {
    const char* ar;
    const char* en;
    std::string expected;
  };
  const Case cases[] = {
      {"{}", "{}", ""},
      {R"({"a": "أ"})", R"({"a": "A"})", ""},
      {R"({"a": {"b": "ب"}})", R"({"a.b": "B"})", ""},
      {R"({"a": "أ", "b": "ب"})", R"({"a": "A"})", "ar:b"},
      {R"({"a": "أ"})", R"({"a": "A", "c": {"d": "D"}})", "en:c.d"},
      {R"({"x": "س", "a": "أ"})", R"({"a": "A", "y": "Y"})", "ar:x, en:y"},
  };
  for (const Case& c : cases) {
    Result<Catalog> catalog = Catalog::Load(c.ar, c.en);
    ASSERT_TRUE(catalog.ok()) << c.ar << " / " << c.en;
    EXPECT_EQ(Join(catalog->Differences()), c.expected) << c.ar << " / " << c.en;
  }
  EXPECT_EQ(Join(LoadTestCatalog().Differences()), "ar:only_ar, en:only.en");
}

TEST(Catalog, RejectsWhatIsNotAnObjectOfStrings) {
  struct Case {
    std::string json;
    std::string detail_mentions;
  };
  const Case cases[] = {
      {"", "invalid JSON"},
      {"{", "invalid JSON"},
      {R"({"a": "x",})", "invalid JSON"},
      {R"({"a": "x"} trailing)", "invalid JSON"},
      {"\"نص\"", "not a JSON object"},
      {"[]", "not a JSON object"},
      {"null", "not a JSON object"},
      {R"({"a": 1})", "'a'"},
      {R"({"a": true})", "'a'"},
      {R"({"a": null})", "'a'"},
      {R"({"a": ["x"]})", "'a'"},
      {R"({"error": {"not_found": 404}})", "'error.not_found'"},
      {R"({"a": {"b": {"c": 1.5}}})", "'a.b.c'"},
      {R"({"": "x"})", "empty key"},
      {R"({"a.b": "x", "a": {"b": "y"}})", "duplicate key 'a.b'"},
      {"{\"a\": \"\xC0\xAF\"}", "invalid JSON"},
      {std::string(200, '[') + std::string(200, ']'), ""},
      {R"({"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":"x"}}}}}}}}}}}}}}}}}})",
       ""},
  };
  for (const Case& c : cases) {
    for (bool arabic_side : {true, false}) {
      Result<Catalog> catalog =
          arabic_side ? Catalog::Load(c.json, "{}") : Catalog::Load("{}", c.json);
      ASSERT_FALSE(catalog.ok()) << c.json;
      EXPECT_EQ(catalog.error().code, ErrorCode::kInvalid) << c.json;
      EXPECT_EQ(catalog.error().detail.rfind(arabic_side ? "ar: " : "en: ", 0), 0u)
          << catalog.error().detail;
      EXPECT_NE(catalog.error().detail.find(c.detail_mentions), std::string::npos)
          << c.json << " -> " << catalog.error().detail;
    }
  }
}

// Each module's catalogue fragment must carry the same keys in both languages, no empty message,
// and no key of another module's fragment.
TEST(CatalogFiles, ArabicAndEnglishHaveTheSameKeys) {
  const char* env = std::getenv("BALADIYA_SOURCE_DIR");
  std::string root = env != nullptr && *env != '\0' ? env : BALADIYA_SOURCE_DIR_DEFAULT;
  std::vector<SourceFragment> fragments = ReadSourceFragments(root);
  ASSERT_GE(fragments.size(), 2u) << "no catalogue fragments under " << root << "/src";
  for (const SourceFragment& f : fragments) {
    SCOPED_TRACE(f.name);
    Result<Catalog> catalog = Catalog::Load(f.ar_json, f.en_json);
    ASSERT_TRUE(catalog.ok()) << catalog.error().detail;
    std::vector<std::string> differences = catalog->Differences();
    EXPECT_TRUE(differences.empty())
        << differences.size()
        << " key(s) in one language only (\"ar:x\" = x only in ar.json): " << Join(differences);
    std::vector<std::string> empty;
    for (Lang lang : {Lang::kAr, Lang::kEn}) {
      for (const std::string& key : catalog->Keys(lang)) {
        if (catalog->Get(lang, key).empty()) {
          empty.push_back(std::string(LangCode(lang)) + ":" + key);
        }
      }
    }
    EXPECT_TRUE(empty.empty()) << "empty message(s): " << Join(empty);
  }
  Result<Catalog> whole = LoadSourceCatalog(root);
  EXPECT_TRUE(whole.ok()) << whole.error().detail;
}

}  // namespace
}  // namespace baladiya::i18n
