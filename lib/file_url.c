/* Reading file:// manager documents directly. */
#include "file_url.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

bool
file_url_is_file(const char *url)
{
	return strncasecmp(url, "file:", 5) == 0;
}

/* Returns the value of hexadecimal digit c, or -1. */
static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
file_url_path(const char *url, char *err, size_t errlen)
{
	const char *p, *end;
	char *path = NULL, *o;
	int hi, lo;

	if (strncasecmp(url, "file://", 7) != 0) {
		snprintf(err, errlen, "not a file:// URL");
		return NULL;
	}
	p = url + 7;
	if (strncasecmp(p, "localhost/", 10) == 0)
		p += 9;
	if (*p != '/') {
		snprintf(err, errlen, "a file:// URL names a path on this "
		    "machine: file:///PATH");
		return NULL;
	}
	end = p + strcspn(p, "?#");
	if ((path = malloc((size_t)(end - p) + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (o = path; p < end; p++) {
		if (*p != '%') {
			*o++ = *p;
			continue;
		}
		hi = lo = -1;
		if (end - p >= 3) {
			hi = hex_value(p[1]);
			lo = hex_value(p[2]);
		}
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
			snprintf(err, errlen, "bad percent escape in the path");
			free(path);
			return NULL;
		}
		*o++ = (char)(hi << 4 | lo);
		p += 2;
	}
	*o = '\0';
	return path;
}

/* Fills v with the identity of the file st describes. */
static void
identity(const struct stat *st, struct fetch_validators *v)
{
	memset(v, 0, sizeof(*v));
	v->file_known = true;
	v->file_size = (uint64_t)st->st_size;
	v->file_ino = (uint64_t)st->st_ino;
	v->file_dev = (uint64_t)st->st_dev;
	v->file_mtime_sec = (int64_t)st->st_mtim.tv_sec;
	v->file_mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
}

bool
file_url_same_identity(const struct fetch_validators *a,
    const struct fetch_validators *b)
{
	return a->file_known && b->file_known &&
	    a->file_size == b->file_size && a->file_ino == b->file_ino &&
	    a->file_dev == b->file_dev &&
	    a->file_mtime_sec == b->file_mtime_sec &&
	    a->file_mtime_nsec == b->file_mtime_nsec;
}

enum fetch_outcome
file_url_fetch(const char *url, const char *shown, size_t max_len,
    const struct fetch_validators *have, struct fetch_answer *answer,
    char *err, size_t errlen)
{
	enum fetch_outcome ret = FETCH_FAILED;
	char why[256], *path = NULL, *data = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t r;
	int fd = -1;

	memset(answer, 0, sizeof(*answer));
	if ((path = file_url_path(url, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "cannot fetch %s: %s", shown, why);
		ret = FETCH_REFUSED;
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot fetch %s: %s", shown,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "cannot fetch %s: not a regular file",
		    shown);
		goto out;
	}
	identity(&st, &answer->validators);
	if (have != NULL && file_url_same_identity(have, &answer->validators)) {
		ret = FETCH_NOT_MODIFIED;
		goto out;
	}
	if ((size_t)st.st_size > max_len) {
		snprintf(err, errlen, "cannot fetch %s: answer larger than %zu "
		    "bytes", shown, max_len);
		goto out;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* a file that grows meanwhile is cut at the size seen */
	while (got < (size_t)st.st_size) {
		r = read(fd, data + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "cannot fetch %s: %s", shown,
			    strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	data[got] = '\0';
	answer->body = data;
	answer->len = got;
	data = NULL;
	ret = FETCH_OK;
 out:
	free(data);
	free(path);
	if (fd != -1)
		close(fd);
	return ret;
}
