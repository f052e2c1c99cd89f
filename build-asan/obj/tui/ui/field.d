build-asan/obj/tui/ui/field.o: tui/ui/field.c tui/ui/field.h \
 tui/ui/term.h tui/model/text.h
tui/ui/field.h:
tui/ui/term.h:
tui/model/text.h:
