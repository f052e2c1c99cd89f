/*
 * 人员管理 (tui/admin/staff.c, registered as AV_STAFF): the
 * administrator's staff accounts, reached with F2 from the administrator's
 * workbench. The list of the accounts of the administrator's office and
 * the offices below it, filtered as one types (staff number or name) and
 * by state (F9); F2 adds an account, F3 edits it, F4 disables or enables
 * it (a disabled clerk's open cases are listed for the supervisor's
 * reassignment), F5 resets its password, F6 unlocks it, F7 lists its open
 * cases. The database enforces who may do what (db/functions/admin.sql);
 * the screen says what it refused and why.
 */
#ifndef YC_ADMIN_STAFF_H
#define YC_ADMIN_STAFF_H

#include "ui/app.h"

extern const struct view_ops staff_view_ops;

#endif
