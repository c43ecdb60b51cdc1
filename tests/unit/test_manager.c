/*
 * Unit tests for lib/manager.c: filtering and the cache fallback, with a
 * file:// manager in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "cache.h"
#include "http_stub.h"
#include "manager.h"
#include "tempfiles.h"

#define BLOB_A \
	"AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp" \
	"8muqpPlYM78N"
#define BLOB_B \
	"AAAAB3NzaC1yc2EAAAADAQABAAAAQQABAgMEBQYHCAkKCwwNDg8QERIT" \
	"FBUWFxgZGhscHR4fICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9" \
	"Pj9A"

#define KEYS_DOC "{\"version\": 1, \"keys\": [" \
	"{\"entityid\": \"u-42\", \"entity\": \"alice\", " \
	"\"key\": \"ssh-ed25519 " BLOB_A " alice\"}," \
	"{\"entityid\": \"u-43\", \"entity\": \"bob\", " \
	"\"key\": \"ssh-rsa " BLOB_B "\"}," \
	"{\"entityid\": \"u-44\", \"entity\": \"carol\", " \
	"\"key\": \"ssh-ed25519 " BLOB_A "\", \"from\": \"10.0.0.0/8\"}]}"

#define BOB_ONLY_DOC "{\"version\": 1, \"keys\": [" \
	"{\"entityid\": \"u-43\", \"entity\": \"bob\", " \
	"\"key\": \"ssh-rsa " BLOB_B "\"}]}"

#define CONSOLES_DOC "{\"version\": 1, \"consoles\": [" \
	"{\"vmid\": \"1\", \"vm\": \"web01\", \"host\": \"hv1\"}," \
	"{\"vmid\": \"2\", \"vm\": \"db01\", \"host\": \"hv2\", " \
	"\"entities\": [\"u-43\"]}," \
	"{\"vmid\": \"3\", \"vm\": \"nobody\", \"host\": \"hv2\", " \
	"\"entities\": []}," \
	"{\"vmid\": \"4\", \"vm\": \"shared\", \"host\": \"hv3\", " \
	"\"entities\": [\"u-42\", \"u-43\"], \"console\": \"serial1\"}]}"

struct fixture {
	char dir[64];
	char doc[128];
	struct vmconsole_config cfg;
};

/* Replaces the manager's document with text. */
static void
write_doc(struct fixture *fx, const char *text)
{
	tempfiles_write_text(fx->doc, text);
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char url[200], cache[128];

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_manager", fx->dir, sizeof(fx->dir)) != 0)
		return -1;
	snprintf(fx->doc, sizeof(fx->doc), "%s/doc.json", fx->dir);
	snprintf(url, sizeof(url), "file://%s", fx->doc);
	snprintf(cache, sizeof(cache), "%s/cache", fx->dir);
	config_init(&fx->cfg);
	free(fx->cfg.cache_dir);
	fx->cfg.cache_dir = strdup(cache);
	fx->cfg.manager_keys_url = strdup(url);
	fx->cfg.manager_consoles_url = strdup(url);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	if (tempfiles_remove_dir(fx->dir) != 0)
		return -1;
	config_free(&fx->cfg);
	free(fx);
	return 0;
}

static const struct manager_request alice_key = {
	.user = "vmconsole",
	.keytype = "ssh-ed25519",
	.fingerprint = "SHA256:x",
	.key = BLOB_A,
};

static void
test_keys_filtered(void **state)
{
	struct fixture *fx = *state;
	struct manager_request req = alice_key;
	struct key_list keys;

	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &req, &keys), 0);
	assert_int_equal(keys.count, 2);
	assert_string_equal(keys.entries[0].entity, "alice");
	assert_string_equal(keys.entries[1].entity, "carol");
	assert_string_equal(keys.entries[1].from, "10.0.0.0/8");
	key_list_free(&keys);
	/* the same blob claimed under another type matches nothing */
	req.keytype = "ssh-rsa";
	assert_int_equal(manager_fetch_keys(&fx->cfg, &req, &keys), 0);
	assert_int_equal(keys.count, 0);
	key_list_free(&keys);
	req.keytype = "ssh-rsa";
	req.key = BLOB_B;
	assert_int_equal(manager_fetch_keys(&fx->cfg, &req, &keys), 0);
	assert_int_equal(keys.count, 1);
	assert_string_equal(keys.entries[0].entityid, "u-43");
	key_list_free(&keys);
}

