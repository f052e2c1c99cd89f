/*
 * Allocation wrappers. None of them returns NULL: on exhaustion they print
 * one line to stderr and exit(70). Free with free(); the *_free(T **)
 * functions elsewhere clear the caller's pointer.
 */
#ifndef YC_XALLOC_H
#define YC_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size) __attribute__((malloc, returns_nonnull));
void *xcalloc(size_t n, size_t size) __attribute__((malloc, returns_nonnull));
void *xrealloc(void *p, size_t size) __attribute__((returns_nonnull));
void *xreallocarray(void *p, size_t n, size_t size) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((malloc, returns_nonnull));
char *xstrndup(const char *s, size_t n) __attribute__((malloc, returns_nonnull));
char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), malloc, returns_nonnull));
char *xvasprintf(const char *fmt, va_list ap)
	__attribute__((format(printf, 1, 0), malloc, returns_nonnull));

/* Frees *p and sets it to NULL. */
#define XFREE(p) do { free(*(p)); *(p) = NULL; } while (0)

#endif
