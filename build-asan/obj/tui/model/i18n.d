build-asan/obj/tui/model/i18n.o: tui/model/i18n.c tui/model/i18n.h \
 tui/util/xalloc.h
tui/model/i18n.h:
tui/util/xalloc.h:
