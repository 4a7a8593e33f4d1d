#include <gtest/gtest.h>

#include "platform/db/internal.h"

namespace baladiya::db::internal {
namespace {

struct Case {
  const char* in;
  const char* out;
  int placeholders;
};

TEST(RewritePlaceholders, Table) {
  const Case cases[] = {
      {"SELECT 1", "SELECT 1", 0},
      {"SELECT ?", "SELECT $1", 1},
      {"INSERT INTO t VALUES (?, ?, ?)", "INSERT INTO t VALUES ($1, $2, $3)", 3},
      {"SELECT '?' , ?", "SELECT '?' , $1", 1},
      {"SELECT 'it''s ?', ?", "SELECT 'it''s ?', $1", 1},
      {"SELECT E'a\\'?', ?", "SELECT E'a\\'?', $1", 1},
      {"SELECT 'a\\', ?", "SELECT 'a\\', $1", 1},  // standard strings: backslash is literal
      {"SELECT \"we?ird\" FROM t WHERE x = ?", "SELECT \"we?ird\" FROM t WHERE x = $1", 1},
      {"SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2", 2},
      {"SELECT /* a? /* b? */ c? */ ?", "SELECT /* a? /* b? */ c? */ $1", 1},
      {"SELECT $$ ? $$, ?", "SELECT $$ ? $$, $1", 1},
      {"SELECT $tag$ ? $x$ ? $tag$, ?", "SELECT $tag$ ? $x$ ? $tag$, $1", 1},
      {"SELECT a$b, ?", "SELECT a$b, $1", 1},
      {"SELECT 'بلدية?' , ?", "SELECT 'بلدية?' , $1", 1},
      {"SELECT 'unterminated ?", "SELECT 'unterminated ?", 0},
      {"SELECT 1 - -?", "SELECT 1 - -$1", 1},
      {"SELECT ?-- c", "SELECT $1-- c", 1},
      {"", "", 0},
  };
  for (const Case& c : cases) {
    RewrittenSql r = RewritePlaceholders(c.in);
    EXPECT_EQ(r.sql, c.out) << c.in;
    EXPECT_EQ(r.placeholders, c.placeholders) << c.in;
  }
}

TEST(RewritePlaceholders, ManyPlaceholders) {
  std::string sql;
  for (int i = 0; i < 12; ++i) sql += i ? ",?" : "?";
  RewrittenSql r = RewritePlaceholders(sql);
  EXPECT_EQ(r.placeholders, 12);
  EXPECT_EQ(r.sql, "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12");
}

}  // namespace
}  // namespace baladiya::db::internal
