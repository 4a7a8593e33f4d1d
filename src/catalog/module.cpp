// The catalog module as the program is built from it (platform/module/module.h): the directory of
// municipalities and departments (which identity's guard and commands resolve slugs through),
// the service catalogue, municipal boundaries, `baladiya boundary` and the demo data.
#include "platform/module/module.h"

#include <fstream>
#include <map>
#include <sstream>

#include "audit/audit.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/municipalities.h"
#include "catalog/services.h"
#include "identity/access.h"

std::span<const baladiya::EmbeddedFile> CatalogMessageFiles();

namespace baladiya::catalog {

namespace {

Status Open(module::Context& ctx) {
  TenancyStore& tenancy = ctx.parts.Own(std::make_unique<TenancyStore>(ctx.db));
  ctx.parts.Own(std::make_unique<ServiceStore>(ctx.db, std::chrono::seconds(5), ctx.now_ms));
  ctx.parts.Own(std::make_unique<BoundaryStore>(ctx.db));
  identity::Directory& directory = ctx.parts.Get<identity::Directory>();
  directory.municipality_id = [&tenancy](std::string_view slug) -> Result<int64_t> {
    auto m = tenancy.FindMunicipality(slug);
    if (!m.ok()) return std::move(m).error();
    return m->id;
  };
  directory.department_id = [&tenancy](int64_t municipality,
                                       std::string_view slug) -> Result<int64_t> {
    auto deps = tenancy.Departments(municipality);
    if (!deps.ok()) return std::move(deps).error();
    for (const auto& d : *deps) {
      if (d.slug == slug) return d.id;
    }
    return MakeError(ErrorCode::kNotFound, "error.not_found", "no such department");
  };
  return Ok();
}

// baladiya boundary set SLUG FILE | show SLUG: a municipality's boundary (boundaries.h), set by
// the operator (audited as "system" from the command line).
int BoundaryCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage = "usage: baladiya boundary set SLUG FILE | boundary show SLUG";
  const bool set = args.size() == 3 && args[0] == "set";
  const bool show = args.size() == 2 && args[0] == "show";
  if (!set && !show) return module::Fail(kUsage);
  Boundary boundary;
  if (set) {
    std::ifstream in(args[2], std::ios::binary);
    if (!in) return module::Fail("cannot read " + args[2]);
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = ParseGeoJson(text.str());
    if (!parsed.ok()) return module::Fail(args[2] + ": " + parsed.error().detail);
    boundary = std::move(*parsed);
  }
  auto m = ctx.parts.Get<TenancyStore>().FindMunicipality(args[1]);
  if (!m.ok()) return module::Fail("no municipality '" + args[1] + "'");
  BoundaryStore& boundaries = ctx.parts.Get<BoundaryStore>();
  if (show) {
    auto b = boundaries.Get(m->id);
    if (!b.ok()) return module::Fail(m->slug + " has no boundary");
    std::printf("%s\n", ToGeoJson(*b).c_str());
    return 0;
  }
  audit::AuditLog& log = ctx.parts.Get<audit::AuditLog>();
  const int64_t now = ctx.now_ms();
  Status st = boundaries.Set(m->id, boundary, now, [&](db::Tx& tx) -> Status {
    audit::EntryInput e;
    e.time_ms = now;
    e.actor = "system";
    e.action = "boundary.set";
    e.object = "municipality:" + m->slug;
    e.municipality_id = m->id;
    e.request_id = "cli";
    e.details = "polygons=" + std::to_string(boundary.polygons.size());
    auto appended = log.Append(tx, e);
    if (!appended.ok()) return std::move(appended).error();
    return Ok();
  });
  if (!st.ok()) return module::Fail(st.error());
  size_t points = 0;
  for (const auto& p : boundary.polygons) {
    points += p.outer.size();
    for (const auto& h : p.holes) points += h.size();
  }
  std::printf("boundary of %s set: %zu polygon(s), %zu point(s)\n", m->slug.c_str(),
              boundary.polygons.size(), points);
  return 0;
}

// baladiya municipality add --slug SLUG --name-ar NAME --name-en NAME [--governorate-ar TEXT]
// [--governorate-en TEXT]: adds a municipality as the platform administrator's page does
// (municipalities.h; audited as "system" from the command line).
int MunicipalityCommand(module::Context& ctx, const std::vector<std::string>& args) {
  constexpr const char* kUsage =
      "usage: baladiya municipality add --slug SLUG --name-ar NAME --name-en NAME "
      "[--governorate-ar TEXT] [--governorate-en TEXT]";
  if (args.empty() || args[0] != "add" || args.size() % 2 == 0) return module::Fail(kUsage);
  std::map<std::string, std::string> opt;
  for (size_t i = 1; i + 1 < args.size(); i += 2) {
    if (!args[i].starts_with("--")) return module::Fail(kUsage);
    opt[args[i].substr(2)] = args[i + 1];
  }
  for (const auto& [key, value] : opt) {
    if (key != "slug" && key != "name-ar" && key != "name-en" && key != "governorate-ar" &&
        key != "governorate-en")
      return module::Fail("unknown option --" + key + "; " + kUsage);
  }
  NewMunicipality in;
  in.slug = opt["slug"];
  in.name = {opt["name-ar"], opt["name-en"]};
  in.governorate = {opt["governorate-ar"], opt["governorate-en"]};
  auto id = AddMunicipality(ctx.db, &ctx.parts.Get<audit::AuditLog>(), in, {"system", "cli"},
                            ctx.now_ms());
  if (!id.ok()) {
    std::string why = id.error().message_key;
    for (const auto& [field, key] : id.error().fields) why += "; " + field + ": " + key;
    return module::Fail("cannot add municipality: " + why);
  }
  std::printf("added municipality %s (/m/%s)\n", in.name.en.c_str(), in.slug.c_str());
  return 0;
}

Status SeedDemoData(module::Context& ctx) {
  auto report = SeedDemo(ctx.db, ctx.now_ms());
  if (!report.ok()) return std::move(report).error();
  std::printf(
      "demo data: %d municipalities, %d departments, %d services, %d boundaries (inserted or "
      "refreshed)\n",
      report->municipalities, report->departments, report->services, report->boundaries);
  return Ok();
}

}  // namespace

module::Module Module() {
  module::Module m;
  m.name = "catalog";
  m.migrations = Migrations;
  m.messages = CatalogMessageFiles;
  m.open = Open;
  m.seed_demo = SeedDemoData;
  m.commands = {{"boundary",
                 "  boundary set SLUG FILE   set a municipality's boundary from a GeoJSON file "
                 "(Polygon or\n"
                 "                           MultiPolygon, bare or as a Feature whose properties "
                 "name_ar and\n"
                 "                           name_en name the area); reports at points inside it "
                 "go there\n"
                 "  boundary show SLUG       print a municipality's boundary as GeoJSON\n",
                 BoundaryCommand},
                {"municipality",
                 "  municipality add --slug SLUG --name-ar NAME --name-en NAME\n"
                 "           [--governorate-ar TEXT] [--governorate-en TEXT]\n"
                 "                           add a municipality (audited); then give it a "
                 "municipal admin\n"
                 "                           with user add\n",
                 MunicipalityCommand}};
  return m;
}

}  // namespace baladiya::catalog
