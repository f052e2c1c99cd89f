/* The private PostgreSQL cluster; see cluster.h. */
#include "store/cluster.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/i18n.h"
#include "store/db.h"
#include "util/conv.h"
#include "util/paths.h"
#include "util/xalloc.h"

#define CLUSTER_SUPERUSER "postgres"

/* The account the server runs as: NULL means ourselves. */
static struct passwd *
cluster_runas(char **err)
{
	struct passwd *pw;

	if (geteuid() != 0)
		return NULL;
	pw = getpwnam("postgres");
	if (pw == NULL)
		*err = xstrdup(_("running as root, but there is no 'postgres' account "
		    "to run the server as (install the postgresql package)"));
	return pw;
}

/* Directory holding initdb and pg_ctl, malloc'd, or NULL. */
static char *
cluster_bindir(void)
{
	const char *env = getenv("YICHUANG_PG_BINDIR");
	const char *base = "/usr/lib/postgresql/";
	glob_t g;
	char *dir = NULL;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (glob("/usr/lib/postgresql/*/bin/initdb", 0, NULL, &g) == 0 && g.gl_pathc > 0) {
		/* The highest major version wins; glob sorts as text, so compare numbers. */
		size_t best = 0, skip = strlen(base);

		for (size_t i = 1; i < g.gl_pathc; i++)
			if (atoi(g.gl_pathv[i] + skip) > atoi(g.gl_pathv[best] + skip))
				best = i;
		dir = xstrdup(g.gl_pathv[best]);
		*strrchr(dir, '/') = '\0';
	}
	globfree(&g);
	return dir;
}

char *
cluster_default_var(void)
{
	const char *env = getenv("YICHUANG_VAR");

	return paths_absolute(env != NULL && *env != '\0' ? env : "var");
}

static char *
cluster_path(const char *var, const char *name)
{
	return paths_join(var, name);
}

/* var as a single-quoted conninfo value. */
static char *
cluster_quote(const char *s)
{
	char *q = xmalloc(strlen(s) * 2 + 3), *p = q;

	*p++ = '\'';
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			*p++ = '\\';
		*p++ = *s;
	}
	*p++ = '\'';
	*p = '\0';
	return q;
}

bool
cluster_exists(const char *var)
{
	char *p = cluster_path(var, "pgdata/PG_VERSION");
	bool ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

/*
 * Runs argv as pw (or ourselves), with stdout and stderr appended to
 * logpath. Returns the exit status, or -1 if it could not run.
 */
static int
cluster_spawn(struct passwd *pw, const char *cwd, const char *logpath, char *const argv[])
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (pw != NULL) {
			if (fd >= 0 && fchown(fd, pw->pw_uid, pw->pw_gid) != 0)
				_exit(126);
			if (setgid(pw->pw_gid) != 0 || initgroups(pw->pw_name, pw->pw_gid) != 0 ||
			    setuid(pw->pw_uid) != 0)
				_exit(126);
			setenv("HOME", pw->pw_dir, 1);
			setenv("USER", pw->pw_name, 1);
		}
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		unsetenv("PGDATA");
		if (chdir(cwd) != 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Makes dir exist with mode, owned by pw when given. */
static int
cluster_mkdir(const char *dir, mode_t mode, struct passwd *pw, char **err)
{
	if (mkdir(dir, mode) != 0 && errno != EEXIST) {
		*err = xasprintf("cannot create %s: %s", dir, strerror(errno));
		return -1;
	}
	if (pw != NULL && chown(dir, pw->pw_uid, pw->pw_gid) != 0) {
		*err = xasprintf("cannot give %s to %s: %s", dir, pw->pw_name, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * When the server runs as another account, every directory above var must
 * be searchable by it. Adds the search bit for others where it is missing
 * (never read or write), and says so.
 */
static int
cluster_reach(const char *var, struct passwd *pw, FILE *out, char **err)
{
	char *p = xstrdup(var);
	int rc = 0;

	for (char *s = strchr(p + 1, '/');; s = strchr(s + 1, '/')) {
		struct stat st;

		if (s != NULL)
			*s = '\0';
		if (stat(p, &st) == 0 && st.st_uid != pw->pw_uid && !(st.st_mode & S_IXOTH)) {
			if (chmod(p, st.st_mode | S_IXOTH) != 0) {
				*err = xasprintf(_("the postgres account cannot reach %s: %s"), p,
				    strerror(errno));
				rc = -1;
				break;
			}
			if (out != NULL)
				conv_fprintf(out, _("yichuang: made %s searchable (o+x) so the postgres account can reach %s\n"),
				    p, var);
		}
		if (s == NULL)
			break;
		*s = '/';
	}
	free(p);
	return rc;
}

static int
cluster_configure(const char *var, const char *data, char **err)
{
	char *conf = cluster_path(data, "postgresql.conf");
	char *run = cluster_path(var, "run");
	FILE *fp = fopen(conf, "a");
	int rc = 0;

	if (fp == NULL) {
		*err = xasprintf("cannot open %s: %s", conf, strerror(errno));
		rc = -1;
	} else {
		fprintf(fp, "\n# yichuang private cluster: Unix socket only, inside its own directory\n"
		    "listen_addresses = ''\n"
		    "unix_socket_directories = '%s'\n"
		    "unix_socket_permissions = 0700\n", run);
		if (fclose(fp) != 0) {
			*err = xasprintf("cannot write %s: %s", conf, strerror(errno));
			rc = -1;
		}
	}
	free(conf);
	free(run);
	return rc;
}

bool
cluster_running(const char *var)
{
	char *bindir = cluster_bindir(), *pgctl, *data, *logp, *err = NULL;
	struct passwd *pw = cluster_runas(&err);
	bool up = false;

	if (bindir != NULL && err == NULL && cluster_exists(var)) {
		pgctl = paths_join(bindir, "pg_ctl");
		data = cluster_path(var, "pgdata");
		logp = cluster_path(var, "setup.log");
		char *argv[] = { pgctl, "status", "-D", data, NULL };

		up = cluster_spawn(pw, var, logp, argv) == 0;
		free(pgctl);
		free(data);
		free(logp);
	}
	free(err);
	free(bindir);
	return up;
}

/*
 * Creates the application roles and the database if they are missing:
 * yichuang_app (the workstations), yichuang_kiosk (kiosks, boards) and
 * yichuang_jobs (`yichuang jobs run`), each with LOGIN. The other databases of the cluster take no connection from
 * them (CONNECT taken from PUBLIC): the signal functions, closed in the
 * yichuang database by 0027_roles, would be open there.
 */
static int
cluster_bootstrap(const char *var, char **err)
{
	char *run = cluster_path(var, "run"), *q = cluster_quote(run);
	char *ci = xasprintf("host=%s dbname=postgres user=" CLUSTER_SUPERUSER, q);
	struct db *db = db_open(ci);
	PGresult *res;
	int rc = -1;

	free(ci);
	free(q);
	free(run);
	if (!db_connected(db)) {
		*err = xasprintf("cannot connect to the private cluster: %s", db_detail(db));
		goto out;
	}
	if (db_exec(db, "DO $$ DECLARE r text; BEGIN "
	    "FOREACH r IN ARRAY ARRAY['yichuang_app', 'yichuang_kiosk', 'yichuang_jobs'] LOOP "
	    "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN "
	    "EXECUTE format('CREATE ROLE %I LOGIN', r); "
	    "ELSE EXECUTE format('ALTER ROLE %I LOGIN', r); END IF; END LOOP; END $$",
	    0, NULL) != DB_OK ||
	    db_exec(db, "REVOKE CONNECT ON DATABASE postgres, template1 FROM PUBLIC", 0, NULL) != DB_OK)
		goto fail;
	res = db_query(db, NULL, "SELECT 1 FROM pg_database WHERE datname = 'yichuang'", 0, NULL);
	if (res == NULL)
		goto fail;
	if (PQntuples(res) == 0 &&
	    db_exec(db, "CREATE DATABASE yichuang ENCODING 'UTF8' TEMPLATE template0", 0, NULL) != DB_OK) {
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	rc = 0;
	goto out;
fail:
	*err = xasprintf("cannot prepare the private cluster: %s", db_detail(db));
out:
	db_close(&db);
	return rc;
}

int
cluster_up(const char *var, FILE *out, char **err)
{
	char *bindir = NULL, *data = NULL, *run = NULL, *logp = NULL, *setup = NULL;
	char *initdb = NULL, *pgctl = NULL;
	struct passwd *pw;
	int rc = -1;

	*err = NULL;
	pw = cluster_runas(err);
	if (*err != NULL)
		return -1;
	bindir = cluster_bindir();
	if (bindir == NULL) {
		*err = xstrdup(_("PostgreSQL server programs (initdb, pg_ctl) not found; "
		    "install the postgresql package or set YICHUANG_PG_BINDIR"));
		return -1;
	}
	data = cluster_path(var, "pgdata");
	run = cluster_path(var, "run");
	logp = cluster_path(var, "postgres.log");
	setup = cluster_path(var, "setup.log");
	initdb = paths_join(bindir, "initdb");
	pgctl = paths_join(bindir, "pg_ctl");
	if (strlen(run) > 90) {
		*err = xasprintf(_("the socket directory %s is too long for a Unix socket; "
		    "set YICHUANG_VAR to a shorter path"), run);
		goto out;
	}
	if (cluster_mkdir(var, 0755, NULL, err) != 0 || cluster_mkdir(run, 0700, pw, err) != 0)
		goto out;
	if (pw != NULL && cluster_reach(var, pw, out, err) != 0)
		goto out;
	if (!cluster_exists(var)) {
		if (out != NULL)
			conv_fprintf(out, _("yichuang: creating the private PostgreSQL cluster in %s\n"), data);
		if (cluster_mkdir(data, 0700, pw, err) != 0)
			goto out;
		char *argv[] = { initdb, "-D", data, "-U", CLUSTER_SUPERUSER, "-E", "UTF8",
		    "--no-locale", "--auth-local=trust", "--auth-host=reject", NULL };
		if (cluster_spawn(pw, var, setup, argv) != 0) {
			*err = xasprintf(_("initdb failed; see %s"), setup);
			goto out;
		}
		if (cluster_configure(var, data, err) != 0)
			goto out;
	}
	if (!cluster_running(var)) {
		char *argv[] = { pgctl, "start", "-D", data, "-l", logp, "-w", "-t", "60", NULL };
		int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			if (pw != NULL && fchown(fd, pw->pw_uid, pw->pw_gid) != 0) {
				*err = xasprintf("cannot give %s to postgres: %s", logp, strerror(errno));
				close(fd);
				goto out;
			}
			close(fd);
		}
		if (out != NULL)
			conv_fprintf(out, _("yichuang: starting PostgreSQL (socket in %s)\n"), run);
		if (cluster_spawn(pw, var, setup, argv) != 0) {
			*err = xasprintf(_("the PostgreSQL server did not start; see %s and %s"), logp, setup);
			goto out;
		}
	}
	rc = cluster_bootstrap(var, err);
out:
	free(bindir);
	free(data);
	free(run);
	free(logp);
	free(setup);
	free(initdb);
	free(pgctl);
	return rc;
}

int
cluster_down(const char *var, FILE *out, char **err)
{
	char *bindir, *pgctl, *data, *setup;
	struct passwd *pw;
	int rc = 0;

	*err = NULL;
	if (!cluster_running(var))
		return 0;
	pw = cluster_runas(err);
	bindir = cluster_bindir();
	if (*err != NULL || bindir == NULL) {
		free(bindir);
		if (*err == NULL)
			*err = xstrdup("pg_ctl not found");
		return -1;
	}
	pgctl = paths_join(bindir, "pg_ctl");
	data = cluster_path(var, "pgdata");
	setup = cluster_path(var, "setup.log");
	char *argv[] = { pgctl, "stop", "-D", data, "-m", "fast", "-w", "-t", "60", NULL };
	if (out != NULL)
		conv_fprintf(out, _("yichuang: stopping PostgreSQL in %s\n"), data);
	if (cluster_spawn(pw, var, setup, argv) != 0) {
		*err = xasprintf(_("pg_ctl stop failed; see %s"), setup);
		rc = -1;
	}
	free(bindir);
	free(pgctl);
	free(data);
	free(setup);
	return rc;
}

char *
cluster_conninfo(const char *var, const char *user)
{
	char *run = cluster_path(var, "run"), *q = cluster_quote(run);
	char *ci = xasprintf("host=%s dbname=yichuang user=%s", q, user);

	free(run);
	free(q);
	return ci;
}
