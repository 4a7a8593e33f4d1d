#include "platform/testing/web_harness.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "platform/http/test_client.h"

namespace baladiya::testing {

using http::testing::RawClient;

std::string SourceDir() {
  const char* dir = std::getenv("BALADIYA_SOURCE_DIR");
  return dir ? dir : ".";
}

int64_t Clock::SystemNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Clock::Now() const {
  const int64_t fixed = fixed_ms_;
  return fixed ? fixed : SystemNow();
}

void Clock::Advance(int64_t ms) {
  int64_t was = fixed_ms_;
  while (!fixed_ms_.compare_exchange_weak(was, (was ? was : SystemNow()) + ms)) {
  }
}

std::string Reply::Header(const std::string& lower_name) const {
  return RawClient::Header(raw, lower_name);
}

std::string Reply::MediaType() const {
  std::string type = Header("content-type");
  type = type.substr(0, type.find(';'));
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

Reply Send(uint16_t port, const std::string& method, const std::string& target,
           const std::string& headers, const std::string& body, const std::string& content_type) {
  std::string head = method + " " + target + " HTTP/1.1\r\nHost: baladiya.test\r\n" + headers;
  if (!content_type.empty()) head += "Content-Type: " + content_type + "\r\n";
  if (!body.empty() || (method != "GET" && method != "HEAD")) {
    head += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  Reply r;
  r.raw = RawClient::Exchange(port, head + "Connection: close\r\n\r\n" + body);
  r.status = RawClient::Status(r.raw);
  r.body = RawClient::Body(r.raw);
  return r;
}

module::HostOptions WebHarness::HostOptions() const {
  module::HostOptions o;
  o.database.url = (dir_ / "t.db").string();
  o.key_file = (dir_ / "keys").string();
  o.settings = module::Settings(std::map<std::string, std::string, std::less<>>(
      options_.settings.begin(), options_.settings.end()));
  o.now_ms = [clock = clock_] { return clock->Now(); };
  return o;
}

Result<std::unique_ptr<WebHarness>> WebHarness::Start(HarnessOptions options) {
  std::unique_ptr<WebHarness> h(new WebHarness());
  h->options_ = std::move(options);
  if (h->options_.clock_ms) h->clock_->Set(h->options_.clock_ms);
  std::string name = h->options_.name;
  if (name.empty()) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    name = info ? std::string(info->test_suite_name()) + "." + info->name() : "harness";
  }
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  h->dir_ = std::filesystem::temp_directory_path() /
            ("baladiya-web-" + std::to_string(::getpid()) + "-" + name);
  std::error_code ec;
  std::filesystem::remove_all(h->dir_, ec);
  if (!std::filesystem::create_directories(h->dir_, ec) || ec) {
    return MakeError(ErrorCode::kUnavailable, "error.unavailable",
                     "cannot make the folder " + h->dir_.string());
  }
  auto host = module::Host::Open(h->options_.modules, h->HostOptions());
  if (!host.ok()) {
    Error e = std::move(host).error();
    e.detail = "opening the host: " + e.detail;
    return e;
  }
  h->host_ = std::move(*host);
  if (h->options_.seed) {
    if (Status st = h->options_.seed(*h->host_); !st.ok()) {
      Error e = std::move(st).error();
      e.detail = "seeding: " + (e.detail.empty() ? e.message_key : e.detail);
      return e;
    }
  }
  if (Status st = h->host_->BuildWeb(h->options_.web); !st.ok()) {
    Error e = std::move(st).error();
    e.detail = "building the web: " + e.detail;
    return e;
  }
  if (Status st = h->Serve(h->options_.server); !st.ok()) return std::move(st).error();
  return h;
}

Status WebHarness::Serve(const http::ServerOptions& server) {
  http::ServerOptions o = server;
  o.address = "127.0.0.1";
  o.port = 0;
  server_ = std::make_unique<http::Server>(o, host_->Handler());
  host_->Attach(*server_);
  if (Status st = server_->Listen(); !st.ok()) return st;
  thread_ = std::thread([s = server_.get()] { s->Run(false); });
  return Ok();
}

void WebHarness::StopServer() {
  if (!server_) return;
  server_->Stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

Status WebHarness::Restart(const http::ServerOptions& server) {
  StopServer();
  return Serve(server);
}

WebHarness::~WebHarness() {
  StopServer();
  host_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

WebHarness::Node::~Node() {
  if (server_) {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  server_.reset();
  host_.reset();
}

Result<std::unique_ptr<WebHarness::Node>> WebHarness::AnotherNode(
    const module::WebOptions& web) const {
  std::unique_ptr<Node> n(new Node());
  auto host = module::Host::Open(options_.modules, HostOptions());
  if (!host.ok()) return std::move(host).error();
  n->host_ = std::move(*host);
  if (Status st = n->host_->BuildWeb(web); !st.ok()) return std::move(st).error();
  http::ServerOptions o = options_.server;
  o.address = "127.0.0.1";
  o.port = 0;
  n->server_ = std::make_unique<http::Server>(o, n->host_->Handler());
  n->host_->Attach(*n->server_);
  if (Status st = n->server_->Listen(); !st.ok()) return std::move(st).error();
  n->thread_ = std::thread([s = n->server_.get()] { s->Run(false); });
  return n;
}

int64_t WebHarness::Count(const std::string& from) {
  auto rows = host_->db().Query("SELECT count(*) FROM " + from);
  return rows.ok() && !rows->empty() ? (*rows)[0].Int(0) : -1;
}

void WebTest::SetUp() {
  auto started = WebHarness::Start(Options());
  ASSERT_TRUE(started.ok()) << started.error().detail;
  web_ = std::move(*started);
}

void ExpectErrorPages(uint16_t port, const std::vector<ErrorPageCase>& cases) {
  for (const auto& c : cases) {
    const Reply r = Send(port, "GET", c.target, c.headers);
    EXPECT_EQ(r.status, c.status) << c.target;
    EXPECT_NE(r.body.find(c.text), std::string::npos) << c.target;
  }
}

void ExpectReadOnly(uint16_t port, const std::string& target) {
  http::testing::RawClient post(port);
  post.Send("POST " + target +
            " HTTP/1.1\r\nHost: x\r\nCookie: csrf=abcdefghijklmnopqrstuv\r\n"
            "X-CSRF-Token: abcdefghijklmnopqrstuv\r\nContent-Length: 0\r\nConnection: "
            "close\r\n\r\n");
  const std::string res = post.ReadResponse();
  EXPECT_EQ(http::testing::RawClient::Status(res), 405) << target;
  EXPECT_EQ(http::testing::RawClient::Header(res, "allow"), "GET, HEAD") << target;
  EXPECT_NE(http::testing::RawClient::Body(res).find("إجراء غير مسموح"), std::string::npos)
      << target;
}

}  // namespace baladiya::testing
