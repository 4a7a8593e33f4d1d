// bench_hello_server PORT: the least a Boost.Beast coroutine server can do per request (answer
// "ok", keep the connection alive), on one I/O thread like the real server. scripts/bench.sh
// runs wrk against it and the real server in the same run, so the real figures read as a ratio
// to what this machine can do at all rather than as absolute numbers.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdio>
#include <string_view>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Errors come back as values: a client hanging up is normal here, not an exception.
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> Session(tcp::socket socket) {
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> req;
    auto [read_ec, read_n] = co_await http::async_read(socket, buffer, req, kNoThrow);
    if (read_ec) break;
    http::response<http::string_body> res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.keep_alive(req.keep_alive());
    res.body() = "ok";
    res.prepare_payload();
    auto [write_ec, write_n] = co_await http::async_write(socket, res, kNoThrow);
    if (write_ec || !res.keep_alive()) break;
  }
  beast::error_code ignored;
  socket.shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> Listen(tcp::acceptor& acceptor) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    if (ec == asio::error::operation_aborted) co_return;
    if (ec) continue;  // e.g. out of file descriptors: keep serving the open connections
    socket.set_option(tcp::no_delay(true));  // small responses must not wait for Nagle
    asio::co_spawn(acceptor.get_executor(), Session(std::move(socket)), asio::detached);
  }
}

int main(int argc, char** argv) {
  unsigned short port = 0;
  if (argc > 1) {
    std::string_view arg = argv[1];
    auto [end, err] = std::from_chars(arg.data(), arg.data() + arg.size(), port);
    if (err != std::errc{} || end != arg.data() + arg.size()) {
      std::fprintf(stderr, "usage: %s [PORT]\n", argv[0]);
      return 2;
    }
  }
  asio::io_context ioc{1};  // concurrency hint 1: no locking inside asio
  tcp::acceptor acceptor{ioc, {asio::ip::make_address("127.0.0.1"), port}};
  // Port 0 picks a free one; print it so a script can find it.
  std::printf("listening on 127.0.0.1:%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);

  asio::signal_set signals{ioc, SIGINT, SIGTERM};
  signals.async_wait([&](const beast::error_code&, int) {
    acceptor.close();
    ioc.stop();
  });
  asio::co_spawn(ioc, Listen(acceptor), asio::detached);
  ioc.run();
  return 0;
}
