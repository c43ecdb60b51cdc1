build/lib/log.o: lib/log.c lib/log.h lib/termsafe.h
lib/log.h:
lib/termsafe.h:
