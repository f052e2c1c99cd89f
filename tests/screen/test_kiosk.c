/*
 * The ticket kiosk through a real terminal: a normal ticket in large type
 * and on the slip, ID numbers of a senior (priority, B) and a younger
 * person (normal, A) that never appear whole on screen, a bad ID number
 * and an unknown appointment code refused in Chinese without a ticket,
 * keys that do not end the kiosk, and a lost database connection that
 * pauses it until it reconnects by itself.
 *
 * Messages the kiosk takes from other modules (validators, queue) are
 * looked up in the binary's own catalogue, so the test follows their
 * wording but still requires them to be Chinese.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/bigfont.h"
#include "model/calendar.h"
#include "model/i18n.h"
#include "model/text.h"
#include "model/validate.h"
#include "screen/ws.h"
#include "store/auth.h"
#include "store/queue.h"
#include "util/xalloc.h"

static char slip_path[96];
static char slip_arg[112];

/* ---- helpers ------------------------------------------------------------ */

/* Whether text is on screen in large type of any size and ink. */
static bool
screen_has_big(struct vt *vt, const char *text)
{
	for (int i = 0; i < 2 * (BF_NSIZES - BF_HALF); i++) {
		int sz = BF_HALF + i / 2;
		struct bigfont b;
		bool found = false;

		/* Block characters (UTF-8 terminals) or '#' (others). */
		if (!bigfont_render(text, (enum bigfont_size)sz, i % 2 ? BF_INK_ASCII : BF_INK_HALF, &b)) {
			bigfont_free(&b);
			continue;
		}
		for (int r = 0; !found && r + b.rows <= vt_rows(vt); r++)
			for (int c = 0; !found && c + b.width <= vt_cols(vt); c++)
				found = ws_big_at(vt, &b, r, c);
		bigfont_free(&b);
		if (found)
			return true;
	}
	return false;
}

/* The translated text is Chinese (has a character outside ASCII). */
static bool
is_chinese(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* The ticket numbers on the slips printed so far, in order; returns how
 * many (at most max). */
static int
slip_numbers(char numbers[][8], int max)
{
	FILE *fp = fopen(slip_path, "r");
	char line[256];
	const char *label = _("Number: %s");
	size_t ll = strcspn(label, "%");
	int n = 0;

	if (fp == NULL)
		return 0;
	while (n < max && fgets(line, sizeof line, fp) != NULL)
		if (strncmp(line, label, ll) == 0) {
			snprintf(numbers[n], 8, "%.*s", (int)strcspn(line + ll, "\r\n"), line + ll);
			n++;
		}
	fclose(fp);
	return n;
}

static struct vt *
start_kiosk(void)
{
	const char *args[] = { "kiosk", "--office", "360981", "--printer", slip_arg,
	    "--result-seconds", "60", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	assert_true(vt_expect(vt, _("Normal ticket"), WS_WAIT));
	return vt;
}

/* From the new-ticket screen back to the start screen: keys are ignored
 * for a moment (no double tickets), then any key returns. */
static void
back_to_start(struct vt *vt)
{
	assert_true(vt_expect(vt, _("Press any key to return"), WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
}

/* Takes a ticket with an ID number; returns its number (from the slip). */
static void
ticket_with_id(struct vt *vt, const char *id, char number[8])
{
	char nums[64][8];
	char *masked = val_mask_idno(id);
	int before = slip_numbers(nums, 64), after;

	vt_send(vt, "3");
	assert_true(vt_expect(vt, _("Swipe your ID card or type the ID number"), WS_WAIT));
	vt_send(vt, id);
	/* While typed, only the first six characters show. */
	assert_true(vt_expect(vt, "360981************", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, _("Your number"), WS_WAIT));
	assert_true(vt_expect(vt, masked, WS_WAIT));
	assert_false(vt_find(vt, id, NULL, NULL));
	assert_false(vt_find(vt, id + 4, NULL, NULL));
	after = slip_numbers(nums, 64);
	assert_int_equal(after, before + 1);
	snprintf(number, 8, "%s", nums[after - 1]);
	assert_true(screen_has_big(vt, number));
	free(masked);
}

static int
setup(void **state)
{
	char *mo;

	(void)state;
	snprintf(slip_path, sizeof slip_path, "/tmp/yc-kiosk-test.%ld/slips.txt", (long)getpid());
	snprintf(slip_arg, sizeof slip_arg, "file:%s", slip_path);
	/* The catalogue the binary uses: build/locale beside build/yichuang. */
	mo = xasprintf("%.*s/locale/zh_CN/LC_MESSAGES/yichuang.mo",
	    (int)(strrchr(getenv("YC_TEST_BIN"), '/') - getenv("YC_TEST_BIN")), getenv("YC_TEST_BIN"));
	if (i18n_load(mo) != 0) {
		fprintf(stderr, "cannot load %s\n", mo);
		free(mo);
		return -1;
	}
	free(mo);
	return 0;
}

static int
teardown(void **state)
{
	char *dir = xstrndup(slip_path, (size_t)(strrchr(slip_path, '/') - slip_path));

	(void)state;
	ws_drain_office();
	unlink(slip_path);
	rmdir(dir);
	free(dir);
	return 0;
}

/* ---- tests -------------------------------------------------------------- */

/* 1: a normal ticket, in large type with the people ahead; the slip
 * carries the same number and the fixed last line. */
static void
test_normal_ticket(void **state)
{
	struct vt *vt = start_kiosk();
	char nums[64][8];
	char *ahead = xstrndup(_("%d ahead of you"), strcspn(_("%d ahead of you"), "%"));
	int n;

	(void)state;
	assert_true(vt_expect(vt, "丰城市医疗保障服务中心", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, _("Your number"), WS_WAIT));
	assert_true(vt_expect(vt, "前面还有", WS_WAIT));
	n = slip_numbers(nums, 64);
	assert_true(n >= 1);
	assert_int_equal(nums[n - 1][0], 'A');
	assert_int_equal(strlen(nums[n - 1]), 4);
	assert_true(screen_has_big(vt, nums[n - 1]));
	{
		FILE *fp = fopen(slip_path, "r");
		char buf[4096];
		size_t len = fread(buf, 1, sizeof buf - 1, fp);

		fclose(fp);
		buf[len] = '\0';
		assert_non_null(strstr(buf, "丰城市医疗保障服务中心"));
		assert_non_null(strstr(buf, "请留意叫号屏"));
		assert_non_null(strstr(buf, ahead));
		assert_non_null(strstr(buf, queue_class_name(QC_NORMAL)));
	}
	back_to_start(vt);
	free(ahead);
	vt_free(&vt);
}

/* 3 with ID numbers: born 1950 → priority (B), born 1990 → normal (A);
 * a wrong check character → the validator's Chinese message and no
 * ticket; every number differs. */
static void
test_id_tickets(void **state)
{
	struct vt *vt = start_kiosk();
	char senior[19], junior[19], bad[19], b[8], a[8], nums[64][8];
	struct val_result vr;
	struct tm tm;
	time_t now = time(NULL);
	int before;

	(void)state;
	ws_idno("36098119500101002", senior);
	ws_idno("36098119900615003", junior);
	memcpy(bad, junior, sizeof bad);
	bad[17] = bad[17] == '0' ? '1' : '0';
	ticket_with_id(vt, senior, b);
	assert_int_equal(b[0], 'B');
	back_to_start(vt);
	ticket_with_id(vt, junior, a);
	assert_int_equal(a[0], 'A');
	assert_string_not_equal(a, b);
	back_to_start(vt);

	localtime_r(&now, &tm);
	assert_false(val_idno(bad, (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday },
	    NULL, &vr));
	assert_true(is_chinese(vr.message));
	before = slip_numbers(nums, 64);
	vt_send(vt, "3");
	assert_true(vt_expect(vt, _("Swipe your ID card or type the ID number"), WS_WAIT));
	vt_send(vt, bad);
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, vr.message, WS_WAIT));
	assert_false(vt_find(vt, _("Your number"), NULL, NULL));
	assert_int_equal(slip_numbers(nums, 64), before);
	/* Esc goes back to the start. */
	vt_key(vt, VT_KEY_ESC);
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
	vt_free(&vt);
}

/* 2 with an appointment code nobody made: the queue's Chinese message,
 * no ticket. */
static void
test_unknown_appointment(void **state)
{
	struct vt *vt = start_kiosk();
	const char *msg = queue_result_message(QUEUE_BAD_APPOINTMENT);
	char nums[64][8];
	int before = slip_numbers(nums, 64);

	(void)state;
	assert_true(is_chinese(msg));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, _("Type your appointment code, or your ID number"), WS_WAIT));
	vt_send(vt, "NOSUCH42");
	assert_true(vt_expect(vt, "NOSUCH42", WS_WAIT));
	vt_key(vt, VT_KEY_ENTER);
	assert_true(vt_expect(vt, msg, WS_WAIT));
	assert_false(vt_find(vt, _("Your number"), NULL, NULL));
	assert_int_equal(slip_numbers(nums, 64), before);
	vt_free(&vt);
}

/* All numbers printed in this run differ. */
static void
test_numbers_differ(void **state)
{
	char nums[64][8];
	int n = slip_numbers(nums, 64);

	(void)state;
	assert_true(n >= 3);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			assert_string_not_equal(nums[i], nums[j]);
}

