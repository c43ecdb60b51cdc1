/* Expansion of the manager URL templates. */
#include "url_template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Longest placeholder name, braces excluded. */
#define PLACEHOLDER_MAX 16

/* Returns true for RFC 3986 unreserved characters, which stay as they are. */
static int
is_unreserved(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	    c == '~';
}

char *
url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char *out, *o;

	if ((out = malloc(strlen(s) * 3 + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)s, o = out; *p != '\0'; p++) {
		if (is_unreserved(*p)) {
			*o++ = (char)*p;
			continue;
		}
		*o++ = '%';
		*o++ = hex[*p >> 4];
		*o++ = hex[*p & 0x0f];
	}
	*o = '\0';
	return out;
}

/*
 * Returns the value for placeholder name (len bytes), "" for a NULL member,
 * or NULL when the name is not a placeholder.
 */
static const char *
placeholder_value(const char *name, size_t len,
    const struct manager_request *req)
{
	const struct {
		const char *name;
		const char *value;
	} map[] = {
		{ "fingerprint", req->fingerprint },
		{ "keytype", req->keytype },
		{ "key", req->key },
		{ "user", req->user },
		{ "entityid", req->entityid },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].name) == len &&
		    memcmp(map[i].name, name, len) == 0)
			return map[i].value == NULL ? "" : map[i].value;
	return NULL;
}

char *
url_template_expand(const char *tmpl, const struct manager_request *req)
{
	char *out = NULL, *enc = NULL, *ret = NULL;
	const char *p, *close, *value;
	size_t cap, len = 0, need;
	char *grown;

	cap = strlen(tmpl) + 1;
	if ((out = malloc(cap)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	for (p = tmpl; *p != '\0'; p++) {
		if (*p == '}') {
			log_error("URL template \"%s\": '}' without '{'", tmpl);
			goto out;
		}
		if (*p != '{') {
			out[len++] = *p;
			continue;
		}
		close = strchr(p + 1, '}');
		if (close == NULL ||
		    (size_t)(close - p - 1) > PLACEHOLDER_MAX ||
		    memchr(p + 1, '{', (size_t)(close - p - 1)) != NULL) {
			log_error("URL template \"%s\": '{' without '}'", tmpl);
			goto out;
		}
		value = placeholder_value(p + 1, (size_t)(close - p - 1), req);
		if (value == NULL) {
			log_error("URL template \"%s\": unknown placeholder "
			    "\"%.*s\"", tmpl, (int)(close - p + 1), p);
			goto out;
		}
		free(enc);
		if ((enc = url_encode(value)) == NULL) {
			log_error("out of memory");
			goto out;
		}
		need = len + strlen(enc) + strlen(close + 1) + 1;
		if (need > cap) {
			if ((grown = realloc(out, need)) == NULL) {
				log_error("out of memory");
				goto out;
			}
			out = grown;
			cap = need;
		}
		memcpy(out + len, enc, strlen(enc));
		len += strlen(enc);
		p = close;
	}
	out[len] = '\0';
	ret = out;
	out = NULL;
 out:
	free(enc);
	free(out);
	return ret;
}
