// Issuing, reading, checking and revoking documents (documents.h).
#include <boost/json.hpp>
#include <chrono>
#include <ctime>

#include "documents/documents.h"
#include "platform/i18n/arabic.h"
#include "platform/i18n/locale.h"
#include "workflow/services.h"
#include "workflow/workflow.h"

std::span<const baladiya::EmbeddedFile> DocumentsMigrationFiles();

namespace baladiya::documents {
namespace {

namespace json = boost::json;

constexpr std::string_view kColumns =
    "d.id, d.number, d.municipality_id, d.department_id, d.case_id, d.tracking, d.service_id, "
    "d.service_code, d.kind, d.holder_account, d.holder_ar, d.holder_en, d.holder_id, d.title_ar, "
    "d.title_en, d.body_ar, d.body_en, d.facts_json, d.office_ar, d.office_en, d.issued_at, "
    "d.expires_at, d.code, d.pdf_sha256, d.revoked_at, d.revoked_reason, k.issuer, "
    "COALESCE(LENGTH(d.pdf), 0)";

json::object TextJson(const catalog::Text& t) { return {{"ar", t.ar}, {"en", t.en}}; }

catalog::Text TextOf(const json::value* v) {
  catalog::Text t;
  if (!v || !v->is_object()) return t;
  if (auto* ar = v->as_object().if_contains("ar"); ar && ar->is_string()) {
    t.ar = std::string(ar->as_string());
  }
  if (auto* en = v->as_object().if_contains("en"); en && en->is_string()) {
    t.en = std::string(en->as_string());
  }
  return t;
}

std::string FactsJson(const std::vector<Document::Fact>& facts) {
  json::array a;
  for (const auto& f : facts) {
    a.push_back(json::object{{"field", f.field},
                             {"label", TextJson(f.label)},
                             {"value", TextJson(f.value)},
                             {"raw", f.raw}});
  }
  return json::serialize(a);
}

std::vector<Document::Fact> ParseFacts(std::string_view text) {
  std::vector<Document::Fact> out;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const auto& f : v.as_array()) {
    if (!f.is_object()) continue;
    const auto& o = f.as_object();
    Document::Fact fact;
    if (auto* n = o.if_contains("field"); n && n->is_string()) fact.field = n->as_string();
    if (auto* r = o.if_contains("raw"); r && r->is_string()) fact.raw = r->as_string();
    fact.label = TextOf(o.if_contains("label"));
    fact.value = TextOf(o.if_contains("value"));
    out.push_back(std::move(fact));
  }
  return out;
}

Document ReadDocument(const db::Row& r) {
  Document d;
  d.id = r.Int(0);
  d.number = r.Text(1);
  d.municipality_id = r.Int(2);
  d.department_id = r.Int(3);
  d.case_id = r.Int(4);
  d.tracking = r.Text(5);
  d.service_id = r.Int(6);
  d.service_code = r.Text(7);
  d.kind = r.Text(8);
  d.holder_account = r.Int(9);
  d.holder = {r.Text(10), r.Text(11)};
  d.holder_id = r.Text(12);
  d.title = {r.Text(13), r.Text(14)};
  d.body = {r.Text(15), r.Text(16)};
  d.facts = ParseFacts(r.Text(17));
  d.office = {r.Text(18), r.Text(19)};
  d.issued_at = r.Int(20);
  d.expires_at = r.Int(21);
  d.code = r.Text(22);
  d.pdf_sha256 = r.Text(23);
  d.revoked_at = r.Int(24);
  d.revoked_reason = r.Text(25);
  d.issuer = r.Text(26);
  d.pdf_size = r.Int(27);
  return d;
}

int YearOf(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// An answer as a reader sees it in lang: a choice's label, yes or no, the text as typed.
std::string Shown(const catalog::Field& f, const std::vector<std::string>& values,
                  const i18n::Catalog& messages, i18n::Lang lang) {
  std::string out;
  for (const auto& v : values) {
    std::string one = v;
    if (f.type == catalog::FieldType::kYesNo) {
      one = messages.Get(lang, v == "yes" ? "documents.yes" : "documents.no");
    } else {
      for (const auto& o : f.options) {
        if (o.value == v && !o.label.In(lang).empty()) one = o.label.In(lang);
      }
    }
    if (!out.empty()) out += i18n::ListSeparator(lang);
    out += one;
  }
  return out;
}

const catalog::Field* FieldOf(const catalog::FormSchema& form, std::string_view name) {
  for (const auto& p : form.pages) {
    for (const auto& f : p.fields) {
      if (f.name == name) return &f;
    }
  }
  return nullptr;
}

}  // namespace

std::string_view StandingName(Standing s) {
  switch (s) {
    case Standing::kValid:
      return "valid";
    case Standing::kRevoked:
      return "revoked";
    case Standing::kExpired:
      return "expired";
  }
  return "valid";
}

Standing StandingOf(const Document& d, int64_t now_ms) {
  if (d.revoked_at > 0) return Standing::kRevoked;
  if (now_ms >= d.expires_at) return Standing::kExpired;
  return Standing::kValid;
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(DocumentsMigrationFiles()); }

// ---- the document ---------------------------------------------------------------------------

Status DocumentStore::OnStateChange(db::Tx& tx, const cases::StateChange& change) {
  if (change.kind != "transition" || !change.final || !change.service) return Ok();
  const catalog::DocumentTemplate& t = change.service->document;
  if (!t.Issues() || change.to_state != t.issue_on) return Ok();
  // A reopened case that completes again keeps the document it was issued.
  auto existing = tx.Query("SELECT 1 FROM documents WHERE case_id = ?", {change.case_id});
  if (!existing.ok()) return std::move(existing).error();
  if (!existing->empty()) return Ok();
  auto issued = Issue(tx, change);
  if (!issued.ok()) return std::move(issued).error();
  return Ok();
}

Result<Document> DocumentStore::Issue(db::Tx& tx, const cases::StateChange& change) {
  const catalog::Service& service = *change.service;
  const catalog::DocumentTemplate& t = service.document;
  auto c = d_.cases->Get(tx, change.case_id);
  if (!c.ok()) return std::move(c).error();
  if (t.clear_of_dues) {
    if (!d_.extensions || !d_.extensions->owes) {
      return MakeError(ErrorCode::kConflict, "documents.dues_unknown",
                       "no way to tell what the holder owes: clearance refused");
    }
    auto owes = d_.extensions->owes(tx, change.municipality_id, c->applicant_id);
    if (!owes.ok()) return std::move(owes).error();
    if (*owes) return MakeError(ErrorCode::kConflict, "documents.owes", "the holder owes dues");
  }
  auto holder = d_.accounts->Get(tx, c->applicant_id, true);
  if (!holder.ok()) return std::move(holder).error();
  auto m = d_.tenancy->Get(change.municipality_id);
  if (!m.ok()) return std::move(m).error();
  auto departments = d_.tenancy->Departments(change.municipality_id);
  if (!departments.ok()) return std::move(departments).error();
  catalog::Text department;
  for (const auto& dep : *departments) {
    if (dep.id == change.department_id) department = dep.name;
  }

  Document d;
  d.municipality_id = change.municipality_id;
  d.issuer = m->slug;
  d.department_id = change.department_id;
  d.case_id = change.case_id;
  d.tracking = change.tracking;
  d.service_id = service.id;
  d.service_code = service.code;
  d.kind = t.kind;
  d.holder_account = c->applicant_id;
  d.holder = {holder->full_name_ar,
              holder->full_name_en.empty() ? holder->full_name_ar : holder->full_name_en};
  d.holder_id =
      holder->personal.national_id.empty() ? "" : identity::Mask(holder->personal.national_id);
  d.issued_at = change.at;
  d.expires_at = change.at + int64_t{t.validity_days} * 86'400'000;
  d.office = {department.ar.empty() ? m->name.ar : department.ar + "، " + m->name.ar,
              department.en.empty() ? m->name.en : department.en + ", " + m->name.en};
  d.title = t.title;

  auto seq = tx.Query(
      "INSERT INTO document_numbers (municipality_id, year, last) VALUES (?, ?, 1) "
      "ON CONFLICT (municipality_id, year) DO UPDATE SET last = document_numbers.last + 1 "
      "RETURNING last",
      {d.municipality_id, int64_t{YearOf(d.issued_at)}});
  if (!seq.ok()) return std::move(seq).error();
  d.number = workflow::TrackingNumber(workflow::TrackingPrefix(m->slug) + "D",
                                      YearOf(d.issued_at) % 100, (*seq)[0].Int(0));

  const i18n::Catalog& cat = *d_.messages;
  for (const auto& name : t.facts) {
    const catalog::Field* f = FieldOf(service.form, name);
    auto a = c->answers.find(name);
    if (!f || a == c->answers.end() || a->second.empty()) continue;
    Document::Fact fact;
    fact.field = name;
    fact.label = f->label;
    std::string raw;
    for (const auto& v : a->second) raw += (raw.empty() ? "" : ",") + v;
    fact.raw = raw;
    fact.value = {Shown(*f, a->second, cat, i18n::Lang::kAr),
                  Shown(*f, a->second, cat, i18n::Lang::kEn)};
    d.facts.push_back(std::move(fact));
  }
  for (i18n::Lang lang : {i18n::Lang::kAr, i18n::Lang::kEn}) {
    const std::string& text = t.body.In(lang);
    std::string filled = catalog::FillPlaceholders(text, [&](std::string_view n, std::string& v) {
      // Codes and numbers keep their own order inside an Arabic sentence (isolated left to
      // right: U+2066 ... U+2069).
      auto ltr = [lang](const std::string& s) {
        return lang == i18n::Lang::kAr ? "\u2066" + s + "\u2069" : s;
      };
      if (n == "holder") {
        v = d.holder.In(lang);
      } else if (n == "holder_id") {
        v = ltr(d.holder_id);
      } else if (n == "number") {
        v = ltr(d.number);
      } else if (n == "issued") {
        v = i18n::FormatDate(d.issued_at, lang);
      } else if (n == "expires") {
        v = i18n::FormatDate(d.expires_at, lang);
      } else if (n == "municipality") {
        v = m->name.In(lang);
      } else if (n == "tracking") {
        v = ltr(d.tracking);
      } else if (const catalog::Field* f = FieldOf(service.form, n)) {
        auto a = c->answers.find(std::string(n));
        v = a == c->answers.end() ? "" : Shown(*f, a->second, cat, lang);
      } else {
        return false;
      }
      return true;
    });
    (lang == i18n::Lang::kAr ? d.body.ar : d.body.en) = std::move(filled);
  }

  auto key = d_.keys->Current(tx, d.municipality_id, m->slug, d.issued_at);
  if (!key.ok()) return std::move(key).error();
  d.code = EncodeCode(ClaimsOf(d), key->first);

  std::optional<db::Value> pdf;
  if (d_.render_pdf) {
    auto bytes = d_.render_pdf(tx, d);
    if (!bytes.ok()) return std::move(bytes).error();
    d.pdf_sha256 = crypto::Sha256Hex(*bytes);
    d.pdf_size = static_cast<int64_t>(bytes->size());
    pdf = db::Blob{std::move(*bytes)};
  }
  auto id = tx.Query(
      "INSERT INTO documents (number, municipality_id, department_id, case_id, tracking, "
      "service_id, service_code, kind, holder_account, holder_ar, holder_en, holder_id, title_ar, "
      "title_en, body_ar, body_en, facts_json, office_ar, office_en, issued_at, expires_at, kid, "
      "code, pdf, pdf_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
      "?, ?, ?, ?, ?) RETURNING id",
      {d.number,
       d.municipality_id,
       d.department_id,
       d.case_id,
       d.tracking,
       d.service_id,
       d.service_code,
       d.kind,
       d.holder_account,
       d.holder.ar,
       d.holder.en,
       d.holder_id,
       d.title.ar,
       d.title.en,
       d.body.ar,
       d.body.en,
       FactsJson(d.facts),
       d.office.ar,
       d.office.en,
       d.issued_at,
       d.expires_at,
       crypto::ToBase64Url(key->second.kid),
       d.code,
       pdf ? *pdf : db::Value(nullptr),
       d.pdf_sha256});
  if (!id.ok()) return std::move(id).error();
  d.id = (*id)[0].Int(0);
  if (d_.audit) {
    audit::EntryInput in;
    in.time_ms = d.issued_at;
    in.actor = "system";
    in.action = "document.issued";
    in.object = "document:" + d.number;
    in.municipality_id = d.municipality_id;
    in.details = "case=" + d.tracking + "\nkind=" + d.kind + "\nsha256=" + d.pdf_sha256 +
                 "\ncode_sha256=" + crypto::Sha256Hex(d.code);
    auto a = d_.audit->Append(tx, in);
    if (!a.ok()) return std::move(a).error();
  }
  return d;
}

Claims ClaimsOf(const Document& d) {
  Claims c;
  c.issuer = d.issuer;
  c.number = d.number;
  c.issued_at = d.issued_at / 1000;
  c.expires_at = d.expires_at / 1000;
  c.kind = d.kind;
  c.holder = d.holder.ar;
  c.holder_id = d.holder_id;
  for (const auto& f : d.facts) c.facts.push_back(f.raw);
  return c;
}

Result<Document> DocumentStore::OfCase(int64_t case_id) {
  auto r = d_.db->Query(std::string("SELECT ") + std::string(kColumns) +
                            " FROM documents d JOIN document_keys k ON k.kid = d.kid "
                            "WHERE d.case_id = ?",
                        {case_id});
  if (!r.ok()) return std::move(r).error();
  if (r->empty()) return MakeError(ErrorCode::kNotFound, "documents.not_found");
  return ReadDocument((*r)[0]);
}

Result<Document> DocumentStore::Find(std::string_view number) {
  auto r = d_.db->Query(std::string("SELECT ") + std::string(kColumns) +
                            " FROM documents d JOIN document_keys k ON k.kid = d.kid "
                            "WHERE d.number = ?",
                        {std::string(number)});
  if (!r.ok()) return std::move(r).error();
  if (r->empty()) return MakeError(ErrorCode::kNotFound, "documents.not_found");
  return ReadDocument((*r)[0]);
}

Result<std::string> DocumentStore::Pdf(std::string_view number) {
  auto r = d_.db->Query("SELECT pdf FROM documents WHERE number = ? AND pdf IS NOT NULL",
                        {std::string(number)});
  if (!r.ok()) return std::move(r).error();
  if (r->empty()) return MakeError(ErrorCode::kNotFound, "documents.not_found");
  return (*r)[0].Bytes(0);
}

Result<Check> DocumentStore::Verify(std::string_view text, int64_t now_ms) {
  auto keys = d_.keys->All();
  if (!keys.ok()) return std::move(keys).error();
  std::optional<Document> record;
  Status lookup = Ok();
  Check c = CheckCode(text, *keys, now_ms, [&](const std::string& number) {
    auto d = Find(number);
    if (d.ok()) {
      record = std::move(*d);
    } else if (d.error().code != ErrorCode::kNotFound) {
      lookup = std::move(d).error();
    }
    return record && record->revoked_at > 0;
  });
  if (!lookup.ok()) return std::move(lookup).error();
  if (record) {
    c.revoked_at = record->revoked_at;
    c.revoked_reason = record->revoked_reason;
    c.document = std::move(record);
  }
  return c;
}

Status DocumentStore::Revoke(std::string_view number, int64_t municipality_id,
                             std::string_view reason, const std::string& actor,
                             const std::string& request_id, int64_t now_ms) {
  std::string why = std::string(reason);
  while (!why.empty() && (why.back() == ' ' || why.back() == '\n' || why.back() == '\r')) {
    why.pop_back();
  }
  while (!why.empty() && (why.front() == ' ' || why.front() == '\n' || why.front() == '\r')) {
    why.erase(0, 1);
  }
  if (why.empty() || why.size() > 2000) {
    Error e = MakeError(ErrorCode::kInvalid, "documents.reason_required");
    e.fields["reason"] = "documents.reason_required";
    return e;
  }
  return d_.db->Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE documents SET revoked_at = ?, revoked_reason = ? WHERE number = ? AND "
        "municipality_id = ? AND revoked_at = 0",
        {now_ms, why, std::string(number), municipality_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) {
      auto r = tx.Query("SELECT revoked_at FROM documents WHERE number = ? AND municipality_id = ?",
                        {std::string(number), municipality_id});
      if (!r.ok()) return std::move(r).error();
      if (r->empty()) return MakeError(ErrorCode::kNotFound, "documents.not_found");
      return MakeError(ErrorCode::kConflict, "documents.already_revoked");
    }
    if (!d_.audit) return Ok();
    audit::EntryInput in;
    in.time_ms = now_ms;
    in.actor = actor;
    in.action = "document.revoked";
    in.object = "document:" + std::string(number);
    in.municipality_id = municipality_id;
    in.request_id = request_id;
    in.details = "reason_sha256=" + crypto::Sha256Hex(why);
    auto a = d_.audit->Append(tx, in);
    if (!a.ok()) return std::move(a).error();
    return Ok();
  });
}

Result<std::vector<std::pair<std::string, int64_t>>> DocumentStore::Revoked(
    int64_t municipality_id) {
  auto r = municipality_id > 0
               ? d_.db->Query(
                     "SELECT number, revoked_at FROM documents WHERE municipality_id = ? AND "
                     "revoked_at > 0 ORDER BY revoked_at DESC, number",
                     {municipality_id})
               : d_.db->Query(
                     "SELECT number, revoked_at FROM documents WHERE revoked_at > 0 ORDER BY "
                     "revoked_at DESC, number");
  if (!r.ok()) return std::move(r).error();
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& row : *r) out.emplace_back(row.Text(0), row.Int(1));
  return out;
}

Result<std::vector<Document>> DocumentStore::OfHolder(int64_t account_id) {
  auto r = d_.db->Query(std::string("SELECT ") + std::string(kColumns) +
                            " FROM documents d JOIN document_keys k ON k.kid = d.kid "
                            "WHERE d.holder_account = ? ORDER BY d.id DESC LIMIT 200",
                        {account_id});
  if (!r.ok()) return std::move(r).error();
  std::vector<Document> out;
  for (const auto& row : *r) out.push_back(ReadDocument(row));
  return out;
}

}  // namespace baladiya::documents
