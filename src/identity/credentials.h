// Validation and normalisation of what residents type to identify themselves, and the
// credentials they prove themselves with: national IDs, phone numbers, passwords, TOTP codes and
// recovery codes. Pure functions and a bounded hashing pool; no storage.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "platform/result.h"

namespace baladiya::identity {

// Palestinian national ID: 9 digits (Arabic-Indic digits accepted and folded; spaces, dashes and
// bidi marks between them ignored), the last a check digit (Luhn-style weights 1,2,1,2,... over
// the first 8 digits, digits of products summed, check = (10 - sum % 10) % 10).
// Returns the 9 Western digits, or kInvalid with message key "identity.national_id.format"
// (not 9 digits) or "identity.national_id.check_digit" (check digit wrong).
Result<std::string> NormalizeNationalId(std::string_view input);

// What NormalizeNationalId and NormalizeMobilePhone read of a typed value: Arabic-Indic and
// Eastern Arabic-Indic digits folded to ASCII; spaces, tabs, '-', '.', '(', ')', the no-break
// space and the LRM/RLM/ALM marks dropped; every other byte kept. (AccountStore::LoginLimitKey
// uses it, so that a limit key and the lookup read the same digits.)
std::string FoldTypedDigits(std::string_view input);

// A mobile number in the +970 / +972 forms (also 00970..., 970..., 05X... local and 5X... forms,
// with spaces, dashes, parentheses and Arabic-Indic digits) -> E.164 ("+970599123456").
// The mobile prefix decides the country code, so that one phone has one canonical form for the
// blind index: 056 and 059 (Palestinian networks) -> +970; 050-055 and 058 (Israeli-plan
// mobiles, used in Jerusalem) -> +972, whichever of the two codes was typed. 057 (unassigned)
// and landlines are refused. kInvalid with "identity.phone.format" otherwise.
Result<std::string> NormalizeMobilePhone(std::string_view input);

// A light check of an email address (one '@', a dot in the domain, no spaces, <= 254 bytes);
// returns it trimmed and with the domain lower-cased. kInvalid with "identity.email.format".
Result<std::string> NormalizeEmail(std::string_view input);

// Password policy (NIST 800-63B / ASVS): at least 8 characters (counted as code points), at most
// 128, no composition rules, not in the shipped list of common passwords (compared
// case-insensitively). kInvalid with "identity.password.too_short", ".too_long" or ".common".
// Also refused, kInvalid "identity.password.context" (ASVS 6.2.11): a password that is mostly
// context words, i.e. fewer than 8 letters and digits remain once the platform's name, the
// municipalities' names (Arabic, English and common transliterations, shipped in
// data/context-words.txt) and the person's own words (`personal`: PasswordContextWords) are
// taken out, compared as search folds text (case, Arabic letter forms, digits; punctuation and
// spaces ignored). "Hebron2024!" is refused; "hebron-olive-harvest" is not.
Status CheckPasswordPolicy(std::string_view password,
                           const std::vector<std::string>& personal = {});
// The person's own words for CheckPasswordPolicy: their national ID, phone number (as typed and
// by its last nine digits) and login name; empty values are left out.
std::vector<std::string> PasswordContextWords(std::string_view national_id, std::string_view phone,
                                              std::string_view username);

// argon2id parameters; defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1).
struct HashParams {
  uint64_t memory_bytes = 19ull * 1024 * 1024;
  uint64_t iterations = 2;
};

// Hashes and verifies passwords on a bounded pool of worker threads, so that a flood of logins
// queues here instead of starving the I/O threads. Thread-safe.
class PasswordHasher {
 public:
  // threads workers (at least 1); at most max_queue jobs waiting (past it: kUnavailable,
  // "error.busy"). Computes the dummy hash for VerifyDummy once, here, on the calling thread.
  // The destructor finishes the jobs already queued.
  PasswordHasher(HashParams params, int threads, size_t max_queue);
  ~PasswordHasher();

  // The encoded argon2id string ($argon2id$v=19$m=...,t=...,p=1$salt$hash). Blocks the caller
  // until a worker has done it.
  Result<std::string> Hash(std::string_view password);
  struct Verdict {
    bool match = false;
    bool needs_rehash = false;  // stored with weaker parameters than the current ones
  };
  // Verifies against an encoded hash (a malformed one is simply no match). needs_rehash is
  // only set on a match. Also blocks until done; kUnavailable "error.busy" when the queue is full.
  Result<Verdict> Verify(std::string_view password, std::string_view encoded);

  // A verify against a fixed dummy hash, to spend the same time when the account is unknown.
  void VerifyDummy(std::string_view password);
  // The dummy hash VerifyDummy checks against: made with the same parameters as Hash's, so that
  // checking it costs what checking a real one does.
  const std::string& DummyHash() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// TOTP (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits.
struct Totp {
  // A fresh 20-byte secret.
  static std::string NewSecret();
  // Base32 (RFC 4648, no padding) of the secret, for authenticator apps.
  static std::string Base32(std::string_view secret);
  // otpauth://totp/Issuer:label?secret=...&issuer=...&algorithm=SHA1&digits=6&period=30
  static std::string Uri(std::string_view issuer, std::string_view label, std::string_view secret);
  // The code for a time (Unix seconds).
  static std::string Code(std::string_view secret, int64_t unix_seconds);
  // Accepts the code of the current step or one step either side (spaces, dashes and
  // Arabic-Indic digits in the typed code are folded). Returns the matched step (so the caller
  // can refuse reuse of a step already used), or -1.
  static int64_t Check(std::string_view secret, std::string_view code, int64_t unix_seconds);
};

// Ten single-use recovery codes ("abcd-efgh-jkmn" style: 12 characters from the 31 symbols
// a-z and 2-9 without 0/o, 1/l/i, about 59 bits each) and the canonical form to store (hashed)
// and compare: lower case, without dashes or spaces, Arabic-Indic digits folded.
std::vector<std::string> NewRecoveryCodes(int count = 10);
std::string CanonicalRecoveryCode(std::string_view typed);

// A QR code for a text (ECC level M), as a compact SVG document: a viewBox with a 4-module quiet
// zone, a white rect and one black <path>; fill attributes only (no inline style, for the CSP),
// no width/height (the page's CSS sizes it) and no role/aria-label (the page adds them).
// Empty when the text is too long for a QR code.
std::string QrSvg(std::string_view text);

}  // namespace baladiya::identity
