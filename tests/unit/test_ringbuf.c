/* Unit tests for console-helper/ringbuf.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ringbuf.h"

static void
test_empty_and_full(void **state)
{
	struct ringbuf rb;
	unsigned char *p = NULL;
	const unsigned char *q = NULL;

	(void)state;
	assert_int_equal(ringbuf_init(&rb, 8), 0);
	assert_true(ringbuf_is_empty(&rb));
	assert_false(ringbuf_is_full(&rb));
	assert_int_equal(ringbuf_space(&rb), 8);
	assert_int_equal(ringbuf_data_area(&rb, &q), 0);
	assert_int_equal(ringbuf_put(&rb, "abcdefghij", 10), 8);
	assert_true(ringbuf_is_full(&rb));
	assert_int_equal(ringbuf_used(&rb), 8);
	assert_int_equal(ringbuf_space(&rb), 0);
	/* a full buffer offers no free area: the reader must stop */
	assert_int_equal(ringbuf_free_area(&rb, &p), 0);
	assert_int_equal(ringbuf_put(&rb, "k", 1), 0);
	ringbuf_release(&rb);
	assert_int_equal(ringbuf_init(&rb, 0), -1);
}

static void
test_wrap_keeps_order(void **state)
{
	struct ringbuf rb;
	char out[16];
	const unsigned char *q = NULL;

	(void)state;
	assert_int_equal(ringbuf_init(&rb, 8), 0);
	assert_int_equal(ringbuf_put(&rb, "abcdef", 6), 6);
	assert_int_equal(ringbuf_get(&rb, out, 4), 4);
	assert_memory_equal(out, "abcd", 4);
	/* "ef" at 4..5; "ghijkl" wraps around the end */
	assert_int_equal(ringbuf_put(&rb, "ghijkl", 6), 6);
	assert_true(ringbuf_is_full(&rb));
	assert_int_equal(ringbuf_data_area(&rb, &q), 4);
	assert_memory_equal(q, "efgh", 4);
	assert_int_equal(ringbuf_get(&rb, out, sizeof(out)), 8);
	assert_memory_equal(out, "efghijkl", 8);
	assert_true(ringbuf_is_empty(&rb));
	ringbuf_release(&rb);
}

static void
test_areas_in_place(void **state)
{
	struct ringbuf rb;
	unsigned char *p = NULL;
	const unsigned char *q = NULL;
	size_t n;

	(void)state;
	assert_int_equal(ringbuf_init(&rb, 10), 0);
	n = ringbuf_free_area(&rb, &p);
	assert_int_equal(n, 10);
	memcpy(p, "0123456", 7);
	ringbuf_produce(&rb, 7);
	n = ringbuf_data_area(&rb, &q);
	assert_int_equal(n, 7);
	ringbuf_consume(&rb, 5);
	/* free space after the data runs to the end of storage first */
	n = ringbuf_free_area(&rb, &p);
	assert_int_equal(n, 3);
	memcpy(p, "789", 3);
	ringbuf_produce(&rb, 3);
	n = ringbuf_free_area(&rb, &p);
	assert_int_equal(n, 5);
	memcpy(p, "ABCDE", 5);
	ringbuf_produce(&rb, 5);
	assert_true(ringbuf_is_full(&rb));
	n = ringbuf_data_area(&rb, &q);
	assert_int_equal(n, 5);
	assert_memory_equal(q, "56789", 5);
	ringbuf_consume(&rb, 5);
	n = ringbuf_data_area(&rb, &q);
	assert_int_equal(n, 5);
	assert_memory_equal(q, "ABCDE", 5);
	ringbuf_consume(&rb, 5);
	/* empty again: the whole storage is one area */
	assert_int_equal(ringbuf_free_area(&rb, &p), 10);
	ringbuf_release(&rb);
}

/*
 * A slow consumer behind a fast producer: the producer is held back when
 * the buffer is full, and every byte comes out once and in order.
 */
static void
test_backpressure_accounting(void **state)
{
	struct ringbuf rb;
	unsigned char in[1000], out[1000], chunk[37];
	size_t produced = 0, consumed = 0, n, i, want, stalls = 0;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 7 + 3);
	assert_int_equal(ringbuf_init(&rb, 64), 0);
	while (consumed < sizeof(in)) {
		want = sizeof(in) - produced > 50 ? 50 : sizeof(in) - produced;
		n = ringbuf_put(&rb, in + produced, want);
		/* held back: the caller keeps the rest and stops reading */
		if (n < want)
			stalls++;
		produced += n;
		assert_true(ringbuf_used(&rb) <= 64);
		assert_int_equal(ringbuf_used(&rb) + ringbuf_space(&rb), 64);
		n = ringbuf_get(&rb, chunk, stalls % 2 ? 37 : 11);
		memcpy(out + consumed, chunk, n);
		consumed += n;
		assert_int_equal(produced - consumed, ringbuf_used(&rb));
	}
	assert_true(stalls > 0);
	assert_memory_equal(in, out, sizeof(in));
	ringbuf_release(&rb);
}

