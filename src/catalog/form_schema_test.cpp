#include "catalog/form_schema.h"

#include <gtest/gtest.h>

#include <limits>
#include <set>

namespace baladiya::catalog {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr size_t k100Kb = size_t{100} * 1024;

std::string Repeat(std::string_view piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i) out += piece;
  return out;
}

// ---- Builders ----------------------------------------------------------------------------------

Field MakeField(std::string name, FieldType type) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.label = {"سؤال", "Question"};
  if (type == FieldType::kSingleChoice || type == FieldType::kMultipleChoice) {
    f.options = {{"residential", {"سكني", "Residential"}},
                 {"commercial", {"تجاري", "Commercial"}},
                 {"agricultural", {"زراعي", "Agricultural"}}};
  }
  return f;
}

Field Q(FieldType type) { return MakeField("q", type); }

Field Optional(Field f) {
  f.required = false;
  return f;
}

Field Lengths(Field f, int64_t min_length, int64_t max_length) {
  f.min_length = min_length;
  f.max_length = max_length;
  return f;
}

Field Bounds(Field f, std::optional<int64_t> min, std::optional<int64_t> max) {
  f.min = min;
  f.max = max;
  return f;
}

Field Files(int max_files) {
  Field f = Q(FieldType::kFile);
  f.max_files = max_files;
  return f;
}

Field ShowIf(Field f, std::string field, std::string equals) {
  f.show_if = Condition{std::move(field), std::move(equals)};
  return f;
}

// ---- Field types and texts ---------------------------------------------------------------------

TEST(FieldTypeTest, NamesRoundTrip) {
  const FieldType all[] = {FieldType::kText,  FieldType::kLongText,     FieldType::kNumber,
                           FieldType::kDate,  FieldType::kSingleChoice, FieldType::kMultipleChoice,
                           FieldType::kYesNo, FieldType::kNationalId,   FieldType::kPhone,
                           FieldType::kEmail, FieldType::kLocation,     FieldType::kFile};
  std::set<std::string_view> names;
  for (FieldType t : all) {
    std::string_view name = FieldTypeName(t);
    names.insert(name);
    EXPECT_EQ(ParseFieldType(name), t) << name;
  }
  EXPECT_EQ(names.size(), std::size(all));
  EXPECT_EQ(FieldTypeName(FieldType::kLongText), "long_text");
  EXPECT_EQ(FieldTypeName(FieldType::kNationalId), "national_id");
  for (std::string_view bad : {"", "Text", "textarea", "long-text", "text ", "نص"}) {
    EXPECT_FALSE(ParseFieldType(bad).has_value()) << bad;
  }
}

TEST(TextTest, InFallsBackToTheOtherLanguage) {
  struct Case {
    Text text;
    std::string_view ar, en;
  };
  const Case cases[] = {
      {{"نعم", "Yes"}, "نعم", "Yes"},
      {{"نعم", ""}, "نعم", "نعم"},
      {{"", "Yes"}, "Yes", "Yes"},
      {{"", ""}, "", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.text.In(i18n::Lang::kAr), c.ar);
    EXPECT_EQ(c.text.In(i18n::Lang::kEn), c.en);
  }
  EXPECT_TRUE((Text{"أ", "a"}).Complete());
  EXPECT_FALSE((Text{"أ", ""}).Complete());
  EXPECT_TRUE((Text{}).Empty());
  EXPECT_FALSE((Text{"", "a"}).Empty());
}

// ---- Schema parsing ----------------------------------------------------------------------------

// A building permit form: two pages, every type, conditions within and across pages.
constexpr std::string_view kPermitJson = R"({"pages":[
 {"title":{"ar":"العقار","en":"The property"},"fields":[
  {"name":"use","type":"single_choice","label":{"ar":"الاستخدام","en":"Use"},
   "options":[{"value":"residential","label":{"ar":"سكني","en":"Residential"}},
              {"value":"commercial","label":{"ar":"تجاري","en":"Commercial"}}]},
  {"name":"shop_name","type":"text","label":{"ar":"اسم المحل","en":"Shop name"},
   "max_length":80,"show_if":{"field":"use","equals":"commercial"}},
  {"name":"plot_area","type":"number","label":{"ar":"مساحة القطعة","en":"Plot area"},
   "help":{"ar":"بالمتر المربع","en":"In square metres"},"min":1,"max":100000},
  {"name":"site","type":"location","label":{"ar":"الموقع","en":"Location"},"required":false}]},
 {"title":{"ar":"المالك","en":"The owner"},"fields":[
  {"name":"owner_id","type":"national_id","label":{"ar":"رقم الهوية","en":"ID number"}},
  {"name":"phone","type":"phone","label":{"ar":"الجوال","en":"Mobile"}},
  {"name":"email","type":"email","label":{"ar":"البريد","en":"Email"},"required":false},
  {"name":"since","type":"date","label":{"ar":"تاريخ التملك","en":"Owned since"}},
  {"name":"extras","type":"multiple_choice","label":{"ar":"إضافات","en":"Extras"},
   "required":false,"options":[{"value":"pool","label":{"ar":"مسبح","en":"Pool"}},
                               {"value":"garage","label":{"ar":"كراج","en":"Garage"}}]},
  {"name":"has_basement","type":"yes_no","label":{"ar":"قبو؟","en":"Basement?"}},
  {"name":"notes","type":"long_text","label":{"ar":"ملاحظات","en":"Notes"},
   "min_length":10,"max_length":2000,"show_if":{"field":"has_basement","equals":"yes"}},
  {"name":"deeds","type":"file","label":{"ar":"سند الملكية","en":"Title deed"},"max_files":3,
   "show_if":{"field":"extras","equals":"pool"}},
  {"name":"floors","type":"number","label":{"ar":"الطوابق","en":"Floors"},
   "show_if":{"field":"plot_area","equals":"500"}}]}]})";

TEST(ParseFormSchemaTest, ReadsEveryPart) {
  Result<FormSchema> schema = ParseFormSchema(kPermitJson);
  ASSERT_TRUE(schema.ok()) << schema.error().detail;
  ASSERT_EQ(schema->pages.size(), 2u);
  EXPECT_EQ(schema->pages[0].title, (Text{"العقار", "The property"}));
  ASSERT_EQ(schema->pages[0].fields.size(), 4u);
  ASSERT_EQ(schema->pages[1].fields.size(), 9u);

  const Field& use = schema->pages[0].fields[0];
  EXPECT_EQ(use.type, FieldType::kSingleChoice);
  EXPECT_TRUE(use.required);
  ASSERT_EQ(use.options.size(), 2u);
  EXPECT_EQ(use.options[1].value, "commercial");
  EXPECT_EQ(use.options[1].label.en, "Commercial");

  const Field& shop = schema->pages[0].fields[1];
  EXPECT_EQ(shop.max_length, 80);
  EXPECT_EQ(shop.min_length, 0);
  EXPECT_EQ(shop.show_if, (Condition{"use", "commercial"}));

  const Field& area = schema->pages[0].fields[2];
  EXPECT_EQ(area.min, 1);
  EXPECT_EQ(area.max, 100000);
  EXPECT_EQ(area.help.ar, "بالمتر المربع");
  EXPECT_FALSE(schema->pages[0].fields[3].required);

  const Field& deeds = schema->pages[1].fields[7];
  EXPECT_EQ(deeds.type, FieldType::kFile);
  EXPECT_EQ(deeds.max_files, 3);
  EXPECT_EQ(schema->pages[1].fields[0].max_files, 1);
  EXPECT_FALSE(schema->pages[1].fields[0].min.has_value());
}

