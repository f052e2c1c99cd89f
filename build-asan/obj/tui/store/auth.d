build-asan/obj/tui/store/auth.o: tui/store/auth.c tui/store/auth.h \
 tui/store/db.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/util/xalloc.h
tui/store/auth.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/util/xalloc.h:
