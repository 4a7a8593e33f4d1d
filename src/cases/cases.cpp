#include "cases/cases.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>
#include <map>
#include <span>

#include "cases/cases_internal.h"
#include "platform/embedded.h"

std::span<const baladiya::EmbeddedFile> CasesMigrationFiles();

namespace baladiya::cases {
namespace {

namespace json = boost::json;

using internal::kCaseColumns;

Error NotFound() { return MakeError(ErrorCode::kNotFound, "error.not_found"); }
Error Conflict() {
  return MakeError(ErrorCode::kConflict, "cases.conflict", "the case changed meanwhile");
}

std::string AnswersJson(const catalog::Answers& a) {
  json::object o;
  for (const auto& [k, values] : a) {
    json::array arr;
    for (const auto& v : values) arr.emplace_back(v);
    o[k] = std::move(arr);
  }
  return json::serialize(o);
}

catalog::Answers ParseAnswers(std::string_view text) {
  catalog::Answers out;
  json::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [k, arr] : v.as_object()) {
    if (!arr.is_array()) continue;
    auto& values = out[std::string(k)];
    for (const auto& x : arr.as_array()) {
      if (x.is_string()) values.emplace_back(x.as_string());
    }
  }
  return out;
}

int YearOf(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

// An idempotency key counts per applicant and service: the same key for another service is
// another application.
std::string IdempotencyScope(int64_t applicant, int64_t service, const std::string& key) {
  return std::to_string(applicant) + ":" + std::to_string(service) + ":" + key;
}

// A service's own wording for an event in one language (empty: the catalogue's is used).
std::map<std::string, std::string> ServiceTexts(const catalog::Service& s, const std::string& event,
                                                i18n::Lang lang) {
  std::map<std::string, std::string> out;
  auto it = s.notifications.find(event);
  if (it == s.notifications.end()) return out;
  auto put = [&](const char* part, const catalog::Text& t) {
    const std::string& v = lang == i18n::Lang::kAr ? t.ar : t.en;
    if (!v.empty()) out[part] = v;
  };
  put("subject", it->second.subject);
  put("body", it->second.body);
  put("sms", it->second.sms);
  return out;
}

std::string FirstRole(const Actor& a) { return a.roles.empty() ? "" : a.roles.front(); }

}  // namespace

std::string AttachmentRef(int64_t id) { return "f" + std::to_string(id); }

int64_t AttachmentId(std::string_view ref) {
  if (ref.size() < 2 || ref.size() > 19 || ref[0] != 'f') return 0;
  int64_t v = 0;
  for (char c : ref.substr(1)) {
    if (c < '0' || c > '9') return 0;
    v = v * 10 + (c - '0');
  }
  return v;
}

bool ValidChannel(std::string_view c) {
  return c == "web" || c == "api" || c == "counter" || c == "phone";
}

CaseStore::CaseStore(Dependencies deps)
    : d_(std::move(deps)), key_(crypto::DeriveKey(*d_.master, 1, "casedata")) {}

// The caps an account's drafts and files are counted against hold under concurrent writers.
Status CaseStore::LockAccount(db::Tx& tx, int64_t account_id) {
  return db::LockKey(*d_.db, tx, "cases.account", account_id);
}

// ---- drafts -----------------------------------------------------------------------------------

Result<int64_t> CaseStore::CreateDraft(int64_t account_id, const catalog::Service& service,
                                       const std::string& channel, int64_t filed_by,
                                       int64_t now_ms) {
  if (!ValidChannel(channel)) return MakeError(ErrorCode::kInvalid, "error.invalid", "channel");
  int64_t id = 0;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    if (Status l = LockAccount(tx, account_id); !l.ok()) return l;
    auto open = tx.Query("SELECT count(*) FROM case_drafts WHERE account_id = ? AND case_id = 0",
                         {account_id});
    if (!open.ok()) return std::move(open).error();
    if ((*open)[0].Int(0) >= d_.max_open_drafts)
      return MakeError(ErrorCode::kConflict, "cases.too_many_drafts");
    auto r = tx.Query(
        "INSERT INTO case_drafts (account_id, municipality_id, service_id, channel, filed_by, "
        "answers, page, created_at, updated_at, service_version) VALUES (?, ?, ?, ?, ?, NULL, 0, "
        "?, ?, ?) RETURNING id",
        {account_id, service.municipality_id, service.id, channel, filed_by, now_ms, now_ms,
         service.live_number});
    if (!r.ok()) return std::move(r).error();
    id = (*r)[0].Int(0);
    auto logged = tx.Exec(
        "INSERT INTO case_draft_starts (draft_id, municipality_id, service_id, channel, at) "
        "VALUES (?, ?, ?, ?, ?)",
        {id, service.municipality_id, service.id, channel, now_ms});
    if (!logged.ok()) return std::move(logged).error();
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return id;
}

Result<Draft> CaseStore::GetDraft(int64_t draft_id, int64_t account_id) {
  auto rows = d_.db->Query(
      "SELECT id, account_id, municipality_id, service_id, channel, filed_by, answers, page, "
      "case_id, updated_at, service_version FROM case_drafts WHERE id = ? AND (account_id = ? OR "
      "filed_by = ?)",
      {draft_id, account_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  const db::Row& r = (*rows)[0];
  Draft d;
  d.id = r.Int(0);
  d.account_id = r.Int(1);
  d.municipality_id = r.Int(2);
  d.service_id = r.Int(3);
  d.channel = r.Text(4);
  d.filed_by = r.Int(5);
  if (!r.IsNull(6)) {
    auto plain = crypto::Open(key_, r.Bytes(6), "draft:" + std::to_string(d.id));
    if (!plain.ok()) {
      return MakeError(ErrorCode::kInternal, "error.internal", "draft answers do not open");
    }
    d.answers = ParseAnswers(*plain);
  }
  d.page = static_cast<int>(r.Int(7));
  d.case_id = r.Int(8);
  d.updated_at = r.Int(9);
  d.service_version = r.Int(10);
  return d;
}

Status CaseStore::SaveDraft(const Draft& d, int64_t now_ms) {
  const std::string sealed =
      crypto::Seal(key_, AnswersJson(d.answers), "draft:" + std::to_string(d.id));
  return d_.db->Write([&](db::Tx& tx) -> Status {
    // A submitted draft is frozen: its answers are the case's.
    auto n = tx.Exec(
        "UPDATE case_drafts SET answers = ?, page = ?, updated_at = ?, service_version = ? WHERE "
        "id = ? AND case_id = 0",
        {db::Blob{sealed}, int64_t{d.page}, now_ms, d.service_version, d.id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "cases.draft_submitted", "draft is closed");
    return Ok();
  });
}

namespace internal {

// The type of a file read from its content, once it passed the size limit and the scan hook.
Result<std::string> CheckFile(std::string_view bytes,
                              const std::function<Status(std::string_view)>& scan) {
  if (static_cast<int64_t>(bytes.size()) > kMaxAttachmentBytes)
    return MakeError(ErrorCode::kTooLarge, "form.file_too_large");
  std::string type = catalog::SniffFileType(bytes);
  if (type.empty()) return MakeError(ErrorCode::kInvalid, "form.file_type");
  if (scan) {
    if (Status s = scan(bytes); !s.ok()) return std::move(s).error();
  }
  return type;
}

}  // namespace internal

using internal::CheckFile;

namespace {

// Refuses a file that would take the account past its quota of files not yet part of a case, or
// of files added in the last 24 hours (Dependencies), inside the adding transaction.
Status WithinStorageQuota(db::Tx& tx, const Dependencies& d, int64_t account_id, int64_t size,
                          int64_t now_ms) {
  auto used = tx.Query(
      "SELECT COALESCE(SUM(CASE WHEN case_id = 0 THEN size ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN created_at > ? THEN size ELSE 0 END), 0) FROM case_attachments "
      "WHERE account_id = ? AND (case_id = 0 OR created_at > ?)",
      {now_ms - 86'400'000, account_id, now_ms - 86'400'000});
  if (!used.ok()) return std::move(used).error();
  if ((*used)[0].Int(0) + size > d.max_pending_file_bytes ||
      (*used)[0].Int(1) + size > d.max_daily_file_bytes) {
    return MakeError(ErrorCode::kTooLarge, "form.storage_quota");
  }
  return Ok();
}

}  // namespace

Result<int64_t> CaseStore::AddAttachment(const Draft& d, const std::string& field,
                                         const std::string& file_name, std::string_view bytes,
                                         int64_t now_ms) {
  auto type = CheckFile(bytes, d_.scan);
  if (!type.ok()) return std::move(type).error();
  const std::string sha = crypto::Sha256Hex(bytes);
  int64_t id = 0;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    if (Status l = LockAccount(tx, d.account_id); !l.ok()) return l;
    // Replaced uploads of the same field go at once; and a draft holds a bounded number of files.
    auto old_files = tx.Exec(
        "DELETE FROM case_attachments WHERE draft_id = ? AND field = ? AND case_id = 0 AND "
        "created_at < ?",
        {d.id, field, now_ms});
    if (!old_files.ok()) return std::move(old_files).error();
    auto held = tx.Query("SELECT count(*) FROM case_attachments WHERE draft_id = ?", {d.id});
    if (!held.ok()) return std::move(held).error();
    if ((*held)[0].Int(0) >= kMaxFilesPerApplication)
      return MakeError(ErrorCode::kTooLarge, "form.too_many_files");
    if (Status q =
            WithinStorageQuota(tx, d_, d.account_id, static_cast<int64_t>(bytes.size()), now_ms);
        !q.ok()) {
      return q;
    }
    // The row first (for its id, which the seal is bound to), then its sealed content.
    auto r = tx.Query(
        "INSERT INTO case_attachments (draft_id, account_id, municipality_id, field, file_name, "
        "content_type, size, sha256, content, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
        "WHERE EXISTS (SELECT 1 FROM case_drafts WHERE id = ? AND case_id = 0) RETURNING id",
        {d.id, d.account_id, d.municipality_id, field, file_name, *type,
         static_cast<int64_t>(bytes.size()), sha, db::Blob{""}, now_ms, d.id});
    if (!r.ok()) return std::move(r).error();
    if (r->empty()) return MakeError(ErrorCode::kConflict, "cases.draft_submitted");
    id = (*r)[0].Int(0);
    auto n = tx.Exec("UPDATE case_attachments SET content = ? WHERE id = ?",
                     {db::Blob{crypto::Seal(key_, bytes, "file:" + std::to_string(id))}, id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return id;
}

Result<std::vector<Attachment>> CaseStore::Attachments(int64_t draft_id, int64_t case_id) {
  auto rows = d_.db->Query(
      "SELECT id, field, file_name, content_type, size, sha256 FROM case_attachments WHERE "
      "(draft_id = ? AND ? <> 0) OR (case_id = ? AND ? <> 0) ORDER BY id",
      {draft_id, draft_id, case_id, case_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Attachment> out;
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), ""});
  }
  return out;
}

Result<Attachment> CaseStore::GetAttachment(int64_t case_id, int64_t attachment_id) {
  auto rows = d_.db->Query(
      "SELECT id, field, file_name, content_type, size, sha256, content FROM case_attachments "
      "WHERE id = ? AND case_id = ? AND case_id <> 0",
      {attachment_id, case_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  const db::Row& r = (*rows)[0];
  auto plain = crypto::Open(key_, r.Bytes(6), "file:" + std::to_string(r.Int(0)));
  if (!plain.ok()) return MakeError(ErrorCode::kInternal, "error.internal", "file does not open");
  return Attachment{r.Int(0), r.Text(1), r.Text(2),        r.Text(3),
                    r.Int(4), r.Text(5), std::move(*plain)};
}

Result<Upload> CaseStore::AddUpload(int64_t account_id, int64_t municipality_id,
                                    const std::string& file_name, std::string_view bytes,
                                    int64_t now_ms) {
  auto type = CheckFile(bytes, d_.scan);
  if (!type.ok()) return std::move(type).error();
  Upload u;
  // Kept as it is (not hashed): it is no credential, only the caller's own account can spend it.
  u.id = "up_" + crypto::RandomToken(32);
  u.file_name = file_name;
  u.content_type = *type;
  u.size = static_cast<int64_t>(bytes.size());
  u.sha256 = crypto::Sha256Hex(bytes);
  u.expires_at = now_ms + kUploadLifetimeMs;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    if (Status l = LockAccount(tx, account_id); !l.ok()) return l;
    auto waiting = tx.Query(
        "SELECT count(*) FROM case_attachments WHERE account_id = ? AND upload_token IS NOT NULL "
        "AND created_at > ?",
        {account_id, now_ms - kUploadLifetimeMs});
    if (!waiting.ok()) return std::move(waiting).error();
    if ((*waiting)[0].Int(0) >= kMaxWaitingUploads)
      return MakeError(ErrorCode::kConflict, "cases.too_many_uploads");
    if (Status q = WithinStorageQuota(tx, d_, account_id, u.size, now_ms); !q.ok()) return q;
    // The row first (for its id, which the seal is bound to), then its sealed content.
    auto r = tx.Query(
        "INSERT INTO case_attachments (draft_id, case_id, account_id, municipality_id, field, "
        "file_name, content_type, size, sha256, content, created_at, upload_token) VALUES (0, 0, "
        "?, ?, '', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {account_id, municipality_id, u.file_name, u.content_type, u.size, u.sha256, db::Blob{""},
         now_ms, u.id});
    if (!r.ok()) return std::move(r).error();
    const int64_t id = (*r)[0].Int(0);
    auto n = tx.Exec("UPDATE case_attachments SET content = ? WHERE id = ?",
                     {db::Blob{crypto::Seal(key_, bytes, "file:" + std::to_string(id))}, id});
    if (!n.ok()) return std::move(n).error();
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return u;
}

Result<std::vector<Draft>> CaseStore::Drafts(int64_t account_id) {
  auto rows = d_.db->Query(
      "SELECT id FROM case_drafts WHERE account_id = ? AND case_id = 0 ORDER BY id DESC LIMIT 50",
      {account_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Draft> out;
  for (const auto& r : *rows) {
    auto d = GetDraft(r.Int(0), account_id);
    if (d.ok()) out.push_back(std::move(*d));
  }
  return out;
}

Status CaseStore::DeleteDraft(int64_t draft_id, int64_t account_id) {
  return d_.db->Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "DELETE FROM case_drafts WHERE id = ? AND case_id = 0 AND (account_id = ? OR filed_by = ?)",
        {draft_id, account_id, account_id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return NotFound();
    auto files =
        tx.Exec("DELETE FROM case_attachments WHERE draft_id = ? AND case_id = 0", {draft_id});
    if (!files.ok()) return std::move(files).error();
    return Ok();
  });
}

Result<CleanupReport> CaseStore::DeleteAbandoned(int64_t now_ms, int draft_days) {
  constexpr int64_t kDraftsPerCall = 200;
  constexpr int64_t kUploadsPerCall = 1000;
  const int64_t draft_cutoff = now_ms - int64_t{draft_days} * 86'400'000;
  CleanupReport report;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    report = {};
    // The outer conditions are checked again on the row deleted: a draft saved meanwhile (on
    // PostgreSQL, where writers run at once) is no longer abandoned and stays.
    auto drafts = tx.Exec(
        "DELETE FROM case_drafts WHERE case_id = 0 AND updated_at < ? AND id IN (SELECT id FROM "
        "case_drafts WHERE case_id = 0 AND updated_at < ? ORDER BY updated_at LIMIT ?)",
        {draft_cutoff, draft_cutoff, kDraftsPerCall});
    if (!drafts.ok()) return std::move(drafts).error();
    report.drafts = static_cast<int>(*drafts);
    // Files of drafts that are gone: those just deleted, and any a draft's last upload left
    // behind while its draft was being deleted.
    auto files = tx.Exec(
        "DELETE FROM case_attachments WHERE case_id = 0 AND draft_id <> 0 AND NOT EXISTS "
        "(SELECT 1 FROM case_drafts d WHERE d.id = case_attachments.draft_id)",
        {});
    if (!files.ok()) return std::move(files).error();
    report.draft_files = static_cast<int>(*files);
    auto uploads = tx.Exec(
        "DELETE FROM case_attachments WHERE upload_token IS NOT NULL AND created_at <= ? AND id "
        "IN (SELECT id FROM case_attachments WHERE upload_token IS NOT NULL AND created_at <= ? "
        "ORDER BY id LIMIT ?)",
        {now_ms - kUploadLifetimeMs, now_ms - kUploadLifetimeMs, kUploadsPerCall});
    if (!uploads.ok()) return std::move(uploads).error();
    report.uploads = static_cast<int>(*uploads);
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return report;
}

// ---- cases ------------------------------------------------------------------------------------

// Shared with the other files of the store (cases_internal.h).
namespace internal {

Result<Case> ReadCase(const db::Row& r, const crypto::Key32& key, bool with_answers) {
  Case c;
  c.id = r.Int(0);
  c.tracking = r.Text(1);
  c.municipality_id = r.Int(2);
  c.service_id = r.Int(3);
  c.department_id = r.Int(4);
  c.applicant_id = r.Int(5);
  c.applicant_lang = r.Text(6);
  c.channel = r.Text(7);
  c.filed_by = r.Int(8);
  c.state = r.Text(9);
  c.version = r.Int(10);
  if (with_answers) {
    auto plain = crypto::Open(key, r.Bytes(11), "case:" + c.tracking);
    if (!plain.ok()) {
      return MakeError(ErrorCode::kInternal, "error.internal", "case answers do not open");
    }
    c.answers = ParseAnswers(*plain);
  }
  c.fee_minor = r.Int(12);
  c.currency = r.Text(13);
  c.assigned_to = r.Int(14);
  c.submitted_at = r.Int(15);
  c.state_entered_at = r.Int(16);
  c.due_at = r.Int(17);
  c.paused_at = r.Int(18);
  c.closed_at = r.Int(19);
  c.escalated = r.Int(20) != 0;
  c.updated_at = r.Int(21);
  c.priority = static_cast<int>(r.Int(22));
  return c;
}

// The audit entry of a case change, inside its transaction (nothing when no log is wired).
Status AuditCase(audit::AuditLog* log, db::Tx& tx, const Actor& actor, const char* action,
                 const std::string& tracking, int64_t municipality_id, std::string details,
                 int64_t now_ms, int64_t service_id, std::vector<audit::Change> changes) {
  if (!log) return Ok();
  audit::EntryInput e;
  e.time_ms = now_ms;
  e.actor = actor.pseudonym;
  e.action = action;
  e.object = tracking;
  e.municipality_id = municipality_id;
  e.request_id = actor.request_id;
  e.details = std::move(details);
  e.service_id = service_id;
  e.changes = std::move(changes);
  auto appended = log->Append(tx, e);
  if (!appended.ok()) return std::move(appended).error();
  return Ok();
}

Result<Case> LoadCase(db::Tx& tx, int64_t case_id, const crypto::Key32& key) {
  auto rows =
      tx.Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?", {case_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  return ReadCase((*rows)[0], key, true);
}

Status AddEvent(db::Tx& tx, const Case& c, int64_t at, const std::string& kind,
                const std::string& from, const std::string& to, const std::string& action,
                const Actor& actor, const std::string& comment, bool internal,
                const std::string& outcome) {
  auto n = tx.Exec(
      "INSERT INTO case_events (case_id, municipality_id, service_id, department_id, at, kind, "
      "from_state, to_state, action, actor, actor_role, channel, comment, internal, outcome) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.id, c.municipality_id, c.service_id, c.department_id, at, kind, from, to, action,
       actor.pseudonym.empty() ? std::string("system") : actor.pseudonym, FirstRole(actor),
       actor.channel, comment, int64_t{internal ? 1 : 0}, outcome});
  if (!n.ok()) return std::move(n).error();
  return Ok();
}

// A change of the case's state, as observers are told it.
StateChange ChangeOf(std::string kind, const Case& c, const catalog::Service& service,
                     std::string from, std::string to, bool final, int64_t at, int64_t due) {
  return StateChange{.kind = std::move(kind),
                     .case_id = c.id,
                     .tracking = c.tracking,
                     .municipality_id = c.municipality_id,
                     .department_id = c.department_id,
                     .service = &service,
                     .from_state = std::move(from),
                     .to_state = std::move(to),
                     .final = final,
                     .at = at,
                     .due_at = due};
}

Result<std::vector<Case>> ReadCases(const db::Rows& rows, const crypto::Key32& key) {
  std::vector<Case> out;
  for (const auto& r : rows) {
    auto c = ReadCase(r, key, false);
    if (!c.ok()) return std::move(c).error();
    out.push_back(std::move(*c));
  }
  return out;
}

Status Tell(const Dependencies& d, db::Tx& tx, const std::vector<notify::Channel>& channels,
            notify::Notification note, int64_t now_ms, bool& queued) {
  if (!d.outbox) return Ok();
  // Every message about a case names the municipality and links to the case.
  if (d.about) d.about(note);
  note.params.try_emplace("municipality", "");
  note.params.try_emplace("link", "");
  // A service's own wording (written in the editor) gets them too when it leaves them out.
  if (auto sms = note.texts.find("sms"); sms != note.texts.end() && !sms->second.empty()) {
    if (sms->second.find("{municipality}") == std::string::npos)
      sms->second = "{municipality}: " + sms->second;
    if (sms->second.find("{link}") == std::string::npos) sms->second += " {link}";
  }
  if (auto body = note.texts.find("body"); body != note.texts.end() && !body->second.empty()) {
    if (body->second.find("{link}") == std::string::npos) body->second += "\n\n{link}";
  }
  for (notify::Channel ch : channels) {
    note.channel = ch;
    auto q = d.outbox->Enqueue(tx, note, now_ms);
    if (!q.ok()) return std::move(q).error();
    queued = true;
  }
  return Ok();
}

}  // namespace internal

using internal::AddEvent;
using internal::AuditCase;
using internal::ChangeOf;
using internal::LoadCase;
using internal::ReadCase;
using internal::ReadCases;
using internal::Tell;

namespace {

// What every submission checks first: the answers (normalised in place) and the workflow; returns
// the due date (the service's SLA in working days).
Result<int64_t> Prepare(const catalog::Service& service, catalog::Answers& answers,
                        const workflow::Workflow& wf, const workflow::Calendar& calendar,
                        int64_t now_ms) {
  auto problems = catalog::ValidateAnswers(service.form, -1, answers);
  if (!problems.empty()) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.answers_invalid",
                        std::to_string(problems.size()) + " answer(s) invalid");
    e.fields = std::move(problems);
    return e;
  }
  if (!wf.FindState(wf.initial))
    return MakeError(ErrorCode::kInternal, "error.internal", "workflow has no initial state");
  return workflow::AddWorkingDays(calendar, now_ms, std::max(service.sla_days, 1));
}

// An upload a direct submission names, to be linked to its case.
struct UploadClaim {
  int64_t attachment_id = 0;
  std::string token;
  std::string field;
};

Error UploadsRefused(std::map<std::string, std::string> fields) {
  Error e = MakeError(ErrorCode::kInvalid, "cases.answers_invalid",
                      std::to_string(fields.size()) + " file answer(s) refused");
  e.fields = std::move(fields);
  return e;
}

// The uploads that the (validated) answers to file fields name, each of `owner` in
// municipality_id (where they were sent), unused and unexpired; rewrites those answers to the
// attachments' refs.
Result<std::vector<UploadClaim>> ResolveUploads(db::Database& db, const catalog::Service& service,
                                                int64_t municipality_id, int64_t owner,
                                                int64_t now_ms, catalog::Answers& answers) {
  std::vector<UploadClaim> claims;
  std::map<std::string, std::string> refused;
  for (const auto& page : service.form.pages) {
    for (const auto& f : page.fields) {
      auto it = answers.find(f.name);
      if (f.type != catalog::FieldType::kFile || it == answers.end()) continue;
      for (std::string& value : it->second) {
        auto rows = db.Query(
            "SELECT id FROM case_attachments WHERE upload_token = ? AND account_id = ? AND "
            "municipality_id = ? AND case_id = 0 AND draft_id = 0 AND created_at > ?",
            {value, owner, municipality_id, now_ms - kUploadLifetimeMs});
        if (!rows.ok()) return std::move(rows).error();
        if (rows->empty()) {
          refused[f.name] = "cases.upload_unknown";
          continue;
        }
        claims.push_back({(*rows)[0].Int(0), value, f.name});
        value = AttachmentRef(claims.back().attachment_id);
      }
      if (!refused.count(f.name) && std::ssize(claims) > kMaxFilesPerApplication)
        refused[f.name] = "form.too_many_files";
    }
  }
  if (!refused.empty()) return UploadsRefused(std::move(refused));
  return claims;
}

// The state change a new case makes (for observers and a submission's in_tx).
StateChange Submitted(const Case& c, const catalog::Service& service,
                      const workflow::Workflow& wf) {
  const workflow::State* initial = wf.FindState(wf.initial);
  StateChange change = ChangeOf("submitted", c, service, "", c.state, initial && initial->final,
                                c.submitted_at, c.due_at);
  change.answers = &c.answers;  // c outlives the hook's call
  return change;
}

}  // namespace

Result<Case> CaseStore::InsertCase(db::Tx& tx, const NewCase& in, const Actor& actor,
                                   const catalog::Service& service, const workflow::Workflow& wf,
                                   int64_t due_ms, const std::string& prefix, int64_t now_ms,
                                   bool& queued) {
  const int year = YearOf(now_ms) % 100;
  // Numbered per prefix (not per municipality): two municipalities whose slugs share a prefix
  // share its sequence, so their tracking numbers never collide.
  auto seq = tx.Query(
      "INSERT INTO case_counters (prefix, year, next) VALUES (?, ?, 1) "
      "ON CONFLICT (prefix, year) DO UPDATE SET next = case_counters.next + 1 "
      "RETURNING next",
      {prefix, int64_t{year}});
  if (!seq.ok()) return std::move(seq).error();
  const std::string tracking = workflow::TrackingNumber(prefix, year, (*seq)[0].Int(0));
  const std::string sealed = crypto::Seal(key_, AnswersJson(*in.answers), "case:" + tracking);
  const std::string lang = in.applicant_lang == "en" ? "en" : "ar";
  const int64_t fee = catalog::ComputeFee(service.fee, *in.answers);
  auto ins = tx.Query(
      "INSERT INTO cases (tracking, municipality_id, service_id, department_id, applicant_id, "
      "applicant_lang, channel, filed_by, draft_id, idempotency_key, state, version, answers, "
      "fee_minor, currency, submitted_at, state_entered_at, due_at, updated_at) VALUES (?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {tracking, service.municipality_id, service.id, service.department_id, in.applicant_id, lang,
       in.channel, in.filed_by, in.draft_id ? db::Value(in.draft_id) : db::Value(nullptr),
       in.idempotency_key.empty()
           ? db::Value(nullptr)
           : db::Value(IdempotencyScope(in.applicant_id, service.id, in.idempotency_key)),
       wf.initial, db::Blob{sealed}, fee, service.fee.currency, now_ms, now_ms, due_ms, now_ms});
  if (!ins.ok()) return std::move(ins).error();
  // The case as stored (what Get would read back).
  Case c;
  c.id = (*ins)[0].Int(0);
  c.tracking = tracking;
  c.municipality_id = service.municipality_id;
  c.service_id = service.id;
  c.department_id = service.department_id;
  c.applicant_id = in.applicant_id;
  c.applicant_lang = lang;
  c.channel = in.channel;
  c.filed_by = in.filed_by;
  c.state = wf.initial;
  c.version = 1;
  c.answers = *in.answers;
  c.fee_minor = fee;
  c.currency = service.fee.currency;
  c.submitted_at = now_ms;
  c.state_entered_at = now_ms;
  c.due_at = due_ms;
  c.updated_at = now_ms;
  Actor a = actor;
  // Open311 files through the API; its actor says so, and the event keeps it for the ledger.
  if (actor.channel != "open311") a.channel = in.channel;
  if (Status e = AddEvent(tx, c, now_ms, "submitted", "", wf.initial, "submit", a, "", false);
      !e.ok()) {
    return e.error();
  }
  if (Status e =
          AuditCase(d_.audit, tx, actor, "case.submitted", tracking, service.municipality_id,
                    "service=" + service.code + " channel=" + in.channel, now_ms, service.id);
      !e.ok()) {
    return e.error();
  }
  const i18n::Lang ui = lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
  notify::Notification n;
  n.account_id = in.applicant_id;
  n.municipality_id = service.municipality_id;
  n.lang = lang;
  n.template_key = "case.submitted";
  n.params = {{"tracking", tracking}, {"service", service.name.In(ui)}};
  n.texts = ServiceTexts(service, "submitted", ui);
  if (Status e = Tell(d_, tx, in.channels, std::move(n), now_ms, queued); !e.ok()) return e.error();
  if (Status e = Observe(tx, Submitted(c, service, wf)); !e.ok()) return e.error();
  return c;
}

namespace {

Error ServiceWithdrawn(const catalog::Service& service) {
  return MakeError(ErrorCode::kConflict, "cases.service_withdrawn",
                   "service " + service.code + " is not published");
}

}  // namespace

Result<Case> CaseStore::Submit(int64_t draft_id, const Actor& actor,
                               const catalog::Service& service, const workflow::Workflow& wf,
                               const workflow::Calendar& calendar,
                               const std::string& municipality_prefix,
                               const std::string& applicant_lang, int64_t now_ms) {
  auto draft = GetDraft(draft_id, actor.account_id);
  if (!draft.ok()) return std::move(draft).error();
  if (draft->case_id > 0) return Get(draft->case_id);  // submitted before: the same case
  // A service withdrawn since the draft was started takes no applications; the draft is kept.
  if (!service.published) return ServiceWithdrawn(service);
  // Another service only for a report routed by its location (catalog::RouteReport).
  if (draft->service_id != service.id && service.kind != catalog::ServiceKind::kReport)
    return NotFound();
  catalog::Answers answers = draft->answers;
  auto due = Prepare(service, answers, wf, calendar, now_ms);
  if (!due.ok()) return std::move(due).error();
  // Looked up before the transaction: the single writer is not held while accounts are read.
  const std::vector<notify::Channel> channels =
      d_.reachable ? d_.reachable(draft->account_id) : std::vector<notify::Channel>{};
  int64_t case_id = 0;
  bool queued = false;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    // Claim the draft first: a concurrent second submit finds it taken and returns the case.
    auto claim =
        tx.Exec("UPDATE case_drafts SET case_id = -1 WHERE id = ? AND case_id = 0", {draft_id});
    if (!claim.ok()) return std::move(claim).error();
    if (*claim == 0) return Conflict();
    NewCase in{draft->account_id, applicant_lang, draft->channel, draft->filed_by, draft_id, "",
               &answers,          channels};
    auto inserted =
        InsertCase(tx, in, actor, service, wf, *due, municipality_prefix, now_ms, queued);
    if (!inserted.ok()) return std::move(inserted).error();
    case_id = inserted->id;
    auto mark = tx.Exec("UPDATE case_drafts SET case_id = ? WHERE id = ?", {case_id, draft_id});
    if (!mark.ok()) return std::move(mark).error();
    // The draft's files the answers name go with the case; the others (replaced uploads) go.
    std::vector<int64_t> kept;
    for (const auto& [name, values] : answers) {
      for (const auto& v : values) {
        if (int64_t id = AttachmentId(v)) kept.push_back(id);
      }
    }
    for (int64_t id : kept) {
      auto link = tx.Exec(
          "UPDATE case_attachments SET case_id = ?, municipality_id = ? WHERE id = ? AND "
          "draft_id = ?",
          {case_id, service.municipality_id, id, draft_id});
      if (!link.ok()) return std::move(link).error();
    }
    auto drop =
        tx.Exec("DELETE FROM case_attachments WHERE draft_id = ? AND case_id = 0", {draft_id});
    if (!drop.ok()) return std::move(drop).error();
    return Ok();
  });
  if (!s.ok()) {
    if (s.error().code == ErrorCode::kConflict) {
      auto again = GetDraft(draft_id, actor.account_id);
      if (again.ok() && again->case_id > 0) return Get(again->case_id);
    }
    return std::move(s).error();
  }
  if (queued && d_.notified) d_.notified();
  return Get(case_id);
}

