// Languages the platform speaks and the message catalogues that hold every user-facing string.
// Arabic first: Lang::kAr is the default everywhere a language is not chosen.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/result.h"

namespace baladiya::i18n {

enum class Lang { kAr, kEn };

std::string_view LangCode(Lang lang);  // "ar" / "en"
std::string_view Dir(Lang lang);       // "rtl" / "ltr"
// Between the items of a list written in a sentence: the Arabic comma "، " / ", ".
std::string_view ListSeparator(Lang lang);
// Accepts "ar", "en", and tags such as "ar-PS" or "EN-gb"; anything else is nullopt.
std::optional<Lang> ParseLang(std::string_view tag);
// Picks Arabic or English from an Accept-Language header by q-value; fallback when neither.
Lang NegotiateLang(std::string_view accept_language, Lang fallback = Lang::kAr);

// Message catalogue: flat or nested JSON objects of strings; nested keys join with '.'
// ({"error": {"not_found": "..."}} -> "error.not_found"). Thread-safe after Load.
class Catalog {
 public:
  // Fails with kInvalid when either text is not a JSON object of strings (detail names the key).
  static Result<Catalog> Load(std::string_view ar_json, std::string_view en_json);

  // One fragment of the catalogue: a module's messages in both languages.
  struct Fragment {
    std::string name;  // the module, for error details
    std::string_view ar_json;
    std::string_view en_json;
  };
  // The catalogue made of several fragments. kInvalid when a fragment is malformed (as Load), or
  // when two fragments hold the same key (the detail names the key and both fragments).
  static Result<Catalog> LoadFragments(const std::vector<Fragment>& fragments);

  // The message, or the key itself when missing (so a gap shows, never crashes). The reference
  // stays valid as long as the catalogue (or a copy of it) lives: missing keys are interned, at
  // most 4096 distinct ones, after which a fixed "[missing message]" is returned.
  const std::string& Get(Lang lang, std::string_view key) const;
  bool Has(Lang lang, std::string_view key) const;
  // Get() with "{name}" placeholders replaced by the given values (values are not escaped:
  // templates escape on output).
  std::string Format(Lang lang, std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> args) const;
  // All keys of one language, sorted.
  std::vector<std::string> Keys(Lang lang) const;
  // Keys present in one language and not the other, prefixed with the language that has them
  // ("ar:x" means x is in Arabic only), sorted, Arabic first; empty when the key sets are equal.
  std::vector<std::string> Differences() const;

 private:
  // Interned keys returned by Get() on a miss; shared by copies, guarded by its mutex.
  struct MissingKeys {
    std::mutex mu;
    std::set<std::string, std::less<>> keys;
  };

  std::map<std::string, std::string, std::less<>> ar_;
  std::map<std::string, std::string, std::less<>> en_;
  std::shared_ptr<MissingKeys> missing_ = std::make_shared<MissingKeys>();
};

}  // namespace baladiya::i18n
