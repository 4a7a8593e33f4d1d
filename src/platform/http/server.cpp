// The only file that includes Boost.Beast. One coroutine per connection; handlers run inline on
// the I/O thread that owns the connection's strand.
#include "platform/http/server.h"

#include <cxxabi.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <typeinfo>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "platform/http/multipart.h"
#include "platform/http/url.h"

namespace baladiya::http {

namespace {

// The type of the exception being handled, demangled ("std::out_of_range"), for the last-resort
// handler's log line.
std::string ExceptionTypeName() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "unknown";
  int status = 0;
  char* name = abi::__cxa_demangle(type->name(), nullptr, nullptr, &status);
  std::string out = status == 0 && name ? name : type->name();
  std::free(name);
  return out;
}

// One JSON line on stderr for a request whose handler threw (ASVS 16.5.4): the exception's type
// and message (cut to 300 bytes) with the request id and route, never the query or the body.
void LogHandlerException(const Request& req, std::string_view type, std::string_view what) {
  auto quoted = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text.substr(0, 300)) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else if (u < 0x20 || u == 0x7f) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", u);
        out += buf;
      } else {
        out += c;
      }
    }
    return out + "\"";
  };
  std::string line = "{\"error\":\"handler.exception\",\"type\":" + quoted(type) +
                     ",\"what\":" + quoted(what) + ",\"request_id\":" + quoted(req.request_id) +
                     ",\"route\":" + quoted(req.route) + ",\"path\":" + quoted(req.path) + "}\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// What Stop() and shedding need to reach a live connection: its executor, and its stream while
// it is idle. idle and idle_since are written by the connection's own coroutine and read by
// others (choosing whom to shed), hence atomic.
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* stream = nullptr;  // null once the session has ended; touched on executor only
  std::atomic<bool> idle{false};
  std::atomic<int64_t> idle_since{0};  // steady-clock nanoseconds when it last became idle
  std::atomic<bool> shed{false};       // chosen to make room; closes at its next wake-up
  std::string address_key;             // AddressKey of the peer; set before it is shared
};

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Transfer-Encoding is accepted only as exactly "chunked" (RFC 9112 6.1, 6.3): any other coding
// or list ("chunked, identity", "gzip, chunked", "identity") would leave the body's framing to
// Content-Length or to guesswork, which is how requests get smuggled past a proxy. A request
// carrying both Transfer-Encoding and Content-Length is refused too.
bool AcceptableFraming(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto& msg = parser.get();
  std::string codings;
  bool has_te = false;
  bool has_length = false;
  for (const auto& field : msg) {
    if (field.name() == bhttp::field::transfer_encoding) {
      has_te = true;
      if (!codings.empty()) codings += ',';
      codings.append(field.value().data(), field.value().size());
    } else if (field.name() == bhttp::field::content_length) {
      has_length = true;
    }
  }
  if (!has_te) return true;
  if (has_length) return false;
  std::string token;
  for (char c : codings) {
    if (c == ' ' || c == '\t') continue;
    token.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return token == "chunked";
}

Response PlainError(int status) {
  Response r = Response::Text(status, std::string(StatusText(status)) + "\n");
  return r;
}

}  // namespace

struct Server::Impl {
  ServerOptions options;
  Handler handler;
  ExchangeObserver observer;
  std::function<bool(const Request&)> offload;
  std::unique_ptr<asio::thread_pool> offload_pool;
  std::function<Response(int, const Request*)> error_renderer;

  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::signal_set signals{ioc};
  // Stop, the signal handler and the grace timer run on this strand.
  asio::strand<asio::io_context::executor_type> control{ioc.get_executor()};
  asio::steady_timer grace{control};
  uint16_t bound_port = 0;

  std::atomic<bool> stopping{false};
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> in_flight{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> rejected_overload{0};
  std::atomic<uint64_t> bad_requests{0};
  std::atomic<uint64_t> shed_idle{0};

  std::mutex mu;
  std::unordered_set<std::shared_ptr<Connection>> connections;  // guarded by mu
  std::unordered_map<std::string, size_t> per_address;          // guarded by mu

  Impl(ServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  Response ErrorResponse(int status, const Request* request) {
    Response r;
    if (error_renderer) {
      try {
        r = error_renderer(status, request);
      } catch (...) {
        r = PlainError(status);
      }
    } else {
      r = PlainError(status);
    }
    r.status = status;
    return r;
  }

  void Notify(const Request* request, int status, size_t bytes,
              std::chrono::steady_clock::time_point start) {
    if (!observer) return;
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    try {
      observer(Exchange{request, status, bytes, micros});
    } catch (...) {
    }
  }

  // Serialises the status line and headers into one buffer and writes it with the body in one
  // gathered write: much cheaper than Beast's per-field serializer for our ~12 headers.
  asio::awaitable<size_t> Write(beast::tcp_stream& stream, Response& res, unsigned version,
                                bool head, bool keep_alive) {
    std::string out;
    out.reserve(640);
    out += "HTTP/1.1 ";
    out += std::to_string(res.status);
    out += ' ';
    out += StatusText(res.status);
    out += "\r\n";
    for (const auto& [name, value] : res.headers.All()) {
      out += name;
      out += ": ";
      AppendHeaderValue(out, value);
      out += "\r\n";
    }
    out += res.fixed_headers;
    bool bodyless = res.status == 204 || res.status == 304 || res.status < 200;
    if (!bodyless) {
      out += "content-length: ";
      out += std::to_string(res.body.size());
      out += "\r\n";
    }
    if (!keep_alive) {
      out += "connection: close\r\n";
    } else if (version == 10) {
      out += "connection: keep-alive\r\n";
    }
    out += "\r\n";
    std::array<asio::const_buffer, 2> buffers{
        asio::buffer(out), asio::buffer(head || bodyless ? std::string_view() : res.body)};
    stream.expires_after(options.read_timeout);
    auto [ec, n] = co_await asio::async_write(stream, buffers, kNoThrow);
    co_return ec ? 0 : n;
  }

  // Header values come from handlers; CR and LF would split the response, so they become spaces.
  static void AppendHeaderValue(std::string& out, std::string_view value) {
    size_t start = out.size();
    out += value;
    for (size_t i = start; i < out.size(); ++i) {
      if (out[i] == '\r' || out[i] == '\n') out[i] = ' ';
    }
  }

  // Builds the Request from a parsed message. Returns false when the target is unacceptable.
  template <class Message>
  static bool Fill(Message& msg, Request& req) {
    req.method_name = std::string(msg.method_string());
    req.method = ParseMethod(req.method_name);
    req.target = std::string(msg.target());
    for (const auto& field : msg) {
      req.headers.Add(std::string(field.name_string()), std::string(field.value()));
    }
    if constexpr (std::is_same_v<Message, bhttp::request<bhttp::string_body>>)
      req.body = std::move(msg.body());
    req.keep_alive = msg.keep_alive();
    auto target = ParseTarget(req.target);
    if (!target) return false;
    req.path = std::move(target->path);
    req.query = std::move(target->query);
    return true;
  }

  int StatusForReadError(const beast::error_code& ec) {
    if (ec == bhttp::error::header_limit) return 431;
    if (ec == bhttp::error::body_limit) return 413;
    if (ec == beast::error::timeout) return 408;
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) return 400;
    return 0;  // a transport error: nothing to answer
  }

  enum class Admission { kAdmit, kOverAddressCap, kOverTotal };

  // Registers a new connection and decides whether it may stay. Past the per-address cap: no.
  // Past the total: the connection idle the longest is shed to make room (it closes at once, on
  // its own strand), else no.
  Admission Admit(const std::shared_ptr<Connection>& conn, const std::string& remote) {
    const bool capped =
        options.max_connections_per_address > 0 && !options.uncapped.Contains(remote);
    std::shared_ptr<Connection> victim;
    Admission verdict = Admission::kAdmit;
    {
      std::lock_guard lock(mu);
      connections.insert(conn);
      size_t mine = ++per_address[conn->address_key];
      if (capped && mine > options.max_connections_per_address) {
        verdict = Admission::kOverAddressCap;
      } else if (connections.size() > options.max_connections) {
        int64_t oldest = 0;
        for (const auto& c : connections) {
          if (c == conn || !c->idle || c->shed) continue;
          int64_t since = c->idle_since;
          if (!victim || since < oldest) {
            victim = c;
            oldest = since;
          }
        }
        if (victim) {
          victim->shed = true;
        } else {
          verdict = Admission::kOverTotal;
        }
      }
    }
    if (victim) {
      ++shed_idle;
      asio::post(victim->executor, [victim] {
        if (victim->stream && victim->idle) victim->stream->cancel();
      });
    }
    return verdict;
  }

  void Release(const std::shared_ptr<Connection>& conn) {
    std::lock_guard lock(mu);
    connections.erase(conn);
    auto it = per_address.find(conn->address_key);
    if (it != per_address.end() && --it->second == 0) per_address.erase(it);
  }

  asio::awaitable<void> Session(tcp::socket socket) {
    auto conn = std::make_shared<Connection>();
    beast::tcp_stream stream(std::move(socket));
    conn->executor = stream.get_executor();
    conn->stream = &stream;
    std::string remote;
    {
      beast::error_code ec;
      auto ep = stream.socket().remote_endpoint(ec);
      if (!ec) remote = ep.address().to_string();
    }
    conn->address_key = AddressKey(remote);
    ++open_connections;
    Admission admission = Admit(conn, remote);
    if (admission == Admission::kAdmit) {
      co_await Serve(stream, conn, remote);
    } else {
      co_await Refuse(stream);
    }
    conn->stream = nullptr;
    Release(conn);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream.socket().close(ignored);
    if (--open_connections == 0 && stopping) {
      asio::post(control, [this] { grace.cancel(); });
    }
  }

  // A connection over a limit: 503 with Retry-After, then close.
  asio::awaitable<void> Refuse(beast::tcp_stream& stream) {
    auto start = std::chrono::steady_clock::now();
    ++rejected_overload;
    Response r = ErrorResponse(503, nullptr);
    r.headers.Set("retry-after", "1");
    size_t n = co_await Write(stream, r, 11, false, false);
    Notify(nullptr, 503, n, start);
  }

  asio::awaitable<void> Serve(beast::tcp_stream& stream, const std::shared_ptr<Connection>& conn,
                              const std::string& remote) {
    auto start = std::chrono::steady_clock::now();
    beast::flat_buffer buffer;
    bool first = true;
    while (!stopping && !conn->shed) {
      if (buffer.size() == 0) {
        // Waiting for the next request: the idle timeout applies (the read timeout for the first).
        stream.expires_after(first ? options.read_timeout : options.idle_timeout);
        conn->idle_since = SteadyNanos();
        conn->idle = true;
        if (conn->shed) co_return;  // chosen while it was busy: it was about to idle anyway
        auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), kNoThrow);
        conn->idle = false;
        if (ec || conn->shed) co_return;
        buffer.commit(n);
      }
      first = false;
      start = std::chrono::steady_clock::now();
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<uint32_t>(options.max_header_bytes));
      // A declared length up to max_upload_bytes passes the header; the body is then checked.
      parser.body_limit(std::max(options.max_body_bytes, options.max_upload_bytes));
      stream.expires_after(options.read_timeout);
      auto [ec, n] = co_await bhttp::async_read_header(stream, buffer, parser, kNoThrow);
      if (!ec && !AcceptableFraming(parser)) {
        ++bad_requests;
        Response r = ErrorResponse(400, nullptr);
        size_t written = co_await Write(stream, r, 11, false, false);
        Notify(nullptr, 400, written, start);
        co_return;
      }
      Request req;
      req.remote_address = remote;
      std::optional<std::string> trimmed;  // an over-long upload, read and trimmed
      unsigned trimmed_version = 11;
      if (!ec && parser.content_length() && *parser.content_length() > options.max_body_bytes) {
        auto boundary =
            MultipartBoundary(std::string_view(parser.get()[bhttp::field::content_type]));
        if (!boundary) {
          ec = bhttp::error::body_limit;
        } else {
          bhttp::request_parser<bhttp::buffer_body> raw{std::move(parser)};
          MultipartTrimmer trimmer(*boundary, options.max_body_bytes);
          std::vector<char> piece(64 * 1024);
          while (!ec && !raw.is_done()) {
            raw.get().body().data = piece.data();
            raw.get().body().size = piece.size();
            auto [read_ec, read_n] = co_await bhttp::async_read(stream, buffer, raw, kNoThrow);
            ec = read_ec == bhttp::error::need_buffer ? beast::error_code() : read_ec;
            trimmer.Feed(std::string_view(piece.data(), piece.size() - raw.get().body().size));
            // Many parts each under the limit: no more is held than twice the limit.
            if (trimmer.kept_bytes() > 2 * options.max_body_bytes) ec = bhttp::error::body_limit;
          }
          if (!ec) {
            const bool cut = trimmer.truncated();
            trimmed = trimmer.Finish();
            auto& msg = raw.get();
            trimmed_version = msg.version();
            if (!Fill(msg, req)) ec = bhttp::error::bad_target;
            req.body = std::move(*trimmed);
            if (cut) req.attributes[std::string(kBodyTruncated)] = "1";
          }
        }
      } else if (!ec && !parser.is_done()) {
        parser.body_limit(options.max_body_bytes);
        auto [body_ec, body_n] = co_await bhttp::async_read(stream, buffer, parser, kNoThrow);
        ec = body_ec;
      }
      if (ec == bhttp::error::end_of_stream) co_return;
      if (ec) {
        int status = StatusForReadError(ec);
        if (status == 0) co_return;
        ++bad_requests;
        Response r = ErrorResponse(status, nullptr);
        size_t written = co_await Write(stream, r, 11, false, false);
        Notify(nullptr, status, written, start);
        co_return;
      }
      auto& msg = parser.get();
      unsigned version = trimmed ? trimmed_version : msg.version();
      bool head = !trimmed && msg.method() == bhttp::verb::head;
      if (!trimmed && !Fill(msg, req)) {
        ++bad_requests;
        Response r = ErrorResponse(400, nullptr);
        size_t written = co_await Write(stream, r, version, head, false);
        Notify(nullptr, 400, written, start);
        co_return;
      }
      Response res;
      const bool offloaded = offload_pool && offload && offload(req);
      if (offloaded) {
        // Runs on the pool; the coroutine resumes on this connection's strand afterwards.
        res = co_await asio::co_spawn(
            offload_pool->get_executor(),
            [this, &req]() -> asio::awaitable<Response> { co_return Handle(req); },
            asio::use_awaitable);
      } else {
        res = Handle(req);
      }
      bool keep = req.keep_alive && !res.close && !stopping;
      size_t written = co_await Write(stream, res, version, head, keep);
      Notify(&req, res.status, written, start);
      if (res.after) co_await RunAfter(std::move(res.after), offloaded);
      if (!keep) co_return;
    }
  }

  // Runs a response's deferred work where its request ran (the offload pool or this strand).
  asio::awaitable<void> RunAfter(std::function<void()> work, bool offloaded) {
    auto run = [&work] {
      try {
        work();
      } catch (...) {
      }
    };
    if (offloaded) {
      co_await asio::co_spawn(
          offload_pool->get_executor(),
          [&run]() -> asio::awaitable<void> {
            run();
            co_return;
          },
          asio::use_awaitable);
    } else {
      run();
    }
  }

  Response Handle(Request& req) {
    if (static_cast<size_t>(++in_flight) > options.max_in_flight) {
      --in_flight;
      ++rejected_overload;
      Response r = ErrorResponse(503, &req);
      r.headers.Set("retry-after", "1");
      return r;
    }
    Response res;
    try {
      res = handler(req);
    } catch (const std::exception& e) {
      LogHandlerException(req, ExceptionTypeName(), e.what());
      res = ErrorResponse(500, &req);
    } catch (...) {
      LogHandlerException(req, ExceptionTypeName(), "");
      res = ErrorResponse(500, &req);
    }
    --in_flight;
    return res;
  }

  asio::awaitable<void> Accept() {
    while (!stopping) {
      auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
      if (ec) {
        if (stopping || ec == asio::error::operation_aborted) co_return;
        continue;  // EMFILE and friends: keep accepting
      }
      ++accepted;
      socket.set_option(tcp::no_delay(true), ec);
      auto strand = asio::make_strand(ioc);
      asio::co_spawn(strand, Session(std::move(socket)), asio::detached);
    }
  }

  void BeginStop() {
    bool expected = false;
    if (!stopping.compare_exchange_strong(expected, true)) return;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    std::vector<std::shared_ptr<Connection>> live;
    {
      std::lock_guard lock(mu);
      live.assign(connections.begin(), connections.end());
    }
    for (auto& c : live) {
      asio::post(c->executor, [c] {
        if (c->stream && c->idle) c->stream->cancel();
      });
    }
    if (open_connections == 0) return;
    grace.expires_after(options.shutdown_grace);
    grace.async_wait([this](const beast::error_code& ec) {
      if (!ec) ioc.stop();  // in-flight work did not finish in time
    });
  }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::SetObserver(ExchangeObserver observer) { impl_->observer = std::move(observer); }

void Server::SetOffload(std::function<bool(const Request&)> predicate) {
  impl_->offload = std::move(predicate);
  if (!impl_->offload_pool && impl_->options.offload_threads > 0) {
    impl_->offload_pool =
        std::make_unique<asio::thread_pool>(static_cast<size_t>(impl_->options.offload_threads));
  }
}

void Server::SetErrorRenderer(std::function<Response(int, const Request*)> renderer) {
  impl_->error_renderer = std::move(renderer);
}

Status Server::Listen() {
  auto& o = impl_->options;
  beast::error_code ec;
  auto address = asio::ip::make_address(o.address, ec);
  auto fail = [&](const beast::error_code& e) {
    return MakeError(
        ErrorCode::kUnavailable, "error.unavailable",
        "cannot listen on " + o.address + ":" + std::to_string(o.port) + ": " + e.message());
  };
  if (ec) return fail(ec);
  tcp::endpoint endpoint(address, o.port);
  auto& acc = impl_->acceptor;
  acc.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acc.set_option(asio::socket_base::reuse_address(true), ec);
  acc.bind(endpoint, ec);
  if (ec) return fail(ec);
  acc.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec);
  impl_->bound_port = acc.local_endpoint().port();
  return Ok();
}

uint16_t Server::port() const { return impl_->bound_port; }

void Server::Run(bool handle_signals) {
  Impl& s = *impl_;
  if (handle_signals) {
    s.signals.add(SIGINT);
    s.signals.add(SIGTERM);
    s.signals.async_wait([&s](const beast::error_code& ec, int) {
      if (!ec) asio::post(s.control, [&s] { s.BeginStop(); });
    });
  }
  asio::co_spawn(s.control, s.Accept(), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < s.options.threads; ++i) extra.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : extra) t.join();
  if (s.offload_pool) s.offload_pool->join();
}

void Server::Stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->BeginStop(); });
}

ServerStats Server::Stats() const {
  return ServerStats{impl_->open_connections.load(), impl_->in_flight.load(),
                     impl_->accepted.load(),         impl_->rejected_overload.load(),
                     impl_->bad_requests.load(),     impl_->shed_idle.load()};
}

}  // namespace baladiya::http
