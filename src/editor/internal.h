// What the municipal admin's editors share (service.cpp: a service's details, creating and
// publishing it; form.cpp: its form; workflow.cpp: its workflow; services.cpp: the list): loading
// the service, the generic edit page (labelled inputs, fieldsets, error summary linking to each
// input), number input parsing, showing the validators' problems (platform/result.h) in the
// page's language, and saving with optimistic concurrency and an audit entry.
// Internal to the editor module.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "editor/editor.h"
#include "identity/web.h"
#include "platform/http/errors.h"
#include "platform/result.h"
#include "workflow/services.h"
#include "workflow/workflow.h"

namespace baladiya::editor {

// One input of an edit page, rendered by editor-input.tpl with its label, hint and error.
struct Input {
  enum class Kind { kText, kTextarea, kSelect, kCheckbox };
  Kind kind = Kind::kText;
  std::string id;     // the element id, which the error summary links to
  std::string name;   // the posted name (the id when empty; checkbox groups share one)
  std::string label;  // already in the page's language
  std::string hint;   // optional
  std::string value;  // text; the chosen option of a select; the value a checkbox sends
  bool checked = false;
  bool required = false;  // aria-required: needed to save, or to publish
  bool optional = false;  // labelled "(optional)": never needed
  // "ar" / "en": text typed in that language (lang and dir set on the input); "ltr": codes and
  // numbers, left to right in either page; empty: the page's direction.
  std::string text_lang;
  std::vector<std::pair<std::string, std::string>> options;  // select: (value, label)
};

// Inputs under one fieldset (no fieldset when the legend is empty).
struct Group {
  std::string legend;
  std::string hint;
  std::vector<Input> inputs;
};

// What is wrong with an edit, in the page's language. The summary links to href, or to the
// input named by target (whose own message it also shows), or to nothing.
struct Problem {
  std::string target;
  std::string message;
  std::string href;
};
using Problems = std::vector<Problem>;

// Shows a validator's problem on a page: its message in the page's language, linked to the input
// at fault when the page has one, or to where it is written.
using Place = std::function<Problem(const baladiya::Problem&)>;

// What the arguments of a validator's problem name, so that they are shown as labels.
struct Names {
  const catalog::FormSchema* form = nullptr;     // {field}, {other}: a field's name
  const workflow::Workflow* workflow = nullptr;  // {state}, {initial}, {from}: a state's key
};

struct EditForm {
  std::string action;
  int64_t version = 0;  // the service's version the form was shown at
  std::vector<Group> groups;
  std::vector<std::pair<std::string, std::string>> buttons;  // ("go" value, label); first main
  std::string back_href;  // the link under the form (editor-edit.tpl)
  std::string back_label;
};

// The service being edited and where its editor pages are. A published service is edited as
// the draft of its next version (versions.cpp): `service` is the draft (the live one's content
// when none is started yet) and `live` what residents are served; the draft's `version` counts
// its own saves.
// The before/after values of a change to a service, field by field, for the audit log: texts,
// department (by `department`'s name for an id), due days, channels, fee, documents, the form
// question by question, the workflow, notifications and the issued document. Only what differs;
// everything for a new service (`before` empty).
std::vector<audit::Change> ServiceChanges(const catalog::Service& before,
                                          const catalog::Service& after,
                                          const std::function<std::string(int64_t)>& department);

struct Context {
  catalog::Municipality municipality;
  catalog::Service service;
  std::string href;  // "/m/{slug}/admin/services/{code}"
  catalog::Service live;
  bool has_draft = false;
  bool Versioned() const { return live.published; }
};

// Text with the ASCII white space around it removed.
std::string Trimmed(std::string_view s);
// A whole number (Arabic-Indic digits accepted, white space around ignored); false when the text
// is not one.
bool ParseWhole(std::string_view text, int64_t& out);
// A whole number typed in a form (Arabic-Indic digits accepted): nullopt when empty; false when
// it is not a whole number.
bool ReadWhole(const http::Params& form, std::string_view name, std::optional<int64_t>& out);
// A form's value or empty.
std::string Value(const http::Params& form, std::string_view name);
// Text in quotation marks: «…» in Arabic, “…” in English.
std::string Quoted(std::string_view text, i18n::Lang lang);
// "yes" when a checkbox was ticked.
bool Ticked(const http::Params& form, std::string_view name);

// The member name at path[i]; empty when path is shorter or holds a position there.
std::string_view NameAt(const Path& path, size_t i);
// The position at path[i]; nullopt when path is shorter or holds a name there.
std::optional<size_t> IndexAt(const Path& path, size_t i);
// The path without its first n steps.
Path Tail(const Path& path, size_t n);

// The pages' shared machinery; each editor derives from it.
class Base {
 public:
  explicit Base(Options o) : o_(std::move(o)) {}

 protected:
  using Request = http::Request;
  using Response = http::Response;

  const i18n::Catalog& Cat() const { return *o_.site->catalog; }
  std::string T(i18n::Lang lang, std::string_view key) const { return Cat().Get(lang, key); }
  std::string F(i18n::Lang lang, std::string_view key,
                std::initializer_list<std::pair<std::string_view, std::string>> args) const {
    return Cat().Format(lang, key, args);
  }

