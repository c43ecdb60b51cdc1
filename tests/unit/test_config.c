/* Unit tests for lib/config.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "config.h"
#include "tempfiles.h"

struct fixture {
	char dir[64];
	char conf[128];
	struct vmconsole_config cfg;
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tempfiles_make_dir("test_config", fx->dir, sizeof(fx->dir)) != 0)
		return -1;
	snprintf(fx->conf, sizeof(fx->conf), "%s/vmconsole.conf", fx->dir);
	config_init(&fx->cfg);
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

/* Returns config_parse_text() of text on a fresh default configuration. */
static int
parse(const char *text)
{
	struct vmconsole_config cfg;
	int r;

	config_init(&cfg);
	r = config_parse_text(&cfg, "test", text);
	config_free(&cfg);
	return r;
}

static void
test_defaults(void **state)
{
	struct fixture *fx = *state;

	assert_null(fx->cfg.manager_keys_url);
	assert_null(fx->cfg.manager_consoles_url);
	assert_null(fx->cfg.manager_ca_file);
	assert_null(fx->cfg.manager_token_file);
	assert_int_equal(fx->cfg.manager_timeout, 5);
	assert_int_equal(fx->cfg.manager_max_response, 4L * 1024 * 1024);
	assert_string_equal(fx->cfg.login_user, VMCONSOLE_USER);
	assert_string_equal(fx->cfg.libvirt_uri, "qemu+tls://{host}/system");
	assert_int_equal(fx->cfg.libvirt_keepalive_interval, 5);
	assert_int_equal(fx->cfg.libvirt_keepalive_count, 3);
	assert_int_equal(fx->cfg.libvirt_connect_timeout, 10);
	assert_int_equal(fx->cfg.console_close_timeout, 1);
	assert_int_equal(fx->cfg.escape_char, 0x1d);
	assert_int_equal(fx->cfg.console_buffer_size, 65536);
	assert_int_equal(fx->cfg.console_backlog_max, 1048576);
	assert_int_equal(config_check(&fx->cfg, "test"), 0);
	assert_string_equal(fx->cfg.cache_dir, VMCONSOLE_CACHE_DIR);
	assert_int_equal(fx->cfg.cache_max_stale, 3600);
	assert_int_equal(fx->cfg.cache_fresh, 5);
	assert_int_equal(fx->cfg.cache_max_entries, 1000);
	assert_int_equal(fx->cfg.cache_max_bytes, 268435456);
	assert_int_equal(fx->cfg.log_level, LOG_LEVEL_INFO);
}

static void
test_every_key(void **state)
{
	struct fixture *fx = *state;

	assert_int_equal(config_parse_text(&fx->cfg, "test",
	    "# comment\n"
	    "\n"
	    "  manager_keys_url = https://m/keys?f={fingerprint}  \n"
	    "manager_consoles_url=file:///srv/consoles.json\n"
	    "manager_ca_file = /etc/ca.pem\n"
	    "manager_token_file = /etc/token\n"
	    "manager_client_cert = /etc/c.pem\n"
	    "manager_client_key = /etc/c.key\n"
	    "manager_timeout = 300\n"
	    "manager_max_response = 1024\n"
	    "login_user = console_user-1.x\n"
	    "libvirt_uri = qemu+ssh://root@{host}/system\n"
	    "libvirt_keepalive_interval = 0\n"
	    "libvirt_keepalive_count = 100\n"
	    "libvirt_connect_timeout = 600\n"
	    "console_close_timeout = 60\n"
	    "escape_char = ~\n"
	    "console_buffer_size = 512\n"
	    "console_backlog_max = 268435456\n"
	    "cache_dir = /var/cache/x\n"
	    "cache_max_stale = 0\n"
	    "cert_check_manager = yes\n"
	    "cache_fresh = 300\n"
	    "cache_max_entries = 1\n"
	    "cache_max_bytes = 65536\n"
	    "log_level = DEBUG\r\n"), 0);
	assert_string_equal(fx->cfg.manager_keys_url,
	    "https://m/keys?f={fingerprint}");
	assert_string_equal(fx->cfg.manager_consoles_url,
	    "file:///srv/consoles.json");
	assert_string_equal(fx->cfg.manager_ca_file, "/etc/ca.pem");
	assert_string_equal(fx->cfg.manager_token_file, "/etc/token");
	assert_string_equal(fx->cfg.manager_client_cert, "/etc/c.pem");
	assert_string_equal(fx->cfg.manager_client_key, "/etc/c.key");
	assert_int_equal(fx->cfg.manager_timeout, 300);
	assert_int_equal(fx->cfg.manager_max_response, 1024);
	assert_string_equal(fx->cfg.login_user, "console_user-1.x");
	assert_string_equal(fx->cfg.libvirt_uri,
	    "qemu+ssh://root@{host}/system");
	assert_int_equal(fx->cfg.libvirt_keepalive_interval, 0);
	assert_int_equal(fx->cfg.libvirt_keepalive_count, 100);
	assert_int_equal(fx->cfg.libvirt_connect_timeout, 600);
	assert_int_equal(fx->cfg.console_close_timeout, 60);
	assert_int_equal(fx->cfg.escape_char, '~');
	assert_int_equal(fx->cfg.console_buffer_size, 512);
	assert_int_equal(fx->cfg.console_backlog_max, 268435456);
	assert_string_equal(fx->cfg.cache_dir, "/var/cache/x");
	assert_int_equal(fx->cfg.cache_max_stale, 0);
	assert_int_equal(fx->cfg.cache_fresh, 300);
	assert_int_equal(fx->cfg.cache_max_entries, 1);
	assert_int_equal(fx->cfg.cache_max_bytes, 65536);
	assert_int_equal(fx->cfg.log_level, LOG_LEVEL_DEBUG);
	assert_int_equal(fx->cfg.cert_check_manager, 1);
	assert_int_equal(config_parse_text(&fx->cfg, "test",
	    "cert_check_manager = no\n"), 0);
	assert_int_equal(fx->cfg.cert_check_manager, 0);
}

static void
test_empty_values(void **state)
{
	struct fixture *fx = *state;

	/* an empty value unsets an optional key */
	assert_int_equal(config_parse_text(&fx->cfg, "test",
	    "cache_dir =\nmanager_ca_file = /x\nmanager_ca_file = \n"), 0);
	assert_null(fx->cfg.cache_dir);
	assert_null(fx->cfg.manager_ca_file);
	/* and is an error for a required one */
	assert_int_equal(parse("login_user =\n"), -1);
	assert_int_equal(parse("manager_timeout =\n"), -1);
	assert_int_equal(parse("escape_char =\n"), -1);
}

static void
test_bad_values(void **state)
{
	static const char *const bad[] = {
		"manager_keys_url = ftp://m/keys",
		"manager_keys_url = file://host/keys",
		"manager_keys_url = https://m/a b",
		"manager_keys_url = https://m/\xc3\xa9",
		"manager_ca_file = relative/ca.pem",
		"manager_ca_file = /etc/a\"b",
		"manager_ca_file = /etc/a\\b",
		"manager_ca_file = /etc/a b",
		"manager_timeout = 0",
		"libvirt_connect_timeout = 0",
		"libvirt_connect_timeout = 601",
		"console_close_timeout = 0",
		"console_close_timeout = 61",
		"manager_timeout = 301",
		"manager_timeout = -1",
		"manager_timeout = 5s",
		"manager_timeout = +5",
		"manager_timeout = 99999999999999999999999",
		"manager_max_response = 1023",
		"login_user = -x",
		"login_user = a:b",
		"login_user = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"libvirt_uri = qemu://a b",
		"libvirt_keepalive_count = 0",
		"console_buffer_size = 511",
		"console_backlog_max = 65535",
		"console_backlog_max = 268435457",
		"console_backlog_max = ",
		"cache_max_stale = 2592001",
		"cache_fresh = 301",
		"cache_max_entries = 0",
		"cache_max_bytes = 65535",
		"cache_max_bytes = 1073741825",
		"log_level = loud",
		"cert_check_manager = 1",
		"cert_check_manager = YES",
		"cert_check_manager = ",
		"runtime_dir = relative",
		"runtime_dir = ",
		"console_history_max = 268435457",
		"console_replay_lines = -1",
		"console_replay_lines = 100001",
		"console_linger = 604801",
		"console_notices = maybe",
		"console_notices = 1",
		"console_log_dir = logs",
		"console_log_max = 4095",
		"escape_char = ab",
		"no equals sign",
		"= value",
		"unknown_key = 1",
		"manager_timeout = 5\x01",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse(bad[i]), -1);
}

static void
test_escape_char(void **state)
{
	char buf[8];
	int c;

	(void)state;
	assert_int_equal(config_parse_escape_char("^]", &c), 0);
	assert_int_equal(c, 0x1d);
	assert_int_equal(config_parse_escape_char("^a", &c), 0);
	assert_int_equal(c, 0x01);
	assert_int_equal(config_parse_escape_char("^@", &c), 0);
	assert_int_equal(c, 0x00);
	assert_int_equal(config_parse_escape_char("^?", &c), 0);
	assert_int_equal(c, 0x7f);
	assert_int_equal(config_parse_escape_char("~", &c), 0);
	assert_int_equal(c, '~');
	assert_int_equal(config_parse_escape_char("none", &c), 0);
	assert_int_equal(c, CONFIG_ESCAPE_NONE);
	/* a lone caret is the character itself */
	assert_int_equal(config_parse_escape_char("^", &c), 0);
	assert_int_equal(c, '^');
	assert_int_equal(config_parse_escape_char("^1", &c), -1);
	assert_int_equal(config_parse_escape_char("^]]", &c), -1);
	assert_int_equal(config_parse_escape_char(" ", &c), -1);
	assert_int_equal(config_parse_escape_char("\x7f", &c), -1);
	assert_int_equal(config_parse_escape_char("\xc3\xa9", &c), -1);
	assert_int_equal(config_parse_escape_char("", &c), -1);
	assert_string_equal(config_format_escape_char(0x1d, buf, sizeof(buf)),
	    "^]");
	assert_string_equal(config_format_escape_char(0x7f, buf, sizeof(buf)),
	    "^?");
	assert_string_equal(config_format_escape_char('~', buf, sizeof(buf)),
	    "~");
	assert_string_equal(config_format_escape_char(CONFIG_ESCAPE_NONE, buf,
	    sizeof(buf)), "none");
}

static void
test_dropin_order(void **state)
{
	struct fixture *fx = *state;
	char dir[160], path[200];

	tempfiles_write_text(fx->conf, "manager_timeout = 7\nlog_level = error\n");
	snprintf(dir, sizeof(dir), "%s.d", fx->conf);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/20-later.conf", dir);
	tempfiles_write_text(path, "manager_timeout = 20\n");
	snprintf(path, sizeof(path), "%s/10-first.conf", dir);
	tempfiles_write_text(path, "manager_timeout = 10\ncache_max_stale = 60\n");
	/* ignored: other suffixes and hidden files */
	snprintf(path, sizeof(path), "%s/30-x.conf.bak", dir);
	tempfiles_write_text(path, "manager_timeout = 30\n");
	snprintf(path, sizeof(path), "%s/.40-hidden.conf", dir);
	tempfiles_write_text(path, "manager_timeout = 40\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), 0);
	assert_int_equal(fx->cfg.manager_timeout, 20);
	assert_int_equal(fx->cfg.cache_max_stale, 60);
	assert_int_equal(fx->cfg.log_level, LOG_LEVEL_ERROR);
	/* an error in a drop-in fails the whole load */
	snprintf(path, sizeof(path), "%s/50-bad.conf", dir);
	tempfiles_write_text(path, "bogus = 1\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), -1);
}

/*
 * console_backlog_max must hold at least console_buffer_size, checked once
 * every file is read: a later drop-in may fix what an earlier one broke.
 */
static void
test_backlog_at_least_buffer(void **state)
{
	struct fixture *fx = *state;
	char dir[160], path[200];

	tempfiles_write_text(fx->conf, "console_buffer_size = 2097152\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), -1);
	snprintf(dir, sizeof(dir), "%s.d", fx->conf);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/10-backlog.conf", dir);
	tempfiles_write_text(path, "console_backlog_max = 2097152\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), 0);
	assert_int_equal(fx->cfg.console_backlog_max, 2097152);
	tempfiles_write_text(path, "console_backlog_max = 65536\n"
	    "console_buffer_size = 65536\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), 0);
	fx->cfg.console_buffer_size = 65537;
	assert_int_equal(config_check(&fx->cfg, "test"), -1);
}

static void
test_load_errors(void **state)
{
	struct fixture *fx = *state;
	char path[160];

	/* a missing main file is an error, a missing drop-in dir is not */
	assert_int_equal(config_load(&fx->cfg, fx->conf), -1);
	tempfiles_write_text(fx->conf, "# nothing\n");
	assert_int_equal(config_load(&fx->cfg, fx->conf), 0);
	/* NUL bytes are refused */
	tempfiles_write(fx->conf, "a\0b\n", 4);
	assert_int_equal(config_load(&fx->cfg, fx->conf), -1);
	/* the error names file and line */
	snprintf(path, sizeof(path), "%s/other.conf", fx->dir);
	tempfiles_write_text(path, "manager_timeout = 5\n\nmanager_timeout = x\n");
	assert_int_equal(config_load(&fx->cfg, path), -1);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_defaults),
		T(test_every_key),
		T(test_empty_values),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_escape_char),
		T(test_dropin_order),
		T(test_backlog_at_least_buffer),
		T(test_load_errors),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