TEST(ParseFormSchemaTest, RoundTripsExactly) {
  Result<FormSchema> first = ParseFormSchema(kPermitJson);
  ASSERT_TRUE(first.ok()) << first.error().detail;
  std::string json = FormSchemaToJson(*first);
  Result<FormSchema> second = ParseFormSchema(json);
  ASSERT_TRUE(second.ok()) << second.error().detail << "\n" << json;
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(FormSchemaToJson(*second), json);

  // Texts with quotes, backslashes, line breaks and mixed scripts; empty and one-sided texts;
  // extreme bounds.
  FormSchema odd;
  Field text = MakeField("a", FieldType::kText);
  text.label = {"قال \"مرحبا\" \\ ثم", "He said \"hi\" \\ then"};
  text.help = {"سطر\nسطر آخر", ""};
  text.required = false;
  Field number = Bounds(MakeField("b", FieldType::kNumber), kMin, kMax);
  number.label = {};
  Field files = MakeField("c", FieldType::kFile);
  files.max_files = 20;
  files.show_if = Condition{"b", "-12"};
  Field choice = MakeField("d", FieldType::kMultipleChoice);
  choice.options[0].label = {"", "Only English"};
  Field long_text = Lengths(MakeField("e", FieldType::kLongText), 4000, 100000);
  odd.pages = {{{"", ""}, {text, number}}, {{"ص٢", "p2"}, {files, choice, long_text}}};
  std::string odd_json = FormSchemaToJson(odd);
  Result<FormSchema> back = ParseFormSchema(odd_json);
  ASSERT_TRUE(back.ok()) << back.error().detail << "\n" << odd_json;
  EXPECT_EQ(*back, odd);
}

// A valid one-page form holding a single-choice field "kind" (house, shop) and then `field`.
std::string WithField(std::string_view field) {
  return std::string(R"({"pages":[{"title":{"ar":"أ","en":"A"},"fields":[)") +
         R"({"name":"kind","type":"single_choice","options":[{"value":"house"},{"value":"shop"}]},)" +
         std::string(field) + "]}]}";
}

TEST(ParseFormSchemaTest, AcceptsSoundVariants) {
  const std::string cases[] = {
      WithField(R"({"name":"x","type":"text"})"),  // no label yet: MissingTexts reports it
      WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","equals":"shop"}})"),
      WithField(R"({"name":"t","type":"text"},)"
                R"({"name":"x","type":"text","show_if":{"field":"t","equals":"نعم"}})"),
      WithField(R"({"name":"n","type":"number","min":0,"max":9},)"
                R"({"name":"x","type":"date","show_if":{"field":"n","equals":"5"}})"),
      WithField(R"({"name":"y","type":"yes_no"},)"
                R"({"name":"x","type":"file","show_if":{"field":"y","equals":"no"}})"),
      WithField(R"({"name":"x","type":"long_text","min_length":4000})"),
      WithField(R"({"name":"x","type":"text","min_length":0,"max_length":100000})"),
      WithField(R"({"name":"x","type":"number","min":-5,"max":-5})"),
      WithField(R"({"name":"x","type":"file","max_files":20})"),
      WithField(R"({"name":"x234567890123456789012345678901234567890","type":"email"})"),
      std::string(R"({"pages":[{"fields":[{"name":"a","type":"yes_no"}]},)") +
          R"({"fields":[{"name":"b","type":"text","show_if":{"field":"a","equals":"yes"}}]}]})",
  };
  for (const std::string& json : cases) {
    Result<FormSchema> schema = ParseFormSchema(json);
    EXPECT_TRUE(schema.ok()) << json << "\n" << (schema.ok() ? "" : schema.error().detail);
  }
}

// A path within the i-th field of the first page.
Path InField(size_t i, std::initializer_list<PathStep> rest) {
  Path path = {"pages", size_t{0}, "fields", i};
  path.insert(path.end(), rest);
  return path;
}

