#include "platform/i18n/arabic.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace baladiya::i18n {
namespace {

// 2026-11-03T10:00:00Z (12:00 in Hebron).
constexpr int64_t kNov3 = 1793700000000;
// 2026-11-03T23:00:00Z: already 4 November in Hebron (UTC+2).
constexpr int64_t kNov3LateUtc = 1793746800000;
// 2025-03-01T00:00:00Z: 1 Ramadan 1446 in the Umm al-Qura calendar.
constexpr int64_t kRamadan1446 = 1740787200000;

TEST(Utf8, IsValidUtf8) {
  struct Case {
    std::string text;
    bool valid;
  };
  const Case cases[] = {
      {"", true},
      {"Baladiya", true},
      {"بلدية الخليل", true},
      {"رخصة بناء ١٢٣ ۱۲۳", true},
      {"\xE2\x82\xAA", true},          // ₪
      {"\xF0\x9F\x8C\xB3", true},      // U+1F333
      {"\xC2\x80", true},              // U+0080, smallest 2-byte
      {"\xE0\xA0\x80", true},          // U+0800, smallest 3-byte
      {"\xED\x9F\xBF", true},          // U+D7FF, just below the surrogates
      {"\xEE\x80\x80", true},          // U+E000, just above them
      {"\xEF\xBF\xBF", true},          // U+FFFF
      {"\xF0\x90\x80\x80", true},      // U+10000, smallest 4-byte
      {"\xF4\x8F\xBF\xBF", true},      // U+10FFFF
      {std::string("a\0b", 3), true},  // U+0000 is a character
      // Overlongs.
      {"\xC0\xAF", false},
      {"\xC1\xBF", false},
      {"\xC0\x80", false},
      {"\xE0\x80\xAF", false},
      {"\xE0\x9F\xBF", false},
      {"\xF0\x80\x80\xAF", false},
      {"\xF0\x8F\xBF\xBF", false},
      // Surrogates.
      {"\xED\xA0\x80", false},
      {"\xED\xBF\xBF", false},
      {"\xED\xA0\xBD\xED\xB8\x80", false},  // CESU-8 pair
      // Above U+10FFFF and bytes that never occur.
      {"\xF4\x90\x80\x80", false},
      {"\xF5\x80\x80\x80", false},
      {"\xF8\x88\x80\x80\x80", false},
      {"\xFE", false},
      {"\xFF", false},
      // Truncated sequences.
      {"\xD8", false},
      {"\xE2\x82", false},
      {"\xF0\x9F\x8C", false},
      {"بلدية\xD9", false},
      {"\xD8 ", false},
      {"\xE2\x82 ", false},
      // Stray continuation bytes.
      {"\x80", false},
      {"\xBF", false},
      {"a\x80z", false},
      {"\xC3\x28", false},
      {"\xE2\x28\xA1", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(IsValidUtf8(c.text), c.valid) << testing::PrintToString(c.text);
  }
}

TEST(Search, NormalizeForSearch) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      // Tashkeel, shadda and ta marbuta.
      {"بَلَدِيَّةُ الخَلِيلِ", "بلديه الخليل"},
      {"رُخْصَةُ بِنَاءٍ", "رخصه بناء"},
      {"رخصة بناء", "رخصه بناء"},
      {"شَهَادَةُ خُلُوِّ طَرَف", "شهاده خلو طرف"},
      {"الرَّحْمٰن", "الرحمن"},  // superscript alef U+0670
      // Tatweel.
      {"إِجـــــازة", "اجازه"},
      {"بلـــدية", "بلديه"},
      // Alef forms and alef maqsura.
      {"أحمد", "احمد"},
      {"إحسان", "احسان"},
      {"آمال", "امال"},
      {"ٱلْقُدْس", "القدس"},
      {"مستشفى", "مستشفي"},
      {"على", "علي"},
      {"أبو ديس", "ابو ديس"},
      // Digits.
      {"١٢٣", "123"},
      {"۱۲۳", "123"},
      {"٠١٢٣٤٥٦٧٨٩", "0123456789"},
      {"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
      {"\xEF\xBC\x91\xEF\xBC\x92", "12"},  // full-width digits, by NFKC
      {"طلب رقم HEB-٢٦-٠٠٠١٢٣-٧", "طلب رقم heb-26-000123-7"},
      // Latin case folding and mixed text.
      {"HEBRON Municipality", "hebron municipality"},
      {"بلدية Hebron – Building PERMIT", "بلديه hebron – building permit"},
      {"Ärztliche STRAẞE", "ärztliche strasse"},
      // NFKC of presentation forms.
      {"\xEF\xBB\xBB", "لا"},  // U+FEFB lam-alef
      {"\xEF\xBB\xB5", "لا"},  // U+FEF5 lam-alef with madda
      {"\xEF\xBA\x91\xEF\xBB\xA0\xEF\xBA\xAA\xEF\xBB\xB3\xEF\xBA\x94", "بلديه"},
      {"\xEF\xB7\xB2", "الله"},   // U+FDF2 allah ligature
      {"\xD8\xA7\xD9\x94", "ا"},  // alef + combining hamza above
      // White space.
      {"", ""},
      {"   ", ""},
      {"\t\n\r ", ""},
      {"  الخليل \t\n  بيت لحم  ", "الخليل بيت لحم"},
      {"بيت\xC2\xA0لحم", "بيت لحم"},            // no-break space
      {"بيت\xE3\x80\x80لحم", "بيت لحم"},        // ideographic space
      {"نابلس\xE2\x80\xA8جنين", "نابلس جنين"},  // line separator
      // Invisible bidi and zero-width marks.
      {"\xE2\x80\x8F"
       "الخليل"
       "\xE2\x80\x8F",
       "الخليل"},
      {"\xD8\x9C-\xD9\xA4\xD9\xA2", "-42"},  // ALM before a minus
      {"بلد\xE2\x80\x8Cية", "بلديه"},        // ZWNJ
      {"\xEF\xBB\xBF"
       "abc",
       "abc"},  // BOM
      // Invalid UTF-8 becomes U+FFFD, one per ill-formed subsequence.
      {"abc\xFF", "abc\xEF\xBF\xBD"},
      {"الخليل\xD9", "الخليل\xEF\xBF\xBD"},
      {"a\xC0\xAF"
       "b",
       "a\xEF\xBF\xBD\xEF\xBF\xBD"
       "b"},
      {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\xF0\x9F\x8C rest", "\xEF\xBF\xBD rest"},
  };
  for (const Case& c : cases) {
    std::string got = NormalizeForSearch(c.input);
    EXPECT_EQ(got, c.expected) << "input: " << testing::PrintToString(c.input);
    EXPECT_TRUE(IsValidUtf8(got)) << "input: " << testing::PrintToString(c.input);
    EXPECT_EQ(NormalizeForSearch(got), got) << "not idempotent: " << c.input;
  }
}

TEST(Search, SpellingVariantsMatch) {
  // Each group: what residents type for the same thing must fold to one search key.
  const std::vector<std::vector<std::string>> groups = {
      {"رخصة بناء", "رُخْصَةُ بِنَاءٍ", "رخصه  بناء", "رخـــصة بناء", " رخصة\tبناء "},
      {"بلدية الخليل", "بَلَدِيَّةُ الخَلِيلِ", "بلديه الخليل", "بلـدية  الخليل"},
      {"مستشفى الأهلي", "مستشفي الاهلي", "مُسْتَشْفَى الأَهْلِيّ"},
      {"إعفاء ضريبي", "اعفاء ضريبي", "إِعْفَاءٌ ضَرِيبِيٌّ"},
      {"Permit ١٢٣", "permit 123", "PERMIT ۱۲۳"},
  };
  for (const auto& group : groups) {
    const std::string key = NormalizeForSearch(group.front());
    for (const std::string& variant : group) {
      EXPECT_EQ(NormalizeForSearch(variant), key) << group.front() << " vs " << variant;
    }
  }
}

TEST(Search, NormalizeIsThreadSafe) {
  const std::string input = "بَلَدِيَّةُ الخَلِيلِ ١٢٣ HEBRON";
  const std::string expected = "بلديه الخليل 123 hebron";
  std::vector<int> failures(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        if (NormalizeForSearch(input) != expected) ++failures[t];
        if (FormatDate(kNov3, t % 2 == 0 ? Lang::kAr : Lang::kEn).empty()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(Digits, ToWesternDigits) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"", ""},
      {"١٢٣", "123"},
      {"۱۲۳", "123"},
      {"٠١٢٣٤٥٦٧٨٩", "0123456789"},
      {"۰۱۲۳۴۵۶۷۸۹", "0123456789"},
      {"رقم الطلب ٤٥٦-٧", "رقم الطلب 456-7"},
      {"HEB-٢٦-٠٠٠١٢٣-٧", "HEB-26-000123-7"},
      {"abc 123", "abc 123"},
      {"بلدية", "بلدية"},        // letters sharing the D9 lead byte stay
      {"١٢٬٣٤٥٫٥", "12٬345٫5"},  // separators are not digits
      {"\xD9", "\xD9"},
      {"\xD9\xA0\xD9", "0\xD9"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ToWesternDigits(c.input), c.expected) << c.input;
  }
}

TEST(Digits, ToArabicIndicDigits) {
  struct Case {
    std::string input;
    std::string expected;
  };
  const Case cases[] = {
      {"", ""},
      {"0123456789", "٠١٢٣٤٥٦٧٨٩"},
      {"HEB-26-000123-7", "HEB-٢٦-٠٠٠١٢٣-٧"},
      {"الطابق 3، الغرفة 12", "الطابق ٣، الغرفة ١٢"},
      {"١٢٣", "١٢٣"},
      {"no digits", "no digits"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ToArabicIndicDigits(c.input), c.expected) << c.input;
    EXPECT_EQ(ToWesternDigits(ToArabicIndicDigits(c.input)), ToWesternDigits(c.input)) << c.input;
  }
}

// Expected strings below are what ICU 72 produces for ar-PS and en-GB. Arabic output carries
// invisible bidi marks: U+061C (ALM) before a minus sign, U+200F (RLM) around currency amounts,
// and U+00A0 between amount and symbol.
#define ALM "\xD8\x9C"
#define RLM "\xE2\x80\x8F"
#define NBSP "\xC2\xA0"

TEST(Format, Number) {
  struct Case {
    int64_t value;
    Lang lang;
    std::string expected;
  };
  const Case cases[] = {
      {0, Lang::kAr, "٠"},
      {7, Lang::kAr, "٧"},
      {12345, Lang::kAr, "١٢٬٣٤٥"},
      {1234567, Lang::kAr, "١٬٢٣٤٬٥٦٧"},
      {-42, Lang::kAr, ALM "-٤٢"},
      {INT64_MAX, Lang::kAr, "٩٬٢٢٣٬٣٧٢٬٠٣٦٬٨٥٤٬٧٧٥٬٨٠٧"},
      {0, Lang::kEn, "0"},
      {12345, Lang::kEn, "12,345"},
      {1234567, Lang::kEn, "1,234,567"},
      {-42, Lang::kEn, "-42"},
      {INT64_MIN, Lang::kEn, "-9,223,372,036,854,775,808"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatNumber(c.value, c.lang), c.expected) << c.value << " " << LangCode(c.lang);
  }
}

TEST(Format, Money) {
  struct Case {
    int64_t minor_units;
    std::string_view currency;
    Lang lang;
    std::string expected;
  };
  const Case cases[] = {
      {1250, "ILS", Lang::kAr, RLM "١٢٫٥٠" NBSP "₪"},
      {1250, "ils", Lang::kAr, RLM "١٢٫٥٠" NBSP "₪"},
      {5, "ILS", Lang::kAr, RLM "٠٫٠٥" NBSP "₪"},
      {-1250, "ILS", Lang::kAr, ALM "-" RLM "١٢٫٥٠" NBSP "₪"},
      {123456789, "ILS", Lang::kAr, RLM "١٬٢٣٤٬٥٦٧٫٨٩" NBSP "₪"},
      {123456, "JOD", Lang::kAr, RLM "١٢٣٫٤٥٦" NBSP "د.أ." RLM},  // fils: 3 minor digits
      {1250, "ILS", Lang::kEn, "₪12.50"},
      {0, "ILS", Lang::kEn, "₪0.00"},
      {-1250, "ILS", Lang::kEn, "-₪12.50"},
      {123456789, "ILS", Lang::kEn, "₪1,234,567.89"},
      {123456, "JOD", Lang::kEn, "JOD" NBSP "123.456"},
      {5, "JOD", Lang::kEn, "JOD" NBSP "0.005"},
      {INT64_MIN, "ILS", Lang::kEn, "-₪92,233,720,368,547,758.08"},
      // Well-formed but unknown code: ICU shows the code itself.
      {1250, "XYZ", Lang::kEn, "XYZ" NBSP "12.50"},
      // Not an ISO code: the amount and the generic currency sign.
      {1250, "", Lang::kEn, "12.50 ¤"},
      {1250, "₪", Lang::kEn, "12.50 ¤"},
      {1250, "IL", Lang::kAr, "١٢٫٥٠ ¤"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatMoney(c.minor_units, c.currency, c.lang), c.expected)
        << c.minor_units << " " << c.currency << " " << LangCode(c.lang);
  }
}

TEST(Format, Date) {
  struct Case {
    int64_t epoch_ms;
    Lang lang;
    std::string_view time_zone;
    std::string expected;
  };
  const Case cases[] = {
      {kNov3, Lang::kAr, "Asia/Hebron", "٣ تشرين الثاني ٢٠٢٦"},
      {kNov3, Lang::kEn, "Asia/Hebron", "3 November 2026"},
      {kNov3LateUtc, Lang::kAr, "Asia/Hebron", "٤ تشرين الثاني ٢٠٢٦"},
      {kNov3LateUtc, Lang::kEn, "Asia/Hebron", "4 November 2026"},
      {kNov3LateUtc, Lang::kEn, "UTC", "3 November 2026"},
      {kNov3LateUtc, Lang::kAr, "Asia/Amman", "٤ تشرين الثاني ٢٠٢٦"},
      {0, Lang::kAr, "UTC", "١ كانون الثاني ١٩٧٠"},
      {0, Lang::kEn, "UTC", "1 January 1970"},
      // Unknown zones behave as UTC.
      {kNov3LateUtc, Lang::kEn, "Nowhere/Bogus", "3 November 2026"},
      {kNov3LateUtc, Lang::kEn, "", "3 November 2026"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatDate(c.epoch_ms, c.lang, c.time_zone), c.expected)
        << c.epoch_ms << " " << LangCode(c.lang) << " " << c.time_zone;
  }
  EXPECT_EQ(FormatDate(kNov3, Lang::kAr), "٣ تشرين الثاني ٢٠٢٦");  // default zone
}

TEST(Format, HijriDate) {
  struct Case {
    int64_t epoch_ms;
    Lang lang;
    std::string expected;
  };
  const Case cases[] = {
      {kNov3, Lang::kAr, "٢٣ جمادى الأولى ١٤٤٨ هـ"},
      {kNov3, Lang::kEn, "23 Jumada I 1448 AH"},
      {kNov3LateUtc, Lang::kAr, "٢٤ جمادى الأولى ١٤٤٨ هـ"},
      {kRamadan1446, Lang::kAr, "١ رمضان ١٤٤٦ هـ"},
      {kRamadan1446, Lang::kEn, "1 Ramadan 1446 AH"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatHijriDate(c.epoch_ms, c.lang), c.expected)
        << c.epoch_ms << " " << LangCode(c.lang);
  }
}

// The audit log's times and date filters: the municipality's zone, each language's digits.
TEST(Dates, TimeOfDayAndLocalDays) {
  const int64_t t = 1796648709000;  // 2026-12-07T13:05:09Z, 15:05:09 in Hebron (UTC+2)
  EXPECT_EQ(FormatLocalIso(t, "Asia/Hebron"), "2026-12-07 15:05:09");
  EXPECT_EQ(FormatLocalIso(t, "UTC"), "2026-12-07 13:05:09");
  EXPECT_NE(FormatTime(t, Lang::kEn, "Asia/Hebron").find("15:05"), std::string::npos)
      << FormatTime(t, Lang::kEn, "Asia/Hebron");
  const std::string ar = FormatTime(t, Lang::kAr, "Asia/Hebron");
  EXPECT_NE(ar.find("٠٥"), std::string::npos) << ar;  // Arabic-Indic digits
  EXPECT_EQ(LocalDayStart("2026-12-07", "Asia/Hebron"), std::optional<int64_t>(1796594400000));
  EXPECT_EQ(LocalDayStart("٢٠٢٦-١٢-٠٧", "Asia/Hebron"), std::optional<int64_t>(1796594400000));
  for (const char* bad :
       {"2026-02-30", "2026-13-01", "2026-1-07", "07/12/2026", "", "1969-12-31"}) {
    EXPECT_FALSE(LocalDayStart(bad, "Asia/Hebron").has_value()) << bad;
  }
}

}  // namespace
}  // namespace baladiya::i18n
