#include "cases/ratings.h"

#include <algorithm>
#include <map>

namespace baladiya::cases {

Result<std::vector<ServiceRatings>> RatingReader::ByService(int64_t municipality_id) {
  auto rows = db_.Query(
      "SELECT service_id, score, count(*) FROM case_ratings WHERE municipality_id = ? "
      "GROUP BY service_id, score ORDER BY service_id, score",
      {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  std::map<int64_t, ServiceRatings> by;
  for (const auto& r : *rows) {
    ServiceRatings& s = by[r.Int(0)];
    s.service_id = r.Int(0);
    int score = static_cast<int>(r.Int(1));
    if (score < 1 || score > 5) continue;
    s.by_score[score - 1] += r.Int(2);
    s.count += r.Int(2);
    s.total += score * r.Int(2);
  }
  std::vector<ServiceRatings> out;
  for (auto& [id, s] : by) out.push_back(std::move(s));
  return out;
}

Result<ServiceRatings> RatingReader::OfService(int64_t municipality_id, int64_t service_id,
                                               int recent) {
  auto all = ByService(municipality_id);
  if (!all.ok()) return std::move(all).error();
  ServiceRatings out;
  out.service_id = service_id;
  for (const auto& s : *all) {
    if (s.service_id == service_id) out = s;
  }
  auto rows = db_.Query(
      "SELECT r.score, r.comment, r.at, c.tracking FROM case_ratings r "
      "JOIN cases c ON c.id = r.case_id "
      "WHERE r.municipality_id = ? AND r.service_id = ? AND r.comment <> '' "
      "ORDER BY r.at DESC, r.case_id DESC LIMIT ?",
      {municipality_id, service_id, int64_t{std::clamp(recent, 0, 50)}});
  if (!rows.ok()) return std::move(rows).error();
  for (const auto& r : *rows) {
    out.recent.push_back({static_cast<int>(r.Int(0)), r.Text(1), r.Int(2), r.Text(3)});
  }
  return out;
}

Result<std::optional<Rating>> RatingReader::OfCase(int64_t case_id) {
  auto rows = db_.Query(
      "SELECT r.score, r.comment, r.at, c.tracking FROM case_ratings r "
      "JOIN cases c ON c.id = r.case_id WHERE r.case_id = ?",
      {case_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return std::optional<Rating>();
  const auto& r = (*rows)[0];
  return std::optional<Rating>(Rating{static_cast<int>(r.Int(0)), r.Text(1), r.Int(2), r.Text(3)});
}

}  // namespace baladiya::cases
