// Credentials: national IDs, phones, emails, password policy and hashing, TOTP, recovery codes
// and QR codes. See credentials.h for the contracts.
//
// data/common-passwords.txt: the 10,000 most frequent passwords of at least 8 characters from
// the npm package @zxcvbn-ts/language-common 4.1.3 (MIT; its "passwords-common" list, which is
// ordered by frequency), lower-cased, de-duplicated and sorted in byte order.
#include "identity/credentials.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <qrcodegen.hpp>
#include <span>
#include <thread>

#include "platform/crypto/crypto.h"
#include "platform/embedded.h"
#include "platform/i18n/arabic.h"

std::span<const baladiya::EmbeddedFile> CommonPasswordFiles();

namespace baladiya::identity {
namespace {

Error Invalid(const char* key) { return MakeError(ErrorCode::kInvalid, key); }

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(std::string_view s) { return std::all_of(s.begin(), s.end(), IsAsciiDigit); }

// Folds Arabic-Indic (U+0660..U+0669) and Eastern Arabic-Indic (U+06F0..U+06F9) digits to ASCII
// and drops what people put between digit groups: ASCII spaces, tabs, '-', '.', '(', ')', the
// no-break space and the bidi marks (LRM, RLM, ALM) that phones add when copying. Every other
// byte is kept as is, so callers still see (and refuse) letters.
std::string FoldDigits(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(in[i]);
    unsigned char next = i + 1 < in.size() ? static_cast<unsigned char>(in[i + 1]) : 0;
    unsigned char third = i + 2 < in.size() ? static_cast<unsigned char>(in[i + 2]) : 0;
    if (c == 0xD9 && next >= 0xA0 && next <= 0xA9) {  // U+0660..U+0669
      out.push_back(static_cast<char>('0' + (next - 0xA0)));
      ++i;
    } else if (c == 0xDB && next >= 0xB0 && next <= 0xB9) {  // U+06F0..U+06F9
      out.push_back(static_cast<char>('0' + (next - 0xB0)));
      ++i;
    } else if (c == 0xC2 && next == 0xA0) {  // U+00A0 no-break space
      ++i;
    } else if (c == 0xD8 && next == 0x9C) {  // U+061C Arabic letter mark
      ++i;
    } else if (c == 0xE2 && next == 0x80 && (third == 0x8E || third == 0x8F)) {  // LRM, RLM
      i += 2;
    } else if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')') {
      continue;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

// Luhn-style check digit over 8 digits: weights 1,2,1,2,... from the left, digits of each product
// summed, check = (10 - sum % 10) % 10.
int NationalIdCheckDigit(std::string_view first8) {
  int sum = 0;
  for (size_t i = 0; i < first8.size(); ++i) {
    int product = (first8[i] - '0') * (i % 2 == 0 ? 1 : 2);
    sum += product / 10 + product % 10;
  }
  return (10 - sum % 10) % 10;
}

std::string_view TrimAscii(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string AsciiLowerString(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), AsciiLower);
  return out;
}

// Number of UTF-8 code points (bytes that are not continuation bytes).
size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

// ---- National ID, phone, email -------------------------------------------------------------

std::string FoldTypedDigits(std::string_view input) { return FoldDigits(input); }

Result<std::string> NormalizeNationalId(std::string_view input) {
  std::string id = FoldDigits(input);
  if (id.size() != 9 || !AllDigits(id)) return Invalid("identity.national_id.format");
  if (NationalIdCheckDigit(std::string_view(id).substr(0, 8)) != id[8] - '0') {
    return Invalid("identity.national_id.check_digit");
  }
  return id;
}

namespace {

// The national significant number of a mobile: 9 digits, "5" then an operator digit.
// 56 and 59 are Palestinian networks (+970); 50-55 and 58 are Israeli-plan mobiles (+972), which
// residents of Jerusalem and elsewhere use. 57 is unassigned.
std::optional<std::string> MobileE164(std::string_view nsn) {
  if (nsn.size() != 9 || !AllDigits(nsn) || nsn[0] != '5' || nsn[1] == '7') return std::nullopt;
  bool palestinian = nsn[1] == '6' || nsn[1] == '9';
  return std::string(palestinian ? "+970" : "+972") + std::string(nsn);
}

}  // namespace

Result<std::string> NormalizeMobilePhone(std::string_view input) {
  std::string folded = FoldDigits(input);
  std::string_view s = folded;
  std::optional<std::string> e164;
  if (s.starts_with("+") || s.starts_with("00") || (s.size() == 12 && s.starts_with("97"))) {
    s.remove_prefix(s.starts_with("+") ? 1 : s.starts_with("00") ? 2 : 0);
    if (s.starts_with("970") || s.starts_with("972")) {
      s.remove_prefix(3);
      if (s.size() == 10 && s.starts_with("0")) s.remove_prefix(1);  // "+970 (0)59..."
      e164 = MobileE164(s);
    }
  } else {
    if (s.starts_with("0")) s.remove_prefix(1);  // local 05X...; the prefix picks the country
    e164 = MobileE164(s);
  }
  if (!e164) return Invalid("identity.phone.format");
  return *e164;
}

namespace {

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) {
    return false;
  }
  if (domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(domain.begin(), domain.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u >= 0x80 || std::isalnum(u) || c == '-' || c == '.';
  });
}

bool ValidLocalPart(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  return std::none_of(local.begin(), local.end(), [](char c) {
    unsigned char u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' ||
           c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' || c == ':';
  });
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view input) {
  std::string_view email = TrimAscii(input);
  if (email.size() > 254) return Invalid("identity.email.format");
  size_t at = email.find('@');
  if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos) {
    return Invalid("identity.email.format");
  }
  std::string_view local = email.substr(0, at);
  std::string_view domain = email.substr(at + 1);
  if (!ValidLocalPart(local) || !ValidDomain(domain)) return Invalid("identity.email.format");
  return std::string(local) + "@" + AsciiLowerString(domain);
}

// ---- Password policy ---------------------------------------------------------------------------

namespace {

// The shipped list, loaded once: sorted views into the embedded file.
const std::vector<std::string_view>& CommonPasswords() {
  static const std::vector<std::string_view> list = [] {
    std::vector<std::string_view> words;
    for (const EmbeddedFile& file : CommonPasswordFiles()) {
      if (file.name != "common-passwords.txt") continue;
      std::string_view data = file.data;
      while (!data.empty()) {
        size_t nl = data.find('\n');
        std::string_view line = data.substr(0, nl);
        data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty()) words.push_back(line);
      }
    }
    std::sort(words.begin(), words.end());
    words.erase(std::unique(words.begin(), words.end()), words.end());
    return words;
  }();
  return list;
}

}  // namespace

namespace {

// Letters and digits only, folded as search folds them (case, alef forms, ta marbuta, alef
// maqsura, tashkeel, Arabic-Indic digits): what is compared when a password is checked against
// context words, so that "Hebron-2024", "HEBRON2024" and "hebron 2024" are one thing.
std::string FoldForContext(std::string_view text) {
  std::string folded = i18n::NormalizeForSearch(text);
  std::string out;
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) out += c;
  }
  return out;
}

// The platform's name and the municipalities' names in Arabic and English with their common
// transliterations (data/context-words.txt), folded; loaded once.
const std::vector<std::string>& ShippedContextWords() {
  static const std::vector<std::string> list = [] {
    std::vector<std::string> words;
    for (const EmbeddedFile& file : CommonPasswordFiles()) {
      if (file.name != "context-words.txt") continue;
      std::string_view data = file.data;
      while (!data.empty()) {
        size_t nl = data.find('\n');
        std::string_view line = data.substr(0, nl);
        data = nl == std::string_view::npos ? std::string_view() : data.substr(nl + 1);
        std::string w = FoldForContext(line);
        if (w.size() >= 3) words.push_back(std::move(w));
      }
    }
    // Longest first, so that "alkhalil" is taken out before "khalil" would leave "al".
    std::sort(words.begin(), words.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    return words;
  }();
  return list;
}

}  // namespace

std::vector<std::string> PasswordContextWords(std::string_view national_id, std::string_view phone,
                                              std::string_view username) {
  std::vector<std::string> words;
  std::string id = FoldForContext(national_id);
  if (id.size() >= 4) words.push_back(id);
  // A phone by its last nine digits (the number without 0, +970 or +972), and whole as typed.
  std::string digits;
  for (char c : FoldForContext(phone)) {
    if (c >= '0' && c <= '9') digits += c;
  }
  if (digits.size() > 9) words.push_back(digits);
  if (digits.size() >= 7)
    words.push_back(digits.substr(digits.size() - std::min<size_t>(9, digits.size())));
  std::string name = FoldForContext(username);
  if (name.size() >= 3) words.push_back(name);
  return words;
}

