// Not a test: payments posted per second through the biller API (a signed bank on loopback, as
// many connections as threads) against raw inserts of the same rows into the same tables in the
// same run (the payment, its two ledger entries and the invoice's update, one transaction each,
// no signature, no HTTP, no audit entry). scripts/bench-payments.sh serves the program, loads
// the invoices and registers the bank, then runs this.
//
// usage: payments_bench PORT SEED_HEX REFERENCES_FILE AMOUNT_MINOR THREADS SCRATCH_DB
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "payments/biller.h"
#include "payments/payments.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"

namespace {

using baladiya::payments::SignRequest;
using Clock = std::chrono::steady_clock;

// One keep-alive connection to 127.0.0.1:port.
class Connection {
 public:
  explicit Connection(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~Connection() { ::close(fd_); }
  // Sends a request and returns the response's status (0 on a broken connection).
  int Exchange(const std::string& request) {
    if (!ok_) return 0;
    for (size_t sent = 0; sent < request.size();) {
      const ssize_t n = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return 0;
      sent += static_cast<size_t>(n);
    }
    std::string in;
    char buf[8192];
    size_t body_at = std::string::npos;
    size_t length = 0;
    for (;;) {
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return 0;
      in.append(buf, static_cast<size_t>(n));
      if (body_at == std::string::npos) {
        body_at = in.find("\r\n\r\n");
        if (body_at == std::string::npos) continue;
        body_at += 4;
        std::string head = in.substr(0, body_at);
        for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const size_t cl = head.find("content-length:");
        length = cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 15));
      }
      if (in.size() >= body_at + length) break;
    }
    return std::stoi(in.substr(9, 3));
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr,
                 "usage: payments_bench PORT SEED_HEX REFERENCES_FILE AMOUNT_MINOR THREADS "
                 "SCRATCH_DB\n");
    return 2;
  }
  if (sodium_init() < 0) return 1;
  const uint16_t port = static_cast<uint16_t>(std::stoi(argv[1]));
  auto seed = baladiya::crypto::FromHex(argv[2]);
  if (!seed.ok() || seed->size() != 32) return 2;
  std::array<uint8_t, 64> secret{};
  std::array<uint8_t, 32> public_key{};
  crypto_sign_seed_keypair(public_key.data(), secret.data(),
                           reinterpret_cast<const unsigned char*>(seed->data()));
  std::vector<std::string> refs;
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) refs.push_back(line);
  }
  const int64_t amount = std::stoll(argv[4]);
  const int threads = std::stoi(argv[5]);

  // 1. Through the biller API.
  std::atomic<size_t> next{0};
  std::atomic<int> posted{0};
  std::atomic<int> failed{0};
  const auto t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      Connection c(port);
      for (size_t i; (i = next.fetch_add(1)) < refs.size();) {
        const std::string body =
            "{\"reference\":\"" + refs[i] + "\",\"amount_minor\":" + std::to_string(amount) +
            ",\"currency\":\"ILS\",\"transaction_id\":\"B-" + std::to_string(i) + "\"}";
        const auto h =
            SignRequest("POST", "/api/v1/biller/payments", "", body, "bench", secret,
                        std::time(nullptr), "n-" + std::to_string(t) + "-" + std::to_string(i));
        const std::string req =
            "POST /api/v1/biller/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
            "application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\nContent-Digest: " + h.content_digest +
            "\r\nSignature-Input: " + h.signature_input + "\r\nSignature: " + h.signature +
            "\r\n\r\n" + body;
        (c.Exchange(req) == 201 ? posted : failed)++;
      }
    });
  }
  for (auto& th : pool) th.join();
  const double api_s = std::chrono::duration<double>(Clock::now() - t0).count();

  // 2. Raw inserts of the same rows, one transaction each, same engine and settings.
  baladiya::db::DatabaseOptions o;
  o.url = argv[6];
  auto db = baladiya::db::Open(o);
  if (!db.ok()) return 1;
  if (!baladiya::db::Migrate(**db, baladiya::payments::Migrations()).ok()) return 1;
  (void)(*db)->Write([&](baladiya::db::Tx& tx) -> baladiya::Status {
    for (size_t i = 0; i < refs.size(); ++i) {
      auto r = tx.Exec(
          "INSERT INTO payment_invoices (municipality_id, number, reference, currency, "
          "total_minor, status, created_at, due_at) VALUES (1, ?, ?, 'ILS', ?, 'open', 0, 0)",
          {"N-" + std::to_string(i), refs[i], amount});
      if (!r.ok()) return std::move(r).error();
    }
    return baladiya::Ok();
  });
  std::atomic<size_t> raw_next{0};
  std::atomic<int> raw_done{0};
  const auto t1 = Clock::now();
  pool.clear();
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = raw_next.fetch_add(1)) < refs.size();) {
        baladiya::Status s = (*db)->Write([&](baladiya::db::Tx& tx) -> baladiya::Status {
          const int64_t invoice = static_cast<int64_t>(i) + 1;
          auto u = tx.Exec(
              "UPDATE payment_invoices SET status = 'paid', paid_minor = ?, paid_at = 1 WHERE id "
              "= ? AND status = 'open'",
              {amount, invoice});
          if (!u.ok()) return std::move(u).error();
          auto p = tx.Query(
              "INSERT INTO payment_payments (municipality_id, invoice_id, receipt_number, "
              "channel, method, external_id, channel_key, amount_minor, currency, status, actor, "
              "created_at) VALUES (1, ?, ?, 'bank', 'bank', ?, ?, ?, 'ILS', 'posted', 'bank', 1) "
              "RETURNING id",
              {invoice, "R-" + std::to_string(i), "bench:B-" + std::to_string(i),
               "bank:bench:B-" + std::to_string(i), amount});
          if (!p.ok()) return std::move(p).error();
          for (const char* account : {"bank", "receivable"}) {
            const bool debit = std::string(account) == "bank";
            auto l = tx.Exec(
                "INSERT INTO payment_ledger (municipality_id, currency, kind, invoice_id, "
                "payment_id, account, debit_minor, credit_minor, at) VALUES (1, 'ILS', "
                "'payment', ?, ?, ?, ?, ?, 1)",
                {invoice, (*p)[0].Int(0), std::string(account), debit ? amount : int64_t{0},
                 debit ? int64_t{0} : amount});
            if (!l.ok()) return std::move(l).error();
          }
          return baladiya::Ok();
        });
        if (s.ok()) raw_done++;
      }
    });
  }
  for (auto& th : pool) th.join();
  const double raw_s = std::chrono::duration<double>(Clock::now() - t1).count();
  const double api_rate = posted / api_s;
  const double raw_rate = raw_done / raw_s;
  std::printf("biller API: %d payments posted (%d refused) in %.2f s: %.0f/s (%d connections)\n",
              posted.load(), failed.load(), api_s, api_rate, threads);
  std::printf("raw inserts of the same rows: %d in %.2f s: %.0f/s\n", raw_done.load(), raw_s,
              raw_rate);
  std::printf("ratio: the API posts at %.0f%% of the raw inserts' rate\n",
              100.0 * api_rate / raw_rate);
  return posted == static_cast<int>(refs.size()) ? 0 : 1;
}
