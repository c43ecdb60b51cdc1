/* Hello lines and frames of the shared console broker's socket. */
#include "broker_proto.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backlog.h"

#define HELLO_WORD "vmconsole-hello"

static const char *const mode_names[] = {
	[BROKER_MODE_WRITE] = "write",
	[BROKER_MODE_WATCH] = "watch",
	[BROKER_MODE_FORCE] = "force",
};

const char *
broker_mode_name(enum broker_mode mode)
{
	return mode <= BROKER_MODE_FORCE ? mode_names[mode] : "?";
}

/* Returns true when s is non-empty and has no tab, newline or CR. */
static bool
field_ok(const char *s)
{
	return *s != '\0' && strpbrk(s, "\t\n\r") == NULL;
}

int
broker_hello_format(const struct broker_hello *h, char *buf, size_t len)
{
	int n;

	if (!field_ok(h->host) || !field_ok(h->vmid) ||
	    !field_ok(h->entity_id) || !field_ok(h->entity) ||
	    h->mode > BROKER_MODE_FORCE)
		return -1;
	n = snprintf(buf, len, "%s\t%s\t%lu\t%s\t%s\t%s\t%s\n", HELLO_WORD,
	    mode_names[h->mode], h->replay, h->host, h->vmid, h->entity_id,
	    h->entity);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return n;
}

/* Copies the next tab-separated field of *p into out (size len). */
static int
next_field(const char **p, char *out, size_t len)
{
	const char *end = strchr(*p, '\t');
	size_t n = end != NULL ? (size_t)(end - *p) : strlen(*p);

	if (n == 0 || n >= len)
		return -1;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n + (end != NULL ? 1 : 0);
	return end != NULL ? 1 : 0;
}

int
broker_hello_parse(const char *line, struct broker_hello *h)
{
	char word[32], mode[16], replay[24], *end = NULL;
	const char *p = line;
	int i;

	memset(h, 0, sizeof(*h));
	if (strpbrk(line, "\n\r") != NULL ||
	    next_field(&p, word, sizeof(word)) != 1 ||
	    strcmp(word, HELLO_WORD) != 0 ||
	    next_field(&p, mode, sizeof(mode)) != 1 ||
	    next_field(&p, replay, sizeof(replay)) != 1 ||
	    next_field(&p, h->host, sizeof(h->host)) != 1 ||
	    next_field(&p, h->vmid, sizeof(h->vmid)) != 1 ||
	    next_field(&p, h->entity_id, sizeof(h->entity_id)) != 1 ||
	    next_field(&p, h->entity, sizeof(h->entity)) != 0)
		return -1;
	for (i = 0; i <= BROKER_MODE_FORCE; i++)
		if (strcmp(mode, mode_names[i]) == 0)
			break;
	if (i > BROKER_MODE_FORCE)
		return -1;
	h->mode = (enum broker_mode)i;
	errno = 0;
	if (replay[0] < '0' || replay[0] > '9')
		return -1;
	h->replay = strtoul(replay, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	return 0;
}

int
broker_frame_put(struct ringbuf *q, enum broker_frame_type type,
    const void *data, size_t len, size_t limit)
{
	unsigned char hdr[BROKER_FRAME_HEADER];
	size_t taken = 0;

	if (len > BROKER_FRAME_MAX)
		return -1;
	if (ringbuf_used(q) + BROKER_FRAME_HEADER + len > limit)
		return 1;
	hdr[0] = (unsigned char)type;
	hdr[1] = (unsigned char)(len >> 24);
	hdr[2] = (unsigned char)(len >> 16);
	hdr[3] = (unsigned char)(len >> 8);
	hdr[4] = (unsigned char)len;
	if (backlog_add(q, hdr, sizeof(hdr), &taken) != BACKLOG_OK)
		return -1;
	if (len > 0 && backlog_add(q, data, len, &taken) != BACKLOG_OK)
		return -1;
	return 0;
}

long
broker_frame_next(const unsigned char *buf, size_t len,
    unsigned char *type, const unsigned char **payload, size_t *plen)
{
	size_t n;

	if (len < BROKER_FRAME_HEADER)
		return 0;
	n = (size_t)buf[1] << 24 | (size_t)buf[2] << 16 |
	    (size_t)buf[3] << 8 | buf[4];
	if (n > BROKER_FRAME_MAX || (buf[0] != FRAME_MODE &&
	    buf[0] != FRAME_REPLAY && buf[0] != FRAME_OUTPUT &&
	    buf[0] != FRAME_NOTICE && buf[0] != FRAME_END))
		return -1;
	if (len < BROKER_FRAME_HEADER + n)
		return 0;
	*type = buf[0];
	*payload = buf + BROKER_FRAME_HEADER;
	*plen = n;
	return (long)(BROKER_FRAME_HEADER + n);
}
