// cases: applications and reports from draft to final state. A resident (or a counter clerk on
// their behalf) fills a draft page by page; submitting turns it into a case with a tracking
// number, in one transaction with its first event, its audit entry and the notification to the
// applicant. Staff move cases through the service's workflow; every move is a transaction with
// optimistic concurrency (a stale version is refused as a conflict, never a lost update), an
// event, an audit entry and a notification.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "catalog/form_schema.h"
#include "catalog/services.h"
#include "notify/notify.h"
#include "platform/crypto/crypto.h"
#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "workflow/workflow.h"

namespace baladiya::module {
struct Module;
}

namespace baladiya::cases {

// How a case reached the municipality.
bool ValidChannel(std::string_view channel);  // "web", "api", "counter", "phone"

// Who acts: their account, pseudonym (for events and the audit log), the roles they act in
// ("resident", "clerk", ...), the channel and the request.
struct Actor {
  int64_t account_id = 0;
  std::string pseudonym;
  std::vector<std::string> roles;
  std::string channel = "web";
  std::string request_id;
};

struct Draft {
  int64_t id = 0;
  int64_t account_id = 0;  // the applicant
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  std::string channel;
  int64_t filed_by = 0;  // the counter clerk, when filed on someone's behalf
  catalog::Answers answers;
  int page = 0;
  int64_t case_id = 0;  // set once submitted
  int64_t updated_at = 0;
  // The service's published version it was started on (catalog::Service::live_number; 0 when
  // not recorded). SaveDraft stores it with the answers.
  int64_t service_version = 0;
};

struct Case {
  int64_t id = 0;
  std::string tracking;  // "HEB-26-000123-3"
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  int64_t department_id = 0;
  int64_t applicant_id = 0;
  std::string applicant_lang;
  std::string channel;
  int64_t filed_by = 0;
  std::string state;
  int64_t version = 0;
  catalog::Answers answers;
  int64_t fee_minor = 0;
  std::string currency;
  int64_t assigned_to = 0;
  int64_t submitted_at = 0;
  int64_t state_entered_at = 0;
  int64_t due_at = 0;     // the service's SLA on the working calendar, paused while waiting
  int64_t paused_at = 0;  // while the case waits for the applicant
  int64_t closed_at = 0;  // reached a final state
  bool escalated = false;
  int64_t updated_at = 0;
  int priority = 0;  // set by staff: 0 normal, 1 high, 2 urgent (kMaxPriority)

