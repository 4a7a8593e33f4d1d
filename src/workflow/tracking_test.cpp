#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "workflow/workflow.h"

namespace baladiya::workflow {
namespace {

TEST(TrackingNumber, Format) {
  struct Case {
    const char* prefix;
    int year;
    int64_t sequence;
    const char* number;
  };
  // By hand for "26000123" with the Damm table: interim 0 -> 2: 1; 6: 4; 0: 6; 0: 5; 0: 3;
  // 1: 7; 2: 4; 3: 3. The check digit is the last interim.
  const Case cases[] = {
      {"HEB", 26, 123, "HEB-26-000123-3"},
      {"HEB", 2026, 123, "HEB-26-000123-3"},  // a full year keeps its last two digits
      {"RAM", 25, 1234567, "RAM-25-1234567-5"},
      {"JER", 0, 0, "JER-00-000000-0"},
      {"NABLS", 99, 999999, "NABLS-99-999999-9"},
      {"QL", 24, 987654321012, "QL-24-987654321012-3"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(TrackingNumber(c.prefix, c.year, c.sequence), c.number) << c.number;
  }
}

TEST(ParseTrackingNumber, AcceptsWhatResidentsType) {
  struct Case {
    const char* text;
    const char* prefix;
    int year;
    int64_t sequence;
  };
  const Case cases[] = {
      {"HEB-26-000123-3", "HEB", 26, 123},
      {"heb-26-000123-3", "HEB", 26, 123},
      {"Heb 26 000123 3", "HEB", 26, 123},
      {"HEB-26 000123-3", "HEB", 26, 123},
      {"  HEB-26-000123-3\n", "HEB", 26, 123},
      {"HEB-٢٦-٠٠٠١٢٣-٣", "HEB", 26, 123},  // Arabic-Indic digits
      {"HEB-۲۶-۰۰۰۱۲۳-۳", "HEB", 26, 123},  // Eastern Arabic-Indic digits
      {"RAM-25-1234567-5", "RAM", 25, 1234567},
      {"JER-00-000000-0", "JER", 0, 0},
      {"nabls-99-999999-9", "NABLS", 99, 999999},
      {"QL-24-987654321012-3", "QL", 24, 987654321012},
  };
  for (const Case& c : cases) {
    auto parts = ParseTrackingNumber(c.text);
    ASSERT_TRUE(parts.has_value()) << c.text;
    EXPECT_EQ(parts->prefix, c.prefix) << c.text;
    EXPECT_EQ(parts->year, c.year) << c.text;
    EXPECT_EQ(parts->sequence, c.sequence) << c.text;
  }
}

TEST(ParseTrackingNumber, RefusesMalformedNumbers) {
  const char* cases[] = {
      "",
      "   ",
      "HEB-26-000123-4",               // wrong check digit
      "HEB-26-000123",                 // no check digit
      "HEB-26-000123-35",              // two check digits
      "HEB-26-00123-5",                // five-digit sequence
      "HEB-26-0000123-3",              // zero padding beyond six digits is not issued
      "HEB-026-000123-3",              // three-digit year
      "HEB-6-000123-3",                // one-digit year
      "H-26-000123-3",                 // prefix too short
      "HEBRON-26-000123-3",            // prefix too long
      "HE1-26-000123-3",               // digit in the prefix
      "خلي-26-000123-3",               // Arabic prefix
      "HEB--26-000123-3",              // doubled separator
      "HEB-26-000123-3-",              // trailing separator
      "-HEB-26-000123-3",              // leading separator
      "HEB_26_000123_5",               // other separators
      "HEB2600001235",                 // no separators
      "HEB-26-1234567890123456789-1",  // sequence beyond int64
      "HEB-26-00O123-5",               // letter O for zero
      "HEB-26-000123-3 extra",
      "HEB-26-000123-\xd9",  // broken UTF-8
  };
  for (const char* text : cases) {
    EXPECT_FALSE(ParseTrackingNumber(text).has_value()) << text;
  }
  EXPECT_FALSE(ParseTrackingNumber(std::string(10'000, '1')).has_value());
}

// Numbers to try every error on: every year class, short and long sequences.
std::vector<std::string> SampleNumbers() {
  std::vector<std::string> out;
  const int years[] = {0, 7, 26, 99};
  uint64_t state = 12345;
  for (int year : years) {
    for (int64_t sequence = 0; sequence < 1500; ++sequence) {
      out.push_back(TrackingNumber("HEB", year, sequence));
    }
    for (int i = 0; i < 500; ++i) {
      state = state * 6364136223846793005u + 1442695040888963407u;  // LCG
      int64_t sequence = static_cast<int64_t>((state >> 11) % 100'000'000'000u);
      out.push_back(TrackingNumber("HEB", year, sequence));
    }
  }
  return out;
}

// Indexes of the digits (year, sequence, check digit) in a number, skipping prefix and dashes.
std::vector<size_t> DigitPositions(const std::string& number) {
  std::vector<size_t> out;
  for (size_t i = number.find('-'); i < number.size(); ++i) {
    if (number[i] >= '0' && number[i] <= '9') out.push_back(i);
  }
  return out;
}

TEST(ParseTrackingNumber, RoundTripsTheSample) {
  for (const std::string& number : SampleNumbers()) {
    auto parts = ParseTrackingNumber(number);
    ASSERT_TRUE(parts.has_value()) << number;
    EXPECT_EQ(TrackingNumber(parts->prefix, parts->year, parts->sequence), number);
  }
}

// Every single-digit substitution, in every position including the check digit, of every
// number in the sample, is refused.
TEST(ParseTrackingNumber, CatchesEverySingleDigitSubstitution) {
  int64_t tried = 0;
  for (const std::string& number : SampleNumbers()) {
    for (size_t at : DigitPositions(number)) {
      for (char digit = '0'; digit <= '9'; ++digit) {
        if (digit == number[at]) continue;
        std::string wrong = number;
        wrong[at] = digit;
        ++tried;
        ASSERT_FALSE(ParseTrackingNumber(wrong).has_value()) << number << " -> " << wrong;
      }
    }
  }
  EXPECT_GT(tried, 700'000);
}

// The Damm check digit catches every swap of two different adjacent digits, anywhere in the
// year and sequence, also across the dash between them.
TEST(ParseTrackingNumber, CatchesEveryAdjacentTransposition) {
  int64_t swaps = 0;
  for (const std::string& number : SampleNumbers()) {
    std::vector<size_t> at = DigitPositions(number);
    for (size_t i = 0; i + 1 < at.size(); ++i) {
      if (number[at[i]] == number[at[i + 1]]) continue;
      std::string swapped = number;
      std::swap(swapped[at[i]], swapped[at[i + 1]]);
      ++swaps;
      ASSERT_FALSE(ParseTrackingNumber(swapped).has_value()) << number << " -> " << swapped;
    }
  }
  EXPECT_GT(swaps, 50'000);
}

TEST(ParseTrackingNumber, NeighbouringSequencesDiffer) {
  // Under a weaker check (ISO 7064 MOD 11-10) these two carried the same digit.
  EXPECT_NE(TrackingNumber("HEB", 26, 45).back(), TrackingNumber("HEB", 26, 54).back());
}

}  // namespace
}  // namespace baladiya::workflow
