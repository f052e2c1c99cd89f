/*
 * 机构与窗口: the administrator's screen of offices and windows (F3 on an
 * administrator's workbench; registered as AV_OFFICES).
 *
 * offices_view_ops (tui/admin/offices.c): the administrator's own office
 * and every office below it in tree order (code, name, tier, state,
 * active/all windows, 咨询电话), and below them the windows of the
 * selected office (number, label, state, print channel, encoding, width,
 * who is signed in). ↑ ↓ choose, Tab moves between the offices and the
 * windows. F2 adds an office below the selected one (its code, then its
 * name), F3 renames the selected office, F4 sets its address and
 * 咨询电话, F5 adds a window to it, F6 sets the selected window's printer
 * (channel, encoding, width), F8 deactivates (or activates again) the
 * selected office or window after a confirmation, Esc or F10 go back to
 * the workbench. Every change is one call of db/functions/offices.sql as
 * the administrator's session (the server checks the jurisdiction and
 * audits it); the server's refusal is shown on the message line. Read
 * again after each change and on every NOTIFY of the office.
 */
#ifndef YC_ADMIN_OFFICES_H
#define YC_ADMIN_OFFICES_H

#include "ui/app.h"

extern const struct view_ops offices_view_ops;

#endif
