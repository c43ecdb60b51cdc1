/*
 * The one place that talks to the manager: a libcurl transfer configured
 * with the protocols, redirect policy, TLS settings, credentials, timeouts
 * and size cap from vmconsole.conf, so no caller can forget one.
 */
#ifndef VMCONSOLE_HTTP_FETCH_H
#define VMCONSOLE_HTTP_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* Room for an error message of http_fetch() and http_fetch_read_token(). */
#define HTTP_FETCH_ERR_MAX 1024
/* Largest bearer token file accepted. */
#define HTTP_FETCH_TOKEN_MAX 8192

/* Longest ETag or Last-Modified value kept; longer ones are not used. */
#define HTTP_VALIDATOR_MAX 256

/*
 * What identifies one version of a document: the HTTP validators, or for a
 * file:// URL the file's identity. Empty strings and zeroes: unknown.
 */
struct fetch_validators {
	char etag[HTTP_VALIDATOR_MAX];
	char last_modified[HTTP_VALIDATOR_MAX];
	bool file_known;
	uint64_t file_size;
	uint64_t file_ino;
	uint64_t file_dev;
	int64_t file_mtime_sec;
	int64_t file_mtime_nsec;
};

/* How a fetch ended; see http_fetch_conditional(). */
enum fetch_outcome {
	FETCH_OK,		/* a document: status 200 or a file read */
	FETCH_NOT_MODIFIED,	/* 304, or the file has the same identity */
	FETCH_DENIED,		/* 401, 403, 404, 410: nothing for this URL */
	FETCH_FAILED,		/* no answer: transport error, timeout, 5xx,
				 * too large; a cached copy may stand in */
	FETCH_REFUSED		/* any other answer, or against policy */
};

struct fetch_answer {
	char *body;		/* NUL-terminated, FETCH_OK only */
	size_t len;
	long status;		/* HTTP status, 0 for files and errors */
	struct fetch_validators validators;	/* of the document fetched */
};

/*
 * Fetches url. With have, asks only for a version other than it
 * (If-None-Match, If-Modified-Since; for files, compares the identity
 * before reading). file:// URLs are read without libcurl, which is loaded
 * on the first network request only. Returns the outcome; answer->body is
 * set for FETCH_OK (free() it, or http_fetch_answer_free()); err holds one
 * line for every other outcome, naming the URL without credentials.
 */
enum fetch_outcome http_fetch_conditional(const struct vmconsole_config *cfg,
    const char *url, const struct fetch_validators *have,
    struct fetch_answer *answer, char *err, size_t errlen);

void http_fetch_answer_free(struct fetch_answer *answer);

/*
 * Fetches an http://, https:// or file:// URL. Returns 0 and sets *body to
 * a newly allocated, NUL-terminated copy of the answer and *len to its
 * length (at most cfg->manager_max_response). Returns -1 and writes one
 * line to err saying why (HTTP status other than 200, transfer error,
 * answer too large, bad token file), naming the URL without credentials,
 * query or fragment.
 */
int http_fetch(const struct vmconsole_config *cfg, const char *url,
    char **body, size_t *len, char *err, size_t errlen);

/*
 * Returns a newly allocated copy of url fit for messages: user
 * information, query and fragment are removed. NULL on ENOMEM.
 */
char *http_fetch_redact_url(const char *url);

/*
 * Reads a bearer token: the whole file, one trailing newline removed.
 * Returns a newly allocated token, or NULL with the reason in err when the
 * file cannot be read or the token is empty, too long or holds anything but
 * printable ASCII without blanks.
 */
char *http_fetch_read_token(const char *path, char *err, size_t errlen);

#endif
