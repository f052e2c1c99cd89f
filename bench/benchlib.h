/*
 * What the benchmarks on a year of history share: the clock, sorting the
 * figures, the superuser connection with the history written
 * (bench/history.sql, YC_BENCH_SCALE), one-number queries, and the check
 * that the plans read the history by index only. Every message starts with
 * the name given to bench_open.
 */
#ifndef YC_BENCH_BENCHLIB_H
#define YC_BENCH_BENCHLIB_H

#include <stddef.h>

#include <libpq-fe.h>

struct db;

/* A monotonic clock in milliseconds. */
double bench_now_ms(void);
/* Sorts n figures in ascending order (median ms[n / 2]). */
void bench_sort(double *ms, int n);

/* The superuser connection named by the libpq environment, with the year
 * of history written unless the cluster has it already (run from the
 * source tree: reads bench/history.sql). NULL after saying why, and
 * *exit_status what main then returns: 0 when the environment names no
 * database (skipped), 1 on a failure. name prefixes every message. */
struct db *bench_open(const char *name, int *exit_status);
/* The number a one-row query on db returns; -1 after saying why. */
long long bench_query_ll(struct db *db, const char *sql);

/* A new superuser connection that collects the plans of every statement
 * it runs, nested ones included (auto_explain). */
PGconn *bench_plans_open(void);
/* After the statements ran on c: says whether a plan reads one of the n
 * tables sequentially (or that no plans came), prints the plans when
 * YC_BENCH_PLANS is set, and closes c. */
void bench_plans_report(PGconn *c, const char *const *tables, size_t n);

#endif
