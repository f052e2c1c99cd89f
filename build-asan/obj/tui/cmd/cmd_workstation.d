build-asan/obj/tui/cmd/cmd_workstation.o: tui/cmd/cmd_workstation.c \
 tui/cmd/cmd.h tui/model/i18n.h tui/ui/app.h tui/store/auth.h \
 tui/store/db.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/ui/term.h tui/util/conv.h
tui/cmd/cmd.h:
tui/model/i18n.h:
tui/ui/app.h:
tui/store/auth.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/ui/term.h:
tui/util/conv.h:
