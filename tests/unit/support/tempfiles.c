/* Temporary directories and files for unit tests. */
#define _XOPEN_SOURCE 700
#include "tempfiles.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

int
tempfiles_make_dir(const char *name, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "/tmp/%s.XXXXXX", name);
	if (n < 0 || (size_t)n >= len || mkdtemp(buf) == NULL)
		return -1;
	return 0;
}

/* nftw() callback removing one entry, children first; returns 0 or -1. */
static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int
tempfiles_remove_dir(const char *dir)
{
	return nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

void
tempfiles_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

void
tempfiles_write_text(const char *path, const char *text)
{
	tempfiles_write(path, text, strlen(text));
}
