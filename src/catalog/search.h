// Catalogue search by hand rules (docs/DEVELOPING.md, "Catalogue search"): on top of
// i18n::NormalizeForSearch (vowel marks, alef hamza forms, ta marbuta/ha, alef maqsura/ya, digits,
// case) it folds the hamza seats (ئ ؤ to ء, so "برائة" finds "براءة") and strips the article and
// the one-letter prefixes (ال، و، ب، ل، ف، ك and their combinations: وال، بال، لل...), so that
// "براءة الذمة" and "للمياه" find "براءة ذمة" and "مياه". A municipality's synonyms (ماء → مياه)
// widen a query word to other words. No stemmer library: see the docs for why.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/result.h"

namespace baladiya::catalog {

// One word of the query and the words that also count for it, as the admin typed them.
struct Synonym {
  std::string term;
  std::vector<std::string> alternatives;
};

// The search key of one word: normalised, hamza seats folded, article and prefixes stripped
// while at least three letters remain.
std::string SearchStem(std::string_view word);

// The search keys of a text's words, in order ("براءة الذمة" -> {"براءه", "ذمه"}).
std::vector<std::string> SearchStems(std::string_view text);

// The text's keys joined with spaces and framed by spaces (" براءه ذمه "), what a query key is
// looked for in.
std::string StemmedHaystack(std::string_view text);

// Whether every word of the query (or one of its synonyms) is found in the stemmed haystack;
// true for a query without words.
bool MatchesQuery(std::string_view stemmed_haystack, std::string_view query,
                  const std::vector<Synonym>& synonyms);

// How close a query is to a text, 0..1: for each query word the best letter-pair (bigram)
// overlap with a word of the text, averaged. Used to suggest services when nothing matched.
double Closeness(std::string_view stemmed_haystack, std::string_view query,
                 const std::vector<Synonym>& synonyms);

// The admin's synonym list, one term a line: "ماء: مياه، مياه الشرب" (the term, a colon, the
// alternatives separated by Arabic or Latin commas). Blank lines are skipped. An error
// ("catalog.synonyms.bad_line", detail: the line number) for a line without a term or without
// alternatives, a term given twice, or more than 200 lines or 20 alternatives.
Result<std::vector<Synonym>> ParseSynonyms(std::string_view text);
std::string FormatSynonyms(const std::vector<Synonym>& synonyms);

}  // namespace baladiya::catalog
