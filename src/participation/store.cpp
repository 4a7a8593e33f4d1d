// participation's store (participation.h): processes and their phases, proposals, supports and
// comments, each change with its audit entry in the same transaction.
#include <algorithm>
#include <map>

#include "identity/identity.h"
#include "notify/notify.h"
#include "participation/participation.h"
#include "participation/store_internal.h"
#include "platform/crypto/crypto.h"
#include "platform/embedded.h"
#include "platform/i18n/arabic.h"

std::span<const baladiya::EmbeddedFile> ParticipationMigrationFiles();

namespace baladiya::participation {

Error internal::InvalidFields(std::map<std::string, std::string> fields) {
  Error e = MakeError(ErrorCode::kInvalid, "participation.invalid");
  for (auto& [field, key] : fields) e.fields[field] = key;
  return e;
}

Status internal::Audit(audit::AuditLog* log, db::Tx& tx, const Actor& who, int64_t municipality_id,
                       std::string_view action, std::string_view object, std::string details,
                       int64_t now_ms) {
  return identity::AuditChange(log, tx, {who.pseudonym, who.request_id, municipality_id}, action,
                               object, municipality_id, std::move(details), now_ms);
}

std::vector<db::Migration> Migrations() {
  return db::MigrationsFrom(ParticipationMigrationFiles());
}

namespace {

using internal::Audit;
using internal::InvalidFields;

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

Error Invalid(std::string key) { return MakeError(ErrorCode::kInvalid, std::move(key)); }

// The code points of valid UTF-8 (the caller checked it).
std::vector<uint32_t> CodePoints(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

Status CheckPhases(const std::vector<PhaseDates>& phases) {
  if (phases.empty()) return Invalid("participation.phases.none");
  std::vector<bool> seen(AllPhases().size(), false);
  for (const PhaseDates& d : phases) {
    const size_t i = static_cast<size_t>(d.phase);
    if (seen[i]) return Invalid("participation.phases.twice");
    seen[i] = true;
    if (d.starts_at <= 0 || d.ends_at <= d.starts_at) return Invalid("participation.phases.dates");
  }
  return Ok();
}

constexpr char kProcessColumns[] =
    "SELECT id, municipality_id, slug, title_ar, title_en, summary_ar, summary_en, threshold, "
    "answer_days, created_at, report_threshold FROM participation_processes ";

Process ReadProcess(const db::Row& r) {
  Process p;
  p.id = r.Int(0);
  p.municipality_id = r.Int(1);
  p.slug = r.Text(2);
  p.title_ar = r.Text(3);
  p.title_en = r.Text(4);
  p.summary_ar = r.Text(5);
  p.summary_en = r.Text(6);
  p.threshold = r.Int(7);
  p.answer_days = r.Int(8);
  p.created_at = r.Int(9);
  p.report_threshold = r.Int(10);
  return p;
}

Status LoadPhases(db::Tx& tx, Process& p) {
  auto rows = tx.Query(
      "SELECT phase, starts_at, ends_at FROM participation_phases WHERE process_id = ?", {p.id});
  if (!rows.ok()) return std::move(rows).error();
  p.phases.clear();
  for (const db::Row& r : *rows) {
    auto phase = ParsePhase(r.Text(0));
    if (!phase) continue;  // the CHECK constraint allows only known names
    p.phases.push_back({*phase, r.Int(1), r.Int(2)});
  }
  std::sort(p.phases.begin(), p.phases.end(),
            [](const PhaseDates& a, const PhaseDates& b) { return a.phase < b.phase; });
  return Ok();
}

Status InsertPhases(db::Tx& tx, int64_t process_id, const std::vector<PhaseDates>& phases) {
  for (const PhaseDates& d : phases) {
    auto n = tx.Exec(
        "INSERT INTO participation_phases (process_id, phase, starts_at, ends_at) VALUES (?, ?, "
        "?, ?)",
        {process_id, std::string(PhaseName(d.phase)), d.starts_at, d.ends_at});
    if (!n.ok()) return std::move(n).error();
  }
  return Ok();
}

constexpr char kProposalColumns[] =
    "SELECT id, process_id, token, author_account_id, author_name, title, body, supports, "
    "threshold_reached_at, answer_due_at, answer, answered_at, created_at FROM "
    "participation_proposals ";

Proposal ReadProposal(const db::Row& r) {
  Proposal p;
  p.id = r.Int(0);
  p.process_id = r.Int(1);
  p.token = r.Text(2);
  p.author_account_id = r.Int(3);
  p.author_name = r.Text(4);
  p.title = r.Text(5);
  p.body = r.Text(6);
  p.supports = r.Int(7);
  p.threshold_reached_at = r.Int(8);
  p.answer_due_at = r.Int(9);
  p.answer = r.Text(10);
  p.answered_at = r.Int(11);
  p.created_at = r.Int(12);
  return p;
}

Status NeedPhase(const Process& p, int64_t now_ms, std::initializer_list<Phase> phases) {
  auto now = p.PhaseAt(now_ms);
  if (now && std::find(phases.begin(), phases.end(), *now) != phases.end()) return Ok();
  return MakeError(ErrorCode::kConflict, "participation.phase_closed");
}

}  // namespace

std::string_view PhaseName(Phase p) {
  switch (p) {
    case Phase::kInformation:
      return "information";
    case Phase::kProposals:
      return "proposals";
    case Phase::kDebate:
      return "debate";
    case Phase::kVoting:
      return "voting";
    case Phase::kImplementation:
      return "implementation";
  }
  return "information";
}

std::optional<Phase> ParsePhase(std::string_view name) {
  for (Phase p : AllPhases()) {
    if (PhaseName(p) == name) return p;
  }
  return std::nullopt;
}

const std::vector<Phase>& AllPhases() {
  static const std::vector<Phase> all = {Phase::kInformation, Phase::kProposals, Phase::kDebate,
                                         Phase::kVoting, Phase::kImplementation};
  return all;
}

std::string_view StanceName(Stance s) {
  switch (s) {
    case Stance::kFor:
      return "for";
    case Stance::kAgainst:
      return "against";
    case Stance::kNeutral:
      return "neutral";
  }
  return "neutral";
}

std::optional<Stance> ParseStance(std::string_view name) {
  for (Stance s : {Stance::kFor, Stance::kAgainst, Stance::kNeutral}) {
    if (StanceName(s) == name) return s;
  }
  return std::nullopt;
}

std::optional<Phase> Process::PhaseAt(int64_t now_ms) const {
  for (const PhaseDates& d : phases) {
    if (now_ms >= d.starts_at && now_ms < d.ends_at) return d.phase;
  }
  return std::nullopt;
}

const PhaseDates* Process::DatesOf(Phase p) const {
  for (const PhaseDates& d : phases) {
    if (d.phase == p) return &d;
  }
  return nullptr;
}

Status CheckText(std::string_view text, size_t max) {
  if (!i18n::IsValidUtf8(text)) return Invalid("participation.text.encoding");
  const std::vector<uint32_t> cps = CodePoints(text);
  size_t visible = 0;
  for (uint32_t cp : cps) {
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069)) {
      return Invalid("participation.text.bidi");
    }
    if (cp != ' ' && cp != '\n' && cp != '\r' && cp != '\t' && cp != 0xA0) ++visible;
  }
  if (visible == 0) return Invalid("participation.text.empty");
  if (cps.size() > max) return Invalid("participation.text.too_long");
  return Ok();
}

Store::Store(db::Database& db, identity::AccountStore& accounts, audit::AuditLog* audit,
             notify::Outbox* outbox)
    : db_(db), accounts_(accounts), audit_(audit), outbox_(outbox) {}

Result<std::string> Store::VerifiedName(int64_t account_id) {
  if (account_id == 0) return MakeError(ErrorCode::kForbidden, "participation.unverified");
  auto verified = accounts_.VerifiedAt(account_id);
  if (!verified.ok()) {
    if (verified.error().code == ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kForbidden, "participation.unverified");
    }
    return std::move(verified).error();
  }
  if (*verified == 0) return MakeError(ErrorCode::kForbidden, "participation.unverified");
  auto account = accounts_.Get(account_id, false);
  if (!account.ok()) return std::move(account).error();
  if (account->kind != identity::AccountKind::kResident ||
      account->status != identity::AccountStatus::kActive) {
    return MakeError(ErrorCode::kForbidden, "participation.unverified");
  }
  return account->full_name_ar;
}

Result<Process> Store::CreateProcess(int64_t municipality_id, const ProcessInput& in,
                                     const Actor& who, int64_t now_ms) {
  std::map<std::string, std::string> bad;
  auto text = [&bad](const char* field, const std::string& value, size_t max) {
    if (Status s = CheckText(value, max); !s.ok()) bad[field] = s.error().message_key;
  };
  text("title_ar", in.title_ar, kMaxTitle);
  text("title_en", in.title_en, kMaxTitle);
  text("summary_ar", in.summary_ar, kMaxBody);
  text("summary_en", in.summary_en, kMaxBody);
  if (in.threshold < 1 || in.threshold > 1'000'000) bad["threshold"] = "participation.threshold";
  if (in.answer_days < 1 || in.answer_days > 365) bad["answer_days"] = "participation.answer_days";
  if (Status s = CheckPhases(in.phases); !s.ok()) bad["phases"] = s.error().message_key;
  if (!bad.empty()) return InvalidFields(std::move(bad));
  Process p;
  p.municipality_id = municipality_id;
  p.slug = crypto::RandomToken(8);
  p.title_ar = in.title_ar;
  p.title_en = in.title_en;
  p.summary_ar = in.summary_ar;
  p.summary_en = in.summary_en;
  p.threshold = in.threshold;
  p.answer_days = in.answer_days;
  p.phases = in.phases;
  std::sort(p.phases.begin(), p.phases.end(),
            [](const PhaseDates& a, const PhaseDates& b) { return a.phase < b.phase; });
  p.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_processes (municipality_id, slug, title_ar, title_en, "
        "summary_ar, summary_en, threshold, answer_days, created_by, created_at) VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {municipality_id, p.slug, p.title_ar, p.title_en, p.summary_ar, p.summary_en, p.threshold,
         p.answer_days, who.pseudonym, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    p.id = (*rows)[0].Int(0);
    if (Status ps = InsertPhases(tx, p.id, p.phases); !ps.ok()) return ps;
    return Audit(audit_, tx, who, municipality_id, "participation.process.create",
                 "process:" + p.slug, "threshold=" + std::to_string(p.threshold), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return p;
}

Status Store::SetPhases(const Process& p, const std::vector<PhaseDates>& phases, const Actor& who,
                        int64_t now_ms) {
  if (Status s = CheckPhases(phases); !s.ok()) {
    return InvalidFields({{"phases", s.error().message_key}});
  }
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec("DELETE FROM participation_phases WHERE process_id = ?", {p.id});
    if (!n.ok()) return std::move(n).error();
    if (Status s = InsertPhases(tx, p.id, phases); !s.ok()) return s;
    std::string details;
    for (const PhaseDates& d : phases) {
      details += std::string(PhaseName(d.phase)) + "=" + i18n::FormatIsoUtc(d.starts_at) + "/" +
                 i18n::FormatIsoUtc(d.ends_at) + " ";
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.process.phases",
                 "process:" + p.slug, details, now_ms);
  });
}

Result<std::vector<Process>> Store::Processes(int64_t municipality_id) {
  std::vector<Process> out;
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(std::string(kProcessColumns) +
                             "WHERE municipality_id = ? ORDER BY created_at DESC, id DESC",
                         {municipality_id});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      out.push_back(ReadProcess(r));
      if (Status ps = LoadPhases(tx, out.back()); !ps.ok()) return ps;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<Process> Store::GetProcess(int64_t municipality_id, std::string_view slug) {
  Process p;
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(std::string(kProcessColumns) + "WHERE municipality_id = ? AND slug = ?",
                         {municipality_id, std::string(slug)});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    p = ReadProcess((*rows)[0]);
    return LoadPhases(tx, p);
  });
  if (!s.ok()) return std::move(s).error();
  return p;
}

Result<Proposal> Store::Propose(const Process& p, const Actor& who, std::string_view title,
                                std::string_view body, int64_t now_ms,
                                std::string_view organisation) {
  auto person = VerifiedName(who.account_id);
  if (!person.ok()) return std::move(person).error();
  auto as = PostingAs(p, who.account_id, *person, organisation);
  if (!as.ok()) return std::move(as).error();
  const std::string* name = &as->first;
  if (Status s = NeedPhase(p, now_ms, {Phase::kProposals}); !s.ok()) return std::move(s).error();
  std::map<std::string, std::string> bad;
  if (Status s = CheckText(title, kMaxTitle); !s.ok()) bad["title"] = s.error().message_key;
  if (Status s = CheckText(body, kMaxBody); !s.ok()) bad["body"] = s.error().message_key;
  if (!bad.empty()) return InvalidFields(std::move(bad));
  Proposal out;
  out.process_id = p.id;
  out.token = crypto::RandomToken(8);
  out.author_account_id = who.account_id;
  out.author_name = *name;
  out.title = std::string(title);
  out.body = std::string(body);
  out.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_proposals (process_id, token, author_account_id, author_name, "
        "title, body, created_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {p.id, out.token, who.account_id, out.author_name, out.title, out.body, now_ms,
         as->second == 0 ? db::Value(nullptr) : db::Value(as->second)});
    if (!rows.ok()) return std::move(rows).error();
    out.id = (*rows)[0].Int(0);
    if (Status n = NoteParticipant(tx, p, who.account_id, now_ms); !n.ok()) return n;
    return Audit(audit_, tx, who, p.municipality_id, "participation.proposal.create",
                 "proposal:" + out.token, "process=" + p.slug, now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<int64_t> Store::Support(const Process& p, std::string_view proposal_token, const Actor& who,
                               int64_t now_ms) {
  auto name = VerifiedName(who.account_id);
  if (!name.ok()) return std::move(name).error();
  if (Status s = NeedPhase(p, now_ms, {Phase::kProposals}); !s.ok()) return std::move(s).error();
  auto proposal = GetProposal(p.id, proposal_token);
  if (!proposal.ok()) return std::move(proposal).error();
  if (proposal->author_account_id == who.account_id) {
    return MakeError(ErrorCode::kForbidden, "participation.own_proposal");
  }
  int64_t supports = 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto added = tx.Exec(
        "INSERT INTO participation_supports (proposal_id, account_id, created_at) VALUES (?, ?, "
        "?) ON CONFLICT (proposal_id, account_id) DO NOTHING",
        {proposal->id, who.account_id, now_ms});
    if (!added.ok()) return std::move(added).error();
    if (*added == 0) return MakeError(ErrorCode::kConflict, "participation.already_supported");
    // One statement, so that concurrent supports on PostgreSQL each see the other's count.
    auto rows = tx.Query(
        "UPDATE participation_proposals SET supports = supports + 1, "
        "threshold_reached_at = CASE WHEN threshold_reached_at IS NULL AND supports + 1 >= "
        "CAST(? AS BIGINT) THEN CAST(? AS BIGINT) ELSE threshold_reached_at END, "
        "answer_due_at = CASE WHEN answer_due_at IS NULL AND supports + 1 >= CAST(? AS BIGINT) "
        "THEN CAST(? AS BIGINT) ELSE answer_due_at END WHERE id = ? RETURNING supports",
        {p.threshold, now_ms, p.threshold, now_ms + p.answer_days * kDayMs, proposal->id});
    if (!rows.ok()) return std::move(rows).error();
    supports = (*rows)[0].Int(0);
    if (Status n = NoteParticipant(tx, p, who.account_id, now_ms); !n.ok()) return n;
    return Audit(audit_, tx, who, p.municipality_id, "participation.support",
                 "proposal:" + proposal->token, "", now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return supports;
}

Result<Comment> Store::AddComment(const Process& p, std::string_view proposal_token,
                                  int64_t parent_id, Stance stance, std::string_view body,
                                  const Actor& who, int64_t now_ms, std::string_view organisation) {
  auto person = VerifiedName(who.account_id);
  if (!person.ok()) return std::move(person).error();
  auto as = PostingAs(p, who.account_id, *person, organisation);
  if (!as.ok()) return std::move(as).error();
  const std::string* name = &as->first;
  if (Status s = NeedPhase(p, now_ms, {Phase::kProposals, Phase::kDebate}); !s.ok()) {
    return std::move(s).error();
  }
  if (Status s = CheckText(body, kMaxComment); !s.ok()) {
    return InvalidFields({{"body", s.error().message_key}});
  }
  auto proposal = GetProposal(p.id, proposal_token);
  if (!proposal.ok()) return std::move(proposal).error();
  Comment c;
  c.proposal_id = proposal->id;
  c.parent_id = parent_id;
  c.author_name = *name;
  c.stance = stance;
  c.body = std::string(body);
  c.created_at = now_ms;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    if (parent_id != 0) {
      auto parent =
          tx.Query("SELECT id FROM participation_comments WHERE id = ? AND proposal_id = ?",
                   {parent_id, proposal->id});
      if (!parent.ok()) return std::move(parent).error();
      if (parent->empty()) return InvalidFields({{"parent", "participation.comment.parent"}});
    }
    auto rows = tx.Query(
        "INSERT INTO participation_comments (proposal_id, parent_id, account_id, author_name, "
        "stance, body, created_at, organisation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {proposal->id, parent_id == 0 ? db::Value(nullptr) : db::Value(parent_id), who.account_id,
         c.author_name, std::string(StanceName(stance)), c.body, now_ms,
         as->second == 0 ? db::Value(nullptr) : db::Value(as->second)});
    if (!rows.ok()) return std::move(rows).error();
    c.id = (*rows)[0].Int(0);
    if (Status n = NoteParticipant(tx, p, who.account_id, now_ms); !n.ok()) return n;
    return Audit(audit_, tx, who, p.municipality_id, "participation.comment",
                 "proposal:" + proposal->token, "comment=" + std::to_string(c.id), now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return c;
}

Status Store::Answer(const Process& p, std::string_view proposal_token, std::string_view answer,
                     const Actor& who, int64_t now_ms) {
  if (Status s = CheckText(answer, kMaxBody); !s.ok()) {
    return InvalidFields({{"answer", s.error().message_key}});
  }
  auto proposal = GetProposal(p.id, proposal_token);
  if (!proposal.ok()) return std::move(proposal).error();
  auto author = accounts_.Get(proposal->author_account_id, false);
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_proposals SET answer = ?, answered_by = ?, answered_at = ? WHERE id "
        "= ? AND answered_at IS NULL",
        {std::string(answer), who.pseudonym, now_ms, proposal->id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "participation.already_answered");
    if (outbox_ != nullptr && author.ok()) {
      notify::Notification note;
      note.channel = notify::Channel::kInApp;
      note.account_id = author->id;
      note.municipality_id = p.municipality_id;
      note.lang = author->lang;
      note.template_key = "participation.answered";
      note.params = {{"title", proposal->title}};
      auto queued = outbox_->Enqueue(tx, note, now_ms);
      if (!queued.ok()) return std::move(queued).error();
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.answer",
                 "proposal:" + proposal->token, "", now_ms);
  });
  return s;
}

Result<std::vector<Proposal>> Store::Proposals(int64_t process_id) {
  auto rows = db_.Query(
      std::string(kProposalColumns) + "WHERE process_id = ? ORDER BY supports DESC, created_at, id",
      {process_id});
  if (!rows.ok()) return std::move(rows).error();
  std::vector<Proposal> out;
  for (const db::Row& r : *rows) out.push_back(ReadProposal(r));
  return out;
}

Result<Proposal> Store::GetProposal(int64_t process_id, std::string_view token) {
  auto rows = db_.Query(std::string(kProposalColumns) + "WHERE process_id = ? AND token = ?",
                        {process_id, std::string(token)});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return ReadProposal((*rows)[0]);
}

Result<std::vector<Comment>> Store::Comments(int64_t proposal_id) {
  auto rows = db_.Query(
      "SELECT id, proposal_id, parent_id, author_name, stance, body, created_at, account_id FROM "
      "participation_comments WHERE proposal_id = ? ORDER BY id",
      {proposal_id});
  if (!rows.ok()) return std::move(rows).error();
  std::map<int64_t, std::vector<Comment>> children;  // parent id (0: top level) -> replies
  for (const db::Row& r : *rows) {
    Comment c;
    c.id = r.Int(0);
    c.proposal_id = r.Int(1);
    c.parent_id = r.Int(2);
    c.author_name = r.Text(3);
    c.stance = ParseStance(r.Text(4)).value_or(Stance::kNeutral);
    c.body = r.Text(5);
    c.created_at = r.Int(6);
    c.account_id = r.Int(7);
    children[c.parent_id].push_back(std::move(c));
  }
  std::vector<Comment> out;
  // Depth-first, iteratively: a thread may be deep.
  std::vector<std::pair<int64_t, int>> stack;  // (parent id, depth of its replies)
  auto push_children = [&](int64_t parent, int depth) {
    auto it = children.find(parent);
    if (it == children.end()) return;
    for (auto c = it->second.rbegin(); c != it->second.rend(); ++c) {
      c->depth = depth;
      stack.emplace_back(c->id, depth);
    }
  };
  std::map<int64_t, Comment*> by_id;
  for (auto& [parent, list] : children) {
    for (Comment& c : list) by_id[c.id] = &c;
  }
  push_children(0, 0);
  while (!stack.empty()) {
    auto [id, depth] = stack.back();
    stack.pop_back();
    out.push_back(*by_id[id]);
    push_children(id, depth + 1);
  }
  return out;
}

Result<bool> Store::Supports(int64_t proposal_id, int64_t account_id) {
  auto rows =
      db_.Query("SELECT 1 FROM participation_supports WHERE proposal_id = ? AND account_id = ?",
                {proposal_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

}  // namespace baladiya::participation
