/*
 * Fan-out of the console's output to the sessions of a shared console.
 */
#include "broker_fanout.h"

#include <string.h>

#include "broker_proto.h"

/* Queues buf for s in frames; returns 0, or 1 when s cannot take it. */
static int
queue_output(struct broker_session *s, const unsigned char *buf,
    size_t len, size_t limit)
{
	size_t off, n;

	for (off = 0; off < len; off += n) {
		n = len - off < BROKER_FRAME_MAX ? len - off :
		    BROKER_FRAME_MAX;
		if (broker_session_send(s, FRAME_OUTPUT, buf + off, n,
		    limit) != 0)
			return 1;
	}
	return 0;
}

void
broker_fanout_output(struct broker_roster *r, const unsigned char *buf,
    size_t len, size_t limit, time_t now,
    void (*dropped)(void *opaque, struct broker_session *s),
    void (*sent)(void *opaque, struct broker_session *s), void *opaque)
{
	struct broker_session *s, *next;

	for (s = r->sessions; s != NULL; s = next) {
		/* a callback may not free s, but stay safe if it unlinks */
		next = s->next;
		if (!broker_session_live(s))
			continue;
		if (queue_output(s, buf, len, limit) != 0) {
			broker_session_end(s, BRIDGE_TERMINAL_STALLED, now);
			if (dropped != NULL)
				dropped(opaque, s);
		} else if (sent != NULL)
			sent(opaque, s);
	}
}

/* Fans out len bytes at buf at once. */
static void
fan_out(struct broker_fanout *f, const unsigned char *buf, size_t len)
{
	broker_fanout_output(f->roster, buf, len, f->limit, time(NULL),
	    f->dropped, f->sent, f->opaque);
}

void
broker_fanout_flush(struct broker_fanout *f)
{
	size_t len = f->len;

	f->len = 0;
	f->due_ms = 0;
	if (len > 0)
		fan_out(f, f->gathered, len);
}

void
broker_fanout_add(struct broker_fanout *f, const unsigned char *buf,
    size_t len, long long now_ms)
{
	bool quiet = f->len == 0 && (f->last_ms == 0 ||
	    now_ms - f->last_ms >= BROKER_COALESCE_MS);

	f->last_ms = now_ms;
	if (len == 0)
		return;
	if (quiet) {
		fan_out(f, buf, len);
		return;
	}
	if (len > sizeof(f->gathered) - f->len)
		broker_fanout_flush(f);
	if (len >= sizeof(f->gathered)) {
		fan_out(f, buf, len);
		return;
	}
	memcpy(f->gathered + f->len, buf, len);
	f->len += len;
	if (f->len == sizeof(f->gathered))
		broker_fanout_flush(f);
	else if (f->due_ms == 0)
		f->due_ms = now_ms + BROKER_COALESCE_MS;
}

long long
broker_fanout_due(const struct broker_fanout *f)
{
	return f->len > 0 ? f->due_ms : 0;
}
