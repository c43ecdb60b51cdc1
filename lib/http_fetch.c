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

#include "curl_loader.h"
#include "file_url.h"

/* Redirects followed at most; a manager needs none or one. */
#define HTTP_FETCH_MAX_REDIRS 3L

struct fetch_buffer {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	bool too_large;
};

/* The validators of the last response seen, redirects included. */
struct fetch_headers {
	struct fetch_validators *v;
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

/*
 * Copies a header's value (blanks around it removed) into out when it is
 * printable ASCII that fits; otherwise leaves out empty, so that nothing a
 * server sent can add a line to the next request.
 */
static void
keep_header_value(const char *value, size_t len, char *out, size_t outlen)
{
	size_t i;

	out[0] = '\0';
	while (len > 0 && (*value == ' ' || *value == '\t')) {
		value++;
		len--;
	}
	while (len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t' ||
	    value[len - 1] == '\r' || value[len - 1] == '\n'))
		len--;
	if (len == 0 || len >= outlen)
		return;
	for (i = 0; i < len; i++)
		if ((unsigned char)value[i] < 0x20 ||
		    (unsigned char)value[i] >= 0x7f)
			return;
	memcpy(out, value, len);
	out[len] = '\0';
}

/* libcurl header callback: keeps ETag and Last-Modified. */
static size_t
read_header(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct fetch_headers *h = userdata;
	size_t n = size * nmemb;

	/* a status line starts the headers of another response */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		h->v->etag[0] = '\0';
		h->v->last_modified[0] = '\0';
	} else if (n > 5 && strncasecmp(data, "ETag:", 5) == 0) {
		keep_header_value(data + 5, n - 5, h->v->etag,
		    sizeof(h->v->etag));
	} else if (n > 14 && strncasecmp(data, "Last-Modified:", 14) == 0) {
		keep_header_value(data + 14, n - 14, h->v->last_modified,
		    sizeof(h->v->last_modified));
	}
	return n;
}

