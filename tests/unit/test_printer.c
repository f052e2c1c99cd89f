/*
 * Unit tests for util/printer: parsing channel names, the file channel
 * (appending, creating directories, failures), pass-through printing into
 * a pipe (the escape sequences, CRLF lines, the codeset conversion), and
 * lp: its argv, and a real fork/exec of a stand-in `lp` script put first
 * in PATH that records its arguments and standard input; the errors in
 * the language of the translator given to printer_open. Issue 19: no
 * control character or bidirectional override of a document reaches a
 * channel (ESC [ 4 i inside a name does not end a pass-through print);
 * print files and the directories made for them are private whatever
 * the umask; a document that cannot be written whole leaves the file as
 * it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/conv.h"
#include "util/printer.h"
#include "util/xalloc.h"

static char tmpdir[64];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/yc-printer.XXXXXX");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	int rc = system(cmd);

	(void)state;
	free(cmd);
	return rc == 0 ? 0 : -1;
}

/* The whole content of path (malloc'd), or NULL. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = xmalloc((size_t)n + 1);
	buf[fread(buf, 1, (size_t)n, fp)] = '\0';
	fclose(fp);
	return buf;
}

static void
test_parse(void **state)
{
	static const char *const bad[] = { "", "file:", "lp:", "lp:-oops", "printer", "LP", "pass", NULL };
	struct printer *p;
	char *why;

	(void)state;
	p = printer_open("file:/tmp/x.txt", NULL, &why);
	assert_non_null(p);
	assert_null(why);
	assert_int_equal(printer_kind(p), PRINTER_FILE);
	assert_string_equal(printer_spec(p), "file:/tmp/x.txt");
	assert_null(printer_lp_argv(p));
	printer_free(&p);
	assert_null(p);
	p = printer_open("passthrough", NULL, &why);
	assert_non_null(p);
	assert_int_equal(printer_kind(p), PRINTER_PASSTHROUGH);
	printer_free(&p);
	for (int i = 0; bad[i] != NULL; i++) {
		p = printer_open(bad[i], NULL, &why);
		assert_null(p);
		assert_non_null(why);
		assert_non_null(strstr(why, bad[i]));
		free(why);
	}
	printer_free(&p);
}

static void
test_lp_argv(void **state)
{
	struct printer *p;
	const char *const *argv;
	char *why;

	(void)state;
	p = printer_open("lp", NULL, &why);
	argv = printer_lp_argv(p);
	assert_string_equal(argv[0], "lp");
	assert_string_equal(argv[1], "-s");
	assert_null(argv[2]);
	printer_free(&p);
	/* A queue name is one argument, whatever it contains: no shell. */
	p = printer_open("lp:hall printer;rm -rf /", NULL, &why);
	argv = printer_lp_argv(p);
	assert_string_equal(argv[0], "lp");
	assert_string_equal(argv[1], "-s");
	assert_string_equal(argv[2], "-d");
	assert_string_equal(argv[3], "hall printer;rm -rf /");
	assert_null(argv[4]);
	printer_free(&p);
}

/* A stand-in for i18n_get: one message translated, the others as they are. */
static const char *
zh(const char *msgid)
{
	if (strcmp(msgid, "Cannot open %s: %s") == 0)
		return "无法打开 %s：%s";
	if (strcmp(msgid, "Unknown printer channel \"%s\": use file:PATH, lp, lp:QUEUE or passthrough.") == 0)
		return "未知的打印通道“%s”";
	return msgid;
}

/* The errors are in the language of the function given to printer_open,
 * English without one. */
static void
test_translated(void **state)
{
	char *plain = xasprintf("%s/plain", tmpdir), *spec = xasprintf("file:%s/below", plain), *why;
	FILE *fp = fopen(plain, "w");
	struct printer *p;

	(void)state;
	assert_non_null(fp);
	fclose(fp);
	assert_null(printer_open("printer", zh, &why));
	assert_string_equal(why, "未知的打印通道“printer”");
	free(why);
	/* plain is a file, not a directory: open fails. */
	p = printer_open(spec, zh, &why);
	assert_non_null(p);
	assert_int_equal(printer_print(p, "x\n", &why), -1);
	assert_non_null(why);
	assert_true(strncmp(why, "无法打开 ", strlen("无法打开 ")) == 0);
	free(why);
	printer_free(&p);
	p = printer_open(spec, NULL, &why);
	assert_int_equal(printer_print(p, "x\n", &why), -1);
	assert_true(strncmp(why, "Cannot open ", strlen("Cannot open ")) == 0);
	free(why);
	printer_free(&p);
	free(spec);
	free(plain);
}

/* Two slips appended to a file in a directory that does not exist yet. */
static void
test_file(void **state)
{
	char *path = xasprintf("%s/print/sub/kiosk.txt", tmpdir);
	char *spec = xasprintf("file:%s", path), *why, *got;
	struct printer *p = printer_open(spec, NULL, &why);

	(void)state;
	assert_non_null(p);
	assert_int_equal(printer_print(p, "丰城市医疗保障服务中心\nA023\n", &why), 0);
	assert_null(why);
	assert_int_equal(printer_print(p, "A024", &why), 0);
	got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, "丰城市医疗保障服务中心\nA023\nA024\n");
	free(got);
	printer_free(&p);
	free(spec);
	/* A path that cannot be written: an error, not a crash. */
	spec = xasprintf("file:%s/print/sub/kiosk.txt/below", tmpdir);
	p = printer_open(spec, NULL, &why);
	assert_int_equal(printer_print(p, "x\n", &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "kiosk.txt/below"));
	free(why);
	printer_free(&p);
	free(spec);
	free(path);
}

/* A GB18030 channel writes GB18030 (the Chinese printer's codeset) that
 * decodes back to the same text; an unknown encoding is refused. */
static void
test_file_gb18030(void **state)
{
	char *path = xasprintf("%s/print/gb.txt", tmpdir);
	char *spec = xasprintf("file:%s", path), *why, *got, *back;
	struct printer *p = printer_open(spec, NULL, &why);

	(void)state;
	assert_non_null(p);
	assert_false(printer_set_encoding(p, "NO-SUCH-CODESET"));
	assert_true(printer_set_encoding(p, "GB18030"));
	assert_int_equal(printer_print(p, "受理通知书 欧阳娜娜\n", &why), 0);
	got = slurp(path);
	assert_non_null(got);
	/* 受 is CA DC in GB18030, not the UTF-8 E5 8F 97. */
	assert_int_equal((unsigned char)got[0], 0xCA);
	assert_int_equal((unsigned char)got[1], 0xDC);
	back = conv_from("GB18030", got);
	assert_non_null(back);
	assert_string_equal(back, "受理通知书 欧阳娜娜\n");
	free(back);
	free(got);
	printer_free(&p);
	free(spec);
	free(path);
}

/* Pass-through into a pipe: CSI 5 i, the text with CRLF line ends, CSI 4 i.
 * The process runs in the C.UTF-8 locale set up by conv_init's default. */
static void
test_passthrough(void **state)
{
	struct printer *p;
	char buf[256], *why;
	int fds[2];
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	p = printer_open("passthrough", NULL, &why);
	printer_set_fd(p, fds[1]);
	assert_int_equal(printer_print(p, "号码 A023\n前面还有 2 人", &why), 0);
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "\033[5i号码 A023\r\n前面还有 2 人\r\n\033[4i");
	close(fds[0]);
	/* A closed reader: an error (EPIPE), and SIGPIPE does not kill us. */
	assert_int_equal(pipe(fds), 0);
	close(fds[0]);
	printer_set_fd(p, fds[1]);
	assert_int_equal(printer_print(p, "A023\n", &why), -1);
	assert_non_null(why);
	free(why);
	close(fds[1]);
	printer_free(&p);
}

/* A stand-in lp in PATH: the slip reaches it on standard input, with the
 * arguments printer_lp_argv announces. */
static void
test_lp_exec(void **state)
{
	char *bin = xasprintf("%s/bin", tmpdir), *script = xasprintf("%s/lp", bin);
	char *out = xasprintf("%s/lp-out", tmpdir), *path, *got, *why;
	const char *old = getenv("PATH");
	struct printer *p;
	FILE *fp;

	(void)state;
	assert_int_equal(mkdir(bin, 0755), 0);
	fp = fopen(script, "w");
	assert_non_null(fp);
	fprintf(fp, "#!/bin/sh\nprintf '%%s|' \"$@\" > '%s'\necho >> '%s'\ncat >> '%s'\n"
	    "echo 'request id is x-1 (1 file(s))'\n"
	    "[ \"$3\" = broken ] && exit 1\nexit 0\n", out, out, out);
	fclose(fp);
	assert_int_equal(chmod(script, 0755), 0);
	path = xasprintf("%s:%s", bin, old != NULL ? old : "/usr/bin:/bin");
	setenv("PATH", path, 1);

	p = printer_open("lp:hall-1", NULL, &why);
	assert_int_equal(printer_print(p, "A023\n请留意叫号屏\n", &why), 0);
	assert_null(why);
	got = slurp(out);
	assert_string_equal(got, "-s|-d|hall-1|\nA023\n请留意叫号屏\n");
	free(got);
	printer_free(&p);

	p = printer_open("lp:broken", NULL, &why);
	assert_int_equal(printer_print(p, "A023\n", &why), -1);
	assert_non_null(why);
	free(why);
	printer_free(&p);

	/* No lp at all. */
	setenv("PATH", tmpdir, 1);
	p = printer_open("lp", NULL, &why);
	assert_int_equal(printer_print(p, "A023\n", &why), -1);
	assert_non_null(why);
	assert_non_null(strstr(why, "cups-client"));
	free(why);
	printer_free(&p);

	if (old != NULL)
		setenv("PATH", old, 1);
	free(path);
	free(out);
	free(script);
	free(bin);
}


/* A name holding ESC [ 4 i (the end of a pass-through print), ESC [ 2 J
 * (clear the screen), a C1 CSI and a right-to-left override, as a record
 * from before the database refused them may: the terminal gets exactly
 * the two escapes of the pass-through frame and the visible text. */
static void
test_passthrough_controls(void **state)
{
	static const char doc[] = "姓名：张三\033[4i泄露\033[2J\302\23331m\342\200\256cba\t号\r\n";
	struct printer *p;
	char buf[512], *why, *path, *spec, *got;
	int fds[2], esc = 0;
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	p = printer_open("passthrough", NULL, &why);
	printer_set_fd(p, fds[1]);
	assert_int_equal(printer_print(p, doc, &why), 0);
	close(fds[1]);
	n = read(fds[0], buf, sizeof buf - 1);
	close(fds[0]);
	printer_free(&p);
	assert_true(n > 0);
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		esc += buf[i] == '\033';
	assert_int_equal(esc, 2);
	assert_string_equal(buf, "\033[5i姓名：张三[4i泄露[2J31mcba 号\r\n\033[4i");
	/* a file (and so lp) likewise */
	path = xasprintf("%s/controls.txt", tmpdir);
	spec = xasprintf("file:%s", path);
	p = printer_open(spec, NULL, &why);
	assert_int_equal(printer_print(p, doc, &why), 0);
	printer_free(&p);
	got = slurp(path);
	assert_non_null(got);
	assert_string_equal(got, "姓名：张三[4i泄露[2J31mcba 号\n");
	free(got);
	free(spec);
	free(path);
}

static mode_t
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mode & 07777;
}

/* With umask 0 the directories made for a print file are 0700 and the
 * file 0600; a file an older version left 0644 is made 0600 at the next
 * document; the default spool directory is made 0700 (also when an older
 * version made it 0755). */
static void
test_file_private(void **state)
{
	char *dir = xasprintf("%s/private", tmpdir), *path = xasprintf("%s/a/b/slip.txt", dir);
	char *spec = xasprintf("file:%s", path), *sub = xasprintf("%s/a", dir), *why, *got;
	char *old = xasprintf("%s/old.txt", dir), *ospec = xasprintf("file:%s", old);
	char *var = xasprintf("%s/var", tmpdir), *spool = xasprintf("%s/print", var);
	mode_t saved = umask(0);
	struct printer *p;
	FILE *fp;

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	p = printer_open(spec, NULL, &why);
	assert_int_equal(printer_print(p, "张三 13800000000\n", &why), 0);
	printer_free(&p);
	assert_int_equal(mode_of(sub), 0700);
	*strrchr(path, '/') = '\0';
	assert_int_equal(mode_of(path), 0700);
	*strchr(path, '\0') = '/';
	assert_int_equal(mode_of(path), 0600);
	/* the directory that was there is not touched */
	assert_int_equal(mode_of(dir), 0755);
	fp = fopen(old, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(chmod(old, 0644), 0);
	p = printer_open(ospec, NULL, &why);
	assert_int_equal(printer_print(p, "李四\n", &why), 0);
	printer_free(&p);
	assert_int_equal(mode_of(old), 0600);
	/* the default spool directory */
	got = printer_spool(var, "360981-3.txt");
	why = xasprintf("file:%s/360981-3.txt", spool);
	assert_string_equal(got, why);
	free(why);
	assert_int_equal(mode_of(spool), 0700);
	free(got);
	assert_int_equal(chmod(spool, 0755), 0);
	got = printer_spool(var, "kiosk-360981.txt");
	assert_int_equal(mode_of(spool), 0700);
	free(got);
	umask(saved);
	free(spool);
	free(var);
	free(ospec);
	free(old);
	free(sub);
	free(spec);
	free(path);
	free(dir);
}

/* A document that cannot be written whole (here: a file size limit, as a
 * full disk would) is an error and leaves the file as it was, with the
 * documents before it. */
static void
test_file_whole_or_nothing(void **state)
{
	char *path = xasprintf("%s/whole.txt", tmpdir), *spec = xasprintf("file:%s", path), *why, *got;
	char big[4096];
	struct rlimit saved, lim;
	struct printer *p = printer_open(spec, NULL, &why);

	(void)state;
	assert_int_equal(printer_print(p, "第一份 A001\n", &why), 0);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	lim = saved;
	lim.rlim_cur = 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	assert_int_equal(printer_print(p, big, &why), -1);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	assert_non_null(why);
	assert_non_null(strstr(why, "whole.txt"));
	free(why);
	got = slurp(path);
	assert_string_equal(got, "第一份 A001\n");
	free(got);
	/* and the next document goes in after it */
	assert_int_equal(printer_print(p, "第二份 A002", &why), 0);
	got = slurp(path);
	assert_string_equal(got, "第一份 A001\n第二份 A002\n");
	free(got);
	printer_free(&p);
	free(spec);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_lp_argv),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_translated),
		cmocka_unit_test(test_file_gb18030),
		cmocka_unit_test(test_passthrough),
		cmocka_unit_test(test_lp_exec),
		cmocka_unit_test(test_passthrough_controls),
		cmocka_unit_test(test_file_private),
		cmocka_unit_test(test_file_whole_or_nothing),
	};

	return cmocka_run_group_tests_name("printer", tests, setup, teardown);
}
