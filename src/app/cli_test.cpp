// Runs the real baladiya binary for the faults a user meets at start-up, and for its commands;
// what the commands stored is read back through the modules' public headers, on a host opened on
// the same files afterwards.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/config.h"
#include "app/modules.h"
#include "audit/audit.h"
#include "audit/testing.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "documents/documents.h"
#include "platform/module/host.h"

namespace baladiya::app {
namespace {

struct Outcome {
  int code;
  std::string output;
};

// A folder of this test process's own, so that concurrent runs never share files.
std::filesystem::path TempDir(const std::string& name) {
  return std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
}

// Runs the binary; a command that should exit but serves instead is stopped after 180 s (the
// demo seed takes seconds alone, and much longer on a machine busy with the browser tests).
Outcome Execute(const std::string& args) {
  std::string cmd = "timeout 180 " + std::string(BALADIYA_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// The program as the commands left it, opened on the same database and key file.
std::unique_ptr<module::Host> OpenProgram(const std::filesystem::path& dir) {
  Config c;
  c.database = (dir / "b.db").string();
  c.key_file = (dir / "keys").string();
  c.hash_threads = 1;
  auto host = module::Host::Open(Modules(), HostOptionsFor(c));
  EXPECT_TRUE(host.ok()) << host.error().detail;
  return host.ok() ? std::move(*host) : nullptr;
}

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(Cli, VersionAndHelp) {
  EXPECT_EQ(Execute("version").output, "baladiya 0.1.0\n");
  Outcome help = Execute("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.output.find("seed --demo"), std::string::npos);
  EXPECT_NE(help.output.find("BALADIYA_DATABASE"), std::string::npos);
}

TEST(Cli, ServeRefusesAnUnwritableDatabaseFolderWithOneClearLine) {
  // A regular file where a folder is expected cannot be written through, even by root.
  auto dir = TempDir("baladiya-cli-test");
  std::filesystem::create_directories(dir);
  auto blocker = dir / "not-a-folder";
  {
    FILE* f = fopen(blocker.c_str(), "w");
    fclose(f);
  }
  Outcome r = Execute("serve --port 0 --database " + (blocker / "x.db").string());
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(Lines(r.output), 1) << r.output;
  EXPECT_NE(r.output.find("x.db"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

TEST(Cli, ServeRefusesAnUnreachablePostgresWithOneClearLine) {
  Outcome r = Execute("serve --port 0 --database postgresql://app:pw@127.0.0.1:1/baladiya");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(Lines(r.output), 1) << r.output;
  EXPECT_NE(r.output.find("127.0.0.1:1"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("pw"), std::string::npos) << "password leaked: " << r.output;
}

TEST(Cli, BadSettingsAndCommandsFail) {
  EXPECT_NE(Execute("serve --port nope").code, 0);
  EXPECT_NE(Execute("frobnicate").code, 0);
  EXPECT_NE(Execute("seed").code, 0);
  Outcome pc = Execute("serve --print-config --database postgresql://u:topsecret@h/db");
  EXPECT_EQ(pc.code, 0);
  EXPECT_EQ(pc.output.find("topsecret"), std::string::npos);
  EXPECT_NE(pc.output.find("u:****@h/db"), std::string::npos);
}

TEST(Cli, ServeRefusesABadTileUrlTemplateWithOneClearLine) {
  Outcome r = Execute("serve --port 0 --map-tiles-url 'https://tiles.example.ps/{z}/{x}.png'");
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(Lines(r.output), 1) << r.output;
  EXPECT_NE(r.output.find("map-tiles-url"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("{z}, {x} and {y} exactly once"), std::string::npos) << r.output;
}

TEST(Cli, MigrateAndSeedAreIdempotent) {
  auto dir = TempDir("baladiya-cli-seed");
  std::filesystem::remove_all(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  Outcome m1 = Execute("migrate " + db);
  ASSERT_EQ(m1.code, 0) << m1.output;
  EXPECT_NE(m1.output.find("applied migration 0001_tenancy"), std::string::npos) << m1.output;
  Outcome m2 = Execute("migrate " + db);
  EXPECT_NE(m2.output.find("0 migration(s) applied"), std::string::npos) << m2.output;
  Outcome s1 = Execute("seed --demo " + db);
  Outcome s2 = Execute("seed --demo " + db);
  ASSERT_EQ(s1.code, 0) << s1.output;
  ASSERT_EQ(s2.code, 0) << s2.output;
  {
    auto program = OpenProgram(dir);
    ASSERT_TRUE(program);
    catalog::TenancyStore& tenancy = program->parts().Get<catalog::TenancyStore>();
    auto municipalities = tenancy.ListMunicipalities();
    ASSERT_TRUE(municipalities.ok());
    size_t departments = 0;
    for (const auto& m : *municipalities) departments += tenancy.Departments(m.id)->size();
    EXPECT_EQ(municipalities->size(), 3u);
    EXPECT_EQ(departments, 15u);
  }
  // The seed's staff accounts were audited; the log verifies, and stops verifying once a row
  // is edited behind the application's back (as an attacker with the database file would: no
  // public interface may do it).
  Outcome intact = Execute("audit verify " + db);
  EXPECT_EQ(intact.code, 0) << intact.output;
  EXPECT_NE(intact.output.find("audit log intact"), std::string::npos) << intact.output;
  std::string tamper = "sqlite3 " + (dir / "b.db").string() +
                       " \"DROP TRIGGER audit_entries_no_update;"
                       " UPDATE audit_entries SET action = 'account.nothing' WHERE idx = 3;\"";
  ASSERT_EQ(std::system(tamper.c_str()), 0);
  Outcome broken = Execute("audit verify " + db);
  EXPECT_EQ(broken.code, 2) << broken.output;
  EXPECT_NE(broken.output.find("first bad entry 3"), std::string::npos) << broken.output;
  std::filesystem::remove_all(dir);
}

// A back-up of a seeded database restores in another folder (another machine's) as a database
// the program serves, whose audit log verifies with the key file kept apart; bad requests fail
// with one line and change nothing.
TEST(Cli, BackupAndRestore) {
  auto dir = TempDir("baladiya-cli-backup");
  std::filesystem::remove_all(dir);
  const std::string keys = " --key-file " + (dir / "keys").string();
  const std::string db = "--database " + (dir / "b.db").string() + keys;
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  const std::string copy = (dir / "copy.db").string();
  Outcome b = Execute("backup " + copy + " " + db);
  ASSERT_EQ(b.code, 0) << b.output;
  EXPECT_NE(b.output.find("backed up"), std::string::npos) << b.output;
  Outcome again = Execute("backup " + copy + " " + db);
  EXPECT_EQ(again.code, 1) << again.output;
  EXPECT_EQ(Lines(again.output), 1) << again.output;
  EXPECT_NE(again.output.find("never overwrites"), std::string::npos) << again.output;

  const std::string fresh = "--database " + (dir / "elsewhere" / "b.db").string() + keys;
  Outcome r = Execute("restore " + copy + " " + fresh);
  ASSERT_EQ(r.code, 0) << r.output;
  Outcome verified = Execute("audit verify " + fresh);
  EXPECT_EQ(verified.code, 0) << verified.output;
  EXPECT_NE(verified.output.find("audit log intact"), std::string::npos) << verified.output;
  Outcome over = Execute("restore " + copy + " " + fresh);
  EXPECT_EQ(over.code, 1) << over.output;
  EXPECT_NE(over.output.find("--replace"), std::string::npos) << over.output;
  EXPECT_EQ(Execute("restore " + copy + " --replace " + fresh).code, 0);
  Outcome none = Execute("restore " + db);
  EXPECT_EQ(none.code, 1) << none.output;
  Outcome pg = Execute("backup x.db --database postgresql://app@127.0.0.1:1/baladiya");
  EXPECT_EQ(pg.code, 1) << pg.output;
  EXPECT_NE(pg.output.find("pg_dump"), std::string::npos) << pg.output;
  std::filesystem::remove_all(dir);
}

TEST(Cli, XroadGrantsAreGrantedListedAndRevoked) {
  auto dir = TempDir("baladiya-cli-xroad");
  std::filesystem::remove_all(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  // The demo grants the ministry's e-services subsystem both services.
  Outcome listed = Execute("xroad list --municipality hebron " + db);
  EXPECT_NE(listed.output.find("PS/GOV/MOLG/e-services\tclearance"), std::string::npos)
      << listed.output;
  for (const std::string& bad :
       {std::string("xroad grant --municipality hebron --client PS/GOV/MOI --service clearance"),
        std::string("xroad grant --municipality hebron --client PS/GOV/MOI/x --service payroll"),
        std::string("xroad grant --municipality nowhere --client PS/GOV/MOI/x --service clearance"),
        std::string("xroad revoke --municipality hebron --client PS/GOV/MOI/x --service clearance"),
        std::string("xroad grant --municipality hebron"), std::string("xroad")}) {
    Outcome r = Execute(bad + " " + db);
    EXPECT_NE(r.code, 0) << bad;
    EXPECT_EQ(Lines(r.output), 1) << bad << ": " << r.output;
  }
  Outcome granted = Execute(
      "xroad grant --municipality hebron --client PS/GOV/MOI/civil-registry --service "
      "case-status " +
      db);
  EXPECT_EQ(granted.code, 0) << granted.output;
  EXPECT_NE(Execute("xroad list --municipality hebron " + db)
                .output.find("PS/GOV/MOI/civil-registry\tcase-status"),
            std::string::npos);
  EXPECT_EQ(
      Execute("xroad list --municipality nablus " + db).output.find("PS/GOV/MOI/civil-registry"),
      std::string::npos);
  Outcome revoked = Execute(
      "xroad revoke --municipality hebron --client PS/GOV/MOI/civil-registry --service "
      "case-status " +
      db);
  EXPECT_EQ(revoked.code, 0) << revoked.output;
  EXPECT_EQ(
      Execute("xroad list --municipality hebron " + db).output.find("PS/GOV/MOI/civil-registry"),
      std::string::npos);
  EXPECT_EQ(Execute("audit verify " + db).code, 0);
  std::filesystem::remove_all(dir);
}

TEST(Cli, Open311KeysAreIssuedListedAndRevoked) {
  auto dir = TempDir("baladiya-cli-open311");
  std::filesystem::remove_all(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  ASSERT_EQ(Execute("migrate " + db).code, 0);
  // Bad input stores nothing and says what is wrong in one line.
  for (const std::string& bad :
       {std::string("open311-key add --municipality hebron --label x"),  // not seeded yet
        std::string("open311-key add --municipality hebron"), std::string("open311-key"),
        std::string("open311-key remove --municipality hebron"),
        std::string("open311-key revoke --municipality hebron --id two")}) {
    Outcome r = Execute(bad + " " + db);
    EXPECT_NE(r.code, 0) << bad;
    EXPECT_EQ(Lines(r.output), 1) << bad << ": " << r.output;
  }
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  Outcome added = Execute("open311-key add --municipality hebron --label \"FixMyStreet\" " + db);
  ASSERT_EQ(added.code, 0) << added.output;
  const std::string key = added.output.substr(added.output.rfind("o311_"), 48);
  EXPECT_EQ(key.size(), 48u) << added.output;
  EXPECT_NE(added.output.find("filing as open311-"), std::string::npos) << added.output;
  Outcome listed = Execute("open311-key list --municipality hebron " + db);
  EXPECT_NE(listed.output.find("1\tFixMyStreet\t"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("live"), std::string::npos) << listed.output;
  EXPECT_EQ(listed.output.find(key), std::string::npos) << "the key is shown only once";
  EXPECT_NE(listed.output.find("notes on its own reports"), std::string::npos) << listed.output;
  EXPECT_EQ(Execute("open311-key add --municipality hebron --label u --days 731 " + db).code, 1);
  EXPECT_EQ(Execute("open311-key add --municipality hebron --label u --notes some " + db).code, 1);
  Outcome partner =
      Execute("open311-key add --municipality hebron --label Utility --days 30 --notes all " + db);
  ASSERT_EQ(partner.code, 0) << partner.output;
  EXPECT_NE(Execute("open311-key list --municipality hebron " + db).output.find("notes on every"),
            std::string::npos);
  EXPECT_EQ(Execute("open311-key revoke --municipality nablus --id 1 " + db).code, 1)
      << "another municipality's key";
  Outcome revoked = Execute("open311-key revoke --municipality hebron --id 1 " + db);
  EXPECT_EQ(revoked.code, 0) << revoked.output;
  EXPECT_NE(Execute("open311-key list --municipality hebron " + db).output.find("revoked"),
            std::string::npos);
  EXPECT_EQ(Execute("audit verify " + db).code, 0);
  std::filesystem::remove_all(dir);
}

// `baladiya document verify` checks a code offline against a key set saved from
// `baladiya document keys` (or /.well-known/baladiya/document-keys.json); a rotated key keeps
// verifying what it signed.
TEST(Cli, DocumentCodesAreVerifiedOfflineFromASavedKeySet) {
  auto dir = TempDir("baladiya-cli-documents");
  std::filesystem::remove_all(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  Outcome keys = Execute("document keys " + db);
  ASSERT_EQ(keys.code, 0) << keys.output;
  const std::string keyset = (dir / "keyset.json").string();
  {
    std::ofstream out(keyset);
    out << keys.output;
  }
  // A code signed with Hebron's key, as an issued document's is.
  std::string code;
  {
    auto host = OpenProgram(dir);
    ASSERT_NE(host, nullptr);
    auto& store = host->parts().Get<documents::KeyStore>();
    auto hebron = host->parts().Get<catalog::TenancyStore>().FindMunicipality("hebron");
    ASSERT_TRUE(hebron.ok());
    auto key = store.Current(hebron->id, "hebron", 0);
    ASSERT_TRUE(key.ok());
    documents::Claims c;
    c.issuer = "hebron";
    c.number = "HEBD-26-000001-9";
    c.kind = "certificate";
    c.holder = "سلمى";
    c.issued_at = 1'773'565'200;
    c.expires_at = 4'102'444'800;  // 2100
    code = documents::EncodeCode(c, key->first);
  }
  Outcome valid = Execute("document verify --keys " + keyset + " '" + code + "' " + db);
  EXPECT_EQ(valid.code, 0) << valid.output;
  EXPECT_EQ(valid.output.rfind("valid\nnumber\tHEBD-26-000001-9\nissuer\thebron\n", 0), 0u)
      << valid.output;
  std::string altered = code;
  altered[30] = altered[30] == 'A' ? 'B' : 'A';
  Outcome bad = Execute("document verify --keys " + keyset + " '" + altered + "' " + db);
  EXPECT_EQ(bad.code, 1);
  EXPECT_TRUE(bad.output == "malformed\n" || bad.output == "bad_signature\n") << bad.output;
  Outcome rotated = Execute("document rotate-key --municipality hebron " + db);
  ASSERT_EQ(rotated.code, 0) << rotated.output;
  EXPECT_NE(rotated.output.find("generation 2"), std::string::npos) << rotated.output;
  const std::string newer = (dir / "keyset2.json").string();
  {
    std::ofstream out(newer);
    out << Execute("document keys " + db).output;
  }
  EXPECT_EQ(Execute("document verify --keys " + newer + " '" + code + "' " + db).code, 0)
      << "the retired key still verifies what it signed";
  Outcome unknown =
      Execute("document verify --keys " + keyset + " 'BL1:" + code.substr(4, 20) + "' " + db);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_EQ(Execute("document verify --keys " + (dir / "none.json").string() + " x " + db).code, 1);
  EXPECT_EQ(Lines(Execute("document verify " + db).output), 1);
  std::filesystem::remove_all(dir);
}

TEST(Cli, BoundariesAreSetFromGeoJsonCheckedAndShown) {
  auto dir = TempDir("baladiya-cli-boundary");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = (dir / name).string();
    FILE* f = fopen(path.c_str(), "w");
    fputs(text.c_str(), f);
    fclose(f);
    return path;
  };
  const std::string good =
      write("ramallah.geojson",
            R"({"type":"Feature","properties":{"name_ar":"رام الله","name_en":"Ramallah"},)"
            R"("geometry":{"type":"Polygon","coordinates":[[[35.17,31.88],[35.23,31.88],)"
            R"([35.23,31.93],[35.17,31.93],[35.17,31.88]]]}})");
  // Bad input says what is wrong in one line and stores nothing.
  struct Bad {
    std::string args, says;
  } bad[] = {
      {"boundary set ramallah " + write("open.json",
                                        R"({"type":"Polygon","coordinates":[[[35,31],[36,31],)"
                                        R"([36,32],[35,32]]]})"),
       "closed"},
      {"boundary set ramallah " + write("short.json",
                                        R"({"type":"Polygon","coordinates":[[[35,31],[36,31],)"
                                        R"([35,31]]]})"),
       "at least 4"},
      {"boundary set ramallah " + write("range.json",
                                        R"({"type":"Polygon","coordinates":[[[35,95],[36,31],)"
                                        R"([36,32],[35,95]]]})"),
       "out of range"},
      {"boundary set ramallah " + write("point.json", R"({"type":"Point","coordinates":[35,31]})"),
       "Polygon or a MultiPolygon"},
      {"boundary set ramallah " + (dir / "missing.json").string(), "cannot read"},
      {"boundary set gaza " + good, "no municipality"},
      {"boundary set ramallah", "usage"},
      {"boundary show gaza", "no municipality"},
  };
  const std::string before = Execute("boundary show ramallah " + db).output;
  for (const Bad& b : bad) {
    Outcome r = Execute(b.args + " " + db);
    EXPECT_NE(r.code, 0) << b.args;
    EXPECT_EQ(Lines(r.output), 1) << b.args << ": " << r.output;
    EXPECT_NE(r.output.find(b.says), std::string::npos) << b.args << ": " << r.output;
  }
  EXPECT_EQ(Execute("boundary show ramallah " + db).output, before);
  Outcome set = Execute("boundary set ramallah " + good + " " + db);
  ASSERT_EQ(set.code, 0) << set.output;
  EXPECT_NE(set.output.find("boundary of ramallah set: 1 polygon(s), 5 point(s)"),
            std::string::npos)
      << set.output;
  Outcome shown = Execute("boundary show ramallah " + db);
  EXPECT_EQ(shown.code, 0);
  EXPECT_EQ(shown.output,
            "{\"type\":\"Polygon\",\"coordinates\":[[[35.17,31.88],[35.23,31.88],[35.23,31.93],"
            "[35.17,31.93],[35.17,31.88]]]}\n");
  {
    auto program = OpenProgram(dir);
    ASSERT_TRUE(program);
    EXPECT_EQ(audit::testing::Count(program->parts().Get<audit::AuditLog>(), "boundary.set"), 1);
    auto ramallah = program->parts().Get<catalog::TenancyStore>().FindMunicipality("ramallah");
    ASSERT_TRUE(ramallah.ok());
    auto boundary = program->parts().Get<catalog::BoundaryStore>().Get(ramallah->id);
    ASSERT_TRUE(boundary.ok());
    EXPECT_EQ(boundary->area.en, "Ramallah");
  }
  EXPECT_EQ(Execute("audit verify " + db).code, 0);
  std::filesystem::remove_all(dir);
}

// The documented deployment (TLS terminated by a proxy on this machine) without trusting that
// proxy would give every client one address: the server refuses to start (issue 12).
TEST(HardeningCli, ServeRefusesALoopbackProxyItDoesNotTrust) {
  auto dir = TempDir("baladiya-proxy-test");
  Outcome r = Execute("serve --port 0 --address 127.0.0.1 --hsts true --database " +
                      (dir / "x.db").string() + " --key-file " + (dir / "keys").string());
  EXPECT_EQ(r.code, 1) << r.output;
  EXPECT_NE(r.output.find("trusted-proxies"), std::string::npos) << r.output;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baladiya::app

namespace baladiya::app {
namespace {

TEST(Cli, AMunicipalityIsAddedFromTheCommandLineAndAudited) {
  auto dir = TempDir("baladiya-cli-municipality");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::string db =
      "--database " + (dir / "b.db").string() + " --key-file " + (dir / "keys").string();
  ASSERT_EQ(Execute("seed --demo " + db).code, 0);
  // Bad input says what is wrong in one line and stores nothing.
  for (const std::string& args :
       {std::string("municipality add --slug Jenin! --name-ar جنين --name-en Jenin"),
        std::string("municipality add --slug hebron --name-ar الخليل --name-en Hebron"),
        std::string("municipality add --slug jenin --name-en Jenin"),
        std::string("municipality add --slug jenin --colour red"), std::string("municipality")}) {
    Outcome o = Execute(args + " " + db);
    EXPECT_NE(o.code, 0) << args;
    EXPECT_EQ(Lines(o.output), 1) << args << ": " << o.output;
  }
  Outcome ok = Execute(
      "municipality add --slug jenin --name-ar 'بلدية جنين' --name-en 'Jenin Municipality' "
      "--governorate-en 'Jenin Governorate' " +
      db);
  ASSERT_EQ(ok.code, 0) << ok.output;
  EXPECT_NE(ok.output.find("/m/jenin"), std::string::npos);
  auto host = OpenProgram(dir);
  ASSERT_TRUE(host);
  auto m = host->parts().Get<catalog::TenancyStore>().FindMunicipality("jenin");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->name.ar, "بلدية جنين");
  EXPECT_EQ(m->governorate.en, "Jenin Governorate");
  EXPECT_EQ(host->parts().Get<catalog::TenancyStore>().ListMunicipalities()->size(), 4u);
  audit::AuditLog::Filter f;
  f.action_prefix = "municipality.added";
  auto entries = host->parts().Get<audit::AuditLog>().List(f);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].actor, "system");
  EXPECT_EQ((*entries)[0].object, "municipality:jenin");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baladiya::app
