/* Unit tests for lib/keys_index.c. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys_doc.h"
#include "keys_index.h"

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
	"\"key\": \"ssh-rsa " BLOB_B "\", " \
	"\"expiry\": \"2031-02-03T04:05:06Z\"}," \
	"{\"entityid\": \"u-44\", \"entity\": \"carol\", " \
	"\"key\": \"ssh-ed25519 " BLOB_A "\", \"from\": \"10.0.0.0/8\"}]}"

/* Builds the index of KEYS_DOC into *index. */
static size_t
build(char **index)
{
	struct key_list all;
	char err[256];
	size_t len;

	assert_int_equal(keys_doc_parse(KEYS_DOC, strlen(KEYS_DOC), "test",
	    &all, err, sizeof(err)), 0);
	assert_int_equal(keys_index_build(&all, index, &len), 0);
	key_list_free(&all);
	return len;
}

static void
test_lookup_finds_every_entry_of_a_key(void **state)
{
	struct key_list out;
	char *index, err[256];
	size_t len;

	(void)state;
	len = build(&index);
	assert_int_equal(keys_index_lookup(index, len, "ssh-ed25519", BLOB_A,
	    &out, err, sizeof(err)), 0);
	assert_int_equal(out.count, 2);
	/* in document order */
	assert_string_equal(out.entries[0].entityid, "u-42");
	assert_null(out.entries[0].from);
	assert_string_equal(out.entries[1].entityid, "u-44");
	assert_string_equal(out.entries[1].from, "10.0.0.0/8");
	key_list_free(&out);
	assert_int_equal(keys_index_lookup(index, len, "ssh-rsa", BLOB_B,
	    &out, err, sizeof(err)), 0);
	assert_int_equal(out.count, 1);
	assert_string_equal(out.entries[0].entity, "bob");
	assert_string_equal(out.entries[0].expiry, "20310203040506Z");
	key_list_free(&out);
	/* the right blob with another type, and an unknown key */
	assert_int_equal(keys_index_lookup(index, len, "ssh-rsa", BLOB_A,
	    &out, err, sizeof(err)), 0);
	assert_int_equal(out.count, 0);
	key_list_free(&out);
	free(index);
}

static void
test_entity_found_whatever_its_key(void **state)
{
	struct key_list out;
	char *index, err[256];
	size_t len;

	(void)state;
	len = build(&index);
	assert_int_equal(keys_index_find_entity(index, len, "u-43", &out, err,
	    sizeof(err)), 0);
	assert_int_equal(out.count, 1);
	assert_string_equal(out.entries[0].entity, "bob");
	assert_string_equal(out.entries[0].keytype, "ssh-rsa");
	key_list_free(&out);
	assert_int_equal(keys_index_find_entity(index, len, "u-99", &out, err,
	    sizeof(err)), 0);
	assert_int_equal(out.count, 0);
	key_list_free(&out);
	/* a damaged index is refused, not half read */
	assert_int_equal(keys_index_find_entity(index, len - 200, "u-43", &out,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "the keys index is damaged");
	free(index);
}

static void
test_empty_document(void **state)
{
	struct key_list all = { NULL, 0 }, out;
	char *index, err[256];
	size_t len;

	(void)state;
	assert_int_equal(keys_index_build(&all, &index, &len), 0);
	assert_int_equal(keys_index_lookup(index, len, "ssh-ed25519", BLOB_A,
	    &out, err, sizeof(err)), 0);
	assert_int_equal(out.count, 0);
	key_list_free(&out);
	free(index);
}

/* Damaged indexes are refused or their bad records skipped, never used. */
static void
test_damage_detected(void **state)
{
	struct key_list out;
	char *index, err[256], *p;
	size_t len;

	(void)state;
	len = build(&index);
	/* truncated slots */
	assert_int_equal(keys_index_lookup(index, 12, "ssh-ed25519", BLOB_A,
	    &out, err, sizeof(err)), -1);
	/* truncated records */
	assert_int_equal(keys_index_lookup(index, len - 200, "ssh-ed25519",
	    BLOB_A, &out, err, sizeof(err)), -1);
	/* another magic */
	index[0] = 'X';
	assert_int_equal(keys_index_lookup(index, len, "ssh-ed25519", BLOB_A,
	    &out, err, sizeof(err)), -1);
	index[0] = 'V';
	/* an entity id with a quote would break the forced command */
	assert_non_null(p = memmem(index, len, "u-42", 4));
	p[1] = '"';
	assert_int_equal(keys_index_lookup(index, len, "ssh-ed25519", BLOB_A,
	    &out, err, sizeof(err)), 0);
	assert_int_equal(out.count, 1);
	assert_string_equal(out.entries[0].entityid, "u-44");
	key_list_free(&out);
	free(index);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_finds_every_entry_of_a_key),
		cmocka_unit_test(test_entity_found_whatever_its_key),
		cmocka_unit_test(test_empty_document),
		cmocka_unit_test(test_damage_detected),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
