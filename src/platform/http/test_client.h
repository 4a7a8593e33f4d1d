// A tiny blocking HTTP/1.1 client over POSIX sockets for the server tests: it sends exactly the
// bytes a test gives it, so malformed requests can be written by hand.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace baladiya::http::testing {

class RawClient {
 public:
  // source, when given, is the local IPv4 address to connect from (any 127.x.y.z works on
  // Linux), so that a test can play several client hosts.
  explicit RawClient(uint16_t port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }

  bool Send(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return false;
      sent += static_cast<size_t>(n);
    }
    return true;
  }

  // Reads one response (headers + Content-Length body), or what arrived before the peer closed
  // or the timeout passed. The default is long: on a machine busy with other work a request that
  // hashes a password can wait seconds for its turn, and a slow answer is not a wrong one; a test
  // that expects silence passes a short timeout of its own.
  std::string ReadResponse(std::chrono::milliseconds timeout = std::chrono::milliseconds(30000)) {
    std::string data;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t want = end + 4 + ContentLength(data.substr(0, end));
        if (data.size() >= want) return data.substr(0, want);
      }
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now())
                                      .count());
      if (::poll(&p, 1, left > 0 ? left : 0) <= 0) break;
      char buf[8192];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

  // Everything the server sends until it closes the connection or the timeout passes.
  std::string ReadUntilClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    std::string data;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[8192];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

  // True when the server closed the connection (recv returns 0) within the timeout.
  bool ClosedByPeer(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
    char buf[256];
    return ::recv(fd_, buf, sizeof buf, 0) <= 0;
  }

  static int Status(const std::string& response) {
    if (response.size() < 12 || response.compare(0, 5, "HTTP/") != 0) return 0;
    return std::stoi(response.substr(9, 3));
  }

  static std::string Body(const std::string& response) {
    size_t end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
  }

  static std::string Header(const std::string& response, const std::string& lower_name) {
    size_t end = response.find("\r\n\r\n");
    size_t pos = response.find("\r\n");
    while (pos != std::string::npos && pos < end) {
      size_t next = response.find("\r\n", pos + 2);
      std::string line = response.substr(pos + 2, next - pos - 2);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == lower_name) {
          size_t v = line.find_first_not_of(' ', colon + 1);
          return v == std::string::npos ? std::string() : line.substr(v);
        }
      }
      pos = next;
    }
    return {};
  }

  // One GET on a fresh connection; returns the whole response.
  static std::string Get(uint16_t port, const std::string& target,
                         const std::string& extra_headers = "") {
    RawClient c(port);
    c.Send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n" + extra_headers +
           "Connection: close\r\n\r\n");
    return c.ReadResponse();
  }

  // Sends a whole request as given and reads the response.
  static std::string Exchange(uint16_t port, const std::string& request) {
    RawClient c(port);
    c.Send(request);
    return c.ReadResponse();
  }

 private:
  static size_t ContentLength(const std::string& head) {
    std::string h = Header(head + "\r\n\r\n", "content-length");
    return h.empty() ? 0 : std::stoul(h);
  }

  int fd_ = -1;
  bool connected_ = false;
};

}  // namespace baladiya::http::testing
