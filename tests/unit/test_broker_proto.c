/* Unit tests for console-helper/broker_proto.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backlog.h"
#include "broker_proto.h"

static void
test_hello_round_trip(void **state)
{
	struct broker_hello h, back;
	char line[BROKER_HELLO_MAX];
	int n;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.mode = BROKER_MODE_WATCH;
	h.replay = 24;
	strcpy(h.host, "hv1.example.com");
	strcpy(h.vmid, "6d1f0a52-1c2b-4e1e-9a51-0000000000a1");
	strcpy(h.entity_id, "u-42");
	strcpy(h.entity, "alice");
	assert_true((n = broker_hello_format(&h, line, sizeof(line))) > 0);
	assert_int_equal(line[n - 1], '\n');
	line[n - 1] = '\0';
	assert_int_equal(broker_hello_parse(line, &back), 0);
	assert_int_equal(back.mode, BROKER_MODE_WATCH);
	assert_int_equal(back.replay, 24);
	assert_string_equal(back.host, h.host);
	assert_string_equal(back.vmid, h.vmid);
	assert_string_equal(back.entity_id, "u-42");
	assert_string_equal(back.entity, "alice");
	/* a field that would split the line is refused */
	strcpy(h.entity, "al\tice");
	assert_int_equal(broker_hello_format(&h, line, sizeof(line)), -1);
}

static void
test_bad_hellos_are_refused(void **state)
{
	struct broker_hello h;

	(void)state;
	assert_int_equal(broker_hello_parse("", &h), -1);
	assert_int_equal(broker_hello_parse("vmconsole-hello\twrite\t1\th\tv\t"
	    "u\te\textra", &h), -1);
	assert_int_equal(broker_hello_parse("vmconsole-hello\tsteal\t1\th\tv\t"
	    "u\te", &h), -1);
	assert_int_equal(broker_hello_parse("vmconsole-hello\twrite\t-1\th\tv\t"
	    "u\te", &h), -1);
	assert_int_equal(broker_hello_parse("vmconsole-hello\twrite\t1\t\tv\t"
	    "u\te", &h), -1);
	assert_int_equal(broker_hello_parse("other\twrite\t1\th\tv\tu\te", &h),
	    -1);
	assert_int_equal(broker_hello_parse("vmconsole-hello\tforce\t0\th\tv\t"
	    "u\te", &h), 0);
	assert_int_equal(h.mode, BROKER_MODE_FORCE);
}

static void
test_frames_split_and_join(void **state)
{
	struct ringbuf q;
	unsigned char buf[64], type = 0;
	const unsigned char *p = NULL;
	size_t plen = 0, n;
	long used;

	(void)state;
	assert_int_equal(backlog_init(&q, 16, 1024), 0);
	assert_int_equal(broker_frame_put(&q, FRAME_OUTPUT, "hello", 5, 1024),
	    0);
	assert_int_equal(broker_frame_put(&q, FRAME_NOTICE, "[n]", 3, 1024),
	    0);
	n = ringbuf_get(&q, buf, sizeof(buf));
	assert_int_equal(n, 2 * BROKER_FRAME_HEADER + 8);
	/* a partial frame asks for more */
	assert_int_equal(broker_frame_next(buf, 7, &type, &p, &plen), 0);
	used = broker_frame_next(buf, n, &type, &p, &plen);
	assert_int_equal(used, BROKER_FRAME_HEADER + 5);
	assert_int_equal(type, FRAME_OUTPUT);
	assert_memory_equal(p, "hello", 5);
	used = broker_frame_next(buf + used, n - (size_t)used, &type, &p,
	    &plen);
	assert_int_equal(type, FRAME_NOTICE);
	assert_int_equal(plen, 3);
	/* an unknown type or a length past the maximum is an error */
	memcpy(buf, "X\0\0\0\1a", 6);
	assert_int_equal(broker_frame_next(buf, 6, &type, &p, &plen), -1);
	memcpy(buf, "O\0\xff\0\0", 5);
	assert_int_equal(broker_frame_next(buf, 5, &type, &p, &plen), -1);
	ringbuf_release(&q);
}

/*
 * Fan-out: the same output goes to every reader's own queue; a reader
 * that does not drain its queue reaches its limit alone, the others go on,
 * and a frame is never cut in two.
 */
static void
test_fanout_fills_a_slow_reader_alone(void **state)
{
	struct ringbuf q[3];
	unsigned char chunk[100], out[200];
	int i, round, slow_full = 0;
	size_t limit = 1000;

	(void)state;
	memset(chunk, 'x', sizeof(chunk));
	for (i = 0; i < 3; i++)
		assert_int_equal(backlog_init(&q[i], 64, limit + 64), 0);
	for (round = 0; round < 50; round++) {
		for (i = 0; i < 3; i++) {
			int r = broker_frame_put(&q[i], FRAME_OUTPUT, chunk,
			    sizeof(chunk), limit);

			if (i == 0) {
				if (r == 1)
					slow_full = round;
				continue;
			}
			assert_int_equal(r, 0);
			/* readers 1 and 2 read everything at once */
			assert_int_equal(ringbuf_get(&q[i], out, sizeof(out)),
			    BROKER_FRAME_HEADER + sizeof(chunk));
		}
		if (slow_full)
			break;
	}
	/* nine frames of 105 bytes fit in 1000, the tenth does not */
	assert_int_equal(slow_full, 9);
	assert_int_equal(ringbuf_used(&q[0]), 9 * 105);
	/* the reader being dropped still gets its end frame past the limit */
	assert_int_equal(broker_frame_put(&q[0], FRAME_END, "\7", 1,
	    q[0].max), 0);
	for (i = 0; i < 3; i++)
		ringbuf_release(&q[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_round_trip),
		cmocka_unit_test(test_bad_hellos_are_refused),
		cmocka_unit_test(test_frames_split_and_join),
		cmocka_unit_test(test_fanout_fills_a_slow_reader_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
