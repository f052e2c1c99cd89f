/*
 * Printed documents: a template print_templates/<name>.mustache (partials
 * from the same directory) rendered without HTML escaping against a value
 * tree, then laid out for the page: every line wrapped to the width in
 * display columns (80 for A4 pages, 40 for receipt printers).
 */
#ifndef YC_DOCUMENT_H
#define YC_DOCUMENT_H

#include "model/mustache.h"

/* The malloc'd document, or NULL with *err (malloc'd "file: what"). */
char *document_render(const char *dir, const char *name, const struct mu_value *data, int width,
    char **err);

#endif
