// A payment store on a throwaway SQLite database (the audit log's and payments' migrations, a
// fixed master key), made once per fuzz process; and the row counts the imports must leave alone
// when they refuse a file.
#pragma once

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "payments/payments.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"

namespace baladiya::payments::fuzzing {

struct Store {
  std::unique_ptr<db::Database> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<PaymentStore> payments;

  // SELECT COUNT(*) FROM table.
  int64_t Count(const char* table) {
    auto r = db->Query(std::string("SELECT COUNT(*) FROM ") + table);
    if (!r.ok()) std::abort();
    return (*r)[0].Int(0);
  }
};

inline Store& TheStore() {
  static Store s = [] {
    Store st;
    // A file of its own in the temporary folder (the engine keeps a writer and readers on one
    // database, which an in-memory one cannot share), removed when the process ends.
    static std::string dir = [] {
      std::string t = (std::filesystem::temp_directory_path() / "baladiya-fuzz-XXXXXX").string();
      if (!mkdtemp(t.data())) std::abort();
      return t;
    }();
    std::atexit([] { std::filesystem::remove_all(dir); });
    db::DatabaseOptions o;
    o.url = dir + "/payments.db";
    o.read_pool_size = 1;
    auto d = db::Open(o);
    if (!d.ok()) std::abort();
    st.db = std::move(*d);
    std::vector<db::Migration> all = audit::Migrations();
    for (auto& m : Migrations()) all.push_back(std::move(m));
    if (!db::Migrate(*st.db, all).ok()) std::abort();
    crypto::Key32 key{};
    key.fill(7);
    st.audit = std::make_unique<audit::AuditLog>(*st.db, audit::Keyring(key));
    st.payments = std::make_unique<PaymentStore>(*st.db, key, st.audit.get());
    return st;
  }();
  return s;
}

}  // namespace baladiya::payments::fuzzing
