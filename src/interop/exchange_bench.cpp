// Not a test: the cost of signing and of verifying one transfer between municipalities (RFC 9421
// Ed25519 signature over "@method" "@path" "content-digest", RFC 9530 sha-256 digest of the body),
// and of signing and verifying its answer. Prints p50, p99 and the mean of N rounds.
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "interop/exchange.h"
#include "interop/peers.h"
#include "platform/crypto/http_signature.h"

namespace {

using namespace baladiya;
namespace httpsig = crypto::httpsig;
using Clock = std::chrono::steady_clock;

void Report(const char* what, std::vector<double>& us) {
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  std::printf("%-44s p50 %7.1f us  p99 %7.1f us  mean %7.1f us\n", what, us[us.size() / 2],
              us[us.size() * 99 / 100], sum / us.size());
}

std::vector<double> Time(int n, const std::function<void()>& f) {
  std::vector<double> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    f();
    out.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  const int n = argc > 1 ? std::atoi(argv[1]) : 5000;
  crypto::Key32 seed{};
  seed[0] = 1;
  const crypto::SigningKey key = interop::MunicipalityKey(seed, 1);
  const std::string keyid = interop::KeyId("hebron", key.public_key);
  interop::CaseDocument doc;
  doc.tracking = "HEB-26-000123-7";
  doc.service = "street-light-report";
  doc.lang = "ar";
  doc.answers =
      R"({"location":["31.5326,35.0998"],"problem":["not_working"],"description":["الشارع مظلم منذ ليلتين قرب دوار ابن رشد"]})";
  for (int i = 0; i < 6; ++i) {
    doc.history.push_back({1773565200000 + i, "transition", "submitted", "in_review", "review",
                           "ملاحظة الموظف عن الطلب رقم " + std::to_string(i)});
  }
  const std::string body = interop::TransferJson("t-1", "hebron", "nablus", doc);
  const std::string path = "/api/v1/peer/nablus/transfers";
  std::printf("transfer body: %zu bytes; %d rounds\n", body.size(), n);

  httpsig::Signed sig;
  std::string digest;
  int nonce = 0;
  auto sign = Time(n, [&] {
    digest = httpsig::ContentDigest(body);
    sig = httpsig::Sign({{"@method", "POST"}, {"@path", path}, {"content-digest", digest}}, keyid,
                        key, 1773565200, "n-" + std::to_string(++nonce));
  });
  Report("sign a transfer (digest + signature)", sign);
  bool all = true;
  auto verify = Time(n, [&] {
    auto s = httpsig::Parse(sig.signature_input, sig.signature, "interop.peer");
    bool ok = s.ok() && httpsig::DigestMatches(digest, body);
    if (ok) {
      auto base = httpsig::Base(
          *s,
          [&](std::string_view c) -> std::optional<std::string> {
            if (c == "@method") return std::string("POST");
            if (c == "@path") return path;
            if (c == "content-digest") return digest;
            return std::nullopt;
          },
          "interop.peer");
      ok = base.ok() && httpsig::Verify(*s, *base, key.public_key);
    }
    all = all && ok;
  });
  Report("verify a transfer (parse, digest, signature)", verify);
  const std::string answer = R"({"status":"accepted","tracking":"NAB-26-000045-2"})";
  auto sign_answer = Time(n, [&] {
    const std::string d = httpsig::ContentDigest(answer);
    sig = httpsig::Sign({{"@status", "201"}, {"content-digest", d}}, keyid, key, 1773565200,
                        "a-" + std::to_string(++nonce));
  });
  Report("sign an answer", sign_answer);
  if (!all) {
    std::fprintf(stderr, "a signature did not verify\n");
    return 1;
  }
  return 0;
}
