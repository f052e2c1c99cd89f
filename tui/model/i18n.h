/*
 * Message catalogues: our own reader for GNU .mo files.
 *
 * UI strings are written in English in the source (msgids) and wrapped in
 * _("...") (or N_("...") where a constant expression is needed; translate
 * those with _() at the point of use). locale/<lang>.po is compiled by
 * msgfmt into BUILD/locale/<lang>/LC_MESSAGES/yichuang.mo. glibc gettext
 * is deliberately not used: Chinese must be the default even on a machine
 * without a zh_CN locale, and lookups must not depend on setlocale().
 *
 * One catalogue is loaded at a time (process-wide state, not thread-safe;
 * the UI is single-threaded). Without a catalogue every msgid translates
 * to itself, i.e. English.
 *
 * Accepted file format: magic 0x950412de in either byte order, major
 * revision 0 (minor revisions are accepted; system-dependent string
 * segments they may add are ignored), N string pairs, the two (length,
 * offset) tables, originals sorted bytewise. The hash table is ignored.
 * The entry with the empty msgid (the PO header) is never returned.
 * Entries with a context ("ctx\004id") are simply keys that contain \004.
 * For plural entries the msgid is compared up to its first NUL and the
 * singular (first) translation is returned.
 */
#ifndef YC_MODEL_I18N_H
#define YC_MODEL_I18N_H

/*
 * Reads and validates the .mo file at mo_path and makes it the current
 * catalogue, freeing the previous one. Returns 0 on success.
 * Returns -1 when the file cannot be read or is not a valid catalogue
 * (bad magic or revision, truncated header, any table or string lying
 * outside the file, a string without its terminating NUL, originals not
 * sorted): the previous catalogue then stays loaded and unchanged, and
 * errno describes read errors (EINVAL for a malformed file, EFBIG for a
 * file over 64 MiB). Never reads outside the file's bytes.
 */
int i18n_load(const char *mo_path);

/*
 * The translation of msgid, or msgid itself when no catalogue is loaded,
 * msgid is not in it, or its translation is empty. i18n_get("") is "".
 * msgid == NULL gives "". The returned pointer is either msgid or points
 * into the catalogue, valid until the next successful i18n_load() or
 * i18n_unload(); do not free it.
 */
const char *i18n_get(const char *msgid);

/* Frees the current catalogue (if any); afterwards i18n_get() is the
 * identity. Pointers previously returned by i18n_get() become invalid. */
void i18n_unload(void);

/*
 * Chooses the UI language; returns the static string "en" or "zh_CN".
 * When opt (the --lang value) is non-NULL it decides: "en" if it starts
 * with "en" (any case: "en", "en_US", "EN"), otherwise "zh_CN" ("zh",
 * "zh_CN", and anything unknown). When opt is NULL the first non-empty of
 * the environment variables LC_ALL, LC_MESSAGES, LANG decides the same
 * way ("C" and "POSIX" therefore give "zh_CN"). Default "zh_CN".
 */
const char *i18n_choose_lang(const char *opt);

#define _(s) i18n_get(s)
#define N_(s) (s)

#endif
