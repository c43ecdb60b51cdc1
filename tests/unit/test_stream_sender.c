/*
 * Unit tests for console-helper/stream_sender.c with a stream of libvirt's
 * test driver (test:///default): it carries nothing, so every send fails,
 * which exercises the buffer's bounds, the report of a failure through the
 * event loop, and stopping. Sending to a live console is covered by the
 * end-to-end tests.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include "stream_sender.h"

static int notified;

static void
count_notify(void *opaque)
{
	(void)opaque;
	notified++;
}

static void
quiet(void *opaque, virErrorPtr err)
{
	(void)opaque;
	(void)err;
}

static void
on_timeout(int timer, void *opaque)
{
	(void)timer;
	*(int *)opaque = 1;
}

static void
test_failed_send_reported_in_the_loop(void **state)
{
	virConnectPtr conn;
	virStreamPtr st;
	struct stream_sender *s;
	unsigned char data[100];
	int code = 0, domain = 0, expired = 0, timer;

	(void)state;
	memset(data, 'x', sizeof(data));
	assert_non_null(conn = virConnectOpen("test:///default"));
	assert_non_null(st = virStreamNew(conn, VIR_STREAM_NONBLOCK));
	notified = 0;
	assert_non_null(s = stream_sender_start(st, 16, count_notify, NULL));
	/* the stream is held by the sender too */
	virStreamFree(st);
	assert_int_equal(stream_sender_room(s), 16);
	/* only what fits is taken */
	assert_int_equal(stream_sender_put(s, data, sizeof(data)), 16);
	timer = virEventAddTimeout(10000, on_timeout, &expired, NULL);
	assert_true(timer >= 0);
	while (notified == 0 && !expired)
		assert_int_equal(virEventRunDefaultImpl(), 0);
	virEventRemoveTimeout(timer);
	assert_int_equal(notified, 1);
	assert_true(stream_sender_failed(s, &code, &domain));
	assert_int_not_equal(code, VIR_ERR_OK);
	/* nothing more is taken, and nothing counts as waiting */
	assert_int_equal(stream_sender_put(s, data, 1), 0);
	assert_int_equal(stream_sender_room(s), 0);
	assert_int_equal(stream_sender_unsent(s), 0);
	assert_int_equal(stream_sender_sent(s), 0);
	stream_sender_stop(s);
	virConnectClose(conn);
}

static void
test_stop_while_idle(void **state)
{
	virConnectPtr conn;
	virStreamPtr st;
	struct stream_sender *s;
	int code = 0, domain = 0;

	(void)state;
	assert_non_null(conn = virConnectOpen("test:///default"));
	assert_non_null(st = virStreamNew(conn, VIR_STREAM_NONBLOCK));
	assert_non_null(s = stream_sender_start(st, 64, count_notify, NULL));
	assert_int_equal(stream_sender_unsent(s), 0);
	assert_false(stream_sender_failed(s, &code, &domain));
	stream_sender_stop(s);
	stream_sender_stop(NULL);
	virStreamFree(st);
	virConnectClose(conn);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failed_send_reported_in_the_loop),
		cmocka_unit_test(test_stop_while_idle),
	};

	virSetErrorFunc(NULL, quiet);
	if (virEventRegisterDefaultImpl() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
