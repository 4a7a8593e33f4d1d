// Filing a case: the one entry point the pages, the JSON API and Open311 (and the counter through
// them) use, whatever the channel. It decides where the case goes (a report whose location lies
// in another municipality's area goes to that municipality's matching report service:
// catalog::RouteReport), takes that service's workflow, the municipality's working calendar and
// tracking-number prefix, and submits through CaseStore in one transaction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "cases/cases.h"
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"
#include "platform/i18n/locale.h"

namespace baladiya::cases {

class Filing {
 public:
  struct Stores {
    CaseStore* cases = nullptr;
    catalog::ServiceStore* services = nullptr;
    const catalog::TenancyStore* tenancy = nullptr;
    // Null: reports stay where they are filed.
    const catalog::BoundaryStore* boundaries = nullptr;
    // The default workflow's wording.
    const i18n::Catalog* messages = nullptr;
  };
  // The stores must outlive the Filing. Thread-safe.
  explicit Filing(Stores stores) : s_(stores) {}

  // Which services a channel may file into when a report is routed elsewhere (Open311 files
  // only into services it offers); unset: any the routing rule finds.
  using Accept = std::function<bool(const catalog::Service&)>;

  // Where a report of `filed` with these answers goes by its location, filed on `channel`;
  // nullopt when it stays (see catalog::RouteReport), or when accept refuses the other service.
  Result<std::optional<catalog::ReportRoute>> RouteOf(const catalog::Service& filed,
                                                      const catalog::Answers& answers,
                                                      std::string_view channel,
                                                      const Accept& accept = nullptr) const;

  struct Filed {
    Case filed;
    // Set when the report went to another municipality (filed.municipality_id is that one).
    std::optional<catalog::ReportRoute> route;
  };
  // Submits a draft (the pages; a counter clerk's draft files on behalf of its applicant):
  // CaseStore::Submit's errors, kInvalid with the answers' problems in Error::fields.
  Result<Filed> SubmitDraft(const Draft& draft, const catalog::Service& service, const Actor& actor,
                            const std::string& applicant_lang, int64_t now_ms) const;
  // Submits answers directly (the JSON API, Open311): CaseStore::SubmitAnswers's errors. A
  // routed report keeps the uploads sent to the municipality it was filed with.
  Result<Filed> SubmitAnswers(CaseStore::DirectSubmission in, const catalog::Service& service,
                              const Actor& actor, int64_t now_ms,
                              const Accept& accept = nullptr) const;

 private:
  // The service a case goes to, with what its submission needs.
  struct Target {
    const catalog::Service* service = nullptr;
    workflow::Workflow workflow;
    workflow::Calendar calendar;
    std::string prefix;
  };
  Result<Target> TargetOf(const catalog::Service& service,
                          const std::optional<catalog::ReportRoute>& route) const;

  Stores s_;
};

// "This location is in {area}: your report will go to (done: went to) {municipality}".
std::string RoutedNotice(const i18n::Catalog& cat, i18n::Lang lang,
                         const catalog::ReportRoute& route, bool done);

}  // namespace baladiya::cases
