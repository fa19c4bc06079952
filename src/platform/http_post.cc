#include "platform/http_post.h"

#include <curl/curl.h>

#include <mutex>

namespace govqm::platform {
namespace {

// The answer's body is not needed: read and dropped.
size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

HttpPostResult HttpPost(const HttpPostRequest& request) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpPostResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.error = "libcurl could not make a handle";
    return result;
  }
  curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("Content-Type: " + request.content_type).c_str());
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_ms));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  if (code != CURLE_OK) {
    result.timed_out = code == CURLE_OPERATION_TIMEDOUT;
    result.error = error[0] != 0 ? error : curl_easy_strerror(code);
  } else {
    result.status_code = static_cast<int>(status);
  }
  curl_easy_cleanup(curl);
  curl_slist_free_all(headers);
  return result;
}

}  // namespace govqm::platform