Result<Case> CaseStore::SubmitAnswers(const DirectSubmission& in, const Actor& actor,
                                      const catalog::Service& service, const workflow::Workflow& wf,
                                      const workflow::Calendar& calendar,
                                      const std::string& municipality_prefix, int64_t now_ms) {
  if (!ValidChannel(in.channel)) return MakeError(ErrorCode::kInvalid, "error.invalid", "channel");
  if (!service.published) return ServiceWithdrawn(service);
  if (in.idempotency_key.size() > 100)
    return MakeError(ErrorCode::kInvalid, "error.invalid", "idempotency key too long");
  auto existing = [&]() -> Result<Case> {
    auto rows = d_.db->Query("SELECT id FROM cases WHERE idempotency_key = ?",
                             {IdempotencyScope(in.applicant_id, service.id, in.idempotency_key)});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return NotFound();
    return Get((*rows)[0].Int(0));
  };
  // A replay returns the first case only to whoever made it (the applicant, or the same filer).
  auto replay = [&](Result<Case> first) -> Result<Case> {
    if (!first.ok()) return first;
    if (first->filed_by != in.filed_by)
      return MakeError(ErrorCode::kConflict, "cases.idempotency_key_used");
    return first;
  };
  if (!in.idempotency_key.empty()) {
    auto first = existing();
    if (first.ok() || first.error().code != ErrorCode::kNotFound) return replay(std::move(first));
  }
  catalog::Answers answers = in.answers;
  auto due = Prepare(service, answers, wf, calendar, now_ms);
  if (!due.ok()) return std::move(due).error();
  auto claims = ResolveUploads(
      *d_.db, service,
      in.uploads_municipality_id ? in.uploads_municipality_id : service.municipality_id,
      actor.account_id, now_ms, answers);
  if (!claims.ok()) return std::move(claims).error();
  // Looked up before the transaction: the single writer is not held while accounts are read.
  const std::vector<notify::Channel> channels =
      d_.reachable ? d_.reachable(in.applicant_id) : std::vector<notify::Channel>{};
  Case stored;
  bool queued = false;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    NewCase nc{in.applicant_id,    in.applicant_lang, in.channel, in.filed_by, 0,
               in.idempotency_key, &answers,          channels};
    auto inserted =
        InsertCase(tx, nc, actor, service, wf, *due, municipality_prefix, now_ms, queued);
    if (!inserted.ok()) return std::move(inserted).error();
    stored = std::move(*inserted);
    // After the case (a repeated idempotency key fails there first, and is answered as a replay):
    // each upload is spent here, so one used meanwhile by another submission fails this one.
    for (const UploadClaim& c : *claims) {
      auto n = tx.Exec(
          "UPDATE case_attachments SET case_id = ?, field = ?, account_id = ?, municipality_id = "
          "?, upload_token = NULL WHERE id = ? AND upload_token = ? AND case_id = 0 AND "
          "created_at > ?",
          {stored.id, c.field, in.applicant_id, service.municipality_id, c.attachment_id, c.token,
           now_ms - kUploadLifetimeMs});
      if (!n.ok()) return std::move(n).error();
      if (*n != 1) return UploadsRefused({{c.field, "cases.upload_unknown"}});
    }
    return in.in_tx ? in.in_tx(tx, Submitted(stored, service, wf)) : Ok();
  });
  if (!s.ok()) {
    // The same key submitted at the same moment: the unique key let one through.
    if (s.error().code == ErrorCode::kConflict && !in.idempotency_key.empty())
      return replay(existing());
    return std::move(s).error();
  }
  if (queued && d_.notified) d_.notified();
  return stored;
}

Result<Case> CaseStore::SubmitAnswers(db::Tx& tx, const DirectSubmission& in, const Actor& actor,
                                      const catalog::Service& service, const workflow::Workflow& wf,
                                      const workflow::Calendar& calendar,
                                      const std::string& municipality_prefix, int64_t now_ms) {
  if (!ValidChannel(in.channel)) return MakeError(ErrorCode::kInvalid, "error.invalid", "channel");
  if (!service.published) return ServiceWithdrawn(service);
  if (!in.idempotency_key.empty())
    return MakeError(ErrorCode::kInvalid, "error.invalid", "no idempotency key in a bulk filing");
  catalog::Answers answers = in.answers;
  auto due = Prepare(service, answers, wf, calendar, now_ms);
  if (!due.ok()) return std::move(due).error();
  std::map<std::string, std::string> files;
  for (const auto& page : service.form.pages) {
    for (const auto& f : page.fields) {
      if (f.type == catalog::FieldType::kFile && answers.contains(f.name)) {
        files[f.name] = "cases.upload_unknown";
      }
    }
  }
  if (!files.empty()) return UploadsRefused(std::move(files));
  NewCase nc{in.applicant_id, in.applicant_lang, in.channel, in.filed_by, 0, "", &answers, {}};
  bool queued = false;
  return InsertCase(tx, nc, actor, service, wf, *due, municipality_prefix, now_ms, queued);
}

Result<Case> CaseStore::Get(int64_t case_id) {
  auto rows =
      d_.db->Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE id = ?", {case_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  return ReadCase((*rows)[0], key_, true);
}

Result<Case> CaseStore::Get(db::Tx& tx, int64_t case_id) {
  return internal::LoadCase(tx, case_id, key_);
}

Result<Case> CaseStore::FindByTracking(std::string_view tracking) {
  auto parts = workflow::ParseTrackingNumber(tracking);
  if (!parts) return NotFound();
  const std::string canonical =
      workflow::TrackingNumber(parts->prefix, parts->year, parts->sequence);
  auto rows = d_.db->Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE tracking = ?",
                           {canonical});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return NotFound();
  return ReadCase((*rows)[0], key_, true);
}

Result<std::vector<Event>> CaseStore::History(int64_t case_id, bool include_internal) {
  auto rows = d_.db->Query(
      "SELECT id, at, kind, from_state, to_state, action, actor, actor_role, channel, comment, "
      "internal FROM case_events WHERE case_id = ? AND (internal = 0 OR ? = 1) ORDER BY id",
      {case_id, int64_t{include_internal ? 1 : 0}});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Event> out;
  for (const auto& r : *rows) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Text(8), r.Text(9), r.Int(10) != 0});
  }
  return out;
}

