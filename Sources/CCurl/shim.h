#ifndef MARKETMAP_CCURL_SHIM_H
#define MARKETMAP_CCURL_SHIM_H
#include <curl/curl.h>
#endif
