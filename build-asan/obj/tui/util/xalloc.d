build-asan/obj/tui/util/xalloc.o: tui/util/xalloc.c tui/util/xalloc.h
tui/util/xalloc.h:
