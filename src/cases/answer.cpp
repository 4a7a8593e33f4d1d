// The applicant's answer to a request for information: the step back to the municipality, the
// answer's files, and the member of staff told (cases.h CaseStore::Answer).
#include "cases/cases.h"
#include "cases/cases_internal.h"
#include "platform/crypto/crypto.h"

namespace baladiya::cases {

using internal::CheckFile;
using internal::LoadCase;
using internal::Tell;

Result<Case> CaseStore::Answer(int64_t case_id, int64_t expected_version, const std::string& action,
                               const std::string& text, const std::vector<ReplyFile>& files,
                               const Actor& applicant, const workflow::Workflow& wf,
                               const workflow::Calendar& calendar, const catalog::Service& service,
                               int64_t now_ms) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    Error e = MakeError(ErrorCode::kInvalid, "cases.answer_required");
    e.fields["comment"] = "cases.answer_required";
    return e;
  }
  if (static_cast<int>(files.size()) > kMaxReplyFiles) {
    Error e = MakeError(ErrorCode::kTooLarge, "form.too_many_files");
    e.fields["files"] = "form.too_many_files";
    return e;
  }
  std::vector<std::string> types;
  for (const ReplyFile& f : files) {
    auto type = CheckFile(f.bytes, d_.scan);
    if (!type.ok()) {
      Error e = std::move(type).error();
      e.fields["files"] = e.message_key;
      return e;
    }
    types.push_back(std::move(*type));
  }
  // Who is told, read before the write transaction (the writer is not held while accounts are).
  auto current = Get(case_id);
  if (!current.ok()) return std::move(current).error();
  std::vector<std::pair<int64_t, std::string>> staff;
  if (current->assigned_to != 0) {
    staff.emplace_back(current->assigned_to, "");
  } else if (d_.heads) {
    staff = d_.heads(current->municipality_id, current->department_id);
  }
  auto followers = FollowersOf(case_id);  // follow.cpp
  if (!followers.ok()) return std::move(followers).error();
  bool queued = false;
  Status s = d_.db->Write([&](db::Tx& tx) -> Status {
    auto c = LoadCase(tx, case_id, key_);
    if (!c.ok()) return std::move(c).error();
    if (c->applicant_id != applicant.account_id)
      return MakeError(ErrorCode::kNotFound, "error.not_found");
    if (Status st = ApplyTransition(tx, case_id, expected_version, action, text, applicant, wf,
                                    calendar, service, now_ms, {}, *followers, false, queued);
        !st.ok()) {
      return st;
    }
    for (size_t i = 0; i < files.size(); ++i) {
      // The row first (for its id, which the seal is bound to), then its sealed content.
      auto r = tx.Query(
          "INSERT INTO case_attachments (draft_id, case_id, account_id, municipality_id, field, "
          "file_name, content_type, size, sha256, content, created_at) VALUES (0, ?, ?, ?, ?, ?, "
          "?, ?, ?, ?, ?) RETURNING id",
          {case_id, applicant.account_id, c->municipality_id, std::string(kReplyField),
           files[i].file_name, types[i], static_cast<int64_t>(files[i].bytes.size()),
           crypto::Sha256Hex(files[i].bytes), db::Blob{""}, now_ms});
      if (!r.ok()) return std::move(r).error();
      const int64_t id = (*r)[0].Int(0);
      auto n =
          tx.Exec("UPDATE case_attachments SET content = ? WHERE id = ?",
                  {db::Blob{crypto::Seal(key_, files[i].bytes, "file:" + std::to_string(id))}, id});
      if (!n.ok()) return std::move(n).error();
    }
    for (const auto& [account, lang] : staff) {
      notify::Notification n;
      n.account_id = account;
      n.municipality_id = c->municipality_id;
      n.lang = lang;
      n.template_key = "case.answered";
      n.params = {{"tracking", c->tracking}};
      if (Status e = Tell(d_, tx, {notify::Channel::kInApp}, std::move(n), now_ms, queued); !e.ok())
        return e;
    }
    return Ok();
  });
  if (!s.ok()) return std::move(s).error();
  if (queued && d_.notified) d_.notified();
  return Get(case_id);
}

}  // namespace baladiya::cases
