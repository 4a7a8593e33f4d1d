#include "platform/i18n/money.h"

#include <gtest/gtest.h>

namespace baladiya::i18n {
namespace {

TEST(MoneyTest, FractionDigitsOfTheCurrencies) {
  EXPECT_EQ(CurrencyFractionDigits("ILS"), 2);
  EXPECT_EQ(CurrencyFractionDigits("JOD"), 3);
  EXPECT_EQ(CurrencyFractionDigits("jod"), 3);
  EXPECT_EQ(CurrencyFractionDigits("XX"), 2);
}

TEST(MoneyTest, ReadsAmountsAsPeopleTypeThem) {
  struct Case {
    const char* text;
    const char* currency;
    int64_t minor;
  } cases[] = {
      {"125", "ILS", 12500},
      {"125.5", "ILS", 12550},
      {"125.50", "ILS", 12550},
      {"١٢٥٫٥٠", "ILS", 12550},
      {"١٢٥", "ILS", 12500},
      {" 1,250.75 ", "ILS", 125075},
      {"١٬٢٥٠٫٧٥", "ILS", 125075},
      {"0.05", "ILS", 5},
      {"12.500", "ILS", 1250},  // zeros past the agorot say nothing
      {"₪ 40", "ILS", 4000},
      {"40 ILS", "ILS", 4000},
      {"3.125", "JOD", 3125},
      {"3", "JOD", 3000},
      {"0", "ILS", 0},
      {"1000000000", "ILS", 100000000000},
  };
  for (const auto& c : cases) {
    auto v = ParseMoney(c.text, c.currency);
    ASSERT_TRUE(v.ok()) << c.text << ": " << v.error().message_key;
    EXPECT_EQ(*v, c.minor) << c.text;
  }
}

TEST(MoneyTest, RefusesWhatIsNotAnAmount) {
  struct Case {
    const char* text;
    const char* currency;
    const char* key;
  } cases[] = {
      {"", "ILS", "money.invalid"},
      {"  ", "ILS", "money.invalid"},
      {"-5", "ILS", "money.invalid"},
      {"+5", "ILS", "money.invalid"},
      {"12a", "ILS", "money.invalid"},
      {"1.2.3", "ILS", "money.invalid"},
      {"12.", "ILS", "money.invalid"},
      {".5", "ILS", "money.invalid"},
      {"1,25", "ILS", "money.invalid"},
      {"12,50.00", "ILS", "money.invalid"},
      {"1e5", "ILS", "money.invalid"},
      {"12.345", "ILS", "money.too_precise"},
      {"1.0001", "JOD", "money.too_precise"},
      {"1000000001", "ILS", "money.too_large"},
      {"99999999999999999999", "ILS", "money.too_large"},
  };
  for (const auto& c : cases) {
    auto v = ParseMoney(c.text, c.currency);
    ASSERT_FALSE(v.ok()) << c.text << " read as " << *v;
    EXPECT_EQ(v.error().code, ErrorCode::kInvalid) << c.text;
    EXPECT_EQ(v.error().message_key, c.key) << c.text;
  }
}

}  // namespace
}  // namespace baladiya::i18n