static void
test_consoles_filtered(void **state)
{
	struct fixture *fx = *state;
	struct manager_request req = { .entityid = "u-42" };
	struct console_list consoles;

	write_doc(fx, CONSOLES_DOC);
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles), 0);
	assert_int_equal(consoles.count, 2);
	assert_string_equal(consoles.entries[0].vm, "web01");
	assert_string_equal(consoles.entries[1].vm, "shared");
	assert_string_equal(consoles.entries[1].console, "serial1");
	console_list_free(&consoles);
	req.entityid = "u-43";
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles), 0);
	assert_int_equal(consoles.count, 3);
	console_list_free(&consoles);
	req.entityid = NULL;
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles), 0);
	assert_int_equal(consoles.count, 1);
	console_list_free(&consoles);
}

/* "watchers" may see and only watch; "entities" wins over "watchers". */
static void
test_watchers_see_read_only(void **state)
{
	struct fixture *fx = *state;
	struct manager_request req = { .entityid = "u-7" };
	struct console_list consoles;

	write_doc(fx, "{\"version\": 1, \"consoles\": ["
	    "{\"vmid\": \"1\", \"vm\": \"a\", \"host\": \"h\", "
	    "\"entities\": [\"u-42\"], \"watchers\": [\"u-7\", \"u-42\"]},"
	    "{\"vmid\": \"2\", \"vm\": \"b\", \"host\": \"h\", "
	    "\"watchers\": [\"u-7\"]},"
	    "{\"vmid\": \"3\", \"vm\": \"c\", \"host\": \"h\", "
	    "\"entities\": [\"u-42\"]}]}");
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles), 0);
	assert_int_equal(consoles.count, 2);
	assert_true(consoles.entries[0].watch_only);
	assert_true(consoles.entries[1].watch_only);
	console_list_free(&consoles);
	req.entityid = "u-42";
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles), 0);
	assert_int_equal(consoles.count, 3);
	assert_false(consoles.entries[0].watch_only);
	assert_false(consoles.entries[1].watch_only);
	assert_false(consoles.entries[2].watch_only);
	console_list_free(&consoles);
}

static void
test_cache_fallback(void **state)
{
	struct fixture *fx = *state;
	struct key_list keys;

	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 2);
	key_list_free(&keys);
	/* unreachable, broken, wrong version: the cached copy answers */
	assert_int_equal(unlink(fx->doc), 0);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 2);
	key_list_free(&keys);
	write_doc(fx, "{\"version\": 1, \"keys\": [");
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 2);
	key_list_free(&keys);
	write_doc(fx, "{\"version\": 2, \"keys\": []}");
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 2);
	key_list_free(&keys);
	/* a valid answer replaces the cache: the revocation sticks */
	write_doc(fx, "{\"version\": 1, \"keys\": []}");
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 0);
	key_list_free(&keys);
	assert_int_equal(unlink(fx->doc), 0);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 0);
	key_list_free(&keys);
}

static void
test_cache_too_old(void **state)
{
	struct fixture *fx = *state;
	struct timeval times[2];
	char name[128], path[256];
	struct key_list keys;

	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	key_list_free(&keys);
	assert_int_equal(unlink(fx->doc), 0);
	assert_non_null(cache_entry_name("keys", fx->cfg.manager_keys_url,
	    name, sizeof(name)));
	snprintf(path, sizeof(path), "%s/%s", fx->cfg.cache_dir, name);
	memset(times, 0, sizeof(times));
	times[0].tv_sec = times[1].tv_sec = time(NULL) -
	    fx->cfg.cache_max_stale - 60;
	assert_int_equal(utimes(path, times), 0);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), -1);
	assert_int_equal(keys.count, 0);
}

static void
test_cache_disabled(void **state)
{
	struct fixture *fx = *state;
	struct key_list keys;

	fx->cfg.cache_max_stale = 0;
	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	key_list_free(&keys);
	/* the index may be kept, but it never stands in for the manager */
	assert_int_equal(unlink(fx->doc), 0);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), -1);
	fx->cfg.cache_max_stale = 3600;
	free(fx->cfg.cache_dir);
	fx->cfg.cache_dir = NULL;
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), -1);
}

static void
test_cache_unwritable(void **state)
{
	struct fixture *fx = *state;
	struct key_list keys;

	/* caching failures never fail the request */
	free(fx->cfg.cache_dir);
	fx->cfg.cache_dir = strdup("/nonexistent/vmconsole-cache");
	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	assert_int_equal(keys.count, 2);
	key_list_free(&keys);
}

static void
test_cache_per_kind(void **state)
{
	struct fixture *fx = *state;
	struct manager_request req = { .entityid = "u-42" };
	struct console_list consoles;
	struct key_list keys;

	write_doc(fx, KEYS_DOC);
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), 0);
	key_list_free(&keys);
	assert_int_equal(unlink(fx->doc), 0);
	/* the same URL for both kinds: a keys answer is no consoles answer */
	assert_int_equal(manager_fetch_consoles(&fx->cfg, &req, &consoles),
	    -1);
}

static void
test_unset_url_and_bad_template(void **state)
{
	struct fixture *fx = *state;
	struct key_list keys;

	free(fx->cfg.manager_keys_url);
	fx->cfg.manager_keys_url = NULL;
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), -1);
	fx->cfg.manager_keys_url = strdup("file:///x/{nope}");
	assert_int_equal(manager_fetch_keys(&fx->cfg, &alice_key, &keys), -1);
}

#define HTTP_OK(etag, body) \
	"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" \
	"ETag: " etag "\r\nConnection: close\r\n\r\n" body
#define HTTP_STATUS(code) \
	"HTTP/1.1 " code "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

/* Points the keys URL at a stub answering responses; returns its log. */
static void
start_stub(struct fixture *fx, struct http_stub *stub,
    const char *const *responses, size_t n, const char *path)
{
	char log[160], url[200];

	snprintf(log, sizeof(log), "%s/requests.log", fx->dir);
	unlink(log);
	assert_int_equal(http_stub_start(stub, log, responses, n), 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", stub->port, path);
	free(fx->cfg.manager_keys_url);
	fx->cfg.manager_keys_url = strdup(url);
	fx->cfg.cache_fresh = 0;
}

/* Returns the number of regular files in the cache directory. */
static int
cache_files(const struct fixture *fx)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(fx->cfg.cache_dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Returns the number of entries manager_fetch_keys() gives, or -1. */
static int
fetch_count(struct fixture *fx)
{
	struct key_list keys;
	int n;

	if (manager_fetch_keys(&fx->cfg, &alice_key, &keys) != 0)
		return -1;
	n = (int)keys.count;
	key_list_free(&keys);
	return n;
}

/* 401, 403, 404 and 410 mean "no keys", and the cache never overrides. */
static void
test_definitive_answers_not_replaced(void **state)
{
	static const char *const codes[] = { "401 Unauthorized",
	    "403 Forbidden", "404 Not Found", "410 Gone" };
	struct fixture *fx = *state;
	struct http_stub stub;
	const char *responses[2];
	size_t i;

	for (i = 0; i < 4; i++) {
		char status[128];

		snprintf(status, sizeof(status), "HTTP/1.1 %s\r\n"
		    "Content-Length: 0\r\nConnection: close\r\n\r\n", codes[i]);
		responses[0] = HTTP_OK("\"v1\"", KEYS_DOC);
		responses[1] = status;
		start_stub(fx, &stub, responses, 2, "/keys");
		assert_int_equal(fetch_count(fx), 2);
		assert_int_equal(fetch_count(fx), 0);
		assert_int_equal(http_stub_stop(&stub), 2);
		/* the entry is gone: an outage afterwards gives nothing */
		assert_int_equal(fetch_count(fx), -1);
	}
}

/* A 5xx, a closed port or an invalid document fall back to the cache. */
static void
test_transient_failures_fall_back(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_STATUS("503 Service Unavailable"),
		HTTP_OK("\"v2\"", "{\"version\": 1, \"keys\": ["),
		HTTP_STATUS("429 Too Many Requests"),
	};
	struct fixture *fx = *state;
	struct http_stub stub;

	start_stub(fx, &stub, responses, 4, "/keys");
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(fetch_count(fx), 2);
	/* an answer that is neither a document nor a failure: refused */
	assert_int_equal(fetch_count(fx), -1);
	assert_int_equal(http_stub_stop(&stub), 4);
	/* nothing listens any more */
	assert_int_equal(fetch_count(fx), 2);
}

/* A 304 reuses the cached index: no download, no rewrite. */
static void
test_not_modified_reuses_cache(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_STATUS("304 Not Modified"),
	};
	struct fixture *fx = *state;
	char name[CACHE_NAME_MAX], path[256], log[4096];
	struct stat before, after;
	struct http_stub stub;
	ssize_t n;
	int fd;

	start_stub(fx, &stub, responses, 2, "/keys");
	assert_int_equal(fetch_count(fx), 2);
	assert_non_null(cache_entry_name("keys", fx->cfg.manager_keys_url,
	    name, sizeof(name)));
	snprintf(path, sizeof(path), "%s/%s", fx->cfg.cache_dir, name);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino);
	assert_int_equal(http_stub_stop(&stub), 2);
	assert_true((fd = open(stub.log, O_RDONLY)) != -1);
	n = read(fd, log, sizeof(log) - 1);
	close(fd);
	assert_true(n > 0);
	log[n] = '\0';
	assert_non_null(strstr(log, "If-None-Match: \"v1\""));
}

/* Within cache_fresh the manager is not asked at all. */
static void
test_fresh_answer_asks_nothing(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_OK("\"v2\"", "{\"version\": 1, \"keys\": []}"),
	};
	struct fixture *fx = *state;
	struct http_stub stub;

	start_stub(fx, &stub, responses, 2, "/keys");
	fx->cfg.cache_fresh = 60;
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(fetch_count(fx), 2);
	/* 0 disables it: the revocation is seen at once */
	fx->cfg.cache_fresh = 0;
	assert_int_equal(fetch_count(fx), 0);
	assert_int_equal(http_stub_stop(&stub), 2);
}

/*
 * Two keys offered to a per-key URL that answers them with unknown (a
 * document without them), then alice's key: only her entries are kept in
 * the cache.
 */
static void
check_unknown_keys_not_stored(struct fixture *fx, const char *unknown)
{
	const char *const responses[] = {
		unknown, unknown, HTTP_OK("\"v1\"", KEYS_DOC),
	};
	struct http_stub stub;

	start_stub(fx, &stub, responses, 3, "/keys?fp={fingerprint}");
	assert_int_equal(fetch_count(fx), 0);
	assert_int_equal(fetch_count(fx), 0);
	assert_int_equal(cache_files(fx), 0);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(cache_files(fx), 1);
	assert_int_equal(http_stub_stop(&stub), 3);
}

/* Unknown keys offered to a per-key URL leave nothing in the cache. */
static void
test_per_key_empty_answer_not_stored(void **state)
{
	check_unknown_keys_not_stored(*state,
	    HTTP_OK("\"e\"", "{\"version\": 1, \"keys\": []}"));
}

/*
 * A per-key URL whose server ignores the key and sends every entry: an
 * unknown key still leaves nothing in the cache, and a known one keeps
 * its own entries.
 */
static void
test_per_key_answer_for_other_keys_not_stored(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_OK("\"v1\"", KEYS_DOC),
	};
	struct fixture *fx = *state;
	struct manager_request stranger = alice_key;
	struct http_stub stub;
	struct key_list keys;

	stranger.fingerprint = "SHA256:y";
	stranger.keytype = "ssh-rsa";
	stranger.key = BLOB_B "AAAA";
	start_stub(fx, &stub, responses, 3, "/keys?fp={fingerprint}");
	assert_int_equal(manager_fetch_keys(&fx->cfg, &stranger, &keys), 0);
	assert_int_equal(keys.count, 0);
	key_list_free(&keys);
	assert_int_equal(cache_files(fx), 0);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(cache_files(fx), 1);
	/* what is kept answers the key while the manager is away */
	assert_int_equal(http_stub_stop(&stub), 2);
	fx->cfg.cache_fresh = 60;
	assert_int_equal(fetch_count(fx), 2);
}

/*
 * Entity lookups (certificates' principals) name no key, so they share one
 * per-key URL: its cache entry keeps the whole document for all of them.
 */
static void
test_per_key_url_entity_lookups_share_the_document(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC),
	};
	struct fixture *fx = *state;
	struct manager_request req = { .user = "vmconsole" };
	struct http_stub stub;
	struct key_list keys;

	start_stub(fx, &stub, responses, 1, "/keys?fp={fingerprint}");
	fx->cfg.cache_fresh = 60;
	req.entityid = "u-42";
	assert_int_equal(manager_fetch_entity_keys(&fx->cfg, &req, &keys), 0);
	assert_int_equal(keys.count, 1);
	key_list_free(&keys);
	req.entityid = "u-43";
	assert_int_equal(manager_fetch_entity_keys(&fx->cfg, &req, &keys), 0);
	assert_int_equal(keys.count, 1);
	key_list_free(&keys);
	assert_int_equal(http_stub_stop(&stub), 1);
}

/*
 * A manager that ignores {fingerprint} and answers every key with the
 * whole document: a key not in it leaves nothing in the cache either.
 */
static void
test_per_key_answer_without_the_key_not_stored(void **state)
{
	check_unknown_keys_not_stored(*state, HTTP_OK("\"b\"", BOB_ONLY_DOC));
}

/* A file URL is checked on every call, whatever cache_fresh says. */
static void
test_file_change_seen_at_once(void **state)
{
	struct fixture *fx = *state;

	fx->cfg.cache_fresh = 300;
	write_doc(fx, KEYS_DOC);
	assert_int_equal(fetch_count(fx), 2);
	assert_int_equal(fetch_count(fx), 2);
	write_doc(fx, "{\"version\": 1, \"keys\": []}");
	assert_int_equal(fetch_count(fx), 0);
}

/* A burst of callers with a stale entry: one asks, the others wait. */
static void
test_burst_refreshes_once(void **state)
{
	static const char *const responses[] = {
		HTTP_OK("\"v1\"", KEYS_DOC), HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_OK("\"v1\"", KEYS_DOC), HTTP_OK("\"v1\"", KEYS_DOC),
		HTTP_OK("\"v1\"", KEYS_DOC), HTTP_OK("\"v1\"", KEYS_DOC),
	};
	struct fixture *fx = *state;
	char name[CACHE_NAME_MAX], path[256];
	struct timeval times[2];
	struct http_stub stub;
	pid_t kids[5];
	int i, status, ok = 0;

	start_stub(fx, &stub, responses, 6, "/keys");
	fx->cfg.cache_fresh = 60;
	assert_int_equal(fetch_count(fx), 2);
	assert_non_null(cache_entry_name("keys", fx->cfg.manager_keys_url,
	    name, sizeof(name)));
	snprintf(path, sizeof(path), "%s/%s", fx->cfg.cache_dir, name);
	memset(times, 0, sizeof(times));
	times[0].tv_sec = times[1].tv_sec = time(NULL) - 120;
	assert_int_equal(utimes(path, times), 0);
	for (i = 0; i < 5; i++) {
		assert_true((kids[i] = fork()) != -1);
		if (kids[i] == 0)
			_exit(fetch_count(fx) == 2 ? 0 : 1);
	}
	for (i = 0; i < 5; i++) {
		assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
		ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	assert_int_equal(ok, 5);
	/* the first fetch and one refresh */
	assert_int_equal(http_stub_stop(&stub), 2);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_keys_filtered),
		T(test_consoles_filtered),
		T(test_watchers_see_read_only),
		T(test_cache_fallback),
		T(test_cache_too_old),
		T(test_cache_disabled),
		T(test_cache_unwritable),
		T(test_cache_per_kind),
		T(test_unset_url_and_bad_template),
		T(test_definitive_answers_not_replaced),
		T(test_transient_failures_fall_back),
		T(test_not_modified_reuses_cache),
		T(test_fresh_answer_asks_nothing),
		T(test_per_key_empty_answer_not_stored),
		T(test_per_key_answer_for_other_keys_not_stored),
		T(test_per_key_url_entity_lookups_share_the_document),
		T(test_per_key_answer_without_the_key_not_stored),
		T(test_file_change_seen_at_once),
		T(test_burst_refreshes_once),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
