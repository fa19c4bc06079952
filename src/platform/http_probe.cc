#include "platform/http_probe.h"

#include <curl/curl.h>

#include <ctime>
#include <mutex>

namespace govqm::platform {
namespace {

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const size_t bytes = size * n;
  if (body->size() < kMaxBody) body->append(data, std::min(bytes, kMaxBody - body->size()));
  return bytes;
}

// OpenSSL's certinfo dates: "Jan  5 12:00:00 2027 GMT".
std::optional<int64_t> ParseCertDate(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%b %d %H:%M:%S %Y GMT", &tm);
  if (end == nullptr) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

// The leaf certificate's "Expire date" (certinfo's first certificate is the server's).
std::optional<int64_t> LeafNotAfter(CURL* curl) {
  curl_certinfo* info = nullptr;
  if (curl_easy_getinfo(curl, CURLINFO_CERTINFO, &info) != CURLE_OK || info == nullptr ||
      info->num_of_certs < 1) {
    return std::nullopt;
  }
  for (curl_slist* s = info->certinfo[0]; s != nullptr; s = s->next) {
    const std::string line = s->data;
    constexpr std::string_view kKey = "Expire date:";
    if (line.starts_with(kKey)) return ParseCertDate(line.substr(kKey.size()));
  }
  return std::nullopt;
}

HttpCheckResult::Failure FailureOf(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return HttpCheckResult::Failure::kTimeout;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
      return HttpCheckResult::Failure::kTls;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return HttpCheckResult::Failure::kConnect;
    default:
      return HttpCheckResult::Failure::kOther;
  }
}

}  // namespace

HttpCheckResult HttpCheck(const HttpCheckRequest& request) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  HttpCheckResult result;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    result.failure = HttpCheckResult::Failure::kOther;
    result.error = "libcurl could not make a handle";
    return result;
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
  curl_easy_setopt(curl, CURLOPT_CERTINFO, 1L);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  const CURLcode code = curl_easy_perform(curl);
  double total_s = 0;
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &total_s);
  result.latency_ms = total_s * 1000;
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  result.status_code = static_cast<int>(status);
  if (code != CURLE_OK) {
    result.failure = FailureOf(code);
    result.error = error[0] != 0 ? error : curl_easy_strerror(code);
  } else if (request.url.starts_with("https:")) {
    result.cert_not_after_ms = LeafNotAfter(curl);
  }
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace govqm::platform