// Each malformed schema names its first problem twice: in the detail for logs, and as a problem
// whose path, key and arguments a page can show beside the input at fault.
TEST(ParseFormSchemaTest, RefusesMalformedSchemas) {
  struct Case {
    std::string json;
    std::string detail;  // exact, or only its start when it is "invalid JSON"
    Problem want;
  };
  const std::string page = R"({"title":{"ar":"أ","en":"A"},"fields":[{"name":"a","type":"text"}]})";
  const Problem not_json = {{}, "form.problem.not_json", {}};
  const Problem bad_name = {InField(1, {"name"}), "form.problem.bad_name", {}};
  auto malformed = [](Path path) { return Problem{std::move(path), "form.problem.malformed", {}}; };
  auto unknown_key = [](Path path, std::string key) {
    return Problem{std::move(path), "form.problem.unknown_key", {{"key", std::move(key)}}};
  };
  auto not_applicable = [](const char* key, const char* type) {
    return Problem{
        InField(1, {key}), "form.problem.not_applicable", {{"key", key}, {"type", type}}};
  };
  auto option_value = [](size_t k) {
    return Problem{InField(1, {"options", k, "value"}), "form.problem.option_value", {}};
  };
  const Problem max_files = {InField(1, {"max_files"}), "form.problem.max_files", {{"max", "20"}}};
  auto condition_value = [](size_t i, const char* other) {
    return Problem{InField(i, {"show_if", "equals"}),
                   "form.problem.condition_value",
                   {{"field", "x"}, {"other", other}}};
  };
  const Case cases[] = {
      // The document and its pages.
      {"", "invalid JSON", not_json},
      {"not json", "invalid JSON", not_json},
      {R"({"pages":[)", "invalid JSON", not_json},
      {"{\"pages\":[]}\xff", "invalid JSON", not_json},
      {Repeat("[", 50) + Repeat("]", 50), "invalid JSON", not_json},
      {"[]", "top level is not an object", malformed({})},
      {"{}", "pages missing", malformed({"pages"})},
      {R"({"pages":{}})", "pages missing", malformed({"pages"})},
      {R"({"pages":[]})", "no pages", {{"pages"}, "form.problem.no_pages", {}}},
      {R"({"pages":[],"version":2})", "unknown key 'version'", unknown_key({"version"}, "version")},
      {R"({"pages":[1]})", "page 1: not an object", malformed({"pages", size_t{0}})},
      {R"({"pages":[{"title":{"ar":"أ","en":"A"}}]})",
       "page 1: no fields",
       {{"pages", size_t{0}, "fields"}, "form.problem.empty_page", {{"n", "1"}}}},
      {R"({"pages":[{"fields":[]}]})",
       "page 1: no fields",
       {{"pages", size_t{0}, "fields"}, "form.problem.empty_page", {{"n", "1"}}}},
      {R"({"pages":[{"fields":{}}]})",
       "page 1: no fields",
       {{"pages", size_t{0}, "fields"}, "form.problem.empty_page", {{"n", "1"}}}},
      {"{\"pages\":[" + page + R"(,{"fields":[]}]})",
       "page 2: no fields",
       {{"pages", size_t{1}, "fields"}, "form.problem.empty_page", {{"n", "2"}}}},
      {R"({"pages":[{"titel":{},"fields":[]}]})", "page 1: unknown key 'titel'",
       unknown_key({"pages", size_t{0}, "titel"}, "titel")},
      {R"({"pages":[{"title":"A","fields":[]}]})", "page 1: title is not an object",
       malformed({"pages", size_t{0}, "title"})},
      {R"({"pages":[{"title":{"fr":"A"},"fields":[]}]})", "page 1: title: unknown key 'fr'",
       unknown_key({"pages", size_t{0}, "title", "fr"}, "fr")},
      {R"({"pages":[{"title":{"ar":1},"fields":[]}]})", "page 1: title: ar is not a string",
       malformed({"pages", size_t{0}, "title", "ar"})},
      {R"({"pages":[{"title":{"en":"a\u0007"},"fields":[]}]})",
       "page 1: title has a control character",
       {{"pages", size_t{0}, "title", "en"}, "form.problem.control_character", {}}},
      // Names.
      {WithField(R"({"type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField("5"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"","type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"Plot","type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"1st","type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"plot-area","type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"مساحة","type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"x2345678901234567890123456789012345678901","type":"text"})"),
       "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":7,"type":"text"})"), "page 1 field 2: bad name", bad_name},
      {WithField(R"({"name":"kind","type":"text"})"),
       "page 1 field kind: duplicate name",
       {InField(1, {"name"}), "form.problem.duplicate_name", {{"name", "kind"}}}},
      {R"({"pages":[)" + page + "," + page + "]}",
       "page 2 field a: duplicate name",
       {{"pages", size_t{1}, "fields", size_t{0}, "name"},
        "form.problem.duplicate_name",
        {{"name", "a"}}}},
      // Types and keys.
      {WithField(R"({"name":"x"})"), "page 1 field x: type missing",
       malformed(InField(1, {"type"}))},
      {WithField(R"({"name":"x","type":"textarea"})"),
       "page 1 field x: unknown type 'textarea'",
       {InField(1, {"type"}), "form.problem.unknown_type", {{"type", "textarea"}}}},
      {WithField(R"({"name":"x","type":"text","requried":true})"),
       "page 1 field x: unknown key 'requried'", unknown_key(InField(1, {"requried"}), "requried")},
      {WithField(R"({"name":"x","type":"text","required":"yes"})"),
       "page 1 field x: required is not true or false", malformed(InField(1, {"required"}))},
      {WithField(R"({"name":"x","type":"text","label":"X"})"),
       "page 1 field x: label is not an object", malformed(InField(1, {"label"}))},
      {WithField(R"({"name":"x","type":"text","help":{"ar":"\u0000"}})"),
       "page 1 field x: help has a control character",
       {InField(1, {"help", "ar"}), "form.problem.control_character", {}}},
      {WithField(R"({"name":"x","type":"number","min_length":1})"),
       "page 1 field x: min_length does not apply to type number",
       not_applicable("min_length", "number")},
      {WithField(R"({"name":"x","type":"email","max_length":1})"),
       "page 1 field x: max_length does not apply to type email",
       not_applicable("max_length", "email")},
      {WithField(R"({"name":"x","type":"text","min":1})"),
       "page 1 field x: min does not apply to type text", not_applicable("min", "text")},
      {WithField(R"({"name":"x","type":"date","max":1})"),
       "page 1 field x: max does not apply to type date", not_applicable("max", "date")},
      {WithField(R"({"name":"x","type":"yes_no","options":[{"value":"maybe"}]})"),
       "page 1 field x: options does not apply to type yes_no",
       not_applicable("options", "yes_no")},
      {WithField(R"({"name":"x","type":"text","max_files":2})"),
       "page 1 field x: max_files does not apply to type text",
       not_applicable("max_files", "text")},
      // Options.
      {WithField(R"({"name":"x","type":"single_choice"})"),
       "page 1 field x: no options",
       {InField(1, {"options"}), "form.problem.no_options", {{"field", "x"}}}},
      {WithField(R"({"name":"x","type":"multiple_choice","options":[]})"),
       "page 1 field x: no options",
       {InField(1, {"options"}), "form.problem.no_options", {{"field", "x"}}}},
      {WithField(R"({"name":"x","type":"single_choice","options":{}})"),
       "page 1 field x: options is not an array", malformed(InField(1, {"options"}))},
      {WithField(R"({"name":"x","type":"single_choice","options":["a"]})"),
       "page 1 field x: option 1 is not an object", malformed(InField(1, {"options", size_t{0}}))},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"label":{}}]})"),
       "page 1 field x: option 1: bad value", option_value(0)},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":"a"},{"value":"B"}]})"),
       "page 1 field x: option 2: bad value", option_value(1)},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":""}]})"),
       "page 1 field x: option 1: bad value", option_value(0)},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":"a b"}]})"),
       "page 1 field x: option 1: bad value", option_value(0)},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":"a"},{"value":"a"}]})"),
       "page 1 field x: option a: duplicate value",
       {InField(1, {"options", size_t{1}, "value"}),
        "form.problem.option_twice",
        {{"value", "a"}}}},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":"a","lable":{}}]})"),
       "page 1 field x: option a: unknown key 'lable'",
       unknown_key(InField(1, {"options", size_t{0}, "lable"}), "lable")},
      {WithField(R"({"name":"x","type":"single_choice","options":[{"value":"a","label":"A"}]})"),
       "page 1 field x: option a: label is not an object",
       malformed(InField(1, {"options", size_t{0}, "label"}))},
      // Limits.
      {WithField(R"({"name":"x","type":"text","min_length":1.5})"),
       "page 1 field x: min_length is not an integer in range",
       malformed(InField(1, {"min_length"}))},
      {WithField(R"({"name":"x","type":"number","max":1e30})"),
       "page 1 field x: max is not an integer in range", malformed(InField(1, {"max"}))},
      {WithField(R"({"name":"x","type":"number","max":18446744073709551615})"),
       "page 1 field x: max is not an integer in range", malformed(InField(1, {"max"}))},
      {WithField(R"({"name":"x","type":"number","min":"1"})"),
       "page 1 field x: min is not an integer in range", malformed(InField(1, {"min"}))},
      {WithField(R"({"name":"x","type":"text","min_length":-1})"),
       "page 1 field x: negative length",
       {InField(1, {"min_length"}), "form.problem.length_negative", {}}},
      {WithField(R"({"name":"x","type":"long_text","max_length":-4})"),
       "page 1 field x: negative length",
       {InField(1, {"max_length"}), "form.problem.length_negative", {}}},
      {WithField(R"({"name":"x","type":"long_text","max_length":100001})"),
       "page 1 field x: max_length above 100000",
       {InField(1, {"max_length"}), "form.problem.length_cap", {{"max", "100000"}}}},
      {WithField(R"({"name":"x","type":"text","min_length":201})"),
       "page 1 field x: min_length above max_length",
       {InField(1, {"min_length"}), "form.problem.length_order", {}}},
      {WithField(R"({"name":"x","type":"text","min_length":10,"max_length":5})"),
       "page 1 field x: min_length above max_length",
       {InField(1, {"min_length"}), "form.problem.length_order", {}}},
      {WithField(R"({"name":"x","type":"number","min":10,"max":5})"),
       "page 1 field x: min above max",
       {InField(1, {"min"}), "form.problem.number_order", {}}},
      {WithField(R"({"name":"x","type":"file","max_files":0})"),
       "page 1 field x: max_files outside 1..20", max_files},
      {WithField(R"({"name":"x","type":"file","max_files":21})"),
       "page 1 field x: max_files outside 1..20", max_files},
      {WithField(R"({"name":"x","type":"file","max_files":-3})"),
       "page 1 field x: max_files outside 1..20", max_files},
      {WithField(R"({"name":"x","type":"file","max_files":4294967297})"),
       "page 1 field x: max_files outside 1..20", max_files},
      // Conditions.
      {WithField(R"({"name":"x","type":"text","show_if":"kind"})"),
       "page 1 field x: show_if is not an object", malformed(InField(1, {"show_if"}))},
      {WithField(R"({"name":"x","type":"text","show_if":{"equals":"shop"}})"),
       "page 1 field x: show_if: field missing", malformed(InField(1, {"show_if", "field"}))},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","value":"shop"}})"),
       "page 1 field x: show_if: unknown key 'value'",
       unknown_key(InField(1, {"show_if", "value"}), "value")},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","equals":1}})"),
       "page 1 field x: show_if: equals is not a string",
       malformed(InField(1, {"show_if", "equals"}))},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"nope","equals":"a"}})"),
       "page 1 field x: condition on unknown field 'nope'",
       {InField(1, {"show_if", "field"}),
        "form.problem.condition_unknown",
        {{"field", "x"}, {"name", "nope"}}}},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"x","equals":"a"}})"),
       "page 1 field x: condition on itself",
       {InField(1, {"show_if", "field"}), "form.problem.condition_self", {}}},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"y","equals":"yes"}},)"
                 R"({"name":"y","type":"yes_no"})"),
       "page 1 field x: condition on later field y",
       {InField(1, {"show_if", "field"}),
        "form.problem.condition_later",
        {{"field", "x"}, {"other", "y"}}}},
      {R"({"pages":[{"fields":[{"name":"a","type":"text","show_if":{"field":"b","equals":"x"}}]},)"
       R"({"fields":[{"name":"b","type":"text"}]}]})",
       "page 1 field a: condition on later field b",
       {InField(0, {"show_if", "field"}),
        "form.problem.condition_later",
        {{"field", "a"}, {"other", "b"}}}},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","equals":"farm"}})"),
       "page 1 field x: condition on a value field kind cannot have", condition_value(1, "kind")},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","equals":"Shop"}})"),
       "page 1 field x: condition on a value field kind cannot have", condition_value(1, "kind")},
      {WithField(R"({"name":"x","type":"text","show_if":{"field":"kind","equals":""}})"),
       "page 1 field x: condition on a value field kind cannot have", condition_value(1, "kind")},
      {WithField(R"({"name":"t","type":"text"},)"
                 R"({"name":"x","type":"text","show_if":{"field":"t","equals":""}})"),
       "page 1 field x: condition on a value field t cannot have", condition_value(2, "t")},
      {WithField(R"({"name":"t","type":"text"},)"
                 R"({"name":"x","type":"text","show_if":{"field":"t","equals":" a"}})"),
       "page 1 field x: condition on a value field t cannot have", condition_value(2, "t")},
      {WithField(R"({"name":"y","type":"yes_no"},)"
                 R"({"name":"x","type":"text","show_if":{"field":"y","equals":"maybe"}})"),
       "page 1 field x: condition on a value field y cannot have", condition_value(2, "y")},
      {WithField(R"({"name":"n","type":"number","max":9},)"
                 R"({"name":"x","type":"text","show_if":{"field":"n","equals":"05"}})"),
       "page 1 field x: condition on a value field n cannot have", condition_value(2, "n")},
      {WithField(R"({"name":"n","type":"number","max":9},)"
                 R"({"name":"x","type":"text","show_if":{"field":"n","equals":"10"}})"),
       "page 1 field x: condition on a value field n cannot have", condition_value(2, "n")},
      {WithField(R"({"name":"d","type":"date"},)"
                 R"({"name":"x","type":"text","show_if":{"field":"d","equals":"2023-02-29"}})"),
       "page 1 field x: condition on a value field d cannot have", condition_value(2, "d")},
  };
  for (const Case& c : cases) {
    Result<FormSchema> got = ParseFormSchema(c.json);
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalid) << c.json;
    EXPECT_EQ(got.error().message_key, "form.schema_invalid") << c.json;
    if (c.detail == "invalid JSON") {
      EXPECT_TRUE(got.error().detail.starts_with("invalid JSON: ")) << got.error().detail;
    } else {
      EXPECT_EQ(got.error().detail, c.detail) << c.json;
    }
    ASSERT_EQ(got.error().problems.size(), 1u) << c.json;
    const Problem& p = got.error().problems[0];
    EXPECT_EQ(PathText(p.path), PathText(c.want.path)) << c.detail;
    EXPECT_EQ(p, c.want) << c.detail << ": " << p.key;
  }
}

// ---- Answers, one field at a time --------------------------------------------------------------

struct AnswerCase {
  Field field;
  std::optional<std::vector<std::string>> given;  // nullopt: no entry in the answers
  std::string want;                               // message key, empty when accepted
  std::vector<std::string> stored;  // accepted: the normalised values (empty: no entry)
};

void RunAnswers(const std::vector<AnswerCase>& cases) {
  for (const AnswerCase& c : cases) {
    FormSchema schema{{{{"ص", "P"}, {c.field}}}};
    Answers answers;
    if (c.given) answers[c.field.name] = *c.given;
    std::string shown = c.given ? (c.given->empty() ? "{}" : c.given->front()) : "(absent)";
    if (shown.size() > 60) shown = shown.substr(0, 60) + "...";
    std::string label = std::string(FieldTypeName(c.field.type)) + " '" + shown + "'";

    std::map<std::string, std::string> problems = ValidateAnswers(schema, 0, answers);
    if (!c.want.empty()) {
      EXPECT_EQ(problems, (std::map<std::string, std::string>{{c.field.name, c.want}})) << label;
      // A refused answer is kept as typed, so that the form can show it again.
      if (c.given) {
        EXPECT_EQ(answers[c.field.name], *c.given) << label;
      }
      continue;
    }
    EXPECT_TRUE(problems.empty()) << label << ": " << problems.begin()->second;
    if (c.stored.empty()) {
      EXPECT_FALSE(answers.contains(c.field.name)) << label;
    } else {
      EXPECT_EQ(answers[c.field.name], c.stored) << label;
    }
  }
}

using V = std::vector<std::string>;

TEST(ValidateAnswersTest, Text) {
  const Field text = Q(FieldType::kText);
  const std::string ba = "ب";  // 2 bytes, 1 code point
  RunAnswers({
      {text, V{"hello"}, "", {"hello"}},
      {text, V{"  مرحبا  "}, "", {"مرحبا"}},
      {text, V{"\u00a0\u200fطلب رخصة\u200f \t"}, "", {"طلب رخصة"}},
      {text, V{"\ufeff\u3000x\u2003"}, "", {"x"}},
      {text, V{"\u061cنص\u061c"}, "", {"نص"}},  // Arabic letter mark
      {text, V{"مبنى A-12 في رام الله"}, "", {"مبنى A-12 في رام الله"}},
      {text, V{"a", " "}, "", {"a"}},
      {text, V{"", "b"}, "", {"b"}},
      {text, std::nullopt, "form.required", {}},
      {text, V{}, "form.required", {}},
      {text, V{""}, "form.required", {}},
      {text, V{" \u00a0\u200f "}, "form.required", {}},
      {text, V{"", "  "}, "form.required", {}},
      {Optional(text), std::nullopt, "", {}},
      {Optional(text), V{"  "}, "", {}},
      {Optional(text), V{}, "", {}},
      {text, V{"a", "b"}, "form.invalid", {}},
      {text, V{"a\nb"}, "form.bad_text", {}},
      {text, V{"a\r\nb"}, "form.bad_text", {}},
      {text, V{"a\tb"}, "form.bad_text", {}},
      {text, V{std::string("a\0b", 3)}, "form.bad_text", {}},
      {text, V{"a\x1b[31m"}, "form.bad_text", {}},
      {text, V{"a\x7f"}, "form.bad_text", {}},
      {text, V{"a\u0085b"}, "form.bad_text", {}},
      {text, V{"\xff"}, "form.bad_text", {}},
      {text, V{"abc\xc0\xaf"}, "form.bad_text", {}},        // overlong '/'
      {text, V{"\xed\xa0\x80"}, "form.bad_text", {}},       // a surrogate
      {text, V{"\xd8"}, "form.bad_text", {}},               // truncated
      {text, V{Repeat("a", 200)}, "", {Repeat("a", 200)}},  // the default limit
      {text, V{Repeat("a", 201)}, "form.too_long", {}},
      {text, V{Repeat(ba, 200)}, "", {Repeat(ba, 200)}},  // code points, not bytes
      {text, V{Repeat(ba, 201)}, "form.too_long", {}},
      {text, V{Repeat("a", k100Kb)}, "form.too_long", {}},
      {Lengths(text, 3, 5), V{"ab"}, "form.too_short", {}},
      {Lengths(text, 3, 5), V{"  ab  "}, "form.too_short", {}},
      {Lengths(text, 3, 5), V{"abc"}, "", {"abc"}},
      {Lengths(text, 3, 5), V{"أبجد"}, "", {"أبجد"}},
      {Lengths(text, 3, 5), V{"abc دهـ"}, "form.too_long", {}},
      {Lengths(text, 3, 5), V{"abcdef"}, "form.too_long", {}},
      {Lengths(text, 0, 300), V{Repeat(ba, 300)}, "", {Repeat(ba, 300)}},
  });
}

TEST(ValidateAnswersTest, LongText) {
  const Field long_text = Q(FieldType::kLongText);
  RunAnswers({
      {long_text, V{"سطر\r\nline 2\nسطر ٣"}, "", {"سطر\nline 2\nسطر ٣"}},
      {long_text, V{"\r\n  نص  \r\n\r\n"}, "", {"نص"}},
      {long_text, V{"a\n\nb"}, "", {"a\n\nb"}},
      {long_text, V{"a\rb"}, "form.bad_text", {}},
      {long_text, V{"a\tb"}, "form.bad_text", {}},
      {long_text, V{"a\n\x01"}, "form.bad_text", {}},
      {long_text, V{"\xfe\xff"}, "form.bad_text", {}},
      {long_text, V{Repeat("x", 4000)}, "", {Repeat("x", 4000)}},
      {long_text, V{Repeat("x", 4001)}, "form.too_long", {}},
      // A line break counts once, as in the browser.
      {Lengths(long_text, 0, 3), V{"a\r\nb"}, "", {"a\nb"}},
      {Lengths(long_text, 0, 3), V{"a\r\nbc"}, "form.too_long", {}},
      {Lengths(long_text, 5, 0), V{"abcd"}, "form.too_short", {}},
      // 100 KB of Arabic is 51,200 code points.
      {Lengths(long_text, 0, 100000), V{Repeat("ب", 51200)}, "", {Repeat("ب", 51200)}},
      {Lengths(long_text, 0, 51199), V{Repeat("ب", 51200)}, "form.too_long", {}},
      {Lengths(long_text, 0, 100000), V{Repeat("ab\n", 40000)}, "form.too_long", {}},
  });
}