  // The municipality and service of the {slug} and {code} path parameters: kNotFound for none,
  // kUnavailable when they cannot be read.
  Result<Context> Load(const Request& req);
  Result<catalog::Municipality> Municipality(const Request& req);
  // The error page of a failed lookup: 404 for what is not there, 503 with Retry-After when
  // storage is down (never a 404).
  Response Fail(const Error& e, const Request& req) const {
    return o_.error_page(http::StatusOf(e.code), req);
  }

  // A page of the editors: title, the header's municipality, never cached.
  render::Page NewPage(const Request& req, const catalog::Municipality& m, const char* tpl,
                       const std::string& path, const std::string& title);
  static Response Finish(render::Page& page, int status);

  // The generic edit page (editor-edit.tpl): heading, intro, the error summary, the form.
  Response ShowEdit(const Request& req, const Context& ctx, const std::string& path,
                    const std::string& title, const std::string& intro, const EditForm& form,
                    const Problems& problems, int status);

  // Fills the error summary ({{>ERRORS}}) when there are problems.
  void IncludeErrors(render::Dict& dict, const Problems& problems, i18n::Lang lang) const;
  // Fills the form ({{>FORM}}) with the inputs, their values and errors.
  void IncludeForm(render::Dict& dict, const Request& req, const EditForm& form,
                   const Problems& problems) const;

  // The version a form was shown at (0 when missing or malformed).
  static int64_t PostedVersion(const http::Params& form);

  // Stores `changed` when the service still has `expected` version, in one transaction with
  // an audit entry (action, "service:<id>") and `more`, run first.
  Result<int64_t> Save(const Request& req, const Context& ctx, const catalog::Service& changed,
                       int64_t expected, std::string_view action,
                       const std::function<Status(db::Tx&, int64_t id)>& more = {});
  // Explains a failed Save in the page's language; returns the status to answer with (409 for
  // a stale version, 422 for a refused change, 503 otherwise). `changed` is what was to be saved;
  // the validator's problems go through `place` (when empty, messages without links).
  int Refused(const Error& e, const catalog::Service& changed, i18n::Lang lang, const Place& place,
              Problems& out) const;

  // A validator's problem's message in the page's language, its arguments shown as a reader
  // expects them: {n}, {max}: numbers in the page's digits; {field}, {other}: the
  // field's label, Quoted; {state}, {initial}, {from}: the state's label, Quoted; {in}: "in
  // Arabic" or "in English"; {event}: the notification's name; {known}: the placeholders as a
  // list. The others (codes and names as typed) as they are.
  std::string Say(const baladiya::Problem& p, const Names& names, i18n::Lang lang) const;

  // Every missing text of the service as a problem linking to where it is written.
  Problems MissingTexts(const Context& ctx, i18n::Lang lang) const;
  // Where the text at a path of catalog::MissingTexts is written: its input on the service page
  // ("#name_en"), the notifications page or the form's pages.
  static std::string WhereWritten(const Context& ctx, const catalog::Service& s, const Path& path);

  // The answers a fee rule or a condition can name, to choose from instead of typing codes:
  // first ("", any_label), then every choice of the form's choice and yes/no questions (but
  // `except`) as (code, "question: choice") in the page's language; a current value that is none
  // of them is kept as it is, so that showing the page never loses it.
  std::vector<std::pair<std::string, std::string>> AnswerChoices(const catalog::FormSchema& form,
                                                                 std::string_view except,
                                                                 const std::string& current,
                                                                 const std::string& any_label,
                                                                 i18n::Lang lang) const;

  // A field's label, Quoted, in the page's language (its name when unlabelled).
  static std::string FieldTitle(const catalog::FormSchema& form, std::string_view name,
                                i18n::Lang lang);
  // A state's label in the page's language (its key when unlabelled or unknown), and the same
  // Quoted, for messages.
  static std::string StateLabel(const workflow::Workflow& wf, std::string_view key,
                                i18n::Lang lang);
  static std::string StateTitle(const workflow::Workflow& wf, std::string_view key,
                                i18n::Lang lang);

  Options o_;
};

// The routes of the services list, the service pages, the form editor and the workflow editor
// (services.cpp, service.cpp, form.cpp, workflow.cpp).
void AddServicesListRoutes(identity::GuardedRoutes& routes, const Options& options);
void AddServiceEditorRoutes(identity::GuardedRoutes& routes, const Options& options);
void AddFormEditorRoutes(identity::GuardedRoutes& routes, const Options& options);
void AddWorkflowEditorRoutes(identity::GuardedRoutes& routes, const Options& options);
// The document the service issues (document.cpp).
void AddDocumentEditorRoutes(identity::GuardedRoutes& routes, const Options& options);
// The municipality's search synonyms (synonyms.cpp).
void AddSynonymsRoutes(identity::GuardedRoutes& routes, const Options& options);
// The versions of a published service: preview of the draft, publishing it now or on a date,
// discarding it, the history (versions.cpp).
void AddVersionRoutes(identity::GuardedRoutes& routes, const Options& options);

}  // namespace baladiya::editor
