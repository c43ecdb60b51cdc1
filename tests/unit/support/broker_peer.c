/* The helper's end of a broker session, for unit tests. */
#define _GNU_SOURCE
#include "broker_peer.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

/* More than a socket buffer and a frame. */
#define PEER_BUF (4 << 20)

void
broker_peer_open(struct broker_peer *p, size_t queue_max,
    const char *entity, enum broker_mode mode)
{
	int sv[2];

	memset(p, 0, sizeof(*p));
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0, sv), 0);
	p->s = broker_session_new(sv[0], queue_max, 1000);
	assert_non_null(p->s);
	p->fd = sv[1];
	p->s->who.mode = mode;
	snprintf(p->s->who.entity, sizeof(p->s->who.entity), "%s", entity);
	snprintf(p->s->who.entity_id, sizeof(p->s->who.entity_id), "id-%s",
	    entity);
}

void
broker_peer_read(struct broker_peer *p)
{
	const unsigned char *payload;
	size_t plen, off = 0, i;
	unsigned char type;
	ssize_t n;
	long fl;

	if (p->fd < 0)
		return;
	if (p->buf == NULL)
		assert_non_null(p->buf = malloc(PEER_BUF));
	while ((n = recv(p->fd, p->buf + p->have, PEER_BUF - p->have,
	    MSG_DONTWAIT)) > 0)
		p->have += (size_t)n;
	while ((fl = broker_frame_next(p->buf + off, p->have - off, &type,
	    &payload, &plen)) > 0) {
		if (type == FRAME_OUTPUT) {
			p->output = realloc(p->output, p->output_len + plen +
			    1);
			assert_non_null(p->output);
			memcpy(p->output + p->output_len, payload, plen);
			p->output_len += plen;
		}
		p->frames++;
		/* past the last slot, the last slot holds the newest */
		i = p->n < BROKER_PEER_FRAMES ? p->n++ :
		    BROKER_PEER_FRAMES - 1;
		p->type[i] = type;
		p->len[i] = plen;
		snprintf(p->text[i], sizeof(p->text[i]), "%.*s",
		    (int)(plen < 1023 ? plen : 1023), (const char *)payload);
		off += (size_t)fl;
	}
	assert_int_equal(fl, 0);
	memmove(p->buf, p->buf + off, p->have - off);
	p->have -= off;
}

int
broker_peer_find(const struct broker_peer *p, unsigned char type,
    const char *text)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->type[i] == type && strstr(p->text[i], text) != NULL)
			return (int)i;
	return -1;
}

void
broker_peer_close(struct broker_peer *p, int freed)
{
	if (!freed)
		broker_session_free(p->s);
	p->s = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->output);
	free(p->buf);
	p->output = NULL;
	p->buf = NULL;
}
