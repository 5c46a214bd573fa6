#ifndef MARKETMAP_CLIBPQ_SHIM_H
#define MARKETMAP_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
