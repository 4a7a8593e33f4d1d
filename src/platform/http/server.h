// The HTTP/1.1 server (Boost.Beast with C++20 coroutines). Handlers run on the I/O threads, so
// they must not block for long; requests that may (see SetOffload) run on a separate pool.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "platform/http/client_address.h"
#include "platform/http/http.h"
#include "platform/result.h"

namespace baladiya::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8080;                 // 0 picks a free port
  int threads = 1;                      // I/O threads
  size_t max_header_bytes = 16 * 1024;  // over it: 431
  size_t max_body_bytes = 1024 * 1024;  // over it: 413
  // A multipart/form-data body over max_body_bytes but declared (Content-Length) at most this
  // long is read to its end and trimmed instead of refused: each part keeps its first
  // max_body_bytes (MultipartTrimmer), the request's attribute kBodyTruncated (multipart.h) is "1"
  // when a part was cut, and the handler answers (a file far over the limit becomes a field error
  // on its form, the other answers kept). 0: such bodies get 413 like any other.
  size_t max_upload_bytes = 0;
  std::chrono::milliseconds read_timeout{10000};  // to read one request, headers and body
  std::chrono::milliseconds idle_timeout{30000};  // keep-alive wait for the next request
  // Past max_connections, the connection idle the longest (waiting for a request) is closed to
  // make room; only when none is idle does the newcomer get 503 with Retry-After.
  size_t max_connections = 2048;
  // Open connections from one client address (an IPv6 client: one /64, see AddressKey); past it
  // the newcomer gets 503 with Retry-After, so one host cannot hold every slot. 0: no cap.
  size_t max_connections_per_address = 64;
  // Peers the per-address cap does not apply to: reverse proxies, which carry many clients on
  // their connections (the proxy limits its own clients). The trusted proxies, as a rule.
  TrustedProxies uncapped;
  size_t max_in_flight = 1024;  // requests being handled at once; past it: 503
  std::chrono::milliseconds shutdown_grace{10000};
  // Threads for requests that may block (form posts: password hashing, write transactions);
  // see Server::SetOffload. 0 runs everything on the I/O threads.
  int offload_threads = 4;
};

// Counters the server keeps for /metrics.
struct ServerStats {
  int64_t open_connections = 0;
  int64_t in_flight = 0;
  uint64_t accepted = 0;
  uint64_t rejected_overload = 0;
  uint64_t bad_requests = 0;
  uint64_t shed_idle = 0;  // idle connections closed to make room for new ones
};

// Called once per finished request, after the response is written (for access logs / metrics).
// Error responses produced by the server itself (400, 413, 431, 503) are reported too, with an
// empty route.
struct Exchange {
  const Request* request;
  int status;
  size_t response_bytes;
  std::chrono::microseconds duration;
};
using ExchangeObserver = std::function<void(const Exchange&)>;

class Server {
 public:
  // handler is the whole application (middleware chain + router). Must outlive the server.
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  void SetObserver(ExchangeObserver observer);
  // Requests for which predicate returns true are handled on the offload pool, so that slow
  // work (a login's password hash) never holds an I/O thread and other pages stay fast.
  void SetOffload(std::function<bool(const Request&)> predicate);
  // Builds the response for errors the server detects itself (status, and the request as far as
  // it was read; may be null). Lets the application answer in the user's language. Optional.
  void SetErrorRenderer(std::function<Response(int status, const Request* request)> renderer);

  // Binds and listens. Fails with kUnavailable ("cannot listen on 127.0.0.1:8080: ...").
  Status Listen();
  uint16_t port() const;  // the bound port (after Listen)

  // Serves until Stop() or SIGINT/SIGTERM (when handle_signals). Blocks the calling thread,
  // which becomes one of the I/O threads. On stop: stops accepting, lets in-flight requests
  // finish (up to shutdown_grace), closes idle connections, then returns.
  void Run(bool handle_signals = true);
  // Thread-safe; may be called from a signal handler context via Run's own signal set.
  void Stop();

  ServerStats Stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace baladiya::http
