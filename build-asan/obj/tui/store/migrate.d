build-asan/obj/tui/store/migrate.o: tui/store/migrate.c \
 tui/store/migrate.h tui/store/db.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/model/calendar.h \
 tui/util/paths.h tui/util/xalloc.h
tui/store/migrate.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/model/calendar.h:
tui/util/paths.h:
tui/util/xalloc.h:
