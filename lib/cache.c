/* Cache of the last good manager answers. */
#include "cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "fd_write.h"
#include "log.h"

/* First line of every entry; another version is not read. */
#define CACHE_MAGIC "vmconsole-cache 2\n"
/* Prefix of temporary files; names of entries never start with '.'. */
#define CACHE_TEMP_PREFIX ".tmp-"

char *
cache_entry_name(const char *kind, const char *url, char *buf, size_t len)
{
	char hex[SHA256_HEX_LEN];
	struct sha256_ctx ctx;
	unsigned char d[SHA256_DIGEST_LEN];
	size_t i;
	int n;

	if (strlen(kind) > 31)
		return NULL;
	sha256_init(&ctx);
	sha256_update(&ctx, kind, strlen(kind) + 1);
	sha256_update(&ctx, url, strlen(url));
	sha256_final(&ctx, d);
	for (i = 0; i < SHA256_DIGEST_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	n = snprintf(buf, len, "%s-%s", kind, hex);
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

/* Writes dir/name of kind and url into path; returns 0 or -1. */
static int
entry_path(const char *dir, const char *kind, const char *url, char *path,
    size_t len)
{
	char name[CACHE_NAME_MAX];

	if (cache_entry_name(kind, url, name, sizeof(name)) == NULL)
		return -1;
	if ((size_t)snprintf(path, len, "%s/%s", dir, name) >= len)
		return -1;
	return 0;
}

/*
 * Reads one header line "word VALUE\n" at *p (before end) and returns its
 * value and length, advancing *p past it; NULL when the line is missing,
 * has another word or no end.
 */
static const char *
header_line(const char **p, const char *end, const char *word, size_t *len)
{
	size_t w = strlen(word);
	const char *nl;

	if ((size_t)(end - *p) < w + 1 || memcmp(*p, word, w) != 0 ||
	    (*p)[w] != ' ')
		return NULL;
	if ((nl = memchr(*p + w + 1, '\n', (size_t)(end - *p - w - 1))) ==
	    NULL)
		return NULL;
	*len = (size_t)(nl - (*p + w + 1));
	*p = nl + 1;
	return nl - *len;
}

/* Copies a header value of len bytes into out; returns 0 or -1. */
static int
copy_value(const char *v, size_t len, char *out, size_t outlen)
{
	if (len >= outlen || memchr(v, '\0', len) != NULL)
		return -1;
	memcpy(out, v, len);
	out[len] = '\0';
	return 0;
}

/*
 * Parses the header of the mapped entry e for url. Returns 0 with the
 * payload and validators set, or -1 with the reason in *why.
 */
static int
parse_entry(struct cache_entry *e, const char *url, const char **why)
{
	const char *p = e->map, *end = p + e->map_len, *v;
	char num[128];
	unsigned long long size, ino, dev, plen;
	long long sec, nsec;
	int known;
	size_t n;

	*why = "damaged header";
	if (e->map_len < strlen(CACHE_MAGIC) ||
	    memcmp(p, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0) {
		*why = "not an entry of this version";
		return -1;
	}
	p += strlen(CACHE_MAGIC);
	if ((v = header_line(&p, end, "url", &n)) == NULL)
		return -1;
	if (n != strlen(url) || memcmp(v, url, n) != 0) {
		*why = "the entry is for another URL";
		return -1;
	}
	if ((v = header_line(&p, end, "etag", &n)) == NULL ||
	    copy_value(v, n, e->validators.etag,
	    sizeof(e->validators.etag)) != 0 ||
	    (v = header_line(&p, end, "last-modified", &n)) == NULL ||
	    copy_value(v, n, e->validators.last_modified,
	    sizeof(e->validators.last_modified)) != 0 ||
	    (v = header_line(&p, end, "file", &n)) == NULL ||
	    copy_value(v, n, num, sizeof(num)) != 0 ||
	    sscanf(num, "%d %llu %llu %llu %lld %lld", &known, &size, &ino,
	    &dev, &sec, &nsec) != 6 ||
	    (v = header_line(&p, end, "payload", &n)) == NULL ||
	    copy_value(v, n, num, sizeof(num)) != 0 ||
	    sscanf(num, "%llu", &plen) != 1 ||
	    p >= end || *p != '\n')
		return -1;
	p++;
	if (plen != (unsigned long long)(end - p)) {
		*why = "truncated";
		return -1;
	}
	e->validators.file_known = known == 1;
	e->validators.file_size = size;
	e->validators.file_ino = ino;
	e->validators.file_dev = dev;
	e->validators.file_mtime_sec = sec;
	e->validators.file_mtime_nsec = nsec;
	e->payload = p;
	e->payload_len = (size_t)plen;
	return 0;
}

int
cache_open(const char *dir, const char *kind, const char *url,
    size_t max_len, struct cache_entry *e, char *err, size_t errlen)
{
	char path[PATH_MAX];
	const char *why;
	struct stat st;
	time_t now;
	int ret = -1;

	memset(e, 0, sizeof(*e));
	e->fd = -1;
	if (access(dir, F_OK) == -1 && errno == ENOENT) {
		ret = 1;
		goto out;
	}
	if (check_dir(dir, 0, err, errlen) != 0)
		goto out;
	if (entry_path(dir, kind, url, path, sizeof(path)) != 0) {
		snprintf(err, errlen, "cache path too long in %s", dir);
		goto out;
	}
	if ((e->fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
	    O_NOCTTY)) == -1 || fstat(e->fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (errno == ENOENT)
			ret = 1;
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0) {
		snprintf(err, errlen, "%s: not a regular file owned and "
		    "writable only by uid %u", path, (unsigned)geteuid());
		goto out;
	}
	if ((uint64_t)st.st_size > (uint64_t)max_len + 4096 ||
	    st.st_size == 0) {
		snprintf(err, errlen, "%s: empty or larger than %zu bytes",
		    path, max_len);
		goto out;
	}
	now = time(NULL);
	/*
	 * A file just written may carry a finer timestamp than time()'s
	 * coarse clock has reached yet: a second ahead is "now".
	 */
	if (st.st_mtime > now + 1) {
		snprintf(err, errlen, "%s: confirmed in the future (clock "
		    "changed?)", path);
		goto out;
	}
	e->age = st.st_mtime > now ? 0 : now - st.st_mtime;
	e->map_len = (size_t)st.st_size;
	if ((e->map = mmap(NULL, e->map_len, PROT_READ, MAP_PRIVATE, e->fd,
	    0)) == MAP_FAILED) {
		e->map = NULL;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* a lookup reads a few scattered pages: no read-ahead around them */
	(void)madvise(e->map, e->map_len, MADV_RANDOM);
	if (parse_entry(e, url, &why) != 0) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	ret = 0;
 out:
	if (ret != 0)
		cache_close(e);
	return ret;
}

void
cache_close(struct cache_entry *e)
{
	if (e->map != NULL)
		munmap(e->map, e->map_len);
	if (e->fd != -1)
		close(e->fd);
	memset(e, 0, sizeof(*e));
	e->fd = -1;
}

int
cache_lock(const struct cache_entry *e, long timeout)
{
	const struct timespec pause = { 0, 5 * 1000 * 1000 };
	struct timespec start, now;
	int fd;

	if (e->fd == -1 || (fd = fcntl(e->fd, F_DUPFD_CLOEXEC, 0)) == -1)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((errno != EWOULDBLOCK && errno != EINTR) ||
		    now.tv_sec - start.tv_sec >= timeout) {
			close(fd);
			return -1;
		}
		nanosleep(&pause, NULL);
	}
	return fd;
}

void
cache_mark_confirmed(const struct cache_entry *e)
{
	if (e->fd != -1 && futimens(e->fd, NULL) == -1)
		log_debug("cannot mark the cached answer confirmed: %s",
		    strerror(errno));
}

/* Returns true when validators a and b are the same. */
static bool
same_validators(const struct fetch_validators *a,
    const struct fetch_validators *b)
{
	return strcmp(a->etag, b->etag) == 0 &&
	    strcmp(a->last_modified, b->last_modified) == 0 &&
	    a->file_known == b->file_known && a->file_size == b->file_size &&
	    a->file_ino == b->file_ino && a->file_dev == b->file_dev &&
	    a->file_mtime_sec == b->file_mtime_sec &&
	    a->file_mtime_nsec == b->file_mtime_nsec;
}

/* One file of the cache directory, for pruning. */
struct dir_file {
	char name[NAME_MAX + 1];
	time_t mtime;
	off_t size;
};

/* qsort comparison: oldest first. */
static int
older_first(const void *a, const void *b)
{
	const struct dir_file *x = a, *y = b;

	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

/*
 * Removes temporary files older than CACHE_STALE_TEMP_SECONDS and evicts
 * the oldest entries (never keep) until dir is within limits.
 */
static void
prune(const char *dir, const struct cache_limits *limits, const char *keep)
{
	struct dir_file *files = NULL, *grown;
	size_t count = 0, cap = 0, i, left;
	long long bytes = 0;
	struct dirent *de;
	struct stat st;
	DIR *d = NULL;
	time_t now = time(NULL);

	if ((d = opendir(dir)) == NULL)
		goto out;
	while ((de = readdir(d)) != NULL) {
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ==
		    -1 || !S_ISREG(st.st_mode))
			continue;
		if (strncmp(de->d_name, CACHE_TEMP_PREFIX,
		    strlen(CACHE_TEMP_PREFIX)) == 0) {
			if (now - st.st_mtime > CACHE_STALE_TEMP_SECONDS &&
			    unlinkat(dirfd(d), de->d_name, 0) == 0)
				log_verbose("removed %s/%s, left by a writer "
				    "that did not finish", dir, de->d_name);
			continue;
		}
		if (de->d_name[0] == '.' || strcmp(de->d_name, keep) == 0)
			continue;
		if (count == cap) {
			cap = cap == 0 ? 64 : 2 * cap;
			if ((grown = realloc(files, cap * sizeof(*files))) ==
			    NULL)
				goto out;
			files = grown;
		}
		snprintf(files[count].name, sizeof(files[count].name), "%s",
		    de->d_name);
		files[count].mtime = st.st_mtime;
		files[count].size = st.st_size;
		bytes += st.st_size;
		count++;
	}
	if (fstatat(dirfd(d), keep, &st, 0) == 0)
		bytes += st.st_size;
	if (count > 1)
		qsort(files, count, sizeof(*files), older_first);
	/* keep counts as one entry */
	for (i = 0, left = count; i < count &&
	    ((long long)left + 1 > limits->max_entries ||
	    bytes > limits->max_bytes); i++, left--) {
		if (unlinkat(dirfd(d), files[i].name, 0) == 0)
			log_verbose("evicted %s/%s from the cache", dir,
			    files[i].name);
		bytes -= files[i].size;
	}
 out:
	free(files);
	if (d != NULL)
		closedir(d);
}

/* Writes the header for url and v into buf; returns its length or -1. */
static int
format_header(char *buf, size_t len, const char *url,
    const struct fetch_validators *v, size_t payload_len)
{
	int n;

	n = snprintf(buf, len, "%surl %s\netag %s\nlast-modified %s\n"
	    "file %d %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 " %" PRId64
	    "\npayload %zu\n\n", CACHE_MAGIC, url, v->etag, v->last_modified,
	    v->file_known ? 1 : 0, v->file_size, v->file_ino, v->file_dev,
	    v->file_mtime_sec, v->file_mtime_nsec, payload_len);
	return n < 0 || (size_t)n >= len ? -1 : n;
}

/*
 * Returns true, after marking it confirmed, when the entry at path already
 * holds payload with validators v.
 */
static bool
unchanged(const char *dir, const char *kind, const char *url,
    const struct fetch_validators *v, const void *payload, size_t len)
{
	struct cache_entry e;
	char err[256];
	bool same = false;

	/* room for the header too, however long the URL */
	if (cache_open(dir, kind, url, len + strlen(url) +
	    2 * HTTP_VALIDATOR_MAX, &e, err, sizeof(err)) != 0)
		return false;
	same = e.payload_len == len && same_validators(&e.validators, v) &&
	    memcmp(e.payload, payload, len) == 0;
	if (same)
		cache_mark_confirmed(&e);
	cache_close(&e);
	return same;
}

int
cache_store(const char *dir, const struct cache_limits *limits,
    const char *kind, const char *url, const struct fetch_validators *v,
    const void *payload, size_t len)
{
	char name[CACHE_NAME_MAX], path[PATH_MAX], tmp[PATH_MAX];
	char err[PATH_MAX + 128], *header = NULL;
	size_t hlen;
	int fd = -1, ret = -1, tmp_made = 0, n;

	if (check_dir(dir, 1, err, sizeof(err)) != 0) {
		log_warning("not caching the %s document: %s", kind, err);
		goto out;
	}
	if (strchr(url, '\n') != NULL || (long long)len > limits->max_bytes) {
		log_verbose("not caching the %s document: %s", kind,
		    strchr(url, '\n') != NULL ? "the URL holds a newline" :
		    "larger than cache_max_bytes");
		goto out;
	}
	if (cache_entry_name(kind, url, name, sizeof(name)) == NULL ||
	    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/%s%s.XXXXXX", dir,
	    CACHE_TEMP_PREFIX, name) >= sizeof(tmp)) {
		log_warning("not caching the %s document: path too long in %s",
		    kind, dir);
		goto out;
	}
	if (unchanged(dir, kind, url, v, payload, len)) {
		log_debug("the cached %s document in %s is current", kind,
		    path);
		ret = 0;
		goto out;
	}
	hlen = strlen(url) + 2 * HTTP_VALIDATOR_MAX + 256;
	if ((header = malloc(hlen)) == NULL ||
	    (n = format_header(header, hlen, url, v, len)) < 0) {
		log_warning("not caching the %s document: out of memory", kind);
		goto out;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		log_warning("not caching the %s document: cannot create a "
		    "file in %s: %s", kind, dir, strerror(errno));
		goto out;
	}
	tmp_made = 1;
	/*
	 * One fsync, so that a crash never leaves a renamed but empty entry;
	 * the directory is not synced: losing the rename keeps the older,
	 * still valid entry, which the next answer replaces.
	 */
	if (fchmod(fd, 0600) == -1 || fd_write_all(fd, header,
	    (size_t)n) == -1 || fd_write_all(fd, payload, len) == -1 ||
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
	log_debug("cached the %s document in %s", kind, path);
	prune(dir, limits, name);
	ret = 0;
 out:
	free(header);
	if (fd != -1)
		close(fd);
	if (tmp_made)
		unlink(tmp);
	return ret;
}

void
cache_remove(const char *dir, const char *kind, const char *url)
{
	char path[PATH_MAX];

	if (entry_path(dir, kind, url, path, sizeof(path)) != 0)
		return;
	if (unlink(path) == 0)
		log_debug("removed the cached %s document %s", kind, path);
	else if (errno != ENOENT)
		log_warning("cannot remove the cached %s document %s: %s",
		    kind, path, strerror(errno));
}
