#ifndef MARKETMAP_CPSL_SHIM_H
#define MARKETMAP_CPSL_SHIM_H
#include <libpsl.h>
#endif