  bool Overdue(int64_t now_ms) const { return closed_at == 0 && paused_at == 0 && now_ms > due_at; }
};

struct Event {
  int64_t id = 0;
  int64_t at = 0;
  std::string kind;  // submitted, transition, note, assigned, escalated
  std::string from_state;
  std::string to_state;
  std::string action;
  std::string actor;
  std::string actor_role;
  std::string channel;
  std::string comment;
  bool internal = false;
};

inline constexpr int kMaxPriority = 2;  // 0 normal, 1 high, 2 urgent

struct QueueFilter {
  int64_t municipality_id = 0;
  std::vector<int64_t> departments;  // empty = every department
  std::string state;                 // empty = every open state; "closed" = final ones
  int64_t service_id = 0;
  std::string channel;
  std::string sla;           // "", "overdue", "on_time"
  int64_t assigned_to = -1;  // -1 any, 0 unassigned
  int64_t from_ms = 0;       // submitted at or after
  int64_t to_ms = 0;         // submitted before (0 = no bound)
  std::string sort = "due";  // "due", "submitted", "-submitted", "priority" (most urgent first)
  int offset = 0;
  int limit = 25;
};

struct QueuePage {
  std::vector<Case> cases;  // answers left empty
  // How many cases match, counted up to kQueueCountCap (a queue past it shows "more than"):
  // an exact count of a very long queue costs more than the page itself.
  int64_t total = 0;
  bool total_capped = false;
};
inline constexpr int64_t kQueueCountCap = 1000;

// One entry of the event feed (CaseStore::Feed): an event of a case with what a reader that
// counts cases (the KPI ledger) needs to place it. No personal data: no answers, no applicant,
// no actor; rating comments are the applicant's words and stay with the ratings (not here).
struct FeedEntry {
  int64_t position = 0;  // strictly increasing with each event written; a reader keeps the last
  int64_t at = 0;
  // "submitted", "transition", "reopened", "merged", "merged_in", "transferred", "rated",
  // "assigned", "note", "escalated"
  std::string kind;
  int64_t case_id = 0;
  std::string tracking;
  // Where the case was when the event happened (a transfer moves later events elsewhere).
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  int64_t department_id = 0;
  std::string from_state;
  std::string to_state;
  std::string action;         // a transition's action ("approve"); empty for other kinds
  std::string actor_channel;  // the channel the event's actor used ("web", "counter", ...)
  std::string actor_role;     // the role they acted in ("resident", "clerk", ...; "" for system)
  int score = 0;              // "rated": 1..5
  bool internal = false;      // a staff-only event (a note)
  // The case as it is now.
  std::string case_channel;  // how it was filed
  int64_t submitted_at = 0;
  int64_t due_at = 0;
  int64_t closed_at = 0;  // 0 while open
  // The draft the case was submitted from (0: filed directly, through the API or Open311): when
  // it was begun, and where (a report routed by its location was begun in another
  // municipality's service).
  int64_t draft_started_at = 0;
  int64_t draft_municipality_id = 0;
  int64_t draft_service_id = 0;
  // A "transition" into a final state, or "merged": how the case ended there, the outcome of
  // the state in the service's workflow when the event was written ("completed", "rejected",
  // "withdrawn", "merged"; workflow::OutcomeOf). Empty for other events, and for events written
  // before outcomes were recorded (a reader then asks the workflow).
  std::string outcome;
};
inline constexpr int kMaxFeedBatch = 10'000;

// One draft begun (CaseStore::DraftFeed): the applications started that never became a case
// count against the completion rate. No personal data.
struct DraftStart {
  int64_t position = 0;  // strictly increasing; read like FeedEntry::position
  int64_t at = 0;
  int64_t draft_id = 0;
  int64_t municipality_id = 0;
  int64_t service_id = 0;
  std::string channel;
};

// A case entering a state (its submission, a workflow transition, a reopening), seen inside the
// transaction that makes the change, so that a module keeping its own view of cases (Open311's
// public record of reports) stays in step with them or the change does not happen.
struct StateChange {
  // "submitted", "transition", "reopened", or "transferred" (to another municipality: then
  // municipality_id, department_id and service are the new ones, to_state the initial state)
  std::string kind;
  int64_t case_id = 0;
  std::string tracking;
  int64_t municipality_id = 0;
  int64_t department_id = 0;
  const catalog::Service* service = nullptr;  // the case's service; valid during the call
  std::string from_state;                     // empty for a submission
  std::string to_state;
  bool final = false;  // to_state is a final state
  int64_t at = 0;
  int64_t due_at = 0;  // the case's due date after the change
  // A submission's answers as stored (normalised); valid during the call. Null for every other
  // change, so that a module publishing part of them (Open311's location and description) reads
  // them only when a case is filed.
  const catalog::Answers* answers = nullptr;
};

// What a store needs from its surroundings.
// Storage one account may fill: files held in its unsubmitted drafts and unused uploads together,
// and files it added in the last 24 hours wherever they went (an applicant's, counted on the
// applicant's account). Past either, AddAttachment and AddUpload refuse with kTooLarge
// "form.storage_quota" and store nothing.
inline constexpr int64_t kMaxPendingFileBytes = int64_t{50} * 1024 * 1024;
inline constexpr int64_t kMaxDailyFileBytes = int64_t{100} * 1024 * 1024;
// Unsubmitted drafts one account may hold at once (its own and those a clerk started for it);
// CreateDraft refuses one more with kConflict "cases.too_many_drafts". Abandoned ones go after
// draft-days.
inline constexpr int kMaxOpenDrafts = 20;
// Longest staff note or transition comment (bytes of UTF-8: some 10,000 Arabic letters).
inline constexpr size_t kMaxCommentBytes = 20'000;

struct Dependencies {
  db::Database* db = nullptr;
  const crypto::Key32* master = nullptr;
  audit::AuditLog* audit = nullptr;
  notify::Outbox* outbox = nullptr;  // null: no notifications
  // The channels on which an account can be told (in-app first); empty for none.
  std::function<std::vector<notify::Channel>(int64_t account_id)> reachable;
  // Called after a transaction that queued notifications commits.
  std::function<void()> notified;
  // The heads of a department (account id and language), told when its cases are escalated.
  std::function<std::vector<std::pair<int64_t, std::string>>(int64_t municipality_id,
                                                             int64_t department_id)>
      heads;
  // The virus-scanning hook: called with every upload's bytes before it is stored; a failure
  // refuses the file (e.g. kInvalid "form.file_infected" from a ClamAV daemon's verdict). Unset:
  // no scanning.
  std::function<Status(std::string_view bytes)> scan;
  // The storage quotas (tests set small ones).
  int64_t max_pending_file_bytes = kMaxPendingFileBytes;
  int64_t max_daily_file_bytes = kMaxDailyFileBytes;
  int max_open_drafts = kMaxOpenDrafts;
  // What every message about a case says beside its own params: fills params "municipality"
  // (the municipality's name in the message's language) and "link" (the address of the case's
  // page for the recipient: the applicant's, a follower's or the staff's), from the message's
  // municipality_id, lang, template_key and params["tracking"]. Unset: both empty.
  std::function<void(notify::Notification&)> about;
};

// Told of every state change of every case inside the change's transaction (see StateChange);
// an error rolls the change back, so what the observer keeps stays in step with the cases.
using Observer = std::function<Status(db::Tx&, const StateChange&)>;

struct Attachment {
  int64_t id = 0;
  std::string field;
  std::string file_name;
  std::string content_type;  // application/pdf, image/jpeg or image/png
  int64_t size = 0;
  std::string sha256;   // hex, of the plain bytes
  std::string content;  // filled only by GetAttachment
};

// Largest file accepted.
inline constexpr int64_t kMaxAttachmentBytes = int64_t{4} * 1024 * 1024;
// Most files one draft or one application carries.
inline constexpr int kMaxFilesPerApplication = 20;

// A file sent through the API on its own, before the application that names it. It belongs to
// the account that sent it, in one municipality; an application filed by that account in that
// municipality within kUploadLifetimeMs names it by id as the answer to a file field, and its
// submission makes it one of the case's attachments. Otherwise it is deleted (DeleteAbandoned).
struct Upload {
  std::string id;  // "up_" and 43 random base64url characters: opaque, never a row id
  std::string file_name;
  std::string content_type;  // application/pdf, image/jpeg or image/png, from the content
  int64_t size = 0;
  std::string sha256;  // hex, of the plain bytes
  int64_t expires_at = 0;
};
inline constexpr int64_t kUploadLifetimeMs = int64_t{24} * 3600 * 1000;
// Unused, unexpired uploads one account may hold at once.
inline constexpr int kMaxWaitingUploads = 50;

// What one clean-up pass deleted.
struct CleanupReport {
  int drafts = 0;       // drafts untouched for the configured days, never submitted
  int draft_files = 0;  // their files
  int uploads = 0;      // uploads no application used within kUploadLifetimeMs
};

// A file sent with an answer to a request for information.
struct ReplyFile {
  std::string file_name;
  std::string bytes;
};
// Most files one answer carries.
inline constexpr int kMaxReplyFiles = 5;
// The field of the case's attachments sent with answers.
inline constexpr std::string_view kReplyField = "reply";

// The answer value that names an attachment ("f" + id), and back (0 when not one).
std::string AttachmentRef(int64_t id);
int64_t AttachmentId(std::string_view ref);

class CaseStore {
 public:
  explicit CaseStore(Dependencies deps);

  // Adds an observer of state changes (Open311's public record, an invoice raised when a case
  // enters a state that awaits payment, ...), called in the order added. Not thread-safe: call
  // while the program is assembled, before any change.
  void AddObserver(Observer observer) { observers_.push_back(std::move(observer)); }

  Result<int64_t> CreateDraft(int64_t account_id, const catalog::Service& service,
                              const std::string& channel, int64_t filed_by, int64_t now_ms);
  // kNotFound unless the draft belongs to account_id (or was filed by it).
  Result<Draft> GetDraft(int64_t draft_id, int64_t account_id);
  Status SaveDraft(const Draft& d, int64_t now_ms);
  // Deletes a draft not yet submitted, with its files, for the resident it belongs to or the
  // clerk who started it; kNotFound when it is neither theirs nor still a draft.
  Status DeleteDraft(int64_t draft_id, int64_t account_id);
  // Stores an upload for a draft's file field; returns its id (the answer value is
  // AttachmentRef(id)). kInvalid "form.file_type" unless the content is a PDF, JPEG or PNG;
  // kTooLarge "form.file_too_large" over kMaxAttachmentBytes; the scan hook's error when it
  // refuses the file.
  Result<int64_t> AddAttachment(const Draft& d, const std::string& field,
                                const std::string& file_name, std::string_view bytes,
                                int64_t now_ms);
  // Metadata of the draft's or the case's files (content left empty).
  Result<std::vector<Attachment>> Attachments(int64_t draft_id, int64_t case_id);
  // One file with its content, when it belongs to the case.
  Result<Attachment> GetAttachment(int64_t case_id, int64_t attachment_id);
  // Stores a file sent on its own (the API) for account_id in municipality_id, with the checks of
  // AddAttachment (content type, size, the scan hook). kConflict "cases.too_many_uploads" when
  // the account already holds kMaxWaitingUploads unused ones (a soft limit: two uploads at the
  // same moment on PostgreSQL may both pass it).
  Result<Upload> AddUpload(int64_t account_id, int64_t municipality_id,
                           const std::string& file_name, std::string_view bytes, int64_t now_ms);

