build-asan/obj/tui/ui/workbench.o: tui/ui/workbench.c tui/model/i18n.h \
 tui/model/text.h tui/ui/app.h tui/store/auth.h tui/store/db.h \
 /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/ui/term.h tui/util/xalloc.h
tui/model/i18n.h:
tui/model/text.h:
tui/ui/app.h:
tui/store/auth.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/ui/term.h:
tui/util/xalloc.h:
