// Starts the real server on port 0 and speaks HTTP to it over loopback.
#include "platform/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "platform/http/multipart.h"
#include "platform/http/router.h"
#include "platform/http/test_client.h"

namespace baladiya::http {
namespace {

using testing::RawClient;
using namespace std::chrono_literals;

class ServerTest : public ::testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    options.port = 0;
    router_.Get("/hello", [](Request&) { return Response::Text(200, "hello"); });
    router_.Post("/echo", [](Request& r) { return Response::Text(200, r.body); });
    router_.Get("/slow", [this](Request&) {
      ++slow_started_;
      std::this_thread::sleep_for(300ms);
      return Response::Text(200, "slow done");
    });
    router_.Get("/boom", [](Request&) -> Response { throw std::runtime_error("boom"); });
    router_.Get("/path/{rest:path}",
                [](Request& r) { return Response::Text(200, std::string(r.PathParam("rest"))); });
    server_ = std::make_unique<Server>(options, [this](Request& r) {
      auto m = router_.Find(r.method, r.path);
      if (m.outcome == Router::Outcome::kNotFound) return Response::Text(404, "nf");
      if (m.outcome == Router::Outcome::kMethodNotAllowed) {
        Response res = Response::Text(405, "no");
        res.headers.Set("allow", AllowHeader(m.allowed));
        return res;
      }
      for (auto& [k, v] : m.params) r.path_params[k] = v;
      return (*m.handler)(r);
    });
    ASSERT_TRUE(server_->Listen().ok());
    port_ = server_->port();
    thread_ = std::thread([this] { server_->Run(false); });
  }

  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  bool ServesNormally() { return RawClient::Status(RawClient::Get(port_, "/hello")) == 200; }

  Router router_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<int> slow_started_{0};
};

TEST_F(ServerTest, ServesKeepAliveRequests) {
  Start();
  RawClient c(port_);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string res = c.ReadResponse();
    EXPECT_EQ(RawClient::Status(res), 200);
    EXPECT_EQ(RawClient::Body(res), "hello");
  }
}

TEST_F(ServerTest, HeadHasLengthButNoBody) {
  Start();
  RawClient c(port_);
  c.Send(
      "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string all = c.ReadUntilClosed();
  // Content-Length announces the GET body, yet the HEAD response is followed directly by the
  // second response.
  size_t first_end = all.find("\r\n\r\n");
  ASSERT_NE(first_end, std::string::npos);
  EXPECT_EQ(RawClient::Header(all.substr(0, first_end + 4), "content-length"), "5");
  EXPECT_EQ(all.compare(first_end + 4, 9, "HTTP/1.1 "), 0) << all;
  EXPECT_EQ(RawClient::Body(all.substr(first_end + 4)), "hello");
}

TEST_F(ServerTest, MethodNotAllowedCarriesAllow) {
  Start();
  RawClient c(port_);
  c.Send("DELETE /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  std::string res = c.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 405);
  EXPECT_EQ(RawClient::Header(res, "allow"), "GET, HEAD");
}

TEST_F(ServerTest, BadInputGetsTheRight4xxAndTheServerCarriesOn) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  Start(o);
  struct Case {
    const char* name;
    std::string bytes;
    int status;
  } cases[] = {
      {"malformed request line", "GARBAGE\r\n\r\n", 400},
      {"bad version", "GET / HTTP/9.9\r\nHost: x\r\n\r\n", 400},
      {"huge header",
       "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n",
       431},
      {"body over limit",
       "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'b'),
       413},
      {"bad percent-encoding", "GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"invalid UTF-8 path", "GET /a%FF%FE HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"NUL in path", "GET /a%00b HTTP/1.1\r\nHost: x\r\n\r\n", 400},
      {"bad content-length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400},
  };
  for (const auto& c : cases) {
    RawClient client(port_);
    client.Send(c.bytes);
    std::string res = client.ReadResponse();
    EXPECT_EQ(RawClient::Status(res), c.status) << c.name;
    EXPECT_TRUE(client.ClosedByPeer()) << c.name;
    EXPECT_TRUE(ServesNormally()) << "after " << c.name;
  }
  EXPECT_GE(server_->Stats().bad_requests, 7u);
}

// A form whose file is over the body limit (but under max_upload_bytes) reaches its handler,
// trimmed: every field, the file cut short and marked; a plain body that long is still 413, and
// a multipart one past max_upload_bytes too.
TEST_F(ServerTest, UploadOverTheBodyLimitReachesTheHandlerTrimmed) {
  ServerOptions o;
  o.max_body_bytes = 1024;
  o.max_upload_bytes = 64 * 1024;
  router_.Post("/form", [](Request& r) {
    auto parts = ParseMultipart(r.body, "BB");
    if (!parts.ok()) return Response::Text(400, "bad");
    std::string out = r.attributes[std::string(kBodyTruncated)];
    for (const auto& p : *parts) out += "|" + p.name + "=" + std::to_string(p.data.size());
    return Response::Text(200, out);
  });
  Start(o);
  const std::string body =
      "--BB\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nhello\r\n--BB\r\n"
      "Content-Disposition: form-data; name=\"f\"; filename=\"x.pdf\"\r\n"
      "Content-Type: application/pdf\r\n\r\n" +
      std::string(30000, 'z') +
      "\r\n--BB\r\nContent-Disposition: form-data; name=\"go\"\r\n\r\nnext\r\n--BB--\r\n";
  auto post = [&](const std::string& type, const std::string& b) {
    RawClient c(port_);
    c.Send("POST /form HTTP/1.1\r\nHost: x\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(b.size()) + "\r\n\r\n" + b);
    return c.ReadResponse();
  };
  std::string res = post("multipart/form-data; boundary=BB", body);
  ASSERT_EQ(RawClient::Status(res), 200) << res;
  const std::string got = RawClient::Body(res);
  EXPECT_EQ(got.substr(0, 9), "1|a=5|f=9") << got;  // the file kept under 1,024 bytes
  EXPECT_NE(got.find("|go=4"), std::string::npos) << got;
  EXPECT_EQ(RawClient::Status(post("text/plain", body)), 413);
  EXPECT_EQ(
      RawClient::Status(post("multipart/form-data; boundary=BB", body + std::string(70000, 'e'))),
      413);
  EXPECT_TRUE(ServesNormally());
}

TEST_F(ServerTest, HandlerExceptionIs500AndServerCarriesOn) {
  Start();
  EXPECT_EQ(RawClient::Status(RawClient::Get(port_, "/boom")), 500);
  EXPECT_TRUE(ServesNormally());
}

// ASVS 16.5.4: the last-resort handler says what was thrown (type and message) with the request
// id, on one line, so that a 500 can be traced.
TEST_F(ServerTest, HandlerExceptionIsLoggedWithItsTypeMessageAndRequestId) {
  router_.Get("/boom/{kind}", [](Request& r) -> Response {
    r.request_id = "rid-of-the-server-0001";  // as the RequestId middleware would have set it
    r.route = "/boom/{kind}";                 // as the router would have
    if (r.PathParam("kind") == "range") throw std::out_of_range("index 7 \"past\" the end");
    throw 42;
  });
  Start();
  ::testing::internal::CaptureStderr();
  EXPECT_EQ(RawClient::Status(RawClient::Get(port_, "/boom/range")), 500);
  EXPECT_EQ(RawClient::Status(RawClient::Get(port_, "/boom/int")), 500);
  const std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("{\"error\":\"handler.exception\",\"type\":\"std::out_of_range\","
                     "\"what\":\"index 7 \\\"past\\\" the end\",\"request_id\":"
                     "\"rid-of-the-server-0001\",\"route\":\"/boom/{kind}\","),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("\"type\":\"int\",\"what\":\"\""), std::string::npos) << err;
  EXPECT_TRUE(ServesNormally());
}

TEST_F(ServerTest, PathParameterKeepsSlashes) {
  Start();
  std::string res = RawClient::Get(port_, "/path/a/b.css");
  EXPECT_EQ(RawClient::Body(res), "a/b.css");
}

TEST_F(ServerTest, IdleConnectionsThatNeverFinishHeadersDoNotBlockOthers) {
  ServerOptions o;
  o.read_timeout = 1500ms;
  o.max_connections_per_address = 0;  // every test client is 127.0.0.1; see PerAddressCap below
  Start(o);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 1000; ++i) {
    auto c = std::make_unique<RawClient>(port_);
    if (!c->connected()) break;
    c->Send("GET /hello HTTP/1.1\r\nHost: x\r\n");  // never finishes its headers
    idle.push_back(std::move(c));
  }
  EXPECT_GE(idle.size(), 900u);
  EXPECT_TRUE(ServesNormally());
  // The read timeout closes them.
  EXPECT_TRUE(idle.front()->ClosedByPeer(10000ms));
  EXPECT_TRUE(idle.back()->ClosedByPeer(10000ms));
  for (int i = 0; i < 200 && server_->Stats().open_connections > 5; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_LE(server_->Stats().open_connections, 5);
}

TEST_F(ServerTest, OverConnectionLimitAnswers503WithRetryAfter) {
  ServerOptions o;
  o.max_connections = 4;
  Start(o);
  // Busy connections (in the middle of a request), so that none can be shed to make room.
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawClient>(port_));
    held.back()->Send("GET /hello HTTP/1.1\r\nHost: x\r\n");
  }
  std::this_thread::sleep_for(100ms);
  RawClient extra(port_);
  std::string res = extra.ReadResponse();
  EXPECT_EQ(RawClient::Status(res), 503);
  EXPECT_EQ(RawClient::Header(res, "retry-after"), "1");
  held.clear();
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(ServesNormally());
}

