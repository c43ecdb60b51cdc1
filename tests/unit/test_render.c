/* Unit tests for authkeys/render.c, hostile values included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render.h"

#define BLOB \
	"AAAAC3NzaC1lZDI1NTE5AAAAIPya8IKGURXWudGgSi6WDGO1OTPFFvFp" \
	"8muqpPlYM78N"
#define HELPER "/usr/libexec/vmconsole-proxy/vmconsole-console-helper"
#define CONF "/etc/vmconsole-proxy/vmconsole.conf"

/* Returns a valid entry whose fields point at string literals. */
static struct key_entry
good_entry(void)
{
	struct key_entry e = {
		.entityid = (char *)(uintptr_t)"u-42",
		.entity = (char *)(uintptr_t)"alice",
		.keytype = (char *)(uintptr_t)"ssh-ed25519",
		.keyblob = (char *)(uintptr_t)BLOB,
		.expiry = NULL,
		.from = NULL,
	};

	return e;
}

#define SET(field, value) (e.field = (char *)(uintptr_t)(value))

static void
test_plain_line(void **state)
{
	struct key_entry e = good_entry();
	char *line;

	(void)state;
	line = authkeys_render_line(&e, HELPER, CONF);
	assert_non_null(line);
	assert_string_equal(line, "restrict,pty,command=\"" HELPER " -c " CONF
	    " --entity-id=u-42 --entity=alice\" ssh-ed25519 " BLOB "\n");
	free(line);
}

static void
test_all_options(void **state)
{
	struct key_entry e = good_entry();
	char *line;

	(void)state;
	SET(expiry, "20270131000000Z");
	SET(from, "192.0.2.0/24,!192.0.2.7,*.example.com");
	line = authkeys_render_line(&e, HELPER, CONF);
	assert_non_null(line);
	assert_string_equal(line, "restrict,pty,command=\"" HELPER " -c " CONF
	    " --entity-id=u-42 --entity=alice\","
	    "expiry-time=\"20270131000000Z\","
	    "from=\"192.0.2.0/24,!192.0.2.7,*.example.com\" ssh-ed25519 "
	    BLOB "\n");
	free(line);
}

/* Every hostile value in every field must be refused. */
static void
test_hostile_fields(void **state)
{
	static const char *const hostile[] = {
		"a\"", "a\" ,command=\"sh", "a\nssh-ed25519 " BLOB, "a,b",
		"a b", "a\\", "a\r", "", "a\tb", "a'b", "a;id", "a$(id)",
		"a`id`", "a|b", "\xc3\xa9",
	};
	struct key_entry e;
	size_t i;
	int f;

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		for (f = 0; f < 6; f++) {
			e = good_entry();
			switch (f) {
			case 0: SET(entityid, hostile[i]); break;
			case 1: SET(entity, hostile[i]); break;
			case 2: SET(keytype, hostile[i]); break;
			case 3: SET(keyblob, hostile[i]); break;
			case 4: SET(expiry, hostile[i]); break;
			default: SET(from, hostile[i]); break;
			}
			/* ',' alone is a valid list separator in from= */
			if (f == 5 && strcmp(hostile[i], "a,b") == 0)
				continue;
			assert_null(authkeys_render_line(&e, HELPER, CONF));
			assert_null(authkeys_render_line(&e, hostile[i], CONF));
			e = good_entry();
			assert_null(authkeys_render_line(&e, HELPER,
			    hostile[i]));
		}
	}
}

static void
test_bad_values(void **state)
{
	struct key_entry e;

	(void)state;
	e = good_entry();
	SET(expiry, "2027-01-31T00:00:00Z");
	assert_null(authkeys_render_line(&e, HELPER, CONF));
	SET(expiry, "20270131000000");
	assert_null(authkeys_render_line(&e, HELPER, CONF));
	e = good_entry();
	SET(keytype, "ssh-rsa");
	assert_null(authkeys_render_line(&e, HELPER, CONF));
	e = good_entry();
	SET(entityid, NULL);
	assert_null(authkeys_render_line(&e, HELPER, CONF));
	e = good_entry();
	assert_null(authkeys_render_line(&e, "relative/helper", CONF));
	assert_null(authkeys_render_line(&e, HELPER, "vmconsole.conf"));
	assert_null(authkeys_render_line(&e, NULL, CONF));
}

static void
test_safe_path(void **state)
{
	(void)state;
	assert_true(authkeys_safe_path("/etc/vmconsole-proxy/vmconsole.conf"));
	assert_true(authkeys_safe_path("/opt/x_1/a+b.conf"));
	assert_false(authkeys_safe_path("etc/x"));
	assert_false(authkeys_safe_path(""));
	assert_false(authkeys_safe_path("/etc/a b"));
	assert_false(authkeys_safe_path("/etc/a\"b"));
	assert_false(authkeys_safe_path("/etc/a,b"));
	assert_false(authkeys_safe_path("/etc/a$b"));
	assert_false(authkeys_safe_path("/etc/a\nb"));
}

static void
test_list(void **state)
{
	struct key_entry entries[3];
	struct key_list list = { entries, 3 };
	char *out = NULL;
	size_t len = 0;

	(void)state;
	entries[0] = good_entry();
	entries[1] = good_entry();
	entries[1].entity = (char *)(uintptr_t)"bad\"name";
	entries[2] = good_entry();
	entries[2].entityid = (char *)(uintptr_t)"u-43";
	assert_int_equal(authkeys_render_list(&list, HELPER, CONF, &out, &len),
	    0);
	assert_int_equal(len, strlen(out));
	assert_string_equal(out,
	    "restrict,pty,command=\"" HELPER " -c " CONF
	    " --entity-id=u-42 --entity=alice\" ssh-ed25519 " BLOB "\n"
	    "restrict,pty,command=\"" HELPER " -c " CONF
	    " --entity-id=u-43 --entity=alice\" ssh-ed25519 " BLOB "\n");
	free(out);
	list.count = 0;
	assert_int_equal(authkeys_render_list(&list, HELPER, CONF, &out, &len),
	    0);
	assert_int_equal(len, 0);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_line),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_hostile_fields),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_safe_path),
		cmocka_unit_test(test_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
