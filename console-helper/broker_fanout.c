/*
 * Fan-out of the console's output to the sessions of a shared console.
 */
#include "broker_fanout.h"

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
