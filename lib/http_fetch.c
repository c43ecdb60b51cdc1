/* Fetching manager documents over http, https or file with libcurl. */
#include "http_fetch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

/* Redirects followed at most; a manager needs none or one. */
#define HTTP_FETCH_MAX_REDIRS 3L

struct fetch_buffer {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool too_large;
};

char *
http_fetch_redact_url(const char *url)
{
	const char *scheme_end, *host, *at, *end;
	char *out;
	size_t n;

	if ((out = malloc(strlen(url) + 1)) == NULL)
		return NULL;
	end = url + strcspn(url, "?#");
	scheme_end = strstr(url, "://");
	if (scheme_end == NULL || scheme_end > end) {
		memcpy(out, url, (size_t)(end - url));
		out[end - url] = '\0';
		return out;
	}
	host = scheme_end + 3;
	n = (size_t)(host - url);
	memcpy(out, url, n);
	/* user information ends at the last '@' before the path */
	at = NULL;
	for (const char *p = host; p < end && *p != '/'; p++)
		if (*p == '@')
			at = p;
	if (at != NULL)
		host = at + 1;
	memcpy(out + n, host, (size_t)(end - host));
	out[n + (size_t)(end - host)] = '\0';
	return out;
}

char *
http_fetch_read_token(const char *path, char *err, size_t errlen)
{
	char buf[HTTP_FETCH_TOKEN_MAX + 2];
	char *token = NULL;
	struct stat st;
	size_t len = 0, i;
	ssize_t r;
	int fd = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1 ||
	    fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot read token file %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "token file %s is not a regular file",
		    path);
		goto out;
	}
	while (len < sizeof(buf) &&
	    (r = read(fd, buf + len, sizeof(buf) - len)) != 0) {
		if (r == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read token file %s: %s",
			    path, strerror(errno));
			goto out;
		}
		len += (size_t)r;
	}
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len == 0) {
		snprintf(err, errlen, "token file %s: the token is empty", path);
		goto out;
	}
	if (len > HTTP_FETCH_TOKEN_MAX) {
		snprintf(err, errlen, "token file %s: the token is longer than "
		    "%d bytes", path, HTTP_FETCH_TOKEN_MAX);
		goto out;
	}
	for (i = 0; i < len; i++) {
		if ((unsigned char)buf[i] <= 0x20 ||
		    (unsigned char)buf[i] >= 0x7f) {
			snprintf(err, errlen, "token file %s: the token holds "
			    "a blank, control or non-ASCII byte at offset %zu",
			    path, i);
			goto out;
		}
	}
	if ((token = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	memcpy(token, buf, len);
	token[len] = '\0';
 out:
	explicit_bzero(buf, sizeof(buf));
	if (fd != -1)
		close(fd);
	return token;
}

/* libcurl write callback; returning short makes the transfer fail. */
static size_t
write_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct fetch_buffer *b = userdata;
	size_t n = size * nmemb, cap;
	char *grown;

	if (n > b->max - b->len) {
		b->too_large = true;
		return 0;
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap == 0 ? 16384 : b->cap;
		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		if ((grown = realloc(b->data, cap)) == NULL)
			return 0;
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Returns 0 once libcurl is initialised for the process, -1 otherwise. */
static int
http_fetch_global_init(void)
{
	static bool done;

	if (done)
		return 0;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return -1;
	done = true;
	return 0;
}

/* Sets the options that keep a transfer within policy; returns a CURLcode. */
static CURLcode
configure(CURL *curl, const struct vmconsole_config *cfg, const char *url,
    struct curl_slist *headers, struct fetch_buffer *b, char *curl_err)
{
	CURLcode rc = CURLE_OK;

#define SET(opt, val) \
	do { if ((rc = curl_easy_setopt(curl, opt, val)) != CURLE_OK) \
		return rc; } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_ERRORBUFFER, curl_err);
	SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM < 0x075500 || defined(HTTP_FETCH_PROTOCOL_BITMASKS)
	/* libcurl < 7.85 (EL 9 ships 7.76) has only the bitmask forms */
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS |
	    CURLPROTO_FILE));
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, HTTP_FETCH_MAX_REDIRS);
	SET(CURLOPT_REDIR_PROTOCOLS, strncasecmp(url, "https:", 6) == 0 ?
	    (long)CURLPROTO_HTTPS : (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#else
	SET(CURLOPT_PROTOCOLS_STR, "http,https,file");
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, HTTP_FETCH_MAX_REDIRS);
	/* never from https down to http, never to another scheme */
	SET(CURLOPT_REDIR_PROTOCOLS_STR,
	    strncasecmp(url, "https:", 6) == 0 ? "https" : "http,https");
#endif
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (cfg->manager_ca_file != NULL)
		SET(CURLOPT_CAINFO, cfg->manager_ca_file);
	if (cfg->manager_client_cert != NULL)
		SET(CURLOPT_SSLCERT, cfg->manager_client_cert);
	if (cfg->manager_client_key != NULL)
		SET(CURLOPT_SSLKEY, cfg->manager_client_key);
	if (headers != NULL)
		SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_CONNECTTIMEOUT, cfg->manager_timeout);
	SET(CURLOPT_TIMEOUT, cfg->manager_timeout);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)cfg->manager_max_response);
	SET(CURLOPT_USERAGENT, "vmconsole-proxy/" VMCONSOLE_VERSION);
	SET(CURLOPT_WRITEFUNCTION, write_body);
	SET(CURLOPT_WRITEDATA, b);
