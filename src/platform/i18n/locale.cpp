#include "platform/i18n/locale.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <system_error>

#include "platform/i18n/numbers.h"

namespace baladiya::i18n {
namespace {

constexpr size_t kMaxMissingKeys = 4096;
// Nesting limit for catalogue files; real catalogues use two or three levels.
constexpr size_t kMaxCatalogDepth = 16;

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && IsOws(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsOws(s.back())) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

// Parses an RFC 9110 qvalue ("0", "0.8", "1.000") into thousandths; nullopt when malformed.
std::optional<int> ParseQValue(std::string_view s) {
  if (s.empty() || (s[0] != '0' && s[0] != '1')) return std::nullopt;
  int whole = s[0] - '0';
  int thousandths = 0;
  if (s.size() > 1) {
    if (s[1] != '.' || s.size() > 5) return std::nullopt;
    int scale = 100;
    for (size_t i = 2; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      thousandths += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (whole == 1 && thousandths != 0) return std::nullopt;
  return whole * 1000 + thousandths;
}

using FlatMap = std::map<std::string, std::string, std::less<>>;

// Flattens a JSON object of strings into dotted keys. Returns an error detail, empty on success.
std::string Flatten(const boost::json::object& object, const std::string& prefix, size_t depth,
                    FlatMap& out) {
  if (depth > kMaxCatalogDepth) return "nesting deeper than 16 at '" + prefix + "'";
  for (const auto& entry : object) {
    std::string_view name(entry.key().data(), entry.key().size());
    std::string key = prefix.empty() ? std::string(name) : prefix + "." + std::string(name);
    if (name.empty()) return "empty key name under '" + prefix + "'";
    if (entry.value().is_string()) {
      const boost::json::string& text = entry.value().get_string();
      if (!out.emplace(key, std::string(text.data(), text.size())).second) {
        return "duplicate key '" + key + "'";
      }
    } else if (entry.value().is_object()) {
      std::string detail = Flatten(entry.value().get_object(), key, depth + 1, out);
      if (!detail.empty()) return detail;
    } else {
      return "value of '" + key + "' is not a string";
    }
  }
  return {};
}

Result<FlatMap> ParseCatalog(std::string_view json, std::string_view lang) {
  boost::json::parse_options options;
  options.max_depth = kMaxCatalogDepth + 2;
  std::error_code ec;
  // parse() reports syntax errors through ec; only allocation failure could throw, and the
  // try block keeps that from escaping.
  try {
    boost::json::value root = boost::json::parse(json, ec, {}, options);
    if (ec) {
      return MakeError(ErrorCode::kInvalid, "error.invalid",
                       std::string(lang) + ": invalid JSON: " + ec.message());
    }
    if (!root.is_object()) {
      return MakeError(ErrorCode::kInvalid, "error.invalid",
                       std::string(lang) + ": top level is not a JSON object");
    }
    FlatMap out;
    std::string detail = Flatten(root.get_object(), "", 0, out);
    if (!detail.empty()) {
      return MakeError(ErrorCode::kInvalid, "error.invalid", std::string(lang) + ": " + detail);
    }
    return out;
  } catch (const std::exception& e) {
    return MakeError(ErrorCode::kInternal, "error.internal",
                     std::string(lang) + ": loading catalogue failed: " + e.what());
  }
}

}  // namespace

std::string_view LangCode(Lang lang) { return lang == Lang::kEn ? "en" : "ar"; }

std::string_view Dir(Lang lang) { return lang == Lang::kEn ? "ltr" : "rtl"; }

std::string_view ListSeparator(Lang lang) { return lang == Lang::kEn ? ", " : "، "; }

std::optional<Lang> ParseLang(std::string_view tag) {
  // The primary subtag decides; the rest must be well-formed subtags of 1 to 8 letters/digits.
  size_t dash = tag.find('-');
  std::string_view primary = tag.substr(0, dash);
  std::optional<Lang> lang;
  if (EqualsIgnoreCase(primary, "ar")) {
    lang = Lang::kAr;
  } else if (EqualsIgnoreCase(primary, "en")) {
    lang = Lang::kEn;
  } else {
    return std::nullopt;
  }
  while (dash != std::string_view::npos) {
    size_t next = tag.find('-', dash + 1);
    std::string_view subtag = tag.substr(
        dash + 1, next == std::string_view::npos ? std::string_view::npos : next - dash - 1);
    if (subtag.empty() || subtag.size() > 8 ||
        !std::all_of(subtag.begin(), subtag.end(), IsAsciiAlnum)) {
      return std::nullopt;
    }
    dash = next;
  }
  return lang;
}

Lang NegotiateLang(std::string_view accept_language, Lang fallback) {
  // Best q (in thousandths, -1 = not mentioned) and the position of the range that gave it, for
  // Arabic, English and the "*" wildcard. Ranges with a malformed q-value are ignored.
  struct Pick {
    int q = -1;
    size_t position = 0;
  };
  Pick ar, en, any;
  size_t position = 0;
  std::string_view rest = accept_language;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    ++position;

    size_t semicolon = item.find(';');
    std::string_view range = TrimOws(item.substr(0, semicolon));
    int q = 1000;
    bool valid = !range.empty();
    while (valid && semicolon != std::string_view::npos) {
      size_t next = item.find(';', semicolon + 1);
      std::string_view param = TrimOws(item.substr(semicolon + 1, next == std::string_view::npos
                                                                      ? std::string_view::npos
                                                                      : next - semicolon - 1));
      semicolon = next;
      size_t eq = param.find('=');
      if (eq == std::string_view::npos) {
        valid = false;
        break;
      }
      if (EqualsIgnoreCase(TrimOws(param.substr(0, eq)), "q")) {
        std::optional<int> parsed = ParseQValue(TrimOws(param.substr(eq + 1)));
        if (!parsed) {
          valid = false;
          break;
        }
        q = *parsed;
      }
    }
    if (!valid) continue;

    Pick* pick = nullptr;
    if (range == "*") {
      pick = &any;
    } else if (std::optional<Lang> lang = ParseLang(range)) {
      pick = *lang == Lang::kAr ? &ar : &en;
    }
    if (pick != nullptr && q > pick->q) *pick = Pick{q, position};
  }

  // A language not named explicitly takes the wildcard's q.
  if (ar.q < 0) ar = any;
  if (en.q < 0) en = any;
  bool ar_ok = ar.q > 0;
  bool en_ok = en.q > 0;
  if (!ar_ok && !en_ok) {
    // Only refusals: honour an explicit "q=0" on the fallback if the other was not refused.
    const Pick& fallback_pick = fallback == Lang::kAr ? ar : en;
    const Pick& other_pick = fallback == Lang::kAr ? en : ar;
    if (fallback_pick.q == 0 && other_pick.q < 0) {
      return fallback == Lang::kAr ? Lang::kEn : Lang::kAr;
    }
    return fallback;
  }
  if (ar_ok != en_ok) return ar_ok ? Lang::kAr : Lang::kEn;
  if (ar.q != en.q) return ar.q > en.q ? Lang::kAr : Lang::kEn;
  if (ar.position != en.position) return ar.position < en.position ? Lang::kAr : Lang::kEn;
  return fallback;  // both from the same wildcard
}

Result<Catalog> Catalog::Load(std::string_view ar_json, std::string_view en_json) {
  Result<FlatMap> ar = ParseCatalog(ar_json, "ar");
  if (!ar.ok()) return std::move(ar).error();
  Result<FlatMap> en = ParseCatalog(en_json, "en");
  if (!en.ok()) return std::move(en).error();
  Catalog catalog;
  catalog.ar_ = std::move(ar).value();
  catalog.en_ = std::move(en).value();
  return catalog;
}

Result<Catalog> Catalog::LoadFragments(const std::vector<Fragment>& fragments) {
  Catalog catalog;
  std::map<std::string, std::string, std::less<>> owner;  // key -> fragment
  for (const Fragment& f : fragments) {
    Result<FlatMap> ar = ParseCatalog(f.ar_json, f.name + " ar");
    if (!ar.ok()) return std::move(ar).error();
    Result<FlatMap> en = ParseCatalog(f.en_json, f.name + " en");
    if (!en.ok()) return std::move(en).error();
    for (auto* side : {&*ar, &*en}) {
      for (const auto& [key, text] : *side) {
        auto [it, inserted] = owner.emplace(key, f.name);
        if (!inserted && it->second != f.name) {
          return MakeError(ErrorCode::kInvalid, "error.invalid",
                           "message key " + key + " is in the fragments of both " + it->second +
                               " and " + f.name);
        }
      }
    }
    catalog.ar_.merge(*ar);
    catalog.en_.merge(*en);
  }
  return catalog;
}

const std::string& Catalog::Get(Lang lang, std::string_view key) const {
  const FlatMap& messages = lang == Lang::kEn ? en_ : ar_;
  auto it = messages.find(key);
  if (it != messages.end()) return it->second;

  static const std::string kOverflow = "[missing message]";
  if (missing_ == nullptr) return kOverflow;  // a moved-from catalogue
  std::lock_guard<std::mutex> lock(missing_->mu);
  auto known = missing_->keys.find(key);
  if (known != missing_->keys.end()) return *known;
  if (missing_->keys.size() >= kMaxMissingKeys) return kOverflow;
  return *missing_->keys.emplace(key).first;
}

bool Catalog::Has(Lang lang, std::string_view key) const {
  const FlatMap& messages = lang == Lang::kEn ? en_ : ar_;
  return messages.find(key) != messages.end();
}

std::string Catalog::Format(
    Lang lang, std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> args) const {
  const std::string& text = Get(lang, key);
  if (IsMessagePattern(text)) {
    // Counts: ICU picks the noun's plural form for the language (Arabic has six).
    if (auto formatted = FormatMessagePattern(lang, text, {args.begin(), args.end()}))
      return *std::move(formatted);
  }
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open + 1);
    if (close == std::string::npos) break;
    std::string_view name(text.data() + open + 1, close - open - 1);
    // A nested '{' means the first brace is literal; restart from the inner one.
    if (size_t inner = name.find('{'); inner != std::string_view::npos) {
      out.append(text, i, open + 1 + inner - i);
      i = open + 1 + inner;
      continue;
    }
    out.append(text, i, open - i);
    const std::string* value = nullptr;
    for (const auto& [arg_name, arg_value] : args) {
      if (arg_name == name) {
        value = &arg_value;
        break;
      }
    }
    if (value != nullptr) {
      out += *value;
    } else {
      out.append(text, open, close - open + 1);  // unknown placeholder stays visible
    }
    i = close + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

std::vector<std::string> Catalog::Keys(Lang lang) const {
  const FlatMap& messages = lang == Lang::kEn ? en_ : ar_;
  std::vector<std::string> keys;
  keys.reserve(messages.size());
  for (const auto& [key, text] : messages) keys.push_back(key);
  return keys;
}

std::vector<std::string> Catalog::Differences() const {
  std::vector<std::string> out;
  for (const auto& [key, text] : ar_) {
    if (en_.find(key) == en_.end()) out.push_back("ar:" + key);
  }
  for (const auto& [key, text] : en_) {
    if (ar_.find(key) == ar_.end()) out.push_back("en:" + key);
  }
  return out;
}

}  // namespace baladiya::i18n
