// The delivery channels: email over SMTP, SMS through an HTTP gateway (both with libcurl), and the
// drop folder used for development and the demo.
#include <curl/curl.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>

#include "notify/notify.h"

namespace baladiya::notify {
namespace {

void InitCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;
using CurlList = std::unique_ptr<curl_slist, ListDeleter>;

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool IsAscii(std::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80 || c < 0x20) return false;
  }
  return true;
}

// RFC 2047 encoded words (64 characters each, so a header line stays under 78), split on UTF-8
// character boundaries, folded.
std::string EncodeHeaderWords(std::string_view text) {
  if (IsAscii(text) && text.size() <= 900 && text.find("=?") == std::string_view::npos)
    return std::string(text);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = std::min(text.size(), i + 39);  // 52 base64 characters: fits after "Subject: "
    // Step back to a character boundary (never split a multi-byte sequence).
    while (end < text.size() && end > i && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
      --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string RfcDate(int64_t ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

struct Upload {
  const std::string* data;
  size_t pos = 0;
};

size_t ReadUpload(char* buffer, size_t size, size_t nitems, void* user) {
  auto* u = static_cast<Upload*>(user);
  size_t n = std::min(size * nitems, u->data->size() - u->pos);
  std::memcpy(buffer, u->data->data() + u->pos, n);
  u->pos += n;
  return n;
}

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() < 64 * 1024) out->append(data, size * nmemb);
  return size * nmemb;
}

SendResult Failure(std::string error, bool permanent) {
  SendResult r;
  r.error = std::move(error);
  r.permanent = permanent;
  return r;
}

}  // namespace

std::string_view BareAddress(std::string_view from) {
  size_t open = from.rfind('<');
  size_t close = from.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    return from.substr(open + 1, close - open - 1);
  return from;
}

bool LooksLikeEmail(std::string_view a) {
  if (a.size() < 3 || a.size() > 254 || HasLineBreak(a)) return false;
  size_t at = a.find('@');
  if (at == 0 || at == std::string_view::npos || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos) return false;
  for (unsigned char c : a) {
    if (c <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == 0x7F)
      return false;
  }
  return true;
}

Result<std::string> FormatEmail(const EmailMessage& m) {
  if (!LooksLikeEmail(m.to)) return MakeError(ErrorCode::kInvalid, "notify.invalid", "bad to");
  if (HasLineBreak(m.from) || !LooksLikeEmail(BareAddress(m.from)))
    return MakeError(ErrorCode::kInvalid, "notify.invalid", "bad from");
  if (HasLineBreak(m.message_id) || HasLineBreak(m.lang))
    return MakeError(ErrorCode::kInvalid, "notify.invalid", "bad header");
  std::string from = std::string(m.from);
  // A display name in Arabic is encoded; the address itself stays as it is.
  if (size_t lt = from.rfind('<'); lt != std::string::npos && lt > 0) {
    std::string name = from.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    from = EncodeHeaderWords(name) + " <" + std::string(BareAddress(m.from)) + ">";
  }
  std::string out;
  out += "Date: " + RfcDate(m.date_ms) + "\r\n";
  out += "From: " + from + "\r\n";
  out += "To: <" + m.to + ">\r\n";
  out += "Subject: " + EncodeHeaderWords(m.subject) + "\r\n";
  if (!m.message_id.empty()) out += "Message-ID: <" + m.message_id + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  if (!m.lang.empty()) out += "Content-Language: " + m.lang + "\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  out += "\r\n";
  const std::string body = Base64(m.text);
  for (size_t i = 0; i < body.size(); i += 76) out += body.substr(i, 76) + "\r\n";
  return out;
}

bool SmtpIsLocal(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return false;
  std::string_view host = url.substr(scheme + 3);
  host = host.substr(0, host.find_first_of("/?#"));
  if (const size_t at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (host.starts_with('[')) {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    return host.substr(1, close - 1) == "::1";
  }
  host = host.substr(0, host.find(':'));
  std::string lower(host);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "localhost") return true;
  // 127.0.0.0/8 written as four decimal numbers.
  if (!lower.starts_with("127.")) return false;
  int parts = 0;
  for (size_t i = 0; i <= lower.size();) {
    const size_t dot = std::min(lower.find('.', i), lower.size());
    const std::string_view n = std::string_view(lower).substr(i, dot - i);
    if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoi(std::string(n)) > 255) {
      return false;
    }
    ++parts;
    i = dot + 1;
  }
  return parts == 4;
}

SmtpSender::SmtpSender(SmtpOptions o) : o_(std::move(o)) { InitCurl(); }