/* No key ends the kiosk: Ctrl-C, Ctrl-\, Ctrl-Z, F10, Esc 0, q. */
static void
test_keys_do_not_quit(void **state)
{
	struct vt *vt = start_kiosk();

	(void)state;
	vt_send(vt, "\003\034\032q");
	vt_key(vt, VT_KEY_F10);
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "0");
	assert_int_equal(vt_wait_exit(vt, 1500), -1);
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
	vt_free(&vt);
}

/* The server drops the connection: tickets pause with a clear message,
 * and the kiosk reconnects by itself. On the private cluster the kiosk
 * connects as the kiosk role (yichuang_kiosk: tickets only), not as the
 * workstations' yichuang_app. */
static void
test_database_lost(void **state)
{
	struct vt *vt = start_kiosk();
	long killed;

	(void)state;
	killed = ws_sql_long("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
	    "WHERE usename = 'yichuang_kiosk' AND application_name = 'yichuang'", 0, NULL);
	assert_true(killed >= 1);
	assert_true(vt_expect(vt, "暂停取号，请到导服台", WS_WAIT));
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), 15000));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, _("Your number"), WS_WAIT));
	vt_free(&vt);
}

/* Pass-through printing: the slip goes to the terminal between CSI 5 i
 * and CSI 4 i (libvterm has no printer and shows it on the normal
 * screen); the kiosk's own screen is repainted whole afterwards. The new
 * number leaves by itself after --result-seconds. */
static void
test_passthrough_and_timeout(void **state)
{
	const char *args[] = { "kiosk", "--office", "360981", "--printer", "passthrough",
	    "--result-seconds", "2", NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);
	char *head;

	(void)state;
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, _("Please take your slip and watch the calling board"), WS_WAIT));
	assert_false(vt_find(vt, "请留意叫号屏", NULL, NULL));
	head = vt_row_text(vt, 0);
	assert_non_null(strstr(head, "丰城市医疗保障服务中心"));
	free(head);
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), 5000));
	assert_false(vt_find(vt, _("Your number"), NULL, NULL));
	vt_free(&vt);
}

/* A printer that fails: the number stays on screen with a message that
 * says so (and why, for the technician). */
static void
test_printer_failure(void **state)
{
	const char *args[] = { "kiosk", "--office", "360981", "--printer", "file:/proc/yc-none/slip.txt",
	    NULL };
	struct vt *vt = ws_start(24, 80, NULL, args, NULL);

	(void)state;
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, _("Your number"), WS_WAIT));
	assert_true(vt_expect(vt, "号票打印失败", WS_WAIT));
	assert_true(vt_expect(vt, "/proc/yc-none/slip.txt", WS_WAIT));
	vt_free(&vt);
}

/* A GB18030 terminal: Chinese prompts arrive in the terminal's codeset,
 * and the number is drawn with '#' (block characters are "ambiguous"
 * width there: the C library counts them as two columns, terminals
 * differ). */
static void
test_gb18030_kiosk(void **state)
{
	const char *locpath = getenv("YC_TEST_LOCPATH");
	const char *args[] = { "kiosk", "--office", "360981", "--printer", slip_arg,
	    "--result-seconds", "60", NULL };
	char lp[512], nums[64][8];
	const char *env[] = { "LANG=zh_CN.GB18030", lp, NULL };
	struct vt *vt;
	int n;

	(void)state;
	if (locpath == NULL)
		fail_msg("YC_TEST_LOCPATH is not set: the GB18030 locale was not built");
	snprintf(lp, sizeof lp, "LOCPATH=%s", locpath);
	vt = ws_start(24, 80, env, args, "GB18030");
	assert_true(vt_expect(vt, _("Press a number key to take a ticket"), WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "前面还有", WS_WAIT));
	n = slip_numbers(nums, 64);
	assert_true(n >= 1);
	if (!screen_has_big(vt, nums[n - 1])) {
		vt_dump(vt, stderr);
		fail_msg("%s is not on screen in large type", nums[n - 1]);
	}
	assert_false(vt_find(vt, "█", NULL, NULL));
	vt_free(&vt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_ticket),
		cmocka_unit_test(test_id_tickets),
		cmocka_unit_test(test_unknown_appointment),
		cmocka_unit_test(test_numbers_differ),
		cmocka_unit_test(test_keys_do_not_quit),
		cmocka_unit_test(test_database_lost),
		cmocka_unit_test(test_passthrough_and_timeout),
		cmocka_unit_test(test_printer_failure),
		cmocka_unit_test(test_gb18030_kiosk),
	};

	return cmocka_run_group_tests_name("screen: kiosk", tests, setup, teardown);
}
