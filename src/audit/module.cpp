// The audit module as the program is built from it (platform/module/module.h): the log and its
// keyring, the public checkpoint and proof API, the checkpoint writer, `baladiya audit verify`.
#include "platform/module/module.h"

#include <charconv>
#include <chrono>

#include "audit/audit.h"
#include "platform/render/errors.h"
#include "platform/render/page.h"

std::span<const baladiya::EmbeddedFile> AuditMessageFiles();
std::span<const baladiya::EmbeddedFile> AuditOpenApiFiles();

namespace baladiya::audit {

namespace {

using http::Request;
using http::Response;

Status Open(module::Context& ctx) {
  Keyring& keyring = ctx.parts.Own(std::make_unique<Keyring>(ctx.keys.signing_seed));
  ctx.parts.Own(std::make_unique<AuditLog>(ctx.db, keyring));
  return Ok();
}

// The log's public API: GET /api/v1/audit/checkpoint (the latest signed checkpoint) and
// GET /api/v1/audit/proof?index=N (an inclusion proof). Neither holds personal data, so they are
// served to everyone (audit sits below identity and its access rules).
Status Routes(module::Context& ctx) {
  AuditLog& log = ctx.parts.Get<AuditLog>();
  const Keyring& keyring = ctx.parts.Get<Keyring>();
  const i18n::Catalog& cat = *ctx.site.catalog;
  ctx.web->router.Get("/api/v1/audit/checkpoint", [&log, &keyring, &cat](Request& r) {
    auto c = log.LatestCheckpoint();
    if (!c.ok()) {
      if (c.error().code != ErrorCode::kNotFound) return render::ApiError(cat, r, c.error());
      return render::ApiError(cat, r, 404, "not_found", "api.no_checkpoint");
    }
    return Response::Json(200, CheckpointJson(*c, keyring.PublicKey(c->key_id)));
  });
  ctx.web->router.Get("/api/v1/audit/proof", [&log, &cat](Request& r) {
    std::string_view text = r.query.Get("index").value_or("");
    int64_t index = -1;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size() || index < 0) {
      return render::ApiError(cat, r, 400, "bad_request", "api.bad_index");
    }
    auto proof = log.Proof(index);
    if (!proof.ok()) {
      if (proof.error().code != ErrorCode::kNotFound) {
        return render::ApiError(cat, r, proof.error());
      }
      return render::ApiError(cat, r, 404, "not_found", "api.no_proof");
    }
    return Response::Json(200, ProofJson(*proof));
  });
  return Ok();
}

// A signed checkpoint every checkpoint-seconds, and a last one when the program stops.
Result<std::vector<std::unique_ptr<module::Worker>>> Workers(module::Context& ctx) {
  AuditLog& log = ctx.parts.Get<AuditLog>();
  auto now = ctx.now_ms;
  auto write = [&log, now] {
    if (auto c = log.WriteCheckpoint(now()); !c.ok() && c.error().code != ErrorCode::kNotFound) {
      std::fprintf(stderr, "baladiya: audit checkpoint failed: %s\n", c.error().detail.c_str());
    }
  };
  std::vector<std::unique_ptr<module::Worker>> out;
  out.push_back(module::Every("audit checkpoint",
                              std::chrono::seconds(ctx.settings.Int("checkpoint-seconds")), write,
                              write));
  return out;
}

int VerifyCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] != "verify") return module::Fail("usage: baladiya audit verify");
  auto start = std::chrono::steady_clock::now();
  auto report = Verify(ctx.db, ctx.parts.Get<Keyring>());
  if (!report.ok()) return module::Fail(report.error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report->ok) {
    std::printf("audit log NOT intact: first bad entry %lld: %s\n",
                static_cast<long long>(report->first_bad_index), report->problem.c_str());
    return 2;
  }
  std::printf("audit log intact: %lld entries, %lld checkpoints verified in %.2f s\n",
              static_cast<long long>(report->entries), static_cast<long long>(report->checkpoints),
              seconds);
  return 0;
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "audit";
  m.migrations = Migrations;
  m.messages = AuditMessageFiles;
  m.openapi = AuditOpenApiFiles;
  m.open = Open;
  m.routes = Routes;
  m.workers = Workers;
  m.commands = {{"audit",
                 "  audit verify             check the whole audit log against its signed "
                 "checkpoints\n",
                 VerifyCommand}};
  return m;
}

}  // namespace baladiya::audit
