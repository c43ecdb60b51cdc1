/*
 * What a session and the broker of a shared console say to each other on
 * the broker's unix socket. The session starts with one hello line:
 *     vmconsole-hello MODE REPLAY HOST VMID ENTITY-ID ENTITY\n
 * (fields separated by one tab; MODE is write, watch or force) and then
 * sends only what the user typed. The broker answers with frames: a type
 * byte, a 4-byte big-endian length and that many bytes.
 */
#ifndef VMCONSOLE_BROKER_PROTO_H
#define VMCONSOLE_BROKER_PROTO_H

#include <stdbool.h>
#include <stddef.h>

#include "ringbuf.h"

#define BROKER_HELLO_MAX 2048
#define BROKER_FRAME_HEADER 5
/* Longest frame payload; longer output is sent in several frames. */
#define BROKER_FRAME_MAX (64 * 1024)

enum broker_frame_type {
	FRAME_MODE = 'M',	/* "write" or "watch": this session's role */
	FRAME_REPLAY = 'H',	/* earlier output, before the live output */
	FRAME_OUTPUT = 'O',	/* what the console prints */
	FRAME_NOTICE = 'N',	/* one line for the user, no line break */
	FRAME_END = 'E',	/* one byte: enum bridge_end; then EOF */
};

enum broker_mode {
	BROKER_MODE_WRITE,	/* writer when nobody writes, else watcher */
	BROKER_MODE_WATCH,	/* always a watcher */
	BROKER_MODE_FORCE,	/* writer; a writer there becomes a watcher */
};

struct broker_hello {
	enum broker_mode mode;
	unsigned long replay;		/* lines of history wanted */
	char host[256];
	char vmid[257];
	char entity_id[257];
	char entity[257];
};

/* Returns the word for a mode in hello lines and audit lines. */
const char *broker_mode_name(enum broker_mode mode);

/*
 * Writes the hello line for h into buf (size len). Returns its length, or
 * -1 when a field holds a tab or newline or the line does not fit.
 */
int broker_hello_format(const struct broker_hello *h, char *buf,
    size_t len);

/*
 * Parses one hello line (without its newline). Returns 0, or -1 when it is
 * not a valid hello.
 */
int broker_hello_parse(const char *line, struct broker_hello *h);

/*
 * Appends a frame to q when the frame fits within limit bytes held in q
 * (growing q's storage as needed). Returns 0, 1 when it would pass the
 * limit (nothing is added), -1 when memory ran out.
 */
int broker_frame_put(struct ringbuf *q, enum broker_frame_type type,
    const void *data, size_t len, size_t limit);

/*
 * Finds the next whole frame in the len bytes at buf. Returns its total
 * size (header and payload) and sets *type, *payload and *plen; 0 when
 * more bytes are needed; -1 when the header is invalid.
 */
long broker_frame_next(const unsigned char *buf, size_t len,
    unsigned char *type, const unsigned char **payload, size_t *plen);

#endif
