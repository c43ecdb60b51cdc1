/*
 * One session as the broker of a shared console sees it: the socket to
 * the session's helper, the hello it is reading, the role it was given
 * and its own bounded queue of frames. Nothing here knows the event loop:
 * the broker watches the socket and calls in, so the queueing and the
 * hello can be exercised on a socketpair().
 */
#ifndef VMCONSOLE_BROKER_SESSION_H
#define VMCONSOLE_BROKER_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "broker_proto.h"
#include "end_reason.h"
#include "ringbuf.h"

/*
 * Room in a session's queue past console_backlog_max for the notices and
 * the end frame, so that a session dropped for lagging is still told why.
 */
#define BROKER_QUEUE_SLACK 4096
/* How long a session being closed may take to read its last frames. */
#define BROKER_CLOSE_GRACE_SECONDS 2
/*
 * How long a connection may take to send its whole hello. The helper
 * writes it at once after connecting, so anything slower is stuck or not
 * a helper; without a bound such a connection would hold its socket and
 * memory until the console ends. Not an operator's choice: it only has to
 * be far above a loaded machine's scheduling delays.
 */
#define BROKER_HELLO_SECONDS 5

struct broker_session {
	struct broker_session *next;
	void *opaque;		/* the broker's, for its callbacks */
	int fd;
	int watch, events;	/* the broker's event handle and its mask */
	char hello[BROKER_HELLO_MAX];
	size_t hello_len;
	time_t hello_by;	/* the hello must be complete by then */
	bool attached;		/* hello accepted */
	bool writer;
	bool closing;		/* only flushing what is queued is left */
	time_t close_by;
	struct broker_hello who;
	struct ringbuf queue;	/* frames waiting for the session */
};

enum broker_hello_status {
	BROKER_HELLO_MORE,	/* incomplete: wait for more */
	BROKER_HELLO_DONE,	/* s->who holds it */
	BROKER_HELLO_GONE,	/* the connection closed or failed */
	BROKER_HELLO_INVALID,	/* not a hello, or too long */
};

/*
 * Allocates a session for the connected socket fd (non-blocking), whose
 * queue holds at most queue_max bytes, accepted at now. Returns NULL when
 * memory ran out; fd stays the caller's then.
 */
struct broker_session *broker_session_new(int fd, size_t queue_max,
    time_t now);

/* Closes the socket and frees s. Safe on NULL. */
void broker_session_free(struct broker_session *s);

/*
 * Writes queued frames to the socket until it would block. A socket that
 * fails loses what is queued and leaves s closing.
 */
void broker_session_flush(struct broker_session *s);

/*
 * Queues a frame for s when it keeps the queue within limit bytes and
 * starts sending it. Returns 0 (also when s is closing: it is dropped), or
 * 1 when it did not fit or memory ran out.
 */
int broker_session_send(struct broker_session *s, enum broker_frame_type type,
    const void *data, size_t len, size_t limit);

/*
 * Queues the end frame with reason why and leaves s closing: it may take
 * BROKER_CLOSE_GRACE_SECONDS from now to read what is queued. Does
 * nothing on a session already closing.
 */
void broker_session_end(struct broker_session *s, enum bridge_end why,
    time_t now);

/* Reads what arrived of the hello line. */
enum broker_hello_status broker_session_read_hello(struct broker_session *s);

/* Returns true when s is still without its hello at now past the bound. */
bool broker_session_hello_expired(const struct broker_session *s, time_t now);

/* Returns true when s is attached and not closing: it gets output. */
bool broker_session_live(const struct broker_session *s);

#endif