Status CheckPasswordPolicy(std::string_view password, const std::vector<std::string>& personal) {
  size_t length = CodePoints(password);
  if (length < 8) return Invalid("identity.password.too_short");
  if (length > 128) return Invalid("identity.password.too_long");
  const auto& common = CommonPasswords();
  if (std::binary_search(common.begin(), common.end(), AsciiLowerString(password))) {
    return Invalid("identity.password.common");
  }
  // Context words (ASVS 6.2.11): what is left once the person's own details, the platform's name
  // and the municipalities' names are taken out must still be a password of 8 characters.
  std::string rest = FoldForContext(password);
  auto take_out = [&rest](const std::string& word) {
    if (word.empty()) return;
    for (size_t at = rest.find(word); at != std::string::npos; at = rest.find(word)) {
      rest.erase(at, word.size());
    }
  };
  std::vector<std::string> own = personal;
  std::sort(own.begin(), own.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& w : own) take_out(FoldForContext(w));
  for (const std::string& w : ShippedContextWords()) take_out(w);
  if (CodePoints(rest) < 8) return Invalid("identity.password.context");
  return Ok();
}

// ---- Password hashing pool ---------------------------------------------------------------------

struct PasswordHasher::Impl {
  HashParams params;
  size_t max_queue = 0;
  std::string dummy_hash;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> queue;  // guarded by mu
  bool stopping = false;                    // guarded by mu
  std::vector<std::thread> workers;

  // Runs jobs until stopping and the queue is drained.
  void WorkerLoop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty()) return;
        job = std::move(queue.front());
        queue.pop_front();
      }
      job();
    }
  }

  // Queues a job; false when max_queue jobs are already waiting.
  bool Submit(std::function<void()> job) {
    {
      std::lock_guard lock(mu);
      if (queue.size() >= max_queue) return false;
      queue.push_back(std::move(job));
    }
    cv.notify_one();
    return true;
  }

  // Runs fn on a worker and waits for its result; kUnavailable "error.busy" when the queue is full.
  template <typename T>
  Result<T> RunOnPool(std::function<Result<T>()> fn) {
    auto promise = std::make_shared<std::promise<Result<T>>>();
    std::future<Result<T>> done = promise->get_future();
    if (!Submit([promise, fn = std::move(fn)] { promise->set_value(fn()); })) {
      return MakeError(ErrorCode::kUnavailable, "error.busy", "password hasher queue full");
    }
    return done.get();
  }

  // argon2id of password with params; called on a worker (or once at construction).
  static Result<std::string> HashNow(std::string_view password, const HashParams& params) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.iterations,
                              params.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      return MakeError(ErrorCode::kUnavailable, "error.busy", "argon2id: out of memory");
    }
    return std::string(out);
  }

  static Verdict VerifyNow(std::string_view password, const std::string& encoded,
                           const HashParams& params) {
    Verdict v;
    v.match = crypto_pwhash_str_verify(encoded.c_str(), password.data(), password.size()) == 0;
    if (v.match) {
      v.needs_rehash = encoded.rfind("$argon2id$", 0) != 0 ||
                       crypto_pwhash_str_needs_rehash(encoded.c_str(), params.iterations,
                                                      params.memory_bytes) != 0;
    }
    return v;
  }
};

namespace {

// A copy of a password that is wiped when the last holder lets go.
std::shared_ptr<std::string> SecretCopy(std::string_view password) {
  return std::shared_ptr<std::string>(new std::string(password), [](std::string* s) {
    sodium_memzero(s->data(), s->size());
    delete s;
  });
}

}  // namespace

PasswordHasher::PasswordHasher(HashParams params, int threads, size_t max_queue)
    : impl_(std::make_unique<Impl>()) {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work at all: nothing to salvage
  impl_->params = params;
  impl_->max_queue = max_queue;
  Result<std::string> dummy = Impl::HashNow(crypto::RandomToken(16), params);
  impl_->dummy_hash = dummy.ok() ? *dummy : std::string();
  for (int i = 0; i < std::max(threads, 1); ++i) {
    impl_->workers.emplace_back([impl = impl_.get()] {
      // Hashing is the one CPU-heavy job: at a lower priority it yields to page serving, so a
      // login flood slows logins, not everyone's pages (Linux nice values are per thread).
      (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
      impl->WorkerLoop();
    });
  }
}

PasswordHasher::~PasswordHasher() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (std::thread& t : impl_->workers) t.join();
}

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  auto secret = SecretCopy(password);
  HashParams params = impl_->params;
  return impl_->RunOnPool<std::string>(
      [secret, params]() -> Result<std::string> { return Impl::HashNow(*secret, params); });
}

Result<PasswordHasher::Verdict> PasswordHasher::Verify(std::string_view password,
                                                       std::string_view encoded) {
  auto secret = SecretCopy(password);
  HashParams params = impl_->params;
  return impl_->RunOnPool<Verdict>([secret, params, stored = std::string(encoded)] {
    return Result<Verdict>(Impl::VerifyNow(*secret, stored, params));
  });
}

