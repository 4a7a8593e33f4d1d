// Test helpers for notify: the project's real message catalogue, a real SMTP server (aiosmtpd)
// started on loopback, and a small SMS gateway served on loopback by our own HTTP server.
#pragma once

#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "platform/http/router.h"
#include "platform/http/server.h"
#include "platform/i18n/locale.h"
#include "platform/i18n/source_catalog.h"

namespace baladiya::notify::testing {

inline constexpr int64_t kNow = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// notify's settings for the web harness (platform/testing/web_harness.h), at `baladiya serve`'s
// defaults: no SMTP server, no drop folder, SMS through the gateway at sms_url (none when empty).
inline std::map<std::string, std::string> Settings(const std::string& sms_url = "",
                                                   const std::string& sms_token = "") {
  return {{"smtp-url", ""},
          {"smtp-from", "Baladiya <no-reply@baladiya.invalid>"},
          {"smtp-user", ""},
          {"smtp-password", ""},
          {"smtp-require-tls", "true"},  // the tests' SMTP servers are on loopback
          {"sms-url", sms_url},
          {"sms-token", sms_token},
          {"sms-sender", "Baladiya"},
          {"mail-drop", ""},
          {"notify-seconds", "5"}};
}

inline std::string SourceDir() {
  const char* dir = std::getenv("BALADIYA_SOURCE_DIR");
  return dir ? dir : ".";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The project's own catalogue (every module's i18n/ fragment), so tests use the shipped texts.
inline const i18n::Catalog& Catalogue() {
  static const i18n::Catalog catalog = [] {
    auto c = i18n::LoadSourceCatalog(SourceDir());
    if (!c.ok()) throw std::runtime_error("cannot load the catalogue: " + c.error().detail);
    return std::move(*c);
  }();
  return catalog;
}

inline uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline bool Accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

// A real SMTP server (Debian's python3-aiosmtpd with tests/smtp/policy_handler.py) on a free
// loopback port, keeping accepted mail in a Maildir. Refuses *@refused.example with 550 and
// *@busy.example with 451.
class SmtpServer {
 public:
  SmtpServer() {
    char tmpl[] = "/tmp/baladiya-smtp-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    port_ = FreePort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setenv("PYTHONPATH", (SourceDir() + "/tests/smtp").c_str(), 1);
      const std::string listen = "127.0.0.1:" + std::to_string(port_);
      const std::string maildir = dir_ + "/maildir";
      ::execl("/usr/bin/python3", "python3", "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
              "policy_handler.PolicyMailbox", maildir.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !Accepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ~SmtpServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
    }
    std::string cmd = "rm -rf '" + dir_ + "'";
    (void)std::system(cmd.c_str());
  }
  bool up() const { return Accepts(port_); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  // The raw messages received so far.
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    const std::string folder = dir_ + "/maildir/new";
    if (DIR* d = ::opendir(folder.c_str())) {
      while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] == '.') continue;
        out.push_back(ReadFile(folder + "/" + e->d_name));
      }
      ::closedir(d);
    }
    return out;
  }

 private:
  std::string dir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// A small SMS gateway on loopback: POST /send with a bearer token and JSON {to, text, sender,
// reference}; answers 202 {"id": "..."} or, while `fail_next` is set, the given statuses in turn.
class SmsGateway {
 public:
  struct Received {
    std::string authorization;
    boost::json::object body;
  };

  SmsGateway() {
    router_.Post("/send", [this](http::Request& r) {
      std::lock_guard lock(mu_);
      boost::system::error_code ec;
      auto v = boost::json::parse(r.body, ec);
      if (ec || !v.is_object()) return http::Response::Json(400, R"({"error":"bad json"})");
      received_.push_back({std::string(r.headers.Get("authorization")), v.as_object()});
      if (!statuses_.empty()) {
        int status = statuses_.front();
        statuses_.pop_front();
        return http::Response::Json(status, R"({"error":"as told"})");
      }
      return http::Response::Json(202,
                                  R"({"id":"gw-)" + std::to_string(received_.size()) + R"("})");
    });
    http::ServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.threads = 1;
    server_ = std::make_unique<http::Server>(o, [this](http::Request& r) {
      auto m = router_.Find(r.method, r.path);
      if (m.outcome != http::Router::Outcome::kFound) return http::Response::Text(404, "no");
      return (*m.handler)(r);
    });
    if (!server_->Listen().ok()) throw std::runtime_error("gateway cannot listen");
    thread_ = std::thread([this] { server_->Run(false); });
  }
  ~SmsGateway() {
    server_->Stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/send";
  }
  void FailNext(std::vector<int> statuses) {
    std::lock_guard lock(mu_);
    statuses_.assign(statuses.begin(), statuses.end());
  }
  std::vector<Received> received() {
    std::lock_guard lock(mu_);
    return received_;
  }

 private:
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::mutex mu_;
  std::deque<int> statuses_;
  std::vector<Received> received_;
};

}  // namespace baladiya::notify::testing
