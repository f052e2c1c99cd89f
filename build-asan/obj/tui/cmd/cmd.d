build-asan/obj/tui/cmd/cmd.o: tui/cmd/cmd.c tui/cmd/cmd.h \
 tui/model/i18n.h tui/store/cluster.h tui/util/xalloc.h
tui/cmd/cmd.h:
tui/model/i18n.h:
tui/store/cluster.h:
tui/util/xalloc.h:
