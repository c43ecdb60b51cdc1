/* Cache of the last good manager answers. */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fd_write.h"
#include "log.h"

/* Returns the 64-bit FNV-1a hash of s: short, stable file names. */
static uint64_t
fnv1a64(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

char *
cache_entry_name(const char *kind, const char *url, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s-%016" PRIx64 ".json", kind, fnv1a64(url));
	if (n < 0 || (size_t)n >= len)
		return NULL;
	return buf;
}

/*
 * Returns 0 when dir is a directory owned by this user that nobody else may
 * write to (creating it with mode 0700 when create is set and it is
 * missing); otherwise -1 with the reason in err. Anyone who could write
 * there could grant themselves access through a forged entry.
 */
static int
check_dir(const char *dir, int create, char *err, size_t errlen)
{
	struct stat st;

	if (stat(dir, &st) == -1 && errno == ENOENT && create) {
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create cache directory "
			    "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (stat(dir, &st) == -1) {
		snprintf(err, errlen, "cache directory %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "cache directory %s is not a directory",
		    dir);
		return -1;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022) != 0) {
		snprintf(err, errlen, "cache directory %s must be owned by uid "
		    "%u and writable by it alone", dir, (unsigned)geteuid());
		return -1;
	}
	return 0;
}

int
cache_store(const char *dir, const char *kind, const char *url,
    const char *body, size_t len)
{
	char name[128], path[PATH_MAX], tmp[PATH_MAX], err[PATH_MAX + 128];
	int fd = -1, dfd = -1, ret = -1, tmp_made = 0;

	if (check_dir(dir, 1, err, sizeof(err)) != 0) {
		log_warning("not caching the %s document: %s", kind, err);
		goto out;
	}
	if (cache_entry_name(kind, url, name, sizeof(name)) == NULL ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dir, name) >=
	    sizeof(tmp)) {
		log_warning("not caching the %s document: path too long in %s",
		    kind, dir);
		goto out;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		log_warning("not caching the %s document: cannot create a "
		    "file in %s: %s", kind, dir, strerror(errno));
		goto out;
	}
	tmp_made = 1;
	if (fchmod(fd, 0600) == -1 || fd_write_all(fd, body, len) == -1 ||
	    fsync(fd) == -1) {
		log_warning("not caching the %s document: cannot write %s: %s",
		    kind, tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		log_warning("not caching the %s document: cannot write %s: %s",
		    kind, tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		log_warning("not caching the %s document: cannot rename %s to "
		    "%s: %s", kind, tmp, path, strerror(errno));
		goto out;
	}
	tmp_made = 0;
	/* make the rename itself durable */
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1)
		(void)fsync(dfd);
	log_debug("cached the %s document in %s", kind, path);
	ret = 0;
 out:
	if (fd != -1)
		close(fd);
	if (dfd != -1)
		close(dfd);
	if (tmp_made)
		unlink(tmp);
	return ret;
}

int
cache_load(const char *dir, const char *kind, const char *url,
    size_t max_len, char **body, size_t *len, time_t *age, char *err,
    size_t errlen)
{
	char name[128], path[PATH_MAX];
	char *data = NULL;
	struct stat st;
	size_t got = 0;
	ssize_t r;
	time_t now;
	int fd = -1, ret = -1;

	*body = NULL;
	*len = 0;
	*age = 0;
	if (check_dir(dir, 0, err, errlen) != 0)
		goto out;
	if (cache_entry_name(kind, url, name, sizeof(name)) == NULL ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		snprintf(err, errlen, "cache path too long in %s", dir);
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)) ==
	    -1 || fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path,
		    errno == ENOENT ? "no cached copy" : strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0) {
		snprintf(err, errlen, "%s: not a regular file owned and "
		    "writable only by uid %u", path, (unsigned)geteuid());
		goto out;
	}
	if ((size_t)st.st_size > max_len) {
		snprintf(err, errlen, "%s: larger than %zu bytes", path,
		    max_len);
		goto out;
	}
	now = time(NULL);
	if (st.st_mtime > now) {
		snprintf(err, errlen, "%s: written in the future (clock "
		    "changed?)", path);
		goto out;
	}
	if ((data = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		r = read(fd, data + got, (size_t)st.st_size - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "%s: %s", path, r == 0 ?
			    "shorter than expected" : strerror(errno));
			goto out;
		}
		got += (size_t)r;
	}
	data[got] = '\0';
	*body = data;
	*len = got;
	*age = now - st.st_mtime;
	data = NULL;
	ret = 0;
 out:
	free(data);
	if (fd != -1)
		close(fd);
	return ret;
}
