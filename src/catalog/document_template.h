// The document a service issues when its case completes (a certificate, a permit or a licence):
// part of the service's definition, edited by the municipal admin beside its form and workflow,
// and issued, numbered, signed and drawn by the documents module. Pure functions; no storage
// (catalog keeps the template with the service).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/form_schema.h"
#include "platform/result.h"

namespace baladiya::catalog {

struct DocumentTemplate {
  // "certificate", "permit" or "licence"; empty: the service issues no document.
  std::string kind;
  // The workflow's final state whose entry issues the document ("completed"): the editor checks
  // it is a final state that means the work was done (never the state a refusal ends in).
  std::string issue_on = "completed";
  // Days from issue to expiry (1..3650).
  int validity_days = 365;
  Text title;  // "شهادة براءة ذمة" / "Clearance certificate"
  // The text of the document. Placeholders: {holder}, {holder_id} (the national ID, masked),
  // {number}, {issued}, {expires}, {municipality}, {tracking}, and {<field>} for the answer to
  // a field of the service's form. Line breaks separate paragraphs.
  Text body;
  // Fields of the form whose answers are the document's key facts (shown under the text and
  // carried, signed, in its QR code), at most kMaxDocumentFacts.
  std::vector<std::string> facts;
  // Issued only to someone who owes the municipality nothing (a clearance certificate): the
  // case cannot reach the issuing state while the applicant owes anything.
  bool clear_of_dues = false;

  bool Issues() const { return !kind.empty(); }
  bool operator==(const DocumentTemplate&) const = default;
};

inline constexpr size_t kMaxDocumentFacts = 6;
inline constexpr int kMaxValidityDays = 3650;
inline constexpr size_t kMaxDocumentBody = 4000;  // bytes of each language's text

// "certificate", "permit", "licence".
const std::vector<std::string>& DocumentKinds();
// The placeholders every document's text may use, without braces.
const std::vector<std::string>& DocumentPlaceholders();

// JSON {"kind","issue_on","validity_days","title":{ar,en},"body":{ar,en},"facts":[..]}; an
// empty text is no document. kInvalid ("catalog.document_malformed") when it cannot be read.
Result<DocumentTemplate> ParseDocumentTemplate(std::string_view json);
std::string DocumentTemplateToJson(const DocumentTemplate& t);

// What is wrong with a service's document, given its form; each problem's path starts with
// "document":
//   catalog.document.kind             {kind}; {"document", "kind"}: not one of DocumentKinds
//   catalog.document.issue_on         {"document", "issue_on"}: not a state key
//   catalog.document.validity         {max}; {"document", "validity_days"}
//   catalog.document.too_long         {in, max}; {"document", "body", lang}
//   catalog.document.placeholder      {name: as written, "{foo}"}; {"document", "body", lang}
//                                     or .. "title", lang: neither a placeholder nor a field
//   catalog.document.fact_unknown     {name}; {"document", "facts", i}: no such field
//   catalog.document.fact_file        {field}; {"document", "facts", i}: a file field
//   catalog.document.too_many_facts   {max}; {"document", "facts"}
// Missing texts are MissingTexts' (catalog.missing.document_title / _body {in}). No problems
// for a service that issues no document.
std::vector<Problem> DocumentProblems(const DocumentTemplate& t, const FormSchema& form);

// The missing texts of the document (for the publish gate), paths {"document", "title"|"body",
// lang}, keys catalog.missing.document_title and catalog.missing.document_body with {in}.
std::vector<Problem> MissingDocumentTexts(const DocumentTemplate& t);

// Replaces each {name} of text with value(name) when it knows the name (returns true), leaving
// other text as it is.
std::string FillPlaceholders(std::string_view text,
                             const std::function<bool(std::string_view, std::string&)>& value);

}  // namespace baladiya::catalog
