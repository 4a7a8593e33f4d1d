// Test-only: a browser in miniature for the web tests of every module. It keeps cookies, sends
// them back, and reads the anti-forgery token of the last page it saw (the form field "csrf"), so
// that a test fills forms as a person would: GET the page, then POST its fields with the token.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace baladiya::testing {

class Browser {
 public:
  using Fields = std::vector<std::pair<std::string, std::string>>;

  explicit Browser(uint16_t port) : port_(port) {}

  // The whole response (status line, headers, body).
  std::string Get(const std::string& target) { return Send("GET", target, ""); }
  // Posts the fields, percent-encoded, plus the anti-forgery token of the last page seen.
  std::string Post(const std::string& target, Fields fields, bool with_token = true);
  // Sends head (a request line and header lines, each ending in CRLF) with the cookies, then
  // body; the answer's cookies are not kept.
  std::string Raw(const std::string& head, const std::string& body);

  const std::string& token() const { return token_; }
  void SetCookie(const std::string& name, const std::string& value) { jar_[name] = value; }
  bool HasCookie(const std::string& name) const { return jar_.count(name) > 0; }
  // The cookie's value, or empty.
  std::string Cookie(const std::string& name) const;
  // A header line sent with every request from now on (e.g. identity/testing.h's principal
  // header); an empty value stops sending it.
  void SetHeader(const std::string& name, const std::string& value);

 private:
  std::string Send(const std::string& method, const std::string& target, const std::string& body);
  std::string CookieLine() const;

  uint16_t port_;
  std::map<std::string, std::string> jar_;
  std::map<std::string, std::string> headers_;
  std::string token_;
};

}  // namespace baladiya::testing
