// The catalogue search's hand rules (search.h): keys, matching, closeness, the synonym list.
#include "catalog/search.h"

#include <gtest/gtest.h>

namespace baladiya::catalog {
namespace {

bool Finds(std::string_view text, std::string_view query, const std::vector<Synonym>& syn = {}) {
  return MatchesQuery(StemmedHaystack(text), query, syn);
}

TEST(SearchStem, FoldsHamzaSeatsTaMarbutaAlefMaqsuraAndStripsPrefixes) {
  EXPECT_EQ(SearchStem("براءة"), SearchStem("برائة"));
  EXPECT_EQ(SearchStem("براءة"), SearchStem("براؤة"));
  EXPECT_EQ(SearchStem("ذمة"), SearchStem("الذمة"));
  EXPECT_EQ(SearchStem("ذمة"), SearchStem("ذمه"));
  EXPECT_EQ(SearchStem("مياه"), SearchStem("للمياه"));
  EXPECT_EQ(SearchStem("مياه"), SearchStem("والمياه"));
  EXPECT_EQ(SearchStem("مياه"), SearchStem("بالمياه"));
  EXPECT_EQ(SearchStem("مياه"), SearchStem("ومياه"));
  EXPECT_EQ(SearchStem("رخصة"), SearchStem("برخصة"));
  EXPECT_EQ(SearchStem("رخصة"), SearchStem("لرخصة"));
  EXPECT_EQ(SearchStem("مبنى"), SearchStem("مبني"));
  EXPECT_EQ(SearchStem("إنارة"), SearchStem("انارة"));
  EXPECT_EQ(SearchStem("بَرَاءَة"), SearchStem("براءة"));
}

TEST(SearchStem, KeepsShortWordsWhole) {
  // A prefix is stripped only while three letters remain (two after the article).
  EXPECT_EQ(SearchStem("بئر"), "بءر");
  EXPECT_EQ(SearchStem("وقف"), "وقف");
  EXPECT_EQ(SearchStem("الماء"), "ماء");
  EXPECT_EQ(SearchStem("Water"), "water");
  EXPECT_EQ(SearchStem(""), "");
}

TEST(MatchesQuery, TheArticlePrefixesAndMisspellingsFindTheService) {
  const std::string name = "براءة ذمة Clearance certificate";
  EXPECT_TRUE(Finds(name, "براءة ذمة"));
  EXPECT_TRUE(Finds(name, "براءة الذمة"));
  EXPECT_TRUE(Finds(name, "برائة ذمة"));
  EXPECT_TRUE(Finds(name, "برائه الذمه"));
  EXPECT_TRUE(Finds(name, "البراءة"));
  EXPECT_TRUE(Finds(name, "  براءة،  ذمة؟ "));
  EXPECT_TRUE(Finds(name, "clearance"));
  EXPECT_TRUE(Finds(name, "clear"));  // part of a word, as before
  EXPECT_FALSE(Finds(name, "براءة اختراع"));
  EXPECT_FALSE(Finds(name, "رخصة"));
  EXPECT_TRUE(Finds(name, ""));  // no words: everything, as the store's Search lists all
  EXPECT_TRUE(Finds(name, " ، "));
}

TEST(MatchesQuery, SynonymsWidenAWord) {
  const std::string leak = "الإبلاغ عن تسرب مياه Water leak report";
  const std::vector<Synonym> syn = {
      {"ماء", {"مياه"}}, {"تسريب", {"تسرب", "ماء", "مياه"}}, {"ديون", {"براءة ذمة"}}};
  EXPECT_FALSE(Finds(leak, "ماء"));
  EXPECT_TRUE(Finds(leak, "ماء", syn));
  EXPECT_TRUE(Finds(leak, "الماء", syn));  // the term's key, not its spelling
  EXPECT_FALSE(Finds(leak, "تسريب مياه"));
  EXPECT_TRUE(Finds(leak, "تسريب مياه", syn));
  EXPECT_TRUE(Finds(leak, "تسريب ماء", syn));
  EXPECT_FALSE(Finds(leak, "تسريب غاز", syn));
  // An alternative of several words needs them all.
  EXPECT_TRUE(Finds("براءة ذمة", "ديون", syn));
  EXPECT_FALSE(Finds("براءة اختراع", "ديون", syn));
}

TEST(Closeness, ATypoIsCloserThanAnotherService) {
  const std::string clearance = StemmedHaystack("براءة ذمة");
  const std::string permit = StemmedHaystack("رخصة بناء");
  EXPECT_GT(Closeness(clearance, "براءت ذمم", {}), 0.34);
  EXPECT_LT(Closeness(permit, "براءت ذمم", {}), 0.34);
  EXPECT_GT(Closeness(permit, "رخسة بناء", {}), Closeness(clearance, "رخسة بناء", {}));
  EXPECT_EQ(Closeness(permit, "", {}), 0);
}

TEST(ParseSynonyms, ReadsLinesAndRefusesBadOnes) {
  auto ok = ParseSynonyms("ماء: مياه\n\n تسريب : تسرب، ماء, مياه \r\n");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].term, "تسريب");
  EXPECT_EQ((*ok)[1].alternatives, (std::vector<std::string>{"تسرب", "ماء", "مياه"}));
  EXPECT_EQ(FormatSynonyms(*ok), "ماء: مياه\nتسريب: تسرب، ماء، مياه\n");
  auto again = ParseSynonyms(FormatSynonyms(*ok));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 2u);
  EXPECT_TRUE(ParseSynonyms("").ok());
  for (const char* bad : {"ماء مياه", "ماء:", ": مياه", "ماء مياه: شرب", "ماء: مياه\nالماء: شرب"}) {
    auto r = ParseSynonyms(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().message_key, "catalog.synonyms.bad_line");
  }
  EXPECT_EQ(ParseSynonyms("ماء: مياه\nماء:").error().detail.substr(0, 2), "2:");
}

}  // namespace
}  // namespace baladiya::catalog
