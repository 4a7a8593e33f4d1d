// PostgreSQL-only behaviour: broken connections, a server that went away or went silent.
// The last two run through a TCP proxy the test controls.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/test_support.h"

namespace baladiya::db {
namespace {

using Clock = std::chrono::steady_clock;

// Forwards 127.0.0.1:port() to a target port. Freeze() stops forwarding (the server seems to
// hang); Cut() closes every connection and the listener (the server went away).
class TcpProxy {
 public:
  explicit TcpProxy(int target_port) : target_port_(target_port) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = Loopback(0);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(listen_fd_, 16);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~TcpProxy() {
    stop_ = true;
    thread_.join();
    CloseAll();
  }

  int port() const { return port_; }
  void Freeze() { frozen_ = true; }
  void Cut() { cut_ = true; }

 private:
  static sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
  }

  void Loop() {
    while (!stop_) {
      if (cut_) CloseAll();
      std::vector<pollfd> fds;
      if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
      if (!frozen_) {
        for (int fd : conns_) fds.push_back({fd, POLLIN, 0});
      }
      poll(fds.data(), fds.size(), 20);
      for (const pollfd& p : fds) {
        if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
        if (p.fd == listen_fd_) {
          Accept();
        } else if (!Forward(p.fd)) {
          break;  // conns_ changed
        }
      }
    }
  }

  void Accept() {
    int client = accept(listen_fd_, nullptr, nullptr);
    int server = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr = Loopback(target_port_);
    if (client < 0 || connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      close(client);
      close(server);
      return;
    }
    conns_.push_back(client);
    conns_.push_back(server);
  }

  // Copies what fd has to its peer; on EOF closes both and returns false.
  bool Forward(int fd) {
    size_t i = 0;
    while (conns_[i] != fd) ++i;
    int peer = conns_[i ^ 1];
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n > 0 && write(peer, buf, n) == n) return true;
    close(fd);
    close(peer);
    conns_.erase(conns_.begin() + (i & ~size_t{1}), conns_.begin() + (i & ~size_t{1}) + 2);
    return false;
  }

  void CloseAll() {
    for (int fd : conns_) close(fd);
    conns_.clear();
    if (listen_fd_ >= 0) close(listen_fd_);
    listen_fd_ = -1;
  }

  int target_port_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::vector<int> conns_;  // client, server, client, server, ... (proxy thread only)
  std::atomic<bool> stop_{false};
  std::atomic<bool> frozen_{false};
  std::atomic<bool> cut_{false};
  std::thread thread_;
};

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::PostgresTestUrl();
    if (url_.empty()) {
      if (testing::PostgresRequired()) FAIL() << "BALADIYA_TEST_POSTGRES_URL not set";
      GTEST_SKIP() << "BALADIYA_TEST_POSTGRES_URL not set";
    }
  }

  Result<std::unique_ptr<Database>> OpenOn(const std::string& url, int pool_size) {
    DatabaseOptions options;
    options.url = url;
    options.read_pool_size = pool_size;
    return Open(options);
  }

  // The test URL pointed at a proxy in front of the server (needs HOST:PORT in the URL).
  std::unique_ptr<TcpProxy> StartProxy(std::string* proxied_url) {
    std::smatch m;
    std::regex host_port("@([^:/@]+):([0-9]+)/");
    if (!std::regex_search(url_, m, host_port)) return nullptr;
    auto proxy = std::make_unique<TcpProxy>(std::stoi(m[2]));
    *proxied_url =
        m.prefix().str() + "@127.0.0.1:" + std::to_string(proxy->port()) + "/" + m.suffix().str();
    return proxy;
  }

  std::string url_;
};

TEST_F(PostgresTest, BrokenPooledConnectionIsReopened) {
  auto db = OpenOn(url_, 1);
  auto admin = OpenOn(url_, 1);
  ASSERT_TRUE(db.ok() && admin.ok());
  Result<Rows> pid = (*db)->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(pid.ok()) << pid.error().detail;
  // Functions taking INTEGER need a cast: integer parameters are sent as BIGINT.
  Result<Rows> killed =
      (*admin)->Query("SELECT pg_terminate_backend(CAST(? AS INTEGER))", {(*pid)[0].Int(0)});
  ASSERT_TRUE(killed.ok()) << killed.error().detail;
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  Result<Rows> again = (*db)->Query("SELECT pg_backend_pid()");
  ASSERT_TRUE(again.ok()) << again.error().detail;
  EXPECT_NE((*again)[0].Int(0), (*pid)[0].Int(0));
  EXPECT_TRUE((*db)->Ping().ok());
  Status write = (*db)->Write([](Tx& tx) { return tx.ExecScript("SELECT 1"); });
  EXPECT_TRUE(write.ok()) << write.error().detail;
}

TEST_F(PostgresTest, ServerGoneMakesPingFailQuickly) {
  std::string proxied;
  auto proxy = StartProxy(&proxied);
  if (!proxy) GTEST_SKIP() << "test URL has no HOST:PORT";
  auto db = OpenOn(proxied, 2);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  ASSERT_TRUE((*db)->Ping().ok());
  proxy->Cut();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto start = Clock::now();
  Status ping = (*db)->Ping();
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(1));
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable) << ping.error().detail;
  Status write = (*db)->Write([](Tx&) { return Ok(); });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error().code, ErrorCode::kUnavailable) << write.error().detail;
}

TEST_F(PostgresTest, SilentServerMakesPingFailWithinThreeSeconds) {
  std::string proxied;
  auto proxy = StartProxy(&proxied);
  if (!proxy) GTEST_SKIP() << "test URL has no HOST:PORT";
  auto db = OpenOn(proxied, 1);
  ASSERT_TRUE(db.ok()) << db.error().detail;
  ASSERT_TRUE((*db)->Ping().ok());
  proxy->Freeze();
  auto start = Clock::now();
  Status ping = (*db)->Ping();
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(ping.ok());
  EXPECT_EQ(ping.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(ping.error().detail.find("no answer"), std::string::npos) << ping.error().detail;
  EXPECT_GE(elapsed, std::chrono::milliseconds(2500));
  EXPECT_LT(elapsed, std::chrono::milliseconds(4000));
}

}  // namespace
}  // namespace baladiya::db
