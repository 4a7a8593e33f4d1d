// participation: residents as partners in the municipality's decisions. A participatory process
// (the strategic plan, a consultation) has phases with dates; in its proposals phase verified
// residents make proposals and support others' (one support per person per proposal, enforced by
// the database); comments are threaded, each with the author's stance; a proposal that reaches
// the process's threshold is owed an official answer by a date, shown publicly. Municipal admins
// and participation officers run the processes. Every change is audited.
//
// Uses identity (accounts, VerifiedAt), audit and notify through their public headers only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/migrate.h"
#include "platform/result.h"

namespace baladiya::audit {
class AuditLog;
}
namespace baladiya::identity {
class AccountStore;
}
namespace baladiya::notify {
class Outbox;
}
namespace baladiya::module {
struct Module;
}

namespace baladiya::participation {

// The phases of a process, in their order; each turns on what it names.
enum class Phase { kInformation, kProposals, kDebate, kVoting, kImplementation };
std::string_view PhaseName(Phase p);  // "information", "proposals", ...
std::optional<Phase> ParsePhase(std::string_view name);
const std::vector<Phase>& AllPhases();

// A phase runs over [starts_at, ends_at), in UTC milliseconds.
struct PhaseDates {
  Phase phase = Phase::kInformation;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
};

struct Process {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string slug;  // random, public
  std::string title_ar;
  std::string title_en;
  std::string summary_ar;
  std::string summary_en;
  int64_t threshold = 0;           // supports that oblige the municipality to answer
  int64_t answer_days = 0;         // days it has to answer, from the day the threshold was reached
  int64_t report_threshold = 3;    // reports that hide a proposal or comment until moderated
  std::vector<PhaseDates> phases;  // in phase order; a process may skip some
  int64_t created_at = 0;

  // The phase running at now_ms, if any.
  std::optional<Phase> PhaseAt(int64_t now_ms) const;
  const PhaseDates* DatesOf(Phase p) const;
};

struct ProcessInput {
  std::string title_ar;
  std::string title_en;
  std::string summary_ar;
  std::string summary_en;
  int64_t threshold = 0;    // 1 .. 1,000,000
  int64_t answer_days = 0;  // 1 .. 365
  std::vector<PhaseDates> phases;
};

struct Proposal {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string token;  // random, public
  int64_t author_account_id = 0;
  std::string author_name;
  std::string title;
  std::string body;
  int64_t supports = 0;
  int64_t threshold_reached_at = 0;  // 0: not (yet)
  int64_t answer_due_at = 0;         // 0: no answer owed
  std::string answer;                // the official answer, empty until given
  int64_t answered_at = 0;
  int64_t created_at = 0;

  bool Overdue(int64_t now_ms) const {
    return answer_due_at != 0 && answered_at == 0 && now_ms >= answer_due_at;
  }
};

enum class Stance { kFor, kAgainst, kNeutral };
std::string_view StanceName(Stance s);  // "for", "against", "neutral"
std::optional<Stance> ParseStance(std::string_view name);

struct Comment {
  int64_t id = 0;
  int64_t proposal_id = 0;
  int64_t parent_id = 0;   // 0: a comment on the proposal itself
  int64_t account_id = 0;  // the author
  std::string author_name;
  Stance stance = Stance::kNeutral;
  std::string body;
  int64_t created_at = 0;
  int depth = 0;  // in Comments()' threaded order: 0 for a top-level comment
};

// A vote of a process, open during its voting phase. Participatory budgeting: options are
// projects with costs, and a ballot chooses projects whose costs add up to at most the budget
// (rule kBudget), or approves at most max_choices options (rule kApprove).
enum class VoteRule { kBudget, kApprove };
std::string_view VoteRuleName(VoteRule r);  // "budget", "approve"
std::optional<VoteRule> ParseVoteRule(std::string_view name);

// Where a ballot was cast. One register for all three: one person, one ballot per vote.
enum class Channel { kWeb, kCounter, kSms };
std::string_view ChannelName(Channel c);  // "web", "counter", "sms"

struct VoteOption {
  int64_t id = 0;
  int64_t number = 0;  // 1, 2, ...: what a ballot names (also by SMS)
  std::string title_ar;
  std::string title_en;
  int64_t cost = 0;  // minor units of the vote's currency (0 for an approval vote)
  // Published results (zero until published).
  int64_t votes = 0;
  bool selected = false;
};

struct Vote {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string slug;      // random, public
  std::string sms_code;  // 5 characters: the SMS "CODE 1 3" names the vote by it
  std::string title_ar;
  std::string title_en;
  VoteRule rule = VoteRule::kBudget;
  int64_t budget = 0;  // minor units (kBudget)
  std::string currency = "ILS";
  int64_t max_choices = 0;  // kApprove
  int64_t published_at = 0;
  std::vector<VoteOption> options;  // by number
};

struct VoteInput {
  std::string title_ar;
  std::string title_en;
  VoteRule rule = VoteRule::kBudget;
  int64_t budget = 0;
  std::string currency = "ILS";
  int64_t max_choices = 0;
  std::vector<VoteOption> options;  // titles and costs; numbered in order from 1
};

// Turnout by channel (what staff see: who took part, never what they chose).
struct Turnout {
  int64_t web = 0;
  int64_t counter = 0;
  int64_t sms = 0;
  int64_t total() const { return web + counter + sms; }
};

// Recommendations followed to the end (recommendations.cpp). Each comes from a proposal past its
// threshold, a winning project of a published budget vote, a workshop report entered by staff, or
// a meeting of the process (recorded with its minutes, source_ref "MEETING-TOKEN#N");
// it gets an official response with reasons, a responsible department (the catalogue's, by id),
// and milestones with due dates and progress. Followers are told of every change.
enum class Source { kProposal, kProject, kWorkshop, kMeeting };
std::string_view SourceName(Source s);  // "proposal", "project", "workshop", "meeting"
std::optional<Source> ParseSource(std::string_view name);

enum class Response { kAccepted, kPartly, kRejected };
std::string_view ResponseName(Response r);  // "accepted", "partly", "rejected"
std::optional<Response> ParseResponse(std::string_view name);

struct Milestone {
  int64_t id = 0;
  std::string title;
  int64_t due_at = 0;
  int64_t progress = 0;  // percent, 0..100
  int64_t done_at = 0;   // 0 until progress reaches 100
  int64_t overdue_flagged_at = 0;

  bool Overdue(int64_t now_ms) const { return done_at == 0 && now_ms >= due_at; }
};

// Where a recommendation stands, as the public page shows it.
enum class RecState { kAwaiting, kRejected, kInProgress, kOverdue, kDone };
std::string_view RecStateName(RecState s);  // "awaiting", "rejected", "in_progress", ...

struct Recommendation {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string token;  // random, public
  Source source = Source::kWorkshop;
  // What it came from: a proposal's token, "VOTE-SLUG#NUMBER" for a project, the report's name.
  std::string source_ref;
  std::string title;
  std::string body;
  std::optional<Response> response;
  std::string reasons;
  int64_t department_id = 0;  // 0: none yet
  int64_t responded_at = 0;
  int64_t created_at = 0;
  std::vector<Milestone> milestones;  // by due date
  int64_t followers = 0;

  RecState State(int64_t now_ms) const;
};

struct RecommendationInput {
  Source source = Source::kWorkshop;
  std::string source_ref;
  std::string title;
  std::string body;
};

// A milestone newly flagged overdue, with whom to tell.
struct OverdueMilestone {
  int64_t municipality_id = 0;
  std::string process_slug;
  std::string recommendation_token;
  std::string recommendation_title;
  int64_t department_id = 0;
  Milestone milestone;
};

// The figures of a process's recommendations (the JSON API).
struct RecommendationFigures {
  int64_t total = 0;
  int64_t accepted = 0;  // accepted or partly accepted
  int64_t rejected = 0;
  int64_t done = 0;
  int64_t overdue = 0;
};

// Meetings and workshops of a process (meetings.cpp): an agenda, a place or an online link (or
// both), dates, and a capacity. Signed-in residents register: a seat while there are seats, a place
// on the waiting list after; a cancellation gives the seat to the first on the list, who is told.
// At the door the officer checks in the registered and walk-ins (by national ID); afterwards the
// minutes are published and the meeting's recommendations recorded with it.
enum class MeetingKind { kMeeting, kWorkshop };
std::string_view MeetingKindName(MeetingKind k);  // "meeting", "workshop"
std::optional<MeetingKind> ParseMeetingKind(std::string_view name);

struct Meeting {
  int64_t id = 0;
  int64_t process_id = 0;
  std::string token;  // random, public
  MeetingKind kind = MeetingKind::kMeeting;
  std::string title;
  std::string agenda;
  std::string place;       // may be empty when online
  std::string online_url;  // https://..., may be empty when in a place
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  int64_t capacity = 0;
  int64_t seated = 0;   // seats taken by registrations
  int64_t waiting = 0;  // on the waiting list
  int64_t attended = 0;
  std::string minutes;  // empty until published
  int64_t minutes_published_at = 0;
  int64_t created_at = 0;

  int64_t SeatsLeft() const { return capacity > seated ? capacity - seated : 0; }
};

struct MeetingInput {
  MeetingKind kind = MeetingKind::kMeeting;
  std::string title;
  std::string agenda;
  std::string place;
  std::string online_url;
  int64_t starts_at = 0;
  int64_t ends_at = 0;
  int64_t capacity = 0;  // 1 .. 100,000
};

enum class Seat { kSeat, kWaiting, kWalkIn };
std::string_view SeatName(Seat s);  // "seat", "waiting", "walkin"

struct Registration {
  int64_t id = 0;
  int64_t account_id = 0;  // 0: a walk-in without an account
  std::string name;
  Seat seat = Seat::kSeat;
  int64_t position = 0;  // on the waiting list, from 1 (kWaiting only)
  int64_t checked_in_at = 0;
  int64_t created_at = 0;
};

// Moderation (moderation.cpp): anyone signed in reports a proposal or a comment once, with a
// reason; at the process's report_threshold it is hidden until a moderator (the participation
// officer) keeps it or removes it, with reasons the author is told; the author of removed content
// may ask for a review once, which puts it back before a moderator.
enum class Reported { kProposal, kComment };
std::string_view ReportedName(Reported k);  // "proposal", "comment"
std::optional<Reported> ParseReported(std::string_view name);

// The reasons a report may give.
const std::vector<std::string>& ReportReasons();  // "offensive", "spam", "personal", "other"

struct Moderation {
  Reported kind = Reported::kProposal;
  int64_t object_id = 0;
  int64_t author_account_id = 0;
  int64_t reports = 0;
  int64_t hidden_at = 0;  // 0: never hidden
  std::string decision;   // "", "kept", "removed"
  std::string reason;     // the moderator's, told to the author
  int64_t decided_at = 0;
  int64_t review_requested_at = 0;

  bool Hidden() const { return hidden_at != 0 && decision != "kept"; }
  bool Pending() const { return hidden_at != 0 && decision.empty(); }
  bool CanAskReview() const { return decision == "removed" && review_requested_at == 0; }
};

// What a moderator decides about: the hidden item, its text and where it is.
struct ModerationItem {
  Moderation state;
  std::string proposal_token;
  std::string title;  // the proposal's (for a comment: the proposal it is on)
  std::string text;   // the proposal's body or the comment
  std::string author_name;
};

// Organisations (organisations.cpp): businesses, media outlets, NGOs and universities of a
// municipality, registered by a signed-in resident (their first administrator, who adds members
// by national ID) and verified by the participation officer once their documents were checked at
// the counter. A member's proposal or comment made for a verified organisation is shown under its
// name ("Organisation (Member)").
enum class OrgKind { kBusiness, kMedia, kNgo, kUniversity };
std::string_view OrgKindName(OrgKind k);  // "business", "media", "ngo", "university"
std::optional<OrgKind> ParseOrgKind(std::string_view name);
const std::vector<OrgKind>& AllOrgKinds();

struct Organisation {
  int64_t id = 0;
  int64_t municipality_id = 0;
  std::string token;  // random, public
  std::string name;
  OrgKind kind = OrgKind::kNgo;
  std::string registration_number;
  int64_t verified_at = 0;  // 0: not yet
  int64_t created_at = 0;
  int64_t members = 0;
};

struct OrganisationInput {
  std::string name;
  OrgKind kind = OrgKind::kNgo;
  std::string registration_number;  // the ministry's or chamber's registration
};

struct OrgMember {
  int64_t account_id = 0;
  std::string name;
  bool admin = false;
};

// One entry of the module's event feed (Store::Feed), for the KPI ledger: kind "participant" (a
// person's first part in a process), "rec_accepted", "rec_unaccepted" (an accepted
// recommendation revised to rejected, dated as the acceptance it takes back: the ledger no
// longer counts it accepted, until it is accepted again), "rec_done" or "rec_overdue".
struct FeedEntry {
  int64_t position = 0;
  int64_t municipality_id = 0;
  std::string kind;
  int64_t at = 0;
};

// Who acts: the account (0 for the command line and the seed), its audit pseudonym and the
// request.
struct Actor {
  int64_t account_id = 0;
  std::string pseudonym = "system";
  std::string request_id;
};

// Limits on what people type (characters, not bytes).
inline constexpr size_t kMaxTitle = 150;
inline constexpr size_t kMaxBody = 5000;
inline constexpr size_t kMaxComment = 2000;

// Checks text people type: valid UTF-8, not empty once trimmed, at most max characters, and no
// bidirectional override or isolate characters (U+202A..U+202E, U+2066..U+2069), which could
// make a text read differently from what it holds. kInvalid with message key
// "participation.text.empty" / ".too_long" / ".bidi" / ".encoding".
Status CheckText(std::string_view text, size_t max);

// Processes, proposals, supports and comments. Thread-safe; every call runs in its own
// transaction, with its audit entry.
class Store {
 public:
  // accounts answers who is verified and their names; outbox (optional) tells an author of the
  // official answer.
  Store(db::Database& db, identity::AccountStore& accounts, audit::AuditLog* audit,
        notify::Outbox* outbox = nullptr);

  // kInvalid with Error::fields naming each bad field (title_ar, title_en, summary_ar,
  // summary_en, threshold, answer_days, phases). Audited "participation.process.create".
  Result<Process> CreateProcess(int64_t municipality_id, const ProcessInput& in, const Actor& who,
                                int64_t now_ms);
  // Replaces the phases' dates (to open or close a phase early, or extend one). Audited
  // "participation.process.phases".
  Status SetPhases(const Process& p, const std::vector<PhaseDates>& phases, const Actor& who,
                   int64_t now_ms);
  // A number that changes after every write this process commits (for caches of pages).
  uint64_t Generation() const { return db_.WriteGeneration(); }
  // The municipality's processes, newest first.
  Result<std::vector<Process>> Processes(int64_t municipality_id);
  // kNotFound for none in this municipality.
  Result<Process> GetProcess(int64_t municipality_id, std::string_view slug);

  // A verified resident's proposal, during the proposals phase. kForbidden
  // "participation.unverified" for an account whose identity was not proved; kConflict
  // "participation.phase_closed" outside the phase; kInvalid (fields title, body) for bad text.
  // Audited "participation.proposal.create".
  // For an organisation (its token; empty for oneself): kForbidden "participation.org.not_member"
  // unless who belongs to it and it is verified; the author's name is then "Organisation (Name)".
  Result<Proposal> Propose(const Process& p, const Actor& who, std::string_view title,
                           std::string_view body, int64_t now_ms,
                           std::string_view organisation = "");
  // One support per verified resident per proposal, during the proposals phase. Returns the
  // proposal's supports afterwards. kConflict "participation.already_supported" for a second one
  // (the UNIQUE constraint decides, also under concurrent attempts); kForbidden
  // "participation.own_proposal" for one's own. Reaching the threshold sets the answer's due
  // date. Audited "participation.support".
  Result<int64_t> Support(const Process& p, std::string_view proposal_token, const Actor& who,
                          int64_t now_ms);
  // A verified resident's comment, during the proposals or debate phase; parent_id 0 or a comment
  // of the same proposal (kInvalid "participation.comment.parent" otherwise). Audited
  // "participation.comment".
  Result<Comment> AddComment(const Process& p, std::string_view proposal_token, int64_t parent_id,
                             Stance stance, std::string_view body, const Actor& who, int64_t now_ms,
                             std::string_view organisation = "");
  // The official answer to a proposal (staff; the route checks the permission). kConflict
  // "participation.already_answered" when it has one. Tells the author (in-app). Audited
  // "participation.answer".
  Status Answer(const Process& p, std::string_view proposal_token, std::string_view answer,
                const Actor& who, int64_t now_ms);

  // The process's proposals, most supported first.
  Result<std::vector<Proposal>> Proposals(int64_t process_id);
  Result<Proposal> GetProposal(int64_t process_id, std::string_view token);
  // The proposal's comments in threaded order (each reply after its parent), oldest first.
  Result<std::vector<Comment>> Comments(int64_t proposal_id);
  // Whether the account supports the proposal.
  Result<bool> Supports(int64_t proposal_id, int64_t account_id);

  // Votes (votes.cpp). kInvalid with fields (title_ar, title_en, budget, max_choices, options).
  // Audited "participation.vote.create".
  Result<Vote> CreateVote(const Process& p, const VoteInput& in, const Actor& who, int64_t now_ms);
  Result<std::vector<Vote>> Votes(int64_t process_id);
  // kNotFound for none in the process.
  Result<Vote> GetVote(int64_t process_id, std::string_view slug);
  // The vote an SMS names by its code (any case), with its process; kNotFound for none.
  Result<std::pair<Process, Vote>> VoteBySmsCode(std::string_view code);
  // Casts voter's ballot, on any channel, during the process's voting phase: kForbidden
  // "participation.unverified" unless the voter's identity was proved; kConflict
  // "participation.phase_closed" outside the phase; kInvalid "participation.vote.choice" (an
  // unknown or repeated number, or none), "participation.vote.over_budget",
  // "participation.vote.too_many"; kConflict "participation.vote.already" for a second ballot,
  // decided by the database's UNIQUE (vote, voter), also when two channels cast at once. The
  // register keeps who voted, where and who recorded it; the choices are kept apart, under a
  // random ballot id, without the voter. Audited "participation.vote.cast" (no choices).
  Status Cast(const Process& p, const Vote& v, int64_t voter_account_id, Channel channel,
              const std::vector<int64_t>& numbers, const Actor& recorded_by, int64_t now_ms);
  Result<bool> Voted(int64_t vote_id, int64_t account_id);
  Result<Turnout> TurnoutOf(int64_t vote_id);
  // Counts the ballots and selects the winners: kBudget, the most voted projects in order while
  // the budget allows (one that does not fit is skipped, cheaper ones below it may still fit);
  // kApprove, the max_choices most approved. Ties by option number. Does not store anything.
  Result<std::vector<VoteOption>> Tally(const Vote& v);
  // Stores the tally as the published results (once: kConflict
  // "participation.vote.already_published"). Audited "participation.vote.publish".
  Status Publish(const Process& p, const Vote& v, const Actor& who, int64_t now_ms);

  // Meetings (meetings.cpp). kInvalid with fields (title, agenda, place, online_url, starts_at,
  // ends_at, capacity); a place or an https link is needed. Audited
  // "participation.meeting.create".
  Result<Meeting> CreateMeeting(const Process& p, const MeetingInput& in, const Actor& who,
                                int64_t now_ms);
  // The process's meetings by start time.
  Result<std::vector<Meeting>> Meetings(int64_t process_id);
  // kNotFound for none in the process.
  Result<Meeting> GetMeeting(int64_t process_id, std::string_view token);
  // A signed-in resident registers (before the meeting starts: kConflict
  // "participation.meeting.started"): a seat while seats are left, else the waiting list; decided
  // by a conditional update of the seats taken, also for concurrent registrations. kConflict
  // "participation.meeting.registered" for a second registration (UNIQUE (meeting, account)).
  // Audited "participation.meeting.register".
  Result<Registration> Register(const Process& p, std::string_view meeting_token, const Actor& who,
                                int64_t now_ms);
  // Cancels the account's registration (kNotFound without one; kConflict
  // "participation.meeting.started" once started). A freed seat goes to the first on the
  // waiting list, who is told (in-app, "participation.meeting_promoted"). Audited
  // "participation.meeting.cancel".
  Status CancelRegistration(const Process& p, std::string_view meeting_token, const Actor& who,
                            int64_t now_ms);
  // The account's registration, if any.
  Result<std::optional<Registration>> RegistrationOf(int64_t meeting_id, int64_t account_id);
  // Everyone registered or walked in: seats, then the waiting list in order, then walk-ins.
  Result<std::vector<Registration>> Registrations(int64_t meeting_id);
  // The officer checks in a registration (kConflict "participation.meeting.checked_in" twice).
  // Audited "participation.meeting.checkin".
  Status CheckIn(const Process& p, std::string_view meeting_token, int64_t registration_id,
                 const Actor& who, int64_t now_ms);
  // A walk-in at the door, by national ID (9 digits: kInvalid field national_id): a registered
  // account is checked in; an account without registration, or a person without an account
  // (name needed then: kInvalid field name), is recorded as a walk-in and checked in, known by a
  // keyed hash of the ID (never the ID itself). Returns the name. Audited
  // "participation.meeting.checkin" (never the ID).
  Result<std::string> CheckInWalkIn(const Process& p, std::string_view meeting_token,
                                    std::string_view national_id, std::string_view name,
                                    const Actor& who, int64_t now_ms);
  // Publishes (or corrects) the minutes (kInvalid field minutes). Audited
  // "participation.meeting.minutes".
  Status PublishMinutes(const Process& p, std::string_view meeting_token, std::string_view minutes,
                        const Actor& who, int64_t now_ms);
  // A recommendation the meeting made (source kMeeting, numbered within the meeting).
  Result<Recommendation> RecommendFromMeeting(const Process& p, std::string_view meeting_token,
                                              std::string_view title, std::string_view body,
                                              const Actor& who, int64_t now_ms);

