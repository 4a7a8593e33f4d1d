// libcurl's handles owned by std::unique_ptr, for interop's HTTP clients (the registry's and the
// peers').
#pragma once

#include <curl/curl.h>

namespace baladiya::interop::internal {

struct CurlFree {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistFree {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

}  // namespace baladiya::interop::internal
