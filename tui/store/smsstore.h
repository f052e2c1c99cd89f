/*
 * The text-message templates in the database (yc.sms_template,
 * db/migrations/0018_outbox_kinds.sql), which the server renders into
 * yc.outbox at each outcome (db/functions/outbox.sql). The files are read
 * and checked by model/sms.h; this loads a checked set.
 */
#ifndef YC_STORE_SMSSTORE_H
#define YC_STORE_SMSSTORE_H

#include "model/sms.h"
#include "store/db.h"

/*
 * Loads set (every kind, as sms_load_dir gives it) in one transaction, as
 * the administrator: the rows whose file text or variables changed are
 * written (body, the variables' maximum lengths, the longest message, the
 * sha256 checksum of the file's text), with one audit row
 * (sms_templates_load: the kinds written and their checksums) when any
 * was. Returns how many rows were written (0: all unchanged), or -1 with a
 * malloc'd English message in *err (nothing written).
 */
int smsstore_load(struct db *db, const struct sms_set *set, char **err);

#endif
