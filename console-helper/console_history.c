/* The bounded history of a shared console's output. */
#include "console_history.h"

#include <string.h>

/* First allocation; doubled on demand up to the maximum. */
#define HISTORY_FIRST_SIZE 4096

int
console_history_init(struct console_history *h, size_t max)
{
	memset(h, 0, sizeof(*h));
	h->max = max;
	if (max == 0)
		return 0;
	return ringbuf_init_growable(&h->ring,
	    max < HISTORY_FIRST_SIZE ? max : HISTORY_FIRST_SIZE, max);
}

void
console_history_release(struct console_history *h)
{
	if (h->max > 0)
		ringbuf_release(&h->ring);
	memset(h, 0, sizeof(*h));
}

size_t
console_history_used(const struct console_history *h)
{
	return h->max > 0 ? ringbuf_used(&h->ring) : 0;
}

int
console_history_add(struct console_history *h, const void *data,
    size_t len)
{
	const unsigned char *p = data;
	size_t n, drop;
	int grown;

	if (h->max == 0)
		return 0;
	/* only the newest max bytes of a big write can stay */
	if (len > h->max) {
		p += len - h->max;
		len = h->max;
	}
	while (len > 0) {
		n = ringbuf_put(&h->ring, p, len);
		p += n;
		len -= n;
		if (len == 0)
			break;
		if ((grown = ringbuf_grow(&h->ring)) > 0)
			continue;
		if (grown < 0) {
			ringbuf_consume(&h->ring, ringbuf_used(&h->ring));
			return -1;
		}
		drop = len < ringbuf_used(&h->ring) ? len :
		    ringbuf_used(&h->ring);
		ringbuf_consume(&h->ring, drop);
	}
	return 0;
}

/* Returns the byte at offset i from the oldest one. */
static unsigned char
byte_at(const struct console_history *h, size_t i)
{
	return h->ring.data[(h->ring.start + i) % h->ring.size];
}

size_t
console_history_tail(const struct console_history *h, size_t lines,
    size_t max_bytes)
{
	size_t used = console_history_used(h), i, found = 0, len = used;

	if (lines == 0 || used == 0)
		return 0;
	/* i is a line start when the byte before it is a newline */
	for (i = used - 1; i > 0; i--) {
		if (byte_at(h, i - 1) == '\n' && ++found == lines) {
			len = used - i;
			break;
		}
	}
	return len < max_bytes ? len : max_bytes;
}

void
console_history_copy_tail(const struct console_history *h,
    unsigned char *out, size_t len)
{
	size_t used = console_history_used(h), i;

	for (i = 0; i < len; i++)
		out[i] = byte_at(h, used - len + i);
}
