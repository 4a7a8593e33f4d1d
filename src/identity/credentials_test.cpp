#include "identity/credentials.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <qrcodegen.hpp>
#include <regex>
#include <set>
#include <thread>

#include "platform/crypto/crypto.h"

namespace baladiya::identity {
namespace {

struct Case {
  std::string_view input;
  std::string_view want;  // normalised value, or the message key of the error
};

// Runs a table through a normaliser: a want starting with "identity." is an expected error key.
template <typename Fn>
void RunTable(const std::vector<Case>& cases, Fn fn) {
  for (const Case& c : cases) {
    Result<std::string> got = fn(c.input);
    if (c.want.starts_with("identity.")) {
      ASSERT_FALSE(got.ok()) << "input '" << c.input << "' gave " << *got;
      EXPECT_EQ(got.error().code, ErrorCode::kInvalid) << c.input;
      EXPECT_EQ(got.error().message_key, c.want) << c.input;
    } else {
      ASSERT_TRUE(got.ok()) << "input '" << c.input << "': " << got.error().message_key;
      EXPECT_EQ(*got, c.want) << c.input;
    }
  }
}

// ---- National ID -------------------------------------------------------------------------------

TEST(NationalIdTest, Table) {
  // Check digits computed by hand: 4,0,1,2,3,4,5,6 x 1,2,1,2,... -> 4+0+1+4+3+8+5+(1+2) = 28 -> 2.
  RunTable(
      {
          {"401234562", "401234562"},
          {"000000018", "000000018"},
          {"123456782", "123456782"},
          {"852769157", "852769157"},
          {"941073884", "941073884"},
          {"410299325", "410299325"},
          {"800000002", "800000002"},
          {" 401234562\t", "401234562"},
          {"401 234 562", "401234562"},
          {"4012-3456-2", "401234562"},
          {"٤٠١٢٣٤٥٦٢", "401234562"},        // Arabic-Indic digits
          {"۴۰۱۲۳۴۵۶۲", "401234562"},        // Eastern Arabic-Indic (Persian) digits
          {"\u200f٨٥٢٧٦٩١٥٧", "852769157"},  // with a right-to-left mark
          {"401234563", "identity.national_id.check_digit"},
          {"401234567", "identity.national_id.check_digit"},
          {"123456789", "identity.national_id.check_digit"},
          {"000000019", "identity.national_id.check_digit"},
          {"٤٠١٢٣٤٥٦٧", "identity.national_id.check_digit"},
          {"40123456", "identity.national_id.format"},  // 8 digits
          {"4012345620", "identity.national_id.format"},
          {"٤٠١٢٣٤٥٦", "identity.national_id.format"},
          {"40123456a", "identity.national_id.format"},
          {"4O1234562", "identity.national_id.format"},  // letter O
          {"abcdefghi", "identity.national_id.format"},
          {"رقم الهوية", "identity.national_id.format"},
          {"", "identity.national_id.format"},
          {"+401234562", "identity.national_id.format"},
      },
      NormalizeNationalId);
}

TEST(NationalIdTest, EveryWrongCheckDigitIsRefused) {
  for (char d = '0'; d <= '9'; ++d) {
    std::string id = std::string("85276915") + d;
    EXPECT_EQ(NormalizeNationalId(id).ok(), d == '7') << id;
  }
}

// ---- Phones ------------------------------------------------------------------------------------

TEST(MobilePhoneTest, Table) {
  RunTable(
      {
          {"0599123456", "+970599123456"},
          {"0569123456", "+970569123456"},
          {"+970 599 123 456", "+970599123456"},
          {"+970-59-912-3456", "+970599123456"},
          {"00970599123456", "+970599123456"},
          {"970599123456", "+970599123456"},
          {"+970 (0) 599 123 456", "+970599123456"},
          {"599123456", "+970599123456"},
          {"٠٥٩٩١٢٣٤٥٦", "+970599123456"},
          {"+٩٧٠٥٩٩١٢٣٤٥٦", "+970599123456"},
          {"\u200e+970 599 123 456\u200e", "+970599123456"},
          {"+972599123456", "+970599123456"},  // Palestinian networks: one canonical form
          {"0501234567", "+972501234567"},     // Israeli-plan mobiles (Jerusalem)
          {"0521234567", "+972521234567"},
          {"0541234567", "+972541234567"},
          {"0581234567", "+972581234567"},
          {"+972 54 123 4567", "+972541234567"},
          {"00972 52-123-4567", "+972521234567"},
          {"+970521234567", "+972521234567"},
          {"0571234567", "identity.phone.format"},  // 057 unassigned
          {"022221234", "identity.phone.format"},   // landline (Hebron)
          {"+970 2 222 1234", "identity.phone.format"},
          {"059912345", "identity.phone.format"},      // too short
          {"05991234567", "identity.phone.format"},    // too long
          {"+962791234567", "identity.phone.format"},  // Jordan
          {"+1 202 555 0100", "identity.phone.format"},
          {"0599l23456", "identity.phone.format"},
          {"رقم", "identity.phone.format"},
          {"", "identity.phone.format"},
          {"+", "identity.phone.format"},
          {"++970599123456", "identity.phone.format"},
      },
      NormalizeMobilePhone);
}

// ---- Email -------------------------------------------------------------------------------------

TEST(EmailTest, Table) {
  RunTable(
      {
          {"resident@example.ps", "resident@example.ps"},
          {"  Resident.Name+tag@Hebron-City.PS \n", "Resident.Name+tag@hebron-city.ps"},
          {"a@b.co", "a@b.co"},
          {"محمد@مثال.فلسطين", "محمد@مثال.فلسطين"},
          {"no-at-sign.example.ps", "identity.email.format"},
          {"two@@example.ps", "identity.email.format"},
          {"a@b@example.ps", "identity.email.format"},
          {"@example.ps", "identity.email.format"},
          {"resident@", "identity.email.format"},
          {"resident@localhost", "identity.email.format"},
          {"resident@.example.ps", "identity.email.format"},
          {"resident@example.ps.", "identity.email.format"},
          {"resident@example..ps", "identity.email.format"},
          {"res ident@example.ps", "identity.email.format"},
          {"resident@exa mple.ps", "identity.email.format"},
          {"resident@example_ps.com", "identity.email.format"},
          {"<resident@example.ps>", "identity.email.format"},
          {"", "identity.email.format"},
      },
      NormalizeEmail);
  std::string too_long = std::string(64, 'a') + "@" + std::string(186, 'b') + ".ps";
  EXPECT_EQ(too_long.size(), 254u);
  EXPECT_TRUE(NormalizeEmail(too_long).ok());
  EXPECT_FALSE(NormalizeEmail("a" + too_long).ok());
  EXPECT_FALSE(NormalizeEmail(std::string(65, 'a') + "@example.ps").ok());
}

// ---- Password policy ---------------------------------------------------------------------------

// ASVS 6.2.11: the platform's and municipalities' names (Arabic, English, transliterations) and
// the person's own ID number, phone and login name cannot be most of a password.
TEST(PasswordPolicyTest, RefusesPasswordsBuiltOnContextWords) {
  const std::vector<std::string> own =
      PasswordContextWords("401234562", "+970 599-123-456", "h.clerk");
  for (std::string bad : {"Baladiya2024", "baladiya-2024!", "Hebron#2024", "AL-KHALIL-99",
                          "alkhalil1234", "Nablus 12345", "nablous-1990", "Ramallah2030",
                          "رام الله ٢٠٣٠", "الخليل 12345", "بلديه نابلس", "Gaza-Rafah-1",
                          "401234562abc", "٤٠١٢٣٤٥٦٢xy", "0599123456!", "h.clerk-2024"}) {
    Status s = CheckPasswordPolicy(bad, own);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.error().message_key, "identity.password.context") << bad;
  }
  for (std::string good : {"hebron-olive-harvest", "terraced-hills-at-dawn",
                           "Baladiya for our grandchildren", "401234562 is not my secret word"}) {
    EXPECT_TRUE(CheckPasswordPolicy(good, own).ok()) << good;
  }
  // Without personal words, the ID number is just digits of someone else's.
  EXPECT_TRUE(CheckPasswordPolicy("401234562abc").ok());
  EXPECT_EQ(PasswordContextWords("", "", ""), std::vector<std::string>{});
}

TEST(PasswordPolicyTest, Table) {
  struct P {
    std::string password;
    std::string_view want;  // "" for accepted
  };
  std::vector<P> cases = {
      {"", "identity.password.too_short"},
      {"1234567", "identity.password.too_short"},
      {"كلمةسر", "identity.password.too_short"},           // 6 code points, 12 bytes
      {"كلمة سر", "identity.password.too_short"},          // 7 code points
      {"كلمةالسر", ""},                                    // 8 code points
      {"بلدية الخليل ٢٠٢٤", "identity.password.context"},  // names and a year: 6.2.11
      {"بلدية الخليل لأشجار الزيتون", ""},                 // and words of one's own
      {"correct horse battery staple", ""},
      {"zq8-vm3-plk", ""},
      {std::string(64, 'x') + "y", ""},
      {std::string(127, 'x') + "y", ""},
      {std::string(128, 'x') + "y", "identity.password.too_long"},
      {[] {
         std::string s;
         for (int i = 0; i < 128; ++i) s += "ب";
         return s;
       }(),
       ""},
      {"password", "identity.password.common"},
      {"PASSWORD", "identity.password.common"},
      {"PassWord", "identity.password.common"},
      {"12345678", "identity.password.common"},
      {"123456789", "identity.password.common"},
      {"iloveyou", "identity.password.common"},
      {"qwertyuiop", "identity.password.common"},
      {"1qaz2wsx", "identity.password.common"},
      {"password1", "identity.password.common"},
  };
  for (const P& c : cases) {
    Status got = CheckPasswordPolicy(c.password);
    if (c.want.empty()) {
      EXPECT_TRUE(got.ok()) << c.password << ": " << got.error().message_key;
    } else {
      ASSERT_FALSE(got.ok()) << c.password;
      EXPECT_EQ(got.error().message_key, c.want) << c.password;
    }
  }
}

// ---- Password hashing --------------------------------------------------------------------------

constexpr HashParams kFast{1024 * 1024, 1};  // 1 MiB, t = 1: quick tests

TEST(PasswordHasherTest, HashAndVerify) {
  PasswordHasher hasher(kFast, 2, 16);
  auto hash = hasher.Hash("كلمة السر الطويلة");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << *hash;
  auto again = hasher.Hash("كلمة السر الطويلة");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*hash, *again);  // fresh salt

  auto good = hasher.Verify("كلمة السر الطويلة", *hash);
  ASSERT_TRUE(good.ok());
  EXPECT_TRUE(good->match);
  EXPECT_FALSE(good->needs_rehash);
  auto bad = hasher.Verify("كلمة السر الطويله", *hash);
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->match);
  EXPECT_FALSE(hasher.Verify("", *hash)->match);
  EXPECT_FALSE(hasher.Verify("anything", "not a hash")->match);
  EXPECT_FALSE(hasher.Verify("anything", "")->match);
}

TEST(PasswordHasherTest, RehashFlaggedWhenParamsGrow) {
  PasswordHasher weak(kFast, 1, 4);
  auto hash = weak.Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  PasswordHasher more_memory(HashParams{2 * 1024 * 1024, 1}, 1, 4);
  auto v = more_memory.Verify("correct horse battery staple", *hash);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->match);
  EXPECT_TRUE(v->needs_rehash);
  PasswordHasher more_time(HashParams{1024 * 1024, 2}, 1, 4);
  EXPECT_TRUE(more_time.Verify("correct horse battery staple", *hash)->needs_rehash);
  // A wrong password never asks for a rehash.
  EXPECT_FALSE(more_time.Verify("wrong horse", *hash)->needs_rehash);
}

TEST(PasswordHasherTest, ConcurrentHashingFromEightThreads) {
  PasswordHasher hasher(kFast, 2, 64);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        std::string pw = "password-" + std::to_string(t) + "-" + std::to_string(i);
        auto hash = hasher.Hash(pw);
        if (!hash.ok()) continue;
        auto v = hasher.Verify(pw, *hash);
        auto wrong = hasher.Verify(pw + "x", *hash);
        if (v.ok() && v->match && wrong.ok() && !wrong->match) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 24);
}

TEST(PasswordHasherTest, QueueOverflowIsUnavailableBusy) {
  // One slow worker and room for one waiting job; eight callers at once.
  PasswordHasher hasher(HashParams{32 * 1024 * 1024, 3}, 1, 1);
  std::atomic<int> busy{0}, done{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      auto r = hasher.Hash("a long enough password");
      if (r.ok()) {
        ++done;
      } else if (r.error().code == ErrorCode::kUnavailable &&
                 r.error().message_key == "error.busy") {
        ++busy;
      } else {
        ++other;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_GE(busy.load(), 1);
  EXPECT_GE(done.load(), 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(busy + done, 8);
  // The pool recovers once the flood is over.
  EXPECT_TRUE(hasher.Hash("a long enough password").ok());
}

double Millis(const std::function<void()>& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// An unknown account costs what a known one does: the dummy hash is an argon2id hash with the
// hasher's own parameters (so verifying it runs the same computation), and matches nothing.
// (Checked by construction, not by timing: timings on a shared machine prove nothing.)
TEST(PasswordHasherTest, VerifyDummyChecksAHashOfTheSameCost) {
  HashParams params{16 * 1024 * 1024, 2};
  PasswordHasher hasher(params, 1, 4);
  auto hash = hasher.Hash("resident password");
  ASSERT_TRUE(hash.ok());
  const std::string prefix = "$argon2id$v=19$m=16384,t=2,p=1$";
  ASSERT_EQ(hash->rfind(prefix, 0), 0u) << *hash;
  EXPECT_EQ(hasher.DummyHash().rfind(prefix, 0), 0u) << hasher.DummyHash();
  EXPECT_EQ(hasher.DummyHash().size(), hash->size());
  auto verdict = hasher.Verify("resident password", hasher.DummyHash());
  ASSERT_TRUE(verdict.ok());
  EXPECT_FALSE(verdict->match);
}

TEST(PasswordHasherTest, DefaultParamsTiming) {
  PasswordHasher hasher(HashParams{}, 1, 4);
  std::string hash;
  double ms = Millis([&] { hash = *hasher.Hash("resident password"); });
  EXPECT_EQ(hash.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << hash;
  double verify_ms = Millis([&] { EXPECT_TRUE(hasher.Verify("resident password", hash)->match); });
  std::printf("argon2id m=19MiB t=2 p=1: hash %.1f ms, verify %.1f ms\n", ms, verify_ms);
}

// ---- TOTP --------------------------------------------------------------------------------------

const std::string kRfcSecret = "12345678901234567890";

TEST(TotpTest, Rfc6238AppendixBSha1) {
  struct V {
    int64_t t;
    std::string_view eight_digits;
  };
  for (const V& v : std::vector<V>{{59, "94287082"},
                                   {1111111109, "07081804"},
                                   {1111111111, "14050471"},
                                   {1234567890, "89005924"},
                                   {2000000000, "69279037"},
                                   {20000000000, "65353130"}}) {
    EXPECT_EQ(Totp::Code(kRfcSecret, v.t), v.eight_digits.substr(2)) << v.t;
  }
}

TEST(TotpTest, CheckAcceptsOneStepEitherSide) {
  const int64_t now = 1234567890;
  const int64_t step = now / 30;
  EXPECT_EQ(Totp::Check(kRfcSecret, Totp::Code(kRfcSecret, now), now), step);
  EXPECT_EQ(Totp::Check(kRfcSecret, Totp::Code(kRfcSecret, now - 30), now), step - 1);
  EXPECT_EQ(Totp::Check(kRfcSecret, Totp::Code(kRfcSecret, now + 30), now), step + 1);
  EXPECT_EQ(Totp::Check(kRfcSecret, Totp::Code(kRfcSecret, now - 60), now), -1);
  EXPECT_EQ(Totp::Check(kRfcSecret, Totp::Code(kRfcSecret, now + 60), now), -1);
  EXPECT_EQ(Totp::Check("another secret 20 by", Totp::Code(kRfcSecret, now), now), -1);
  // An empty secret still gives a well-formed code (RFC 4226 does not forbid it) and no crash.
  EXPECT_EQ(Totp::Code("", now).size(), 6u);
}

TEST(TotpTest, CheckFoldsWhatPeopleType) {
  // At T = 59 the code is 287082.
  for (std::string_view typed : {"287082", "287 082", " 287-082 ", "٢٨٧٠٨٢", "۲۸۷۰۸۲"}) {
    EXPECT_EQ(Totp::Check(kRfcSecret, typed, 59), 1) << typed;
  }
  for (std::string_view typed : {"", "28708", "2870820", "28708a", "abcdef", "287083"}) {
    EXPECT_EQ(Totp::Check(kRfcSecret, typed, 59), -1) << typed;
  }
}

TEST(TotpTest, Base32Rfc4648Vectors) {
  EXPECT_EQ(Totp::Base32(""), "");
  EXPECT_EQ(Totp::Base32("f"), "MY");
  EXPECT_EQ(Totp::Base32("fo"), "MZXQ");
  EXPECT_EQ(Totp::Base32("foo"), "MZXW6");
  EXPECT_EQ(Totp::Base32("foob"), "MZXW6YQ");
  EXPECT_EQ(Totp::Base32("fooba"), "MZXW6YTB");
  EXPECT_EQ(Totp::Base32("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Totp::Base32(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(TotpTest, NewSecretAndUri) {
  std::string secret = Totp::NewSecret();
  EXPECT_EQ(secret.size(), 20u);
  EXPECT_NE(secret, Totp::NewSecret());
  EXPECT_EQ(Totp::Uri("بلدية الخليل", "a b:c@d", kRfcSecret),
            "otpauth://totp/%D8%A8%D9%84%D8%AF%D9%8A%D8%A9%20%D8%A7%D9%84%D8%AE%D9%84%D9%8A%D9%84"
            ":a%20b%3Ac%40d?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer="
            "%D8%A8%D9%84%D8%AF%D9%8A%D8%A9%20%D8%A7%D9%84%D8%AE%D9%84%D9%8A%D9%84"
            "&algorithm=SHA1&digits=6&period=30");
  EXPECT_EQ(Totp::Uri("Baladiya", "401234562", kRfcSecret),
            "otpauth://totp/Baladiya:401234562?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
            "&issuer=Baladiya&algorithm=SHA1&digits=6&period=30");
}

// ---- Recovery codes ----------------------------------------------------------------------------

TEST(RecoveryCodesTest, FormatAlphabetAndUniqueness) {
  std::vector<std::string> codes = NewRecoveryCodes();
  ASSERT_EQ(codes.size(), 10u);
  std::regex shape("[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}");
  std::set<std::string> seen;
  for (const std::string& code : codes) {
    EXPECT_TRUE(std::regex_match(code, shape)) << code;
    EXPECT_EQ(code.find_first_of("0o1liI"), std::string::npos) << code;
    seen.insert(code);
  }
  EXPECT_EQ(seen.size(), 10u);
  EXPECT_EQ(NewRecoveryCodes(3).size(), 3u);
}

TEST(RecoveryCodesTest, CanonicalForm) {
  struct C {
    std::string_view typed, want;
  };
  for (const C& c : std::vector<C>{{"abcd-efgh-jkmn", "abcdefghjkmn"},
                                   {"ABCD-EFGH-JKMN", "abcdefghjkmn"},
                                   {" abcd efgh jkmn\n", "abcdefghjkmn"},
                                   {"abcdefghjkmn", "abcdefghjkmn"},
                                   {"ab23-٤٥٦٧-xyzw", "ab234567xyzw"}}) {
    EXPECT_EQ(CanonicalRecoveryCode(c.typed), c.want) << c.typed;
  }
  for (const std::string& code : NewRecoveryCodes()) {
    std::string plain = code;
    std::erase(plain, '-');
    EXPECT_EQ(CanonicalRecoveryCode(code), plain);
  }
}

// ---- QR code -----------------------------------------------------------------------------------

TEST(QrSvgTest, CompactSvgWithQuietZoneAndNoInlineStyle) {
  std::string uri = Totp::Uri("بلدية الخليل", "401234562", kRfcSecret);
  std::string svg = QrSvg(uri);
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", 0), 0u);
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_EQ(svg.find("style"), std::string::npos);
  EXPECT_EQ(svg.find("role="), std::string::npos);
  EXPECT_EQ(svg.find("<path"), svg.rfind("<path"));  // exactly one path
  EXPECT_NE(svg.find("fill=\"#000\""), std::string::npos);

  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("viewBox=\"0 0 (\\d+) (\\d+)\"")));
  int dim = std::stoi(m[1]);
  int modules = dim - 8;
  EXPECT_EQ((modules - 17) % 4, 0) << "a QR code is 17 + 4 * version modules wide";
  // The top-left finder pattern starts just inside the quiet zone: 7 dark modules at (4,4).
  EXPECT_NE(svg.find("M4,4h7v1h-7z"), std::string::npos);
  // Every run lies inside the quiet zone.
  std::regex run("M(\\d+),(\\d+)h(\\d+)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), len = std::stoi((*it)[3]);
    EXPECT_GE(x, 4);
    EXPECT_GE(y, 4);
    EXPECT_LE(x + len, dim - 4);
    EXPECT_LT(y, dim - 4);
  }
}

TEST(QrSvgTest, PathDrawsExactlyTheDarkModules) {
  const std::string text = "otpauth://totp/Baladiya:401234562?secret=GEZDGNBVGY3TQOJQ";
  qrcodegen::QrCode qr =
      qrcodegen::QrCode::encodeText(text.c_str(), qrcodegen::QrCode::Ecc::MEDIUM);
  const int size = qr.getSize();
  std::vector<std::vector<bool>> drawn(size, std::vector<bool>(size, false));
  std::string svg = QrSvg(text);
  std::regex run("M(\\d+),(\\d+)h(\\d+)v1h-(\\d+)z");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    int x = std::stoi((*it)[1]) - 4, y = std::stoi((*it)[2]) - 4, len = std::stoi((*it)[3]);
    ASSERT_EQ(len, std::stoi((*it)[4]));
    for (int i = 0; i < len; ++i) {
      ASSERT_FALSE(drawn[y][x + i]) << "module drawn twice";
      drawn[y][x + i] = true;
    }
  }
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x) EXPECT_EQ(drawn[y][x], qr.getModule(x, y)) << x << "," << y;
  }
}

TEST(QrSvgTest, TooLongTextGivesEmpty) {
  EXPECT_TRUE(QrSvg(std::string(8000, 'x')).empty());
  EXPECT_FALSE(QrSvg("").empty());
}

}  // namespace
}  // namespace baladiya::identity
