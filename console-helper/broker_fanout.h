/*
 * The console's output handed to every session of a shared console: the
 * same bytes in the same order into each session's own queue. A session
 * whose queue cannot take them (its reader stopped reading) is ended alone
 * with the "stopped reading" reason; the others go on. So the memory held
 * for sessions is bounded by their queues, whatever a reader does.
 */
#ifndef VMCONSOLE_BROKER_FANOUT_H
#define VMCONSOLE_BROKER_FANOUT_H

#include <stddef.h>
#include <time.h>

#include "broker_roster.h"

/*
 * While the console's output flows it is gathered for at most
 * BROKER_COALESCE_MS milliseconds or BROKER_COALESCE_BYTES bytes before it
 * is fanned out. The serial console hands over a flood a few bytes at a
 * time, and every piece sent costs each session a send, a wake-up of its
 * helper, an ssh packet and a wake-up of the ssh client: with ten watchers
 * that work took the CPU the emulated guest needed to print. Output that
 * follows BROKER_COALESCE_MS of quiet goes out at once, so the echo of a
 * keystroke is never held. A few milliseconds are below what a person can
 * see, so this is not an operator's setting.
 */
#define BROKER_COALESCE_MS 4
#define BROKER_COALESCE_BYTES (16 * 1024)

struct broker_fanout {
	struct broker_roster *roster;
	size_t limit;		/* console_backlog_max */
	/* called as in broker_fanout_output() */
	void (*dropped)(void *opaque, struct broker_session *s);
	void (*sent)(void *opaque, struct broker_session *s);
	void *opaque;
	unsigned char gathered[BROKER_COALESCE_BYTES];
	size_t len;
	long long last_ms;	/* when output last arrived, 0: never */
	long long due_ms;	/* when gathered output must go, 0: none */
};

/*
 * Queues the len bytes at buf as output frames for every live session of
 * r, each queue kept within limit bytes. A session that cannot take them
 * is ended with BRIDGE_TERMINAL_STALLED at now and passed to dropped
 * (with opaque), if set; every session that took them is passed to sent.
 */
void broker_fanout_output(struct broker_roster *r, const unsigned char *buf,
    size_t len, size_t limit, time_t now,
    void (*dropped)(void *opaque, struct broker_session *s),
    void (*sent)(void *opaque, struct broker_session *s), void *opaque);

/*
 * Takes the len bytes at buf that the console printed at now_ms
 * (monotonic): fans them out at once after a quiet spell, otherwise
 * gathers them, fanning out what was gathered when it is full.
 */
void broker_fanout_add(struct broker_fanout *f, const unsigned char *buf,
    size_t len, long long now_ms);

/* Fans out what was gathered, if anything. */
void broker_fanout_flush(struct broker_fanout *f);

/*
 * Returns the time (monotonic ms) by which broker_fanout_flush() must be
 * called, or 0 when nothing is gathered.
 */
long long broker_fanout_due(const struct broker_fanout *f);

#endif
