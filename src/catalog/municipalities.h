// The municipality's profile as its administrator keeps it (names, address, contacts, opening
// hours, website; shown on its public page), and adding a municipality (the platform
// administrator). Each change is audited in its transaction with the values before and after,
// and noted as a catalogue change so that every reader's directory reloads.
#pragma once

#include <cstdint>
#include <string>

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "catalog/holidays.h"
#include "platform/db/database.h"
#include "platform/result.h"

namespace baladiya::catalog {

struct ProfileInput {
  Text name;
  Text address;
  std::string phone;
  std::string email;
  Text hours;
  std::string website;  // empty, or an http:// or https:// address
};

// kInvalid "profile.invalid" with fields: "name_ar" / "name_en" ("profile.name_required": 1 to
// 100 characters without control characters), "address_ar" / "address_en" / "hours_ar" /
// "hours_en" ("profile.too_long": over 300 characters, or control characters), "phone"
// ("profile.phone_invalid"), "email" ("profile.email_invalid"), "website"
// ("profile.website_invalid"). kNotFound for no such municipality. Audited
// "municipality.changed" (object "municipality:<slug>") with every field changed.
Status SaveProfile(db::Database& db, audit::AuditLog* log, int64_t municipality_id,
                   const ProfileInput& in, const CalendarActor& who, int64_t now_ms);

// The opening hours in each language (empty when none were written); kNotFound for no such
// municipality. (Kept apart from Municipality, which the directory snapshot serves.)
Result<Text> OpeningHours(db::Database& db, int64_t municipality_id);

struct NewMunicipality {
  std::string slug;  // catalog::ValidSlug
  Text name;
  Text governorate;
};

// Adds a municipality; returns its id. kInvalid "profile.invalid" with fields "slug"
// ("municipalities.slug_invalid") or "municipalities.slug_taken"), "name_ar" / "name_en",
// "governorate_ar" / "governorate_en" ("profile.too_long"). Audited "municipality.added" in the
// new municipality with its slug and names.
Result<int64_t> AddMunicipality(db::Database& db, audit::AuditLog* log, const NewMunicipality& in,
                                const CalendarActor& who, int64_t now_ms);

}  // namespace baladiya::catalog