  // The account's unsubmitted drafts, newest first.
  Result<std::vector<Draft>> Drafts(int64_t account_id);

  // Housekeeping: deletes drafts never submitted and untouched (no SaveDraft) for draft_days
  // days, with their files, and uploads no application used within kUploadLifetimeMs. One
  // transaction; at most a few hundred drafts and a thousand uploads a call, so that the writer
  // is never held long (the next call takes the rest). Not audited: drafts and uploads are not
  // records of the municipality until submitted, and their creation is not audited either.
  Result<CleanupReport> DeleteAbandoned(int64_t now_ms, int draft_days);

  // Validates every page and submits: `service` is the draft's, or, for a report that its
  // location routes to another municipality (catalog::RouteReport), that municipality's matching
  // report service, whose form the answers are checked against again. The case (state = workflow
  // initial, tracking number, fee from the rule table, due date from the service's SLA on the
  // calendar), its "submitted" event, the audit entry and the applicant's notification, in one
  // transaction. Submitting the same draft again returns the same case (idempotent). kConflict
  // ("cases.service_withdrawn") when the service is not published (withdrawn since the draft was
  // started; SubmitAnswers too): nothing changes, the draft is kept. kInvalid
  // ("cases.answers_invalid") with the problems in Error::fields when answers are wrong; nothing is
  // stored then.
  Result<Case> Submit(int64_t draft_id, const Actor& actor, const catalog::Service& service,
                      const workflow::Workflow& wf, const workflow::Calendar& calendar,
                      const std::string& municipality_prefix, const std::string& applicant_lang,
                      int64_t now_ms);

  // Submits answers directly (the JSON API, and the counter filing on someone's behalf): the
  // same validation and the same single transaction as Submit, without a draft. A repeated
  // idempotency_key (per applicant) returns the first case instead of making a second one.
  // Answers to file fields are upload ids (AddUpload) of actor.account_id in the service's
  // municipality, unused and unexpired: the transaction makes them the case's attachments (the
  // stored answers then name them as AttachmentRef does) and spends the ids. Any other value is
  // kInvalid "cases.answers_invalid" with fields[field] = "cases.upload_unknown", and more than
  // kMaxFilesPerApplication files "form.too_many_files"; nothing is stored then.
  struct DirectSubmission {
    int64_t applicant_id = 0;
    std::string applicant_lang = "ar";
    std::string channel = "api";
    int64_t filed_by = 0;
    std::string idempotency_key;  // optional, up to 100 characters
    catalog::Answers answers;
    // Where the file answers' uploads were sent (AddUpload); 0: the service's municipality. A
    // report routed to another municipality by its location keeps the uploads sent with it.
    int64_t uploads_municipality_id = 0;
    // Optional: runs inside the submission's transaction once the case is inserted (after
    // the observers), so that what the caller keeps about the case is stored with it or not
    // at all. Not called for an idempotent replay.
    std::function<Status(db::Tx&, const StateChange&)> in_tx;
  };
  Result<Case> SubmitAnswers(const DirectSubmission& in, const Actor& actor,
                             const catalog::Service& service, const workflow::Workflow& wf,
                             const workflow::Calendar& calendar,
                             const std::string& municipality_prefix, int64_t now_ms);
  // The same inside the caller's transaction, so that a bulk import (or a benchmark) files many
  // cases in one transaction, with TransitionInTx for their later steps: the same validation,
  // case, event, audit entry and observers, but no files (a file answer is kInvalid
  // "cases.answers_invalid" with fields[field] = "cases.upload_unknown"), no idempotency key
  // (kInvalid) and no in_tx; notifications are queued without waking the outbox (the caller
  // calls Dependencies::notified after its commit when it must).
  Result<Case> SubmitAnswers(db::Tx& tx, const DirectSubmission& in, const Actor& actor,
                             const catalog::Service& service, const workflow::Workflow& wf,
                             const workflow::Calendar& calendar,
                             const std::string& municipality_prefix, int64_t now_ms);

  Result<Case> Get(int64_t case_id);
  // The same inside the caller's transaction: an observer reading the case it is told of needs
  // no second connection while the change holds one.
  Result<Case> Get(db::Tx& tx, int64_t case_id);
  Result<Case> FindByTracking(std::string_view tracking);
  Result<std::vector<Event>> History(int64_t case_id, bool include_internal);
  Result<std::vector<Case>> OfApplicant(int64_t account_id);
  // A closed account's cases, their files and follows move to the account that registered
  // again with its ID number (identity::AccountStore::AddReclaimObserver), inside tx.
  Status Reclaim(db::Tx& tx, int64_t old_account, int64_t new_account);

  // Takes `action` from the case's state when one of actor.roles may, against expected_version.
  // kConflict ("cases.conflict") when the case changed since (nothing is written); kForbidden
  // ("cases.transition_forbidden") when the action does not exist from this state for these
  // roles; kInvalid ("cases.comment_required") when a comment is required and missing.
  Result<Case> Transition(int64_t case_id, int64_t expected_version, const std::string& action,
                          const std::string& comment, const Actor& actor,
                          const workflow::Workflow& wf, const workflow::Calendar& calendar,
                          const catalog::Service& service, int64_t now_ms);
  // The system takes `action` from the case's current state inside the caller's transaction (a
  // payment moving its case on, in the payment's transaction): whatever roles the transition
  // names, without a comment, with the event and audit entry under `actor` (e.g. pseudonym
  // "system", channel "payment"), the observers and the applicant's and followers' notifications.
  // kForbidden "cases.transition_forbidden" when the state has no such action; sets queued when
  // notifications were queued (wake notify after the commit).
  Status TransitionInTx(db::Tx& tx, int64_t case_id, const std::string& action, const Actor& actor,
                        const workflow::Workflow& wf, const workflow::Calendar& calendar,
                        const catalog::Service& service, int64_t now_ms, bool& queued);
  // The applicant's answer to a request for information: the applicant-side `action` with the
  // answer's text (required: kInvalid "cases.answer_required" on field "comment") and its files
  // (each checked as AddAttachment's, at most kMaxReplyFiles: kTooLarge "form.too_many_files";
  // kept as the case's attachments of field kReplyField), in one transaction. The member of
  // staff the case is assigned to, or with none the department's heads, is told in the app
  // ("case.answered"); the applicant is not told of their own answer.
  Result<Case> Answer(int64_t case_id, int64_t expected_version, const std::string& action,
                      const std::string& text, const std::vector<ReplyFile>& files,
                      const Actor& applicant, const workflow::Workflow& wf,
                      const workflow::Calendar& calendar, const catalog::Service& service,
                      int64_t now_ms);

  // Internal note (staff only) or assignment; both raise the version and need the current one.
  // Sets a case's priority (0..kMaxPriority, else kInvalid "cases.priority_invalid"), against
  // expected_version; audited "case.priority" with the old and new values.
  Result<Case> SetPriority(int64_t case_id, int64_t expected_version, int priority,
                           const Actor& actor, int64_t now_ms);
  Result<Case> AddNote(int64_t case_id, int64_t expected_version, const std::string& text,
                       const Actor& actor, int64_t now_ms);
  Result<Case> Assign(int64_t case_id, int64_t expected_version, int64_t assignee,
                      const Actor& actor, int64_t now_ms);

  // The applicant rates a closed case once (score 1..5). kInvalid "cases.rating_invalid";
  // kConflict "cases.already_rated"; kForbidden "cases.not_closed" before the final state.
  Status Rate(int64_t case_id, int score, const std::string& comment, const Actor& applicant,
              int64_t now_ms);
  // The score given, or 0.
  Result<int> RatingOf(int64_t case_id);
  // The applicant reopens a rejected or completed case within `days` days of its closing: back
  // to the workflow's review state (or its initial one) with a new due date. kForbidden
  // "cases.reopen_too_late" / "cases.not_closed"; kConflict on a stale version.
  Result<Case> Reopen(int64_t case_id, int64_t expected_version, int days, const Actor& applicant,
                      const workflow::Workflow& wf, const workflow::Calendar& calendar,
                      const catalog::Service& service, int64_t now_ms);

  // Moves a report to another municipality (transfer.cpp): to `to`, that municipality's matching
  // report service (catalog::MatchingReportService), its department, `to_wf`'s initial state and
  // a new due date (to's SLA on to_calendar, that municipality's); the tracking number is kept,
  // the assignment and escalation cleared. In one transaction, against expected_version: a
  // "transferred" event (comment "<from slug>><to slug>"), the audit entry, the applicant's
  // notification (to_name names the new municipality), the observers ("transferred"). `from`
  // is the case's current service. kConflict ("cases.conflict") on a stale version;
  // kInvalid "transfer.same_municipality"; kForbidden "transfer.not_report" for an
  // application, "transfer.closed" for a closed case (reopen it first).
  struct TransferTarget {
    const catalog::Service* service = nullptr;
    const workflow::Workflow* workflow = nullptr;
    const workflow::Calendar* calendar = nullptr;
    std::string from_slug;
    std::string to_slug;
    catalog::Text to_name;
  };
  Result<Case> Transfer(int64_t case_id, int64_t expected_version, const catalog::Service& from,
                        const TransferTarget& to, const Actor& actor, int64_t now_ms);

  Result<QueuePage> Queue(const QueueFilter& f, int64_t now_ms);

  // ---- following reports and merging duplicates (follow.cpp) --------------------------------

  // Instead of filing a duplicate, the draft's applicant follows an open report of the same
  // municipality and service: from then on they are told of its state changes like its
  // applicant (in follower_lang), and the draft is deleted with its files, in one transaction
  // with the audit entry "case.followed". Following again, or following one's own report, only
  // deletes the draft. kConflict "cases.follow_closed" when the report is closed,
  // "cases.draft_submitted" when the draft is gone or submitted; kInvalid
  // "cases.follow_mismatch" for a report of another municipality or service, or not a report.
  // routed_service_id (when not 0): the service of another municipality the draft's report
  // would go to (its location is in that municipality's area), whose reports it may follow.
  // details (when not empty): what the follower's own draft said (how bad, since when...), kept
  // on the report as a staff note, so that following loses none of it.
  Status Follow(int64_t case_id, const Draft& draft, const std::string& follower_lang,
                const Actor& actor, int64_t now_ms, int64_t routed_service_id = 0,
                const std::string& details = "");
  // The reports the account follows, newest first (answers left empty).
  Result<std::vector<Case>> Followed(int64_t account_id);
  // Whether the account follows the case.
  Result<bool> Follows(int64_t case_id, int64_t account_id);
  // How many people follow the case (the applicant not counted).
  Result<int64_t> FollowerCount(int64_t case_id);

  // Staff close an open report as a duplicate of another open report of the same municipality
  // and service (into_tracking), against expected_version: the case moves to the workflow's
  // final state "duplicate" (or else its first final state that is not a success), with a
  // "merged" event naming the target, an internal "merged_in" event on the target, the audit
  // entry "case.merged", the observers told of kind "merged"; its applicant and followers
  // become followers of the target and the applicant is told. Refusals store nothing:
  // kConflict "cases.conflict" on a stale version, "cases.merge_closed" when the case is
  // closed; kInvalid with fields["into"] "cases.merge_not_report", "cases.merge_unknown",
  // "cases.merge_self", "cases.merge_other_municipality", "cases.merge_other_service",
  // "cases.merge_target_closed"; kForbidden "cases.own_case" for staff who applied or filed it,
  // "cases.merge_not_allowed" when the workflow gives the actor's roles no transition out of the
  // case's state (MayMerge): merging is closing, and only who may act on the case may close it.
  static bool MayMerge(const workflow::Workflow& wf, std::string_view state,
                       const std::vector<std::string>& roles);
  Result<Case> Merge(int64_t case_id, int64_t expected_version, std::string_view into_tracking,
                     const Actor& actor, const workflow::Workflow& wf,
                     const catalog::Service& service, int64_t now_ms);

