#include "platform/http/http.h"

#include <algorithm>

#include "platform/http/url.h"

namespace baladiya::http {
namespace {

// Header names are ASCII; the C library's locale-aware tolower is needlessly slow here.
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

// a is stored lower-case; b is whatever the caller passed.
bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != AsciiLower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

Method ParseMethod(std::string_view name) {
  static constexpr Method kAll[] = {Method::kGet,   Method::kHead,   Method::kPost,   Method::kPut,
                                    Method::kPatch, Method::kDelete, Method::kOptions};
  for (Method m : kAll) {
    if (MethodName(m) == name) return m;
  }
  return Method::kOther;
}

void Headers::Set(std::string_view name, std::string value) {
  auto it = std::find_if(items_.begin(), items_.end(),
                         [&](const auto& kv) { return IEquals(kv.first, name); });
  if (it == items_.end()) {
    items_.emplace_back(Lower(name), std::move(value));
    return;
  }
  it->second = std::move(value);
  // Later duplicates (from Add) go, so Set leaves exactly one.
  items_.erase(
      std::remove_if(it + 1, items_.end(), [&](const auto& kv) { return IEquals(kv.first, name); }),
      items_.end());
}

void Headers::Add(std::string_view name, std::string value) {
  items_.emplace_back(Lower(name), std::move(value));
}

std::string_view Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (IEquals(k, name)) return v;
  }
  return {};
}

void Headers::Update(std::string_view name, const std::function<void(std::string&)>& fn) {
  for (auto& [k, v] : items_) {
    if (IEquals(k, name)) fn(v);
  }
}

bool Headers::Has(std::string_view name) const {
  return std::any_of(items_.begin(), items_.end(),
                     [&](const auto& kv) { return IEquals(kv.first, name); });
}

std::optional<std::string_view> Params::Get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::vector<std::string_view> Params::GetAll(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : items_) {
    if (k == name) out.emplace_back(v);
  }
  return out;
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  for (const auto& [k, v] : headers.All()) {
    if (k != "cookie") continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) == name) {
        std::string_view value = Trim(pair.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
          value = value.substr(1, value.size() - 2);
        }
        return std::string(value);
      }
    }
  }
  return std::nullopt;
}

Params Request::Form() const {
  std::string_view type = headers.Get("content-type");
  if (type.substr(0, type.find(';')) != "application/x-www-form-urlencoded") return {};
  auto parsed = ParseQuery(body);
  return parsed ? std::move(*parsed) : Params{};
}

namespace {
Response Make(int status, std::string body, std::string type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.Set("content-type", std::move(type));
  return r;
}
}  // namespace

Response Response::Text(int status, std::string body) {
  return Make(status, std::move(body), "text/plain; charset=utf-8");
}
Response Response::Html(int status, std::string body) {
  return Make(status, std::move(body), "text/html; charset=utf-8");
}
Response Response::Json(int status, std::string body) {
  return Make(status, std::move(body), "application/json");
}
Response Response::Redirect(std::string location, int status) {
  Response r;
  r.status = status;
  r.headers.Set("location", std::move(location));
  return r;
}

std::string_view StatusText(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace baladiya::http
