// Rewrites portable `?` placeholders into PostgreSQL's $1, $2, ...
#include <cctype>
#include <string>
#include <string_view>

#include "platform/db/internal.h"

namespace baladiya::db::internal {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Each Skip* takes the index of the opening character and returns the index just past the
// construct (or sql.size() when it is unterminated).

size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslash_escapes) {
  for (size_t j = i + 1; j < sql.size(); ++j) {
    if (backslash_escapes && sql[j] == '\\') {
      ++j;
    } else if (sql[j] == quote) {
      if (j + 1 < sql.size() && sql[j + 1] == quote) {
        ++j;  // doubled quote inside the literal
      } else {
        return j + 1;
      }
    }
  }
  return sql.size();
}

size_t SkipLineComment(std::string_view sql, size_t i) {
  size_t end = sql.find('\n', i);
  return end == std::string_view::npos ? sql.size() : end + 1;
}

size_t SkipBlockComment(std::string_view sql, size_t i) {
  int depth = 0;
  for (size_t j = i; j + 1 < sql.size(); ++j) {
    if (sql[j] == '/' && sql[j + 1] == '*') {
      ++depth;
      ++j;
    } else if (sql[j] == '*' && sql[j + 1] == '/') {
      ++j;
      if (--depth == 0) return j + 1;
    }
  }
  return sql.size();
}

// Length of a dollar-quote opener ("$$" or "$tag$") at i, or 0 when there is none.
size_t DollarTagLength(std::string_view sql, size_t i) {
  if (i > 0 && IsIdentChar(sql[i - 1])) return 0;  // part of an identifier like a$b
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return 0;  // $1
  while (j < sql.size() && sql[j] != '$') {
    if (!IsIdentChar(sql[j])) return 0;
    ++j;
  }
  return j < sql.size() ? j - i + 1 : 0;
}

size_t SkipDollarQuoted(std::string_view sql, size_t i, size_t tag_length) {
  std::string_view tag = sql.substr(i, tag_length);
  size_t end = sql.find(tag, i + tag_length);
  return end == std::string_view::npos ? sql.size() : end + tag_length;
}

bool IsEscapeStringPrefix(std::string_view sql, size_t quote) {
  return quote > 0 && (sql[quote - 1] == 'E' || sql[quote - 1] == 'e') &&
         (quote < 2 || !IsIdentChar(sql[quote - 2]));
}

// Index just past the literal, identifier or comment starting at i; i when there is none.
size_t SkipNonCode(std::string_view sql, size_t i) {
  char c = sql[i];
  char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
  if (c == '\'') return SkipQuoted(sql, i, '\'', IsEscapeStringPrefix(sql, i));
  if (c == '"') return SkipQuoted(sql, i, '"', false);
  if (c == '-' && next == '-') return SkipLineComment(sql, i);
  if (c == '/' && next == '*') return SkipBlockComment(sql, i);
  if (c == '$') {
    if (size_t tag = DollarTagLength(sql, i); tag > 0) return SkipDollarQuoted(sql, i, tag);
  }
  return i;
}

}  // namespace

RewrittenSql RewritePlaceholders(std::string_view sql) {
  RewrittenSql out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    if (size_t end = SkipNonCode(sql, i); end != i) {
      out.sql.append(sql.substr(i, end - i));
      i = end;
    } else if (sql[i] == '?') {
      out.sql += '$';
      out.sql += std::to_string(++out.placeholders);
      ++i;
    } else {
      out.sql += sql[i++];
    }
  }
  return out;
}

}  // namespace baladiya::db::internal
