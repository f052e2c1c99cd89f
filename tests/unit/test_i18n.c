/* Unit tests for model/i18n: the .mo reader and the language choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/i18n.h"
#include "util/xalloc.h"

/* ---- building .mo files by hand ---------------------------------------- */

struct msg {
	const char *id;
	size_t idlen;           /* without the terminating NUL */
	const char *str;
	size_t strlen;
};

#define M(id, str) { id, sizeof(id) - 1, str, sizeof(str) - 1 }

struct buf {
	unsigned char *p;
	size_t len;
};

static void
put32(unsigned char *at, uint32_t v, int big)
{
	int i;

	for (i = 0; i < 4; i++)
		at[big ? i : 3 - i] = (unsigned char)(v >> (8 * (3 - i)));
}

/*
 * Lays out a .mo file: 28-byte header, originals table, translations
 * table, an (empty) hash table slot, then the strings with their NULs.
 * msgs must already be sorted by id.
 */
static struct buf
build_mo(const struct msg *msgs, size_t n, int big)
{
	size_t orig = 28, trans = orig + 8 * n, strings = trans + 8 * n;
	size_t total = strings, pos, i;
	struct buf b;

	for (i = 0; i < n; i++)
		total += msgs[i].idlen + 1 + msgs[i].strlen + 1;
	b.p = xcalloc(1, total);
	b.len = total;
	put32(b.p + 0, 0x950412de, big);
	put32(b.p + 4, 0, big);
	put32(b.p + 8, (uint32_t)n, big);
	put32(b.p + 12, (uint32_t)orig, big);
	put32(b.p + 16, (uint32_t)trans, big);
	put32(b.p + 20, 0, big);                        /* hash size */
	put32(b.p + 24, (uint32_t)strings, big);        /* hash offset */
	pos = strings;
	for (i = 0; i < n; i++) {
		put32(b.p + orig + 8 * i, (uint32_t)msgs[i].idlen, big);
		put32(b.p + orig + 8 * i + 4, (uint32_t)pos, big);
		memcpy(b.p + pos, msgs[i].id, msgs[i].idlen);
		pos += msgs[i].idlen + 1;
	}
	for (i = 0; i < n; i++) {
		put32(b.p + trans + 8 * i, (uint32_t)msgs[i].strlen, big);
		put32(b.p + trans + 8 * i + 4, (uint32_t)pos, big);
		memcpy(b.p + pos, msgs[i].str, msgs[i].strlen);
		pos += msgs[i].strlen + 1;
	}
	assert_int_equal(pos, total);
	return b;
}

static const struct msg zh_msgs[] = {
	M("", "Project-Id-Version: yichuang\n"
	      "Content-Type: text/plain; charset=UTF-8\n"),
	M("Cancel", "取消"),
	M("Empty", ""),
	M("Save", "保存"),
	M("file\0files", "文件\0文件"),         /* plural entry */
	M("menu\004Open", "打开"),               /* msgctxt "menu" */
	M("queue number", "排队号"),
};
#define N_ZH (sizeof(zh_msgs) / sizeof(zh_msgs[0]))

static const struct msg other_msgs[] = {
	M("", "Content-Type: text/plain; charset=UTF-8\n"),
	M("Quit", "退出"),
};

/* ---- temp directory ---------------------------------------------------- */

static char tmpdir[] = "/tmp/yc-test-i18n-XXXXXX";
static char *made[64];
static size_t nmade;

static const char *
tmp_path(const char *name)
{
	char *p = xasprintf("%s/%s", tmpdir, name);
	size_t i;

	for (i = 0; i < nmade; i++) {
		if (strcmp(made[i], p) == 0) {
			free(p);
			return made[i];
		}
	}
	assert_true(nmade < sizeof(made) / sizeof(made[0]));
	made[nmade++] = p;
	return p;
}

static const char *
write_file(const char *name, const void *data, size_t len)
{
	const char *path = tmp_path(name);
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static const char *
write_mo(const char *name, const struct msg *msgs, size_t n, int big)
{
	struct buf b = build_mo(msgs, n, big);
	const char *path = write_file(name, b.p, b.len);

	free(b.p);
	return path;
}

static int
group_setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) != NULL ? 0 : -1;
}

static int
group_teardown(void **state)
{
	size_t i;

	(void)state;
	i18n_unload();
	for (i = 0; i < nmade; i++) {
		unlink(made[i]);
		free(made[i]);
	}
	nmade = 0;
	return rmdir(tmpdir);
}

static int
unload(void **state)
{
	(void)state;
	i18n_unload();
	return 0;
}

/* ---- lookups ----------------------------------------------------------- */

static void
check_zh_lookups(void)
{
	const char *missing = "No such message";
	const char *empty = "Empty";

	assert_string_equal(_("Save"), "保存");
	assert_string_equal(_("Cancel"), "取消");
	assert_string_equal(_("queue number"), "排队号");
	/* not found, and empty translation: the msgid pointer itself */
	assert_ptr_equal(_(missing), missing);
	assert_ptr_equal(_(empty), empty);
	assert_string_equal(_("save"), "save");
	/* the header is never returned */
	assert_string_equal(_(""), "");
	assert_string_equal(i18n_get(NULL), "");
	/* plural entry: the msgid up to its NUL, the singular translation */
	assert_string_equal(_("file"), "文件");
	assert_string_equal(_("files"), "files");
	/* context entry is a key with \004; the bare id is not translated */
	assert_string_equal(_("menu\004Open"), "打开");
	assert_string_equal(_("Open"), "Open");
}

static void
test_no_catalogue(void **state)
{
	const char *id = "Save";

	(void)state;
	i18n_unload();
	i18n_unload();          /* twice is harmless */
	assert_ptr_equal(_(id), id);
	assert_string_equal(_(""), "");
	assert_string_equal(N_("Save"), "Save");
}

static void
test_little_endian(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(write_mo("le.mo", zh_msgs, N_ZH, 0)), 0);
	check_zh_lookups();
}

static void
test_big_endian(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(write_mo("be.mo", zh_msgs, N_ZH, 1)), 0);
	check_zh_lookups();
}

static void
test_unload(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(write_mo("le.mo", zh_msgs, N_ZH, 0)), 0);
	assert_string_equal(_("Save"), "保存");
	i18n_unload();
	assert_string_equal(_("Save"), "Save");
}

static void
test_replace(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(write_mo("le.mo", zh_msgs, N_ZH, 0)), 0);
	assert_int_equal(i18n_load(write_mo("other.mo", other_msgs, 2, 1)), 0);
	assert_string_equal(_("Quit"), "退出");
	assert_string_equal(_("Save"), "Save");
}

static void
test_only_header_and_empty(void **state)
{
	static const struct msg none[1];

	(void)state;
	/* a catalogue with just the header, and one with no strings at all */
	assert_int_equal(i18n_load(write_mo("hdr.mo", other_msgs, 1, 0)), 0);
	assert_string_equal(_("Quit"), "Quit");
	assert_string_equal(_(""), "");
	assert_int_equal(i18n_load(write_mo("zero.mo", none, 0, 0)), 0);
	assert_string_equal(_("Quit"), "Quit");
}

/* ---- corrupted files ----------------------------------------------------- */

/* Loads the good catalogue, then expects bytes to be rejected and the good
 * catalogue to remain. */
static void
expect_rejected(const char *name, const void *data, size_t len)
{
	assert_int_equal(i18n_load(write_mo("good.mo", zh_msgs, N_ZH, 0)), 0);
	assert_int_equal(i18n_load(write_file(name, data, len)), -1);
	assert_string_equal(_("Save"), "保存");
	assert_string_equal(_("Cancel"), "取消");
}

static struct buf
good(int big)
{
	return build_mo(zh_msgs, N_ZH, big);
}

static void
test_reject_bad_magic(void **state)
{
	struct buf b = good(0);

	(void)state;
	b.p[0] ^= 0x01;
	expect_rejected("magic.mo", b.p, b.len);
	free(b.p);
}

static void
test_reject_bad_revision(void **state)
{
	struct buf b = good(0);

	(void)state;
	put32(b.p + 4, 0x00010000, 0);          /* major revision 1 */
	expect_rejected("rev.mo", b.p, b.len);
	free(b.p);
}

static void
test_reject_truncated_header(void **state)
{
	struct buf b = good(1);

	(void)state;
	expect_rejected("hdr10.mo", b.p, 10);
	expect_rejected("hdr27.mo", b.p, 27);
	expect_rejected("empty.mo", b.p, 0);
	free(b.p);
}

static void
test_reject_truncated_file(void **state)
{
	struct buf b = good(0);
	size_t cut;

	(void)state;
	/* every cut that loses part of the tables or of a string */
	for (cut = 28; cut < b.len; cut += 7)
		expect_rejected("cut.mo", b.p, cut);
	expect_rejected("cut.mo", b.p, b.len - 1);  /* last NUL missing */
	free(b.p);
}

static void
test_reject_table_offset(void **state)
{
	struct buf b = good(0);

	(void)state;
	put32(b.p + 12, (uint32_t)b.len, 0);    /* originals table at EOF */
	expect_rejected("orig.mo", b.p, b.len);
	put32(b.p + 12, 0xFFFFFFF8u, 0);        /* would wrap in 32 bits */
	expect_rejected("orig.mo", b.p, b.len);
	free(b.p);

	b = good(1);
	put32(b.p + 16, (uint32_t)b.len - 4, 1); /* translations table */
	expect_rejected("trans.mo", b.p, b.len);
	free(b.p);

	b = good(0);
	put32(b.p + 8, 0xFFFFFFFFu, 0);         /* absurd string count */
	expect_rejected("count.mo", b.p, b.len);
	free(b.p);
}

static void
test_reject_string_offset(void **state)
{
	struct buf b = good(0);
	size_t tab = 28 + 8 * 3;                /* original #3 ("Save") */

	(void)state;
	put32(b.p + tab + 4, (uint32_t)b.len + 100, 0);
	expect_rejected("soff.mo", b.p, b.len);
	put32(b.p + tab + 4, 0xFFFFFFFFu, 0);
	expect_rejected("soff.mo", b.p, b.len);
	free(b.p);

	b = good(0);
	put32(b.p + tab, 0xFFFFFFFFu, 0);        /* length past the end */
	expect_rejected("slen.mo", b.p, b.len);
	free(b.p);

	b = good(1);
	tab = 28 + 8 * N_ZH + 8 * 1;            /* translation #1 */
	put32(b.p + tab, 2, 1);                 /* no NUL after 2 bytes */
	expect_rejected("snul.mo", b.p, b.len);
	free(b.p);
}

static void
test_reject_unsorted(void **state)
{
	static const struct msg bad[] = {
		M("", "Content-Type: text/plain; charset=UTF-8\n"),
		M("Save", "保存"),
		M("Cancel", "取消"),
	};
	struct buf b = build_mo(bad, 3, 0);

	(void)state;
	expect_rejected("unsorted.mo", b.p, b.len);
	free(b.p);
}

static void
test_reject_missing_file(void **state)
{
	(void)state;
	assert_int_equal(i18n_load(write_mo("good.mo", zh_msgs, N_ZH, 0)), 0);
	assert_int_equal(i18n_load(tmp_path("does-not-exist.mo")), -1);
	assert_int_equal(i18n_load(tmpdir), -1);        /* a directory */
	assert_int_equal(i18n_load(NULL), -1);
	assert_string_equal(_("Save"), "保存");
}

/* ---- a catalogue produced by the real msgfmt ------------------------------ */

static void
test_msgfmt(void **state)
{
	static const char po[] =
		"msgid \"\"\n"
		"msgstr \"\"\n"
		"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\"Plural-Forms: nplurals=1; plural=0;\\n\"\n"
		"\n"
		"msgid \"Queue\"\n"
		"msgstr \"排队\"\n"
		"\n"
		"msgid \"Name\"\n"
		"msgstr \"姓名\"\n"
		"\n"
		"msgid \"Insured person\"\n"
		"msgstr \"参保人\"\n"
		"\n"
		"msgctxt \"button\"\n"
		"msgid \"Print\"\n"
		"msgstr \"打印\"\n"
		"\n"
		"msgid \"%d ticket\"\n"
		"msgid_plural \"%d tickets\"\n"
		"msgstr[0] \"%d 张票\"\n"
		"\n"
		"msgid \"Untranslated\"\n"
		"msgstr \"\"\n";
	const char *po_path = write_file("t.po", po, sizeof(po) - 1);
	const char *mo_path = tmp_path("t.mo");
	char *cmd;
	int rc;

	(void)state;
	if (system("command -v msgfmt >/dev/null 2>&1") != 0)
		skip();
	cmd = xasprintf("msgfmt -o '%s' '%s'", mo_path, po_path);
	rc = system(cmd);
	free(cmd);
	assert_int_equal(rc, 0);
	assert_int_equal(i18n_load(mo_path), 0);
	assert_string_equal(_("Queue"), "排队");
	assert_string_equal(_("Name"), "姓名");
	assert_string_equal(_("Insured person"), "参保人");
	assert_string_equal(_("button\004Print"), "打印");
	assert_string_equal(_("Print"), "Print");
	assert_string_equal(_("%d ticket"), "%d 张票");
	assert_string_equal(_("Untranslated"), "Untranslated");
	assert_string_equal(_(""), "");
}

/* ---- language choice ------------------------------------------------------ */

static const char *const lang_vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
static char *saved_env[3];

static int
env_save(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		const char *v = getenv(lang_vars[i]);

		saved_env[i] = v != NULL ? xstrdup(v) : NULL;
		unsetenv(lang_vars[i]);
	}
	return 0;
}

static int
env_restore(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		if (saved_env[i] != NULL)
			setenv(lang_vars[i], saved_env[i], 1);
		else
			unsetenv(lang_vars[i]);
		free(saved_env[i]);
		saved_env[i] = NULL;
	}
	return 0;
}

static void
test_choose_option(void **state)
{
	(void)state;
	setenv("LANG", "en_US.UTF-8", 1);       /* the option wins */
	assert_string_equal(i18n_choose_lang("zh"), "zh_CN");
	assert_string_equal(i18n_choose_lang("zh_CN"), "zh_CN");
	assert_string_equal(i18n_choose_lang("zh_CN.UTF-8"), "zh_CN");
	setenv("LANG", "zh_CN.UTF-8", 1);
	assert_string_equal(i18n_choose_lang("en"), "en");
	assert_string_equal(i18n_choose_lang("en_US"), "en");
	assert_string_equal(i18n_choose_lang("en_GB.UTF-8"), "en");
	assert_string_equal(i18n_choose_lang("EN"), "en");
	assert_string_equal(i18n_choose_lang("fr"), "zh_CN");
	assert_string_equal(i18n_choose_lang(""), "zh_CN");
}

static void
test_choose_env(void **state)
{
	(void)state;
	/* nothing set: Chinese */
	assert_string_equal(i18n_choose_lang(NULL), "zh_CN");

	setenv("LANG", "en_US.UTF-8", 1);
	assert_string_equal(i18n_choose_lang(NULL), "en");
	setenv("LANG", "C", 1);
	assert_string_equal(i18n_choose_lang(NULL), "zh_CN");
	setenv("LANG", "C.UTF-8", 1);
	assert_string_equal(i18n_choose_lang(NULL), "zh_CN");

	/* LC_MESSAGES beats LANG */
	setenv("LANG", "zh_CN.UTF-8", 1);
	setenv("LC_MESSAGES", "en_US.UTF-8", 1);
	assert_string_equal(i18n_choose_lang(NULL), "en");

	/* LC_ALL beats both */
	setenv("LC_ALL", "zh_TW.UTF-8", 1);
	assert_string_equal(i18n_choose_lang(NULL), "zh_CN");
	setenv("LC_ALL", "en_GB", 1);
	setenv("LC_MESSAGES", "zh_CN", 1);
	assert_string_equal(i18n_choose_lang(NULL), "en");

	/* empty counts as unset */
	setenv("LC_ALL", "", 1);
	assert_string_equal(i18n_choose_lang(NULL), "zh_CN");
	setenv("LC_MESSAGES", "", 1);
	setenv("LANG", "en", 1);
	assert_string_equal(i18n_choose_lang(NULL), "en");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_catalogue, unload),
		cmocka_unit_test_setup(test_little_endian, unload),
		cmocka_unit_test_setup(test_big_endian, unload),
		cmocka_unit_test_setup(test_unload, unload),
		cmocka_unit_test_setup(test_replace, unload),
		cmocka_unit_test_setup(test_only_header_and_empty, unload),
		cmocka_unit_test_setup(test_reject_bad_magic, unload),
		cmocka_unit_test_setup(test_reject_bad_revision, unload),
		cmocka_unit_test_setup(test_reject_truncated_header, unload),
		cmocka_unit_test_setup(test_reject_truncated_file, unload),
		cmocka_unit_test_setup(test_reject_table_offset, unload),
		cmocka_unit_test_setup(test_reject_string_offset, unload),
		cmocka_unit_test_setup(test_reject_unsorted, unload),
		cmocka_unit_test_setup(test_reject_missing_file, unload),
		cmocka_unit_test_setup(test_msgfmt, unload),
		cmocka_unit_test_setup_teardown(test_choose_option,
						env_save, env_restore),
		cmocka_unit_test_setup_teardown(test_choose_env,
						env_save, env_restore),
	};

	return cmocka_run_group_tests_name("i18n", tests, group_setup,
					   group_teardown);
}
