/*
 * Screen-test harness: a child in a pty, its output interpreted by libvterm.
 * See vt.h for the contracts.
 *
 * Data flow:
 *   child --pty--> read_available() --(iconv charset->UTF-8)--> libvterm
 *   vt_send / vt_key / libvterm replies --> out queue --pty--> child
 * The pty master is non-blocking; pump() is the only place that waits, and it
 * waits in poll() with a bounded timeout for pty input, room to write queued
 * bytes, or (through a pidfd, where the kernel has one) the child's exit.
 */
#include "screen/vt.h"

#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

/* Longest incomplete multibyte sequence kept between reads (GB18030: 3). */
#define PENDING_MAX 16
/* Bytes read from the pty per pump() call at most, so callers keep control. */
#define READ_BUDGET (64 * 1024)
/* How long vt_send / vt_key try to deliver bytes before giving up. */
#define SEND_TIMEOUT_MS 5000
/* How long vt_free lets the child react to SIGTERM before SIGKILL. */
#define TERM_GRACE_MS 500
/* After the child exited, how long to wait for more output when some other
 * process still holds the pty open (so no EOF will come). */
#define DRAIN_QUIET_MS 100
/* Poll slice used to notice the child's exit when no pidfd is available. */
#define NO_PIDFD_SLICE_MS 10

struct vt {
	VTerm *term;
	VTermScreen *screen;
	VTermState *state;
	int rows, cols;

	pid_t pid;
	int fd;                 /* pty master, O_NONBLOCK; -1 once closed */
	int pidfd;              /* readable when the child exits; -1 if none */
	bool eof;               /* the pty gave EOF/EIO: no more output */
	bool reaped;            /* waitpid() collected the child */
	int exit_status;        /* valid when reaped: 0-255, 128+sig, or -1 */

	bool convert;           /* charset given: iconv in both directions */
	iconv_t from_cd;        /* charset -> UTF-8 (child output) */
	iconv_t to_cd;          /* UTF-8 -> charset (vt_send) */
	char pending[PENDING_MAX];      /* incomplete sequence from last read */
	size_t npending;

	char *out;              /* bytes queued for the child */
	size_t out_len, out_cap;

	size_t received;        /* raw bytes read from the pty */
	bool cursor_visible;
};

/* Set once pidfd_open() has failed with ENOSYS. */
static bool no_pidfd;

static const char REPLACEMENT_UTF8[] = "\xef\xbf\xbd";  /* U+FFFD */

/* Milliseconds of CLOCK_MONOTONIC. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until deadline, clamped to 0..INT_MAX-ish. */
static int
remaining_ms(long long deadline)
{
	long long left = deadline - now_ms();

	if (left <= 0)
		return 0;
	if (left > 1000000000)
		return 1000000000;
	return (int)left;
}

/* ---- output towards the child ------------------------------------------ */

/* Appends n bytes to the out queue; dropped if the child can no longer read. */
static void
queue_out(struct vt *vt, const char *s, size_t n)
{
	if (vt->eof || vt->fd < 0 || n == 0)
		return;
	if (vt->out_len + n > vt->out_cap) {
		size_t cap = vt->out_cap ? vt->out_cap : 256;

		while (cap < vt->out_len + n)
			cap *= 2;
		vt->out = xrealloc(vt->out, cap);
		vt->out_cap = cap;
	}
	memcpy(vt->out + vt->out_len, s, n);
	vt->out_len += n;
}

/* libvterm output callback: key sequences and replies to queries. */
static void
on_term_output(const char *s, size_t len, void *user)
{
	queue_out(user, s, len);
}

/* Writes as much of the out queue as the pty accepts without blocking. On a
 * write error (the child side is gone) the queue is dropped. */
static void
flush_out(struct vt *vt)
{
	while (vt->out_len > 0 && vt->fd >= 0) {
		ssize_t n = write(vt->fd, vt->out, vt->out_len);

		if (n > 0) {
			memmove(vt->out, vt->out + n, vt->out_len - (size_t)n);
			vt->out_len -= (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			return;
		} else {
			vt->out_len = 0;
			return;
		}
	}
}

/* ---- input from the child ---------------------------------------------- */

static void
term_write(struct vt *vt, const char *s, size_t n)
{
	if (n > 0)
		vterm_input_write(vt->term, s, n);
}

/* Converts charset bytes to UTF-8 and feeds libvterm. An incomplete sequence
 * at the end is kept in vt->pending for the next call; an invalid byte
 * becomes U+FFFD and is skipped. */
static void
feed_converted(struct vt *vt, const char *data, size_t n)
{
	size_t total = vt->npending + n;
	char *buf = xmalloc(total);
	char *in = buf;
	size_t inleft = total;

	memcpy(buf, vt->pending, vt->npending);
	memcpy(buf + vt->npending, data, n);
	vt->npending = 0;

	while (inleft > 0) {
		char outbuf[4096];
		char *o = outbuf;
		size_t oleft = sizeof outbuf;
		size_t r = iconv(vt->from_cd, &in, &inleft, &o, &oleft);
		int err = errno;

		term_write(vt, outbuf, (size_t)(o - outbuf));
		if (r != (size_t)-1)
			break;
		if (err == E2BIG)
			continue;
		if (err == EINVAL && inleft < PENDING_MAX) {
			memcpy(vt->pending, in, inleft);
			vt->npending = inleft;
			break;
		}
		/* EILSEQ (or an absurdly long incomplete sequence). */
		term_write(vt, REPLACEMENT_UTF8, sizeof REPLACEMENT_UTF8 - 1);
		in++;
		inleft--;
	}
	free(buf);
}

/* Feeds raw child output to libvterm, converting if a charset was given.
 * Queued replies are flushed right away. */
static void
feed(struct vt *vt, const char *data, size_t n)
{
	vt->received += n;
	if (vt->convert)
		feed_converted(vt, data, n);
	else
		term_write(vt, data, n);
	flush_out(vt);
}

/* The pty reported EOF: a kept incomplete sequence can never complete. */
static void
mark_eof(struct vt *vt)
{
	if (vt->eof)
		return;
	vt->eof = true;
	if (vt->npending > 0) {
		term_write(vt, REPLACEMENT_UTF8, sizeof REPLACEMENT_UTF8 - 1);
		vt->npending = 0;
	}
	vt->out_len = 0;
}

/* Reads what the pty has now (up to READ_BUDGET) without blocking. Returns
 * the number of bytes read. EOF and EIO (all slave fds closed) set eof. */
static size_t
read_available(struct vt *vt)
{
	size_t got = 0;

	while (!vt->eof && got < READ_BUDGET) {
		char buf[4096];
		ssize_t n = read(vt->fd, buf, sizeof buf);

		if (n > 0) {
			feed(vt, buf, (size_t)n);
			got += (size_t)n;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			break;
		} else {
			if (n < 0 && errno != EIO)
				fprintf(stderr, "vt: reading the pty: %s\n", strerror(errno));
			mark_eof(vt);
		}
	}
	return got;
}

/* ---- the child's exit ---------------------------------------------------- */

/* Collects the child if it has exited (never blocks unless block is true).
 * Returns true once the child is reaped. */
static bool
try_reap(struct vt *vt, bool block)
{
	int st;
	pid_t r;

	if (vt->reaped)
		return true;
	do
		r = waitpid(vt->pid, &st, block ? 0 : WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0) {
		/* Someone else reaped it (e.g. SIGCHLD ignored): status unknown. */
		fprintf(stderr, "vt: waitpid(%d): %s\n", (int)vt->pid, strerror(errno));
		vt->exit_status = -1;
	} else if (WIFEXITED(st)) {
		vt->exit_status = WEXITSTATUS(st);
	} else if (WIFSIGNALED(st)) {
		vt->exit_status = 128 + WTERMSIG(st);
	} else {
		return false;   /* stopped/continued: not an exit */
	}
	vt->reaped = true;
	if (vt->pidfd >= 0) {
		close(vt->pidfd);
		vt->pidfd = -1;
	}
	return true;
}

/*
 * The one waiting primitive: waits up to timeout_ms (0 = just look) until the
 * pty has output, can take queued input, or the child exits; then reads what
 * is there, writes what it can and reaps an exited child. Returns the number
 * of bytes read. Returns at once if there is nothing it could wait for.
 */
static size_t
pump(struct vt *vt, int timeout_ms)
{
	struct pollfd pfd[2];
	int nfds = 0, ifd = -1, ipid = -1;
	size_t got = 0;

	if (!vt->eof) {
		ifd = nfds++;
		pfd[ifd].fd = vt->fd;
		pfd[ifd].events = POLLIN | (vt->out_len > 0 ? POLLOUT : 0);
		pfd[ifd].revents = 0;
	}
	if (vt->pidfd >= 0 && !vt->reaped) {
		ipid = nfds++;
		pfd[ipid].fd = vt->pidfd;
		pfd[ipid].events = POLLIN;
		pfd[ipid].revents = 0;
	}
	if (nfds == 0)
		return 0;
	if (poll(pfd, (nfds_t)nfds, timeout_ms < 0 ? 0 : timeout_ms) < 0)
		return 0;       /* EINTR: the caller loops on its deadline */
	if (ifd >= 0 && pfd[ifd].revents) {
		if (pfd[ifd].revents & POLLOUT)
			flush_out(vt);
		got = read_available(vt);
	}
	if (ipid >= 0 && pfd[ipid].revents)
		try_reap(vt, false);
	return got;
}

/* After the child exited: reads the rest of its output, until EOF, or until
 * DRAIN_QUIET_MS pass without output (another process keeps the pty open). */
static void
drain_after_exit(struct vt *vt)
{
	long long last = now_ms();

	while (!vt->eof) {
		int wait_ms = remaining_ms(last + DRAIN_QUIET_MS);

		if (wait_ms == 0)
			break;
		if (pump(vt, wait_ms) > 0)
			last = now_ms();
	}
}

/* Waits for the child's exit until deadline. Returns true once reaped. */
static bool
wait_child(struct vt *vt, long long deadline)
{
	for (;;) {
		int left;

		if (try_reap(vt, false)) {
			drain_after_exit(vt);
			return true;
		}
		left = remaining_ms(deadline);
		if (left == 0)
			return false;
		if (vt->pidfd < 0) {
			/* No exit notification: look again in short slices. */
			if (left > NO_PIDFD_SLICE_MS)
				left = NO_PIDFD_SLICE_MS;
			if (vt->eof)
				poll(NULL, 0, left);
		}
		pump(vt, left);
	}
}

/* ---- spawning ------------------------------------------------------------- */

/* In the child, before exec: default signal handling, the pty's modes and
 * the environment. Only returns; the caller execs. */
static void
child_setup(const char *const env[], bool utf8)
{
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD,
	                            SIGALRM, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGUSR1,
	                            SIGUSR2 };
	sigset_t all;
	struct termios t;

	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		signal(sigs[i], SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_cc[VERASE] = 0x7f;
		if (utf8)
			t.c_iflag |= IUTF8;
		else
			t.c_iflag &= ~(tcflag_t)IUTF8;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}

	setenv("TERM", "xterm-256color", 1);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
		const char *eq = strchr(env[i], '=');

		if (eq == NULL) {
			unsetenv(env[i]);
		} else {
			char *name = xstrndup(env[i], (size_t)(eq - env[i]));

			setenv(name, eq + 1, 1);
			free(name);
		}
	}
}

static int
screen_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;

	if (prop == VTERM_PROP_CURSORVISIBLE)
		vt->cursor_visible = val->boolean;
	return 1;
}

static const VTermScreenCallbacks screen_callbacks = {
	.settermprop = screen_settermprop,
};

struct vt *
vt_spawn(const char *const argv[], const char *const env[], int rows, int cols,
         const char *charset)
{
	struct vt *vt;
	struct winsize ws;
	int fd, flags;
	pid_t pid;

	if (argv == NULL || argv[0] == NULL || rows < 1 || cols < 1 || rows > 0xffff ||
	    cols > 0xffff) {
		fprintf(stderr, "vt: vt_spawn: bad arguments\n");
		return NULL;
	}
	vt = xcalloc(1, sizeof *vt);
	vt->fd = -1;
	vt->pidfd = -1;
	vt->rows = rows;
	vt->cols = cols;
	vt->cursor_visible = true;
	vt->from_cd = vt->to_cd = (iconv_t)-1;
	if (charset != NULL) {
		vt->convert = true;
		vt->from_cd = iconv_open("UTF-8", charset);
		vt->to_cd = iconv_open(charset, "UTF-8");
		if (vt->from_cd == (iconv_t)-1 || vt->to_cd == (iconv_t)-1) {
			fprintf(stderr, "vt: iconv cannot convert between %s and UTF-8\n", charset);
			vt_free(&vt);
			return NULL;
		}
	}

	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	fflush(NULL);   /* no stdio buffer may be written twice after fork */
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		fprintf(stderr, "vt: forkpty: %s\n", strerror(errno));
		vt_free(&vt);
		return NULL;
	}
	if (pid == 0) {
		child_setup(env, charset == NULL);
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "vt: cannot execute %s: %s\r\n", argv[0], strerror(errno));
		_exit(127);
	}

	vt->pid = pid;
	vt->fd = fd;
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);
#ifdef SYS_pidfd_open
	/* O_CLOEXEC is implied. After one ENOSYS (old kernel, valgrind) the
	 * call is not tried again; wait_child then polls in short slices. */
	if (!no_pidfd) {
		vt->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (vt->pidfd < 0) {
			no_pidfd = errno == ENOSYS;
			vt->pidfd = -1;
		}
	}
#endif

	vt->term = vterm_new(rows, cols);
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, on_term_output, vt);
	vt->state = vterm_obtain_state(vt->term);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_set_callbacks(vt->screen, &screen_callbacks, vt);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	return vt;
}

/* Sends sig to the child's process group (it is a session leader), or to the
 * child alone if that fails. */
static void
signal_child(struct vt *vt, int sig)
{
	if (kill(-vt->pid, sig) < 0)
		kill(vt->pid, sig);
}

void
vt_free(struct vt **vtp)
{
	struct vt *vt;

	if (vtp == NULL || *vtp == NULL)
		return;
	vt = *vtp;
	if (vt->pid > 0 && !try_reap(vt, false)) {
		signal_child(vt, SIGTERM);
		if (!wait_child(vt, now_ms() + TERM_GRACE_MS)) {
			signal_child(vt, SIGKILL);
			try_reap(vt, true);
		}
	}
	if (vt->fd >= 0)
		close(vt->fd);
	if (vt->pidfd >= 0)
		close(vt->pidfd);
	if (vt->from_cd != (iconv_t)-1)
		iconv_close(vt->from_cd);
	if (vt->to_cd != (iconv_t)-1)
		iconv_close(vt->to_cd);
	if (vt->term != NULL)
		vterm_free(vt->term);
	free(vt->out);
	free(vt);
	*vtp = NULL;
}

/* ---- sending ---------------------------------------------------------------- */

/* Pumps until the out queue is written, the child closed the pty, or
 * SEND_TIMEOUT_MS pass. Reports undelivered bytes on stderr. */
static void
deliver(struct vt *vt)
{
	long long deadline = now_ms() + SEND_TIMEOUT_MS;

	flush_out(vt);
	while (vt->out_len > 0 && !vt->eof && remaining_ms(deadline) > 0)
		pump(vt, remaining_ms(deadline));
	if (vt->out_len > 0) {
		fprintf(stderr, "vt: child did not read its input within %d ms; %zu bytes dropped\n",
		        SEND_TIMEOUT_MS, vt->out_len);
		vt->out_len = 0;
	}
}

/* Length of the UTF-8 sequence starting with lead byte c (1 for a stray
 * byte), used to skip one character that iconv rejected. */
static size_t
utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* Converts UTF-8 text to the charset and queues it; characters iconv cannot
 * convert become '?'. */
static void
queue_converted(struct vt *vt, const char *utf8)
{
	size_t len = strlen(utf8);
	char *copy = xstrdup(utf8);
	char *in = copy;
	size_t inleft = len;
	bool warned = false;

	for (;;) {
		char outbuf[4096];
		char *o = outbuf;
		size_t oleft = sizeof outbuf;
		size_t r = inleft > 0 ? iconv(vt->to_cd, &in, &inleft, &o, &oleft)
		                      : iconv(vt->to_cd, NULL, NULL, &o, &oleft);
		int err = errno;

		queue_out(vt, outbuf, (size_t)(o - outbuf));
		if (r != (size_t)-1) {
			if (inleft == 0 && o == outbuf)
				break;  /* the shift-state flush produced nothing more */
			continue;
		}
		if (err == E2BIG)
			continue;
		if (!warned) {
			fprintf(stderr, "vt: vt_send: cannot convert text to the child's charset "
			        "at byte %zu of \"%s\"; sent '?'\n", (size_t)(in - copy), utf8);
			warned = true;
		}
		queue_out(vt, "?", 1);
		if (err == EINVAL) {
			inleft = 0;
		} else {
			size_t skip = utf8_seq_len((unsigned char)*in);

			if (skip > inleft)
				skip = inleft;
			in += skip;
			inleft -= skip;
		}
	}
	free(copy);
}

void
vt_send(struct vt *vt, const char *utf8)
{
	if (vt->eof) {
		fprintf(stderr, "vt: vt_send: the child closed the terminal; input dropped\n");
		return;
	}
	if (vt->convert)
		queue_converted(vt, utf8);
	else
		queue_out(vt, utf8, strlen(utf8));
	deliver(vt);
}

void
vt_key(struct vt *vt, enum vt_key key)
{
	static const VTermKey keys[] = {
		[VT_KEY_ENTER] = VTERM_KEY_ENTER,
		[VT_KEY_TAB] = VTERM_KEY_TAB,
		[VT_KEY_BTAB] = VTERM_KEY_TAB,  /* with Shift */
		[VT_KEY_BACKSPACE] = VTERM_KEY_BACKSPACE,
		[VT_KEY_ESC] = VTERM_KEY_ESCAPE,
		[VT_KEY_UP] = VTERM_KEY_UP,
		[VT_KEY_DOWN] = VTERM_KEY_DOWN,
		[VT_KEY_LEFT] = VTERM_KEY_LEFT,
		[VT_KEY_RIGHT] = VTERM_KEY_RIGHT,
		[VT_KEY_HOME] = VTERM_KEY_HOME,
		[VT_KEY_END] = VTERM_KEY_END,
		[VT_KEY_DELETE] = VTERM_KEY_DEL,
		[VT_KEY_PGUP] = VTERM_KEY_PAGEUP,
		[VT_KEY_PGDN] = VTERM_KEY_PAGEDOWN,
	};

	if (vt->eof) {
		fprintf(stderr, "vt: vt_key: the child closed the terminal; key dropped\n");
		return;
	}
	if (key >= VT_KEY_F1 && key <= VT_KEY_F12)
		vterm_keyboard_key(vt->term, VTERM_KEY_FUNCTION(key - VT_KEY_F1 + 1),
		                   VTERM_MOD_NONE);
	else if ((unsigned)key < sizeof keys / sizeof keys[0])
		vterm_keyboard_key(vt->term, keys[key],
		                   key == VT_KEY_BTAB ? VTERM_MOD_SHIFT : VTERM_MOD_NONE);
	else
		fprintf(stderr, "vt: vt_key: unknown key %d\n", (int)key);
	deliver(vt);
}

/* ---- reading the screen ----------------------------------------------------- */

/* Encodes one code point; invalid ones become U+FFFD. Returns bytes written
 * (at most 4). */
static size_t
put_utf8(uint32_t cp, char *out)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static bool
is_continuation(const VTermScreenCell *c)
{
	return c->chars[0] == (uint32_t)-1;
}

/* NUL-terminated UTF-8 of a cell: " " when blank, "" for the right half of a
 * wide character. Returns the length. */
static size_t
cell_text(const VTermScreenCell *c, char out[VT_CELL_TEXT_MAX])
{
	size_t len = 0;

	if (is_continuation(c)) {
		out[0] = '\0';
		return 0;
	}
	if (c->chars[0] == 0) {
		out[0] = ' ';
		out[1] = '\0';
		return 1;
	}
	for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c->chars[i] != 0; i++)
		len += put_utf8(c->chars[i], out + len);
	out[len] = '\0';
	return len;
}

/* Text of a row, untrimmed (every cell accounted for). If colmap is not
 * NULL, *colmap gets, for each byte of the text, the column of the cell it
 * belongs to. Returns the malloc'd text; *lenp gets its length. */
static char *
row_text_full(struct vt *vt, int row, size_t *lenp, int **colmap)
{
	size_t cap = (size_t)vt->cols * (VT_CELL_TEXT_MAX - 1) + 1;
	char *text = xmalloc(cap);
	int *map = colmap ? xmalloc(cap * sizeof *map) : NULL;
	size_t len = 0;

	for (int col = 0; col < vt->cols;) {
		VTermScreenCell cell;
		VTermPos pos = { .row = row, .col = col };
		size_t n;

		if (!vterm_screen_get_cell(vt->screen, pos, &cell) || is_continuation(&cell)) {
			col++;
			continue;
		}
		n = cell_text(&cell, text + len);
		for (size_t i = 0; map && i < n; i++)
			map[len + i] = col;
		len += n;
		col += cell.width > 1 ? cell.width : 1;
	}
	text[len] = '\0';
	if (colmap)
		*colmap = map;
	*lenp = len;
	return text;
}

char *
vt_row_text(struct vt *vt, int row)
{
	size_t len;
	char *text;

	if (row < 0 || row >= vt->rows)
		return xstrdup("");
	text = row_text_full(vt, row, &len, NULL);
	while (len > 0 && text[len - 1] == ' ')
		len--;
	text[len] = '\0';
	return text;
}

char *
vt_screen_text(struct vt *vt)
{
	size_t cap = 1, len = 0;
	char *all = xmalloc(cap);

	all[0] = '\0';
	for (int r = 0; r < vt->rows; r++) {
		char *line = vt_row_text(vt, r);
		size_t n = strlen(line);

		cap = len + n + 2;
		all = xrealloc(all, cap);
		if (r > 0)
			all[len++] = '\n';
		memcpy(all + len, line, n + 1);
		len += n;
		free(line);
	}
	return all;
}

bool
vt_find(struct vt *vt, const char *utf8, int *row, int *col)
{
	for (int r = 0; r < vt->rows; r++) {
		size_t len;
		int *map;
		char *text = row_text_full(vt, r, &len, &map);
		char *hit = strstr(text, utf8);
		bool found = hit != NULL;

		if (found) {
			size_t off = (size_t)(hit - text);

			if (row)
				*row = r;
			if (col)
				*col = off < len ? map[off] : vt->cols;
		}
		free(text);
		free(map);
		if (found)
			return true;
	}
	return false;
}

/* Palette index of a colour, VT_COLOR_DEFAULT, or VT_COLOR_RGB. libvterm
 * 0.1.4 keeps SGR 30-37/90-97/38;5 colours indexed; a direct RGB colour
 * (38;2) is matched back against the 256-colour palette. */
static int
color_index(struct vt *vt, const VTermColor *c, bool fg)
{
	if (fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c))
		return VT_COLOR_DEFAULT;
	if (VTERM_COLOR_IS_INDEXED(c))
		return c->indexed.idx;
	for (int i = 0; i < 256; i++) {
		VTermColor p;

		vterm_state_get_palette_color(vt->state, i, &p);
		vterm_state_convert_color_to_rgb(vt->state, &p);
		if (p.rgb.red == c->rgb.red && p.rgb.green == c->rgb.green &&
		    p.rgb.blue == c->rgb.blue)
			return i;
	}
	return VT_COLOR_RGB;
}

static unsigned
color_rgb(struct vt *vt, const VTermColor *c)
{
	VTermColor copy = *c;

	vterm_screen_convert_color_to_rgb(vt->screen, &copy);
	return (unsigned)copy.rgb.red << 16 | (unsigned)copy.rgb.green << 8 | copy.rgb.blue;
}

bool
vt_cell(struct vt *vt, int row, int col, struct vt_cell_info *out)
{
	VTermScreenCell cell;
	VTermPos pos = { .row = row, .col = col };

	if (row < 0 || row >= vt->rows || col < 0 || col >= vt->cols ||
	    !vterm_screen_get_cell(vt->screen, pos, &cell))
		return false;
	memset(out, 0, sizeof *out);
	out->bold = cell.attrs.bold;
	out->underline = cell.attrs.underline != VTERM_UNDERLINE_OFF;
	out->italic = cell.attrs.italic;
	out->blink = cell.attrs.blink;
	out->reverse = cell.attrs.reverse;
	out->strike = cell.attrs.strike;
	out->fg_index = color_index(vt, &cell.fg, true);
	out->bg_index = color_index(vt, &cell.bg, false);
	out->fg_rgb = color_rgb(vt, &cell.fg);
	out->bg_rgb = color_rgb(vt, &cell.bg);
	out->width = is_continuation(&cell) ? 0 : cell.width;
	cell_text(&cell, out->text);
	return true;
}

void
vt_cursor(struct vt *vt, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vt->state, &pos);
	if (row)
		*row = pos.row;
	if (col)
		*col = pos.col;
}

bool
vt_cursor_visible(struct vt *vt)
{
	return vt->cursor_visible;
}

int
vt_rows(struct vt *vt)
{
	return vt->rows;
}

int
vt_cols(struct vt *vt)
{
	return vt->cols;
}

void
vt_resize(struct vt *vt, int rows, int cols)
{
	struct winsize ws;

	if (rows < 1 || cols < 1 || rows > 0xffff || cols > 0xffff) {
		fprintf(stderr, "vt: vt_resize: bad size %dx%d\n", rows, cols);
		return;
	}
	/* Output the child wrote for the old size must reach libvterm before
	 * it changes size, as it reaches a real terminal: else its last rows
	 * land on the smaller screen, scroll it, and curses (which knows
	 * nothing of that) leaves the damage there. */
	vt_settle(vt, 100, 2000);
	vterm_set_size(vt->term, rows, cols);
	vt->rows = rows;
	vt->cols = cols;
	memset(&ws, 0, sizeof ws);
	ws.ws_row = (unsigned short)rows;
	ws.ws_col = (unsigned short)cols;
	if (vt->fd >= 0 && ioctl(vt->fd, TIOCSWINSZ, &ws) < 0)
		fprintf(stderr, "vt: TIOCSWINSZ: %s\n", strerror(errno));
}

/* ---- waiting ------------------------------------------------------------------ */

/* Whether utf8 is anywhere on screen (see vt_find). */
static bool
on_screen(struct vt *vt, const char *utf8)
{
	return vt_find(vt, utf8, NULL, NULL);
}

/* Pumps until on_screen(utf8) == want or timeout; reports failures. */
static bool
wait_for_text(struct vt *vt, const char *utf8, bool want, int timeout_ms)
{
	long long start = now_ms();
	long long deadline = start + (timeout_ms > 0 ? timeout_ms : 0);
	const char *what = want ? "" : " to disappear";

	for (;;) {
		if (on_screen(vt, utf8) == want)
			return true;
		if (vt->eof) {
			fprintf(stderr, "vt: child closed the terminal after %lld ms waiting for %s%s\n",
			        now_ms() - start, utf8, what);
			break;
		}
		if (remaining_ms(deadline) == 0) {
			fprintf(stderr, "vt: timed out after %d ms waiting for %s%s\n", timeout_ms,
			        utf8, what);
			break;
		}
		pump(vt, remaining_ms(deadline));
	}
	vt_dump(vt, stderr);
	return false;
}

bool
vt_expect(struct vt *vt, const char *utf8, int timeout_ms)
{
	return wait_for_text(vt, utf8, true, timeout_ms);
}

bool
vt_expect_gone(struct vt *vt, const char *utf8, int timeout_ms)
{
	return wait_for_text(vt, utf8, false, timeout_ms);
}

void
vt_settle(struct vt *vt, int quiet_ms, int max_ms)
{
	long long start = now_ms();
	long long last = start;

	while (!vt->eof) {
		long long quiet_end = last + quiet_ms, end = start + max_ms;
		int wait_ms = remaining_ms(quiet_end < end ? quiet_end : end);

		if (wait_ms == 0)
			return;
		if (pump(vt, wait_ms) > 0)
			last = now_ms();
	}
}

int
vt_wait_exit(struct vt *vt, int timeout_ms)
{
	if (!wait_child(vt, now_ms() + (timeout_ms > 0 ? timeout_ms : 0)))
		return -1;
	return vt->exit_status;
}

size_t
vt_bytes_received(struct vt *vt)
{
	return vt->received;
}

void
vt_dump(struct vt *vt, FILE *out)
{
	int crow, ccol;

	try_reap(vt, false);    /* report an exit that happened meanwhile */
	vt_cursor(vt, &crow, &ccol);
	fprintf(out, "vt: screen %dx%d, cursor at row %d col %d (%s), %zu bytes received, ",
	        vt->rows, vt->cols, crow, ccol, vt->cursor_visible ? "visible" : "hidden",
	        vt->received);
	if (vt->reaped)
		fprintf(out, "child exited with status %d\n", vt->exit_status);
	else
		fprintf(out, "child running%s\n", vt->eof ? ", pty closed" : "");

	fputs("    +", out);
	for (int c = 0; c < vt->cols; c++)
		fputc(c % 10 == 0 ? '0' + c / 10 % 10 : '-', out);
	fputs("+\n", out);
	for (int r = 0; r < vt->rows; r++) {
		size_t len;
		char *text = row_text_full(vt, r, &len, NULL);

		fprintf(out, "%3d |%s|\n", r, text);
		free(text);
	}
	fputs("    +", out);
	for (int c = 0; c < vt->cols; c++)
		fputc('-', out);
	fputs("+\n", out);
	fflush(out);
}

void
vt_kill(struct vt *vt, int sig)
{
	if (!vt->reaped)
		kill(vt->pid, sig);
}
