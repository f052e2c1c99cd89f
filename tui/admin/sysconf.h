/*
 * F6 on an administrator's workbench: the system settings (系统设置) of
 * the whole database: the idle lock, the lockout, the password policy,
 * the wait target and the others the database knows, each with its value,
 * default and range. Enter changes the selected one; the database checks
 * the value and who may change it (administrators of a city-level office)
 * and audits the change (db/functions/hours.sql).
 */
#ifndef YC_ADMIN_SYSCONF_H
#define YC_ADMIN_SYSCONF_H

#include "ui/app.h"

extern const struct view_ops sysconf_view_ops;

#endif
