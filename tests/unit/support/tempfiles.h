/*
 * Temporary directories and files for unit tests: created under /tmp,
 * removed with everything in them by the test's teardown.
 */
#ifndef VMCONSOLE_TEST_TEMPFILES_H
#define VMCONSOLE_TEST_TEMPFILES_H

#include <stddef.h>

/*
 * Creates a new directory /tmp/<name>.XXXXXX and writes its path into buf.
 * Returns 0, or -1 when it does not fit or cannot be created.
 */
int tempfiles_make_dir(const char *name, char *buf, size_t len);

/* Removes dir and everything below it; returns 0 or -1. */
int tempfiles_remove_dir(const char *dir);

/* Replaces path with len bytes of data; fails the test when it cannot. */
void tempfiles_write(const char *path, const void *data, size_t len);

/* Replaces path with the string text (without its NUL). */
void tempfiles_write_text(const char *path, const char *text);

#endif