Status CaseStore::Reclaim(db::Tx& tx, int64_t old_account, int64_t new_account) {
  for (const char* sql :
       {"UPDATE cases SET applicant_id = ? WHERE applicant_id = ?",
        "UPDATE case_attachments SET account_id = ? WHERE account_id = ? AND case_id <> 0",
        "UPDATE case_followers SET account_id = ? WHERE account_id = ?"}) {
    auto n = tx.Exec(sql, {new_account, old_account});
    if (!n.ok()) return std::move(n).error();
  }
  return Ok();
}

Result<std::vector<Case>> CaseStore::OfApplicant(int64_t account_id) {
  auto rows = d_.db->Query("SELECT " + std::string(kCaseColumns) +
                               " FROM cases WHERE applicant_id = ? ORDER BY submitted_at DESC "
                               "LIMIT 200",
                           {account_id});
  if (!rows.ok()) return std::move(rows).error();
  return ReadCases(*rows, key_);
}

Result<Case> CaseStore::Transition(int64_t case_id, int64_t expected_version,
                                   const std::string& action, const std::string& comment,
                                   const Actor& actor, const workflow::Workflow& wf,
                                   const workflow::Calendar& calendar,
                                   const catalog::Service& service, int64_t now_ms) {
  bool queued = false;
  std::vector<notify::Channel> channels;
  if (d_.reachable) {
    auto applicant = d_.db->Query("SELECT applicant_id FROM cases WHERE id = ?", {case_id});
    if (!applicant.ok()) return std::move(applicant).error();
    if (!applicant->empty()) channels = d_.reachable((*applicant)[0].Int(0));
  }
  auto followers = FollowersOf(case_id);  // follow.cpp
  if (!followers.ok()) return std::move(followers).error();
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    return ApplyTransition(tx, case_id, expected_version, action, comment, actor, wf, calendar,
                           service, now_ms, channels, *followers, false, queued);
  });
  if (!s.ok()) return std::move(s).error();
  if (queued && d_.notified) d_.notified();
  return Get(case_id);
}

