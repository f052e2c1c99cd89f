/*
 * Township access over SSH, set up as README "Township access over SSH"
 * says: a real sshd (Debian's openssh-server) on 127.0.0.1 and a free
 * port, run as the current user with a throwaway host key, an authorized
 * key and its configuration in a temporary directory, and a Match block
 * whose ForceCommand is a wrapper that starts the workstation against the
 * shared database (the test cluster, as a service of a pg_service.conf)
 * and accepts LANG from the client. The client is `ssh -tt` in the harness's
 * pseudo-terminal, read by libvterm.
 *
 * A clerk signs in over SSH, types into an intake, and the connection
 * drops (the ssh client is killed): the workstation saves the intake and
 * ends the session as a hang-up. Signing in again over SSH offers the
 * draft back, from the database alone (the server's local copy removed).
 * A GB18030 terminal with TERM=vt100 gets a readable sign-in screen in
 * its own codeset, without colour, and Chinese typed in it arrives.
 *
 * The tests skip (counted, with the reason on stderr) only when sshd
 * cannot run here at all: no /usr/sbin/sshd, no privilege separation
 * directory for a root sshd, terminals a non-root sshd cannot hand over
 * (devpts without gid=5, in some containers), or an sshd that exits
 * before listening.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <cmocka.h>

#include "screen/ws.h"
#include "util/file.h"

#define SSHD "/usr/sbin/sshd"
/* sshd and ssh start in well under a second; the margin is for a loaded
 * machine. */
#define SSH_WAIT 15000

static struct {
	char dir[64];
	char user[64];
	int port;
	pid_t sshd;
	char skip[600];		/* why sshd cannot run here; "" when it runs */
} S = { .dir = "/tmp/yc-ssh.XXXXXX" };

/* ---- the server side ----------------------------------------------------- */