/*
 * Growing a buffer whose bytes wrap around the end of storage keeps them
 * in order, and the new space follows the newest byte.
 */
static void
test_grow_keeps_wrapped_order(void **state)
{
	struct ringbuf rb;
	char out[32];

	(void)state;
	assert_int_equal(ringbuf_init_growable(&rb, 8, 32), 0);
	assert_int_equal(ringbuf_put(&rb, "abcdef", 6), 6);
	assert_int_equal(ringbuf_get(&rb, out, 4), 4);
	/* "efghijkl": "ef" at 4..5, then wrapped to 0..5 */
	assert_int_equal(ringbuf_put(&rb, "ghijkl", 6), 6);
	assert_true(ringbuf_is_full(&rb));
	assert_int_equal(ringbuf_grow(&rb), 1);
	assert_int_equal(ringbuf_size(&rb), 16);
	assert_int_equal(ringbuf_used(&rb), 8);
	assert_int_equal(ringbuf_space(&rb), 8);
	assert_int_equal(ringbuf_put(&rb, "mnopqrst", 8), 8);
	assert_int_equal(ringbuf_get(&rb, out, sizeof(out)), 16);
	assert_memory_equal(out, "efghijklmnopqrst", 16);
	ringbuf_release(&rb);
}

/* Growth doubles, stops exactly at the limit and then refuses. */
static void
test_grow_respects_limit(void **state)
{
	struct ringbuf rb;
	unsigned char *p = NULL;

	(void)state;
	assert_int_equal(ringbuf_init_growable(&rb, 6, 20), 0);
	assert_int_equal(ringbuf_grow(&rb), 1);
	assert_int_equal(ringbuf_size(&rb), 12);
	/* doubling would pass the limit: grow to the limit instead */
	assert_int_equal(ringbuf_grow(&rb), 1);
	assert_int_equal(ringbuf_size(&rb), 20);
	assert_int_equal(ringbuf_grow(&rb), 0);
	assert_int_equal(ringbuf_size(&rb), 20);
	assert_int_equal(ringbuf_put(&rb, "0123456789abcdefghijXYZ", 23), 20);
	assert_true(ringbuf_is_full(&rb));
	assert_int_equal(ringbuf_free_area(&rb, &p), 0);
	assert_int_equal(ringbuf_grow(&rb), 0);
	ringbuf_release(&rb);
	/* a plain buffer never grows; a limit below the size is refused */
	assert_int_equal(ringbuf_init(&rb, 8), 0);
	assert_int_equal(ringbuf_grow(&rb), 0);
	assert_int_equal(ringbuf_size(&rb), 8);
	ringbuf_release(&rb);
	assert_int_equal(ringbuf_init_growable(&rb, 8, 7), -1);
}

/*
 * A reader that grows the buffer whenever it is full, behind a consumer
 * that takes less than is produced: every byte comes out once and in
 * order, and the buffer never passes its limit.
 */
static void
test_grow_under_load(void **state)
{
	struct ringbuf rb;
	unsigned char in[3000], out[3000], chunk[64];
	size_t produced = 0, consumed = 0, n, i, want;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 13 + 5);
	assert_int_equal(ringbuf_init_growable(&rb, 16, 1000), 0);
	while (consumed < sizeof(in)) {
		want = sizeof(in) - produced > 29 ? 29 :
		    sizeof(in) - produced;
		n = ringbuf_put(&rb, in + produced, want);
		if (n < want && ringbuf_grow(&rb) == 1)
			n += ringbuf_put(&rb, in + produced + n, want - n);
		produced += n;
		assert_true(ringbuf_size(&rb) <= 1000);
		n = ringbuf_get(&rb, chunk, produced < sizeof(in) ? 17 : 64);
		memcpy(out + consumed, chunk, n);
		consumed += n;
		assert_int_equal(produced - consumed, ringbuf_used(&rb));
	}
	assert_true(ringbuf_size(&rb) > 16);
	assert_memory_equal(in, out, sizeof(in));
	ringbuf_release(&rb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_wrap_keeps_order),
		cmocka_unit_test(test_areas_in_place),
		cmocka_unit_test(test_backpressure_accounting),
		cmocka_unit_test(test_grow_keeps_wrapped_order),
		cmocka_unit_test(test_grow_respects_limit),
		cmocka_unit_test(test_grow_under_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
