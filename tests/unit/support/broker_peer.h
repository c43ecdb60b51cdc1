/*
 * The helper's end of a broker session, for the broker's unit tests: a
 * session on one end of a socketpair() and the frames read at the other.
 */
#ifndef VMCONSOLE_TEST_BROKER_PEER_H
#define VMCONSOLE_TEST_BROKER_PEER_H

#include <stddef.h>

#include "broker_session.h"

#define BROKER_PEER_FRAMES 64

struct broker_peer {
	struct broker_session *s;
	int fd;				/* the helper's end */
	size_t n;		/* frames kept: the first and the newest */
	size_t frames;			/* frames read */
	unsigned char type[BROKER_PEER_FRAMES];
	char text[BROKER_PEER_FRAMES][1024];	/* payloads, NUL ended */
	size_t len[BROKER_PEER_FRAMES];
	unsigned char *output;	/* every output payload in order */
	size_t output_len;
	unsigned char *buf;	/* bytes read, not yet a whole frame */
	size_t have;
};

/*
 * Sets up p: a session whose queue holds queue_max bytes, for entity in
 * mode, hello not yet given to a roster. Fails the test on error.
 */
void broker_peer_open(struct broker_peer *p, size_t queue_max,
    const char *entity, enum broker_mode mode);

/*
 * Reads what waits at the helper's end (without blocking) and takes the
 * whole frames in it; nothing once p is closed.
 */
void broker_peer_read(struct broker_peer *p);

/* Returns the index of the first frame of type holding text, or -1. */
int broker_peer_find(const struct broker_peer *p, unsigned char type,
    const char *text);

/* Closes the helper's end and frees the session unless freed is set. */
void broker_peer_close(struct broker_peer *p, int freed);

#endif
