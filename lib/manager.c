/*
 * The manager client: fetch a document, fall back to the cache while the
 * manager cannot answer, and keep only the entries meant for the request.
 */
#include "manager.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "consoles_doc.h"
#include "file_url.h"
#include "http_fetch.h"
#include "keys_doc.h"
#include "keys_index.h"
#include "log.h"
#include "url_template.h"

/* Where the document of a request came from; see get_document(). */
enum doc_source {
	FROM_MANAGER,		/* a new answer, in the fetch_answer */
	FROM_CACHE,		/* the cache entry held */
	FROM_NOTHING		/* the manager said there is nothing */
};

/* What get_document() works with for one request. */
struct doc_request {
	const char *kind;	/* "keys" or "consoles" */
	const char *url;
	bool use_cache;		/* entries read from and kept in cache_dir */
	long fresh;		/* seconds an entry is used without asking */
	struct cache_entry held;
	bool have_held;
	int lock_fd;		/* the lock on the entry being refreshed */
	struct fetch_answer answer;
};

/* Returns the bounds of the cache from cfg. */
static struct cache_limits
cache_limits_of(const struct vmconsole_config *cfg)
{
	struct cache_limits l = { cfg->cache_max_entries,
	    cfg->cache_max_bytes };

	return l;
}

/*
 * Lets the held entry answer for a manager that cannot (why) when it was
 * confirmed at most cache_max_stale seconds ago. Returns 0 with *src set
 * to FROM_CACHE, or -1 after logging.
 */
static int
stand_in(const struct vmconsole_config *cfg, struct doc_request *r,
    const char *why, enum doc_source *src)
{
	if (!r->have_held || cfg->cache_max_stale == 0) {
		log_error("cannot get the %s document: %s%s", r->kind, why,
		    r->use_cache && cfg->cache_max_stale > 0 ?
		    "; no usable cached copy" : "");
		return -1;
	}
	if (r->held.age > cfg->cache_max_stale) {
		log_error("cannot get the %s document: %s; the cached copy is "
		    "%lld seconds old, more than cache_max_stale (%ld)",
		    r->kind, why, (long long)r->held.age, cfg->cache_max_stale);
		return -1;
	}
	log_warning("%s; using the cached %s document from %lld seconds ago",
	    why, r->kind, (long long)r->held.age);
	*src = FROM_CACHE;
	return 0;
}

/*
 * Takes the lock on the held entry (waiting for a caller refreshing it)
 * and opens the entry again, as that caller may have replaced it.
 */
static void
relock(const struct vmconsole_config *cfg, struct doc_request *r)
{
	char err[HTTP_FETCH_ERR_MAX];

	if ((r->lock_fd = cache_lock(&r->held, cfg->manager_timeout)) == -1)
		return;
	cache_close(&r->held);
	r->have_held = cache_open(cfg->cache_dir, r->kind, r->url,
	    (size_t)cfg->cache_max_bytes, &r->held, err, sizeof(err)) == 0;
}

/*
 * Gets the document of r: the held cache entry when it is fresh or the
 * manager says it has not changed, a new answer, nothing when the manager
 * says so (and then the entry is dropped, so that no outage brings it
 * back), or the entry standing in for a manager that cannot answer.
 * Returns 0 with *src set, or -1 after logging.
 */
static int
get_document(const struct vmconsole_config *cfg, struct doc_request *r,
    enum doc_source *src)
{
	char err[HTTP_FETCH_ERR_MAX];
	int got;

	if (r->use_cache) {
		got = cache_open(cfg->cache_dir, r->kind, r->url,
		    (size_t)cfg->cache_max_bytes, &r->held, err, sizeof(err));
		if (got < 0)
			log_verbose("not using the cached %s document: %s",
			    r->kind, err);
		r->have_held = got == 0;
	}
	/*
	 * One caller at a time refreshes an entry: a burst of logins, or
	 * sshd's two calls, then find it refreshed instead of each fetching
	 * and parsing the document again. Files are compared first, without
	 * the lock, since they rarely change.
	 */
	if (!file_url_is_file(r->url) && r->have_held &&
	    !(r->fresh > 0 && r->held.age < r->fresh))
		relock(cfg, r);
	if (r->have_held && r->fresh > 0 && r->held.age < r->fresh) {
		log_debug("the cached %s document is %lld seconds old: fresh",
		    r->kind, (long long)r->held.age);
		*src = FROM_CACHE;
		return 0;
	}
	switch (http_fetch_conditional(cfg, r->url, r->have_held ?
	    &r->held.validators : NULL, &r->answer, err, sizeof(err))) {
	case FETCH_OK:
		*src = FROM_MANAGER;
		if (file_url_is_file(r->url) && r->have_held) {
			relock(cfg, r);
			if (r->have_held && file_url_same_identity(
			    &r->held.validators, &r->answer.validators)) {
				log_debug("the %s document was indexed "
				    "meanwhile", r->kind);
				http_fetch_answer_free(&r->answer);
				*src = FROM_CACHE;
			}
		}
		return 0;
	case FETCH_NOT_MODIFIED:
		/* a file is compared on every call: no need to record it */
		if (!file_url_is_file(r->url))
			cache_mark_confirmed(&r->held);
		log_debug("the cached %s document is current", r->kind);
		*src = FROM_CACHE;
		return 0;
	case FETCH_DENIED:
		/* 404 and 410 are routine for unknown keys; 401 and 403 not */
		if (r->answer.status == 401 || r->answer.status == 403)
			log_warning("%s (are the token and client certificate "
			    "right?): no %s", err, r->kind);
		else
			log_verbose("%s: no %s", err, r->kind);
		if (r->use_cache)
			cache_remove(cfg->cache_dir, r->kind, r->url);
		*src = FROM_NOTHING;
		return 0;
	case FETCH_FAILED:
		return stand_in(cfg, r, err, src);
	default:
		log_error("cannot get the %s document: %s", r->kind, err);
		return -1;
	}
}

/* Releases what get_document() held. */
static void
doc_request_free(struct doc_request *r)
{
	cache_close(&r->held);
	http_fetch_answer_free(&r->answer);
	if (r->lock_fd != -1)
		close(r->lock_fd);
	r->lock_fd = -1;
}

/*
 * Expands the template tmpl (configuration key tmpl_key) into r->url.
 * Returns 0, or -1 after logging.
 */
static int
expand_url(const char *tmpl, const char *tmpl_key,
    const struct manager_request *req, char **url)
{
	*url = NULL;
	if (tmpl == NULL) {
		log_error("%s is not set in the configuration", tmpl_key);
		return -1;
	}
	if ((*url = url_template_expand(tmpl, req)) == NULL)
		return -1;
	return 0;
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

/*
 * Returns true when tmpl asks the manager about one key: an answer without
 * entries then says only that a stranger's key is unknown, and is not
 * worth a cache entry.
 */
static bool
per_key_template(const char *tmpl)
{
	return strstr(tmpl, "{fingerprint}") != NULL ||
	    strstr(tmpl, "{key}") != NULL;
}

/*
 * Keeps the index of a new keys document in the cache, or drops the entry
 * when a per-key URL answered no entry for what was asked (kept false):
 * a manager that does not filter by key must not make every stranger's
 * key a file.
 */
static void
store_keys(const struct vmconsole_config *cfg, struct doc_request *r,
    const struct key_list *all, bool kept)
{
	struct cache_limits limits = cache_limits_of(cfg);
	char *index = NULL;
	size_t len;

	if (!kept && per_key_template(cfg->manager_keys_url)) {
		cache_remove(cfg->cache_dir, r->kind, r->url);
		return;
	}
	if (keys_index_build(all, &index, &len) != 0) {
		log_warning("not caching the keys document: out of memory");
		return;
	}
	/* the index is what the next calls read; it need not stay mapped */
	cache_close(&r->held);
	(void)cache_store(cfg->cache_dir, &limits, r->kind, r->url,
	    &r->answer.validators, index, len);
	free(index);
}

/* entry_filter for keys: returns true when e belongs to req->entityid. */
static bool
entity_matches(const void *e, const struct manager_request *req)
{
	const struct key_entry *k = e;

	return req->entityid != NULL && strcmp(k->entityid, req->entityid) == 0;
}

/* Returns true when an entry of all is one the request asked for. */
static bool
any_kept(const struct key_list *all, bool by_entity,
    const struct manager_request *req)
{
	size_t i;

	for (i = 0; i < all->count; i++)
		if (by_entity ? entity_matches(&all->entries[i], req) :
		    key_matches(&all->entries[i], req))
			return true;
	return false;
}

/*
 * Fetches the keys document and returns the entries of the offered key,
 * or with by_entity those of req->entityid. Returns 0, or -1 after
 * logging.
 */
static int
fetch_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, bool by_entity, struct key_list *out)
{
	struct doc_request r;
	struct key_list all = { NULL, 0 };
	char err[HTTP_FETCH_ERR_MAX], why[2 * HTTP_FETCH_ERR_MAX];
	char *url = NULL, *shown = NULL;
	enum doc_source src;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.held.fd = -1;
	r.lock_fd = -1;
	if (expand_url(cfg->manager_keys_url, "manager_keys_url", req,
	    &url) != 0)
		goto out;
	if ((shown = http_fetch_redact_url(url)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	r.kind = "keys";
	r.url = url;
	r.use_cache = cfg->cache_dir != NULL;
	/* a file's identity is checked on every call instead */
	r.fresh = file_url_is_file(url) ? 0 : cfg->cache_fresh;
	if (by_entity ? req->entityid == NULL :
	    req->keytype == NULL || req->key == NULL) {
		log_error("no key to look up");
		goto out;
	}
	if (get_document(cfg, &r, &src) != 0)
		goto out;
	if (src == FROM_MANAGER) {
		if (keys_doc_parse(r.answer.body, r.answer.len, shown, &all,
		    err, sizeof(err)) != 0) {
			snprintf(why, sizeof(why), "%s: %s", shown, err);
			if (stand_in(cfg, &r, why, &src) != 0)
				goto out;
		} else {
			/* indexed first: the kept entries move out of all */
			if (r.use_cache)
				store_keys(cfg, &r, &all,
				    any_kept(&all, by_entity, req));
			if ((out->entries = move_kept(all.entries, all.count,
			    sizeof(*all.entries), by_entity ? entity_matches :
			    key_matches, req, &out->count)) == NULL)
				goto out;
			log_verbose("keys document: %zu entries, %zu for the "
			    "%s", all.count, out->count, by_entity ?
			    "entity" : "offered key");
			ret = 0;
			goto out;
		}
	}
	if (src == FROM_NOTHING) {
		if ((out->entries = calloc(1, sizeof(*out->entries))) == NULL) {
			log_error("out of memory");
			goto out;
		}
		ret = 0;
		goto out;
	}
	if ((by_entity ? keys_index_find_entity(r.held.payload,
	    r.held.payload_len, req->entityid, out, err, sizeof(err)) :
	    keys_index_lookup(r.held.payload, r.held.payload_len,
	    req->keytype, req->key, out, err, sizeof(err))) != 0) {
		log_error("cannot use the cached keys document: %s", err);
		goto out;
	}
	ret = 0;
 out:
	doc_request_free(&r);
	key_list_free(&all);
	free(shown);
	free(url);
	return ret;
}

int
manager_fetch_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct key_list *out)
{
	return fetch_keys(cfg, req, false, out);
}

int
manager_fetch_entity_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct key_list *out)
{
	return fetch_keys(cfg, req, true, out);
}