SendResult SmtpSender::Send(const Delivery& d, const std::string& address) {
  EmailMessage m;
  m.from = o_.from;
  m.to = address;
  m.subject = d.message.subject;
  m.text = d.message.text;
  m.lang = d.lang;
  m.message_id = d.reference + "@baladiya";
  m.date_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
  auto text = FormatEmail(m);
  if (!text.ok()) return Failure("cannot format: " + text.error().detail, true);

  CurlHandle h(curl_easy_init());
  if (!h) return Failure("curl init failed", false);
  Upload upload{&*text};
  const std::string mail_from = "<" + std::string(BareAddress(o_.from)) + ">";
  CurlList rcpt(curl_slist_append(nullptr, ("<" + address + ">").c_str()));
  curl_easy_setopt(h.get(), CURLOPT_URL, o_.url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h.get(), CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h.get(), CURLOPT_READFUNCTION, ReadUpload);
  curl_easy_setopt(h.get(), CURLOPT_READDATA, &upload);
  curl_easy_setopt(h.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(
      h.get(), CURLOPT_USE_SSL,
      o_.require_tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_TRY));
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(o_.timeout_ms, 5000)));
  if (!o_.username.empty()) {
    curl_easy_setopt(h.get(), CURLOPT_USERNAME, o_.username.c_str());
    curl_easy_setopt(h.get(), CURLOPT_PASSWORD, o_.password.c_str());
  }
  CURLcode rc = curl_easy_perform(h.get());
  long reply = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &reply);
  if (rc == CURLE_OK) {
    SendResult r;
    r.ok = true;
    r.provider_id = m.message_id;
    return r;
  }
  // 5xx replies (unknown mailbox, refused by policy) will not change by retrying.
  const bool permanent = reply >= 500 && reply < 600;
  return Failure(std::string("smtp: ") + curl_easy_strerror(rc) +
                     (reply ? " (reply " + std::to_string(reply) + ")" : ""),
                 permanent);
}

SmsGatewaySender::SmsGatewaySender(SmsGatewayOptions o) : o_(std::move(o)) { InitCurl(); }

SendResult SmsGatewaySender::Send(const Delivery& d, const std::string& address) {
  if (address.size() < 8 || address[0] != '+') return Failure("not an E.164 number", true);
  boost::json::object body;
  body["to"] = address;
  body["text"] = d.message.text;
  body["sender"] = o_.sender;
  body["reference"] = d.reference;
  const std::string json = boost::json::serialize(body);

  CurlHandle h(curl_easy_init());
  if (!h) return Failure("curl init failed", false);
  CurlList headers(curl_slist_append(nullptr, "Content-Type: application/json"));
  const std::string auth = "Authorization: Bearer " + o_.token;
  if (!o_.token.empty()) headers.reset(curl_slist_append(headers.release(), auth.c_str()));
  std::string response;
  curl_easy_setopt(h.get(), CURLOPT_URL, o_.url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDS, json.c_str());
  curl_easy_setopt(h.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(json.size()));
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(o_.timeout_ms));
  curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min(o_.timeout_ms, 5000)));
  curl_easy_setopt(h.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(h.get());
  if (rc != CURLE_OK) return Failure(std::string("sms gateway: ") + curl_easy_strerror(rc), false);
  long status = 0;
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 200 && status < 300) {
    SendResult r;
    r.ok = true;
    boost::system::error_code ec;
    auto v = boost::json::parse(response, ec);
    if (!ec && v.is_object()) {
      if (auto* id = v.as_object().if_contains("id"); id && id->is_string())
        r.provider_id = std::string(id->as_string()).substr(0, 100);
    }
    return r;
  }
  const bool permanent = status >= 400 && status < 500 && status != 408 && status != 429;
  return Failure("sms gateway answered " + std::to_string(status), permanent);
}

DropFolderSender::DropFolderSender(std::string folder, Channel channel)
    : folder_(std::move(folder)), channel_(channel) {}

SendResult DropFolderSender::Send(const Delivery& d, const std::string& address) {
  std::string content;
  std::string name = folder_ + "/" + d.reference;
  if (channel_ == Channel::kEmail) {
    EmailMessage m;
    m.from = "Baladiya <no-reply@baladiya.invalid>";
    m.to = address;
    m.subject = d.message.subject;
    m.text = d.message.text;
    m.lang = d.lang;
    m.message_id = d.reference + "@baladiya";
    m.date_ms = static_cast<int64_t>(std::time(nullptr)) * 1000;
    auto text = FormatEmail(m);
    if (!text.ok()) return Failure("cannot format: " + text.error().detail, true);
    content = std::move(*text);
    name += ".eml";
  } else {
    content = "To: " + address + "\n\n" + d.message.text + "\n";
    name += ".sms.txt";
  }
  ::mkdir(folder_.c_str(), 0700);
  int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Failure(std::string("drop folder: ") + std::strerror(errno), false);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      return Failure("drop folder: write failed", false);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  SendResult r;
  r.ok = true;
  return r;
}

}  // namespace baladiya::notify
