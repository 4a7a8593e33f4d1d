#include "catalog/municipalities.h"

#include <utility>
#include <vector>

namespace baladiya::catalog {
namespace {

// Characters (code points) of s, or -1 when it holds a control character.
long Chars(const std::string& s) {
  long chars = 0;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) return -1;
    chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }
  return chars;
}

bool GoodName(const std::string& s) {
  if (s.find_first_not_of(" \t") == std::string::npos) return false;
  const long n = Chars(s);
  return n >= 1 && n <= 100;
}

bool GoodText(const std::string& s) {
  const long n = Chars(s);
  return n >= 0 && n <= 300;
}

bool GoodEmail(const std::string& s) {
  if (s.empty()) return true;
  const size_t at = s.find('@');
  return s.size() <= 200 && at != std::string::npos && at > 0 &&
         s.find('@', at + 1) == std::string::npos && s.find('.', at) != std::string::npos &&
         s.find_first_of(" \t\r\n<>\"") == std::string::npos;
}

// Digits, spaces, '+', '-', '(', ')' only, at most 40.
bool GoodPhone(const std::string& s) {
  return s.size() <= 40 && s.find_first_not_of("0123456789 +-()") == std::string::npos;
}

bool GoodWebsite(const std::string& s) {
  if (s.empty()) return true;
  const bool scheme = s.starts_with("https://") || s.starts_with("http://");
  const size_t host = s.find("://") + 3;
  return scheme && s.size() <= 200 && s.size() > host &&
         s.find_first_of(" \t\r\n<>\"'") == std::string::npos;
}

std::string Trim(std::string s) {
  const size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

Status SaveProfile(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                   const ProfileInput& raw, const CalendarActor& who, int64_t now_ms) {
  ProfileInput in;
  in.name = {Trim(raw.name.ar), Trim(raw.name.en)};
  in.address = {Trim(raw.address.ar), Trim(raw.address.en)};
  in.hours = {Trim(raw.hours.ar), Trim(raw.hours.en)};
  in.phone = Trim(raw.phone);
  in.email = Trim(raw.email);
  in.website = Trim(raw.website);
  Error invalid = MakeError(ErrorCode::kInvalid, "profile.invalid");
  if (!GoodName(in.name.ar)) invalid.fields["name_ar"] = "profile.name_required";
  if (!GoodName(in.name.en)) invalid.fields["name_en"] = "profile.name_required";
  const std::pair<const char*, const std::string*> texts[] = {{"address_ar", &in.address.ar},
                                                              {"address_en", &in.address.en},
                                                              {"hours_ar", &in.hours.ar},
                                                              {"hours_en", &in.hours.en}};
  for (const auto& [field, value] : texts) {
    if (!GoodText(*value)) invalid.fields[field] = "profile.too_long";
  }
  if (!GoodPhone(in.phone)) invalid.fields["phone"] = "profile.phone_invalid";
  if (!GoodEmail(in.email)) invalid.fields["email"] = "profile.email_invalid";
  if (!GoodWebsite(in.website)) invalid.fields["website"] = "profile.website_invalid";
  if (!invalid.fields.empty()) return invalid;
  Status s = db.Write([&](db::Tx& tx) -> Status {
    auto old = tx.Query(
        "SELECT slug, name_ar, name_en, address_ar, address_en, phone, email, hours_ar, "
        "hours_en, website FROM municipalities WHERE id = ?",
        {municipality_id});
    if (!old.ok()) return std::move(old).error();
    if (old->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
    const db::Row& r = (*old)[0];
    const std::pair<const char*, std::pair<std::string, std::string>> fields[] = {
        {"name_ar", {r.Text(1), in.name.ar}},       {"name_en", {r.Text(2), in.name.en}},
        {"address_ar", {r.Text(3), in.address.ar}}, {"address_en", {r.Text(4), in.address.en}},
        {"phone", {r.Text(5), in.phone}},           {"email", {r.Text(6), in.email}},
        {"hours_ar", {r.Text(7), in.hours.ar}},     {"hours_en", {r.Text(8), in.hours.en}},
        {"website", {r.Text(9), in.website}}};
    std::vector<audit::Change> changes;
    for (const auto& [field, values] : fields) {
      if (values.first != values.second) changes.push_back({field, values.first, values.second});
    }
    if (changes.empty()) return Ok();  // nothing changed: nothing to record
    auto n = tx.Exec(
        "UPDATE municipalities SET name_ar = ?, name_en = ?, address_ar = ?, address_en = ?, "
        "phone = ?, email = ?, hours_ar = ?, hours_en = ?, website = ?, updated_at = ? "
        "WHERE id = ?",
        {in.name.ar, in.name.en, in.address.ar, in.address.en, in.phone, in.email, in.hours.ar,
         in.hours.en, in.website, now_ms, municipality_id});
    if (!n.ok()) return std::move(n).error();
    return AuditAdminChange(log, tx, municipality_id, "municipality.changed",
                            "municipality:" + r.Text(0), who, now_ms, std::move(changes));
  });
  NoteCatalogChange();
  return s;
}

Result<Text> OpeningHours(db::Database& db, int64_t municipality_id) {
  auto rows =
      db.Query("SELECT hours_ar, hours_en FROM municipalities WHERE id = ?", {municipality_id});
  if (!rows.ok()) return std::move(rows).error();
  if (rows->empty()) return MakeError(ErrorCode::kNotFound, "error.not_found");
  return Text{(*rows)[0].Text(0), (*rows)[0].Text(1)};
}

Result<int64_t> AddMunicipality(db::Database& db, audit::AuditLog* log, const NewMunicipality& raw,
                                const CalendarActor& who, int64_t now_ms) {
  NewMunicipality in;
  in.slug = Trim(raw.slug);
  in.name = {Trim(raw.name.ar), Trim(raw.name.en)};
  in.governorate = {Trim(raw.governorate.ar), Trim(raw.governorate.en)};
  Error invalid = MakeError(ErrorCode::kInvalid, "profile.invalid");
  if (!ValidSlug(in.slug)) invalid.fields["slug"] = "municipalities.slug_invalid";
  if (!GoodName(in.name.ar)) invalid.fields["name_ar"] = "profile.name_required";
  if (!GoodName(in.name.en)) invalid.fields["name_en"] = "profile.name_required";
  if (!GoodText(in.governorate.ar)) invalid.fields["governorate_ar"] = "profile.too_long";
  if (!GoodText(in.governorate.en)) invalid.fields["governorate_en"] = "profile.too_long";
  if (!invalid.fields.empty()) return invalid;
  int64_t id = 0;
  Status s = db.Write([&](db::Tx& tx) -> Status {
    // ON CONFLICT DO NOTHING: a concurrent add of the same slug inserts nothing here.
    auto rows = tx.Query(
        "INSERT INTO municipalities (slug, name_ar, name_en, governorate_ar, governorate_en, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING "
        "RETURNING id",
        {in.slug, in.name.ar, in.name.en, in.governorate.ar, in.governorate.en, now_ms, now_ms});
    if (!rows.ok()) return std::move(rows).error();
    if (rows->empty()) {
      Error taken = MakeError(ErrorCode::kInvalid, "profile.invalid");
      taken.fields["slug"] = "municipalities.slug_taken";
      return taken;
    }
    id = (*rows)[0].Int(0);
    return AuditAdminChange(
        log, tx, id, "municipality.added", "municipality:" + in.slug, who, now_ms,
        {{"slug", "", in.slug}, {"name_ar", "", in.name.ar}, {"name_en", "", in.name.en}});
  });
  NoteCatalogChange();
  if (!s.ok()) return std::move(s).error();
  return id;
}

}  // namespace baladiya::catalog