int
manager_fetch_consoles(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct console_list *out)
{
	struct cache_limits limits = cache_limits_of(cfg);
	struct console_list all = { NULL, 0 };
	char err[HTTP_FETCH_ERR_MAX], why[2 * HTTP_FETCH_ERR_MAX];
	char *url = NULL, *shown = NULL;
	const char *origin = "cached consoles document";
	struct doc_request r;
	enum doc_source src;
	size_t i;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.held.fd = -1;
	r.lock_fd = -1;
	if (expand_url(cfg->manager_consoles_url, "manager_consoles_url", req,
	    &url) != 0)
		goto out;
	if ((shown = http_fetch_redact_url(url)) == NULL) {
		log_error("out of memory");
		goto out;
	}
	r.kind = "consoles";
	r.url = url;
	/* a local file is read as it is, never copied into the cache */
	r.use_cache = cfg->cache_dir != NULL && !file_url_is_file(url);
	if (get_document(cfg, &r, &src) != 0)
		goto out;
	if (src == FROM_MANAGER) {
		if (consoles_doc_parse(r.answer.body, r.answer.len, shown,
		    &all, err, sizeof(err)) == 0) {
			if (r.use_cache) {
				cache_close(&r.held);
				(void)cache_store(cfg->cache_dir, &limits,
				    r.kind, url, &r.answer.validators,
				    r.answer.body, r.answer.len);
			}
			goto filter;
		}
		snprintf(why, sizeof(why), "%s: %s", shown, err);
		if (stand_in(cfg, &r, why, &src) != 0)
			goto out;
	}
	if (src == FROM_CACHE && consoles_doc_parse(r.held.payload,
	    r.held.payload_len, origin, &all, err, sizeof(err)) != 0) {
		log_error("cannot use the cached consoles document: %s", err);
		goto out;
	}
 filter:
	if ((out->entries = move_kept(all.entries, all.count,
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
	doc_request_free(&r);
	console_list_free(&all);
	free(shown);
	free(url);
	return ret;
}
