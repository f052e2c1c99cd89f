/*
 * Reading a whole file: SQL scripts, the calendar, definitions, templates,
 * message catalogues.
 */
#ifndef YC_FILE_H
#define YC_FILE_H

#include <stddef.h>

/*
 * The contents of the regular file path, NUL-terminated (the NUL not
 * counted in *len, which may be NULL). NULL with errno set on failure:
 * EINVAL when path is not a regular file, EFBIG when it holds more than
 * max bytes, otherwise the error of open or read. Malloc'd.
 */
char *file_read(const char *path, size_t max, size_t *len);

#endif
