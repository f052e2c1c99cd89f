build-asan/obj/tui/model/text.o: tui/model/text.c tui/model/text.h \
 tui/util/xalloc.h
tui/model/text.h:
tui/util/xalloc.h:
