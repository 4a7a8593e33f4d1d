// What store.cpp and nearby.cpp share: reading a row of open311_requests. Internal to open311.
#pragma once

#include <string_view>

#include "open311/open311.h"

namespace baladiya::open311::internal {

// The columns ReadRequest reads, in its order; a query may select more after them.
inline constexpr std::string_view kRequestColumns =
    "case_id, tracking, municipality_id, service_id, department_id, state, closed, requested_at, "
    "updated_at, expected_at, lat, lng, address, address_id, description, media_url, key_id";

Request ReadRequest(const db::Row& r);

}  // namespace baladiya::open311::internal
