// The audit module as the program is built from it (platform/module/module.h): the log and its
// keyring, the public checkpoint and proof API, the checkpoint writer, `baladiya audit verify`.
#include "platform/module/module.h"

#include <charconv>
#include <chrono>
#include <fstream>

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
  AuditLog& log = ctx.parts.Own(std::make_unique<AuditLog>(ctx.db, keyring));
  // A witness outside the database keeps every checkpoint (audit-witness; none when empty).
  if (ctx.settings.Has("audit-witness") && !ctx.settings.Text("audit-witness").empty()) {
    log.AddWitness(
        std::make_shared<FileWitness>(ctx.settings.Text("audit-witness"), keyring.PublicKey(0)));
  }
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
  // RFC 9162 consistency proof between two tree sizes (both at most the latest checkpoint's).
  ctx.web->router.Get("/api/v1/audit/consistency", [&log, &cat](Request& r) {
    int64_t sizes[2] = {-1, -1};
    const char* names[2] = {"first", "second"};
    for (int i = 0; i < 2; ++i) {
      std::string_view text = r.query.Get(names[i]).value_or("");
      auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), sizes[i]);
      if (text.empty() || ec != std::errc() || p != text.data() + text.size() || sizes[i] < 0) {
        return render::ApiError(cat, r, 400, "bad_request", "api.bad_tree_sizes");
      }
    }
    auto proof = log.Consistency(sizes[0], sizes[1]);
    if (!proof.ok()) {
      switch (proof.error().code) {
        case ErrorCode::kInvalid:
          return render::ApiError(cat, r, 400, "bad_request", "api.bad_tree_sizes");
        case ErrorCode::kNotFound:
          return render::ApiError(cat, r, 404, "not_found", "api.no_consistency");
        default:
          return render::ApiError(cat, r, proof.error());
      }
    }
    return Response::Json(200, ConsistencyJson(*proof));
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

// baladiya audit verify [--witness FILE]: the log against its own checkpoints and against those
// a witness kept elsewhere (the file given, and the audit-witness setting's).
int Verify(module::Context& ctx, const std::vector<std::string>& args) {
  const Keyring& keyring = ctx.parts.Get<Keyring>();
  std::vector<std::string> files;
  for (size_t i = 1; i < args.size(); i += 2) {
    if (args[i] != "--witness" || i + 1 >= args.size()) {
      return module::Fail("usage: baladiya audit verify [--witness FILE]");
    }
    if (!std::ifstream(args[i + 1])) {
      return module::Fail("cannot read the witness file " + args[i + 1]);
    }
    files.push_back(args[i + 1]);
  }
  // The configured witness may not exist yet (no checkpoint so far): it then holds nothing.
  if (ctx.settings.Has("audit-witness") && !ctx.settings.Text("audit-witness").empty()) {
    files.push_back(ctx.settings.Text("audit-witness"));
  }
  std::vector<Checkpoint> witnessed;
  for (const auto& f : files) {
    auto held = FileWitness(f, keyring.PublicKey(0)).All();
    if (!held.ok()) return module::Fail(held.error());
    witnessed.insert(witnessed.end(), held->begin(), held->end());
  }
  auto start = std::chrono::steady_clock::now();
  auto report = audit::Verify(ctx.db, keyring, witnessed);
  if (!report.ok()) return module::Fail(report.error());
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!report->ok) {
    std::printf("audit log NOT intact: first bad entry %lld: %s\n",
                static_cast<long long>(report->first_bad_index), report->problem.c_str());
    return 2;
  }
  std::printf(
      "audit log intact: %lld entries, %lld checkpoints and %lld witnessed checkpoints verified "
      "in %.2f s\n",
      static_cast<long long>(report->entries), static_cast<long long>(report->checkpoints),
      static_cast<long long>(report->witnessed), seconds);
  if (files.empty()) {
    std::printf(
        "no witness checked: entries cut away after the last checkpoint cannot be seen from the "
        "database alone (use --witness FILE)\n");
  }
  return 0;
}

// baladiya audit verify ... | audit app-role-sql ROLE [SCHEMA]
int AuditCommand(module::Context& ctx, const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "app-role-sql" && (args.size() == 2 || args.size() == 3)) {
    std::string sql = PostgresAppRoleSql(args[1], args.size() == 3 ? args[2] : "public");
    if (sql.empty()) return module::Fail("role and schema must be plain names ([a-z_][a-z0-9_]*)");
    std::printf("%s", sql.c_str());
    return 0;
  }
  if (args.empty() || args[0] != "verify") {
    return module::Fail(
        "usage: baladiya audit verify [--witness FILE] | audit app-role-sql ROLE [SCHEMA]");
  }
  return Verify(ctx, args);
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
                 "  audit verify [--witness FILE]\n"
                 "                           check the whole audit log against its signed "
                 "checkpoints\n"
                 "                           and those a witness kept (FILE, and the "
                 "audit-witness setting's)\n"
                 "  audit app-role-sql ROLE [SCHEMA]\n"
                 "                           print the PostgreSQL grants that make ROLE an "
                 "application role\n"
                 "                           that cannot cut back or rewrite the audit log\n",
                 AuditCommand}};
  return m;
}

}  // namespace baladiya::audit
