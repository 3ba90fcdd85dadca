/*
 * The notifications page (pages.c): /notifications lists the signed-in
 * person's notices in words, each linking to its post; POST
 * /notifications/{id}/read and /notifications/read mark one or all read.
 */
#ifndef PRAXIS_FEATURE_NOTIFY_PAGES_H
#define PRAXIS_FEATURE_NOTIFY_PAGES_H

#include "http/http.h"

extern const struct feature feature_notify_pages;

#endif
