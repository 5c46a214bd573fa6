#ifndef MARKETMAP_CCURL_SHIM_H
#define MARKETMAP_CCURL_SHIM_H
#include <curl/curl.h>

// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic,
// which Swift cannot call: one typed wrapper per argument kind.
typedef size_t (*mm_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode mm_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode mm_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode mm_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode mm_easy_setopt_callback(CURL *handle, CURLoption option, mm_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode mm_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLMcode mm_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}
static inline CURLcode mm_msg_result(CURLMsg *message) { return message->data.result; }
#endif
