build-asan/obj/tui/util/paths.o: tui/util/paths.c tui/util/paths.h \
 tui/util/xalloc.h
tui/util/paths.h:
tui/util/xalloc.h:
