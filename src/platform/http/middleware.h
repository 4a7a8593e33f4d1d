// Transport-level middleware that knows nothing of municipalities: request ids, security
// headers, gzip. The page language is render::Locale; sessions and CSRF are identity's.
#pragma once

#include <string>
#include <vector>

#include "platform/http/http.h"

namespace baladiya::http {

// Composes middleware around a final handler; the first in the list runs first.
Handler Chain(std::vector<Middleware> middleware, Handler last);

// Gives every request an id of the server's own (Request::request_id: what the audit log and
// error lines carry, so that a client cannot choose the id its actions are recorded under), sent
// back as X-Request-Id. A well-formed incoming X-Request-Id (up to 64 of [A-Za-z0-9-_.]) is kept
// beside it in Request::client_request_id, for the access log to join the two; anything else is
// dropped.
Middleware RequestId();

// Strict security headers on every response: a CSP with no inline script or style and
// frame-ancestors 'none', nosniff, Referrer-Policy, Permissions-Policy, COOP, and HSTS when
// hsts is set (served over TLS by the proxy in front). They are serialised once, into
// Response::fixed_headers. img_origin (a map's tile server, "https://tiles.example.ps") is added
// to img-src and nowhere else; empty adds nothing. It must be a plain origin (the caller checked
// it: render::CheckTileTemplate), never text from a request.
Middleware SecurityHeaders(bool hsts, std::string_view img_origin = {});

// The client's address behind reverse proxies: http::ClientAddress in client_address.h.

// Compresses text responses of at least min_bytes with gzip when the client accepts it, and
// adds Vary: Accept-Encoding. Leaves responses that already carry Content-Encoding alone.
Middleware Gzip(size_t min_bytes = 1024);

// gzip (RFC 1952) of data at the given zlib level (1 fast .. 9 small).
std::string GzipCompress(std::string_view data, int level = 6);
// True when the Accept-Encoding header allows gzip (q > 0).
bool AcceptsGzip(std::string_view accept_encoding);

}  // namespace baladiya::http
