/*
 * What a terminal sends can never throw an intake away, and a draft is
 * never silently lost (issue 19, points 1, 5 and 8):
 *   - escape sequences are read whole: an unknown one (ESC [ 2 J) is
 *     dropped with a message, Insert does nothing and F6 is F6 under
 *     TERM=vt100; a digit that arrives with other input (in one read, or
 *     in a bracketed paste) never chooses a menu item; discarding asks
 *     first;
 *   - a megabyte pasted into a field: the field keeps what it can take,
 *     the next key is answered, and the draft file is written a handful
 *     of times (counted with inotify), not once per key;
 *   - with the drafts folder unwritable and the database gone, 暂存 says
 *     the draft is not saved and stays; the draft reaches the database as
 *     soon as the connection is back, and survives a killed client.
 *
 * The clerk is gaoan1 (高安, window 2) with case type 002036007001
 * 产前检查费支付; every test leaves no draft behind.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"
#include "util/file.h"

#define STAFF "gaoan1"

/* $YICHUANG_VAR/drafts (the throwaway cluster's directory). */
static void
drafts_dir(char out[512])
{
	const char *var = getenv("YICHUANG_VAR");

	assert_non_null(var);
	snprintf(out, 512, "%s/drafts", var);
}

/* No draft of the clerk, here or in the database. */
static void
no_draft(void)
{
	char dir[512], path[600];

	drafts_dir(dir);
	snprintf(path, sizeof path, "%s/%s.draft", dir, STAFF);
	unlink(path);
	ws_sql_long("DELETE FROM yc.intake_draft WHERE staff_no = '" STAFF "'", 0, NULL);
}

/* The clerk's draft in the database ("" when none; malloc'd). */
static char *
db_draft(void)
{
	return ws_sql_text("SELECT body FROM yc.intake_draft WHERE staff_no = '" STAFF "'", 0, NULL);
}

/* Waits until the database's draft contains text. */
static bool
db_draft_has(struct vt *vt, const char *text, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 200) {
		char *body = db_draft();
		bool has = strstr(body, text) != NULL;

		free(body);
		if (has)
			return true;
		vt_settle(vt, 100, 200);
	}
	fprintf(stderr, "the database's draft never held %s\n", text);
	return false;
}

static struct vt *
start(const char *const *env, const char *const *args)
{
	struct vt *vt = ws_start(24, 80, env, args, NULL);

	ws_login(vt, STAFF, "Demo-1234", "2");
	assert_true(vt_expect(vt, "您好", WS_WAIT));
	return vt;
}

/* F5 (or Esc 5), the type by its initials, F2 (Esc 2). */
static void
open_intake(struct vt *vt, bool esc_digits)
{
	if (esc_digits)
		vt_send(vt, "\0335");
	else
		vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cqjcf");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	if (esc_digits)
		vt_send(vt, "\0332");
	else
		vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
}

/* The leave menu is open: discard, confirm, back at the workbench. */
static void
discard(struct vt *vt)
{
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃本次受理", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "本次受理已放弃", WS_WAIT));
}

/* Still in the intake, nothing discarded, no menu open. */
static void
still_filling_in(struct vt *vt)
{
	vt_settle(vt, 300, 3000);
	assert_true(vt_find(vt, "受理：产前检查费支付", NULL, NULL));
	assert_false(vt_find(vt, "已放弃", NULL, NULL));
	assert_false(vt_find(vt, "已暂存", NULL, NULL));
	assert_false(vt_find(vt, "离开受理界面", NULL, NULL));
}

static void
test_escape_sequences_never_discard(void **state)
{
	const char *vt100[] = { "TERM=vt100", NULL };
	struct vt *vt;
	char *body;

	(void)state;
	no_draft();
	vt = start(NULL, NULL);
	open_intake(vt, false);

	/* the probe's reproduction: a clear-screen sequence inside typing */
	vt_send(vt, "ABC\033[2JDEF");
	assert_true(vt_expect(vt, "ABCDEF", WS_WAIT));
	assert_true(vt_expect(vt, "终端发来无法识别的按键序列，已忽略", WS_WAIT));
	still_filling_in(vt);
	ws_tabs(vt, 1);				/* a move: the database's copy */
	assert_true(db_draft_has(vt, "id=ABCDEF\n", WS_WAIT));

	/* F10 and a digit in one read: the menu opens, the digit chooses nothing */
	vt_key(vt, VT_KEY_BTAB);
	vt_send(vt, "\033[21~2");
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	assert_true(vt_expect(vt, "粘贴或连续到达的按键不作选择", WS_WAIT));
	vt_settle(vt, 300, 3000);
	assert_false(vt_find(vt, "确定放弃", NULL, NULL));
	assert_false(vt_find(vt, "已放弃", NULL, NULL));
	/* typed on its own it does, and discarding asks first: no */
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃本次受理", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect_gone(vt, "确定放弃本次受理", WS_WAIT));
	assert_true(vt_expect(vt, "ABCDEF", WS_WAIT));

	/* Esc alone opens the menu; a pasted digit chooses nothing */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	vt_send(vt, "\033[200~2\033[201~");
	vt_settle(vt, 300, 3000);
	assert_true(vt_find(vt, "离开受理界面", NULL, NULL));
	assert_false(vt_find(vt, "确定放弃", NULL, NULL));
	vt_key(vt, VT_KEY_ESC);			/* Esc: go on filling in */
	assert_true(vt_expect_gone(vt, "离开受理界面", WS_WAIT));
	still_filling_in(vt);
	body = db_draft();
	assert_non_null(strstr(body, "id=ABCDEF\n"));
	free(body);
	vt_key(vt, VT_KEY_F10);
	discard(vt);
	ws_sign_out(&vt);

	/* a vt100 terminfo does not know Insert nor F6 of an xterm-like terminal */
	vt = start(vt100, NULL);
	open_intake(vt, true);
	vt_send(vt, "XY");
	assert_true(vt_expect(vt, "XY", WS_WAIT));
	vt_send(vt, "\033[2~");			/* Insert: nothing */
	still_filling_in(vt);
	vt_send(vt, "Z");
	assert_true(vt_expect(vt, "XYZ", WS_WAIT));
	vt_send(vt, "\033[17~");		/* F6: the outcome, here refused for the ID */
	assert_true(vt_expect(vt, "申请人: ", WS_WAIT));
	still_filling_in(vt);
	vt_send(vt, "\0330");			/* Esc 0 = F10 */
	discard(vt);
	vt_send(vt, "\0330");
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	vt_free(&vt);
	body = db_draft();
	assert_string_equal(body, "");
	free(body);
}

/* How many times the drafts folder got STAFF.draft renamed into it since
 * the last call; a queue overflow counts as a great many. The watch takes
 * the renames away from the temporary file as well: the kernel merges an
 * event with the one queued before it when they are alike, and these
 * alternate. */
static long
renames(int fd)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	long n = 0;
	ssize_t len;

	while ((len = read(fd, buf, sizeof buf)) > 0)
		for (char *p = buf; p < buf + len;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (ev->mask & IN_Q_OVERFLOW)
				n += 100000;
			else if ((ev->mask & IN_MOVED_TO) && ev->len > 0 && strcmp(ev->name, STAFF ".draft") == 0)
				n++;
			p += sizeof *ev + ev->len;
		}
	return n;
}

static void
test_large_paste(void **state)
{
	char dir[512], path[600], *paste, *text, want[64];
	size_t size = 1 << 20, len;
	struct vt *vt;
	long n;
	int fd;

	(void)state;
	no_draft();
	drafts_dir(dir);
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/%s.draft", dir, STAFF);
	vt = start(NULL, NULL);
	open_intake(vt, false);
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	assert_true(fd >= 0);
	assert_true(inotify_add_watch(fd, dir, IN_MOVED_FROM | IN_MOVED_TO) >= 0);

	/* a megabyte into the ID number, a field of 22 characters */
	paste = malloc(size + 1);
	assert_non_null(paste);
	memset(paste, 'A', size);
	paste[size] = '\0';
	vt_send(vt, paste);
	free(paste);
	/* the screen is answering: the next key opens the help at once */
	vt_key(vt, VT_KEY_F1);
	assert_true(vt_expect(vt, "本帮助", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect_gone(vt, "本帮助", WS_WAIT));
	memset(want, 'A', 22);
	want[22] = '\0';
	assert_true(vt_expect(vt, want, WS_WAIT));
	strcat(want, "A");
	assert_false(vt_find(vt, want, NULL, NULL));
	/* the field holds what it can take, and the draft was written a few
	 * times, not once per key */
	text = file_read(path, 65536, &len);
	assert_non_null(text);
	want[22] = '\0';
	assert_non_null(strstr(text, want));
	strcat(want, "A");
	assert_null(strstr(text, want));
	free(text);
	n = renames(fd);
	fprintf(stderr, "draft written %ld times for a paste of %zu bytes\n", n, size);
	assert_true(n >= 1);
	assert_true(n <= 3);
	close(fd);

	vt_key(vt, VT_KEY_F10);
	discard(vt);
	ws_sign_out(&vt);
}

/* The cluster's socket (".s.PGSQL.PORT") in dir: its name into out. */
static void
socket_name(const char *dir, char out[64])
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	out[0] = '\0';
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, ".s.PGSQL.", 9) == 0 && strstr(e->d_name, ".lock") == NULL &&
		    strlen(e->d_name) < 64)
			memcpy(out, e->d_name, strlen(e->d_name) + 1);
	closedir(d);
	assert_true(out[0] != '\0');
}

/*
 * The workstation's own socket directory holds a link to the cluster's
 * socket: removing it (and ending the workstation's backend, found by
 * its application_name) takes the database away from this workstation
 * only, and putting it back lets it reconnect. Its $YICHUANG_VAR has
 * "drafts" as a plain file, so nothing can be written under it, even as
 * root (who ignores a chmod); as another user the directory is 0500.
 */
static void
test_double_fault(void **state)
{
	char var[] = "/tmp/yc-input-var.XXXXXX", sock[] = "/tmp/yc-input-sock.XXXXXX";
	char drafts[64], link_path[160], target[600], sname[64], conninfo[400], envvar[96], id[19];
	const char *env[] = { envvar, NULL };
	const char *args[] = { "--db", conninfo, NULL };
	const char *realsock = getenv("YC_TEST_SOCKET_DIR");
	struct vt *vt;

	(void)state;
	assert_non_null(realsock);
	no_draft();
	assert_non_null(mkdtemp(var));
	assert_non_null(mkdtemp(sock));
	snprintf(drafts, sizeof drafts, "%s/drafts", var);
	if (geteuid() == 0) {
		FILE *fp = fopen(drafts, "w");

		assert_non_null(fp);
		fclose(fp);
	} else {
		assert_int_equal(mkdir(drafts, 0500), 0);
	}
	socket_name(realsock, sname);
	snprintf(target, sizeof target, "%s/%s", realsock, sname);
	snprintf(link_path, sizeof link_path, "%s/%s", sock, sname);
	assert_int_equal(symlink(target, link_path), 0);
	snprintf(conninfo, sizeof conninfo, "host=%s port=%s dbname=yichuang user=yichuang_app "
	    "application_name=yc_double_fault", sock, sname + 9);
	snprintf(envvar, sizeof envvar, "YICHUANG_VAR=%s", var);
	ws_idno("36098319900101456", id);

	vt = start(env, args);
	open_intake(vt, false);
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, "双故障");
	ws_tabs(vt, 1);
	vt_key(vt, VT_KEY_BTAB);		/* back to the name: the database has it */
	vt_settle(vt, 300, 2000);
	assert_false(vt_find(vt, "草稿未能保存", NULL, NULL));
	assert_true(db_draft_has(vt, "name=双故障\n", WS_WAIT));

	/* the database goes away too */
	assert_int_equal(unlink(link_path), 0);
	assert_true(ws_sql_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE application_name = 'yc_double_fault'", 0, NULL) >= 1);
	assert_true(vt_expect(vt, "数据库连接中断", WS_WAIT));
	vt_send(vt, "乙");
	assert_true(vt_expect(vt, "草稿未能保存：本机草稿目录无法写入，数据库也未连接", WS_WAIT));
	assert_true(vt_expect(vt, "草稿未保存：本机和数据库都无法保存", WS_WAIT));
	/* 暂存 cannot keep it: said so, and the intake stays on screen */
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect_gone(vt, "离开受理界面", WS_WAIT));
	assert_true(vt_expect(vt, "草稿未能保存", WS_WAIT));
	vt_settle(vt, 300, 2000);
	assert_false(vt_find(vt, "已暂存", NULL, NULL));
	assert_true(vt_find(vt, "双故障乙", NULL, NULL));

	/* the connection is back: the draft goes to the database by itself */
	assert_int_equal(symlink(target, link_path), 0);
	assert_true(db_draft_has(vt, "name=双故障乙\n", 30000));
	assert_true(vt_expect(vt, "草稿已重新保存", WS_WAIT));
	vt_kill(vt, SIGKILL);
	vt_free(&vt);

	/* and a killed client loses nothing: offered at the next sign-in,
	 * where discarding it asks first */
	vt = start(NULL, NULL);
	assert_true(vt_expect(vt, "未完成的受理", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃已暂存的受理", WS_WAIT));
	vt_send(vt, "1");			/* no, keep it */
	assert_true(vt_expect_gone(vt, "确定放弃已暂存的受理", WS_WAIT));
	assert_true(db_draft_has(vt, "name=双故障乙\n", WS_WAIT));
	ws_sign_out(&vt);
	vt = start(NULL, NULL);
	assert_true(vt_expect(vt, "未完成的受理", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	assert_true(vt_expect(vt, "双故障乙", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	discard(vt);
	ws_sign_out(&vt);

	unlink(link_path);
	rmdir(sock);
	chmod(drafts, 0700);
	if (unlink(drafts) != 0)
		rmdir(drafts);
	rmdir(var);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_sequences_never_discard),
		cmocka_unit_test(test_large_paste),
		cmocka_unit_test(test_double_fault),
	};

	return cmocka_run_group_tests_name("screen: terminal input and drafts", tests, NULL, NULL);
}
