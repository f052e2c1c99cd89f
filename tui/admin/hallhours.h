/*
 * F4 on an administrator's workbench: the opening hours (营业时间) of the
 * administrator's office, or of another office chosen with F5: today and
 * the hall's state, the week (one row per day and one for the days off of
 * the calendar) and the special days from today on. Enter changes the
 * selected day's sessions, F3 turns noon service on or off, F2 adds a
 * special day (a date, its sessions or closed, a note), F8 gives a day of
 * the week back to the default or removes a special day. The database
 * checks who may change what (db/functions/hours.sql) and audits it.
 */
#ifndef YC_ADMIN_HALLHOURS_H
#define YC_ADMIN_HALLHOURS_H

#include "ui/app.h"

extern const struct view_ops hallhours_view_ops;

#endif
