// The form editor: a service's pages and their fields, each change one POST checked with the
// catalogue's own schema rules (catalog::ParseFormSchema) before it is saved; what they find is
// shown beside the input at fault.
#include <algorithm>
#include <cctype>
#include <map>

#include "editor/internal.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;

constexpr int kMaxOptionRows = 100;
// Blank rows shown for new choices; "save and add more choices" shows them again.
constexpr int kBlankOptionRows = 2;

constexpr catalog::FieldType kTypes[] = {
    catalog::FieldType::kText,         catalog::FieldType::kLongText,
    catalog::FieldType::kNumber,       catalog::FieldType::kDate,
    catalog::FieldType::kSingleChoice, catalog::FieldType::kMultipleChoice,
    catalog::FieldType::kYesNo,        catalog::FieldType::kNationalId,
    catalog::FieldType::kPhone,        catalog::FieldType::kEmail,
    catalog::FieldType::kLocation,     catalog::FieldType::kFile,
};

bool IsText(catalog::FieldType t) {
  return t == catalog::FieldType::kText || t == catalog::FieldType::kLongText;
}
bool IsChoice(catalog::FieldType t) {
  return t == catalog::FieldType::kSingleChoice || t == catalog::FieldType::kMultipleChoice;
}

// Where a field is: page and position, or nullopt.
struct Position {
  size_t page = 0;
  size_t index = 0;
};
std::optional<Position> Find(const catalog::FormSchema& form, std::string_view name) {
  for (size_t p = 0; p < form.pages.size(); ++p) {
    for (size_t i = 0; i < form.pages[p].fields.size(); ++i) {
      if (form.pages[p].fields[i].name == name) return Position{p, i};
    }
  }
  return std::nullopt;
}

// What a page of the form editor edits in the changed form, so that a problem there is linked to
// its input: a page's title, a field (with the option rows its options came from), or nothing
// (the overview).
struct Editing {
  std::optional<size_t> page;
  std::optional<Position> field;
  std::vector<int> rows;
};

// "ar" or "en" at path[i] ("ar" when the path does not say).
std::string Language(const Path& path, size_t i) { return NameAt(path, i) == "en" ? "en" : "ar"; }

// The input of the field page that a path within a field leads to (empty when none does).
// rows: the option row each option came from (none: the options in order).
std::string FieldInput(const Path& rest, const std::vector<int>& rows) {
  const std::string_view part = NameAt(rest, 0);
  if (part == "label" || part == "help") return std::string(part) + "_" + Language(rest, 1);
  if (part == "show_if") return NameAt(rest, 1) == "equals" ? "show_if_equals" : "show_if_field";
  if (part == "options") {
    const std::optional<size_t> k = IndexAt(rest, 1);
    const int row = !k ? 1 : *k < rows.size() ? rows[*k] : static_cast<int>(*k) + 1;
    const std::string n = std::to_string(row);
    return NameAt(rest, 2) == "label" ? "opt_" + Language(rest, 3) + "_" + n : "opt_value_" + n;
  }
  for (const char* input : {"name", "type", "required", "min_length", "max_length", "min", "max",
                            "max_files", "decimals"}) {
    if (part == input) return input;
  }
  return {};
}

// The fee rules that use a field.
bool InFee(const catalog::Service& s, std::string_view name) {
  return std::any_of(s.fee.rules.begin(), s.fee.rules.end(),
                     [&](const catalog::FeeRule& r) { return r.field == name; });
}

int Rows(const http::Params& v, const std::string& prefix) {
  int n = 0;
  while (n < kMaxOptionRows && v.Get(prefix + std::to_string(n + 1))) ++n;
  return n;
}

// A question's machine name made from its label, so that the admin need not type one: the
// English label's Latin letters and digits, else the Arabic label transliterated, else
// "question"; words joined by "_", at most 32 characters, starting with a letter, and made unique
// in the form with "_2", "_3", ... (catalog::ValidFieldName's rule: [a-z][a-z0-9_]{0,39}).
std::string GeneratedName(const catalog::Text& label, const catalog::FormSchema& form) {
  static const std::map<std::string, std::string, std::less<>> kArabic = {
      {"ا", "a"},  {"أ", "a"}, {"إ", "i"},  {"آ", "a"},  {"ء", ""},   {"ؤ", "w"},  {"ئ", "y"},
      {"ب", "b"},  {"ت", "t"}, {"ث", "th"}, {"ج", "j"},  {"ح", "h"},  {"خ", "kh"}, {"د", "d"},
      {"ذ", "dh"}, {"ر", "r"}, {"ز", "z"},  {"س", "s"},  {"ش", "sh"}, {"ص", "s"},  {"ض", "d"},
      {"ط", "t"},  {"ظ", "z"}, {"ع", "a"},  {"غ", "gh"}, {"ف", "f"},  {"ق", "q"},  {"ك", "k"},
      {"ل", "l"},  {"م", "m"}, {"ن", "n"},  {"ه", "h"},  {"ة", "a"},  {"و", "w"},  {"ي", "y"},
      {"ى", "a"},  {"٠", "0"}, {"١", "1"},  {"٢", "2"},  {"٣", "3"},  {"٤", "4"},  {"٥", "5"},
      {"٦", "6"},  {"٧", "7"}, {"٨", "8"},  {"٩", "9"}};
  auto slug = [](std::string_view text, bool arabic) {
    std::string out;
    bool gap = false;
    for (size_t i = 0; i < text.size();) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      std::string piece;
      size_t len = 1;
      if (c < 0x80) {
        if (std::isalnum(c)) piece = std::string(1, static_cast<char>(std::tolower(c)));
      } else {
        len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        // Arabic letters and digits by the table; vowel marks and other letters are dropped.
        if (arabic) {
          auto it = kArabic.find(text.substr(i, len));
          if (it != kArabic.end()) piece = it->second;
        }
      }
      if (piece.empty()) {
        if (c < 0x80) gap = true;  // spaces and punctuation separate words
      } else {
        if (gap && !out.empty()) out += '_';
        gap = false;
        out += piece;
      }
      i += len;
    }
    return out;
  };
  std::string name = slug(label.en, false);
  if (name.empty()) name = slug(label.ar, true);
  if (name.size() > 32) {
    name.resize(32);
    while (!name.empty() && name.back() == '_') name.pop_back();
  }
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) name = "q_" + name;
  if (name == "q_") name = "question";
  auto taken = [&](const std::string& n) {
    for (const auto& p : form.pages) {
      for (const auto& f : p.fields) {
        if (f.name == n) return true;
      }
    }
    return false;
  };
  if (!taken(name)) return name;
  for (int i = 2;; ++i) {
    std::string candidate = name + "_" + std::to_string(i);
    if (!taken(candidate)) return candidate;
  }
}

class FormPages : public Base {
 public:
  using Base::Base;

  Response Overview(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowOverview(req, *ctx, {}, req.query.Get("saved").has_value(), 200);
  }

  // ---- pages ------------------------------------------------------------------------------

