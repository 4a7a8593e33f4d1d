// participation's votes (participation.h): participatory budgeting and approval votes, one
// register of ballots for the web, the counter and SMS, the tally and the published results.
#include <algorithm>
#include <map>
#include <set>

#include "identity/identity.h"
#include "participation/participation.h"
#include "participation/store_internal.h"
#include "platform/crypto/crypto.h"

namespace baladiya::participation {
namespace {

using internal::Audit;

Error InvalidField(const std::string& field, std::string key) {
  Error e = MakeError(ErrorCode::kInvalid, key);
  e.fields[field] = std::move(key);
  return e;
}

// Five characters people can read out and type without confusion (no 0/O, 1/I/L).
std::string SmsCode() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
  const std::string raw = crypto::RandomBytes(5);
  std::string out;
  for (unsigned char c : raw) out.push_back(kAlphabet[c % (sizeof(kAlphabet) - 1)]);
  return out;
}

constexpr char kVoteColumns[] =
    "SELECT id, process_id, slug, sms_code, title_ar, title_en, rule, budget, currency, "
    "max_choices, published_at FROM participation_votes ";

Vote ReadVote(const db::Row& r) {
  Vote v;
  v.id = r.Int(0);
  v.process_id = r.Int(1);
  v.slug = r.Text(2);
  v.sms_code = r.Text(3);
  v.title_ar = r.Text(4);
  v.title_en = r.Text(5);
  v.rule = ParseVoteRule(r.Text(6)).value_or(VoteRule::kBudget);
  v.budget = r.Int(7);
  v.currency = r.Text(8);
  v.max_choices = r.Int(9);
  v.published_at = r.Int(10);
  return v;
}

Status LoadOptions(db::Tx& tx, Vote& v) {
  auto rows = tx.Query(
      "SELECT id, number, title_ar, title_en, cost, result_votes, result_selected FROM "
      "participation_options WHERE vote_id = ? ORDER BY number",
      {v.id});
  if (!rows.ok()) return std::move(rows).error();
  v.options.clear();
  for (const db::Row& r : *rows) {
    v.options.push_back(
        {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4), r.Int(5), r.Int(6) != 0});
  }
  return Ok();
}

}  // namespace

std::string_view VoteRuleName(VoteRule r) { return r == VoteRule::kBudget ? "budget" : "approve"; }

std::optional<VoteRule> ParseVoteRule(std::string_view name) {
  if (name == "budget") return VoteRule::kBudget;
  if (name == "approve") return VoteRule::kApprove;
  return std::nullopt;
}

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kWeb:
      return "web";
    case Channel::kCounter:
      return "counter";
    case Channel::kSms:
      return "sms";
  }
  return "web";
}

Result<Vote> Store::CreateVote(const Process& p, const VoteInput& in, const Actor& who,
                               int64_t now_ms) {
  Error bad = MakeError(ErrorCode::kInvalid, "participation.invalid");
  if (Status s = CheckText(in.title_ar, kMaxTitle); !s.ok()) {
    bad.fields["title_ar"] = s.error().message_key;
  }
  if (Status s = CheckText(in.title_en, kMaxTitle); !s.ok()) {
    bad.fields["title_en"] = s.error().message_key;
  }
  if (in.options.size() < 2 || in.options.size() > 50) {
    bad.fields["options"] = "participation.vote.options";
  }
  for (const VoteOption& o : in.options) {
    if (!CheckText(o.title_ar, kMaxTitle).ok() || !CheckText(o.title_en, kMaxTitle).ok() ||
        o.cost < 0 || (in.rule == VoteRule::kBudget && o.cost == 0)) {
      bad.fields["options"] = "participation.vote.options";
    }
  }
  if (in.rule == VoteRule::kBudget && (in.budget <= 0 || in.budget > 100'000'000'000LL)) {
    bad.fields["budget"] = "participation.vote.budget";
  }
  if (in.rule == VoteRule::kApprove &&
      (in.max_choices < 1 || in.max_choices > static_cast<int64_t>(in.options.size()))) {
    bad.fields["max_choices"] = "participation.vote.max_choices";
  }
  if (!bad.fields.empty()) return bad;
  Vote v;
  v.process_id = p.id;
  v.slug = crypto::RandomToken(8);
  v.sms_code = SmsCode();
  v.title_ar = in.title_ar;
  v.title_en = in.title_en;
  v.rule = in.rule;
  v.budget = in.rule == VoteRule::kBudget ? in.budget : 0;
  v.currency = in.currency;
  v.max_choices = in.rule == VoteRule::kApprove ? in.max_choices : 0;
  Status s = db_.Write([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(
        "INSERT INTO participation_votes (process_id, slug, sms_code, title_ar, title_en, rule, "
        "budget, currency, max_choices, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {p.id, v.slug, v.sms_code, v.title_ar, v.title_en, std::string(VoteRuleName(v.rule)),
         v.budget, v.currency, v.max_choices, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    v.id = (*rows)[0].Int(0);
    int64_t number = 0;
    for (const VoteOption& o : in.options) {
      auto id = tx.Query(
          "INSERT INTO participation_options (vote_id, number, title_ar, title_en, cost) VALUES "
          "(?, ?, ?, ?, ?) RETURNING id",
          {v.id, ++number, o.title_ar, o.title_en, o.cost});
      if (!id.ok()) return std::move(id).error();
      v.options.push_back({(*id)[0].Int(0), number, o.title_ar, o.title_en, o.cost, 0, false});
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.vote.create", "vote:" + v.slug,
                 "process=" + p.slug, now_ms);
  });
  if (!s.ok()) return std::move(s).error();
  return v;
}

Result<std::vector<Vote>> Store::Votes(int64_t process_id) {
  std::vector<Vote> out;
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto rows =
        tx.Query(std::string(kVoteColumns) + "WHERE process_id = ? ORDER BY id", {process_id});
    if (!rows.ok()) return std::move(rows).error();
    for (const db::Row& r : *rows) {
      out.push_back(ReadVote(r));
      if (Status o = LoadOptions(tx, out.back()); !o.ok()) return o;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  return out;
}

Result<Vote> Store::GetVote(int64_t process_id, std::string_view slug) {
  Vote v;
  Status s = db_.Read([&](db::Tx& tx) -> Status {
    auto rows = tx.Query(std::string(kVoteColumns) + "WHERE process_id = ? AND slug = ?",
                         {process_id, std::string(slug)});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    v = ReadVote((*rows)[0]);
    return LoadOptions(tx, v);
  });
  if (!s.ok()) return std::move(s).error();
  return v;
}

Result<std::pair<Process, Vote>> Store::VoteBySmsCode(std::string_view code) {
  std::string upper(code);
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  auto rows = db_.Query(
      "SELECT v.slug, p.municipality_id, p.slug FROM participation_votes v JOIN "
      "participation_processes p ON p.id = v.process_id WHERE v.sms_code = ?",
      {upper});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "participation.vote.unknown_code");
  auto p = GetProcess((*rows)[0].Int(1), (*rows)[0].Text(2));
  if (!p.ok()) return std::move(p).error();
  auto v = GetVote(p->id, (*rows)[0].Text(0));
  if (!v.ok()) return std::move(v).error();
  return std::make_pair(std::move(*p), std::move(*v));
}

Status Store::Cast(const Process& p, const Vote& v, int64_t voter_account_id, Channel channel,
                   const std::vector<int64_t>& numbers, const Actor& recorded_by, int64_t now_ms) {
  auto name = VerifiedName(voter_account_id);
  if (!name.ok()) return std::move(name).error();
  if (p.PhaseAt(now_ms) != Phase::kVoting) {
    return MakeError(ErrorCode::kConflict, "participation.phase_closed");
  }
  if (v.published_at != 0) return MakeError(ErrorCode::kConflict, "participation.phase_closed");
  std::set<int64_t> seen;
  std::vector<int64_t> option_ids;
  int64_t cost = 0;
  for (int64_t n : numbers) {
    auto it = std::find_if(v.options.begin(), v.options.end(),
                           [n](const VoteOption& o) { return o.number == n; });
    if (it == v.options.end() || !seen.insert(n).second) {
      return InvalidField("options", "participation.vote.choice");
    }
    option_ids.push_back(it->id);
    cost += it->cost;
  }
  if (numbers.empty()) return InvalidField("options", "participation.vote.choice");
  if (v.rule == VoteRule::kBudget && cost > v.budget) {
    return InvalidField("options", "participation.vote.over_budget");
  }
  if (v.rule == VoteRule::kApprove && static_cast<int64_t>(numbers.size()) > v.max_choices) {
    return InvalidField("options", "participation.vote.too_many");
  }
  const std::string ballot = crypto::RandomToken(16);
  return db_.Write([&](db::Tx& tx) -> Status {
    auto added = tx.Exec(
        "INSERT INTO participation_ballots (vote_id, account_id, channel, recorded_by, cast_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (vote_id, account_id) DO NOTHING",
        {v.id, voter_account_id, std::string(ChannelName(channel)), recorded_by.pseudonym, now_ms});
    if (!added.ok()) return std::move(added).error();
    if (*added == 0) return MakeError(ErrorCode::kConflict, "participation.vote.already");
    for (int64_t option : option_ids) {
      auto n =
          tx.Exec("INSERT INTO participation_choices (vote_id, ballot, option_id) VALUES (?, ?, ?)",
                  {v.id, ballot, option});
      if (!n.ok()) return std::move(n).error();
    }
    if (Status n = NoteParticipant(tx, p, voter_account_id, now_ms); !n.ok()) return n;
    return Audit(audit_, tx, recorded_by, p.municipality_id, "participation.vote.cast",
                 "vote:" + v.slug, "channel=" + std::string(ChannelName(channel)), now_ms);
  });
}

Result<bool> Store::Voted(int64_t vote_id, int64_t account_id) {
  auto rows = db_.Query("SELECT 1 FROM participation_ballots WHERE vote_id = ? AND account_id = ?",
                        {vote_id, account_id});
  if (!rows.ok()) return std::move(rows).error();
  return !rows->empty();
}

Result<Turnout> Store::TurnoutOf(int64_t vote_id) {
  auto rows = db_.Query(
      "SELECT channel, COUNT(*) FROM participation_ballots WHERE vote_id = ? GROUP BY channel",
      {vote_id});
  if (!rows.ok()) return std::move(rows).error();
  Turnout t;
  for (const db::Row& r : *rows) {
    const std::string c = r.Text(0);
    (c == "web" ? t.web : c == "counter" ? t.counter : t.sms) = r.Int(1);
  }
  return t;
}

Result<std::vector<VoteOption>> Store::Tally(const Vote& v) {
  auto rows = db_.Query(
      "SELECT option_id, COUNT(*) FROM participation_choices WHERE vote_id = ? GROUP BY "
      "option_id",
      {v.id});
  if (!rows.ok()) return std::move(rows).error();
  std::map<int64_t, int64_t> counts;
  for (const db::Row& r : *rows) counts[r.Int(0)] = r.Int(1);
  std::vector<VoteOption> out = v.options;
  for (VoteOption& o : out) {
    o.votes = counts.count(o.id) ? counts[o.id] : 0;
    o.selected = false;
  }
  std::vector<VoteOption*> ranked;
  for (VoteOption& o : out) ranked.push_back(&o);
  std::stable_sort(ranked.begin(), ranked.end(), [](const VoteOption* a, const VoteOption* b) {
    return a->votes != b->votes ? a->votes > b->votes : a->number < b->number;
  });
  int64_t left = v.budget;
  int64_t chosen = 0;
  for (VoteOption* o : ranked) {
    if (o->votes == 0) break;
    if (v.rule == VoteRule::kBudget) {
      if (o->cost <= left) {
        o->selected = true;
        left -= o->cost;
      }
    } else if (chosen < v.max_choices) {
      o->selected = true;
      ++chosen;
    }
  }
  return out;
}

Status Store::Publish(const Process& p, const Vote& v, const Actor& who, int64_t now_ms) {
  auto tally = Tally(v);
  if (!tally.ok()) return std::move(tally).error();
  return db_.Write([&](db::Tx& tx) -> Status {
    auto n = tx.Exec(
        "UPDATE participation_votes SET published_at = ? WHERE id = ? AND published_at IS NULL",
        {now_ms, v.id});
    if (!n.ok()) return std::move(n).error();
    if (*n == 0) return MakeError(ErrorCode::kConflict, "participation.vote.already_published");
    for (const VoteOption& o : *tally) {
      auto u = tx.Exec(
          "UPDATE participation_options SET result_votes = ?, result_selected = ? WHERE id = ?",
          {o.votes, static_cast<int64_t>(o.selected ? 1 : 0), o.id});
      if (!u.ok()) return std::move(u).error();
    }
    return Audit(audit_, tx, who, p.municipality_id, "participation.vote.publish", "vote:" + v.slug,
                 "", now_ms);
  });
}

}  // namespace baladiya::participation