  // The event feed: entries after `after` (0: from the beginning), oldest first, at most `limit`
  // (1..kMaxFeedBatch). A reader keeps the position of the last entry it has processed.
  // On SQLite positions appear in order (one writer). On PostgreSQL a transaction that is still
  // open may commit a lower position after a higher one was read: a reader that must not miss
  // one re-reads a short window behind its position and ignores positions it has seen.
  Result<std::vector<FeedEntry>> Feed(int64_t after, int limit);
  // The same inside the reader's own transaction, so that it can advance its position in the
  // transaction that records what it read.
  Result<std::vector<FeedEntry>> Feed(db::Tx& tx, int64_t after, int limit);
  // Drafts begun after `after`, oldest first, at most `limit` (1..kMaxFeedBatch), inside the
  // reader's transaction; positions behave as Feed's (on PostgreSQL they may commit out of order).
  Result<std::vector<DraftStart>> DraftFeed(db::Tx& tx, int64_t after, int limit);

  // Flags open cases past their due date as escalated (an event each, and an in-app message to
  // each head of the case's department); returns how many.
  Result<int> EscalateOverdue(int64_t now_ms);

 private:
  // Serialises, per account, the transactions that count its drafts and files under their caps.
  Status LockAccount(db::Tx& tx, int64_t account_id);
  struct NewCase {
    int64_t applicant_id = 0;
    std::string applicant_lang;
    std::string channel;
    int64_t filed_by = 0;
    int64_t draft_id = 0;
    std::string idempotency_key;
    const catalog::Answers* answers = nullptr;
    std::vector<notify::Channel> channels;  // where the applicant is told (looked up beforehand)
  };
  // Inserts the case with its event, audit entry and notifications inside tx, and tells
  // the observers; returns the case as stored.
  Result<Case> InsertCase(db::Tx& tx, const NewCase& in, const Actor& actor,
                          const catalog::Service& service, const workflow::Workflow& wf,
                          int64_t due_ms, const std::string& prefix, int64_t now_ms, bool& queued);

  // A follower to tell of a case's changes, with the channels that reach them.
  struct Follower {
    int64_t account_id = 0;
    std::string lang;
    std::vector<notify::Channel> channels;
  };
  // The case's followers, looked up before a change's transaction (follow.cpp).
  Result<std::vector<Follower>> FollowersOf(int64_t case_id);
  // Queues "case.followed_changed" to each follower inside the change's transaction.
  Status TellFollowers(db::Tx& tx, const Case& c, const catalog::Service& service,
                       const workflow::State& to, const std::vector<Follower>& followers,
                       int64_t now_ms, bool& queued);

  // The body of Transition and TransitionInTx; `system` skips the roles, own-case and comment
  // checks.
  Status ApplyTransition(db::Tx& tx, int64_t case_id, int64_t expected_version,
                         const std::string& action, const std::string& comment, const Actor& actor,
                         const workflow::Workflow& wf, const workflow::Calendar& calendar,
                         const catalog::Service& service, int64_t now_ms,
                         const std::vector<notify::Channel>& channels,
                         const std::vector<Follower>& followers, bool system, bool& queued);

  // Tells every observer of a change, inside tx; the first error stops and is returned.
  Status Observe(db::Tx& tx, const StateChange& change) const {
    for (const auto& o : observers_) {
      if (Status st = o(tx, change); !st.ok()) return st;
    }
    return Ok();
  }

  Dependencies d_;
  crypto::Key32 key_;
  std::vector<Observer> observers_;
};

std::vector<db::Migration> Migrations();

// ---- the workflow editor ---------------------------------------------------------------------

// How many open cases of the service are in any of `states` (a changed workflow may not drop a
// state that open cases are in). Runs in the caller's transaction, so that the check and the
// change commit together. 0 for no states.
Result<int64_t> CountOpenInStates(db::Tx& tx, int64_t service_id,
                                  const std::vector<std::string>& states);

// The cases module as the program is built from it (module.cpp; platform/module/module.h).
module::Module Module();

}  // namespace baladiya::cases