/* Sets the options that keep a transfer within policy; returns a CURLcode. */
static CURLcode
configure(const struct curl_api *api, CURL *curl,
    const struct vmconsole_config *cfg, const char *url,
    struct curl_slist *headers, struct fetch_buffer *b,
    struct fetch_headers *h, char *curl_err)
{
	CURLcode rc = CURLE_OK;

#define SET(opt, val) \
	do { if ((rc = api->easy_setopt(curl, opt, val)) != CURLE_OK) \
		return rc; } while (0)
	SET(CURLOPT_URL, url);
	SET(CURLOPT_ERRORBUFFER, curl_err);
	SET(CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM < 0x075500 || defined(HTTP_FETCH_PROTOCOL_BITMASKS)
	/* libcurl < 7.85 (EL 9 ships 7.76) has only the bitmask forms */
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	SET(CURLOPT_FOLLOWLOCATION, 1L);
	SET(CURLOPT_MAXREDIRS, HTTP_FETCH_MAX_REDIRS);
	SET(CURLOPT_REDIR_PROTOCOLS, strncasecmp(url, "https:", 6) == 0 ?
	    (long)CURLPROTO_HTTPS : (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#else
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
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
	SET(CURLOPT_HEADERFUNCTION, read_header);
	SET(CURLOPT_HEADERDATA, h);
#undef SET
	return rc;
}

/*
 * Returns true when url may carry the bearer token: anything but plain
 * http, and plain http only to this machine, where nobody can listen in.
 */
static bool
token_may_travel(const struct curl_api *api, const char *url)
{
	struct in_addr v4;
	CURLU *u = NULL;
	char *host = NULL;
	bool ok = false;

	if (strncasecmp(url, "http:", 5) != 0)
		return true;
	if ((u = api->url()) == NULL ||
	    api->url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    api->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	ok = strcasecmp(host, "localhost") == 0 ||
	    strcmp(host, "[::1]") == 0 ||
	    (inet_pton(AF_INET, host, &v4) == 1 &&
	    (ntohl(v4.s_addr) >> 24) == 127);
 out:
	if (host != NULL)
		api->free(host);
	if (u != NULL)
		api->url_cleanup(u);
	return ok;
}

/* Appends "name: value" to *list; returns 0 or -1 with err set. */
static int
add_header(const struct curl_api *api, struct curl_slist **list,
    const char *name, const char *value, char *err, size_t errlen)
{
	struct curl_slist *grown;
	char *line = NULL;
	size_t n;
	int ret = -1;

	n = strlen(name) + strlen(value) + 3;
	if ((line = malloc(n)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	snprintf(line, n, "%s: %s", name, value);
	if ((grown = api->slist_append(*list, line)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	*list = grown;
	ret = 0;
 out:
	if (line != NULL)
		explicit_bzero(line, strlen(line));
	free(line);
	return ret;
}

/*
 * Builds the request headers: the bearer token and the validators of the
 * version held. Returns 0 or -1 with err set.
 */
static int
request_headers(const struct curl_api *api,
    const struct vmconsole_config *cfg, const struct fetch_validators *have,
    struct curl_slist **out, char *err, size_t errlen)
{
	char *token = NULL, *value = NULL;
	size_t n;
	int ret = -1;

	*out = NULL;
	if (have != NULL && have->etag[0] != '\0' &&
	    add_header(api, out, "If-None-Match", have->etag, err,
	    errlen) != 0)
		goto out;
	if (have != NULL && have->last_modified[0] != '\0' &&
	    add_header(api, out, "If-Modified-Since", have->last_modified,
	    err, errlen) != 0)
		goto out;
	if (cfg->manager_token_file != NULL) {
		if ((token = http_fetch_read_token(cfg->manager_token_file,
		    err, errlen)) == NULL)
			goto out;
		n = strlen("Bearer ") + strlen(token) + 1;
		if ((value = malloc(n)) == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		snprintf(value, n, "Bearer %s", token);
		if (add_header(api, out, "Authorization", value, err,
		    errlen) != 0)
			goto out;
	}
	ret = 0;
 out:
	if (value != NULL)
		explicit_bzero(value, strlen(value));
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(value);
	free(token);
	return ret;
}

/*
 * Returns the outcome an HTTP status means: 200 a document, 304 the version
 * held (only when one was named), 401/403/404/410 a definitive "nothing",
 * 5xx a manager that cannot answer now, anything else a refusal.
 */
static enum fetch_outcome
classify_status(long status, bool asked_conditionally)
{
	switch (status) {
	case 200:
		return FETCH_OK;
	case 304:
		return asked_conditionally ? FETCH_NOT_MODIFIED : FETCH_REFUSED;
	case 401:
	case 403:
	case 404:
	case 410:
		return FETCH_DENIED;
	default:
		return status >= 500 && status <= 599 ? FETCH_FAILED :
		    FETCH_REFUSED;
	}
}

/* Performs the network transfer of http_fetch_conditional(). */
static enum fetch_outcome
fetch_network(const struct vmconsole_config *cfg, const char *url,
    const char *shown, const struct fetch_validators *have,
    struct fetch_answer *answer, char *err, size_t errlen)
{
	struct fetch_buffer b = { NULL, 0, 0, 0, false };
	struct fetch_headers h = { &answer->validators };
	char curl_err[CURL_ERROR_SIZE], why[256];
	const struct curl_api *api;
	struct curl_slist *headers = NULL;
	enum fetch_outcome ret = FETCH_REFUSED;
	CURL *curl = NULL;
	CURLcode rc;
	long status = 0;
	bool conditional;

	curl_err[0] = '\0';
	b.max = (size_t)cfg->manager_max_response;
	if ((api = curl_loader_get(why, sizeof(why))) == NULL ||
	    (curl = api->easy_init()) == NULL) {
		snprintf(err, errlen, "cannot fetch %s: %s", shown, api ==
		    NULL ? why : "cannot initialise libcurl");
		goto out;
	}
	if (cfg->manager_token_file != NULL && !token_may_travel(api, url)) {
		snprintf(err, errlen, "cannot fetch %s: the bearer token is "
		    "only sent over https, or plain http to this machine",
		    shown);
		goto out;
	}
	conditional = have != NULL && (have->etag[0] != '\0' ||
	    have->last_modified[0] != '\0');
	if (request_headers(api, cfg, conditional ? have : NULL, &headers,
	    err, errlen) != 0)
		goto out;
	if ((rc = configure(api, curl, cfg, url, headers, &b, &h,
	    curl_err)) != CURLE_OK) {
		snprintf(err, errlen, "cannot fetch %s: %s", shown,
		    api->easy_strerror(rc));
		goto out;
	}
	rc = api->easy_perform(curl);
	ret = FETCH_FAILED;
	if (b.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errlen, "cannot fetch %s: answer larger than "
		    "%ld bytes", shown, cfg->manager_max_response);
		goto out;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "cannot fetch %s: %s%s%s", shown,
		    api->easy_strerror(rc), curl_err[0] != '\0' ? ": " : "",
		    curl_err);
		goto out;
	}
	if (api->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status) !=
	    CURLE_OK)
		status = 0;
	answer->status = status;
	if ((ret = classify_status(status, conditional)) != FETCH_OK) {
		if (ret != FETCH_NOT_MODIFIED)
			snprintf(err, errlen, "cannot fetch %s: HTTP status "
			    "%ld", shown, status);
		goto out;
	}
	if (b.data == NULL && (b.data = calloc(1, 1)) == NULL) {
		snprintf(err, errlen, "out of memory");
		ret = FETCH_FAILED;
		goto out;
	}
	answer->body = b.data;
	answer->len = b.len;
	b.data = NULL;
 out:
	if (curl != NULL)
		api->easy_cleanup(curl);
	if (headers != NULL)
		api->slist_free_all(headers);
	free(b.data);
	return ret;
}

enum fetch_outcome
http_fetch_conditional(const struct vmconsole_config *cfg, const char *url,
    const struct fetch_validators *have, struct fetch_answer *answer,
    char *err, size_t errlen)
{
	enum fetch_outcome ret = FETCH_REFUSED;
	char *shown = NULL, *token = NULL;

	memset(answer, 0, sizeof(*answer));
	if ((shown = http_fetch_redact_url(url)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (file_url_is_file(url)) {
		/* a bad token file is a configuration error for any URL */
		if (cfg->manager_token_file != NULL &&
		    (token = http_fetch_read_token(cfg->manager_token_file,
		    err, errlen)) == NULL)
			goto out;
		ret = file_url_fetch(url, shown,
		    (size_t)cfg->manager_max_response, have, answer, err,
		    errlen);
		goto out;
	}
	if (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "cannot fetch %s: only http://, https:// "
		    "and file:// URLs are understood", shown);
		goto out;
	}
	ret = fetch_network(cfg, url, shown, have, answer, err, errlen);
 out:
	if (ret != FETCH_OK)
		http_fetch_answer_free(answer);
	if (token != NULL)
		explicit_bzero(token, strlen(token));
	free(token);
	free(shown);
	return ret;
}

void
http_fetch_answer_free(struct fetch_answer *answer)
{
	free(answer->body);
	answer->body = NULL;
	answer->len = 0;
}

int
http_fetch(const struct vmconsole_config *cfg, const char *url,
    char **body, size_t *len, char *err, size_t errlen)
{
	struct fetch_answer answer;

	*body = NULL;
	*len = 0;
	if (http_fetch_conditional(cfg, url, NULL, &answer, err, errlen) !=
	    FETCH_OK)
		return -1;
	*body = answer.body;
	*len = answer.len;
	return 0;
}
