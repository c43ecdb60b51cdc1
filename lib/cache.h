/*
 * The last good manager answers, one file per document kind and expanded
 * URL under cache_dir: what the answer was (a payload: the keys index or
 * the consoles document), the URL it answers, and the validators that let
 * the next request ask only for a newer version. The file's modification
 * time is when the manager last confirmed it.
 */
#ifndef VMCONSOLE_CACHE_H
#define VMCONSOLE_CACHE_H

#include <stddef.h>
#include <time.h>

#include "http_fetch.h"
#include "sha256.h"

/* Room for an entry's file name: kind, '-', SHA-256 in hex. */
#define CACHE_NAME_MAX (32 + SHA256_HEX_LEN)
/* Temporary files older than this are left by a killed writer. */
#define CACHE_STALE_TEMP_SECONDS 600

/* Bounds of the cache directory; the oldest entries go first. */
struct cache_limits {
	long max_entries;
	long max_bytes;
};

/* An entry read with cache_open(): its payload is mapped, read only. */
struct cache_entry {
	int fd;
	void *map;
	size_t map_len;
	const char *payload;
	size_t payload_len;
	struct fetch_validators validators;
	time_t age;		/* seconds since the manager confirmed it */
};

/*
 * Writes the file name of the entry for kind and url into buf of size len:
 * kind, '-' and the SHA-256 of kind and url, so that nobody choosing URL
 * bytes can aim at another URL's entry. Returns buf, or NULL when it does
 * not fit or kind is longer than 31 bytes.
 */
char *cache_entry_name(const char *kind, const char *url, char *buf,
    size_t len);

/*
 * Opens the entry for kind and url. Returns 0 with e filled, 1 when there
 * is none, or -1 with the reason in err when it cannot be used: larger
 * than max_len, for another URL, damaged, not owned by this user, or in a
 * directory others may write to. Release e with cache_close().
 */
int cache_open(const char *dir, const char *kind, const char *url,
    size_t max_len, struct cache_entry *e, char *err, size_t errlen);

void cache_close(struct cache_entry *e);

/*
 * Takes an exclusive lock on the entry e, waiting at most timeout seconds
 * for another process refreshing it. Returns a descriptor that holds the
 * lock until closed, or -1 when it could not be taken in time. The entry
 * may have been replaced meanwhile: open it again.
 */
int cache_lock(const struct cache_entry *e, long timeout);

/* Records that the manager confirmed the entry now (its mtime). */
void cache_mark_confirmed(const struct cache_entry *e);

/*
 * Makes payload, with validators v, the entry for kind and url. An entry
 * with the same contents is only marked confirmed; otherwise a temporary
 * file in the same directory is written, synced once and renamed over it
 * (dir is created with mode 0700 when missing). Then stale temporary files
 * are removed and the oldest entries evicted until the directory is within
 * limits. Returns 0, or -1 after logging a warning.
 */
int cache_store(const char *dir, const struct cache_limits *limits,
    const char *kind, const char *url, const struct fetch_validators *v,
    const void *payload, size_t len);

/* Removes the entry for kind and url, if any. */
void cache_remove(const char *dir, const char *kind, const char *url);

#endif
