/* Shared pieces of the libFuzzer targets. */
#include "fuzz_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/*
 * lib/log.c is compiled for the fuzzers with syslog renamed to this, so
 * millions of rejected inputs neither flood the system log nor slow down
 * the run, while the formatting and escaping in log_msg() still run.
 */
void fuzz_syslog(int priority, const char *fmt, ...);

void
fuzz_syslog(int priority, const char *fmt, ...)
{
	(void)priority;
	(void)fmt;
}

void
fuzz_quiet_logs(void)
{
	log_set_stderr(false);
	log_set_level(LOG_LEVEL_DEBUG);
}

char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s;

	if (size > FUZZ_INPUT_MAX)
		size = FUZZ_INPUT_MAX;
	if ((s = malloc(size + 1)) == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void
fuzz_split(const uint8_t *data, size_t size, char sep, char **parts,
    size_t n)
{
	const uint8_t *end = data + size, *p;
	size_t i;

	for (i = 0; i < n; i++) {
		p = NULL;
		if (i + 1 < n && data < end)
			p = memchr(data, sep, (size_t)(end - data));
		if (p == NULL)
			p = end;
		parts[i] = fuzz_strdup(data, (size_t)(p - data));
		data = p < end ? p + 1 : end;
	}
}

void
fuzz_free_parts(char **parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(parts[i]);
		parts[i] = NULL;
	}
}

void
fuzz_check(int ok, const char *what, const char *file, int line)
{
	if (ok)
		return;
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

int
fuzz_has_control(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 1;
		/* U+0080..U+009F are encoded as C2 80..C2 9F */
		if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			return 1;
		/* bidirectional controls: U+061C, U+200E/F, U+202A..E, U+2066..9 */
		if (*p == 0xd8 && p[1] == 0x9c)
			return 1;
		if (*p == 0xe2 && p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f ||
		    (p[2] >= 0xaa && p[2] <= 0xae)))
			return 1;
		if (*p == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
			return 1;
		/*
		 * invisible: U+00AD, U+200B..D, U+2028/9, U+2060, U+FEFF
		 */
		if (*p == 0xc2 && p[1] == 0xad)
			return 1;
		if (*p == 0xe2 && p[1] == 0x80 && ((p[2] >= 0x8b &&
		    p[2] <= 0x8d) || p[2] == 0xa8 || p[2] == 0xa9))
			return 1;
		if (*p == 0xe2 && p[1] == 0x81 && p[2] == 0xa0)
			return 1;
		if (*p == 0xef && p[1] == 0xbb && p[2] == 0xbf)
			return 1;
	}
	return 0;
}
