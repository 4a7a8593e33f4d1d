// notify on the web: a signed-in person's in-app messages, and the SMS gateway's delivery
// receipts (POST /api/v1/notify/sms-receipts, authenticated with the gateway's bearer token).
#pragma once

#include <functional>
#include <string>

#include "identity/access.h"
#include "notify/notify.h"
#include "platform/http/http.h"
#include "platform/render/page.h"

namespace baladiya::notify {

struct WebOptions {
  Outbox* outbox = nullptr;
  const render::Site* site = nullptr;
  // The token the gateway sends ("Authorization: Bearer <token>"); empty: receipts answer 404.
  std::string sms_token;
  std::function<int64_t()> now_ms;
  std::function<http::Response(int, const http::Request&)> error_page;
  // A JSON error {"error":{"code","message"}} in the request's language.
  std::function<http::Response(int, std::string_view code, std::string_view message_key,
                               const http::Request&)>
      api_error;
};

// Where the SMS gateway posts its delivery receipts.
inline constexpr std::string_view kSmsReceiptsPath = "/api/v1/notify/sms-receipts";

void AddRoutes(identity::GuardedRoutes& routes, WebOptions options);

}  // namespace baladiya::notify