// The finding: one host holding every connection slot starved everyone else (55% of other
// clients' requests got 503). Now one address holds at most max_connections_per_address.
TEST_F(ServerTest, PerAddressCapKeepsOneHostFromTakingEverySlot) {
  ServerOptions o;
  o.max_connections = 16;
  o.max_connections_per_address = 3;
  Start(o);
  std::vector<std::unique_ptr<RawClient>> hog;
  for (int i = 0; i < 3; ++i) {
    hog.push_back(std::make_unique<RawClient>(port_, "127.0.0.2"));
    ASSERT_TRUE(hog.back()->connected());
    hog.back()->Send("GET /hello HTTP/1.1\r\nHost: x\r\n");  // busy, never finished
  }
  std::this_thread::sleep_for(100ms);
  RawClient fourth(port_, "127.0.0.2");
  std::string refused = fourth.ReadResponse();
  EXPECT_EQ(RawClient::Status(refused), 503);
  EXPECT_EQ(RawClient::Header(refused, "retry-after"), "1");
  // Another host is served as usual.
  RawClient other(port_, "127.0.0.3");
  other.Send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(RawClient::Status(other.ReadResponse()), 200);
}

TEST_F(ServerTest, TrustedProxiesAreNotCappedPerAddress) {
  ServerOptions o;
  o.max_connections_per_address = 2;
  o.uncapped = TrustedProxies::Loopback();  // 127.0.0.1: the proxy in front
  Start(o);
  std::vector<std::unique_ptr<RawClient>> held;
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<RawClient>(port_));
    held.back()->Send("GET /hello HTTP/1.1\r\nHost: x\r\n");
  }
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(ServesNormally());
}

// Under pressure the connection idle the longest makes room for a newcomer, rather than the
// newcomer getting 503.
TEST_F(ServerTest, OldestIdleConnectionIsShedWhenFull) {
  ServerOptions o;
  o.max_connections = 3;
  o.max_connections_per_address = 0;
  Start(o);
  std::vector<std::unique_ptr<RawClient>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawClient>(port_, "127.0.0.2"));
    // One request each, then the connection waits for the next (keep-alive idle).
    idle.back()->Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(RawClient::Status(idle.back()->ReadResponse()), 200);
    std::this_thread::sleep_for(20ms);
  }
  RawClient newcomer(port_, "127.0.0.3");
  newcomer.Send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(RawClient::Status(newcomer.ReadResponse()), 200);
  EXPECT_TRUE(idle.front()->ClosedByPeer(2000ms));  // the oldest idle one went
  EXPECT_EQ(server_->Stats().shed_idle, 1u);
  // The younger idle connections are still served.
  idle.back()->Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(RawClient::Status(idle.back()->ReadResponse()), 200);
}

