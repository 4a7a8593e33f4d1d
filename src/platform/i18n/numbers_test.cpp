#include "platform/i18n/numbers.h"

#include <gtest/gtest.h>

namespace baladiya::i18n {
namespace {

constexpr char kWorkingDaysAr[] =
    "{days, plural, zero {لا مهلة} one {يوم عمل واحد} two {يوما عمل} few {# أيام عمل} "
    "many {# يوم عمل} other {# يوم عمل}}";
constexpr char kWorkingDaysEn[] = "{days, plural, one {# working day} other {# working days}}";

TEST(NumbersTest, ArabicCountsTakeTheNounFormOfTheirPluralCategory) {
  struct Case {
    const char* days;
    const char* ar;
    const char* en;
  } cases[] = {
      {"0", "لا مهلة", "0 working days"},
      {"1", "يوم عمل واحد", "1 working day"},
      {"2", "يوما عمل", "2 working days"},
      {"3", "٣ أيام عمل", "3 working days"},
      {"10", "١٠ أيام عمل", "10 working days"},
      {"11", "١١ يوم عمل", "11 working days"},
      {"30", "٣٠ يوم عمل", "30 working days"},
      {"99", "٩٩ يوم عمل", "99 working days"},
      {"100", "١٠٠ يوم عمل", "100 working days"},
      {"103", "١٠٣ أيام عمل", "103 working days"},
      {"١١", "١١ يوم عمل", "11 working days"},  // already formatted with FormatNumber
      {"1,250", "١٬٢٥٠ يوم عمل", "1,250 working days"},
  };
  for (const auto& c : cases) {
    auto ar = FormatMessagePattern(Lang::kAr, kWorkingDaysAr, {{"days", c.days}});
    ASSERT_TRUE(ar.has_value()) << c.days;
    EXPECT_EQ(*ar, c.ar) << c.days;
    auto en = FormatMessagePattern(Lang::kEn, kWorkingDaysEn, {{"days", c.days}});
    ASSERT_TRUE(en.has_value()) << c.days;
    EXPECT_EQ(*en, c.en) << c.days;
  }
}

TEST(NumbersTest, TextArgumentsAndABrokenPattern) {
  auto s = FormatMessagePattern(Lang::kAr, "{name}: {n, plural, one {ملف واحد} other {# ملفات}}",
                                {{"name", "HEB-26-1"}, {"n", "1"}});
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s, "HEB-26-1: ملف واحد");
  EXPECT_FALSE(FormatMessagePattern(Lang::kEn, "{n, plural, one {x}", {{"n", "1"}}).has_value());
  EXPECT_TRUE(IsMessagePattern(kWorkingDaysAr));
  EXPECT_FALSE(IsMessagePattern("{days} working days"));
}

TEST(NumbersTest, CatalogFormatPicksPluralForms) {
  auto catalog = Catalog::Load(
      R"({"sla": "مدة الإنجاز: {days, plural, one {يوم عمل واحد} two {يوما عمل} few {# أيام عمل} other {# يوم عمل}}"})",
      R"({"sla": "Done within {days, plural, one {# working day} other {# working days}}"})");
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ(catalog->Format(Lang::kAr, "sla", {{"days", "2"}}), "مدة الإنجاز: يوما عمل");
  EXPECT_EQ(catalog->Format(Lang::kAr, "sla", {{"days", "١١"}}), "مدة الإنجاز: ١١ يوم عمل");
  EXPECT_EQ(catalog->Format(Lang::kEn, "sla", {{"days", "1"}}), "Done within 1 working day");
}

TEST(NumbersTest, ReadsCountsAsPeopleTypeThem) {
  struct Case {
    const char* text;
    std::optional<int64_t> value;
  } cases[] = {
      {"42", 42},
      {"٤٢", 42},
      {"۴۲", 42},
      {" 1,250 ", 1250},
      {"١٬٢٥٠", 1250},
      {"-7", -7},
      {"\u2068١٢\u2069", 12},
      {"", std::nullopt},
      {"12a", std::nullopt},
      {",12", std::nullopt},
      {"12,", std::nullopt},
      {"9223372036854775807", INT64_MAX},
      {"9223372036854775808", std::nullopt},
      {"1.5", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseCount(c.text), c.value) << c.text;
}

TEST(NumbersTest, ReadsDecimalsAsPeopleTypeThem) {
  struct Case {
    const char* text;
    std::optional<std::string> canonical;
  } cases[] = {
      {"180.5", "180.5"},
      {"١٨٠٫٥", "180.5"},
      {"١٨٠.٥", "180.5"},
      {"180,5", "180.5"},
      {"1,250", "1250"},
      {"1,250.75", "1250.75"},
      {"١٬٢٥٠٫٧٥", "1250.75"},
      {"007", "7"},
      {"2.50", "2.5"},
      {"-0.0", "0"},
      {".5", "0.5"},
      {"5.", std::nullopt},
      {"1.2.3", std::nullopt},
      {"abc", std::nullopt},
      {"", std::nullopt},
      {"1 2", std::nullopt},
      {"12345678901234567890", std::nullopt},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseDecimal(c.text), c.canonical) << c.text;
}

TEST(NumbersTest, NumbersShownInTheLanguagesDigits) {
  EXPECT_EQ(LocalizeNumber("180.5", Lang::kAr), "١٨٠٫٥");
  EXPECT_EQ(LocalizeNumber("42", Lang::kAr), "٤٢");
  EXPECT_EQ(LocalizeNumber("180.5", Lang::kEn), "180.5");
  EXPECT_EQ(LocalizeNumber("HEB-26-1", Lang::kAr), "HEB-26-1");  // not a number: unchanged
}

TEST(NumbersTest, LatinRunsAreIsolatedInPlainText) {
  EXPECT_EQ(IsolateLatin("HEB-26-000001-9"), "\u2068HEB-26-000001-9\u2069");
  EXPECT_EQ(IsolateLatin("رخصة بناء"), "رخصة بناء");
  EXPECT_EQ(IsolateLatin("\u2068HEB-26-000001-9\u2069"), "\u2068HEB-26-000001-9\u2069");
}

}  // namespace
}  // namespace baladiya::i18n
