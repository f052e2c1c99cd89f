build-asan/obj/tui/model/calendar.o: tui/model/calendar.c \
 tui/model/calendar.h tui/model/text.h tui/util/xalloc.h
tui/model/calendar.h:
tui/model/text.h:
tui/util/xalloc.h:
