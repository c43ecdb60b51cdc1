/*
 * Who is attached to a shared console and in which role: at most one
 * writer, whose keystrokes reach the VM, and any number of watchers. It
 * decides the role of a session that says hello, demotes the writer when
 * another session takes over, and words the one-line notices each
 * session is sent about the others.
 */
#ifndef VMCONSOLE_BROKER_ROSTER_H
#define VMCONSOLE_BROKER_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "broker_proto.h"
#include "broker_session.h"

struct broker_roster {
	struct broker_session *sessions;	/* newest first */
	const char *vm_name;	/* safe for a terminal */
	bool notices;		/* console_notices */
};

/*
 * Sets *mode to what a session asks of the broker: force takes the
 * console over, watch (or an entity that may only watch) watches, anything
 * else writes unless somebody does. Returns 0, or -1 when force is asked
 * by an entity that may only watch (nothing is set).
 */
int broker_roster_requested_mode(bool watch_only, bool watch, bool force,
    enum broker_mode *mode);

/* Adds s (not yet attached) to the roster. */
void broker_roster_add(struct broker_roster *r, struct broker_session *s);

/* Takes s out of the roster (it stays the caller's to free). */
void broker_roster_remove(struct broker_roster *r, struct broker_session *s);

/*
 * Returns the number of live sessions; sets *writer to the writer (or
 * NULL) and *watchers to the number of the others.
 */
size_t broker_roster_count(const struct broker_roster *r,
    struct broker_session **writer, size_t *watchers);

/*
 * Attaches s, whose hello is in s->who: gives it its role and sends it the
 * mode frame and, when it did not get what it asked for or only watches,
 * a notice saying so. A session forcing its way in becomes the writer; the
 * writer there becomes a watcher, is sent the mode frame and a notice
 * naming who took over, and the others a notice of the take-over. Returns
 * that former writer, or NULL.
 */
struct broker_session *broker_roster_join(struct broker_roster *r,
    struct broker_session *s);

/*
 * Tells the other sessions that s attached, unless it took the console
 * over from demoted (they heard of that already).
 */
void broker_roster_announce(struct broker_roster *r,
    const struct broker_session *s, const struct broker_session *demoted);

/* Tells the other sessions that s left. */
void broker_roster_announce_leave(struct broker_roster *r,
    const struct broker_session *s);

/* Sends the notice text to every live session but except. */
void broker_roster_notify_others(struct broker_roster *r,
    const struct broker_session *except, const char *text);

#endif