  // Moderation (moderation.cpp). A report on the proposal (comment_id 0) or one of its comments:
  // kForbidden "participation.report.own" for one's own; kInvalid field reason (not one of
  // ReportReasons()); kConflict "participation.report.already" for a second report by the same
  // account (UNIQUE). Returns whether it is now hidden. Audited "participation.report" (and
  // "participation.moderation.hidden" when it hides it).
  Result<bool> Report(const Process& p, std::string_view proposal_token, int64_t comment_id,
                      std::string_view reason, const Actor& who, int64_t now_ms);
  // The moderator keeps (shown again) or removes a hidden item, with reasons (kInvalid field
  // reason); kConflict "participation.moderation.not_pending" unless it awaits a decision. The
  // author is told why. Audited "participation.moderation.decide".
  Status Moderate(const Process& p, Reported kind, int64_t object_id, bool keep,
                  std::string_view reason, const Actor& who, int64_t now_ms);
  // The author of removed content asks for a review, once (kConflict
  // "participation.moderation.no_review" otherwise; kForbidden for anyone else). Audited
  // "participation.moderation.review".
  Status AskReview(const Process& p, Reported kind, int64_t object_id, const Actor& who,
                   int64_t now_ms);
  // The moderation states of a process's reported items, by (kind, object id).
  Result<std::map<std::pair<Reported, int64_t>, Moderation>> ModerationOf(int64_t process_id);
  // The hidden items awaiting a decision, oldest first.
  Result<std::vector<ModerationItem>> ModerationQueue(int64_t process_id);
  // 1..1000 (kInvalid field report_threshold). Audited "participation.process.report_threshold".
  Status SetReportThreshold(const Process& p, int64_t n, const Actor& who, int64_t now_ms);

  // Organisations (organisations.cpp). A signed-in resident registers one (kInvalid fields name,
  // registration_number; kConflict "participation.org.exists" for a name the municipality has)
  // and is its first administrator. Audited "participation.org.register".
  Result<Organisation> RegisterOrganisation(int64_t municipality_id, const OrganisationInput& in,
                                            const Actor& who, int64_t now_ms);
  // The municipality's organisations, by name; GetOrganisation: kNotFound for none.
  Result<std::vector<Organisation>> Organisations(int64_t municipality_id);
  Result<Organisation> GetOrganisation(int64_t municipality_id, std::string_view token);
  // The organisations the account belongs to in the municipality.
  Result<std::vector<Organisation>> OrganisationsOf(int64_t municipality_id, int64_t account_id);
  Result<std::vector<OrgMember>> Members(int64_t organisation_id);
  // An administrator adds the resident with this national ID (kForbidden
  // "participation.org.not_admin" for anyone else; kInvalid field national_id for a malformed ID
  // or "participation.org.no_account" for one without an account; kConflict
  // "participation.org.member_exists"). Audited "participation.org.member".
  Status AddMember(const Organisation& org, std::string_view national_id, const Actor& who,
                   int64_t now_ms);
  // The officer, having checked the documents at the counter, verifies it (kInvalid field
  // documents: what was checked; kConflict "participation.org.already_verified"). Audited
  // "participation.org.verify".
  Status VerifyOrganisation(const Organisation& org, std::string_view documents, const Actor& who,
                            int64_t now_ms);

  // The event feed (feed.cpp): entries after `after`, oldest first, at most `limit` (1..10,000),
  // inside the reader's transaction.
  Result<std::vector<FeedEntry>> Feed(db::Tx& tx, int64_t after, int limit);

  // Recommendations (recommendations.cpp). Staff make one from a proposal past its threshold
  // (kConflict "participation.rec.below_threshold" otherwise), a winning project of a published
  // vote (kConflict "participation.rec.not_winner" otherwise) or a workshop report (source_ref:
  // the report's name, checked as text). kConflict "participation.rec.exists" for a second one
  // from the same source. kInvalid with fields (source_ref, title, body). Audited
  // "participation.rec.create".
  Result<Recommendation> Recommend(const Process& p, const RecommendationInput& in,
                                   const Actor& who, int64_t now_ms);
  // The official response, its reasons and the responsible department (kInvalid fields reasons,
  // department). May be revised. Tells every follower. Audited "participation.rec.respond".
  Status Respond(const Process& p, std::string_view token, Response r, std::string_view reasons,
                 int64_t department_id, const Actor& who, int64_t now_ms);
  // A milestone (kInvalid fields title, due_at). Tells every follower. Audited
  // "participation.rec.milestone".
  Result<Milestone> AddMilestone(const Process& p, std::string_view token, std::string_view title,
                                 int64_t due_at, const Actor& who, int64_t now_ms);
  // A milestone's progress, 0..100 (kInvalid field progress); 100 marks it done. Tells every
  // follower. Audited "participation.rec.progress".
  Status SetProgress(const Process& p, std::string_view token, int64_t milestone_id,
                     int64_t progress, const Actor& who, int64_t now_ms);
  // A signed-in account follows (or stops following) a recommendation; lang is the language it is
  // told in. Following twice is a no-op (the UNIQUE constraint). Audited
  // "participation.rec.follow" / ".unfollow".
  Status Follow(const Process& p, std::string_view token, const Actor& who, std::string_view lang,
                bool follow, int64_t now_ms);
  Result<bool> Following(int64_t recommendation_id, int64_t account_id);
  // The process's recommendations with their milestones, oldest first.
  Result<std::vector<Recommendation>> Recommendations(int64_t process_id);
  Result<Recommendation> GetRecommendation(int64_t process_id, std::string_view token);
  Result<RecommendationFigures> Figures(int64_t process_id, int64_t now_ms);
  // Marks the milestones of the municipality's processes that are overdue at now_ms and not yet
  // flagged, and returns them (each once, ever). The caller tells the department head.
  Result<std::vector<OverdueMilestone>> FlagOverdue(int64_t municipality_id, int64_t now_ms);

 private:
  // Tells every follower of recommendation rec_id, inside tx.
  Status TellFollowers(db::Tx& tx, const Process& p, int64_t rec_id, const std::string& title,
                       std::string_view change, int64_t now_ms);
  // Inside tx: notes the account's part in the process (a "participant" entry the first time) and
  // records a fact on the feed once (kind, ref).
  Status NoteParticipant(db::Tx& tx, const Process& p, int64_t account_id, int64_t now_ms);
  static Status RecordFact(db::Tx& tx, int64_t municipality_id, std::string_view kind,
                           const std::string& ref, int64_t now_ms);
  // The account's display name when its identity was proved; kForbidden otherwise.
  Result<std::string> VerifiedName(int64_t account_id);
  // The name a text is shown under: name itself, or "Organisation (name)" for a verified
  // organisation of the process's municipality that who belongs to; with its id.
  Result<std::pair<std::string, int64_t>> PostingAs(const Process& p, int64_t account_id,
                                                    const std::string& name,
                                                    std::string_view organisation);

  db::Database& db_;
  identity::AccountStore& accounts_;
  audit::AuditLog* audit_;
  notify::Outbox* outbox_;
};

// participation's migrations (numbers 900..999).
std::vector<db::Migration> Migrations();

// The participation module as the program is built from it (module.cpp).
module::Module Module();

}  // namespace baladiya::participation
