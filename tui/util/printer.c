/* Print channels: a file, lp, or the terminal's own printer; see printer.h. */
#include "util/printer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/conv.h"
#include "util/safetext.h"
#include "util/xalloc.h"

/* Marks a msgid for xgettext (-kN_); translated by the caller's tr. */
#define N_(s) (s)

struct printer {
	enum printer_kind kind;
	printer_tr_fn *tr;		/* NULL: English */
	char *spec;
	char *path;			/* file */
	char *queue;			/* lp, may be NULL */
	const char *argv[6];		/* lp */
	int fd;				/* passthrough */
	char *encoding;			/* NULL: see printer_set_encoding */
};

/* msgid translated by tr; msgid itself without one. */
static const char *
printer_msg(printer_tr_fn *tr, const char *msgid)
{
	return tr != NULL ? tr(msgid) : msgid;
}

struct printer *
printer_open(const char *spec, printer_tr_fn *tr, char **why)
{
	struct printer *p;

	*why = NULL;
	if (spec == NULL)
		spec = "";
	p = xcalloc(1, sizeof *p);
	p->spec = xstrdup(spec);
	p->tr = tr;
	p->fd = 1;
	if (strncmp(spec, "file:", 5) == 0 && spec[5] != '\0') {
		p->kind = PRINTER_FILE;
		p->path = xstrdup(spec + 5);
		return p;
	}
	if (strcmp(spec, "passthrough") == 0) {
		p->kind = PRINTER_PASSTHROUGH;
		return p;
	}
	if (strcmp(spec, "lp") == 0 || (strncmp(spec, "lp:", 3) == 0 && spec[3] != '\0' &&
	    spec[3] != '-')) {
		int n = 0;

		p->kind = PRINTER_LP;
		p->argv[n++] = "lp";
		p->argv[n++] = "-s";
		if (spec[2] == ':') {
			p->queue = xstrdup(spec + 3);
			p->argv[n++] = "-d";
			p->argv[n++] = p->queue;
		}
		p->argv[n] = NULL;
		return p;
	}
	*why = xasprintf(printer_msg(tr, N_("Unknown printer channel \"%s\": use file:PATH, lp, "
	    "lp:QUEUE or passthrough.")), spec);
	printer_free(&p);
	return NULL;
}

void
printer_free(struct printer **pp)
{
	struct printer *p = *pp;

	if (p == NULL)
		return;
	free(p->spec);
	free(p->encoding);
	free(p->path);
	free(p->queue);
	free(p);
	*pp = NULL;
}

enum printer_kind
printer_kind(const struct printer *p)
{
	return p->kind;
}

const char *
printer_spec(const struct printer *p)
{
	return p->spec;
}

void
printer_set_fd(struct printer *p, int fd)
{
	p->fd = fd;
}

const char *const *
printer_lp_argv(const struct printer *p)
{
	return p->kind == PRINTER_LP ? p->argv : NULL;
}

/* Writes all len bytes; false with errno set on failure. */
static bool
printer_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		buf += w;
		len -= (size_t)w;
	}
	return true;
}

/* Creates the directories above path (like mkdir -p of its dirname), each
 * one created here 0700 whatever the umask. */
static void
printer_mkdirs(const char *path)
{
	char *d = xstrdup(path);

	for (char *s = d + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(d, 0700) == 0)
			chmod(d, 0700);
		*s = '/';
	}
	free(d);
}

char *
printer_spool(const char *var, const char *name)
{
	char *dir = xasprintf("%s/print", var), *spec;
	struct stat st;

	printer_mkdirs(dir);
	if (mkdir(dir, 0700) == 0 || (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid() && (st.st_mode & 07777) != 0700))
		chmod(dir, 0700);
	spec = xasprintf("file:%s/%s", dir, name);
	free(dir);
	return spec;
}

/*
 * Appends the document whole or not at all: the file locked for the one
 * writer, its length noted, the document (with its last newline) written,
 * and on a failure the file cut back to that length.
 */
static int
printer_file(struct printer *p, const char *doc, char **why)
{
	size_t len = strlen(doc);
	bool nl = len == 0 || doc[len - 1] != '\n';
	char *buf = xmalloc(len + 2);
	struct stat st;
	int fd, err = 0;
	bool ok;

	memcpy(buf, doc, len);
	if (nl)
		buf[len++] = '\n';
	buf[len] = '\0';
	printer_mkdirs(p->path);
	fd = open(p->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		*why = xasprintf(printer_msg(p->tr, N_("Cannot open %s: %s")), p->path, strerror(errno));
		free(buf);
		return -1;
	}
	/* a regular file of ours holding names and phones: 0600, whatever
	 * the umask or an older version made it (a device, a pipe or
	 * someone else's file is left as it is) */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
	    (st.st_mode & 07777) != 0600)
		fchmod(fd, 0600);
	while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
		;
	ok = fstat(fd, &st) == 0;
	if (!ok)
		err = errno;
	if (ok && !(ok = printer_write_all(fd, buf, len))) {
		err = errno;
		if (S_ISREG(st.st_mode) && ftruncate(fd, st.st_size) != 0)
			err = errno;
	}
	free(buf);
	if (close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		*why = xasprintf(printer_msg(p->tr, N_("Cannot write %s: %s")), p->path, strerror(err));
		return -1;
	}
	return 0;
}

static int
printer_lp(struct printer *p, const char *doc, char **why)
{
	int fds[2], status;
	pid_t pid;
	bool ok;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		*why = xasprintf(printer_msg(p->tr, N_("Cannot start lp: %s")), strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		*why = xasprintf(printer_msg(p->tr, N_("Cannot start lp: %s")), strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		signal(SIGPIPE, SIG_DFL);
		signal(SIGXFSZ, SIG_DFL);
		dup2(fds[0], 0);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execvp(p->argv[0], (char *const *)p->argv);
		_exit(127);
	}
	close(fds[0]);
	ok = printer_write_all(fds[1], doc, strlen(doc));
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			*why = xasprintf(printer_msg(p->tr, N_("lp: %s")), strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		*why = xstrdup(printer_msg(p->tr, N_("The lp command is not installed (package cups-client).")));
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !ok) {
		*why = xasprintf(printer_msg(p->tr, N_("lp refused the document (status %d).")),
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return -1;
	}
	return 0;
}

static int
printer_passthrough(struct printer *p, const char *doc, char **why)
{
	size_t len = strlen(doc), n = 0;
	char *crlf = xmalloc(2 * len + 3), *conv, *out;
	bool ok;

	for (size_t i = 0; i < len; i++) {
		if (doc[i] == '\n' && (i == 0 || doc[i - 1] != '\r'))
			crlf[n++] = '\r';
		crlf[n++] = doc[i];
	}
	if (n == 0 || crlf[n - 1] != '\n') {
		crlf[n++] = '\r';
		crlf[n++] = '\n';
	}
	crlf[n] = '\0';
	conv = p->encoding != NULL ? conv_to(p->encoding, crlf) : conv_to_terminal(crlf);
	out = xasprintf("\033[5i%s\033[4i", conv);
	ok = printer_write_all(p->fd, out, strlen(out));
	if (!ok)
		*why = xasprintf(printer_msg(p->tr, N_("Cannot write to the terminal's printer: %s")),
		    strerror(errno));
	free(out);
	free(conv);
	free(crlf);
	return ok ? 0 : -1;
}

int
printer_print(struct printer *p, const char *doc, char **why)
{
	struct sigaction ign, old, old_fsz;
	char *conv = NULL, *clean;
	int rc = -1;

	*why = NULL;
	/* nothing a stored value holds reaches the channel as a control */
	clean = safetext_strip(doc);
	doc = clean;
	/* file and lp take the document in the channel's encoding; passthrough
	 * converts on its own (to the encoding, or the terminal's codeset). */
	if (p->encoding != NULL && p->kind != PRINTER_PASSTHROUGH) {
		if ((conv = conv_to(p->encoding, doc)) == NULL) {
			*why = xasprintf(printer_msg(p->tr, N_("Unknown encoding: %s")), p->encoding);
			free(clean);
			return -1;
		}
		doc = conv;
	}
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	/* a file size limit makes write() fail (EFBIG) instead of killing us */
	sigaction(SIGXFSZ, &ign, &old_fsz);
	switch (p->kind) {
	case PRINTER_FILE:
		rc = printer_file(p, doc, why);
		break;
	case PRINTER_LP:
		rc = printer_lp(p, doc, why);
		break;
	case PRINTER_PASSTHROUGH:
		rc = printer_passthrough(p, doc, why);
		break;
	}
	sigaction(SIGPIPE, &old, NULL);
	sigaction(SIGXFSZ, &old_fsz, NULL);
	free(conv);
	free(clean);
	return rc;
}

bool
printer_set_encoding(struct printer *p, const char *codeset)
{
	char *probe;

	if (codeset == NULL || strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "UTF8") == 0) {
		free(p->encoding);
		p->encoding = codeset != NULL ? xstrdup("UTF-8") : NULL;
		return true;
	}
	probe = conv_to(codeset, "");
	if (probe == NULL)
		return false;
	free(probe);
	free(p->encoding);
	p->encoding = xstrdup(codeset);
	return true;
}
