build-asan/obj/tui/ui/term.o: tui/ui/term.c tui/ui/term.h \
 tui/model/text.h
tui/ui/term.h:
tui/model/text.h:
