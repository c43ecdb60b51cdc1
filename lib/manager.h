/*
 * Client of the manager API v1 (docs/manager-api.md): fetches the keys and
 * consoles documents, validates every entry, and falls back to the cache
 * in cache_dir while the manager cannot be reached.
 */
#ifndef VMCONSOLE_MANAGER_H
#define VMCONSOLE_MANAGER_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* One validated entry of the keys document. */
struct key_entry {
	char *entityid;		/* [A-Za-z0-9._@+-]{1,128} */
	char *entity;		/* [A-Za-z0-9._@+-]{1,128} */
	char *keytype;		/* e.g. "ssh-ed25519" */
	char *keyblob;		/* base64 */
	char *expiry;		/* NULL or "YYYYMMDDhhmmssZ" for expiry-time= */
	char *from;		/* NULL or a validated pattern list */
};

struct key_list {
	struct key_entry *entries;
	size_t count;
};

/* One validated entry of the consoles document. */
struct console_entry {
	char *vmid;		/* printable ASCII without blanks, <= 256 */
	char *vm;		/* UTF-8, <= 256 bytes; may hold control
				 * characters: use termsafe.h to show it */
	char *host;		/* validated hostname or IP address */
	char *console;		/* device alias, NULL for the default console */
	char **entities;	/* NULL-terminated entity ids allowed to see
				 * this console; NULL: every entity */
	char **watcher_ids;	/* NULL-terminated entity ids that may only
				 * watch this console, or NULL */
	bool watch_only;	/* the asking entity is only in watchers */
	/* use on this proxy, filled for "list" (console_runtime.h) */
	char *writer;		/* entity writing, NULL: none */
	unsigned long watchers;	/* sessions watching read-only */
};

struct console_list {
	struct console_entry *entries;
	size_t count;
};

/* Placeholders of a request; NULL members expand to "". */
struct manager_request {
	const char *user;
	const char *keytype;
	const char *fingerprint;
	const char *key;
	const char *entityid;
};

/*
 * Fetches the keys document and returns the valid entries whose key type and
 * blob equal req->keytype and req->key. Invalid entries are logged and
 * skipped. Returns 0, or -1 after logging when neither the manager nor a
 * fresh enough cache gave an answer.
 */
int manager_fetch_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct key_list *out);

/*
 * Fetches the keys document and returns the valid entries of the entity
 * req->entityid (whatever their key). Returns 0, or -1 after logging.
 */
int manager_fetch_entity_keys(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct key_list *out);

/*
 * Fetches the consoles document and returns the valid entries visible to
 * req->entityid. Returns 0 (possibly with no entries), or -1 after logging.
 */
int manager_fetch_consoles(const struct vmconsole_config *cfg,
    const struct manager_request *req, struct console_list *out);

void key_list_free(struct key_list *list);
void console_list_free(struct console_list *list);

#endif
