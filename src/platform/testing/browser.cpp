#include "platform/testing/browser.h"

#include <regex>

#include "platform/http/test_client.h"
#include "platform/http/url.h"

namespace baladiya::testing {

using http::testing::RawClient;

std::string Browser::Post(const std::string& target, Fields fields, bool with_token) {
  std::string body;
  if (with_token) fields.emplace_back("csrf", token_);
  for (const auto& [k, v] : fields) {
    if (!body.empty()) body += '&';
    body += http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return Send("POST", target, body);
}

std::string Browser::CookieLine() const {
  std::string cookies;
  for (const auto& [k, v] : jar_) cookies += (cookies.empty() ? "" : "; ") + k + "=" + v;
  std::string out = cookies.empty() ? "" : "Cookie: " + cookies + "\r\n";
  for (const auto& [k, v] : headers_) out += k + ": " + v + "\r\n";
  return out;
}

std::string Browser::Raw(const std::string& head, const std::string& body) {
  RawClient c(port_);
  c.Send(head + CookieLine() + "\r\n" + body);
  return c.ReadResponse();
}

std::string Browser::Cookie(const std::string& name) const {
  auto it = jar_.find(name);
  return it == jar_.end() ? "" : it->second;
}

void Browser::SetHeader(const std::string& name, const std::string& value) {
  if (value.empty()) {
    headers_.erase(name);
  } else {
    headers_[name] = value;
  }
}

std::string Browser::Send(const std::string& method, const std::string& target,
                          const std::string& body) {
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  req += CookieLine();
  if (method == "POST") {
    req += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n";
  }
  RawClient c(port_);
  c.Send(req + "\r\n" + body);
  std::string res = c.ReadResponse();
  static const std::regex kSetCookie("set-cookie: ([^=]+)=([^;\r]*)([^\r]*)\r\n",
                                     std::regex::icase);
  for (auto it = std::sregex_iterator(res.begin(), res.end(), kSetCookie);
       it != std::sregex_iterator(); ++it) {
    if ((*it)[3].str().find("Max-Age=0") != std::string::npos) {
      jar_.erase((*it)[1].str());
    } else {
      jar_[(*it)[1].str()] = (*it)[2].str();
    }
  }
  static const std::regex kToken("name=\"csrf\" value=\"([^\"]+)\"");
  std::smatch m;
  if (std::regex_search(res, m, kToken)) token_ = m[1].str();
  return res;
}

}  // namespace baladiya::testing