Status CaseStore::TransitionInTx(db::Tx& tx, int64_t case_id, const std::string& action,
                                 const Actor& actor, const workflow::Workflow& wf,
                                 const workflow::Calendar& calendar,
                                 const catalog::Service& service, int64_t now_ms, bool& queued) {
  std::vector<notify::Channel> channels;
  auto c = LoadCase(tx, case_id, key_);
  if (!c.ok()) return std::move(c).error();
  if (d_.reachable) channels = d_.reachable(c->applicant_id);
  auto followers = FollowersOf(case_id);  // follow.cpp
  if (!followers.ok()) return std::move(followers).error();
  return ApplyTransition(tx, case_id, c->version, action, "", actor, wf, calendar, service, now_ms,
                         channels, *followers, true, queued);
}

Status CaseStore::ApplyTransition(db::Tx& tx, int64_t case_id, int64_t expected_version,
                                  const std::string& action, const std::string& comment,
                                  const Actor& actor, const workflow::Workflow& wf,
                                  const workflow::Calendar& calendar,
                                  const catalog::Service& service, int64_t now_ms,
                                  const std::vector<notify::Channel>& channels,
                                  const std::vector<Follower>& followers, bool system,
                                  bool& queued) {
  if (comment.size() > kMaxCommentBytes) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.comment_too_long");
    e.fields["comment"] = "cases.comment_too_long";
    return e;
  }
  auto c = LoadCase(tx, case_id, key_);
  if (!c.ok()) return std::move(c).error();
  if (c->version != expected_version) return Conflict();
  const workflow::Transition* t = nullptr;
  if (system) {
    t = wf.FindTransition(c->state, action);
  } else {
    for (const workflow::Transition* allowed :
         workflow::AllowedTransitions(wf, c->state, actor.roles)) {
      if (allowed->action == action) t = allowed;
    }
  }
  if (!t) {
    return MakeError(ErrorCode::kForbidden, "cases.transition_forbidden",
                     "'" + action + "' is not allowed from '" + c->state + "' for these roles");
  }
  // Nobody works their own case: staff who applied, or who filed it for someone, may take only
  // the steps an applicant or a counter clerk takes (answering a request for information).
  const bool applicant_side =
      std::find(t->roles.begin(), t->roles.end(), "resident") != t->roles.end() ||
      std::find(t->roles.begin(), t->roles.end(), "counter-clerk") != t->roles.end();
  const bool own =
      actor.account_id == c->filed_by ||
      (actor.account_id == c->applicant_id &&
       std::find(actor.roles.begin(), actor.roles.end(), "resident") == actor.roles.end());
  if (!system && own && !applicant_side) {
    return MakeError(ErrorCode::kForbidden, "cases.own_case",
                     "staff may not work a case they applied for or filed");
  }
  const bool blank = comment.find_first_not_of(" \t\r\n") == std::string::npos;
  if (!system && t->comment_required && blank) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.comment_required");
    e.fields["comment"] = "cases.comment_required";
    return e;
  }
  const workflow::State* to = wf.FindState(t->to);
  if (!to) return MakeError(ErrorCode::kInternal, "error.internal", "unknown target state");
  // The SLA clock stops while the case waits for the applicant, and the waiting working days
  // are added to the due date when it comes back.
  int64_t due = c->due_at;
  int64_t paused = c->paused_at;
  if (paused != 0 && to->municipality_acts) {
    due = workflow::AddWorkingDays(calendar, due,
                                   workflow::WorkingDaysBetween(calendar, paused, now_ms));
    paused = 0;
  } else if (paused == 0 && !to->municipality_acts && !to->final) {
    paused = now_ms;
  }
  const int64_t closed = to->final ? now_ms : 0;
  // The version guard makes this safe on PostgreSQL too, where writers run concurrently.
  auto n = tx.Exec(
      "UPDATE cases SET state = ?, version = version + 1, state_entered_at = ?, due_at = ?, "
      "paused_at = ?, closed_at = ?, updated_at = ? WHERE id = ? AND version = ?",
      {t->to, now_ms, due, paused, closed, now_ms, case_id, expected_version});
  if (!n.ok()) return std::move(n).error();
  if (*n == 0) return Conflict();
  if (Status e = AddEvent(tx, *c, now_ms, "transition", c->state, t->to, action, actor, comment,
                          false, workflow::OutcomeOf(*to));
      !e.ok()) {
    return e;
  }
  if (Status e = AuditCase(d_.audit, tx, actor, "case.transition", c->tracking, c->municipality_id,
                           c->state + "->" + t->to + " action=" + action, now_ms, c->service_id,
                           {{"state", c->state, t->to}});
      !e.ok()) {
    return e;
  }
  const StateChange change =
      ChangeOf("transition", *c, service, c->state, t->to, to->final, now_ms, due);
  if (Status e = Observe(tx, change); !e.ok()) return e;
  // The applicant is told of what others do, not of their own step. A question staff ask (a
  // comment on the way to a state where the applicant acts) goes out in the message itself.
  if (system || actor.account_id != c->applicant_id) {
    const i18n::Lang lang = c->applicant_lang == "en" ? i18n::Lang::kEn : i18n::Lang::kAr;
    const bool question = !system && !blank && !to->municipality_acts && !to->final;
    notify::Notification note;
    note.account_id = c->applicant_id;
    note.municipality_id = c->municipality_id;
    note.lang = c->applicant_lang;
    note.template_key = question ? "case.info_requested" : "case.state_changed";
    if (!question) note.texts = ServiceTexts(service, "state_changed", lang);
    note.params = {{"tracking", c->tracking},
                   {"service", service.name.In(lang)},
                   {"state", to->label.In(lang)}};
    if (question) note.params["question"] = comment;
    if (Status e = Tell(d_, tx, channels, std::move(note), now_ms, queued); !e.ok()) return e;
  }
  return TellFollowers(tx, *c, service, *to, followers, now_ms, queued);
}

