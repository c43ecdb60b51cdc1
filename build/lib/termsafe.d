build/lib/termsafe.o: lib/termsafe.c lib/termsafe.h
lib/termsafe.h:
