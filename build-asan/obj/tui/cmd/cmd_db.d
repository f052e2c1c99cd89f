build-asan/obj/tui/cmd/cmd_db.o: tui/cmd/cmd_db.c tui/cmd/cmd.h \
 tui/model/i18n.h tui/store/cluster.h tui/store/db.h \
 /usr/include/postgresql/libpq-fe.h \
 /usr/include/postgresql/postgres_ext.h \
 /usr/include/postgresql/pg_config_ext.h tui/store/migrate.h \
 tui/util/conv.h tui/util/paths.h tui/util/xalloc.h
tui/cmd/cmd.h:
tui/model/i18n.h:
tui/store/cluster.h:
tui/store/db.h:
/usr/include/postgresql/libpq-fe.h:
/usr/include/postgresql/postgres_ext.h:
/usr/include/postgresql/pg_config_ext.h:
tui/store/migrate.h:
tui/util/conv.h:
tui/util/paths.h:
tui/util/xalloc.h:
