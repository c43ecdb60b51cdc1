/*
 * Last good manager answers, one file per document kind and expanded URL
 * under cache_dir, used while the manager cannot be reached.
 */
#ifndef VMCONSOLE_CACHE_H
#define VMCONSOLE_CACHE_H

#include <stddef.h>
#include <time.h>

/*
 * Returns the file name (no directory) of the cache entry for kind
 * ("keys", "consoles") and url, e.g. "keys-0123456789abcdef.json", written
 * into buf of size len (at least 64). Returns NULL when it does not fit.
 */
char *cache_entry_name(const char *kind, const char *url, char *buf,
    size_t len);

/*
 * Replaces the cache entry atomically (temporary file in the same
 * directory, fsync, rename) with body, mode 0600, creating dir with mode
 * 0700 when it is missing. Returns 0, or -1 after logging a warning.
 */
int cache_store(const char *dir, const char *kind, const char *url,
    const char *body, size_t len);

/*
 * Reads the cache entry into a newly allocated, NUL-terminated *body and
 * sets *len and *age (seconds since it was written). Entries larger than
 * max_len, not owned by this user, or in a directory others may write to
 * are refused. Returns 0, or -1 with the reason in err.
 */
int cache_load(const char *dir, const char *kind, const char *url,
    size_t max_len, char **body, size_t *len, time_t *age, char *err,
    size_t errlen);

#endif
