/* Unit tests for lib/keys_doc.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "keys_doc.h"

#define ED25519 \
	"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6W" \
	"DGO1OTPFFvFp8muqpPlYM78N"
#define ED25519_BLOB \
	"AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp" \
	"8muqpPlYM78N"

/* Parses text; returns parse's result and leaves the entries in *list. */
static int
parse(const char *text, struct key_list *list)
{
	char err[512];

	return keys_doc_parse(text, strlen(text), "test", list, err,
	    sizeof(err));
}

/* Returns the number of valid entries of a keys array given as text. */
static size_t
count_valid(const char *entries)
{
	struct key_list list;
	char doc[4096];
	size_t n;

	snprintf(doc, sizeof(doc), "{\"version\": 1, \"keys\": [%s]}",
	    entries);
	assert_int_equal(parse(doc, &list), 0);
	n = list.count;
	key_list_free(&list);
	return n;
}

static void
test_full_entry(void **state)
{
	struct key_list list;

	(void)state;
	assert_int_equal(parse("{\"version\": 1, \"content\": \"key_list\", "
	    "\"keys\": [{\"entityid\": \"u-42\", \"entity\": \"alice\", "
	    "\"key\": \"" ED25519 " alice@laptop with spaces\", "
	    "\"expiry\": \"2027-01-31T00:00:00Z\", "
	    "\"from\": \"192.0.2.0/24,2001:db8::/32\", "
	    "\"future\": {\"ignored\": true}}], \"other\": 1}", &list), 0);
	assert_int_equal(list.count, 1);
	assert_string_equal(list.entries[0].entityid, "u-42");
	assert_string_equal(list.entries[0].entity, "alice");
	assert_string_equal(list.entries[0].keytype, "ssh-ed25519");
	assert_string_equal(list.entries[0].keyblob, ED25519_BLOB);
	assert_string_equal(list.entries[0].expiry, "20270131000000Z");
	assert_string_equal(list.entries[0].from,
	    "192.0.2.0/24,2001:db8::/32");
	key_list_free(&list);
}

static void
test_optional_fields(void **state)
{
	struct key_list list;

	(void)state;
	assert_int_equal(parse("{\"version\": 1, \"keys\": ["
	    "{\"entityid\": \"a\", \"entity\": \"a\", "
	    "\"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"b\", \"entity\": \"b\", "
	    "\"key\": \"" ED25519 "\","
	    " \"expiry\": null, \"from\": null}]}", &list), 0);
	assert_int_equal(list.count, 2);
	assert_null(list.entries[0].expiry);
	assert_null(list.entries[0].from);
	assert_null(list.entries[1].expiry);
	assert_null(list.entries[1].from);
	key_list_free(&list);
}

static void
test_document_rejected(void **state)
{
	static const char *const docs[] = {
		"",
		"not json",
		"[]",
		"{\"keys\": []}",
		"{\"version\": 2, \"keys\": []}",
		"{\"version\": \"1\", \"keys\": []}",
		"{\"version\": 1.0, \"keys\": []}",
		"{\"version\": 1, \"content\": \"console_list\", \"keys\": []}",
		"{\"version\": 1, \"content\": 1, \"keys\": []}",
		"{\"version\": 1}",
		"{\"version\": 1, \"keys\": {}}",
		"{\"version\": 1, \"version\": 1, \"keys\": []}",
		"{\"version\": 1, \"keys\": []} trailing",
		/* jansson refuses NUL in strings: the whole document goes */
		"{\"version\": 1, \"keys\": [], \"x\": \"\\u0000\"}",
	};
	struct key_list list;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		list.count = 99;
		assert_int_equal(parse(docs[i], &list), -1);
		assert_int_equal(list.count, 0);
		assert_null(list.entries);
	}
}

static void
test_empty_list(void **state)
{
	(void)state;
	assert_int_equal(count_valid(""), 0);
}

static void
test_invalid_entries_skipped(void **state)
{
	(void)state;
	/* each one is invalid, the valid one among them survives */
	assert_int_equal(count_valid(
	    "1, \"x\", null, [], {},"
	    "{\"entity\": \"a\", \"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"a\", \"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"a\", \"entity\": \"a\"},"
	    "{\"entityid\": 1, \"entity\": \"a\", \"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"a\", \"entity\": \"a\", "
	    "\"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"a\\\"\", \"entity\": \"a\", "
	    "\"key\": \"" ED25519 "\"},"
	    "{\"entityid\": \"a\", \"entity\": \"a b\", "
	    "\"key\": \"" ED25519 "\"}"),
	    1);
}

static void
test_bad_keys(void **state)
{
	static const char *const keys[] = {
		"",
		"ssh-ed25519",
		"ssh-ed25519 ",
		" " ED25519,
		"ssh-rsa " ED25519_BLOB,
		"ssh-dss " ED25519_BLOB,
		"restrict " ED25519,
		"command=\\\"x\\\" " ED25519,
		"ssh-ed25519 " ED25519_BLOB "=",
		"ssh-ed25519 !" ED25519_BLOB,
		"ssh-ed25519\\n" ED25519_BLOB,
	};
	char entry[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(entry, sizeof(entry), "{\"entityid\": \"a\", "
		    "\"entity\": \"a\", \"key\": \"%s\"}", keys[i]);
		assert_int_equal(count_valid(entry), 0);
	}
	/* a tab separates too, and the comment may hold anything */
	assert_int_equal(count_valid("{\"entityid\": \"a\", \"entity\": \"a\", "
	    "\"key\": \"ssh-ed25519\\t" ED25519_BLOB " x\\ny\\\"z\"}"), 1);
}

static void
test_bad_options(void **state)
{
	static const char *const bad[] = {
		"\"expiry\": \"2027-01-31\"",
		"\"expiry\": \"2027-01-31T00:00:00+02:00\"",
		"\"expiry\": 1800000000",
		"\"expiry\": \"2027-01-31T00:00:00Z\\\",command=\\\"x\"",
		"\"from\": \"\"",
		"\"from\": \"a,,b\"",
		"\"from\": \"1.2.3.4\\\",command=\\\"sh\"",
		"\"from\": \"1.2.3.4\\n\"",
		"\"from\": [\"1.2.3.4\"]",
	};
	char entry[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(entry, sizeof(entry), "{\"entityid\": \"a\", "
		    "\"entity\": \"a\", \"key\": \"" ED25519 "\", %s}", bad[i]);
		assert_int_equal(count_valid(entry), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_entry),
		cmocka_unit_test(test_optional_fields),
		cmocka_unit_test(test_document_rejected),
		cmocka_unit_test(test_empty_list),
		cmocka_unit_test(test_invalid_entries_skipped),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_bad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
