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
 * Queues the len bytes at buf as output frames for every live session of
 * r, each queue kept within limit bytes. A session that cannot take them
 * is ended with BRIDGE_TERMINAL_STALLED at now and passed to dropped
 * (with opaque), if set; every session that took them is passed to sent.
 */
void broker_fanout_output(struct broker_roster *r, const unsigned char *buf,
    size_t len, size_t limit, time_t now,
    void (*dropped)(void *opaque, struct broker_session *s),
    void (*sent)(void *opaque, struct broker_session *s), void *opaque);

#endif
