/*
 * 预约办 and 电话办: the view where a clerk, guide or supervisor books an
 * appointment for a caller on the hotline or a citizen at the desk (ID
 * number, phone, 事项, day, then a free slot), and finds one by ID number
 * or code to move or cancel it. The server decides (store/apptstore.h);
 * the citizen gets the code by SMS and, at the desk, on a printed slip.
 */
#ifndef YC_APPOINT_H
#define YC_APPOINT_H
#include "ui/app.h"

extern const struct view_ops appoint_view_ops;
#endif
