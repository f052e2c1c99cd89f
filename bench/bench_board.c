/*
 * Benchmark: bytes the calling board writes to its terminal per update.
 *   bench_board [K [BIN]]   K calls (default 20); BIN the yichuang binary
 *                           (default: ../yichuang beside this program)
 * Starts `BIN board --office 360981` in an 80×24 pseudo-terminal read by
 * libvterm (tests/screen/vt.c), lets it settle, then K times issues a
 * ticket (`ticket issue`) and calls the next one at window 3 (`ticket
 * call --staff clerk2`, password Demo-1234 from YICHUANG_PASSWORD), and
 * counts the raw bytes the board wrote in reaction to each (until it has
 * been quiet for 300 ms). Uses the database the binary finds by itself
 * (--db is not passed: PGHOST…, or the private cluster of `make run`) with
 * the demo data; prints one "skipped" line when that is not available.
 * Prints "board: bytes per update after a call median X (min Y, max Z),
 * after an issue median … over K updates, 80x24".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "screen/vt.h"
#include "util/xalloc.h"

static const char *bench_bin;

/* Runs bench_bin with args, output discarded; returns the exit status. */
static int
bench_run(const char *const *args)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		const char *argv[16];
		int k = 0, null = open("/dev/null", O_RDWR);

		argv[k++] = bench_bin;
		for (int i = 0; args[i] != NULL && k < 15; i++)
			argv[k++] = args[i];
		argv[k] = NULL;
		if (null >= 0) {
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
		}
		setenv("YICHUANG_PASSWORD", "Demo-1234", 1);
		execv(bench_bin, (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Bytes the board writes until it has been quiet for 300 ms (waiting up
 * to 3 s for it to start). */
static size_t
bench_update(struct vt *vt, size_t before)
{
	for (int i = 0; i < 60 && vt_bytes_received(vt) == before; i++)
		vt_settle(vt, 50, 50);
	vt_settle(vt, 300, 3000);
	return vt_bytes_received(vt) - before;
}

static int
bench_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static void
bench_stats(size_t *v, long k, size_t out[3])
{
	qsort(v, (size_t)k, sizeof v[0], bench_cmp);
	out[0] = v[0];
	out[1] = k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
	out[2] = v[k - 1];
}

int
main(int argc, char **argv)
{
	static const char *const issue[] = { "ticket", "issue", "--office", "360981", NULL };
	static const char *const call[] = { "ticket", "call", "--office", "360981", "--window", "3",
	    "--staff", "clerk2", NULL };
	const char *board[] = { NULL, "board", "--office", "360981", NULL };
	const char *env[] = { "LANG=C.UTF-8", "LC_ALL=", NULL };
	long k = argc > 1 ? strtol(argv[1], NULL, 10) : 20;
	size_t *calls, *issues, sc[3], si[3];
	char *bin = NULL;
	struct vt *vt;

	if (k < 1 || k > 10000) {
		fprintf(stderr, "usage: %s [CALLS [YICHUANG]]\n", argv[0]);
		return 2;
	}
	if (argc > 2)
		bench_bin = argv[2];
	else {
		const char *slash = strrchr(argv[0], '/');

		bin = xasprintf("%.*s/../yichuang", slash != NULL ? (int)(slash - argv[0]) : 1,
		    slash != NULL ? argv[0] : ".");
		bench_bin = bin;
	}
	if (access(bench_bin, X_OK) != 0 || bench_run(issue) != 0) {
		printf("board: skipped (no database with the demo data for %s: run `make run` first)\n",
		    bench_bin);
		free(bin);
		return 0;
	}
	board[0] = bench_bin;
	vt = vt_spawn(board, env, 24, 80, NULL);
	if (vt == NULL || !vt_expect(vt, "叫号屏", 5000)) {
		fprintf(stderr, "bench_board: the board did not start\n");
		vt_free(&vt);
		free(bin);
		return 1;
	}
	vt_settle(vt, 500, 5000);
	calls = xcalloc((size_t)k, sizeof *calls);
	issues = xcalloc((size_t)k, sizeof *issues);
	for (long i = 0; i < k; i++) {
		size_t before = vt_bytes_received(vt);

		if (bench_run(issue) != 0) {
			fprintf(stderr, "bench_board: ticket issue failed\n");
			return 1;
		}
		issues[i] = bench_update(vt, before);
		before = vt_bytes_received(vt);
		if (bench_run(call) != 0) {
			fprintf(stderr, "bench_board: ticket call failed\n");
			return 1;
		}
		calls[i] = bench_update(vt, before);
	}
	bench_stats(calls, k, sc);
	bench_stats(issues, k, si);
	printf("board: bytes per update after a call median %zu (min %zu, max %zu), after an issue "
	    "median %zu (min %zu, max %zu), over %ld updates each, 80x24\n",
	    sc[1], sc[0], sc[2], si[1], si[0], si[2], k);
	vt_free(&vt);
	free(calls);
	free(issues);
	free(bin);
	return 0;
}
