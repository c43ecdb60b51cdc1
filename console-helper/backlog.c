/* The bounded, growing backlog of console output for the terminal. */
#include "backlog.h"

#include "log.h"

int
backlog_init(struct ringbuf *rb, size_t size, size_t max)
{
	return ringbuf_init_growable(rb, size, max);
}

enum backlog_status
backlog_add(struct ringbuf *rb, const void *data, size_t len,
    size_t *taken)
{
	const unsigned char *p = data;
	size_t n;
	int grown;

	*taken = 0;
	for (;;) {
		n = ringbuf_put(rb, p + *taken, len - *taken);
		*taken += n;
		if (*taken == len)
			return BACKLOG_OK;
		if ((grown = ringbuf_grow(rb)) == 0)
			return BACKLOG_FULL;
		if (grown < 0)
			return BACKLOG_NO_MEMORY;
		log_debug("console output buffer grown to %zu bytes",
		    ringbuf_size(rb));
	}
}