Result<Case> CaseStore::AddNote(int64_t case_id, int64_t expected_version, const std::string& text,
                                const Actor& actor, int64_t now_ms) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.note_empty");
    e.fields["note"] = "cases.note_empty";
    return e;
  }
  if (text.size() > kMaxCommentBytes) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.comment_too_long");
    e.fields["note"] = "cases.comment_too_long";
    return e;
  }
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    auto n = tx.Exec(
        "UPDATE cases SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        {now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Conflict();
    size_t cut = std::min<size_t>(text.size(), 4000);
    while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut;  // never split a UTF-8 character
    return AddEvent(tx, *c, now_ms, "note", "", "", "", actor, text.substr(0, cut), true);
  });
  if (!s.ok()) return std::move(s).error();
  return Get(case_id);
}

Result<Case> CaseStore::SetPriority(int64_t case_id, int64_t expected_version, int priority,
                                    const Actor& actor, int64_t now_ms) {
  if (priority < 0 || priority > kMaxPriority) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.priority_invalid");
    e.fields["priority"] = "cases.priority_invalid";
    return e;
  }
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    auto n = tx.Exec(
        "UPDATE cases SET priority = ?, version = version + 1, updated_at = ? WHERE id = ? AND "
        "version = ?",
        {int64_t{priority}, now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Conflict();
    return AuditCase(d_.audit, tx, actor, "case.priority", c->tracking, c->municipality_id,
                     "from=" + std::to_string(c->priority) + " to=" + std::to_string(priority),
                     now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return Get(case_id);
}

Result<Case> CaseStore::Assign(int64_t case_id, int64_t expected_version, int64_t assignee,
                               const Actor& actor, int64_t now_ms) {
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    auto n = tx.Exec(
        "UPDATE cases SET assigned_to = ?, version = version + 1, updated_at = ? WHERE id = ? AND "
        "version = ?",
        {assignee, now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Conflict();
    if (Status e =
            AddEvent(tx, *c, now_ms, "assigned", "", "", "", actor, std::to_string(assignee), true);
        !e.ok()) {
      return e;
    }
    auto staff = [](int64_t id) { return id ? "account:" + std::to_string(id) : std::string(); };
    return AuditCase(d_.audit, tx, actor, "case.assigned", c->tracking, c->municipality_id, "",
                     now_ms, c->service_id, {{"assignee", staff(c->assigned_to), staff(assignee)}});
  });
  if (!s.ok()) return std::move(s).error();
  return Get(case_id);
}

Status CaseStore::Rate(int64_t case_id, int score, const std::string& comment,
                       const Actor& applicant, int64_t now_ms) {
  if (score < 1 || score > 5 || comment.size() > 2000) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.rating_invalid");
    e.fields["score"] = "cases.rating_invalid";
    return e;
  }
  return d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    if (c->applicant_id != applicant.account_id) return NotFound();
    if (c->closed_at == 0) return MakeError(ErrorCode::kForbidden, "cases.not_closed");
    auto n = tx.Exec(
        "INSERT INTO case_ratings (case_id, municipality_id, service_id, score, comment, at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO NOTHING",
        {case_id, c->municipality_id, c->service_id, int64_t{score}, comment, now_ms});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "cases.already_rated");
    return AddEvent(tx, *c, now_ms, "rated", "", "", std::to_string(score), applicant, "", false);
  });
}

Result<int> CaseStore::RatingOf(int64_t case_id) {
  auto rows = d_.db->Query("SELECT score FROM case_ratings WHERE case_id = ?", {case_id});
  if (!rows.ok()) return std::move(rows).error();
  return rows->empty() ? 0 : static_cast<int>((*rows)[0].Int(0));
}

