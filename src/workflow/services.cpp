#include "workflow/services.h"

namespace baladiya::workflow {

Result<Workflow> ForService(const catalog::Service& s, const i18n::Catalog& messages) {
  if (s.workflow_json.empty()) return DefaultWorkflow(messages);
  return ParseWorkflow(s.workflow_json);
}

std::string StateLabel(const catalog::Service& s, const std::string& state,
                       const i18n::Catalog& messages, i18n::Lang lang) {
  auto wf = ForService(s, messages);
  if (wf.ok()) {
    if (const State* st = wf->FindState(state)) return st->label.In(lang);
  }
  return state;
}

Result<Calendar> CalendarOf(catalog::ServiceStore& services, int64_t municipality_id) {
  auto data = services.Calendar(municipality_id);
  if (!data.ok()) return std::move(data).error();
  Calendar c;
  c.rest_weekdays = data->rest_weekdays;
  c.holidays = data->holidays;
  c.time_zone = data->time_zone;
  return c;
}

std::string TrackingPrefix(std::string_view slug) {
  std::string out;
  for (char c : slug) {
    if (c >= 'a' && c <= 'z') out.push_back(static_cast<char>(c - 'a' + 'A'));
    if (out.size() == 3) break;
  }
  while (out.size() < 2) out.push_back('X');
  return out;
}

}  // namespace baladiya::workflow
