/*
 * Benchmark: load and validate the whole catalogue directory, schema
 * included, K times (cat_schema_free between runs so each run parses the
 * RELAX NG schema too).
 *   bench_catalogue [K [DIR]]     K default 50, DIR default forms
 * Prints "catalogue: N definitions, load+validate median X ms (min Y,
 * max Z) over K runs". Exits 1 when a load reports diagnostics (printed),
 * so a broken catalogue is not timed as if it were fine. Goal: < 20 ms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>

#include "model/catalogue.h"
#include "util/xalloc.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	long k = argc > 1 ? strtol(argv[1], NULL, 10) : 50;
	const char *dir = argc > 2 ? argv[2] : "forms";
	double *ms, median;
	size_t ndefs = 0;
	long i;
	int rc = 0;

	if (k < 1 || k > 1000000) {
		fprintf(stderr, "usage: %s [RUNS [DIR]]\n", argv[0]);
		return 2;
	}
	ms = xcalloc((size_t)k, sizeof *ms);
	for (i = 0; i < k; i++) {
		struct cat_diags ds = { 0 };
		struct catalogue *cat;
		double t0 = now_ms();

		cat = cat_load_dir(dir, &ds);
		ms[i] = now_ms() - t0;
		ndefs = cat->n;
		if (ds.n > 0 && rc == 0) {
			for (size_t j = 0; j < ds.n; j++)
				fprintf(stderr, "%s:%d: %s\n", ds.d[j].file, ds.d[j].line,
					ds.d[j].message);
			rc = 1;
		}
		cat_free(&cat);
		cat_diags_free(&ds);
		cat_schema_free();
	}
	qsort(ms, (size_t)k, sizeof *ms, cmp_double);
	median = k % 2 ? ms[k / 2] : (ms[k / 2 - 1] + ms[k / 2]) / 2;
	printf("catalogue: %zu definitions, load+validate median %.1f ms (min %.1f, max %.1f) over %ld runs\n",
	       ndefs, median, ms[0], ms[k - 1], k);
	free(ms);
	xmlCleanupParser();
	return rc;
}
