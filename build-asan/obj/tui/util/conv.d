build-asan/obj/tui/util/conv.o: tui/util/conv.c tui/util/conv.h \
 tui/util/xalloc.h
tui/util/conv.h:
tui/util/xalloc.h:
