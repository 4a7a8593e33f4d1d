// The cases module's part of a person's data export (identity's /account/export): their
// applications with the answers, history, files and rating, the reports they follow; and their
// open applications, which the account-closing page lists before the account is closed.
#include "cases/web_internal.h"

namespace baladiya::cases {

namespace {

class Exports : public PageBase {
 public:
  using PageBase::PageBase;

  Result<identity::ExportSection> Applications(int64_t account_id, i18n::Lang lang) {
    identity::ExportSection out;
    out.key = "applications";
    out.title = Cat().Get(lang, "data_export.applications");
    auto cases = o_.cases->OfApplicant(account_id);
    if (!cases.ok()) return std::move(cases).error();
    for (const auto& listed_case : *cases) {
      auto full = o_.cases->Get(listed_case.id);  // the list leaves the answers out
      if (!full.ok()) return std::move(full).error();
      const Case& c = *full;
      auto s = o_.services->Get(c.service_id);
      if (!s.ok()) return std::move(s).error();
      auto history = o_.cases->History(c.id, false);
      if (!history.ok()) return std::move(history).error();
      auto files = o_.cases->Attachments(0, c.id);
      if (!files.ok()) return std::move(files).error();
      auto rating = o_.cases->RatingOf(c.id);
      if (!rating.ok()) return std::move(rating).error();
      identity::ExportRecord r;
      r.title = s->name.In(lang) + " — " + i18n::IsolateLatin(c.tracking);
      auto field = [&](const char* key, std::string value) {
        if (!value.empty())
          r.fields.push_back({key, Cat().Get(lang, std::string("data_export.") + key), value});
      };
      field("tracking", c.tracking);
      field("service", s->name.In(lang));
      field("state", StateLabel(*s, c.state, lang));
      field("submitted", i18n::FormatDate(c.submitted_at, lang));
      if (c.fee_minor > 0) field("fee", i18n::FormatMoney(c.fee_minor, c.currency, lang));
      if (c.closed_at) field("closed", i18n::FormatDate(c.closed_at, lang));
      if (*rating > 0)
        field("rating", Cat().Format(lang, "data_export.rating_of",
                                     {{"score", i18n::FormatNumber(*rating, lang)},
                                      {"max", i18n::FormatNumber(5, lang)}}));
      identity::ExportGroup answers{"answers", Cat().Get(lang, "data_export.answers"), {}};
      for (const auto& p : s->form.pages) {
        for (const auto& f : p.fields) {
          auto a = c.answers.find(f.name);
          if (a == c.answers.end() || a->second.empty()) continue;
          answers.rows.push_back(
              {{f.name, f.label.In(lang), AnswerText(f, a->second, lang, &*files)}});
        }
      }
      identity::ExportGroup events{"history", Cat().Get(lang, "data_export.history"), {}};
      for (const auto& e : *history) {
        std::string what;
        if (e.kind == "transition" || e.kind == "submitted") {
          what =
              Cat().Format(lang, "case.event_state", {{"state", StateLabel(*s, e.to_state, lang)}});
        } else if (e.kind == "transferred") {
          what = TransferredText(o_, lang, e.comment);
        } else if (e.kind == "assigned") {
          continue;  // staff's own business
        } else {
          what = Cat().Get(lang, "case.event_" + e.kind);
        }
        std::vector<identity::ExportField> row = {{"at", "", i18n::FormatDate(e.at, lang)},
                                                  {"event", "", what}};
        if (!e.comment.empty() && e.kind != "transferred")
          row.push_back({"comment", "", e.comment});
        events.rows.push_back(std::move(row));
      }
      identity::ExportGroup listed{"files", Cat().Get(lang, "data_export.files"), {}};
      for (const auto& a : *files) {
        listed.rows.push_back({{"name", "", a.file_name},
                               {"size", "", SizeText(a.size, lang)},
                               {"sha256", "SHA-256", a.sha256}});
      }
      r.groups = {std::move(answers), std::move(events), std::move(listed)};
      out.records.push_back(std::move(r));
    }
    return out;
  }

  Result<identity::ExportSection> Followed(int64_t account_id, i18n::Lang lang) {
    identity::ExportSection out;
    out.key = "followed_reports";
    out.title = Cat().Get(lang, "data_export.followed");
    auto followed = o_.cases->Followed(account_id);
    if (!followed.ok()) return std::move(followed).error();
    for (const auto& c : *followed) {
      auto s = o_.services->Get(c.service_id);
      if (!s.ok()) return std::move(s).error();
      identity::ExportRecord r;
      r.title = s->name.In(lang) + " — " + i18n::IsolateLatin(c.tracking);
      r.fields = {{"tracking", Cat().Get(lang, "data_export.tracking"), c.tracking},
                  {"state", Cat().Get(lang, "data_export.state"), StateLabel(*s, c.state, lang)},
                  {"submitted", Cat().Get(lang, "data_export.submitted"),
                   i18n::FormatDate(c.submitted_at, lang)}};
      out.records.push_back(std::move(r));
    }
    return out;
  }

  // The applications not yet in a final state.
  Result<std::vector<identity::OpenMatter>> Open(int64_t account_id, i18n::Lang lang) {
    auto cases = o_.cases->OfApplicant(account_id);
    if (!cases.ok()) return std::move(cases).error();
    std::vector<identity::OpenMatter> out;
    for (const auto& c : *cases) {
      if (c.closed_at) continue;
      auto s = o_.services->Get(c.service_id);
      if (!s.ok()) return std::move(s).error();
      out.push_back({s->name.In(lang) + " — " + i18n::IsolateLatin(c.tracking) + " (" +
                         StateLabel(*s, c.state, lang) + ")",
                     "/account/cases/" + c.tracking});
    }
    return out;
  }
};

}  // namespace

void AddExports(identity::WebServices& ids, WebOptions options) {
  auto e = std::make_shared<Exports>(std::move(options));
  // The applications first: what a person most looks for.
  ids.exporters.insert(
      ids.exporters.begin(),
      {[e](int64_t account, i18n::Lang lang) { return e->Applications(account, lang); },
       [e](int64_t account, i18n::Lang lang) { return e->Followed(account, lang); }});
  ids.open_matters.push_back(
      [e](int64_t account, i18n::Lang lang) { return e->Open(account, lang); });
}

}  // namespace baladiya::cases
