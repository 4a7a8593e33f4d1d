// ISO 11649 creditor references and fee lines.
#include <gtest/gtest.h>

#include "payments/payments.h"

namespace baladiya::payments {
namespace {

TEST(CreditorReference, MatchesTheStandardsExample) {
  // ISO 11649's own example: RF18 5390 0754 7034.
  EXPECT_EQ(CreditorReference("539007547034"), "RF18539007547034");
  EXPECT_EQ(ParseCreditorReference("RF18 5390 0754 7034"), "RF18539007547034");
  EXPECT_EQ(ParseCreditorReference("rf18539007547034"), "RF18539007547034");
}

TEST(CreditorReference, RoundTripsAndCatchesTypingErrors) {
  const std::string ref = CreditorReference("HEB26001000123");
  ASSERT_TRUE(ParseCreditorReference(ref).has_value()) << ref;
  // MOD 97-10 catches every single mistyped digit and every swap of two neighbouring digits
  // (what people get wrong when they read a number out; letters count as two digits, so a letter
  // typed for a digit is caught only most of the time).
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 2; i < ref.size(); ++i) {
    if (!digit(ref[i])) continue;
    for (char c = '0'; c <= '9'; ++c) {
      if (c == ref[i]) continue;
      std::string bad = ref;
      bad[i] = c;
      EXPECT_FALSE(ParseCreditorReference(bad).has_value()) << bad;
    }
    if (i + 1 < ref.size() && digit(ref[i + 1]) && ref[i] != ref[i + 1]) {
      std::string swapped = ref;
      std::swap(swapped[i], swapped[i + 1]);
      EXPECT_FALSE(ParseCreditorReference(swapped).has_value()) << swapped;
    }
  }
}

TEST(CreditorReference, RefusesMalformedText) {
  for (const char* bad : {"", "RF", "RF1", "RF18", "XX18539007547034", "RF1853900754703$",
                          "RF18539007547034539007547034"}) {
    EXPECT_FALSE(ParseCreditorReference(bad).has_value()) << bad;
  }
}

TEST(FeeLines, BaseAndEachMatchingRule) {
  catalog::Fee fee;
  fee.base_minor = 50000;
  fee.rules = {{"area", "", 0, 300}, {"kind", "commercial", 20000, 0}, {"kind", "home", 5, 0}};
  catalog::FormSchema form;
  form.pages.push_back({});
  form.pages[0].fields.push_back({});
  form.pages[0].fields[0].name = "area";
  form.pages[0].fields[0].label = {"المساحة", "Area"};
  const catalog::Answers answers = {{"area", {"120"}}, {"kind", {"commercial"}}};
  const auto lines = FeeLines(fee, form, answers, {"رسم", "Fee"});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].amount_minor, 50000);
  EXPECT_EQ(lines[0].description.en, "Fee");
  EXPECT_EQ(lines[1].amount_minor, 36000);
  EXPECT_EQ(lines[1].description.en, "Area");
  EXPECT_EQ(lines[2].amount_minor, 20000);
  int64_t sum = 0;
  for (const auto& l : lines) sum += l.amount_minor;
  EXPECT_EQ(sum, catalog::ComputeFee(fee, answers));
  EXPECT_TRUE(FeeLines(catalog::Fee{}, form, answers, {"a", "b"}).empty());
}

}  // namespace
}  // namespace baladiya::payments