#undef SET
	return rc;
}

/*
 * Returns true when url may carry the bearer token: anything but plain
 * http, and plain http only to this machine, where nobody can listen in.
 */
static bool
token_may_travel(const char *url)
{
	struct in_addr v4;
	CURLU *u = NULL;
	char *host = NULL;
	bool ok = false;

	if (strncasecmp(url, "http:", 5) != 0)
		return true;
	if ((u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	ok = strcasecmp(host, "localhost") == 0 ||
	    strcmp(host, "[::1]") == 0 ||
	    (inet_pton(AF_INET, host, &v4) == 1 &&
	    (ntohl(v4.s_addr) >> 24) == 127);
 out:
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

/* Builds the Authorization header list; returns 0 or -1 with err set. */
static int
auth_headers(const struct vmconsole_config *cfg, struct curl_slist **out,
    char *err, size_t errlen)
{
	char *token = NULL, *line = NULL;
	size_t n;
	int ret = -1;

	*out = NULL;
	if (cfg->manager_token_file == NULL)
		return 0;
	if ((token = http_fetch_read_token(cfg->manager_token_file, err,
	    errlen)) == NULL)
		goto out;
	n = strlen("Authorization: Bearer ") + strlen(token) + 1;
	if ((line = malloc(n)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(line, n, "Authorization: Bearer %s", token);
	if ((*out = curl_slist_append(NULL, line)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ret = 0;
 out:
	if (line != NULL)
		explicit_bzero(line, strlen(line));
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(line);
	free(token);
	return ret;
}

int
http_fetch(const struct vmconsole_config *cfg, const char *url,
    char **body, size_t *len, char *err, size_t errlen)
{
	struct fetch_buffer b = { NULL, 0, 0, 0, false };
	char curl_err[CURL_ERROR_SIZE];
	struct curl_slist *headers = NULL;
	char *shown = NULL, *scheme = NULL;
	CURL *curl = NULL;
	CURLcode rc;
	long status = 0;
	int ret = -1;

	*body = NULL;
	*len = 0;
	curl_err[0] = '\0';
	b.max = (size_t)cfg->manager_max_response;
	if ((shown = http_fetch_redact_url(url)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (http_fetch_global_init() != 0 ||
	    (curl = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "cannot fetch %s: cannot initialise "
		    "libcurl", shown);
		goto out;
	}
	if (cfg->manager_token_file != NULL && !token_may_travel(url)) {
		snprintf(err, errlen, "cannot fetch %s: the bearer token is "
		    "only sent over https, or plain http to this machine",
		    shown);
		goto out;
	}
	if (auth_headers(cfg, &headers, err, errlen) != 0)
		goto out;
	if ((rc = configure(curl, cfg, url, headers, &b, curl_err)) !=
	    CURLE_OK) {
		snprintf(err, errlen, "cannot fetch %s: %s", shown,
		    curl_easy_strerror(rc));
		goto out;
	}
	rc = curl_easy_perform(curl);
	if (b.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "cannot fetch %s: answer larger than "
		    "%ld bytes", shown, cfg->manager_max_response);
		goto out;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "cannot fetch %s: %s%s%s", shown,
		    curl_easy_strerror(rc), curl_err[0] != '\0' ? ": " : "",
		    curl_err);
		goto out;
	}
	/* file:// answers have no status; http(s) ones must say 200 */
	if (curl_easy_getinfo(curl, CURLINFO_SCHEME, &scheme) != CURLE_OK ||
	    scheme == NULL || strcasecmp(scheme, "file") != 0) {
		if (curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE,
		    &status) != CURLE_OK || status != 200) {
			snprintf(err, errlen, "cannot fetch %s: HTTP status "
			    "%ld", shown, status);
			goto out;
		}
	}
	if (b.data == NULL && (b.data = calloc(1, 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	*body = b.data;
	*len = b.len;
	b.data = NULL;
	ret = 0;
 out:
	if (curl != NULL)
		curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	free(b.data);
	free(shown);
	return ret;
}
