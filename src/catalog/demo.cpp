// Demo data for three West Bank municipalities. Contact details are illustrative (".example"
// addresses), so that nobody mistakes the demo for the municipalities' real channels.
#include "catalog/boundaries.h"
#include "catalog/catalog.h"
#include "catalog/services.h"

namespace baladiya::catalog {
namespace {

struct DemoDepartment {
  const char* slug;
  const char* ar;
  const char* en;
};

// The departments a West Bank municipality typically runs, in display order.
constexpr DemoDepartment kDepartments[] = {
    {"citizen-services", "مركز خدمات الجمهور", "Citizen Service Centre"},
    {"engineering", "دائرة الهندسة والتنظيم", "Engineering and Planning"},
    {"water", "دائرة المياه والصرف الصحي", "Water and Wastewater"},
    {"health-environment", "دائرة الصحة والبيئة", "Public Health and Environment"},
    {"revenue", "دائرة الإيرادات", "Revenue"},
};

std::vector<Municipality> DemoMunicipalities() {
  return {
      {0,
       "hebron",
       {"بلدية الخليل", "Hebron Municipality"},
       {"محافظة الخليل", "Hebron Governorate"},
       {"شارع عين سارة، الخليل", "Ein Sara Street, Hebron"},
       "+970 2 000 0001",
       "info@hebron.example",
       ""},
      {0,
       "nablus",
       {"بلدية نابلس", "Nablus Municipality"},
       {"محافظة نابلس", "Nablus Governorate"},
       {"ميدان الشهداء، نابلس", "Martyrs' Square, Nablus"},
       "+970 9 000 0002",
       "info@nablus.example",
       ""},
      {0,
       "ramallah",
       {"بلدية رام الله", "Ramallah Municipality"},
       {"محافظة رام الله والبيرة", "Ramallah and al-Bireh Governorate"},
       {"شارع يافا، رام الله", "Jaffa Street, Ramallah"},
       "+970 2 000 0003",
       "info@ramallah.example",
       ""},
  };
}

}  // namespace

Result<SeedReport> SeedDemo(db::Database& db, int64_t now_ms) {
  TenancyStore store(db);
  SeedReport report;
  for (const auto& m : DemoMunicipalities()) {
    auto id = store.UpsertMunicipality(m, now_ms);
    if (!id.ok()) return std::move(id).error();
    ++report.municipalities;
    // Opening hours, unless the administrator has written their own.
    Status hours = db.Write([&](db::Tx& tx) -> Status {
      auto n = tx.Exec(
          "UPDATE municipalities SET hours_ar = ?, hours_en = ? WHERE id = ? AND hours_ar = '' "
          "AND hours_en = ''",
          {std::string("من الأحد إلى الخميس، من الثامنة صباحًا حتى الثالثة عصرًا"),
           std::string("Sunday to Thursday, 8:00 to 15:00"), *id});
      if (!n.ok()) return std::move(n).error();
      return Ok();
    });
    if (!hours.ok()) return std::move(hours).error();
    int order = 0;
    for (const auto& d : kDepartments) {
      Department dep{0, *id, d.slug, {d.ar, d.en}, "", "", ++order};
      auto dep_id = store.UpsertDepartment(dep, now_ms);
      if (!dep_id.ok()) return std::move(dep_id).error();
      ++report.departments;
    }
  }
  auto services = SeedDemoServices(db, now_ms);
  if (!services.ok()) return std::move(services).error();
  report.services = *services;
  auto boundaries = SeedDemoBoundaries(db, now_ms);
  if (!boundaries.ok()) return std::move(boundaries).error();
  report.boundaries = *boundaries;
  return report;
}

}  // namespace baladiya::catalog
