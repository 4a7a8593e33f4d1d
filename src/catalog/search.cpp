// Catalogue search by hand rules: see search.h.
#include "catalog/search.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "platform/i18n/arabic.h"

namespace baladiya::catalog {
namespace {

constexpr size_t kMaxSynonymLines = 200;
constexpr size_t kMaxAlternatives = 20;

size_t Letters(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// Punctuation between words (ASCII and the Arabic comma, semicolon and question mark) becomes a
// space, so that "ذمة،" is the word "ذمة".
std::string SpaceOutPunctuation(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80 && !std::isalnum(b) && b != '-') {
      out += ' ';
    } else if (b == 0xD8 && i + 1 < text.size() &&
               (text[i + 1] == '\x8C' || text[i + 1] == '\x9B' || text[i + 1] == '\x9F')) {
      out += ' ';
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::vector<std::string> Words(std::string_view normalised) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : normalised) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// ئ (U+0626) and ؤ (U+0624) to ء (U+0621): D8 A6 / D8 A4 -> D8 A1.
std::string FoldHamzaSeats(std::string word) {
  for (size_t i = 0; i + 1 < word.size(); ++i) {
    if (word[i] == '\xD8' && (word[i + 1] == '\xA6' || word[i + 1] == '\xA4')) word[i + 1] = '\xA1';
  }
  return word;
}

// The prefixes, longest first, with the letters that must remain after each.
struct Prefix {
  std::string_view text;
  size_t keep;
};
constexpr Prefix kPrefixes[] = {
    {"وبال", 2}, {"وال", 2}, {"بال", 2}, {"فال", 2}, {"كال", 2}, {"ولل", 2}, {"لل", 2},
    {"ال", 2},   {"و", 3},   {"ب", 3},   {"ل", 3},   {"ف", 3},   {"ك", 3},
};

std::string StripPrefix(std::string word) {
  for (const auto& p : kPrefixes) {
    if (word.starts_with(p.text) && Letters(word) >= Letters(p.text) + p.keep) {
      return word.substr(p.text.size());
    }
  }
  return word;
}

std::string StemNormalised(const std::string& word) { return StripPrefix(FoldHamzaSeats(word)); }

std::vector<std::u32string> Bigrams(std::string_view word) {
  std::u32string cps;
  for (size_t i = 0; i < word.size();) {
    auto b = static_cast<unsigned char>(word[i]);
    size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    char32_t c = len == 1 ? b : (b & (0xFF >> (len + 1)));
    for (size_t k = 1; k < len && i + k < word.size(); ++k) c = (c << 6) | (word[i + k] & 0x3F);
    cps += c;
    i += len;
  }
  std::vector<std::u32string> out;
  if (cps.size() == 1) out.push_back(cps);
  for (size_t i = 0; i + 1 < cps.size(); ++i) out.push_back(cps.substr(i, 2));
  std::sort(out.begin(), out.end());
  return out;
}

double Dice(std::string_view a, std::string_view b) {
  auto x = Bigrams(a);
  auto y = Bigrams(b);
  if (x.empty() || y.empty()) return 0;
  std::vector<std::u32string> common;
  std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
  return 2.0 * static_cast<double>(common.size()) / static_cast<double>(x.size() + y.size());
}

// The query word's keys: its own and its synonyms' (each alternative may be several words).
std::vector<std::vector<std::string>> Alternatives(const std::string& key,
                                                   const std::vector<Synonym>& synonyms) {
  std::vector<std::vector<std::string>> out{{key}};
  for (const auto& s : synonyms) {
    if (SearchStem(s.term) != key) continue;
    for (const auto& a : s.alternatives) {
      auto stems = SearchStems(a);
      if (!stems.empty()) out.push_back(std::move(stems));
    }
  }
  return out;
}

}  // namespace

std::string SearchStem(std::string_view word) {
  auto words = Words(i18n::NormalizeForSearch(SpaceOutPunctuation(word)));
  return words.empty() ? std::string() : StemNormalised(words[0]);
}

std::vector<std::string> SearchStems(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& w : Words(i18n::NormalizeForSearch(SpaceOutPunctuation(text)))) {
    out.push_back(StemNormalised(w));
  }
  return out;
}

std::string StemmedHaystack(std::string_view text) {
  // The normalised text as it is (so that any part of a word still matches, as before) and then
  // the words' keys (matched from a word's start).
  std::string out = " " + i18n::NormalizeForSearch(SpaceOutPunctuation(text)) + " |";
  for (const auto& s : SearchStems(text)) out += " " + s;
  return out + " ";
}

bool MatchesQuery(std::string_view haystack, std::string_view query,
                  const std::vector<Synonym>& synonyms) {
  const auto raw = Words(i18n::NormalizeForSearch(SpaceOutPunctuation(query)));
  for (const auto& w : raw) {
    if (haystack.find(w) != std::string_view::npos) continue;
    bool found = false;
    for (const auto& alt : Alternatives(StemNormalised(w), synonyms)) {
      found = std::all_of(alt.begin(), alt.end(), [&](const std::string& k) {
        return haystack.find(" " + k) != std::string_view::npos;
      });
      if (found) break;
    }
    if (!found) return false;
  }
  return true;  // every word matched; an empty query matches everything
}

double Closeness(std::string_view haystack, std::string_view query,
                 const std::vector<Synonym>& synonyms) {
  const auto keys = SearchStems(query);
  if (keys.empty()) return 0;
  const auto bar = haystack.find('|');
  const auto words = Words(haystack.substr(bar == std::string_view::npos ? 0 : bar + 1));
  double total = 0;
  for (const auto& k : keys) {
    double best = 0;
    for (const auto& alt : Alternatives(k, synonyms)) {
      for (const auto& a : alt) {
        for (const auto& w : words) best = std::max(best, Dice(a, w));
      }
    }
    total += best;
  }
  return total / static_cast<double>(keys.size());
}

Result<std::vector<Synonym>> ParseSynonyms(std::string_view text) {
  std::vector<Synonym> out;
  std::set<std::string> seen;
  size_t line_no = 0;
  size_t start = 0;
  auto bad = [&](const char* why) {
    return MakeError(ErrorCode::kInvalid, "catalog.synonyms.bad_line",
                     std::to_string(line_no) + ": " + why);
  };
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      if (end == text.size()) break;
      continue;
    }
    if (out.size() >= kMaxSynonymLines) return bad("too many lines");
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) return bad("no colon");
    Synonym s;
    auto term = Words(i18n::NormalizeForSearch(SpaceOutPunctuation(line.substr(0, colon))));
    if (term.size() != 1) return bad("the term must be one word");
    s.term = std::string(line.substr(0, colon));
    s.term.erase(0, s.term.find_first_not_of(" \t"));
    s.term.erase(s.term.find_last_not_of(" \t\r") + 1);
    std::string rest(line.substr(colon + 1));
    for (size_t p; (p = rest.find("،")) != std::string::npos;) rest.replace(p, 2, ",");
    size_t from = 0;
    while (from <= rest.size()) {
      size_t comma = rest.find(',', from);
      if (comma == std::string::npos) comma = rest.size();
      std::string alt = rest.substr(from, comma - from);
      alt.erase(0, alt.find_first_not_of(" \t"));
      alt.erase(alt.find_last_not_of(" \t\r") + 1);
      if (!alt.empty()) s.alternatives.push_back(alt);
      from = comma + 1;
    }
    if (s.alternatives.empty()) return bad("no alternatives");
    if (s.alternatives.size() > kMaxAlternatives) return bad("too many alternatives");
    if (!seen.insert(SearchStem(s.term)).second) return bad("the term is given twice");
    out.push_back(std::move(s));
    if (end == text.size()) break;
  }
  return out;
}

std::string FormatSynonyms(const std::vector<Synonym>& synonyms) {
  std::string out;
  for (const auto& s : synonyms) {
    out += s.term + ": ";
    for (size_t i = 0; i < s.alternatives.size(); ++i) {
      if (i) out += "، ";
      out += s.alternatives[i];
    }
    out += "\n";
  }
  return out;
}

}  // namespace baladiya::catalog