TEST(ValidateAnswersTest, Number) {
  const Field number = Q(FieldType::kNumber);
  const Field bounded = Bounds(number, 0, 100);
  RunAnswers({
      {number, V{"42"}, "", {"42"}},
      {number, V{"٤٢"}, "", {"42"}},
      {number, V{"۴۲"}, "", {"42"}},
      {number, V{" ١٢ "}, "", {"12"}},
      {number, V{"-7"}, "", {"-7"}},
      {number, V{"+7"}, "", {"7"}},
      {number, V{"007"}, "", {"7"}},
      {number, V{"-0"}, "", {"0"}},
      {number, V{"9223372036854775807"}, "", {"9223372036854775807"}},
      {number, V{"-9223372036854775808"}, "", {"-9223372036854775808"}},
      {number, V{"9223372036854775808"}, "form.too_large", {}},
      {number, V{"-9223372036854775809"}, "form.too_small", {}},
      {number, V{"99999999999999999999"}, "form.too_large", {}},
      {number, V{Repeat("9", k100Kb)}, "form.too_large", {}},
      {number, V{Repeat("0", k100Kb) + "5"}, "", {"5"}},
      {number, V{"12.5"}, "form.not_a_number", {}},
      {number, V{"١٢٫٥"}, "form.not_a_number", {}},
      {number, V{"1,000"}, "", {"1000"}},  // grouped thousands, as people write them
      {number, V{"١٬٠٠٠"}, "", {"1000"}},
      {number, V{"1 000"}, "form.not_a_number", {}},
      {number, V{"1e3"}, "form.not_a_number", {}},
      {number, V{"abc"}, "form.not_a_number", {}},
      {number, V{"١٢a"}, "form.not_a_number", {}},
      {number, V{"-"}, "form.not_a_number", {}},
      {number, V{"+"}, "form.not_a_number", {}},
      {number, V{"--1"}, "form.not_a_number", {}},
      {number, V{"+-1"}, "form.not_a_number", {}},
      {number, V{"0x10"}, "form.not_a_number", {}},
      {number, V{"1", "2"}, "form.invalid", {}},
      {number, V{""}, "form.required", {}},
      {bounded, V{"0"}, "", {"0"}},
      {bounded, V{"100"}, "", {"100"}},
      {bounded, V{"١٠٠"}, "", {"100"}},
      {bounded, V{"-1"}, "form.too_small", {}},
      {bounded, V{"101"}, "form.too_large", {}},
      {bounded, V{"١٠١"}, "form.too_large", {}},
      {Bounds(number, 5, std::nullopt), V{"4"}, "form.too_small", {}},
      {Bounds(number, std::nullopt, -5), V{"-4"}, "form.too_large", {}},
      {Bounds(number, std::nullopt, -5), V{"-5"}, "", {"-5"}},
  });
}

Field Decimals(Field f, int decimals) {
  f.decimals = decimals;
  return f;
}

// A decimal area as people type it: Arabic-Indic digits and the Arabic decimal separator
// (U+066B), Western digits and a point, or a decimal comma; stored in canonical Western form.
TEST(ValidateAnswersTest, DecimalNumber) {
  const Field area = Decimals(Bounds(Q(FieldType::kNumber), 1, 50000), 2);
  RunAnswers({
      {area, V{"١٨٠٫٥"}, "", {"180.5"}},
      {area, V{"180.5"}, "", {"180.5"}},
      {area, V{"180,5"}, "", {"180.5"}},
      {area, V{"١٨٠.٥٠"}, "", {"180.5"}},
      {area, V{"٢٠٠"}, "", {"200"}},
      {area, V{"1,250.75"}, "", {"1250.75"}},
      {area, V{"180.555"}, "form.too_precise", {}},
      {area, V{"0.5"}, "form.too_small", {}},
      {area, V{"50000.01"}, "form.too_large", {}},
      {area, V{"50000.00"}, "", {"50000"}},
      {area, V{"١٨٠٫"}, "form.not_a_decimal", {}},
      {area, V{"abc"}, "form.not_a_decimal", {}},
      {area, V{"1.2.3"}, "form.not_a_decimal", {}},
      {area, V{Repeat("9", 40)}, "form.not_a_decimal", {}},
  });
}

TEST(FormSchemaTest, DecimalsAreANumbersOwnAndBounded) {
  auto ok = ParseFormSchema(
      R"({"pages":[{"title":{"ar":"ص","en":"p"},"fields":[{"name":"area","type":"number",)"
      R"("decimals":2,"label":{"ar":"م","en":"a"}}]}]})");
  ASSERT_TRUE(ok.ok()) << ok.error().detail;
  EXPECT_EQ(ok->pages[0].fields[0].decimals, 2);
  auto again = ParseFormSchema(FormSchemaToJson(*ok));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *ok);
  auto too_many = ParseFormSchema(
      R"({"pages":[{"title":{"ar":"ص","en":"p"},"fields":[{"name":"area","type":"number",)"
      R"("decimals":7,"label":{"ar":"م","en":"a"}}]}]})");
  ASSERT_FALSE(too_many.ok());
  ASSERT_FALSE(too_many.error().problems.empty());
  EXPECT_EQ(too_many.error().problems[0].key, "form.problem.decimals");
  auto text = ParseFormSchema(
      R"({"pages":[{"title":{"ar":"ص","en":"p"},"fields":[{"name":"t","type":"text",)"
      R"("decimals":1,"label":{"ar":"م","en":"a"}}]}]})");
  ASSERT_FALSE(text.ok());
}

TEST(ComputeFeeTest, ADecimalAnswerIsChargedForItsFraction) {
  Fee fee;
  fee.currency = "ILS";
  fee.base_minor = 0;
  FeeRule rule;
  rule.field = "area";
  rule.per_unit_minor = 1000;  // 10.00 per m²
  fee.rules.push_back(rule);
  EXPECT_EQ(ComputeFee(fee, {{"area", {"180.5"}}}), 180500);
  EXPECT_EQ(ComputeFee(fee, {{"area", {"180"}}}), 180000);
  EXPECT_EQ(ComputeFee(fee, {{"area", {"0.0005"}}}), 1);  // half a minor unit rounds up
}

TEST(ValidateAnswersTest, Date) {
  const Field date = Q(FieldType::kDate);
  RunAnswers({
      {date, V{"2024-02-29"}, "", {"2024-02-29"}},
      {date, V{"2000-02-29"}, "", {"2000-02-29"}},
      {date, V{"٢٠٢٤-٠٢-٢٩"}, "", {"2024-02-29"}},
      {date, V{" 2026-11-03 "}, "", {"2026-11-03"}},
      {date, V{"2026-12-31"}, "", {"2026-12-31"}},
      {date, V{"0001-01-01"}, "", {"0001-01-01"}},
      {date, V{"9999-12-31"}, "", {"9999-12-31"}},
      {date, V{"2023-02-29"}, "form.bad_date", {}},
      {date, V{"1900-02-29"}, "form.bad_date", {}},
      {date, V{"2024-02-30"}, "form.bad_date", {}},
      {date, V{"2024-04-31"}, "form.bad_date", {}},
      {date, V{"2024-13-01"}, "form.bad_date", {}},
      {date, V{"2024-00-10"}, "form.bad_date", {}},
      {date, V{"2024-01-00"}, "form.bad_date", {}},
      {date, V{"0000-01-01"}, "form.bad_date", {}},
      {date, V{"2024-2-29"}, "form.bad_date", {}},
      {date, V{"24-02-29"}, "form.bad_date", {}},
      {date, V{"2024/02/29"}, "form.bad_date", {}},
      {date, V{"29-02-2024"}, "form.bad_date", {}},
      {date, V{"2024-02-29T00:00"}, "form.bad_date", {}},
      {date, V{"+024-02-29"}, "form.bad_date", {}},
      {date, V{"2024-0a-29"}, "form.bad_date", {}},
      {date, V{Repeat("2", k100Kb)}, "form.bad_date", {}},
      {date, V{"2024-01-01", "2024-01-02"}, "form.invalid", {}},
  });
}

TEST(ValidateAnswersTest, Choices) {
  const Field single = Q(FieldType::kSingleChoice);
  const Field multiple = Q(FieldType::kMultipleChoice);
  const Field yes_no = Q(FieldType::kYesNo);
  RunAnswers({
      {single, V{"residential"}, "", {"residential"}},
      {single, V{" commercial\u200f"}, "", {"commercial"}},
      {single, V{"Residential"}, "form.bad_choice", {}},
      {single, V{"farm"}, "form.bad_choice", {}},
      {single, V{"سكني"}, "form.bad_choice", {}},
      {single, V{Repeat("a", k100Kb)}, "form.bad_choice", {}},
      {single, V{"residential", "commercial"}, "form.invalid", {}},
      {single, V{""}, "form.required", {}},
      {Optional(single), V{""}, "", {}},
      {multiple, V{"commercial"}, "", {"commercial"}},
      // In the order of the options, without repeats.
      {multiple, V{"agricultural", "residential"}, "", {"residential", "agricultural"}},
      {multiple, V{"commercial", "commercial", " commercial"}, "", {"commercial"}},
      {multiple, V{"", "agricultural", " "}, "", {"agricultural"}},
      {multiple, V{"residential", "farm"}, "form.bad_choice", {}},
      {multiple, V{}, "form.required", {}},
      {Optional(multiple), V{"", ""}, "", {}},
      {yes_no, V{"yes"}, "", {"yes"}},
      {yes_no, V{"no"}, "", {"no"}},
      {yes_no, V{" NO "}, "", {"no"}},
      {yes_no, V{"Yes"}, "", {"yes"}},
      {yes_no, V{"نعم"}, "form.bad_yes_no", {}},
      {yes_no, V{"y"}, "form.bad_yes_no", {}},
      {yes_no, V{"true"}, "form.bad_yes_no", {}},
      {yes_no, V{"yes", "no"}, "form.invalid", {}},
      {yes_no, std::nullopt, "form.required", {}},
  });
}

TEST(ValidateAnswersTest, IdentityTypes) {
  const Field id = Q(FieldType::kNationalId);
  const Field phone = Q(FieldType::kPhone);
  const Field email = Q(FieldType::kEmail);
  RunAnswers({
      {id, V{"401234562"}, "", {"401234562"}},
      {id, V{" ٤٠١٢٣٤٥٦٢ "}, "", {"401234562"}},
      {id, V{"4012-3456-2"}, "", {"401234562"}},
      {id, V{"401234563"}, "identity.national_id.check_digit", {}},
      {id, V{"40123456"}, "identity.national_id.format", {}},
      {id, V{Repeat("4", k100Kb)}, "identity.national_id.format", {}},
      {id, V{"401234562", "852769157"}, "form.invalid", {}},
      {phone, V{"0599123456"}, "", {"+970599123456"}},
      {phone, V{"٠٥٩٩١٢٣٤٥٦"}, "", {"+970599123456"}},
      {phone, V{"+972 52-123-4567"}, "", {"+972521234567"}},
      {phone, V{"0571234567"}, "identity.phone.format", {}},
      {phone, V{"02 298 1234"}, "identity.phone.format", {}},
      {phone, V{Repeat("5", k100Kb)}, "identity.phone.format", {}},
      {email, V{" Name@Example.PS "}, "", {"Name@example.ps"}},
      {email, V{"name.example.ps"}, "identity.email.format", {}},
      {email, V{Repeat("a", k100Kb) + "@example.ps"}, "identity.email.format", {}},
      {Optional(email), V{" "}, "", {}},
  });
}

TEST(ValidateAnswersTest, Location) {
  const Field location = Q(FieldType::kLocation);
  const std::string landmark = "قرب مسجد العين، شارع القدس، البيرة";
  RunAnswers({
      {location, V{"31.9038,35.2034"}, "", {"31.9038,35.2034"}},
      {location, V{"31.9038, 35.2034"}, "", {"31.9038,35.2034"}},
      {location, V{"٣١٫٩٠٣٨،٣٥٫٢٠٣٤"}, "", {"31.9038,35.2034"}},
      {location, V{"-33.5,151"}, "", {"-33.5,151"}},
      {location, V{"+10,-20.25"}, "", {"10,-20.25"}},
      {location, V{"90,180"}, "", {"90,180"}},
      {location, V{"-90.0,-180.0"}, "", {"-90.0,-180.0"}},
      {location, V{"91,10"}, "form.bad_location", {}},
      {location, V{"10,181"}, "form.bad_location", {}},
      {location, V{"90.0001,0"}, "form.bad_location", {}},
      {location, V{"-91,0"}, "form.bad_location", {}},
      {location, V{"٩١،١٠"}, "form.bad_location", {}},
      // Anything not shaped like coordinates is an address or a landmark.
      {location, V{"abc,def"}, "", {"abc,def"}},
      {location, V{landmark}, "", {landmark}},
      {location, V{"Main St 5, Ramallah"}, "", {"Main St 5, Ramallah"}},
      {location, V{"شارع ٥، رام الله"}, "", {"شارع ٥، رام الله"}},
      {location, V{"31.9,35.2,7"}, "", {"31.9,35.2,7"}},
      {location, V{"31.,35"}, "", {"31.,35"}},
      {location, V{Repeat("ب", 500)}, "", {Repeat("ب", 500)}},
      {location, V{Repeat("ب", 501)}, "form.bad_location", {}},
      {location, V{Repeat("1", k100Kb)}, "form.bad_location", {}},
      {location,
       V{Repeat("1", k100Kb / 2) + "," + Repeat("1", k100Kb / 2)},
       "form.bad_location",
       {}},
      {location, V{"a\nb"}, "form.bad_text", {}},
      {location, V{"\xc3"}, "form.bad_text", {}},
      {location, V{"1,2", "3,4"}, "form.invalid", {}},
  });
}

TEST(ValidateAnswersTest, Files) {
  const Field one = Q(FieldType::kFile);
  RunAnswers({
      {one, V{"att_01H9Z"}, "", {"att_01H9Z"}},
      {one, V{"a", "a"}, "", {"a"}},
      {one, V{"a", "b"}, "form.too_many_files", {}},
      {Files(3), V{"a", "b", "c"}, "", {"a", "b", "c"}},
      {Files(3), V{"c", "", "a"}, "", {"c", "a"}},
      {Files(3), V{"a", "b", "c", "d"}, "form.too_many_files", {}},
      {one, V{"../etc/passwd"}, "form.invalid", {}},
      {one, V{"ملف"}, "form.invalid", {}},
      {one, V{Repeat("a", 128)}, "", {Repeat("a", 128)}},
      {one, V{Repeat("a", 129)}, "form.invalid", {}},
      {one, V{}, "form.required", {}},
  });
}

TEST(ValidateAnswersTest, FloodsOfValuesStayCheap) {
  // 100,000 values for one field: refused at once for a single-value field, after a few for
  // files, and folded to the options for a multiple choice.
  V many_ids, many_choices;
  for (int i = 0; i < 100000; ++i) {
    many_ids.push_back("f" + std::to_string(i));
    many_choices.push_back(i % 2 == 0 ? "commercial" : "residential");
  }
  RunAnswers({
      {Q(FieldType::kText), many_ids, "form.invalid", {}},
      {Files(20), many_ids, "form.too_many_files", {}},
      {Q(FieldType::kMultipleChoice), many_choices, "", {"residential", "commercial"}},
  });
}

// ---- Answers to a whole form: pages and conditions ---------------------------------------------

FormSchema ConditionalForm() {
  Field kind = MakeField("kind", FieldType::kSingleChoice);
  kind.options = {{"house", {"منزل", "House"}}, {"shop", {"محل", "Shop"}}};
  Field shop_name = ShowIf(MakeField("shop_name", FieldType::kText), "kind", "shop");
  Field basement = ShowIf(MakeField("basement", FieldType::kYesNo), "kind", "house");
  Field area = ShowIf(MakeField("basement_area", FieldType::kNumber), "basement", "yes");
  Field uses = Optional(MakeField("uses", FieldType::kMultipleChoice));
  Field detail = ShowIf(MakeField("commercial_detail", FieldType::kText), "uses", "commercial");
  return FormSchema{
      {{{"أ", "A"}, {kind, shop_name, basement, area}}, {{"ب", "B"}, {uses, detail}}}};
}

TEST(ValidateAnswersTest, PagesAndConditions) {
  struct Case {
    std::string_view what;
    int page;
    Answers given;
    std::map<std::string, std::string> want;
    Answers stored;
  };
  const Case cases[] = {
      {"a hidden answer is dropped; a visible required field is asked for",
       0,
       {{"kind", {"house"}}, {"shop_name", {"Bakery"}}},
       {{"basement", "form.required"}},
       {{"kind", {"house"}}}},
      {"the condition sees the normalised answer",
       0,
       {{"kind", {" shop "}}, {"shop_name", {" Bakery "}}},
       {},
       {{"kind", {"shop"}}, {"shop_name", {"Bakery"}}}},
      {"a chain of conditions",
       0,
       {{"kind", {"house"}}, {"basement", {"yes"}}},
       {{"basement_area", "form.required"}},
       {{"kind", {"house"}}, {"basement", {"yes"}}}},
      {"hiding a field hides the fields that depend on it",
       0,
       {{"kind", {"shop"}}, {"shop_name", {"x"}}, {"basement", {"yes"}}, {"basement_area", {"9"}}},
       {},
       {{"kind", {"shop"}}, {"shop_name", {"x"}}}},
      {"an unanswered condition hides the field",
       0,
       {{"shop_name", {"x"}}},
       {{"kind", "form.required"}},
       {}},
      {"a refused condition answer hides the fields that depend on it",
       0,
       {{"kind", {"farm"}}, {"shop_name", {"x"}}},
       {{"kind", "form.bad_choice"}},
       {{"kind", {"farm"}}}},
      {"only the page asked for is checked",
       0,
       {{"kind", {"shop"}}, {"shop_name", {"x"}}, {"uses", {"bad"}}, {"commercial_detail", {"y"}}},
       {},
       {{"kind", {"shop"}}, {"shop_name", {"x"}}, {"uses", {"bad"}}, {"commercial_detail", {"y"}}}},
      {"a multiple choice condition holds when the answer includes the value",
       1,
       {{"uses", {"commercial", "residential"}}},
       {{"commercial_detail", "form.required"}},
       {{"uses", {"residential", "commercial"}}}},
      {"and fails when it does not",
       1,
       {{"uses", {"residential"}}, {"commercial_detail", {"x"}}},
       {},
       {{"uses", {"residential"}}}},
      {"every page at once",
       -1,
       {{"kind", {"house"}}, {"basement", {"no"}}, {"basement_area", {"5"}}, {"uses", {""}}},
       {},
       {{"kind", {"house"}}, {"basement", {"no"}}}},
      {"every page at once, problems on both",
       -1,
       {{"uses", {"commercial"}}},
       {{"kind", "form.required"}, {"commercial_detail", "form.required"}},
       {{"uses", {"commercial"}}}},
      {"answers to names the form does not have are dropped",
       1,
       {{"uses", {"residential"}}, {"is_admin", {"yes"}}, {"", {"x"}}},
       {},
       {{"uses", {"residential"}}}},
      {"a page past the end checks nothing",
       7,
       {{"kind", {"farm"}}, {"other", {"x"}}},
       {},
       {{"kind", {"farm"}}}},
  };
  const FormSchema schema = ConditionalForm();
  for (const Case& c : cases) {
    Answers answers = c.given;
    EXPECT_EQ(ValidateAnswers(schema, c.page, answers), c.want) << c.what;
    EXPECT_EQ(answers, c.stored) << c.what;
  }
}

TEST(VisibleTest, FollowsTheCondition) {
  const Field plain = MakeField("a", FieldType::kText);
  const Field when_shop = ShowIf(plain, "kind", "shop");
  struct Case {
    const Field& field;
    Answers answers;
    bool want;
  };
  const Case cases[] = {
      {plain, {}, true},
      {when_shop, {}, false},
      {when_shop, {{"kind", {"shop"}}}, true},
      {when_shop, {{"kind", {"house"}}}, false},
      {when_shop, {{"kind", {}}}, false},
      {when_shop, {{"kind", {"house", "shop"}}}, true},
      {when_shop, {{"other", {"shop"}}}, false},
  };
  for (const Case& c : cases) EXPECT_EQ(Visible(c.field, c.answers), c.want);
}

// ---- Missing texts -----------------------------------------------------------------------------

TEST(MissingTextsTest, NamesEveryGap) {
  Field use = MakeField("use", FieldType::kSingleChoice);
  use.options[0].label.en.clear();
  use.options[2].label = {};
  Field area = MakeField("plot_area", FieldType::kNumber);
  area.label.ar.clear();
  area.help = {"", "In square metres"};
  Field notes = MakeField("notes", FieldType::kLongText);
  notes.help = {"اختياري", "Optional"};

  using Args = std::map<std::string, std::string>;
  auto title = [](size_t p, const char* lang) {
    return Problem{{"pages", p, "title", lang},
                   "form.missing.page_title",
                   Args{{"n", std::to_string(p + 1)}, {"in", lang}}};
  };
  auto option = [](size_t k, const char* value, const char* lang) {
    return Problem{InField(0, {"options", k, "label", lang}), "form.missing.option",
                   Args{{"field", "use"}, {"option", value}, {"in", lang}}};
  };
  struct Case {
    FormSchema schema;
    std::vector<Problem> want;
  };
  const Case cases[] = {
      {FormSchema{{{{"أ", "A"}, {MakeField("a", FieldType::kText)}}}}, {}},
      {FormSchema{{{{"أ", "A"}, {notes}}}}, {}},  // a complete help text is fine
      {FormSchema{{{{"أ", ""}, {MakeField("a", FieldType::kText)}},
                   {{"", ""}, {MakeField("b", FieldType::kText)}}}},
       {title(0, "en"), title(1, "ar"), title(1, "en")}},
      {FormSchema{{{{"أ", "A"}, {use, area}}}},
       {option(0, "residential", "en"),
        option(2, "agricultural", "ar"),
        option(2, "agricultural", "en"),
        {InField(1, {"label", "ar"}),
         "form.missing.field_label",
         {{"field", "plot_area"}, {"in", "ar"}}},
        {InField(1, {"help", "ar"}),
         "form.missing.field_help",
         {{"field", "plot_area"}, {"in", "ar"}}}}},
  };
  for (const Case& c : cases) EXPECT_EQ(MissingTexts(c.schema), c.want);

  // A schema just parsed, with no labels at all.
  Result<FormSchema> bare = ParseFormSchema(
      R"({"pages":[{"fields":[{"name":"x","type":"yes_no","help":{"en":"Tick one"}}]}]})");
  ASSERT_TRUE(bare.ok()) << bare.error().detail;
  const std::vector<Problem> missing = MissingTexts(*bare);
  std::vector<std::string> where;
  where.reserve(missing.size());
  for (const Problem& p : missing) where.push_back(PathText(p.path) + " " + p.key);
  EXPECT_EQ(where, (std::vector<std::string>{
                       "pages[0].title.ar form.missing.page_title",
                       "pages[0].title.en form.missing.page_title",
                       "pages[0].fields[0].label.ar form.missing.field_label",
                       "pages[0].fields[0].label.en form.missing.field_label",
                       "pages[0].fields[0].help.ar form.missing.field_help",
                   }));
}

// ---- Fees --------------------------------------------------------------------------------------

TEST(FeeTest, ParsesAndRoundTrips) {
  Result<Fee> fee = ParseFee(
      R"({"base":5000,"currency":"ILS","rules":[{"field":"use","equals":"commercial","add":2500},
         {"field":"plot_area","per_unit":150},{"field":"urgent","equals":"yes","add":-100}]})");
  ASSERT_TRUE(fee.ok()) << fee.error().detail;
  EXPECT_EQ(fee->base_minor, 5000);
  EXPECT_EQ(fee->currency, "ILS");
  ASSERT_EQ(fee->rules.size(), 3u);
  EXPECT_EQ(fee->rules[0], (FeeRule{"use", "commercial", 2500, 0}));
  EXPECT_EQ(fee->rules[1], (FeeRule{"plot_area", "", 0, 150}));
  EXPECT_EQ(fee->rules[2], (FeeRule{"urgent", "yes", -100, 0}));
  Result<Fee> back = ParseFee(FeeToJson(*fee));
  ASSERT_TRUE(back.ok()) << back.error().detail;
  EXPECT_EQ(*back, *fee);

  Fee extreme{kMax, "JOD", {{"a", "ب", kMin, kMax}}};
  Result<Fee> extreme_back = ParseFee(FeeToJson(extreme));
  ASSERT_TRUE(extreme_back.ok()) << extreme_back.error().detail;
  EXPECT_EQ(*extreme_back, extreme);

  Result<Fee> defaults = ParseFee("{}");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(*defaults, Fee{});
}

TEST(FeeTest, RefusesMalformedFees) {
  struct Case {
    std::string_view json;
    std::string_view detail;
  };
  const Case cases[] = {
      {R"({"base":)", "invalid JSON"},
      {"[1]", "top level is not an object"},
      {R"({"base":1,"tax":2})", "unknown key 'tax'"},
      {R"({"base":-1})", "negative base"},
      {R"({"base":1.5})", "base is not an integer in range"},
      {R"({"base":"100"})", "base is not an integer in range"},
      {R"({"currency":"ils"})", "currency is not an ISO code"},
      {R"({"currency":"ILSX"})", "currency is not an ISO code"},
      {R"({"currency":7})", "currency is not a string"},
      {R"({"rules":{}})", "rules is not an array"},
      {R"({"rules":[3]})", "rule 1: not an object"},
      {R"({"rules":[{"field":"a"},{"add":5}]})", "rule 2: bad field name"},
      {R"({"rules":[{"field":"A"}]})", "rule 1: bad field name"},
      {R"({"rules":[{"field":"a","add":"5"}]})", "rule 1: add is not an integer in range"},
      {R"({"rules":[{"field":"a","per_unit":1e3}]})",
       "rule 1: per_unit is not an integer in range"},
      {R"({"rules":[{"field":"a","equals":true}]})", "rule 1: equals is not a string"},
      {R"({"rules":[{"field":"a","each":5}]})", "rule 1: unknown key 'each'"},
  };
  for (const Case& c : cases) {
    Result<Fee> got = ParseFee(c.json);
    ASSERT_FALSE(got.ok()) << c.json;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(got.error().message_key, "form.fee_invalid");
    if (c.detail == "invalid JSON") {
      EXPECT_TRUE(got.error().detail.starts_with("invalid JSON: ")) << got.error().detail;
    } else {
      EXPECT_EQ(got.error().detail, c.detail) << c.json;
    }
    EXPECT_EQ(got.error().problems.size(), 1u) << c.json;
  }
  // Where the problem is, and what it is.
  struct Where {
    std::string_view json;
    Problem want;
  };
  const Where where[] = {
      {R"({"base":1,"tax":2})", {{"tax"}, "form.problem.unknown_key", {{"key", "tax"}}}},
      {R"({"base":-1})", {{"base"}, "form.problem.negative_base", {}}},
      {R"({"currency":"ils"})", {{"currency"}, "form.problem.currency", {}}},
      {R"({"rules":[{"field":"a"},{"add":5}]})",
       {{"rules", size_t{1}, "field"}, "form.problem.bad_name", {}}},
      {R"({"rules":[{"field":"a","add":"5"}]})",
       {{"rules", size_t{0}, "add"}, "form.problem.malformed", {}}},
  };
  for (const Where& w : where) {
    Result<Fee> got = ParseFee(w.json);
    ASSERT_FALSE(got.ok()) << w.json;
    EXPECT_EQ(got.error().problems, std::vector<Problem>{w.want}) << w.json;
  }
}

TEST(FeeTest, Computes) {
  const Fee permit{1000,
                   "ILS",
                   {{"use", "commercial", 5000, 0},
                    {"plot_area", "", 0, 250},
                    {"urgent", "yes", 2000, 0},
                    {"extras", "pool", 700, 0}}};
  struct Case {
    Fee fee;
    Answers answers;
    int64_t want;
  };
  const Case cases[] = {
      {permit, {}, 1000},
      {permit, {{"use", {"commercial"}}}, 6000},
      {permit, {{"use", {"residential"}}}, 1000},
      {permit, {{"plot_area", {"100"}}}, 1000 + 25000},
      {permit, {{"plot_area", {"٤"}}}, 1000 + 1000},
      {permit, {{"plot_area", {"abc"}}}, 1000},
      {permit, {{"plot_area", {"12.5"}}}, 1000 + 3125},  // a decimal area, charged for its fraction
      {permit, {{"plot_area", {""}}}, 1000},
      {permit, {{"plot_area", {}}}, 1000},
      {permit, {{"extras", {"garage", "pool"}}}, 1700},
      {permit,
       {{"use", {"commercial"}}, {"plot_area", {"10"}}, {"urgent", {"yes"}}},
       1000 + 5000 + 2500 + 2000},
      // Never negative, never overflowing.
      {permit, {{"plot_area", {"-10"}}}, 0},
      {Fee{100, "ILS", {{"a", "", -500, 0}}}, {{"a", {"x"}}}, 0},
      {Fee{-100, "ILS", {}}, {}, 0},
      {Fee{kMax, "ILS", {{"a", "", kMax, 0}}}, {{"a", {"x"}}}, kMax},
      {Fee{0, "ILS", {{"a", "", 0, kMax}}}, {{"a", {"2"}}}, kMax},
      {Fee{0, "ILS", {{"a", "", 0, kMax}}}, {{"a", {"-9223372036854775808"}}}, 0},
      {Fee{0, "ILS", {{"a", "", 0, kMin}}}, {{"a", {"-9223372036854775808"}}}, kMax},
      {Fee{0, "ILS", {{"a", "", 0, 2}}}, {{"a", {"99999999999999999999"}}}, 0},
      {Fee{kMax, "ILS", {{"a", "", kMin, 0}, {"a", "", kMin, 0}}}, {{"a", {"x"}}}, 0},
      {Fee{5, "ILS", {{"a", "", kMax, kMax}, {"a", "", kMax, 0}}}, {{"a", {"9"}}}, kMax},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ComputeFee(c.fee, c.answers), c.want) << FeeToJson(c.fee);
  }
}

// ---- Uploaded files ----------------------------------------------------------------------------

TEST(SniffFileTypeTest, ReadsTheFirstBytes) {
  struct Case {
    std::string_view bytes;
    std::string_view want;
  };
  const Case cases[] = {
      {"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"},
      {"%PDF-", "application/pdf"},
      {"\xFF\xD8\xFF\xE0\x00\x10JFIF", "image/jpeg"},
      {"\xFF\xD8\xFF", "image/jpeg"},
      {std::string_view("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16), "image/png"},
      {"%PDF", ""},
      {" %PDF-1.4", ""},
      {"%pdf-1.4", ""},
      {"\xFF\xD8", ""},
      {"\x89PNG\r\n\x1A", ""},
      {"\x89PNG\n\x1A\n\r", ""},
      {"This is a text file named deed.pdf", ""},
      {"GIF89a", ""},
      {"PK\x03\x04", ""},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(SniffFileType(c.bytes), c.want) << c.bytes;
}

}  // namespace
}  // namespace baladiya::catalog
