build/lib/config.o: lib/config.c lib/config.h lib/log.h
lib/config.h:
lib/log.h:
