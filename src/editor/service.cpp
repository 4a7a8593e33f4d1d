// The service editor's service pages: creating a service, its details, fee and documents, its
// notifications' wording, what it lacks in either language, publishing and withdrawing it.
#include <algorithm>

#include "editor/internal.h"
#include "identity/web.h"
#include "platform/i18n/arabic.h"

namespace baladiya::editor {
namespace {

using http::Request;
using http::Response;

// More rows than this of documents or fee rules are ignored (a form is not a bulk import).
constexpr int kMaxRows = 100;

// Money typed in major units ("150", "12.5", "-3.75"; Arabic-Indic digits and decimal separator
// accepted) as minor units (two decimals). False when malformed or beyond a billion.
bool ParseMoney(std::string_view text, int64_t& minor) {
  std::string s = i18n::ToWesternDigits(Trimmed(text));
  for (size_t at = s.find("٫"); at != std::string::npos; at = s.find("٫")) s.replace(at, 2, ".");
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.erase(0, 1);
  const size_t dot = s.find('.');
  std::string whole = s.substr(0, dot);
  std::string fraction = dot == std::string::npos ? "" : s.substr(dot + 1);
  auto digits = [](const std::string& d) {
    return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (whole.empty() || whole.size() > 9 || !digits(whole) || !digits(fraction) ||
      fraction.size() > 2 || (dot != std::string::npos && fraction.empty())) {
    return false;
  }
  while (fraction.size() < 2) fraction.push_back('0');
  minor = std::stoll(whole) * 100 + std::stoll(fraction);
  if (negative) minor = -minor;
  return true;
}

std::string MoneyText(int64_t minor) {
  const bool negative = minor < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(minor) : minor;
  std::string out = (negative ? "-" : "") + std::to_string(magnitude / 100);
  if (magnitude % 100 != 0) {
    std::string cents = std::to_string(magnitude % 100);
    out += "." + std::string(2 - cents.size(), '0') + cents;
  }
  return out;
}

constexpr std::string_view kCategoryPrefix = "services.category.";

class ServicePages : public Base {
 public:
  using Base::Base;

  Response Show(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const bool saved = req.query.Get("saved").has_value();
    return ShowService(req, *ctx, DetailValues(ctx->service), {}, saved, 200);
  }

  // Saves the service's details, fee and documents.
  Response SaveDetails(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const int64_t version = PostedVersion(form);
    Problems problems;
    if (version != ctx->service.version) return Stale(req);
    catalog::Service changed = ctx->service;
    std::vector<int> documents;
    ReadDetails(*ctx, form, lang, changed, problems, documents);
    if (!problems.empty()) return ShowService(req, *ctx, form, problems, false, 422);
    auto saved = Save(req, *ctx, changed, version, "service.edited");
    if (!saved.ok()) {
      int status = Refused(saved.error(), changed, lang,
                           DetailsPlace(*ctx, changed, documents, lang), problems);
      if (status == 409) return Stale(req);
      if (status >= 500) return o_.error_page(status, req);
      return ShowService(req, *ctx, form, problems, false, status);
    }
    return Response::Redirect(ctx->href + "?saved=1");
  }

  // Publishes or withdraws the service; publishing is refused while a text is missing.
  Response SetStatus(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const int64_t version = PostedVersion(form);
    // The live service's, never the draft's: withdrawing stops what residents are served.
    if (version != ctx->live.version) return Stale(req);
    catalog::Service changed = ctx->live;
    changed.published = Value(form, "publish") == "yes";
    // A withdrawal not confirmed on the confirmation page goes there first.
    if (!changed.published && Value(form, "confirmed") != "yes")
      return Response::Redirect(ctx->href + "/withdraw");
    Problems problems;
    if (changed.published) {
      Problems missing = MissingTexts(*ctx, lang);
      if (!missing.empty()) {
        problems.push_back(
            {"", F(lang, "admin_services.refused", {{"service", ctx->service.name.In(lang)}}), ""});
        for (auto& m : missing) problems.push_back(std::move(m));
        return ShowService(req, *ctx, DetailValues(ctx->service), problems, false, 422);
      }
    }
    auto saved = Save(req, *ctx, changed, version,
                      changed.published ? "service.published" : "service.withdrawn");
    if (!saved.ok()) {
      int status =
          Refused(saved.error(), changed, lang, DetailsPlace(*ctx, changed, {}, lang), problems);
      if (status == 409) return Stale(req);
      if (status >= 500) return o_.error_page(status, req);
      return ShowService(req, *ctx, DetailValues(ctx->service), problems, false, status);
    }
    return Response::Redirect(ctx->href + "?saved=1");
  }

  // Asks before withdrawing: what it means for residents, then the withdrawal or the way back.
  Response ConfirmWithdraw(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    if (!ctx->live.published) return Response::Redirect(ctx->href);
    const std::string name = ctx->live.name.In(lang);
    render::Page page =
        NewPage(req, ctx->municipality, "editor-withdraw.tpl", ctx->href + "/withdraw",
                F(lang, "editor.withdraw.title", {{"service", name}}));
    render::Dict& b = page.body();
    b.SetValue("SERVICE_HREF", ctx->href);
    b.SetValue("SERVICE", name);
    b.SetValue("TITLE", F(lang, "editor.withdraw.title", {{"service", name}}));
    b.SetValue("ACTION", ctx->href + "/status");
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("VERSION", std::to_string(ctx->live.version));
    return Finish(page, 200);
  }

  Response NewForm(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    return ShowNew(req, *m, {}, {}, 200);
  }

  // Creates a draft service with a one-page form of one question, to be edited from there.
  Response Create(Request& req) {
    auto m = Municipality(req);
    if (!m) return Fail(m.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    catalog::Service s;
    s.municipality_id = m->id;
    s.code = Trimmed(Value(form, "code"));
    s.name = {Trimmed(Value(form, "name_ar")), Trimmed(Value(form, "name_en"))};
    s.category = "certificates";
    s.sla_days = 5;
    s.channels = {"web", "counter"};
    Problems problems;
    // "new" names this page, so it cannot name a service.
    if (!catalog::ValidSlug(s.code) || s.code == "new")
      problems.push_back({"code", T(lang, "catalog.problem.bad_code"), ""});
    if (s.name.ar.empty()) problems.push_back({"name_ar", T(lang, "catalog.problem.name_ar"), ""});
    if (s.name.en.empty()) problems.push_back({"name_en", T(lang, "editor.error.name_en"), ""});
    if (!Department(*m, Value(form, "department"), s.department_id))
      problems.push_back({"department", T(lang, "editor.error.department"), ""});
    catalog::Field first;
    first.name = "details";
    first.type = catalog::FieldType::kLongText;
    first.label = {Cat().Get(i18n::Lang::kAr, "editor.new.first_field"),
                   Cat().Get(i18n::Lang::kEn, "editor.new.first_field")};
    s.form.pages.push_back({{Cat().Get(i18n::Lang::kAr, "editor.new.first_page"),
                             Cat().Get(i18n::Lang::kEn, "editor.new.first_page")},
                            {first}});
    Context ctx{*m, s, "/m/" + m->slug + "/admin/services/" + s.code};
    if (problems.empty()) {
      auto saved = Save(req, ctx, s, 0, "service.created");
      if (saved.ok()) return Response::Redirect(ctx.href + "?saved=1");
      int status = Refused(saved.error(), s, lang, DetailsPlace(ctx, s, {}, lang), problems);
      if (status >= 500) return o_.error_page(status, req);
    }
    return ShowNew(req, *m, form, problems, 422);
  }

 private:
  // A conflict: the current service, with the reason the change was not saved.
  Response Stale(const Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowService(req, *ctx, DetailValues(ctx->service),
                       {{"", T(render::RequestLang(req), "editor.conflict"), ""}}, false, 409);
  }

  // A problem of the service's details on the new-service and details pages: linked to its input
  // (code, names, descriptions, documents by the rows they came from, SLA, channels), or to where
  // it is written on the service's other pages.
  Place DetailsPlace(const Context& ctx, const catalog::Service& changed,
                     std::vector<int> documents, i18n::Lang lang) const {
    return
        [this, &ctx, &changed, documents = std::move(documents), lang](const baladiya::Problem& p) {
          Problem out{"", Say(p, {&changed.form, nullptr}, lang), ""};
          const std::string_view top = NameAt(p.path, 0);
          const std::string last(NameAt(p.path, p.path.size() - 1));
          if (top == "code" || top == "sla_days") {
            out.target = std::string(top);
          } else if (top == "name" || top == "description" || top == "eligibility") {
            out.target = std::string(top) + "_" + last;
          } else if (top == "documents" && IndexAt(p.path, 1)) {
            const size_t i = *IndexAt(p.path, 1);
            const int row = i < documents.size() ? documents[i] : static_cast<int>(i) + 1;
            out.target = "doc_" + last + "_" + std::to_string(row);
          } else if (top == "channels" && IndexAt(p.path, 1) &&
                     *IndexAt(p.path, 1) < changed.channels.size()) {
            out.target = "channel-" + changed.channels[*IndexAt(p.path, 1)];
          } else {
            out.href = WhereWritten(ctx, ctx.service, p.path);
          }
          return out;
        };
  }

  // The department of a posted id, when it is one of the municipality's.
  bool Department(const catalog::Municipality& m, std::string_view posted, int64_t& id) {
    int64_t wanted = 0;
    if (!ParseWhole(posted, wanted)) return false;
    auto deps = o_.tenancy->Departments(m.id);
    if (!deps.ok()) return false;
    const std::set<int64_t> off =
        o_.disabled_departments ? o_.disabled_departments(m.id) : std::set<int64_t>{};
    for (const auto& d : *deps) {
      if (d.id == wanted && !off.contains(d.id)) {
        id = d.id;
        return true;
      }
    }
    return false;
  }

  std::vector<std::pair<std::string, std::string>> DepartmentOptions(const catalog::Municipality& m,
                                                                     i18n::Lang lang) {
    std::vector<std::pair<std::string, std::string>> out = {{"", T(lang, "editor.choose")}};
    auto deps = o_.tenancy->Departments(m.id);
    const std::set<int64_t> off =
        o_.disabled_departments ? o_.disabled_departments(m.id) : std::set<int64_t>{};
    if (deps.ok()) {
      for (const auto& d : *deps) {
        if (!off.contains(d.id)) out.emplace_back(std::to_string(d.id), d.name.In(lang));
      }
    }
    return out;
  }

  Response ShowNew(const Request& req, const catalog::Municipality& m, const http::Params& v,
                   const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const std::string list = "/m/" + m.slug + "/admin/services";
    EditForm form;
    form.action = list + "/new";
    Group g;
    g.inputs.push_back({.id = "code",
                        .label = T(lang, "editor.service.code"),
                        .hint = T(lang, "editor.service.code_hint"),
                        .value = Value(v, "code"),
                        .required = true,
                        .text_lang = "ltr"});
    g.inputs.push_back({.id = "name_ar",
                        .label = T(lang, "editor.service.name_ar"),
                        .value = Value(v, "name_ar"),
                        .required = true,
                        .text_lang = "ar"});
    g.inputs.push_back({.id = "name_en",
                        .label = T(lang, "editor.service.name_en"),
                        .value = Value(v, "name_en"),
                        .required = true,
                        .text_lang = "en"});
    g.inputs.push_back({.kind = Input::Kind::kSelect,
                        .id = "department",
                        .label = T(lang, "services.department"),
                        .value = Value(v, "department"),
                        .required = true,
                        .options = DepartmentOptions(m, lang)});
    form.groups.push_back(std::move(g));
    form.buttons = {{"save", T(lang, "editor.new.submit")}};
    Context ctx{m, {}, list};
    return ShowEdit(req, ctx, list + "/new", T(lang, "editor.new.title"),
                    T(lang, "editor.new.intro"), form, problems, status);
  }

  // The details form's values as stored, named as the form posts them.
  static http::Params DetailValues(const catalog::Service& s) {
    http::Params v;
    v.Add("kind", std::string(catalog::ServiceKindName(s.kind)));
    v.Add("name_ar", s.name.ar);
    v.Add("name_en", s.name.en);
    v.Add("description_ar", s.description.ar);
    v.Add("description_en", s.description.en);
    v.Add("eligibility_ar", s.eligibility.ar);
    v.Add("eligibility_en", s.eligibility.en);
    v.Add("category", s.category);
    v.Add("department", std::to_string(s.department_id));
    v.Add("sla_days", std::to_string(s.sla_days));
    for (const auto& c : s.channels) v.Add("channels", c);
    v.Add("fee_base", MoneyText(s.fee.base_minor));
    for (size_t i = 0; i < s.fee.rules.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      const auto& r = s.fee.rules[i];
      v.Add("rule_field_" + n, r.field);
      v.Add("rule_equals_" + n, r.equals);
      v.Add("rule_add_" + n, r.add_minor ? MoneyText(r.add_minor) : "");
      v.Add("rule_per_unit_" + n, r.per_unit_minor ? MoneyText(r.per_unit_minor) : "");
    }
    for (size_t i = 0; i < s.documents.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      v.Add("doc_ar_" + n, s.documents[i].ar);
      v.Add("doc_en_" + n, s.documents[i].en);
    }
    return v;
  }

  // How many numbered rows (name_1, name_2, ...) the values hold.
  static int Rows(const http::Params& v, const std::string& prefix) {
    int n = 0;
    while (n < kMaxRows && v.Get(prefix + std::to_string(n + 1))) ++n;
    return n;
  }

  EditForm DetailsForm(const Context& ctx, const http::Params& v, i18n::Lang lang) {
    const catalog::Service& s = ctx.service;
    EditForm form;
    form.action = ctx.href;
    form.version = s.version;
    auto text = [&](const std::string& id, const std::string& label_key, const char* text_lang,
                    bool required, const std::string& hint = "") {
      return Input{.id = id,
                   .label = T(lang, label_key),
                   .hint = hint,
                   .value = Value(v, id),
                   .required = required,
                   .text_lang = text_lang};
    };
    auto select = [&](const std::string& id, const std::string& label_key,
                      std::vector<std::pair<std::string, std::string>> options) {
      return Input{.kind = Input::Kind::kSelect,
                   .id = id,
                   .label = T(lang, label_key),
                   .value = Value(v, id),
                   .required = true,
                   .options = std::move(options)};
    };
    auto remove = [&](const std::string& id, const std::string& label_key) {
      return Input{.kind = Input::Kind::kCheckbox,
                   .id = id,
                   .label = T(lang, label_key),
                   .value = "yes",
                   .checked = Ticked(v, id)};
    };
    auto area = [&](const std::string& id, const std::string& label_key, const char* text_lang,
                    bool required) {
      Input in = text(id, label_key, text_lang, required);
      in.kind = Input::Kind::kTextarea;
      in.optional = !required;
      return in;
    };
    Group about{T(lang, "editor.service.about"), "", {}};
    about.inputs.push_back(select("kind", "editor.service.kind",
                                  {{"application", T(lang, "editor.service.kind_application")},
                                   {"report", T(lang, "editor.service.kind_report")}}));
    about.inputs.push_back(text("name_ar", "editor.service.name_ar", "ar", true));
    about.inputs.push_back(text("name_en", "editor.service.name_en", "en", true));
    about.inputs.push_back(area("description_ar", "editor.service.description_ar", "ar", true));
    about.inputs.push_back(area("description_en", "editor.service.description_en", "en", true));
    about.inputs.push_back(area("eligibility_ar", "editor.service.eligibility_ar", "ar", false));
    about.inputs.push_back(area("eligibility_en", "editor.service.eligibility_en", "en", false));
    about.inputs.back().hint = T(lang, "editor.service.eligibility_hint");
    form.groups.push_back(std::move(about));

    Group where{T(lang, "editor.service.handling"), "", {}};
    std::vector<std::pair<std::string, std::string>> categories;
    for (const auto& key : Cat().Keys(lang)) {
      if (key.starts_with(kCategoryPrefix))
        categories.emplace_back(key.substr(kCategoryPrefix.size()), T(lang, key));
    }
    where.inputs.push_back(select("category", "editor.service.category", std::move(categories)));
    where.inputs.push_back(
        select("department", "services.department", DepartmentOptions(ctx.municipality, lang)));
    where.inputs.push_back(text("sla_days", "editor.service.sla_days", "ltr", true,
                                T(lang, "editor.service.sla_days_hint")));
    form.groups.push_back(std::move(where));

    Group channels{T(lang, "services.channels"), T(lang, "editor.service.channels_hint"), {}};
    const auto chosen = v.GetAll("channels");
    for (const auto& c : catalog::AllChannels()) {
      channels.inputs.push_back(
          {.kind = Input::Kind::kCheckbox,
           .id = "channel-" + c,
           .name = "channels",
           .label = T(lang, "channel." + c),
           .value = c,
           .checked = std::find(chosen.begin(), chosen.end(), c) != chosen.end()});
    }
    form.groups.push_back(std::move(channels));

    Group fee{T(lang, "services.fee"), "", {}};
    fee.inputs.push_back(
        text("fee_base", "editor.service.fee_base", "ltr", true,
             F(lang, "editor.service.fee_base_hint", {{"currency", s.fee.currency}})));
    form.groups.push_back(std::move(fee));
    std::vector<std::pair<std::string, std::string>> fields = {{"", T(lang, "editor.choose")}};
    for (const auto& p : s.form.pages) {
      for (const auto& f : p.fields) fields.emplace_back(f.name, f.label.In(lang));
    }
    const int rules = Rows(v, "rule_field_");
    for (int i = 1; i <= rules + 1; ++i) {
      const std::string n = std::to_string(i);
      Group rule{F(lang, "editor.service.rule", {{"n", i18n::FormatNumber(i, lang)}}),
                 i == 1 ? T(lang, "editor.service.rule_hint") : "",
                 {}};
      rule.inputs.push_back(select("rule_field_" + n, "editor.service.rule_field", fields));
      // The answer chosen from the form's choices, not typed as a code.
      Input equals = select("rule_equals_" + n, "editor.service.rule_equals",
                            AnswerChoices(s.form, "", Value(v, "rule_equals_" + n),
                                          T(lang, "editor.service.rule_any"), lang));
      equals.required = false;
      equals.hint = T(lang, "editor.service.rule_equals_hint");
      rule.inputs.push_back(std::move(equals));
      rule.inputs.push_back(text("rule_add_" + n, "editor.service.rule_add", "ltr", false));
      rule.inputs.push_back(
          text("rule_per_unit_" + n, "editor.service.rule_per_unit", "ltr", false));
      if (i <= rules)
        rule.inputs.push_back(remove("rule_remove_" + n, "editor.service.rule_remove"));
      form.groups.push_back(std::move(rule));
    }
    const int documents = Rows(v, "doc_ar_");
    for (int i = 1; i <= documents + 1; ++i) {
      const std::string n = std::to_string(i);
      Group doc{F(lang, "editor.service.document", {{"n", i18n::FormatNumber(i, lang)}}),
                i == 1 ? T(lang, "editor.service.document_hint") : "",
                {}};
      doc.inputs.push_back(text("doc_ar_" + n, "editor.text_ar", "ar", false));
      doc.inputs.push_back(text("doc_en_" + n, "editor.text_en", "en", false));
      if (i <= documents)
        doc.inputs.push_back(remove("doc_remove_" + n, "editor.service.document_remove"));
      form.groups.push_back(std::move(doc));
    }
    form.buttons = {{"save", T(lang, "editor.service.save")}};
    return form;
  }

  // Reads the posted details into s; problems for what cannot be read. documents gets the row
  // each document came from.
  void ReadDetails(const Context& ctx, const http::Params& form, i18n::Lang lang,
                   catalog::Service& s, Problems& problems, std::vector<int>& documents) {
    const std::string kind = Value(form, "kind");
    if (kind != "application" && kind != "report")
      problems.push_back({"kind", T(lang, "editor.error.choose"), ""});
    s.kind = kind == "report" ? catalog::ServiceKind::kReport : catalog::ServiceKind::kApplication;
    s.name = {Trimmed(Value(form, "name_ar")), Trimmed(Value(form, "name_en"))};
    if (s.name.ar.empty()) problems.push_back({"name_ar", T(lang, "catalog.problem.name_ar"), ""});
    s.description = {Trimmed(Value(form, "description_ar")),
                     Trimmed(Value(form, "description_en"))};
    s.eligibility = {Trimmed(Value(form, "eligibility_ar")),
                     Trimmed(Value(form, "eligibility_en"))};
    s.category = Value(form, "category");
    if (!Cat().Has(lang, std::string(kCategoryPrefix) + s.category) &&
        s.category != ctx.service.category)
      problems.push_back({"category", T(lang, "editor.error.choose"), ""});
    if (!Department(ctx.municipality, Value(form, "department"), s.department_id))
      problems.push_back({"department", T(lang, "editor.error.department"), ""});
    std::optional<int64_t> sla;
    if (!ReadWhole(form, "sla_days", sla) || !sla || *sla < 0 || *sla > 365) {
      problems.push_back({"sla_days", T(lang, "editor.error.sla_days"), ""});
    } else {
      s.sla_days = static_cast<int>(*sla);
    }
    s.channels.clear();
    const auto posted = form.GetAll("channels");
    for (const auto& c : catalog::AllChannels()) {
      if (std::find(posted.begin(), posted.end(), c) != posted.end()) s.channels.push_back(c);
    }
    if (!ParseMoney(Value(form, "fee_base"), s.fee.base_minor) || s.fee.base_minor < 0)
      problems.push_back({"fee_base", T(lang, "editor.error.amount"), ""});
    s.fee.rules.clear();
    for (int i = 1, rows = Rows(form, "rule_field_"); i <= rows; ++i) {
      const std::string n = std::to_string(i);
      catalog::FeeRule rule;
      rule.field = Value(form, "rule_field_" + n);
      rule.equals = Trimmed(Value(form, "rule_equals_" + n));
      const std::string add = Trimmed(Value(form, "rule_add_" + n));
      const std::string per_unit = Trimmed(Value(form, "rule_per_unit_" + n));
      if (Ticked(form, "rule_remove_" + n) ||
          (rule.field.empty() && rule.equals.empty() && add.empty() && per_unit.empty()))
        continue;
      bool known = false;
      for (const auto& p : s.form.pages) {
        for (const auto& f : p.fields) known = known || f.name == rule.field;
      }
      if (!known) problems.push_back({"rule_field_" + n, T(lang, "editor.error.rule_field"), ""});
      if (!add.empty() && !ParseMoney(add, rule.add_minor))
        problems.push_back({"rule_add_" + n, T(lang, "editor.error.amount"), ""});
      if (!per_unit.empty() && !ParseMoney(per_unit, rule.per_unit_minor))
        problems.push_back({"rule_per_unit_" + n, T(lang, "editor.error.amount"), ""});
      s.fee.rules.push_back(std::move(rule));
    }
    s.documents.clear();
    for (int i = 1, rows = Rows(form, "doc_ar_"); i <= rows; ++i) {
      const std::string n = std::to_string(i);
      catalog::Text doc{Trimmed(Value(form, "doc_ar_" + n)), Trimmed(Value(form, "doc_en_" + n))};
      if (Ticked(form, "doc_remove_" + n) || doc.Empty()) continue;
      s.documents.push_back(std::move(doc));
      documents.push_back(i);
    }
  }

  Response ShowService(const Request& req, const Context& ctx, const http::Params& values,
                       const Problems& problems, bool saved, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    const catalog::Service& s = ctx.service;
    render::Page page = NewPage(req, ctx.municipality, "editor-service.tpl", ctx.href,
                                s.name.In(lang) + " — " + T(lang, "admin_services.title"));
    render::Dict& b = page.body();
    b.SetValue("LIST_HREF", "/m/" + ctx.municipality.slug + "/admin/services");
    b.SetValue("NAME", s.name.In(lang));
    b.SetValue("CODE", s.code);
    b.SetValue("STATUS",
               T(lang, ctx.live.published ? "admin_services.published" : "admin_services.draft"));
    if (saved) b.SetValueAndShowSection("NOTICE", T(lang, "editor.saved"), "HAS_NOTICE");
    IncludeErrors(b, problems, lang);
    const Problems missing = MissingTexts(ctx, lang);
    if (missing.empty()) b.ShowSection("COMPLETE");
    for (const Problem& m : missing) {
      b.ShowSection("HAS_MISSING");
      render::Dict* d = b.AddSectionDictionary("MISSING");
      d->SetValue("TEXT", m.message);
      d->SetValue("HREF", m.href);
      d->ShowSection(m.href.empty() ? "PLAIN" : "LINK");
    }
    b.SetValue("CSRF", identity::TokenFor(req).value);
    b.SetValue("VERSION", std::to_string(ctx.live.version));
    b.SetValue("STATUS_HREF", ctx.href + "/status");
    b.ShowSection(ctx.live.published ? "CAN_WITHDRAW" : "CAN_PUBLISH");
    b.SetValue("WITHDRAW_HREF", ctx.href + "/withdraw");
    b.SetValue("STATUS_LABEL",
               T(lang, ctx.live.published ? "admin_services.withdraw" : "admin_services.publish"));
    // A published service is edited as the draft of its next version.
    b.SetValue("VERSIONS_HREF", ctx.href + "/versions");
    b.SetValue("PREVIEW_HREF", ctx.href + "/preview");
    if (ctx.Versioned()) {
      b.SetValueAndShowSection("VERSION_TEXT",
                               ctx.has_draft
                                   ? F(lang, "editor.versions.editing_draft",
                                       {{"live", i18n::FormatNumber(ctx.live.live_number, lang)}})
                                   : F(lang, "editor.versions.editing_live",
                                       {{"live", i18n::FormatNumber(ctx.live.live_number, lang)}}),
                               "VERSIONED");
      if (ctx.has_draft) b.ShowSection("HAS_DRAFT");
    }
    if (ctx.live.published)
      b.SetValueAndShowSection("PUBLIC_HREF", "/m/" + ctx.municipality.slug + "/services/" + s.code,
                               "IS_PUBLIC");
    int64_t fields = 0;
    for (const auto& p : s.form.pages) fields += static_cast<int64_t>(p.fields.size());
    b.SetValue("FORM_HREF", ctx.href + "/form");
    b.SetValue("FORM_SUMMARY",
               F(lang, "editor.service.form_summary",
                 {{"pages", i18n::FormatNumber(static_cast<int64_t>(s.form.pages.size()), lang)},
                  {"fields", i18n::FormatNumber(fields, lang)}}));
    b.SetValue("WORKFLOW_HREF", ctx.href + "/workflow");
    b.SetValue("WORKFLOW_SUMMARY", T(lang, s.workflow_json.empty() ? "editor.service.default_flow"
                                                                   : "editor.service.own_flow"));
    b.SetValue("DOCUMENT_HREF", ctx.href + "/document");
    b.SetValue("DOCUMENT_SUMMARY", s.document.Issues()
                                       ? T(lang, "editor.document.kind_" + s.document.kind)
                                       : T(lang, "editor.document.kind_none"));
    b.SetValue("NOTIFICATIONS_HREF", ctx.href + "/notifications");
    b.SetValue("NOTIFICATIONS_SUMMARY",
               T(lang, s.notifications.empty() ? "editor.service.default_notifications"
                                               : "editor.service.own_notifications"));
    IncludeForm(b, req, DetailsForm(ctx, values, lang), problems);
    return Finish(page, status);
  }
};

constexpr const char* kParts[] = {"subject", "body", "sms"};

catalog::Text& Part(catalog::NotificationText& n, std::string_view part) {
  return part == "subject" ? n.subject : part == "body" ? n.body : n.sms;
}

// The service's own notification wording, by event; an event left empty takes the catalogue's.
class NotificationPages : public Base {
 public:
  using Base::Base;

  Response Show(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    return ShowNotifications(req, *ctx, Values(ctx->service), {}, 200);
  }

  Response SaveNotifications(Request& req) {
    auto ctx = Load(req);
    if (!ctx) return Fail(ctx.error(), req);
    const i18n::Lang lang = render::RequestLang(req);
    const http::Params form = req.Form();
    const int64_t version = PostedVersion(form);
    if (version != ctx->service.version) return Stale(req, *ctx);
    catalog::Service changed = ctx->service;
    Read(form, changed);
    const Place place = [&](const baladiya::Problem& p) {
      Problem out{"", Say(p, {&changed.form, nullptr}, lang), ""};
      if (NameAt(p.path, 0) == "notifications" && p.path.size() == 4) {
        out.target = Id(NameAt(p.path, 1), NameAt(p.path, 2), NameAt(p.path, 3));
      }
      return out;
    };
    Problems problems;
    for (const baladiya::Problem& p : catalog::NotificationProblems(changed)) {
      problems.push_back(place(p));
    }
    if (!problems.empty()) return ShowNotifications(req, *ctx, form, problems, 422);
    auto saved = Save(req, *ctx, changed, version, "service.notifications_edited");
    if (!saved.ok()) {
      int status = Refused(saved.error(), changed, lang, place, problems);
      if (status == 409) return Stale(req, *ctx);
      if (status >= 500) return o_.error_page(status, req);
      return ShowNotifications(req, *ctx, form, problems, status);
    }
    return Response::Redirect(ctx->href + "?saved=1");
  }

 private:
  static std::string Id(std::string_view event, std::string_view part, std::string_view language) {
    return std::string(event) + "_" + std::string(part) + "_" + std::string(language);
  }

  // A conflict: the current wording, with the reason the change was not saved.
  Response Stale(const Request& req, const Context& shown) {
    const Result<Context> now = Load(req);
    const Context& ctx = now.ok() ? *now : shown;
    return ShowNotifications(req, ctx, Values(ctx.service),
                             {{"", T(render::RequestLang(req), "editor.conflict"), ""}}, 409);
  }

  static http::Params Values(const catalog::Service& s) {
    http::Params v;
    for (const auto& [event, n] : s.notifications) {
      catalog::NotificationText text = n;
      for (const char* part : kParts) {
        v.Add(Id(event, part, "ar"), Part(text, part).ar);
        v.Add(Id(event, part, "en"), Part(text, part).en);
      }
    }
    return v;
  }

  // Reads the posted wording into s: an event with every box empty goes back to the catalogue's
  // wording (catalog::NotificationProblems then says what else is wrong).
  static void Read(const http::Params& form, catalog::Service& s) {
    for (const catalog::NotificationEvent& e : catalog::NotificationEvents()) {
      catalog::NotificationText n;
      for (const char* part : kParts) {
        Part(n, part) = {Trimmed(Value(form, Id(e.name, part, "ar"))),
                         Trimmed(Value(form, Id(e.name, part, "en")))};
      }
      if (n.subject.Empty() && n.body.Empty() && n.sms.Empty()) {
        s.notifications.erase(std::string(e.name));
      } else {
        s.notifications[std::string(e.name)] = std::move(n);
      }
    }
  }

  std::string EventLabel(std::string_view event, i18n::Lang lang) const {
    return T(lang, "editor.notifications." + std::string(event));
  }

  Response ShowNotifications(const Request& req, const Context& ctx, const http::Params& v,
                             const Problems& problems, int status) {
    const i18n::Lang lang = render::RequestLang(req);
    EditForm form;
    form.action = ctx.href + "/notifications";
    form.version = ctx.service.version;
    for (const catalog::NotificationEvent& e : catalog::NotificationEvents()) {
      Group g{F(lang, "editor.notifications.legend", {{"event", EventLabel(e.name, lang)}}),
              T(lang, "editor.notifications.hint_" + std::string(e.name)),
              {}};
      for (const char* part : kParts) {
        for (const char* language : {"ar", "en"}) {
          const std::string id = Id(e.name, part, language);
          g.inputs.push_back(
              {.kind = std::string_view(part) == "subject" ? Input::Kind::kText
                                                           : Input::Kind::kTextarea,
               .id = id,
               .label = T(lang, "editor.notifications." + std::string(part) + "_" + language),
               .value = Value(v, id),
               .optional = true,
               .text_lang = language});
        }
      }
      form.groups.push_back(std::move(g));
    }
    form.buttons = {{"save", T(lang, "editor.notifications.save")}};
    return ShowEdit(req, ctx, form.action, T(lang, "editor.notifications.title"),
                    T(lang, "editor.notifications.intro"), form, problems, status);
  }
};

}  // namespace

void AddServiceEditorRoutes(identity::GuardedRoutes& routes, const Options& options) {
  auto pages = std::make_shared<ServicePages>(options);
  auto on = http::MemberHandlers(pages);
  const auto admin = identity::Access::Requires(identity::Permission::kManageCatalog);
  routes.Get("/m/{slug}/admin/services/new", admin, on(&ServicePages::NewForm));
  routes.Post("/m/{slug}/admin/services/new", admin, on(&ServicePages::Create));
  routes.Get("/m/{slug}/admin/services/{code}", admin, on(&ServicePages::Show));
  routes.Post("/m/{slug}/admin/services/{code}", admin, on(&ServicePages::SaveDetails));
  routes.Post("/m/{slug}/admin/services/{code}/status", admin, on(&ServicePages::SetStatus));
  routes.Get("/m/{slug}/admin/services/{code}/withdraw", admin, on(&ServicePages::ConfirmWithdraw));
  auto notifications = std::make_shared<NotificationPages>(options);
  routes.Get("/m/{slug}/admin/services/{code}/notifications", admin,
             [notifications](Request& r) { return notifications->Show(r); });
  routes.Post("/m/{slug}/admin/services/{code}/notifications", admin,
              [notifications](Request& r) { return notifications->SaveNotifications(r); });
}

}  // namespace baladiya::editor