Result<Case> CaseStore::Reopen(int64_t case_id, int64_t expected_version, int days,
                               const Actor& applicant, const workflow::Workflow& wf,
                               const workflow::Calendar& calendar, const catalog::Service& service,
                               int64_t now_ms) {
  const std::string to = wf.FindState("in_review") ? "in_review" : wf.initial;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    if (c->applicant_id != applicant.account_id) return NotFound();
    if (c->version != expected_version) return Conflict();
    if (c->closed_at == 0) return MakeError(ErrorCode::kForbidden, "cases.not_closed");
    if (now_ms - c->closed_at > int64_t{days} * 86'400'000)
      return MakeError(ErrorCode::kForbidden, "cases.reopen_too_late");
    const int64_t due = workflow::AddWorkingDays(calendar, now_ms, std::max(service.sla_days, 1));
    auto n = tx.Exec(
        "UPDATE cases SET state = ?, version = version + 1, state_entered_at = ?, due_at = ?, "
        "paused_at = 0, closed_at = 0, escalated = 0, updated_at = ? WHERE id = ? AND version = ?",
        {to, now_ms, due, now_ms, case_id, expected_version});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return Conflict();
    if (Status e =
            AddEvent(tx, *c, now_ms, "reopened", c->state, to, "reopen", applicant, "", false);
        !e.ok()) {
      return e;
    }
    const StateChange change = ChangeOf("reopened", *c, service, c->state, to, false, now_ms, due);
    if (Status e = Observe(tx, change); !e.ok()) return e;
    return AuditCase(d_.audit, tx, applicant, "case.reopened", c->tracking, c->municipality_id, "",
                     now_ms, c->service_id, {{"state", c->state, to}});
  });
  if (!s.ok()) return std::move(s).error();
  return Get(case_id);
}

Result<QueuePage> CaseStore::Queue(const QueueFilter& f, int64_t now_ms) {
  std::string where = "municipality_id = ?";
  db::Params params = {f.municipality_id};
  if (!f.departments.empty()) {
    where += " AND department_id IN (";
    for (size_t i = 0; i < f.departments.size(); ++i) {
      where += i ? ", ?" : "?";
      params.emplace_back(f.departments[i]);
    }
    where += ")";
  }
  if (f.state.empty()) {
    where += " AND closed_at = 0";
  } else if (f.state == "closed") {
    where += " AND closed_at <> 0";
  } else {
    where += " AND state = ?";
    params.emplace_back(f.state);
  }
  if (f.service_id) {
    where += " AND service_id = ?";
    params.emplace_back(f.service_id);
  }
  if (!f.channel.empty()) {
    where += " AND channel = ?";
    params.emplace_back(f.channel);
  }
  if (f.sla == "overdue") {
    where += " AND closed_at = 0 AND paused_at = 0 AND due_at < ?";
    params.emplace_back(now_ms);
  } else if (f.sla == "on_time") {
    where += " AND (closed_at <> 0 OR paused_at <> 0 OR due_at >= ?)";
    params.emplace_back(now_ms);
  }
  if (f.assigned_to >= 0) {
    where += " AND assigned_to = ?";
    params.emplace_back(f.assigned_to);
  }
  if (f.from_ms) {
    where += " AND submitted_at >= ?";
    params.emplace_back(f.from_ms);
  }
  if (f.to_ms) {
    where += " AND submitted_at < ?";
    params.emplace_back(f.to_ms);
  }
  const char* order = f.sort == "submitted"    ? "submitted_at, id"
                      : f.sort == "-submitted" ? "submitted_at DESC, id DESC"
                      : f.sort == "priority"   ? "priority DESC, due_at, id"
                                               : "due_at, id";
  QueuePage page;
  db::Params counted = params;
  counted.emplace_back(kQueueCountCap + 1);
  auto count = d_.db->Query(
      "SELECT count(*) FROM (SELECT 1 FROM cases WHERE " + where + " LIMIT ?) AS matching",
      counted);
  if (!count.ok()) return std::move(count).error();
  page.total = std::min((*count)[0].Int(0), kQueueCountCap);
  page.total_capped = (*count)[0].Int(0) > kQueueCountCap;
  db::Params paged = params;
  paged.emplace_back(int64_t{std::clamp(f.limit, 1, 200)});
  paged.emplace_back(int64_t{std::max(f.offset, 0)});
  auto rows = d_.db->Query("SELECT " + std::string(kCaseColumns) + " FROM cases WHERE " + where +
                               " ORDER BY " + order + " LIMIT ? OFFSET ?",
                           paged);
  if (!rows.ok()) return std::move(rows).error();
  for (const auto& r : *rows) {
    auto c = ReadCase(r, key_, false);
    if (!c.ok()) return std::move(c).error();
    page.cases.push_back(std::move(*c));
  }
  return page;
}

Result<int> CaseStore::EscalateOverdue(int64_t now_ms) {
  int escalated = 0;
  bool queued = false;
  // The heads of the departments concerned are looked up first, outside the write transaction
  // (the single writer is not held while accounts are read).
  std::map<std::pair<int64_t, int64_t>, std::vector<std::pair<int64_t, std::string>>> heads;
  if (d_.outbox && d_.heads) {
    auto due = d_.db->Query(
        "SELECT DISTINCT municipality_id, department_id FROM cases WHERE closed_at = 0 AND "
        "paused_at = 0 AND escalated = 0 AND due_at < ?",
        {now_ms});
    if (!due.ok()) return std::move(due).error();
    for (const auto& r : *due) heads[{r.Int(0), r.Int(1)}] = d_.heads(r.Int(0), r.Int(1));
  }
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "UPDATE cases SET escalated = 1, version = version + 1, updated_at = ? WHERE "
        "closed_at = 0 AND paused_at = 0 AND escalated = 0 AND due_at < ? RETURNING id, "
        "municipality_id, state, department_id, tracking",
        {now_ms, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    Actor system;
    system.pseudonym = "system";
    system.channel = "";
    for (const auto& r : *rows) {
      Case c;
      c.id = r.Int(0);
      c.municipality_id = r.Int(1);
      if (Status e =
              AddEvent(tx, c, now_ms, "escalated", r.Text(2), r.Text(2), "", system, "", false);
          !e.ok()) {
        return e;
      }
      ++escalated;
      // The department's heads are told in-app, with the escalation.
      auto told = heads.find({c.municipality_id, r.Int(3)});
      if (!d_.outbox || told == heads.end()) continue;
      for (const auto& [head, lang] : told->second) {
        notify::Notification n;
        n.account_id = head;
        n.municipality_id = c.municipality_id;
        n.lang = lang;
        n.template_key = "case.escalated";
        n.params = {{"tracking", r.Text(4)}};
        if (Status e = Tell(d_, tx, {notify::Channel::kInApp}, std::move(n), now_ms, queued);
            !e.ok())
          return e;
      }
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (queued && d_.notified) d_.notified();
  return escalated;
}

std::vector<db::Migration> Migrations() { return db::MigrationsFrom(CasesMigrationFiles()); }

// ---- the workflow editor ---------------------------------------------------------------------

Result<int64_t> CountOpenInStates(db::Tx& tx, int64_t service_id,
                                  const std::vector<std::string>& states) {
  if (states.empty()) return int64_t{0};
  std::string sql =
      "SELECT count(*) FROM cases WHERE service_id = ? AND closed_at = 0 AND state IN (";
  db::Params params = {service_id};
  for (const auto& state : states) {
    sql += params.size() == 1 ? "?" : ", ?";
    params.emplace_back(state);
  }
  auto rows = tx.Query(sql + ")", params);
  if (!rows.ok()) return std::move(rows).error();
  return (*rows)[0].Int(0);
}

}  // namespace baladiya::cases