// RFC 9112 6.3: a Transfer-Encoding whose final coding is not chunked cannot frame a request.
// "chunked, identity" used to be framed by Content-Length, a request-smuggling shape.
TEST_F(ServerTest, OnlyPlainChunkedTransferEncodingIsAccepted) {
  Start();
  const std::string body = "5\r\nhello\r\n0\r\n\r\n";
  for (const char* te : {"chunked, identity", "identity", "gzip, chunked", "chunked, chunked",
                         "chunked\r\nTransfer-Encoding: identity"}) {
    std::string res = RawClient::Exchange(
        port_, std::string("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + te +
                   "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    EXPECT_EQ(RawClient::Status(res), 400) << te;
  }
  // Both framings at once are refused too.
  std::string both = RawClient::Exchange(
      port_, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n" + body);
  EXPECT_EQ(RawClient::Status(both), 400);
  // Plain chunked still works, in any letter case.
  std::string ok = RawClient::Exchange(
      port_, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n" + body);
  EXPECT_EQ(RawClient::Status(ok), 200);
  EXPECT_EQ(RawClient::Body(ok), "hello");
  EXPECT_TRUE(ServesNormally());
}

// Deferred work runs only once the client has the whole answer: its duration cannot be timed.
TEST_F(ServerTest, AfterWorkRunsOnceTheResponseIsWritten) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> ran{0};
  router_.Get("/deferred", [&ran, released](Request&) {
    Response r = Response::Text(200, "answered");
    r.after = [&ran, released] {
      released.wait();
      ++ran;
    };
    return r;
  });
  Start();
  RawClient c(port_);
  c.Send("GET /deferred HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string res = c.ReadResponse();  // arrives while the deferred work is still waiting
  EXPECT_EQ(RawClient::Body(res), "answered");
  EXPECT_EQ(ran, 0);
  release.set_value();
  c.Send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");  // the same connection carries on
  EXPECT_EQ(RawClient::Body(c.ReadResponse()), "hello");
  EXPECT_EQ(ran, 1);
}

TEST_F(ServerTest, StopFinishesInFlightRequests) {
  Start();
  std::string res;
  std::thread client([&] { res = RawClient::Get(port_, "/slow"); });
  while (slow_started_ == 0) std::this_thread::sleep_for(5ms);
  server_->Stop();
  client.join();
  thread_.join();
  EXPECT_EQ(RawClient::Status(res), 200);
  EXPECT_EQ(RawClient::Body(res), "slow done");
  // No longer accepting.
  RawClient after(port_);
  EXPECT_FALSE(after.connected() && RawClient::Status(after.ReadResponse(300ms)) == 200);
}

TEST_F(ServerTest, OffloadedSlowRequestsDoNotHoldTheIoThread) {
  ServerOptions o;
  o.threads = 1;
  o.offload_threads = 2;
  // The post blocks until the test lets it go: if it held the only I/O thread, the GET below
  // could not be answered (the client gives up after its read timeout).
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  router_.Post("/slow-post", [this, released](Request&) {
    ++slow_started_;
    released.wait();
    return Response::Text(200, "posted");
  });
  Start(o);
  server_->SetOffload([](const Request& r) { return r.method == Method::kPost; });
  std::string posted;
  std::thread slow([&] {
    RawClient c(port_);
    c.Send("POST /slow-post HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    posted = c.ReadResponse(std::chrono::seconds(30));
  });
  while (slow_started_ == 0) std::this_thread::sleep_for(2ms);
  EXPECT_TRUE(ServesNormally());  // answered while the post is still waiting on the pool
  release.set_value();
  slow.join();
  EXPECT_EQ(RawClient::Body(posted), "posted");
}

TEST(ServerListen, PortInUseIsAClearError) {
  Server a({.address = "127.0.0.1", .port = 0}, [](Request&) { return Response::Text(200, ""); });
  ASSERT_TRUE(a.Listen().ok());
  ServerOptions o;
  o.port = a.port();
  Server b(o, [](Request&) { return Response::Text(200, ""); });
  Status s = b.Listen();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(s.error().detail.find("cannot listen on 127.0.0.1:"), std::string::npos);
}

}  // namespace
}  // namespace baladiya::http