  Response NewPageForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowPageForm(req, *ctx, -1, NewFieldValues(), {}, 200);
  }

  // Adds a page at the end, with its first field (a page is never empty).
  Response AddPage(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    catalog::Page page;
    page.title = ReadTitle(form, lang, problems);
    std::vector<int> rows;
    page.fields.push_back(ReadField(form, lang, problems, rows));
    catalog::Service changed = ctx->service;
    if (page.fields[0].name.empty())
      page.fields[0].name = GeneratedName(page.fields[0].label, changed.form);
    if (problems.empty() && Find(changed.form, page.fields[0].name))
      problems.push_back({"name", DuplicateName(page.fields[0], lang), ""});
    changed.form.pages.push_back(std::move(page));
    const size_t added = changed.form.pages.size() - 1;
    const int status =
        Commit(req, *ctx, form, changed, {added, Position{added, 0}, std::move(rows)}, problems);
    if (status == 303) return Response::Redirect(ctx->href + "/form?saved=1");
    if (status == 409) return Stale(req);
    if (status >= 500) return o_.error_page(status, req);
    return ShowPageForm(req, *ctx, -1, form, problems, status);
  }

  Response PageForm(Request& req) {
    const int p = PageIndex(req);
    auto ctx = LoadPage(req, p);
    if (!ctx) return Fail(ctx.error(), req);
    http::Params v;
    v.Add("title_ar", ctx->service.form.pages[p].title.ar);
    v.Add("title_en", ctx->service.form.pages[p].title.en);
    return ShowPageForm(req, *ctx, p, v, {}, 200);
  }

  Response SavePage(Request& req) {
    const int p = PageIndex(req);
    auto ctx = LoadPage(req, p);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    catalog::Service changed = ctx->service;
    changed.form.pages[p].title = ReadTitle(form, lang, problems);
    const int status = Commit(req, *ctx, form, changed, {static_cast<size_t>(p), {}, {}}, problems);
    if (status == 303) return Response::Redirect(ctx->href + "/form?saved=1");
    if (status == 409) return Stale(req);
    if (status >= 500) return o_.error_page(status, req);
    return ShowPageForm(req, *ctx, p, form, problems, status);
  }

  // Moves a page up or down, or removes it with its fields.
  Response PageAct(Request& req) {
    const int p = PageIndex(req);
    auto ctx = LoadPage(req, p);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const std::string what = Value(form, "do");
    catalog::Service changed = ctx->service;
    auto& pages = changed.form.pages;
    Problems problems;
    if (what == "up" && p > 0) {
      std::swap(pages[p], pages[p - 1]);
    } else if (what == "down" && p + 1 < static_cast<int>(pages.size())) {
      std::swap(pages[p], pages[p + 1]);
    } else if (what == "remove") {
      if (pages.size() == 1) problems.push_back({"", T(lang, "editor.error.no_pages"), ""});
      for (const auto& f : pages[p].fields) {
        if (InFee(changed, f.name)) problems.push_back({"", InFeeMessage(f, lang), ""});
      }
      pages.erase(pages.begin() + p);
    } else {
      return o_.error_page(400, req);
    }
    return AfterAct(req, *ctx, form, changed, problems);
  }

  // ---- fields -----------------------------------------------------------------------------

  Response NewField(Request& req) {
    const int p = PageIndex(req);
    auto ctx = LoadPage(req, p);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowFieldForm(req, *ctx, p, "", NewFieldValues(), {}, 200);
  }

  // Adds a field at the end of a page.
  Response AddField(Request& req) {
    const int p = PageIndex(req);
    auto ctx = LoadPage(req, p);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    std::vector<int> rows;
    catalog::Field field = ReadField(form, lang, problems, rows);
    catalog::Service changed = ctx->service;
    // No name typed: one made from the label.
    if (field.name.empty()) field.name = GeneratedName(field.label, changed.form);
    if (problems.empty() && Find(changed.form, field.name))
      problems.push_back({"name", DuplicateName(field, lang), ""});
    const std::string name = field.name;
    auto& fields = changed.form.pages[p].fields;
    fields.push_back(std::move(field));
    const size_t options = rows.size();
    const Position at{static_cast<size_t>(p), fields.size() - 1};
    const int status = Commit(req, *ctx, form, changed, {{}, at, std::move(rows)}, problems);
    if (status == 303) return AfterFieldSaved(*ctx, name, options, form);
    if (status == 409) return Stale(req);
    if (status >= 500) return o_.error_page(status, req);
    return ShowFieldForm(req, *ctx, p, "", form, problems, status);
  }

  Response FieldForm(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const std::string name(req.PathParam("name"));
    auto at = Find(ctx->service.form, name);
    if (!at) return o_.error_page(404, req);
    return ShowFieldForm(req, *ctx, static_cast<int>(at->page), name,
                         FieldValues(ctx->service.form.pages[at->page].fields[at->index]), {}, 200);
  }

  // Changes a field; a new name is followed by the conditions and fee rules that used the old.
  Response SaveField(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const std::string old_name(req.PathParam("name"));
    auto at = Find(ctx->service.form, old_name);
    if (!at) return Stale(req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    Problems problems;
    std::vector<int> rows;
    catalog::Field field = ReadField(form, lang, problems, rows);
    catalog::Service changed = ctx->service;
    if (field.name.empty()) field.name = old_name;  // an emptied name keeps the question's own
    if (problems.empty() && field.name != old_name && Find(changed.form, field.name))
      problems.push_back({"name", DuplicateName(field, lang), ""});
    const std::string name = field.name;
    changed.form.pages[at->page].fields[at->index] = std::move(field);
    if (name != old_name) {
      for (auto& p : changed.form.pages) {
        for (auto& f : p.fields) {
          if (f.show_if && f.show_if->field == old_name) f.show_if->field = name;
        }
      }
      for (auto& r : changed.fee.rules) {
        if (r.field == old_name) r.field = name;
      }
    }
    const size_t options = rows.size();
    const int status = Commit(req, *ctx, form, changed, {{}, *at, std::move(rows)}, problems);
    if (status == 303) return AfterFieldSaved(*ctx, name, options, form);
    if (status == 409) return Stale(req);
    if (status >= 500) return o_.error_page(status, req);
    return ShowFieldForm(req, *ctx, static_cast<int>(at->page), old_name, form, problems, status);
  }

  // Moves a field up or down (across pages at a page's edge), or removes it.
  Response FieldAct(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const std::string name(req.PathParam("name"));
    auto at = Find(ctx->service.form, name);
    if (!at) return Stale(req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const std::string what = Value(form, "do");
    catalog::Service changed = ctx->service;
    auto& pages = changed.form.pages;
    auto& fields = pages[at->page].fields;
    Problems problems;
    if (what == "up" && at->index > 0) {
      std::swap(fields[at->index], fields[at->index - 1]);
    } else if (what == "up" && at->page > 0) {
      pages[at->page - 1].fields.push_back(std::move(fields[at->index]));
      fields.erase(fields.begin());
    } else if (what == "down" && at->index + 1 < fields.size()) {
      std::swap(fields[at->index], fields[at->index + 1]);
    } else if (what == "down" && at->page + 1 < pages.size()) {
      auto& next = pages[at->page + 1].fields;
      next.insert(next.begin(), std::move(fields[at->index]));
      fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(at->index));
    } else if (what == "remove") {
      if (InFee(changed, name)) {
        problems.push_back(
            {"", InFeeMessage(ctx->service.form.pages[at->page].fields[at->index], lang), ""});
      }
      fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(at->index));
    } else {
      return o_.error_page(400, req);
    }
    return AfterAct(req, *ctx, form, changed, problems);
  }

 private:
  // The service, when the path's page exists in its form (kNotFound otherwise).
  Result<Context> LoadPage(const Request& req, int p) {
    auto ctx = Load(req);
    if (!ctx.ok()) return ctx;
    if (p < 0 || p >= static_cast<int>(ctx->service.form.pages.size())) {
      return MakeError(ErrorCode::kNotFound, "error.not_found");
    }
    return ctx;
  }

  static int PageIndex(const Request& req) {
    const std::string_view p = req.PathParam("page");
    int n = 0;
    for (char c : p) {
      if (n > 10000) return -1;
      n = n * 10 + (c - '0');
    }
    return p.empty() ? -1 : n - 1;
  }

  // The current form, with the reason a change was not saved.
  Response Stale(const Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowOverview(req, *ctx, {{"", T(render::RequestLang(req), "editor.conflict"), ""}},
                        false, 409);
  }

  Response AfterAct(const Request& req, const Context& ctx, const http::Params& form,
                    const catalog::Service& changed, Problems& problems) {
    const int status = Commit(req, ctx, form, changed, {}, problems);
    if (status == 303) return Response::Redirect(ctx.href + "/form?saved=1");
    if (status == 409) return Stale(req);
    if (status >= 500) return o_.error_page(status, req);
    return ShowOverview(req, ctx, problems, false, status);
  }

  // Back to the form, or ("save and add more choices") to the field's first blank choice.
  Response AfterFieldSaved(const Context& ctx, const std::string& name, size_t options,
                           const http::Params& form) {
    if (Value(form, "go") == "more") {
      return Response::Redirect(ctx.href + "/form/fields/" + name + "#opt_value_" +
                                std::to_string(options + 1));
    }
    return Response::Redirect(ctx.href + "/form?saved=1");
  }

  std::string DuplicateName(const catalog::Field& f, i18n::Lang lang) const {
    return F(lang, "form.problem.duplicate_name", {{"name", f.name}});
  }

  std::string InFeeMessage(const catalog::Field& f, i18n::Lang lang) const {
    const std::string& label = f.label.In(lang);
    return F(lang, "editor.error.field_in_fee", {{"field", Quoted(label, lang)}});
  }

  // Checks the version, then the changed form by the catalogue's rules, then saves it with its
  // audit entry. Returns 303 when saved, else the status to answer with and the problems.
  int Commit(const Request& req, const Context& ctx, const http::Params& form,
             const catalog::Service& changed, const Editing& editing, Problems& problems) {
    const i18n::Lang lang = render::RequestLang(req);
    const int64_t version = PostedVersion(form);
    if (version != ctx.service.version) return 409;
    if (!problems.empty()) return 422;
    const Place place = [&](const baladiya::Problem& p) {
      return Placed(p, ctx, changed.form, editing, lang);
    };
    auto checked = catalog::ParseFormSchema(catalog::FormSchemaToJson(changed.form));
    if (!checked.ok()) {
      if (checked.error().code != ErrorCode::kInvalid) return 503;
      for (const baladiya::Problem& p : checked.error().problems) problems.push_back(place(p));
      if (problems.empty()) problems.push_back({"", T(lang, checked.error().message_key), ""});
      return 422;
    }
    auto saved = Save(req, ctx, changed, version, "service.form_edited");
    if (saved.ok()) return 303;
    return Refused(saved.error(), changed, lang, place, problems);
  }

  // A problem of the changed form (a path of ParseFormSchema's, or of catalog::MissingTexts'
  // under "form") on this page: linked to its input when the page edits what it is about, else
  // to the field's own page when that field is stored.
  Problem Placed(const baladiya::Problem& problem, const Context& ctx,
                 const catalog::FormSchema& changed, const Editing& editing,
                 i18n::Lang lang) const {
    Problem out{"", Say(problem, {&changed, nullptr}, lang), ""};
    const Path path = NameAt(problem.path, 0) == "form" ? Tail(problem.path, 1) : problem.path;
    const std::optional<size_t> p = IndexAt(path, 1);
    if (NameAt(path, 0) != "pages" || !p) return out;
    if (NameAt(path, 2) == "title") {
      if (editing.page == p) out.target = "title_" + Language(path, 3);
      return out;
    }
    const std::optional<size_t> i = IndexAt(path, 3);
    if (NameAt(path, 2) != "fields" || !i) return out;
    const Path rest = Tail(path, 4);
    if (editing.field && editing.field->page == *p && editing.field->index == *i) {
      out.target = FieldInput(rest, editing.rows);
    } else if (*p < changed.pages.size() && *i < changed.pages[*p].fields.size()) {
      const std::string& name = changed.pages[*p].fields[*i].name;
      if (Find(ctx.service.form, name)) {
        const std::string input = FieldInput(rest, {});
        out.href = ctx.href + "/form/fields/" + name + (input.empty() ? "" : "#" + input);
      }
    }
    return out;
  }

  catalog::Text ReadTitle(const http::Params& form, i18n::Lang lang, Problems& problems) const {
    catalog::Text title{Trimmed(Value(form, "title_ar")), Trimmed(Value(form, "title_en"))};
    if (title.ar.empty()) problems.push_back({"title_ar", T(lang, "editor.error.title_ar"), ""});
    return title;
  }

  // The posted field; problems for what cannot be read. Properties that do not apply to the
  // chosen type are left out. rows gets the option row each option came from.
  catalog::Field ReadField(const http::Params& form, i18n::Lang lang, Problems& problems,
                           std::vector<int>& rows) const {
    catalog::Field f;
    f.name = Trimmed(Value(form, "name"));
    auto type = catalog::ParseFieldType(Value(form, "type"));
    if (!type) problems.push_back({"type", T(lang, "editor.error.choose"), ""});
    f.type = type.value_or(catalog::FieldType::kText);
    f.label = {Trimmed(Value(form, "label_ar")), Trimmed(Value(form, "label_en"))};
    if (f.label.ar.empty()) problems.push_back({"label_ar", T(lang, "editor.error.label_ar"), ""});
    f.help = {Trimmed(Value(form, "help_ar")), Trimmed(Value(form, "help_en"))};
    f.required = Ticked(form, "required");
    auto whole = [&](const char* name, std::optional<int64_t>& out) {
      if (!ReadWhole(form, name, out))
        problems.push_back({name, T(lang, "editor.error.whole_number"), ""});
    };
    std::optional<int64_t> min_length, max_length, max_files;
    if (IsText(f.type)) {
      whole("min_length", min_length);
      whole("max_length", max_length);
      f.min_length = min_length.value_or(0);
      f.max_length = max_length.value_or(0);
    }
    if (f.type == catalog::FieldType::kNumber) {
      whole("min", f.min);
      whole("max", f.max);
      std::optional<int64_t> decimals;
      whole("decimals", decimals);
      // Out of range is the schema check's to explain; clamping keeps the narrowing defined.
      f.decimals = static_cast<int>(std::clamp<int64_t>(decimals.value_or(0), -1, 100));
    }
    if (f.type == catalog::FieldType::kFile) {
      whole("max_files", max_files);
      // Out of range is the schema check's to explain; clamping keeps the narrowing defined.
      f.max_files = static_cast<int>(std::clamp<int64_t>(max_files.value_or(1), 0, 1000));
    }
    if (IsChoice(f.type)) {
      for (int i = 1, n = Rows(form, "opt_value_"); i <= n; ++i) {
        const std::string k = std::to_string(i);
        catalog::Option o{
            Trimmed(Value(form, "opt_value_" + k)),
            {Trimmed(Value(form, "opt_ar_" + k)), Trimmed(Value(form, "opt_en_" + k))}};
        if (Ticked(form, "opt_remove_" + k) || (o.value.empty() && o.label.Empty())) continue;
        f.options.push_back(std::move(o));
        rows.push_back(i);
      }
    }
    const std::string depends = Value(form, "show_if_field");
    if (!depends.empty())
      f.show_if = catalog::Condition{depends, Trimmed(Value(form, "show_if_equals"))};
    return f;
  }

  static http::Params NewFieldValues() {
    http::Params v;
    v.Add("type", "text");
    v.Add("required", "yes");
    return v;
  }

  // A field's values, named as the form posts them.
  static http::Params FieldValues(const catalog::Field& f) {
    http::Params v;
    v.Add("name", f.name);
    v.Add("type", std::string(catalog::FieldTypeName(f.type)));
    v.Add("label_ar", f.label.ar);
    v.Add("label_en", f.label.en);
    v.Add("help_ar", f.help.ar);
    v.Add("help_en", f.help.en);
    if (f.required) v.Add("required", "yes");
    if (f.min_length) v.Add("min_length", std::to_string(f.min_length));
    if (f.max_length) v.Add("max_length", std::to_string(f.max_length));
    if (f.min) v.Add("min", std::to_string(*f.min));
    if (f.max) v.Add("max", std::to_string(*f.max));
    if (f.decimals) v.Add("decimals", std::to_string(f.decimals));
    if (f.type == catalog::FieldType::kFile) v.Add("max_files", std::to_string(f.max_files));
    for (size_t i = 0; i < f.options.size(); ++i) {
      const std::string k = std::to_string(i + 1);
      v.Add("opt_value_" + k, f.options[i].value);
      v.Add("opt_ar_" + k, f.options[i].label.ar);
      v.Add("opt_en_" + k, f.options[i].label.en);
    }
    if (f.show_if) {
      v.Add("show_if_field", f.show_if->field);
      v.Add("show_if_equals", f.show_if->equals);
    }
    return v;
  }

  // The field's inputs. `self` is the field's stored name (empty for a new one).
  std::vector<Group> FieldGroups(const catalog::FormSchema& schema, const std::string& self,
                                 const http::Params& v, i18n::Lang lang) const {
    auto text = [&](const std::string& id, const std::string& label_key, const char* text_lang,
                    bool required = false, const std::string& hint = "") {
      return Input{.id = id,
                   .label = T(lang, label_key),
                   .hint = hint,
                   .value = Value(v, id),
                   .required = required,
                   .text_lang = text_lang};
    };
    std::vector<Group> groups;
    Group main;
    main.inputs.push_back(
        text("name", "editor.field.name", "ltr", false, T(lang, "editor.field.name_hint")));
    main.inputs.back().optional = true;
    Input type{.kind = Input::Kind::kSelect,
               .id = "type",
               .label = T(lang, "editor.field.type"),
               .value = Value(v, "type"),
               .required = true};
    for (auto t : kTypes) {
      const std::string name(catalog::FieldTypeName(t));
      type.options.emplace_back(name, T(lang, "editor.type." + name));
    }
    main.inputs.push_back(std::move(type));
    main.inputs.push_back(text("label_ar", "editor.field.label_ar", "ar", true));
    main.inputs.push_back(text("label_en", "editor.field.label_en", "en", true));
    main.inputs.push_back(text("help_ar", "editor.field.help_ar", "ar"));
    main.inputs.back().optional = true;
    main.inputs.push_back(text("help_en", "editor.field.help_en", "en"));
    main.inputs.back().optional = true;
    main.inputs.push_back({.kind = Input::Kind::kCheckbox,
                           .id = "required",
                           .label = T(lang, "editor.field.required"),
                           .value = "yes",
                           .checked = Ticked(v, "required")});
    groups.push_back(std::move(main));

    groups.push_back({T(lang, "editor.field.length"),
                      T(lang, "editor.field.length_hint"),
                      {text("min_length", "editor.field.min_length", "ltr"),
                       text("max_length", "editor.field.max_length", "ltr")}});
    groups.push_back(
        {T(lang, "editor.field.limits"),
         T(lang, "editor.field.limits_hint"),
         {text("min", "editor.field.min", "ltr"), text("max", "editor.field.max", "ltr"),
          text("decimals", "editor.field.decimals", "ltr")}});
    groups.push_back({T(lang, "editor.field.files"),
                      T(lang, "editor.field.files_hint"),
                      {text("max_files", "editor.field.max_files", "ltr")}});

    Input depends{.kind = Input::Kind::kSelect,
                  .id = "show_if_field",
                  .label = T(lang, "editor.field.show_if_field"),
                  .value = Value(v, "show_if_field")};
    depends.options.emplace_back("", T(lang, "editor.field.always"));
    for (const auto& p : schema.pages) {
      for (const auto& f : p.fields) {
        if (f.name != self) depends.options.emplace_back(f.name, f.label.In(lang));
      }
    }
    groups.push_back(
        {T(lang, "editor.field.condition"),
         T(lang, "editor.field.condition_hint"),
         {std::move(depends),
          // The answer chosen from the form's choices, not typed as a code.
          Input{.kind = Input::Kind::kSelect,
                .id = "show_if_equals",
                .label = T(lang, "editor.field.show_if_equals"),
                .hint = T(lang, "editor.field.show_if_equals_hint"),
                .value = Value(v, "show_if_equals"),
                .options = AnswerChoices(schema, self, Value(v, "show_if_equals"),
                                         T(lang, "editor.field.show_if_any"), lang)}}});

    const int options = Rows(v, "opt_value_");
    for (int i = 1; i <= options + kBlankOptionRows; ++i) {
      const std::string k = std::to_string(i);
      Group option{F(lang, "editor.field.option", {{"n", i18n::FormatNumber(i, lang)}}),
                   i == 1 ? T(lang, "editor.field.options_hint") : "",
                   {text("opt_value_" + k, "editor.field.option_value", "ltr"),
                    text("opt_ar_" + k, "editor.text_ar", "ar"),
                    text("opt_en_" + k, "editor.text_en", "en")}};
      if (i <= options) {
        option.inputs.push_back({.kind = Input::Kind::kCheckbox,
                                 .id = "opt_remove_" + k,
                                 .label = T(lang, "editor.field.option_remove"),
                                 .value = "yes",
                                 .checked = Ticked(v, "opt_remove_" + k)});
      }
      groups.push_back(std::move(option));
    }
    return groups;
  }

  // The field page: new (name empty) or an existing field's.
  Response ShowFieldForm(const Request& req, const Context& ctx, int page, const std::string& name,
                         const http::Params& v, const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    EditForm form;
    const std::string path =
        name.empty() ? ctx.href + "/form/pages/" + std::to_string(page + 1) + "/fields/new"
                     : ctx.href + "/form/fields/" + name;
    form.action = path;
    form.version = ctx.service.version;
    form.groups = FieldGroups(ctx.service.form, name, v, lang);
    form.buttons = {{"save", T(lang, "editor.field.save")},
                    {"more", T(lang, "editor.field.save_more")}};
    form.back_href = ctx.href + "/form";
    form.back_label = T(lang, "editor.form.back");
    const std::string page_number = i18n::FormatNumber(page + 1, lang);
    const std::string title = name.empty()
                                  ? F(lang, "editor.field.new_title", {{"page", page_number}})
                                  : F(lang, "editor.field.edit_title",
                                      {{"field", FieldTitle(ctx.service.form, name, lang)}});
    return ShowEdit(req, ctx, path, title, T(lang, "editor.field.intro"), form, problems, status);
  }

  // A page's title (page >= 0), or a new page with its first field (page < 0).
  Response ShowPageForm(const Request& req, const Context& ctx, int page, const http::Params& v,
                        const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    EditForm form;
    const std::string path = page < 0 ? ctx.href + "/form/pages/new"
                                      : ctx.href + "/form/pages/" + std::to_string(page + 1);
    form.action = path;
    form.version = ctx.service.version;
    form.groups.push_back({page < 0 ? T(lang, "editor.page.title_legend") : "",
                           "",
                           {{.id = "title_ar",
                             .label = T(lang, "editor.page.title_ar"),
                             .value = Value(v, "title_ar"),
                             .required = true,
                             .text_lang = "ar"},
                            {.id = "title_en",
                             .label = T(lang, "editor.page.title_en"),
                             .value = Value(v, "title_en"),
                             .required = true,
                             .text_lang = "en"}}});
    std::string intro;
    if (page < 0) {
      std::vector<Group> field = FieldGroups(ctx.service.form, "", v, lang);
      field[0].legend = T(lang, "editor.page.first_field");
      for (auto& g : field) form.groups.push_back(std::move(g));
      intro = T(lang, "editor.page.new_intro");
    }
    form.buttons = {{"save", T(lang, page < 0 ? "editor.page.add" : "editor.page.save")}};
    form.back_href = ctx.href + "/form";
    form.back_label = T(lang, "editor.form.back");
    const std::string title =
        page < 0 ? T(lang, "editor.page.new_title")
                 : F(lang, "editor.page.edit_title", {{"n", i18n::FormatNumber(page + 1, lang)}});
    return ShowEdit(req, ctx, path, title, intro, form, problems, status);
  }

  std::string Shown(const catalog::FormSchema& form, const catalog::Field& f,
                    i18n::Lang lang) const {
    if (!f.show_if) return T(lang, "editor.field.always");
    std::string value = f.show_if->equals;
    if (auto at = Find(form, f.show_if->field)) {
      const auto& other = form.pages[at->page].fields[at->index];
      if (other.type == catalog::FieldType::kYesNo) value = T(lang, "form.answer_" + value);
      for (const auto& o : other.options) {
        if (o.value == value) value = o.label.In(lang);
      }
    }
    return F(lang, "editor.form.shown_when",
             {{"field", FieldTitle(form, f.show_if->field, lang)}, {"value", value}});
  }

  Response ShowOverview(const Request& req, const Context& ctx, const Problems& problems,
                        bool saved, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const catalog::FormSchema& form = ctx.service.form;
    const std::string path = ctx.href + "/form";
    render::Page page = NewPage(req, ctx.municipality, "editor-fields.tpl", path,
                                T(lang, "editor.form.title") + " — " + ctx.service.name.In(lang));
    render::Dict& b = page.body();
    b.SetValue("SERVICE", ctx.service.name.In(lang));
    b.SetValue("SERVICE_HREF", ctx.href);
    if (saved) b.SetValueAndShowSection("NOTICE", T(lang, "editor.saved"), "HAS_NOTICE");
    IncludeErrors(b, problems, lang);
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("VERSION", std::to_string(ctx.service.version));
    b.SetValue("ADD_PAGE_HREF", path + "/pages/new");
    for (size_t p = 0; p < form.pages.size(); ++p) {
      const std::string n = std::to_string(p + 1);
      render::Dict* pd = b.AddSectionDictionary("PAGE");
      pd->SetValue("N", n);
      pd->SetValue("HEADING", F(lang, "editor.form.page_heading",
                                {{"n", i18n::FormatNumber(static_cast<int64_t>(p + 1), lang)},
                                 {"title", form.pages[p].title.In(lang)}}));
      std::string page_href = path + "/pages/";
      page_href += n;
      pd->SetValue("EDIT_HREF", page_href);
      pd->SetValue("ADD_HREF", page_href + "/fields/new");
      pd->SetValue("ACT_HREF", page_href + "/act");
      if (p > 0) pd->ShowSection("CAN_UP");
      if (p + 1 < form.pages.size()) pd->ShowSection("CAN_DOWN");
      const size_t count = form.pages[p].fields.size();
      for (size_t i = 0; i < count; ++i) {
        const catalog::Field& f = form.pages[p].fields[i];
        render::Dict* fd = pd->AddSectionDictionary("FIELD");
        fd->SetValue("FIELD_HREF", path + "/fields/" + f.name);
        fd->SetValue("FIELD_ACT_HREF", path + "/fields/" + f.name + "/act");
        fd->SetValue("LABEL", f.label.In(lang).empty() ? f.name : f.label.In(lang));
        fd->SetValue("NAME", f.name);
        fd->SetValue("TYPE", T(lang, "editor.type." + std::string(catalog::FieldTypeName(f.type))));
        fd->SetValue("SHOWN", Shown(form, f, lang));
        if (!f.required) fd->ShowSection("OPTIONAL");
        if (i > 0 || p > 0) fd->ShowSection("CAN_UP");
        if (i + 1 < count || p + 1 < form.pages.size()) fd->ShowSection("CAN_DOWN");
      }
    }
    return Finish(page, status);
  }
};

}  // namespace

void AddFormEditorRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<FormPages>(options);
  auto on = http::MemberHandlers(pages);
  const auto admin = identity::Access::Requires(identity::Permission::kManageCatalog);
  const std::string base = "/m/{slug}/admin/services/{code}/form";
  routes.Get(base, admin, on(&FormPages::Overview));
  routes.Get(base + "/pages/new", admin, on(&FormPages::NewPageForm));
  routes.Post(base + "/pages/new", admin, on(&FormPages::AddPage));
  routes.Get(base + "/pages/{page:int}", admin, on(&FormPages::PageForm));
  routes.Post(base + "/pages/{page:int}", admin, on(&FormPages::SavePage));
  routes.Post(base + "/pages/{page:int}/act", admin, on(&FormPages::PageAct));
  routes.Get(base + "/pages/{page:int}/fields/new", admin, on(&FormPages::NewField));
  routes.Post(base + "/pages/{page:int}/fields/new", admin, on(&FormPages::AddField));
  routes.Get(base + "/fields/{name}", admin, on(&FormPages::FieldForm));
  routes.Post(base + "/fields/{name}", admin, on(&FormPages::SaveField));
  routes.Post(base + "/fields/{name}/act", admin, on(&FormPages::FieldAct));
}

}  // namespace baladiya::editor
