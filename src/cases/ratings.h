// The applicants' ratings of closed cases as staff read them (table case_ratings, written by
// CaseStore::Rate): per service the count, average and distribution with the latest comments,
// and a case's own rating. Thread-safe; reads only.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::cases {

struct Rating {
  int score = 0;        // 1..5
  std::string comment;  // the applicant's words, possibly empty
  int64_t at = 0;
  std::string tracking;
};

struct ServiceRatings {
  int64_t service_id = 0;
  int64_t count = 0;
  int64_t total = 0;                  // sum of the scores
  std::array<int64_t, 5> by_score{};  // [0] = score 1 ... [4] = score 5
  std::vector<Rating> recent;         // newest first, with a comment (OfService only)
  // The average times ten, rounded (43 = 4.3); 0 when nothing is rated.
  int64_t AverageTenths() const { return count ? (total * 20 + count) / (count * 2) : 0; }
};

class RatingReader {
 public:
  explicit RatingReader(db::Database& db) : db_(db) {}
  // Every rated service of the municipality (without comments), by service id.
  Result<std::vector<ServiceRatings>> ByService(int64_t municipality_id);
  // One service's figures with its `recent` latest comments (at most 50).
  Result<ServiceRatings> OfService(int64_t municipality_id, int64_t service_id, int recent);
  // The case's rating; nullopt when not rated.
  Result<std::optional<Rating>> OfCase(int64_t case_id);

 private:
  db::Database& db_;
};

}  // namespace baladiya::cases