static void
write_text(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *fp;

	snprintf(path, sizeof path, "%s/%s", S.dir, name);
	fp = fopen(path, "w");
	if (fp == NULL || fputs(text, fp) == EOF || fclose(fp) != 0) {
		fprintf(stderr, "test_ssh: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
	chmod(path, mode);
}

/* The text of D/name (malloc'd), "" when it cannot be read. */
static char *
read_text(const char *name)
{
	char path[128];
	size_t len;
	char *t;

	snprintf(path, sizeof path, "%s/%s", S.dir, name);
	t = file_read(path, 1 << 20, &len);
	return t != NULL ? t : strdup("");
}

/* A port on 127.0.0.1 that nobody listens on right now. */
static int
free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* The wrapper of README's Match block, with the test's database: the
 * cluster's socket as the service "yichuang" of a service file (README:
 * the account's ~/.pg_service.conf), a directory of its own for the
 * local drafts, LANG and TERM left as sshd set them. It also notes what
 * it was given, for the tests to check. */
static void
write_wrapper(void)
{
	const char *bin = getenv("YC_TEST_BIN"), *sock = getenv("YC_TEST_SOCKET_DIR");
	static const char *const san[] = { "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS" };
	const char *locpath = getenv("YC_TEST_LOCPATH");
	char text[4096], lp[2048] = "";

	if (bin == NULL || sock == NULL) {
		fprintf(stderr, "test_ssh: YC_TEST_BIN and YC_TEST_SOCKET_DIR must be set (tests/run.sh)\n");
		exit(1);
	}
	snprintf(text, sizeof text, "[yichuang]\nhost=%s\ndbname=yichuang\nuser=yichuang_app\n", sock);
	write_text("pg_service.conf", text, 0600);
	/* The GB18030 locale of the tests is not installed system-wide; the
	 * sanitizers' options (make asan) must reach the workstation too, so
	 * that its reports land in the test logs. */
	if (locpath != NULL)
		snprintf(lp, sizeof lp, "export LOCPATH='%s'\n", locpath);
	for (size_t i = 0; i < sizeof san / sizeof san[0]; i++) {
		const char *v = getenv(san[i]);
		size_t n = strlen(lp);

		if (v != NULL && strchr(v, '\'') == NULL)
			snprintf(lp + n, sizeof lp - n, "export %s='%s'\n", san[i], v);
	}
	snprintf(text, sizeof text,
	    "#!/bin/sh\n"
	    "# ForceCommand of the test's sshd (README: Township access over SSH)\n"
	    "printf 'TERM=%%s LANG=%%s\\n' \"$TERM\" \"$LANG\" >>'%s/env.log'\n"
	    "export PGSERVICEFILE='%s/pg_service.conf' PGSERVICE=yichuang\n"
	    "export YICHUANG_VAR='%s/var'\n"
	    "%s"
	    "mkdir -p \"$YICHUANG_VAR\" && cd \"$YICHUANG_VAR\" || exit 1\n"
	    "exec '%s' --printer passthrough\n", S.dir, S.dir, S.dir, lp, bin);
	write_text("yichuang-ssh", text, 0755);
}

static void
write_configs(void)
{
	char text[4096], *hostkey;

	snprintf(text, sizeof text,
	    "ListenAddress 127.0.0.1\n"
	    "Port %d\n"
	    "HostKey %s/host_key\n"
	    "PidFile %s/sshd.pid\n"
	    "AuthorizedKeysFile %s/authorized_keys\n"
	    "StrictModes no\n"
	    "UsePAM no\n"
	    "PubkeyAuthentication yes\n"
	    "PasswordAuthentication no\n"
	    "KbdInteractiveAuthentication no\n"
	    "PermitRootLogin prohibit-password\n"
	    "AllowUsers %s\n"
	    "PrintMotd no\n"
	    "PrintLastLog no\n"
	    "UseDNS no\n"
	    /* README's block, but for the test's user and wrapper */
	    "Match User %s\n"
	    "    ForceCommand %s/yichuang-ssh\n"
	    "    AcceptEnv LANG LC_*\n"
	    "    PermitTTY yes\n"
	    "    AllowTcpForwarding no\n"
	    "    AllowAgentForwarding no\n"
	    "    AllowStreamLocalForwarding no\n"
	    "    X11Forwarding no\n"
	    "    PermitTunnel no\n"
	    "    ClientAliveInterval 30\n"
	    "    ClientAliveCountMax 4\n",
	    S.port, S.dir, S.dir, S.dir, S.user, S.user, S.dir);
	write_text("sshd_config", text, 0644);

	hostkey = read_text("host_key.pub");
	snprintf(text, sizeof text, "[127.0.0.1]:%d %s", S.port, hostkey);
	free(hostkey);
	write_text("known_hosts", text, 0644);

	snprintf(text, sizeof text,
	    "Host township\n"
	    "    HostName 127.0.0.1\n"
	    "    Port %d\n"
	    "    User %s\n"
	    "    IdentityFile %s/client_key\n"
	    "    IdentitiesOnly yes\n"
	    "    IdentityAgent none\n"
	    "    UserKnownHostsFile %s/known_hosts\n"
	    "    GlobalKnownHostsFile /dev/null\n"
	    "    StrictHostKeyChecking yes\n"
	    "    BatchMode yes\n"
	    "    SendEnv LANG LC_*\n"
	    "    EscapeChar none\n"
	    "    ConnectTimeout 10\n"
	    "    LogLevel ERROR\n",
	    S.port, S.user, S.dir, S.dir);
	write_text("ssh_config", text, 0644);
}

/* Starts sshd; 1 when it listens, 0 when it exited (its log says why),
 * -1 when it neither listens nor exits within SSH_WAIT. */
static int
start_sshd(void)
{
	char conf[128], log[128];
	int status;

	snprintf(conf, sizeof conf, "%s/sshd_config", S.dir);
	snprintf(log, sizeof log, "%s/sshd.log", S.dir);
	fflush(NULL);
	S.sshd = fork();
	if (S.sshd < 0)
		return 0;
	if (S.sshd == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644), null = open("/dev/null", O_RDONLY);

		/* An sshd -D outliving a crashed test would listen forever. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(SSHD, SSHD, "-D", "-e", "-f", conf, (char *)NULL);
		_exit(127);
	}
	for (int waited = 0; waited < SSH_WAIT; waited += 20) {
		char *text = read_text("sshd.log");
		bool up = strstr(text, "Server listening on 127.0.0.1") != NULL;

		free(text);
		if (up)
			return 1;
		if (waitpid(S.sshd, &status, WNOHANG) == S.sshd) {
			S.sshd = 0;
			return 0;
		}
		poll(NULL, 0, 20);
	}
	return -1;
}

/*
 * A non-root sshd cannot chown the session's terminal to the group tty,
 * so it needs the kernel to create terminals in that group already
 * (devpts mounted with gid=5, as Debian does; some containers do not).
 * NULL when it does, else why not (in a static buffer).
 */
static const char *
pty_group_problem(void)
{
	static char why[200];
	struct group *tty = getgrnam("tty");
	struct stat st;
	int fd = posix_openpt(O_RDWR | O_NOCTTY);
	const char *name;

	if (fd < 0 || grantpt(fd) != 0 || unlockpt(fd) != 0 || (name = ptsname(fd)) == NULL ||
	    stat(name, &st) != 0) {
		snprintf(why, sizeof why, "cannot open a pseudo-terminal: %s", strerror(errno));
	} else if (tty == NULL || st.st_gid != tty->gr_gid) {
		snprintf(why, sizeof why, "new terminals (%s) are not in the group tty (devpts without "
		    "gid=5): a non-root sshd cannot give a session its terminal", name);
	} else {
		why[0] = '\0';
	}
	if (fd >= 0)
		close(fd);
	return why[0] != '\0' ? why : NULL;
}

static int
run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		fprintf(stderr, "test_ssh: %s: exit status %d\n", cmd, rc);
	return rc;
}

static int
setup(void **state)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *why;
	char cmd[512], *text;

	(void)state;
	if (mkdtemp(S.dir) == NULL || chmod(S.dir, 0755) != 0 || pw == NULL)
		return 1;
	snprintf(S.user, sizeof S.user, "%s", pw->pw_name);
	if (access(SSHD, X_OK) != 0) {
		snprintf(S.skip, sizeof S.skip, "no %s (Debian package openssh-server)", SSHD);
		return 0;
	}
	/* A root sshd needs its privilege separation directory, which the
	 * package's service unit creates at boot; nothing else of the system
	 * is touched. */
	if (geteuid() == 0 && mkdir("/run/sshd", 0755) != 0 && errno != EEXIST) {
		snprintf(S.skip, sizeof S.skip, "cannot create /run/sshd for a root sshd: %s",
		    strerror(errno));
		return 0;
	}
	if (geteuid() != 0 && (why = pty_group_problem()) != NULL) {
		snprintf(S.skip, sizeof S.skip, "%s", why);
		return 0;
	}
	snprintf(cmd, sizeof cmd, "ssh-keygen -q -t ed25519 -N '' -C yc-test-host -f %s/host_key && "
	    "ssh-keygen -q -t ed25519 -N '' -C yc-test-client -f %s/client_key && "
	    "cp %s/client_key.pub %s/authorized_keys", S.dir, S.dir, S.dir, S.dir);
	if (run(cmd) != 0)
		return 1;
	write_wrapper();
	/* A port taken between free_port and sshd's bind: another one. */
	for (int attempt = 0; attempt < 5; attempt++) {
		int up;

		S.port = free_port();
		write_configs();
		snprintf(cmd, sizeof cmd, "%s -t -f %s/sshd_config", SSHD, S.dir);
		if (run(cmd) != 0)
			return 1;	/* the test's configuration is wrong: fail, not skip */
		up = start_sshd();
		if (up == 1)
			return 0;
		text = read_text("sshd.log");
		if (up < 0 || strstr(text, "Address already in use") == NULL) {
			snprintf(S.skip, sizeof S.skip, "sshd does not run here: %s", text);
			free(text);
			return 0;
		}
		free(text);
	}
	snprintf(S.skip, sizeof S.skip, "no free port for sshd on 127.0.0.1");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128], *log;

	(void)state;
	if (S.sshd > 0) {
		int status, waited = 0;

		kill(S.sshd, SIGTERM);
		while (waitpid(S.sshd, &status, WNOHANG) == 0 && waited < 2000) {
			poll(NULL, 0, 20);
			waited += 20;
		}
		if (waited >= 2000) {
			kill(S.sshd, SIGKILL);
			waitpid(S.sshd, &status, 0);
		}
	}
	/* What sshd said, for a failure's log. */
	log = read_text("sshd.log");
	fprintf(stderr, "---- sshd.log ----\n%s---- end of sshd.log ----\n", log);
	free(log);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", S.dir);
	return system(cmd) != 0;
}

/* ---- the client side ----------------------------------------------------- */

static void
skip_unless_sshd(void)
{
	if (S.skip[0] != '\0') {
		fprintf(stderr, "skipped: %s\n", S.skip);
		skip();
	}
}

/* ssh -tt into the township account from a rows x cols terminal of type
 * term, with LANG lang (sent by SendEnv), the terminal in charset (NULL:
 * UTF-8). */
static struct vt *
ssh_start(const char *term, const char *lang, const char *charset)
{
	char conf[128], t[64], l[64];
	const char *argv[] = { "ssh", "-tt", "-F", conf, "township", NULL };
	const char *env[] = { t, l, "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "SSH_AUTH_SOCK", NULL };
	struct vt *vt;

	snprintf(conf, sizeof conf, "%s/ssh_config", S.dir);
	snprintf(t, sizeof t, "TERM=%s", term);
	snprintf(l, sizeof l, "LANG=%s", lang);
	vt = vt_spawn(argv, env, 24, 80, charset);
	assert_non_null(vt);
	return vt;
}

/* Cells drawn in a colour other than the terminal's default. */
static int
coloured_cells(struct vt *vt)
{
	int n = 0;

	for (int r = 0; r < vt_rows(vt); r++)
		for (int c = 0; c < vt_cols(vt); c++) {
			struct vt_cell_info ci;

			if (vt_cell(vt, r, c, &ci) && (ci.fg_index != VT_COLOR_DEFAULT ||
			    ci.bg_index != VT_COLOR_DEFAULT))
				n++;
		}
	return n;
}

/* Waits until the query (one text parameter) counts at least one row. */
static bool
wait_sql(const char *sql, const char *param, int timeout_ms)
{
	const char *p[] = { param };

	for (int waited = 0; waited < timeout_ms; waited += 50) {
		if (ws_sql_long(sql, 1, p) > 0)
			return true;
		poll(NULL, 0, 50);
	}
	fprintf(stderr, "test_ssh: timed out after %d ms waiting for: %s (%s)\n", timeout_ms, sql, param);
	return false;
}

/* The sign-in screen arrived over SSH: the three fields, then Enter. */
static void
ssh_login(struct vt *vt, const char *window)
{
	assert_true(vt_expect(vt, "柜员登录", SSH_WAIT));
	ws_reset_staff("clerk1");
	ws_login(vt, "clerk1", "Demo-1234", window);
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
}

/*
 * The line drops in the middle of an intake; the next sign-in over SSH
 * gets everything typed back.
 */
static void
test_draft_survives_a_dropped_ssh_connection(void **state)
{
	const char *staff[] = { "clerk1" };
	char id[19], path[128], *env;
	struct vt *vt;

	(void)state;
	skip_unless_sshd();
	ws_idno("36098119850214702", id);
	ws_sql_long("DELETE FROM yc.intake_draft WHERE staff_no = $1", 1, staff);

	vt = ssh_start("xterm-256color", "C.UTF-8", NULL);
	ssh_login(vt, "7");
	/* TERM came through the pty request: a colour terminal gets colour */
	assert_true(coloured_cells(vt) > 0);
	/* the session knows it came over SSH */
	assert_true(wait_sql("SELECT count(*) FROM yc.staff_session WHERE staff_no = $1 AND "
	    "ended_at IS NULL AND window_no = 7 AND client LIKE 'ssh 127.0.0.1 -> %'", "clerk1", WS_WAIT));

	vt_key(vt, VT_KEY_F5);
	assert_true(vt_expect(vt, "事项：", WS_WAIT));
	vt_send(vt, "\025cqjcf");
	assert_true(vt_expect(vt, "1 / ", WS_WAIT));
	vt_key(vt, VT_KEY_F2);
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	vt_send(vt, id);
	ws_tabs(vt, 1);
	assert_true(vt_expect(vt, "岁", WS_WAIT));
	vt_send(vt, "远程草稿");
	ws_tabs(vt, 1);
	/* typed on the phone row, not left: on the server only until the hang-up */
	vt_send(vt, "13907950003");
	assert_true(vt_expect(vt, "13907950003", WS_WAIT));

	/* the line drops */
	vt_kill(vt, SIGKILL);
	vt_free(&vt);
	assert_true(wait_sql("SELECT count(*) FROM yc.staff_session WHERE staff_no = $1 AND "
	    "window_no = 7 AND end_reason = 'hangup' AND ended_at > now() - interval '1 minute'",
	    "clerk1", SSH_WAIT));
	assert_true(wait_sql("SELECT count(*) FROM yc.intake_draft WHERE staff_no = $1 AND "
	    "body LIKE '%远程草稿%' AND body LIKE '%13907950003%'", "clerk1", WS_WAIT));
	/* the draft must come back from the database alone */
	snprintf(path, sizeof path, "%s/var/drafts/clerk1.draft", S.dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(unlink(path), 0);

	vt = ssh_start("xterm-256color", "C.UTF-8", NULL);
	ssh_login(vt, "7");
	assert_true(vt_expect(vt, "未完成的受理", WS_WAIT));
	vt_send(vt, "1");
	assert_true(vt_expect(vt, "受理：产前检查费支付", WS_WAIT));
	assert_true(vt_expect(vt, id, WS_WAIT));
	assert_true(vt_expect(vt, "远程草稿", WS_WAIT));
	assert_true(vt_expect(vt, "13907950003", WS_WAIT));
	/* discarded, signed out, quit: ssh ends with the workstation's status */
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "离开受理界面", WS_WAIT));
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "确定放弃本次受理", WS_WAIT));	/* asked first */
	vt_send(vt, "2");
	assert_true(vt_expect(vt, "已放弃", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	vt_key(vt, VT_KEY_F10);
	assert_int_equal(vt_wait_exit(vt, SSH_WAIT), 0);
	vt_free(&vt);
	assert_int_equal(ws_sql_long("SELECT count(*) FROM yc.intake_draft WHERE staff_no = $1", 1, staff), 0);

	env = read_text("env.log");
	assert_non_null(strstr(env, "TERM=xterm-256color LANG=C.UTF-8\n"));
	free(env);
}

/*
 * A GBK/GB18030 terminal (PuTTY or Xshell set to GBK, LANG=zh_CN.GB18030
 * sent by the client) that is a vt100: the sign-in screen in its codeset,
 * monochrome; Chinese typed arrives; Esc 0 signs out and quits.
 */
static void
test_gb18030_vt100_terminal_over_ssh(void **state)
{
	const char *staff[] = { "clerk1" };	/* no draft offered over the sign-in */
	char path[128], *env;
	struct vt *vt;

	(void)state;
	skip_unless_sshd();
	ws_sql_long("DELETE FROM yc.intake_draft WHERE staff_no = $1", 1, staff);
	snprintf(path, sizeof path, "%s/var/drafts/clerk1.draft", S.dir);
	unlink(path);
	if (getenv("YC_TEST_LOCPATH") == NULL)
		fail_msg("YC_TEST_LOCPATH is not set: the GB18030 locale was not built");
	vt = ssh_start("vt100", "zh_CN.GB18030", "GB18030");
	assert_true(vt_expect(vt, "柜员登录", SSH_WAIT));
	assert_true(vt_expect(vt, "欧阳娜娜", WS_WAIT));
	assert_false(vt_find(vt, "\xef\xbf\xbd", NULL, NULL));	/* no undecodable byte */
	vt_send(vt, "张三");
	assert_true(vt_expect(vt, "张三", WS_WAIT));
	vt_send(vt, "\025");				/* Ctrl-U */
	assert_true(vt_expect_gone(vt, "张三", WS_WAIT));
	ws_reset_staff("clerk1");
	ws_login(vt, "clerk1", "Demo-1234", "7");
	assert_true(vt_expect(vt, "欧阳娜娜，您好！", WS_WAIT));
	assert_int_equal(coloured_cells(vt), 0);
	/* a vt100 has no F10: Esc 0 */
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "0");
	assert_true(vt_expect(vt, "已注销", WS_WAIT));
	vt_key(vt, VT_KEY_ESC);
	vt_send(vt, "0");
	assert_int_equal(vt_wait_exit(vt, SSH_WAIT), 0);
	vt_free(&vt);

	env = read_text("env.log");
	assert_non_null(strstr(env, "TERM=vt100 LANG=zh_CN.GB18030\n"));
	free(env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draft_survives_a_dropped_ssh_connection),
		cmocka_unit_test(test_gb18030_vt100_terminal_over_ssh),
	};

	return cmocka_run_group_tests_name("ssh", tests, setup, teardown);
}