void PasswordHasher::VerifyDummy(std::string_view password) {
  (void)Verify(password, impl_->dummy_hash);
}

const std::string& PasswordHasher::DummyHash() const { return impl_->dummy_hash; }

// ---- TOTP --------------------------------------------------------------------------------------

namespace {

constexpr int64_t kTotpStep = 30;

// HOTP (RFC 4226) with HMAC-SHA1, 6 digits.
std::string Hotp(std::string_view secret, uint64_t counter) {
  unsigned char message[8];
  for (int i = 7; i >= 0; --i) {
    message[i] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_len = 0;
  static const unsigned char kNoKey = 0;  // OpenSSL wants a non-null pointer for an empty key
  const void* key = secret.empty() ? &kNoKey : static_cast<const void*>(secret.data());
  if (HMAC(EVP_sha1(), key, static_cast<int>(secret.size()), message, sizeof message, mac,
           &mac_len) == nullptr ||
      mac_len != 20) {
    return {};  // never equal to a typed 6-digit code
  }
  int offset = mac[mac_len - 1] & 0x0F;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
  std::string code = std::to_string(binary % 1000000);
  return std::string(6 - code.size(), '0') + code;
}

int64_t StepOf(int64_t unix_seconds) { return unix_seconds >= 0 ? unix_seconds / kTotpStep : 0; }

// RFC 3986 percent-encoding of everything but the unreserved characters.
std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      out.push_back(c);
    } else if (c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out += {'%', kHex[u >> 4], kHex[u & 0x0F]};
    }
  }
  return out;
}

}  // namespace

std::string Totp::NewSecret() { return crypto::RandomBytes(20); }

std::string Totp::Base32(std::string_view secret) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : secret) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::string Totp::Uri(std::string_view issuer, std::string_view label, std::string_view secret) {
  std::string enc_issuer = PercentEncode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + PercentEncode(label) + "?secret=" + Base32(secret) +
         "&issuer=" + enc_issuer + "&algorithm=SHA1&digits=6&period=30";
}

std::string Totp::Code(std::string_view secret, int64_t unix_seconds) {
  return Hotp(secret, static_cast<uint64_t>(StepOf(unix_seconds)));
}

int64_t Totp::Check(std::string_view secret, std::string_view code, int64_t unix_seconds) {
  std::string typed = FoldDigits(code);
  if (typed.size() != 6 || !AllDigits(typed)) return -1;
  int64_t now = StepOf(unix_seconds);
  int64_t matched = -1;
  for (int64_t step = now - 1; step <= now + 1; ++step) {  // no early exit: same time for all
    if (step < 0) continue;
    if (crypto::ConstantTimeEquals(Hotp(secret, static_cast<uint64_t>(step)), typed) &&
        matched < 0) {
      matched = step;
    }
  }
  return matched;
}

// ---- Recovery codes ----------------------------------------------------------------------------

namespace {
// Lower-case letters and digits without the look-alikes 0/o, 1/l/i (31 symbols).
constexpr std::string_view kRecoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
}  // namespace

std::vector<std::string> NewRecoveryCodes(int count) {
  std::vector<std::string> codes;
  for (int n = 0; n < count; ++n) {
    std::string code;
    for (int i = 0; i < 12; ++i) {
      if (i > 0 && i % 4 == 0) code.push_back('-');
      code.push_back(kRecoveryAlphabet[randombytes_uniform(kRecoveryAlphabet.size())]);
    }
    codes.push_back(std::move(code));
  }
  return codes;
}

std::string CanonicalRecoveryCode(std::string_view typed) {
  return AsciiLowerString(FoldDigits(TrimAscii(typed)));
}

// ---- QR code -----------------------------------------------------------------------------------

std::string QrSvg(std::string_view text) {
  std::optional<qrcodegen::QrCode> qr;
  try {
    qr.emplace(
        qrcodegen::QrCode::encodeText(std::string(text).c_str(), qrcodegen::QrCode::Ecc::MEDIUM));
  } catch (const std::exception&) {  // qrcodegen reports "too long" by throwing
    return {};
  }
  constexpr int kQuiet = 4;
  const int size = qr->getSize();
  const std::string dim = std::to_string(size + 2 * kQuiet);
  std::string path;
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size;) {
      if (!qr->getModule(x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < size && qr->getModule(x + run, y)) ++run;
      path += "M" + std::to_string(x + kQuiet) + "," + std::to_string(y + kQuiet) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + dim + " " + dim +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + dim + "\" height=\"" + dim +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace baladiya::identity
