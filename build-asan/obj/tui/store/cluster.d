build-asan/obj/tui/store/cluster.o: tui/store/cluster.c \
 tui/store/cluster.h tui/store/db.h /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/util/paths.h \
 tui/util/xalloc.h
tui/store/cluster.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/util/paths.h:
tui/util/xalloc.h:
