// Schema migrations: see migrate.h.
#include "platform/db/migrate.h"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <string>

namespace baladiya::db {
namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " number BIGINT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// The section a marker line opens ("sqlite", "postgresql", "all"), or empty when the line is
// not a marker.
std::string_view MarkerSection(std::string_view line) {
  line = Trim(line);
  if (line.substr(0, 2) != "--") return {};
  line = Trim(line.substr(2));
  if (line == "@sqlite") return "sqlite";
  if (line == "@postgresql") return "postgresql";
  if (line == "@all") return "all";
  return {};
}

Error Invalid(std::string detail) {
  return MakeError(ErrorCode::kInvalid, "error.invalid", std::move(detail));
}

// Migrations sorted by number; kInvalid on a repeated or non-positive number.
Result<std::vector<const Migration*>> Ordered(const std::vector<Migration>& migrations) {
  std::vector<const Migration*> sorted;
  for (const Migration& m : migrations) sorted.push_back(&m);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Migration* a, const Migration* b) { return a->number < b->number; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i]->number <= 0) {
      return Invalid("migration " + sorted[i]->name + " has number " +
                     std::to_string(sorted[i]->number) + "; numbers start at 1");
    }
    if (i > 0 && sorted[i]->number == sorted[i - 1]->number) {
      return Invalid("migrations " + sorted[i - 1]->name + " and " + sorted[i]->name +
                     " share number " + std::to_string(sorted[i]->number));
    }
  }
  return sorted;
}

struct Applied {
  std::string name;
  std::string checksum;
};

Result<std::map<int64_t, Applied>> LoadApplied(Database& db) {
  std::map<int64_t, Applied> applied;
  Status s = db.Write([&](Tx& tx) -> Status {
    // Created only when missing: a server connecting as an application role that may not
    // create tables (PostgreSQL refuses even CREATE TABLE IF NOT EXISTS then) reads it as is.
    Result<Rows> exists =
        db.Engine() == "sqlite"
            ? tx.Query(
                  "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                  "name = 'schema_migrations'",
                  {})
            : tx.Query("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL", {});
    if (!exists) return Error(exists.error());
    if (exists->empty()) {
      if (Status c = tx.ExecScript(kCreateTable); !c) return c;
    }
    Result<Rows> rows = tx.Query("SELECT number, name, checksum FROM schema_migrations", {});
    if (!rows) return Error(rows.error());
    for (const Row& row : *rows) applied[row.Int(0)] = Applied{row.Text(1), row.Text(2)};
    return Ok();
  });
  if (!s) return Error(s.error());
  return applied;
}

Error Changed(const Migration& m, const Applied& was, const std::string& now) {
  return MakeError(ErrorCode::kConflict, "migration.changed",
                   "migration " + std::to_string(m.number) + " (" + m.name +
                       ") changed after it was applied (applied as " + was.name + ", checksum " +
                       was.checksum.substr(0, 12) + "..., now " + now.substr(0, 12) +
                       "...); add a new migration instead of editing it");
}

// Applies one migration and records it in the same transaction. Sets *skipped when another
// process recorded it meanwhile.
Status ApplyOne(Database& db, const Migration& m, const std::string& checksum, bool* skipped) {
  std::string sql = SqlForEngine(m.sql, db.Engine());
  Status s = db.Write([&](Tx& tx) -> Status {
    Result<Rows> again =
        tx.Query("SELECT checksum FROM schema_migrations WHERE number = ?", {int64_t{m.number}});
    if (!again) return Error(again.error());
    if (!again->empty()) {
      *skipped = true;
      std::string recorded = (*again)[0].Text(0);
      return recorded == checksum ? Ok() : Status(Changed(m, Applied{m.name, recorded}, checksum));
    }
    if (Status run = tx.ExecScript(sql); !run) return run;
    Result<int64_t> rec = tx.Exec(
        "INSERT INTO schema_migrations (number, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
        {int64_t{m.number}, m.name, checksum, NowMillis()});
    return rec ? Ok() : Status(rec.error());
  });
  if (!s && s.error().message_key != "migration.changed") {
    Error e = s.error();
    e.detail = "migration " + std::to_string(m.number) + " (" + m.name + ") failed: " + e.detail;
    return e;
  }
  return s;
}

Result<MigrationReport> MigrateAll(Database& db, const std::vector<Migration>& migrations) {
  Result<std::vector<const Migration*>> ordered = Ordered(migrations);
  if (!ordered) return Error(ordered.error());
  Result<std::map<int64_t, Applied>> applied = LoadApplied(db);
  if (!applied) return Error(applied.error());
  MigrationReport report;
  for (const Migration* m : *ordered) {
    std::string checksum = Sha256Hex(m->sql);
    if (auto it = applied->find(m->number); it != applied->end()) {
      if (it->second.checksum != checksum) return Changed(*m, it->second, checksum);
      ++report.already_applied;
      continue;
    }
    bool skipped = false;
    if (Status s = ApplyOne(db, *m, checksum, &skipped); !s) return Error(s.error());
    if (skipped) {
      ++report.already_applied;
    } else {
      report.applied.push_back(m->name);
    }
  }
  return report;
}

}  // namespace

namespace {

// Spellings that differ between the engines, written once in migrations as ${NAME}.
struct TypeWord {
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgresql;
};
constexpr TypeWord kTypeWords[] = {
    {"${ID}", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"${BLOB}", "BLOB", "BYTEA"},
};

void ReplaceTypeWords(std::string& sql, std::string_view engine) {
  for (const auto& w : kTypeWords) {
    std::string_view to = engine == "postgresql" ? w.postgresql : w.sqlite;
    for (size_t p = sql.find(w.name); p != std::string::npos; p = sql.find(w.name, p + to.size())) {
      sql.replace(p, w.name.size(), to);
    }
  }
}

}  // namespace

std::string SqlForEngine(const std::string& sql, std::string_view engine) {
  std::string out;
  out.reserve(sql.size());
  std::string_view section = "all";
  std::string_view rest = sql;
  while (!rest.empty()) {
    size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol == std::string_view::npos ? rest.size() : eol + 1);
    rest.remove_prefix(line.size());
    if (std::string_view marker = MarkerSection(line); !marker.empty()) {
      section = marker;
      out += '\n';  // keeps line numbers of engine messages meaningful
    } else if (section == "all" || section == engine) {
      out.append(line);
    } else {
      out += '\n';
    }
  }
  ReplaceTypeWords(out, engine);
  return out;
}

std::vector<Migration> MigrationsOf(std::initializer_list<std::vector<Migration> (*)()> modules) {
  std::vector<Migration> all;
  for (auto* of : modules) {
    for (auto& m : of()) all.push_back(std::move(m));
  }
  return all;
}

Result<MigrationReport> Migrate(Database& db, const std::vector<Migration>& migrations) {
  try {
    return MigrateAll(db, migrations);
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     std::string("exception while migrating: ") + e.what());
  }
}

std::vector<Migration> MigrationsFrom(std::span<const EmbeddedFile> files) {
  std::vector<Migration> out;
  for (const auto& f : files) {
    std::string_view name = f.name.substr(f.name.rfind('/') + 1);
    name = name.substr(0, name.rfind(".sql"));
    out.push_back(
        {std::stoi(std::string(name.substr(0, 4))), std::string(name), std::string(f.data)});
  }
  return out;
}

}  // namespace baladiya::db
