/*
 * Unit tests for console-helper/open_deadline.c: a host on loopback that
 * accepts TCP connections and never says a word (a listening socket nobody
 * serves), one that refuses them, and libvirt's test driver, which
 * answers at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "config.h"
#include "open_deadline.h"

/* Returns a listening TCP socket on 127.0.0.1 and its port in *port. */
static int
silent_listener(int *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd;

	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(listen(fd, 8), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Opens (vmid "test") on host through uri; returns status, error, time. */
static enum console_open_status
open_via(const char *uri, long timeout, char *error, size_t errlen,
    double *elapsed)
{
	struct vmconsole_config cfg;
	struct console_entry e = { 0 };
	struct console_connection cc;
	char vmid[] = "test", vm[] = "test", host[] = "127.0.0.1";
	enum console_open_status st;
	double t0;

	config_init(&cfg);
	free(cfg.libvirt_uri);
	assert_non_null(cfg.libvirt_uri = strdup(uri));
	cfg.libvirt_keepalive_interval = 0;
	cfg.libvirt_connect_timeout = timeout;
	e.vmid = vmid;
	e.vm = vm;
	e.host = host;
	t0 = now();
	st = console_open_within(&cfg, &e, false, &cc, error, errlen);
	*elapsed = now() - t0;
	assert_null(cc.conn);
	config_free(&cfg);
	return st;
}

static void
test_silent_host_gives_up_in_time(void **state)
{
	char uri[128], error[512];
	double elapsed;
	int fd, port;

	(void)state;
	fd = silent_listener(&port);
	snprintf(uri, sizeof(uri), "qemu+tcp://{host}:%d/system", port);
	assert_int_equal(open_via(uri, 1, error, sizeof(error), &elapsed),
	    CONSOLE_OPEN_FAILED);
	assert_string_equal(error, "no answer from 127.0.0.1 within 1 s (the "
	    "host is down, unreachable or not answering)");
	assert_true(elapsed >= 0.9);
	assert_true(elapsed < 5.0);
	close(fd);
}

static void
test_refusing_host_fails_at_once(void **state)
{
	char uri[128], error[512];
	double elapsed;
	int fd, port;

	(void)state;
	/* a port that was just free: nothing listens there */
	fd = silent_listener(&port);
	close(fd);
	snprintf(uri, sizeof(uri), "qemu+tcp://{host}:%d/system", port);
	assert_int_equal(open_via(uri, 10, error, sizeof(error), &elapsed),
	    CONSOLE_OPEN_FAILED);
	assert_non_null(strstr(error, "Connection refused"));
	assert_true(elapsed < 5.0);
}

static void
test_answering_host_result_passed_on(void **state)
{
	char error[512];
	double elapsed;

	(void)state;
	/* the test driver has the domain but no console */
	assert_int_equal(open_via("test:///default", 10, error,
	    sizeof(error), &elapsed), CONSOLE_OPEN_FAILED);
	assert_non_null(strstr(error, "virDomainOpenConsole"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_host_gives_up_in_time),
		cmocka_unit_test(test_refusing_host_fails_at_once),
		cmocka_unit_test(test_answering_host_result_passed_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
