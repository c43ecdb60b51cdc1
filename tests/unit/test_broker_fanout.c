/* Unit tests for console-helper/broker_fanout.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "broker_fanout.h"
#include "broker_peer.h"

#define READERS 3
/* console_backlog_max of these tests */
#define LIMIT (64 * 1024)

static struct broker_roster roster;
static struct broker_peer peer[READERS];
static struct broker_session *dropped_sessions[READERS];
static size_t dropped_count;

static void
on_dropped(void *opaque, struct broker_session *s)
{
	(void)opaque;
	assert_true(dropped_count < READERS);
	dropped_sessions[dropped_count++] = s;
}

static int
setup(void **state)
{
	size_t i;

	(void)state;
	memset(&roster, 0, sizeof(roster));
	roster.vm_name = "web01";
	roster.notices = true;
	dropped_count = 0;
	for (i = 0; i < READERS; i++) {
		broker_peer_open(&peer[i], LIMIT + BROKER_QUEUE_SLACK,
		    i == 0 ? "alice" : "bob", i == 0 ? BROKER_MODE_WRITE :
		    BROKER_MODE_WATCH);
		broker_roster_add(&roster, peer[i].s);
		(void)broker_roster_join(&roster, peer[i].s);
	}
	return 0;
}

static int
teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < READERS; i++)
		broker_peer_close(&peer[i], 0);
	return 0;
}

/* Fills buf with len bytes that differ from chunk to chunk. */
static void
fill(unsigned char *buf, size_t len, unsigned seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
}

static void
test_every_session_gets_the_same_bytes_in_order(void **state)
{
	static unsigned char sent[2 * 1024 * 1024];
	unsigned char chunk[3000];
	size_t total = 0, len, i;
	unsigned round;

	(void)state;
	for (round = 0; round < 600; round++) {
		/* the UART's single bytes, lines, and bigger blocks */
		len = round % 3 == 0 ? 1 : round % 3 == 1 ? 80 :
		    sizeof(chunk);
		fill(chunk, len, round);
		broker_fanout_output(&roster, chunk, len, LIMIT, 1000,
		    on_dropped, NULL, NULL);
		memcpy(sent + total, chunk, len);
		total += len;
		for (i = 0; i < READERS; i++) {
			broker_session_flush(peer[i].s);
			broker_peer_read(&peer[i]);
		}
	}
	assert_int_equal(dropped_count, 0);
	for (i = 0; i < READERS; i++) {
		assert_int_equal(peer[i].output_len, total);
		assert_memory_equal(peer[i].output, sent, total);
	}
}

static void
test_output_longer_than_a_frame_is_split(void **state)
{
	static unsigned char big[BROKER_FRAME_MAX + 100];
	size_t i, k;

	(void)state;
	fill(big, sizeof(big), 9);
	/* room for all of it in every queue */
	for (i = 0; i < READERS; i++)
		peer[i].s->queue.max = 4 * sizeof(big);
	broker_fanout_output(&roster, big, sizeof(big), 2 * sizeof(big),
	    1000, on_dropped, NULL, NULL);
	for (k = 0; k < 20; k++)
		for (i = 0; i < READERS; i++) {
			broker_session_flush(peer[i].s);
			broker_peer_read(&peer[i]);
		}
	for (i = 0; i < READERS; i++) {
		assert_int_equal(peer[i].output_len, sizeof(big));
		assert_memory_equal(peer[i].output, big, sizeof(big));
	}
}

static void
test_reader_that_stops_is_dropped_alone(void **state)
{
	unsigned char chunk[1000];
	size_t total = 0, i, most = 0;
	int small = 4096;
	unsigned round;
	long at;

	(void)state;
	/* the stalled reader is peer 1: a small socket buffer fills early */
	assert_int_equal(setsockopt(peer[1].s->fd, SOL_SOCKET, SO_SNDBUF,
	    &small, sizeof(small)), 0);
	for (round = 0; round < 2000; round++) {
		fill(chunk, sizeof(chunk), round);
		broker_fanout_output(&roster, chunk, sizeof(chunk), LIMIT,
		    1000, on_dropped, NULL, NULL);
		total += sizeof(chunk);
		if (ringbuf_used(&peer[1].s->queue) > most)
			most = ringbuf_used(&peer[1].s->queue);
		/* its queue never passes the bound, whatever the stall */
		assert_true(ringbuf_used(&peer[1].s->queue) <=
		    LIMIT + BROKER_QUEUE_SLACK);
		for (i = 0; i < READERS; i++)
			if (i != 1) {
				broker_session_flush(peer[i].s);
				broker_peer_read(&peer[i]);
			}
	}
	/* dropped once, alone, soon after its queue reached the bound */
	assert_int_equal(dropped_count, 1);
	assert_ptr_equal(dropped_sessions[0], peer[1].s);
	assert_true(peer[1].s->closing);
	assert_true(most > LIMIT - sizeof(chunk) - BROKER_FRAME_HEADER);
	assert_false(peer[0].s->closing);
	assert_false(peer[2].s->closing);
	/* the writer and the other watcher got everything */
	assert_int_equal(peer[0].output_len, total);
	assert_int_equal(peer[2].output_len, total);
	/* the stalled one, reading at last, finds why it ends */
	for (i = 0; i < 200 && ringbuf_used(&peer[1].s->queue) > 0; i++) {
		broker_peer_read(&peer[1]);
		broker_session_flush(peer[1].s);
	}
	broker_peer_read(&peer[1]);
	assert_int_equal(ringbuf_used(&peer[1].s->queue), 0);
	at = (long)peer[1].n - 1;
	assert_true(at >= 0);
	assert_int_equal(peer[1].type[at], FRAME_END);
	assert_int_equal((unsigned char)peer[1].text[at][0],
	    BRIDGE_TERMINAL_STALLED);
	/* and what came before the end is the start of the output */
	assert_true(peer[1].output_len < total);
	assert_memory_equal(peer[1].output, peer[0].output,
	    peer[1].output_len);
}

static void
test_sessions_without_hello_or_closing_get_nothing(void **state)
{
	struct broker_peer fresh;
	unsigned char b = 'x';

	(void)state;
	broker_peer_open(&fresh, LIMIT, "carol", BROKER_MODE_WRITE);
	broker_roster_add(&roster, fresh.s);
	peer[2].s->closing = true;
	broker_fanout_output(&roster, &b, 1, LIMIT, 1000, on_dropped, NULL,
	    NULL);
	broker_peer_read(&fresh);
	broker_peer_read(&peer[2]);
	broker_peer_read(&peer[0]);
	assert_int_equal(fresh.n, 0);
	assert_int_equal(peer[2].output_len, 0);
	assert_int_equal(peer[0].output_len, 1);
	broker_roster_remove(&roster, fresh.s);
	broker_peer_close(&fresh, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_every_session_gets_the_same_bytes_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_output_longer_than_a_frame_is_split, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_reader_that_stops_is_dropped_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sessions_without_hello_or_closing_get_nothing, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
