/* Operations: /healthz for load balancers and /metrics for Prometheus. */
#ifndef PRAXIS_FEATURE_OPS_H
#define PRAXIS_FEATURE_OPS_H

#include "http/http.h"

extern const struct feature feature_ops;

#endif
