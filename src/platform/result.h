// Result<T>: the value of a fallible call, or an Error with a stable machine code.
// No exceptions on the request path; callers test ok() before reading value().
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace baladiya {

// Stable machine codes. Each maps to an HTTP status and an API error code string.
enum class ErrorCode {
  kInvalid,      // the caller's input is wrong (400 / 422)
  kNotFound,     // no such thing, or not visible to the caller (404)
  kForbidden,    // authenticated but not allowed (403)
  kConflict,     // state changed underneath, or a duplicate (409)
  kTooLarge,     // over a size limit (413)
  kUnavailable,  // a dependency (database, gateway) is down (503)
  kInternal,     // a bug or an unexpected failure (500)
};

// Returns the stable lowercase name used in logs and API errors ("invalid", "not_found", ...).
const char* ErrorCodeName(ErrorCode code);

// A step of a Problem's path: a member's name, or an element's position in a list (from 0).
using PathStep = std::variant<std::string, std::size_t>;
// Where in the caller's input something is, from the outside in, in the input's own terms:
// {"pages", 0, "fields", 2, "max_length"}, {"notifications", "submitted", "body", "en"}.
using Path = std::vector<PathStep>;
// The path as text for logs and test messages: "pages[0].fields[2].max_length".
std::string PathText(const Path& path);

// One thing wrong with a caller's input, for a page or the API to show beside the input at fault
// in the reader's language: where it is, a message key in i18n/{ar,en}.json, and the values of
// the message's {placeholders} (names, codes and numbers as the input has them, never text in a
// language: a page may replace them with labels in its own).
struct Problem {
  Path path;
  std::string key;
  std::map<std::string, std::string> args;
  bool operator==(const Problem&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Message key in i18n/{ar,en}.json, e.g. "error.not_found"; pages and the API translate it.
  std::string message_key;
  // Technical detail for logs and operators; never shown to users, never holds personal data.
  std::string detail;
  // Per-field message keys for validation errors (field name -> message key).
  std::map<std::string, std::string> fields;
  // What is wrong with the input, in order, when a validator can say where (see Problem);
  // empty otherwise.
  std::vector<Problem> problems;
};

inline Error MakeError(ErrorCode code, std::string message_key, std::string detail = {}) {
  return Error{code, std::move(message_key), std::move(detail), {}, {}};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  // NOLINTNEXTLINE(google-explicit-constructor): `return MakeError(...)` is the idiom.
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace baladiya
