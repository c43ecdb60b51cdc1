/* Unit tests for console-helper/broker_session.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "broker_peer.h"
#include "broker_session.h"

static struct broker_peer peer;

static int
teardown(void **state)
{
	(void)state;
	broker_peer_close(&peer, peer.s == NULL);
	return 0;
}

/* Writes the hello of bob watching web01 to the peer's end. */
static size_t
hello_line(char *line, size_t len)
{
	struct broker_hello h;
	int n;

	memset(&h, 0, sizeof(h));
	h.mode = BROKER_MODE_WATCH;
	h.replay = 24;
	snprintf(h.host, sizeof(h.host), "kvm1");
	snprintf(h.vmid, sizeof(h.vmid), "vm-1");
	snprintf(h.entity_id, sizeof(h.entity_id), "u-2");
	snprintf(h.entity, sizeof(h.entity), "bob");
	n = broker_hello_format(&h, line, len);
	assert_true(n > 0);
	return (size_t)n;
}

static void
test_hello_in_pieces(void **state)
{
	char line[BROKER_HELLO_MAX];
	size_t len;

	(void)state;
	broker_peer_open(&peer, 65536, "", BROKER_MODE_WRITE);
	len = hello_line(line, sizeof(line));
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_MORE);
	assert_int_equal(write(peer.fd, line, 10), 10);
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_MORE);
	assert_int_equal(write(peer.fd, line + 10, len - 10),
	    (ssize_t)(len - 10));
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_DONE);
	assert_int_equal(peer.s->who.mode, BROKER_MODE_WATCH);
	assert_int_equal(peer.s->who.replay, 24);
	assert_string_equal(peer.s->who.entity, "bob");
	assert_string_equal(peer.s->who.vmid, "vm-1");
}

static void
test_bad_hellos(void **state)
{
	static char junk[BROKER_HELLO_MAX + 10];

	(void)state;
	broker_peer_open(&peer, 65536, "", BROKER_MODE_WRITE);
	assert_int_equal(write(peer.fd, "GET / HTTP/1.0\r\n\r\n", 18), 18);
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_INVALID);
	broker_peer_close(&peer, 0);

	/* a line that never ends is cut at the bound, not buffered on */
	broker_peer_open(&peer, 65536, "", BROKER_MODE_WRITE);
	memset(junk, 'a', sizeof(junk));
	assert_int_equal(write(peer.fd, junk, sizeof(junk)),
	    (ssize_t)sizeof(junk));
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_INVALID);
	broker_peer_close(&peer, 0);

	/* a connection that closes before its hello */
	broker_peer_open(&peer, 65536, "", BROKER_MODE_WRITE);
	assert_int_equal(write(peer.fd, "vmconsole-hello", 15), 15);
	assert_int_equal(shutdown(peer.fd, SHUT_WR), 0);
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_MORE);
	assert_int_equal(broker_session_read_hello(peer.s),
	    BROKER_HELLO_GONE);
}

static void
test_hello_has_a_deadline(void **state)
{
	(void)state;
	/* broker_peer_open() accepts the session at 1000 */
	broker_peer_open(&peer, 65536, "", BROKER_MODE_WRITE);
	assert_false(broker_session_hello_expired(peer.s, 1000));
	assert_false(broker_session_hello_expired(peer.s,
	    1000 + BROKER_HELLO_SECONDS - 1));
	assert_true(broker_session_hello_expired(peer.s,
	    1000 + BROKER_HELLO_SECONDS));
	/* an attached session has no such deadline */
	peer.s->attached = true;
	assert_false(broker_session_hello_expired(peer.s, 1000000));
	/* nor one already being closed */
	peer.s->attached = false;
	peer.s->closing = true;
	assert_false(broker_session_hello_expired(peer.s, 1000000));
}

static void
test_queue_keeps_its_bound_and_room_for_the_end(void **state)
{
	static unsigned char chunk[8192];
	size_t limit = 32768;
	int small = 4096, sent = 0;

	(void)state;
	broker_peer_open(&peer, limit + BROKER_QUEUE_SLACK, "bob",
	    BROKER_MODE_WATCH);
	assert_int_equal(setsockopt(peer.s->fd, SOL_SOCKET, SO_SNDBUF,
	    &small, sizeof(small)), 0);
	while (broker_session_send(peer.s, FRAME_OUTPUT, chunk, sizeof(chunk),
	    limit) == 0) {
		assert_true(ringbuf_used(&peer.s->queue) <= limit);
		assert_true(++sent < 1000);
	}
	assert_true(ringbuf_used(&peer.s->queue) + BROKER_FRAME_HEADER +
	    sizeof(chunk) > limit);
	/* the end frame fits in the slack past the output's limit */
	broker_session_end(peer.s, BRIDGE_TERMINAL_STALLED, 2000);
	assert_true(peer.s->closing);
	assert_int_equal(peer.s->close_by, 2000 + BROKER_CLOSE_GRACE_SECONDS);
	/* nothing more is queued once closing */
	assert_int_equal(broker_session_send(peer.s, FRAME_NOTICE, "x", 1,
	    limit + BROKER_QUEUE_SLACK), 0);
	while (ringbuf_used(&peer.s->queue) > 0) {
		broker_peer_read(&peer);
		broker_session_flush(peer.s);
	}
	broker_peer_read(&peer);
	assert_int_equal(peer.type[peer.n - 1], FRAME_END);
	assert_int_equal(peer.output_len, (size_t)sent * sizeof(chunk));
}

static void
test_gone_peer_leaves_session_closing(void **state)
{
	(void)state;
	broker_peer_open(&peer, 65536, "bob", BROKER_MODE_WATCH);
	close(peer.fd);
	peer.fd = -1;
	assert_int_equal(broker_session_send(peer.s, FRAME_OUTPUT, "abc", 3,
	    65536), 0);
	assert_true(peer.s->closing);
	assert_int_equal(ringbuf_used(&peer.s->queue), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_hello_in_pieces, teardown),
		cmocka_unit_test_teardown(test_bad_hellos, teardown),
		cmocka_unit_test_teardown(test_hello_has_a_deadline, teardown),
		cmocka_unit_test_teardown(
		    test_queue_keeps_its_bound_and_room_for_the_end, teardown),
		cmocka_unit_test_teardown(
		    test_gone_peer_leaves_session_closing, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
