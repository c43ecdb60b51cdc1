/*
 * file:// manager URLs, read without libcurl: the document is a local
 * file, and its identity (size, modification time, inode, device) stands
 * for the validators an HTTP server would send.
 */
#ifndef VMCONSOLE_FILE_URL_H
#define VMCONSOLE_FILE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "http_fetch.h"

/* Returns true when url has the file: scheme (any case). */
bool file_url_is_file(const char *url);

/*
 * Returns the newly allocated local path of a file:///PATH or
 * file://localhost/PATH URL, percent-decoded, query and fragment dropped;
 * NULL with the reason in err for another host, a relative path, "%00",
 * a bad escape or lack of memory.
 */
char *file_url_path(const char *url, char *err, size_t errlen);

/* Returns true when a and b name the same version of the same file. */
bool file_url_same_identity(const struct fetch_validators *a,
    const struct fetch_validators *b);

/*
 * Reads the file url names (shown in messages), as
 * http_fetch_conditional() does: FETCH_OK with the contents and its
 * identity, FETCH_NOT_MODIFIED without reading
 * when the identity equals have's, FETCH_FAILED when it cannot be read or
 * is larger than max_len, FETCH_REFUSED for a URL it cannot take.
 */
enum fetch_outcome file_url_fetch(const char *url, const char *shown,
    size_t max_len,
    const struct fetch_validators *have, struct fetch_answer *answer,
    char *err, size_t errlen);

#endif
