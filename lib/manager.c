/*
 * The manager client: fetch a document, fall back to the cache while the
 * manager cannot answer, and keep only the entries meant for the request.
 */
#include "manager.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "consoles_doc.h"
#include "http_fetch.h"
#include "keys_doc.h"
#include "log.h"
#include "url_template.h"

/* Parses one document of a kind into out; see keys_doc_parse(). */
typedef int (*doc_parser)(const char *body, size_t len, const char *origin,
    void *out, char *err, size_t errlen);

/* doc_parser for keys documents; returns keys_doc_parse()'s result. */
static int
parse_keys(const char *body, size_t len, const char *origin, void *out,
    char *err, size_t errlen)
{
	return keys_doc_parse(body, len, origin, out, err, errlen);
}

/* doc_parser for consoles documents; returns consoles_doc_parse()'s. */
static int
parse_consoles(const char *body, size_t len, const char *origin, void *out,
    char *err, size_t errlen)
{
	return consoles_doc_parse(body, len, origin, out, err, errlen);
}

/* Returns true when answers are cached and the cache may answer. */
static bool
cache_enabled(const struct vmconsole_config *cfg)
{
	return cfg->cache_dir != NULL && cfg->cache_max_stale > 0;
}

/*
 * Parses the cached copy of the kind document for url when it is younger
 * than cache_max_stale. why is the manager's failure, for the one line
 * logged either way. Returns 0 or -1.
 */
static int
use_cache(const struct vmconsole_config *cfg, const char *kind,
    const char *url, const char *why, doc_parser parse, void *out)
{
	char err[HTTP_FETCH_ERR_MAX], origin[64];
	char *body = NULL;
	size_t len;
	time_t age;
	int ret = -1;

	if (!cache_enabled(cfg)) {
		log_error("cannot get the %s document: %s", kind, why);
		goto out;
	}
	if (cache_load(cfg->cache_dir, kind, url,
	    (size_t)cfg->manager_max_response, &body, &len, &age, err,
	    sizeof(err)) != 0) {
		log_error("cannot get the %s document: %s; no usable cached "
		    "copy: %s", kind, why, err);
		goto out;
	}
	if (age > cfg->cache_max_stale) {
		log_error("cannot get the %s document: %s; the cached copy is "
		    "%lld seconds old, more than cache_max_stale (%ld)", kind,
		    why, (long long)age, cfg->cache_max_stale);
		goto out;
	}
	snprintf(origin, sizeof(origin), "cached %s document", kind);
	if (parse(body, len, origin, out, err, sizeof(err)) != 0) {
		log_error("cannot get the %s document: %s; the cached copy is "
		    "unusable: %s", kind, why, err);
		goto out;
	}
	log_warning("%s; using the cached %s document from %lld seconds ago",
	    why, kind, (long long)age);
	ret = 0;
 out:
	free(body);
	return ret;
}

/*
 * Expands the template, fetches and parses the document into out, caching
 * a good answer and falling back to the cache otherwise. Returns 0 or -1
 * after logging.
 */
static int
fetch_document(const struct vmconsole_config *cfg, const char *kind,
    const char *tmpl, const char *tmpl_key,
    const struct manager_request *req, doc_parser parse, void *out)
{
	char err[HTTP_FETCH_ERR_MAX], why[2 * HTTP_FETCH_ERR_MAX];
	char *url = NULL, *shown = NULL, *body = NULL;
	size_t len;
	int ret = -1;

	if (tmpl == NULL) {
		log_error("%s is not set in the configuration", tmpl_key);
		goto out;
	}
	if ((url = url_template_expand(tmpl, req)) == NULL)
		goto out;
	if ((shown = http_fetch_redact_url(url)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	if (http_fetch(cfg, url, &body, &len, err, sizeof(err)) != 0) {
		ret = use_cache(cfg, kind, url, err, parse, out);
		goto out;
	}
	if (parse(body, len, shown, out, err, sizeof(err)) != 0) {
		snprintf(why, sizeof(why), "%s: %s", shown, err);
		ret = use_cache(cfg, kind, url, why, parse, out);
		goto out;
	}
	log_debug("%s: %zu bytes", shown, len);
	/* The fresh answer replaces the cache, so revocations take effect. */
	if (cache_enabled(cfg))
		(void)cache_store(cfg->cache_dir, kind, url, body, len);
	ret = 0;
 out:
	free(body);
	free(shown);
	free(url);
	return ret;
}

/* Returns true when the entry at e is meant for req; see move_kept(). */
typedef bool (*entry_filter)(const void *e,
    const struct manager_request *req);

/*
 * entry_filter for keys: servers may ignore the placeholders, so the key
 * sshd offered is matched here. Returns true when e is that key.
 */
static bool
key_matches(const void *e, const struct manager_request *req)
{
	const struct key_entry *k = e;

	return req->keytype != NULL && req->key != NULL &&
	    strcmp(k->keytype, req->keytype) == 0 &&
	    strcmp(k->keyblob, req->key) == 0;
}

/* Returns true when id is one of the NULL-terminated ids (NULL: none). */
static bool
id_listed(char *const *ids, const char *id)
{
	size_t i;

	for (i = 0; ids != NULL && id != NULL && ids[i] != NULL; i++)
		if (strcmp(ids[i], id) == 0)
			return true;
	return false;
}

/*
 * entry_filter for consoles: servers may ignore {entityid}, so visibility
 * is checked here. Returns true when req->entityid may see the console e.
 */
static bool
console_visible(const void *e, const struct manager_request *req)
{
	const struct console_entry *c = e;

	return c->entities == NULL || id_listed(c->entities, req->entityid) ||
	    id_listed(c->watcher_ids, req->entityid);
}

/*
 * Moves the entries of all (count of size bytes each) that keep() accepts
 * into a new array ending in a zeroed entry, as the parsers make them, and
 * zeroes them in all so that freeing all leaves them alone. Returns the
 * array and sets *kept, or NULL after logging.
 */
static void *
move_kept(void *all, size_t count, size_t size, entry_filter keep,
    const struct manager_request *req, size_t *kept)
{
	char *from = all, *to;
	size_t i;

	*kept = 0;
	if ((to = calloc(count + 1, size)) == NULL) {
		log_error("out of memory");
		return NULL;
	}
	for (i = 0; i < count; i++, from += size) {
		if (!keep(from, req))
			continue;
		memcpy(to + *kept * size, from, size);
		memset(from, 0, size);
		(*kept)++;
	}
	return to;
}

int
manager_fetch_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct key_list *out)
{
	struct key_list all = { NULL, 0 };
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (fetch_document(cfg, "keys", cfg->manager_keys_url,
	    "manager_keys_url", req, parse_keys, &all) != 0 ||
	    (out->entries = move_kept(all.entries, all.count,
	    sizeof(*all.entries), key_matches, req, &out->count)) == NULL)
		goto out;
	log_verbose("keys document: %zu entries, %zu for the offered key",
	    all.count, out->count);
	ret = 0;
 out:
	key_list_free(&all);
	return ret;
}

int
manager_fetch_consoles(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct console_list *out)
{
	struct console_list all = { NULL, 0 };
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (fetch_document(cfg, "consoles", cfg->manager_consoles_url,
	    "manager_consoles_url", req, parse_consoles, &all) != 0 ||
	    (out->entries = move_kept(all.entries, all.count,
	    sizeof(*all.entries), console_visible, req, &out->count)) == NULL)
		goto out;
	/* listed in "watchers" and not in "entities": read-only */
	for (i = 0; i < out->count; i++)
		out->entries[i].watch_only = id_listed(
		    out->entries[i].watcher_ids,
		    req->entityid) && !id_listed(out->entries[i].entities,
		    req->entityid);
	log_verbose("consoles document: %zu entries, %zu visible to %s",
	    all.count, out->count,
	    req->entityid != NULL ? req->entityid : "(none)");
	ret = 0;
 out:
	console_list_free(&all);
	return ret;
}
