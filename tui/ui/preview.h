/* The preview of printed documents; see preview.c. */
#ifndef YC_PREVIEW_H
#define YC_PREVIEW_H

#include <stddef.h>

#include "ui/app.h"

/* Shows n rendered documents (taken over: the preview frees them), each
 * named by whats[i] (translated), and goes back to view back when left. */
void preview_open(struct app *app, char **docs, const char *const *whats, size_t n, enum app_view back);

#endif
