/*
 * A session of a shared console inside its broker: its socket, its hello
 * and its queue of frames.
 */
#define _GNU_SOURCE
#include "broker_session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backlog.h"

/* A queue starts this small: most sessions keep up and never grow it. */
#define QUEUE_INITIAL 4096

struct broker_session *
broker_session_new(int fd, size_t queue_max, time_t now)
{
	struct broker_session *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if (backlog_init(&s->queue, QUEUE_INITIAL, queue_max) != 0) {
		free(s);
		return NULL;
	}
	s->fd = fd;
	s->watch = -1;
	s->hello_by = now + BROKER_HELLO_SECONDS;
	return s;
}

void
broker_session_free(struct broker_session *s)
{
	if (s == NULL)
		return;
	if (s->fd >= 0)
		close(s->fd);
	ringbuf_release(&s->queue);
	free(s);
}

void
broker_session_flush(struct broker_session *s)
{
	const unsigned char *p = NULL;
	size_t len;
	ssize_t n;

	while ((len = ringbuf_data_area(&s->queue, &p)) > 0) {
		n = send(s->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			/* the session is gone: nothing more can reach it */
			ringbuf_consume(&s->queue, ringbuf_used(&s->queue));
			s->closing = true;
			return;
		}
		ringbuf_consume(&s->queue, (size_t)n);
	}
}

int
broker_session_send(struct broker_session *s, enum broker_frame_type type,
    const void *data, size_t len, size_t limit)
{
	int r;

	if (s->closing)
		return 0;
	r = broker_frame_put(&s->queue, type, data, len, limit);
	broker_session_flush(s);
	return r == 0 ? 0 : 1;
}

void
broker_session_end(struct broker_session *s, enum bridge_end why,
    time_t now)
{
	unsigned char b = (unsigned char)why;

	if (s->closing)
		return;
	/* the slack past the output's limit keeps room for this frame */
	(void)broker_frame_put(&s->queue, FRAME_END, &b, 1, s->queue.max);
	s->closing = true;
	s->close_by = now + BROKER_CLOSE_GRACE_SECONDS;
	broker_session_flush(s);
}

enum broker_hello_status
broker_session_read_hello(struct broker_session *s)
{
	char *nl;
	ssize_t n;

	n = recv(s->fd, s->hello + s->hello_len,
	    sizeof(s->hello) - 1 - s->hello_len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
	    errno == EINTR))
		return BROKER_HELLO_MORE;
	if (n <= 0)
		return BROKER_HELLO_GONE;
	s->hello_len += (size_t)n;
	s->hello[s->hello_len] = '\0';
	if ((nl = memchr(s->hello, '\n', s->hello_len)) == NULL)
		return s->hello_len == sizeof(s->hello) - 1 ?
		    BROKER_HELLO_INVALID : BROKER_HELLO_MORE;
	*nl = '\0';
	/* keystrokes sent right behind the hello are dropped: none are */
	if (broker_hello_parse(s->hello, &s->who) != 0)
		return BROKER_HELLO_INVALID;
	return BROKER_HELLO_DONE;
}

bool
broker_session_hello_expired(const struct broker_session *s, time_t now)
{
	return !s->attached && !s->closing && now >= s->hello_by;
}

bool
broker_session_live(const struct broker_session *s)
{
	return s->attached && !s->closing;
}
