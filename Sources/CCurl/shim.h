// libcurl's easy interface for Swift: curl_easy_setopt and curl_easy_getinfo
// are variadic, which Swift cannot call, so each argument type gets a typed
// wrapper.
#include <curl/curl.h>

typedef size_t (*retort_curl_data_fn)(char *, size_t, size_t, void *);
typedef int (*retort_curl_xferinfo_fn)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

static inline CURLcode retort_curl_set_long(CURL *c, CURLoption o, long v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode retort_curl_set_pointer(CURL *c, CURLoption o, const void *v) { return curl_easy_setopt(c, o, v); }
static inline CURLcode retort_curl_set_data_fn(CURL *c, CURLoption o, retort_curl_data_fn f) { return curl_easy_setopt(c, o, f); }
static inline CURLcode retort_curl_set_xferinfo_fn(CURL *c, retort_curl_xferinfo_fn f) {
  return curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, f);
}
static inline CURLcode retort_curl_get_long(CURL *c, CURLINFO i, long *v) { return curl_easy_getinfo(c, i, v); }
