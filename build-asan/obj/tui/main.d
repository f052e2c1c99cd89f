build-asan/obj/tui/main.o: tui/main.c tui/cmd/cmd.h tui/model/i18n.h \
 tui/util/conv.h tui/util/paths.h tui/util/xalloc.h
tui/cmd/cmd.h:
tui/model/i18n.h:
tui/util/conv.h:
tui/util/paths.h:
tui/util/xalloc.h:
