// Service forms without code: the schema a municipal admin edits (fields, pages, conditions,
// limits, bilingual texts), the validation of a resident's answers against it, the fee rule
// table, and the check that every text exists in Arabic and English before publishing.
// Pure functions; no storage.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/i18n/locale.h"
#include "platform/result.h"

namespace baladiya::catalog {

// A text in both languages. Empty means missing.
struct Text {
  std::string ar;
  std::string en;
  // The text in lang, falling back to the other language when that one is missing.
  const std::string& In(i18n::Lang lang) const;
  bool Complete() const { return !ar.empty() && !en.empty(); }
  bool Empty() const { return ar.empty() && en.empty(); }
  bool operator==(const Text&) const = default;
};

enum class FieldType {
  kText,            // one line
  kLongText,        // several lines
  kNumber,          // an integer (Arabic-Indic digits accepted)
  kDate,            // YYYY-MM-DD
  kSingleChoice,    // one of options
  kMultipleChoice,  // any of options
  kYesNo,           // "yes" or "no"
  kNationalId,      // 9 digits with a valid check digit
  kPhone,           // +970 / +972 mobile, stored E.164
  kEmail,
  kLocation,  // "lat,lng" coordinates, or an address / nearby landmark as text
  kFile,      // attachment ids (the content is checked where files are stored)
};
// "text", "long_text", "number", "date", "single_choice", "multiple_choice", "yes_no",
// "national_id", "phone", "email", "location", "file".
std::string_view FieldTypeName(FieldType t);
std::optional<FieldType> ParseFieldType(std::string_view name);

struct Option {
  std::string value;  // stable code stored in answers: [a-z0-9_-]{1,40}
  Text label;
  bool operator==(const Option&) const = default;
};

// Show a field only when another field's answer equals `equals` (for a multiple choice: when
// the answer includes it). The other field must come earlier in the form.
struct Condition {
  std::string field;
  std::string equals;
  bool operator==(const Condition&) const = default;
};

struct Field {
  std::string name;  // [a-z][a-z0-9_]{0,39}, unique in the form; also the HTML id
  FieldType type = FieldType::kText;
  Text label;
  Text help;  // optional
  bool required = true;
  // Text and long text: length in code points (0 = the type's default: 200 for text, 4000 for
  // long text). Number: inclusive bounds when set.
  int64_t min_length = 0;
  int64_t max_length = 0;
  std::optional<int64_t> min;
  std::optional<int64_t> max;
  // Number: how many digits may follow the decimal point (0..6; 0 = whole numbers only). A
  // decimal answer is stored in canonical Western form ("180.5"), whichever digits and decimal
  // separator ('.', '٫', ',') the person typed.
  int decimals = 0;
  std::vector<Option> options;  // single and multiple choice (at least one)
  std::optional<Condition> show_if;
  // File: the most files (default 1).
  int max_files = 1;
  bool operator==(const Field&) const = default;
};

struct Page {
  Text title;
  std::vector<Field> fields;  // at least one
  bool operator==(const Page&) const = default;
};

struct FormSchema {
  std::vector<Page> pages;  // at least one
  bool operator==(const FormSchema&) const = default;
};

// The answers to a form: field name -> values (one value for most types, several for a multiple
// choice or several files). Absent or empty = not answered.
using Answers = std::map<std::string, std::vector<std::string>>;

// JSON: {"pages":[{"title":{"ar":..,"en":..},"fields":[{"name":..,"type":..,"label":{..},
// "help":{..},"required":true,"min_length":..,"max_length":..,"min":..,"max":..,
// "options":[{"value":..,"label":{..}}],"show_if":{"field":..,"equals":..},"max_files":..}]}]}.
// kInvalid ("form.schema_invalid") with a detail naming the first problem and that problem in
// Error::problems, its path in the JSON's terms ({"pages", 0, "fields", 2, "max_length"}; field
// and option positions count from 0) and one of these keys, with its arguments:
//   form.problem.not_json            not JSON at all
//   form.problem.malformed           a value of the wrong type, or missing where needed
//   form.problem.unknown_key         {key}
//   form.problem.no_pages            path {"pages"}
//   form.problem.empty_page          {n}: the page's number, from 1; path {"pages", p, "fields"}
//   form.problem.bad_name            path .. "name"
//   form.problem.duplicate_name      {name}; path .. "name" of the second field so named
//   form.problem.unknown_type        {type}
//   form.problem.not_applicable      {key, type}: a property the field's type does not use
//   form.problem.no_options          {field}: a choice without options; path .. "options"
//   form.problem.option_value        path .. "options", k, "value"
//   form.problem.option_twice        {value}; path .. "options", k, "value" of the second one
//   form.problem.length_negative     path .. "min_length" or "max_length"
//   form.problem.length_cap          {max}; path .. "max_length"
//   form.problem.length_order        path .. "min_length"
//   form.problem.number_order        path .. "min"
//   form.problem.max_files           {max}; path .. "max_files"
//   form.problem.control_character   path .. "label" / "help" / "title", then "ar" or "en"
//   form.problem.condition_unknown   {field, name}: name is the unknown field; .. "show_if",
//   "field" form.problem.condition_self      path .. "show_if", "field"
//   form.problem.condition_later     {field, other}; path .. "show_if", "field"
//   form.problem.condition_value     {field, other}: a value other cannot have; .. "show_if",
//                                    "equals"
// ({field} and {other} are field names.)
Result<FormSchema> ParseFormSchema(std::string_view json);
std::string FormSchemaToJson(const FormSchema& schema);

// Whether the field applies, given the answers so far (its condition, if any, holds).
bool Visible(const Field& field, const Answers& answers);

// Validates and normalises the answers to the visible fields of one page (page < 0: every page):
// trims text, folds Arabic-Indic digits in numbers, IDs, phones and dates, normalises phones to
// E.164 and emails' domain to lower case, drops answers to hidden fields. Returns field name ->
// message key for each problem ("form.required", "form.too_long", "form.too_short",
// "form.not_a_number", "form.too_small", "form.too_large", "form.bad_date", "form.bad_choice",
// "form.bad_yes_no", plus identity's keys for national ID, phone and email, "form.bad_location",
// "form.too_many_files"); empty when all is well. Text must be valid UTF-8 without control
// characters other than line breaks in long text ("form.bad_text").
std::map<std::string, std::string> ValidateAnswers(const FormSchema& schema, int page,
                                                   Answers& answers);

// Every text that is missing in Arabic or English, in form order, as problems whose path ends
// in the language ("ar" or "en") and whose {in} argument is that language:
//   form.missing.page_title   {n, in}; path {"pages", p, "title", lang}
//   form.missing.field_label  {field, in}; path {"pages", p, "fields", i, "label", lang}
//   form.missing.field_help   {field, in}; path .. "help", lang
//   form.missing.option       {field, option, in}; path .. "options", k, "label", lang
// ({n} counts from 1; {field} is the field's name, {option} the option's value.) Help texts are
// optional, but a help given in one language must exist in the other.
std::vector<Problem> MissingTexts(const FormSchema& schema);

// Fee: a base amount plus, for each rule that matches, a fixed amount and/or an amount per unit
// of a number field. Amounts are minor units (agorot for ILS).
struct FeeRule {
  std::string field;
  std::string equals;          // the rule matches when answers[field] has this value; empty =
                               // whenever the field is answered
  int64_t add_minor = 0;       // added once when the rule matches
  int64_t per_unit_minor = 0;  // times the (number) answer when the rule matches
  bool operator==(const FeeRule&) const = default;
};
struct Fee {
  int64_t base_minor = 0;
  std::string currency = "ILS";
  std::vector<FeeRule> rules;
  bool operator==(const Fee&) const = default;
};
// JSON {"base":..,"currency":"ILS","rules":[{"field":..,"equals":..,"add":..,"per_unit":..}]}.
// kInvalid ("form.fee_invalid") with the first problem as ParseFormSchema gives it (keys
// not_json, malformed, unknown_key, bad_name for a rule's field, and form.problem.negative_base,
// form.problem.currency).
Result<Fee> ParseFee(std::string_view json);
std::string FeeToJson(const Fee& fee);
// Never negative; saturates instead of overflowing.
int64_t ComputeFee(const Fee& fee, const Answers& answers);

// The type of an uploaded file from its first bytes, whatever its name says: "application/pdf",
// "image/jpeg", "image/png", or empty when it is none of these.
std::string SniffFileType(std::string_view bytes);

}  // namespace baladiya::catalog
