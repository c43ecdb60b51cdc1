/* Unit tests for lib/consoles_doc.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "consoles_doc.h"

/* Parses text; returns parse's result and leaves the entries in *list. */
static int
parse(const char *text, struct console_list *list)
{
	char err[512];

	return consoles_doc_parse(text, strlen(text), "test", list, err,
	    sizeof(err));
}

/* Returns the number of valid entries of a consoles array given as text. */
static size_t
count_valid(const char *entries)
{
	struct console_list list;
	char doc[4096];
	size_t n;

	snprintf(doc, sizeof(doc), "{\"version\": 1, \"consoles\": [%s]}",
	    entries);
	assert_int_equal(parse(doc, &list), 0);
	n = list.count;
	console_list_free(&list);
	return n;
}

static void
test_full_entry(void **state)
{
	struct console_list list;

	(void)state;
	assert_int_equal(parse("{\"version\": 1, \"content\": \"console_list\","
	    " \"consoles\": [{\"vmid\": \"5b8f-01\", \"vm\": \"web01\", "
	    "\"host\": \"hv1.example.com\", \"console\": \"serial0\", "
	    "\"entities\": [\"u-42\", \"u-43\"], \"extra\": 1},"
	    "{\"vmid\": \"x\", \"vm\": \"caf\\u00e9 \\u001b[2J\", "
	    "\"host\": \"2001:db8::1\"}]}", &list), 0);
	assert_int_equal(list.count, 2);
	assert_string_equal(list.entries[0].vmid, "5b8f-01");
	assert_string_equal(list.entries[0].vm, "web01");
	assert_string_equal(list.entries[0].host, "hv1.example.com");
	assert_string_equal(list.entries[0].console, "serial0");
	assert_non_null(list.entries[0].entities);
	assert_string_equal(list.entries[0].entities[0], "u-42");
	assert_string_equal(list.entries[0].entities[1], "u-43");
	assert_null(list.entries[0].entities[2]);
	/* control characters stay in names; displays neutralise them */
	assert_string_equal(list.entries[1].vm, "caf\xc3\xa9 \x1b[2J");
	assert_null(list.entries[1].console);
	assert_null(list.entries[1].entities);
	console_list_free(&list);
}

static void
test_empty_entities(void **state)
{
	struct console_list list;

	(void)state;
	assert_int_equal(parse("{\"version\": 1, \"consoles\": [{\"vmid\": "
	    "\"a\", \"vm\": \"a\", \"host\": \"h\", \"entities\": []},"
	    "{\"vmid\": \"b\", \"vm\": \"b\", \"host\": \"h\", "
	    "\"entities\": null, \"console\": null}]}", &list), 0);
	assert_int_equal(list.count, 2);
	/* present but empty: visible to nobody, unlike absent */
	assert_non_null(list.entries[0].entities);
	assert_null(list.entries[0].entities[0]);
	assert_null(list.entries[1].entities);
	assert_null(list.entries[1].console);
	console_list_free(&list);
}

static void
test_document_rejected(void **state)
{
	static const char *const docs[] = {
		"",
		"{",
		"{\"consoles\": []}",
		"{\"version\": 0, \"consoles\": []}",
		"{\"version\": 1, \"content\": \"key_list\", \"consoles\": []}",
		"{\"version\": 1, \"keys\": []}",
		"{\"version\": 1, \"consoles\": null}",
		"{\"version\": 1, \"consoles\": [], \"consoles\": []}",
		"{\"version\": 1, \"consoles\": [\"\xff\"]}",
	};
	struct console_list list;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		assert_int_equal(parse(docs[i], &list), -1);
		assert_int_equal(list.count, 0);
		assert_null(list.entries);
	}
}

static void
test_invalid_entries_skipped(void **state)
{
	static const char *const bad[] = {
		"1",
		"{\"vm\": \"a\", \"host\": \"h\"}",
		"{\"vmid\": \"a\", \"host\": \"h\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\"}",
		"{\"vmid\": \"\", \"vm\": \"a\", \"host\": \"h\"}",
		"{\"vmid\": \"a b\", \"vm\": \"a\", \"host\": \"h\"}",
		"{\"vmid\": \"a\\n\", \"vm\": \"a\", \"host\": \"h\"}",
		"{\"vmid\": \"a\", \"vm\": \"\", \"host\": \"h\"}",
		"{\"vmid\": \"a\", \"vm\": 7, \"host\": \"h\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", "
		    "\"host\": \"-oProxyCommand=x\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h/x\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h?x\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"console\": \"\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"console\": \"a b\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"entities\": \"u-42\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"entities\": [\"u-42\", 1]}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"entities\": [\"u 42\"]}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"watchers\": \"u-7\"}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"watchers\": [\"u-7\", {}]}",
		"{\"vmid\": \"a\", \"vm\": \"a\", \"host\": \"h\", "
		    "\"watchers\": [\"u;7\"]}",
	};
	char entries[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(count_valid(bad[i]), 0);
		/* and a valid neighbour survives */
		snprintf(entries, sizeof(entries), "%s, {\"vmid\": \"ok\", "
		    "\"vm\": \"ok\", \"host\": \"192.0.2.1\"}", bad[i]);
		assert_int_equal(count_valid(entries), 1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_entry),
		cmocka_unit_test(test_empty_entities),
		cmocka_unit_test(test_document_rejected),
		cmocka_unit_test(test_invalid_entries_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
